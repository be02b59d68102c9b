"""Reusing a build's outputs when nothing they were built from has changed.

Each scope's version records two keys (checksums, as OWID's etl does) in
`output/<year>/.versions/<scope>.cache.json`, beside the folder the link points at (the
scope folder itself stays as it was, byte for byte):

- "figures": what the tables, diagrams and notebooks depend on: every file of the export,
  every file of the params folder, the code (the package's sources, the notebooks, the
  expectations), the installed package versions, Python, the year, the scope and the flags.
- "documents": what the PDFs add to that: every file under report/ (texts, exhibits.yml,
  templates), the renderer in use and SOURCE_DATE_EPOCH; null when no PDF was made.

A scope whose figures key matches and whose documents are current is reused as it is; one
whose figures key matches but whose documents are not has its documents rendered again;
any other scope is built again. `--force` builds everything. The check reads only files
and folder listings (no pandas), so an unchanged rebuild answers in well under a second.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..checksums import sha256
from ..paths import EXPECTATIONS, NOTEBOOKS, REPORT
from .swap import VERSIONS

PACKAGE = Path(__file__).resolve().parents[1]  # src/kaa_report

REUSE, DOCUMENTS, BUILD = "återanvänds", "dokument", "byggs"


def tree_hash(path: Path) -> str:
    """One checksum of a file, or of every file under a folder (names and contents; hidden
    files and __pycache__ left out). A missing path has its own checksum."""
    path = Path(path)
    h = hashlib.sha256()
    if path.is_file():
        h.update(sha256(path).encode())
    elif path.is_dir():
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
            for name in sorted(files):
                if name.startswith(".") or name.endswith(".pyc"):
                    continue
                p = Path(root) / name
                h.update(f"{p.relative_to(path).as_posix()}\0{sha256(p)}\n".encode())
    else:
        h.update(b"missing")
    return h.hexdigest()


def installed_packages() -> list[str]:
    """Every installed distribution with its version, from the names of the metadata
    folders on sys.path (name-version.dist-info): a listing, not a metadata read."""
    found = set()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found.update(n for n in names if n.endswith((".dist-info", ".egg-info", ".egg-link")))
    return sorted(found)


def _digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@dataclass
class Plan:
    """What a build will do per scope: REUSE, DOCUMENTS or BUILD, and the keys to record."""
    steps: dict[str, str]
    keys: dict[str, dict] = field(default_factory=dict)

    def scopes(self, step: str) -> list[str]:
        return [s for s, st in self.steps.items() if st == step]

    @property
    def all_reused(self) -> bool:
        return all(st == REUSE for st in self.steps.values())

    def record(self, scope: str) -> dict:
        """What `remember` writes for the scope."""
        return self.keys[scope]

    def summary(self) -> str:
        parts = [f"{step}: {', '.join(self.scopes(step))}" for step in (REUSE, DOCUMENTS, BUILD) if self.scopes(step)]
        return "; ".join(parts)


def figures_key(data_dir: Path, year: int, scope: str, params_dir: Path, suppress: bool,
                skip_invalid_rows: bool, code: dict) -> str:
    return _digest({"data": tree_hash(data_dir), "params": tree_hash(params_dir), "code": code,
                    "year": year, "scope": scope, "suppress": bool(suppress),
                    "skip_invalid_rows": bool(skip_invalid_rows)})


def code_key() -> dict:
    """The code a build runs: package sources, notebooks, expectations, installed packages, Python."""
    return {"package": tree_hash(PACKAGE), "notebooks": tree_hash(NOTEBOOKS), "expectations": tree_hash(EXPECTATIONS),
            "installed": _digest(installed_packages()), "python": platform.python_version(),
            "executable": sys.executable}


def documents_key(report_dir: Path = REPORT, draft: bool = False) -> str:
    return _digest({"report": tree_hash(report_dir), "quarto": shutil.which("quarto"),
                    "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH"), "draft": bool(draft)})


def _record_path(out_dir: Path, year: int, scope: str) -> Path:
    return Path(out_dir) / str(year) / VERSIONS / f"{scope}.cache.json"


def previous(out_dir: Path, year: int, scope: str) -> dict | None:
    """The keys the scope's current outputs were built from (None when there are none, or
    when the record is not about the version the scope's link points at)."""
    link = Path(out_dir) / str(year) / scope
    try:
        rec = json.loads(_record_path(out_dir, year, scope).read_text(encoding="utf-8"))
        current = os.readlink(link)
    except (OSError, ValueError):
        return None
    if not isinstance(rec, dict) or rec.get("version") != current or not link.is_dir():
        return None
    return rec


def remember(out_dir: Path, year: int, scope: str, record: dict) -> None:
    """Record the keys of the version just swapped in (atomically; a build killed before
    this leaves a record of the old version, which no longer matches: the next build runs)."""
    path = _record_path(out_dir, year, scope)
    rec = {**record, "version": os.readlink(Path(out_dir) / str(year) / scope)}
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(rec, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def plan(data_dir: Path, year: int, scopes: list[str], out_dir: Path, params_dir: Path, pdf: bool,
         suppress: bool = False, skip_invalid_rows: bool = False, force: bool = False,
         report_dir: Path = REPORT, draft: bool = False) -> Plan:
    """Decide per scope what must run; never reuse across a changed input."""
    code = code_key()
    docs = documents_key(report_dir, draft)
    steps, keys = {}, {}
    for s in scopes:
        fk = figures_key(data_dir, year, s, params_dir, suppress, skip_invalid_rows, code)
        keys[s] = {"figures": fk, "documents": docs if pdf else None}
        prev = None if force else previous(out_dir, year, s)
        if prev is None or prev.get("figures") != fk:
            steps[s] = BUILD
        elif pdf:
            steps[s] = REUSE if prev.get("documents") == docs else DOCUMENTS
        elif prev.get("documents") in (None, docs):
            steps[s] = REUSE
            keys[s]["documents"] = prev.get("documents")  # PDFs made earlier from the same texts stay current
        else:
            steps[s] = BUILD  # PDFs from other texts would stay behind: build the scope without them
    return Plan(steps, keys)


def reused_message(out_dir: Path, year: int, scopes: list[str]) -> str:
    return (f"Oförändrat sedan förra bygget (data, parametrar, texter, kod och paket): återanvänder "
            f"{len(scopes)} omfång under {Path(out_dir) / str(year)} ({', '.join(scopes)}). --force bygger om allt.")
