"""manifest.json: what a scope was built from (inputs' and parameter files' checksums, the
commit, Python and package versions, the run's parameters and what was set aside)."""
from __future__ import annotations

import platform
import subprocess
from importlib import metadata
from pathlib import Path

from ..checksums import sha256
from ..contract.run import Run
from ..paths import ROOT

PACKAGES = ("kaa-report", "pandas", "numpy", "matplotlib", "seaborn", "great-expectations", "papermill",
            "nbconvert", "babel", "openpyxl", "xlsxwriter", "pypandoc-binary", "typst")


def _git_commit() -> str:
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return sha + ("-dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "okänd"


def manifest(raw, run: Run, scope: str, avvisade=None, shared: dict | None = None) -> dict:
    """What the scope was built from. `avvisade`: what --skip-invalid-rows set aside
    (None without the flag). `shared`: the part every scope of the build has in common
    (`shared_manifest`), computed once per build."""
    shared = shared if shared is not None else shared_manifest(raw, run.params_dir)
    return {
        "year": run.year,
        "scope": scope,
        "parameters": {"year": run.year, "scope": scope, "params_dir": str(run.params_dir),
                       "suppressed": run.suppressed(scope),
                       "jobbtorg": [j.slug for j in run.mapping.units],
                       "skip_invalid_rows": avvisade is not None},
        **shared,
        **({"avvisade": avvisade.manifest()} if avvisade is not None else {}),
    }


def shared_manifest(raw, params_dir: Path) -> dict:
    """The inputs' and parameter files' checksums, the commit, Python and the package
    versions: the same for every scope of one build."""
    versions = {}
    for p in PACKAGES:
        try:
            versions[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            pass
    return {
        "input_format": raw.fmt,
        "inputs": raw.checksums(),
        "params_files": {p.name: sha256(p) for p in sorted(params_dir.glob("*.yml"))},
        "git_commit": _git_commit(),
        "python": platform.python_version(),
        "packages": versions,
    }
