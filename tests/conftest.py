"""Shared fixtures: one synthetic export and one full build per test session (they are slow)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # tests/frames.py and friends

BUILD_YEAR = 2023


def kaa(*args: str, check: bool = True, **kw) -> subprocess.CompletedProcess:
    """Run the kaa-report command as a user would."""
    p = subprocess.run([sys.executable, "-m", "kaa_report", *args], capture_output=True, text=True, **kw)
    if check and p.returncode != 0:
        raise AssertionError(f"kaa-report {' '.join(args)} exited {p.returncode}\n{p.stderr}")
    return p


@pytest.fixture(scope="session")
def synth_dir(tmp_path_factory) -> Path:
    """The shipped synthetic register (default seed)."""
    d = tmp_path_factory.mktemp("synth")
    kaa("synth", "--out", str(d))
    return d


@pytest.fixture(scope="session")
def built(tmp_path_factory, synth_dir) -> Path:
    """`kaa-report build --scope all` for 2023 with PDFs; returns the --out folder."""
    out = tmp_path_factory.mktemp("output")
    p = kaa("build", "--data", str(synth_dir), "--year", str(BUILD_YEAR), "--scope", "all", "--out", str(out))
    (out / "build.stderr").write_text(p.stderr)
    return out


@pytest.fixture(scope="session")
def audited(tmp_path_factory, built) -> tuple[Path, subprocess.CompletedProcess]:
    """`kaa-report audit --year 2023` once per session, on a copy of the session's build (the
    build stays as built): the copy's --out folder (with the audit workbook) and the run."""
    import shutil

    out = tmp_path_factory.mktemp("audited")
    shutil.copytree(built, out, symlinks=True, dirs_exist_ok=True)
    return out, kaa("audit", "--year", str(BUILD_YEAR), "--out", str(out), check=False)
