"""Trustworthy runs (issue 7): no personal data in any output, a killed build leaves the
previous outputs as they were, and two builds give the same bytes.

Uses the session's synthetic export and full build (conftest: `synth_dir`, `built` =
`--scope all` with PDFs for 2023) and one more build of one scope (`rebuilt`).
"""
from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import BUILD_YEAR, kaa

SCOPE = "kista"  # the one scope built again here
EPOCH = "1700000000"  # SOURCE_DATE_EPOCH of the extra builds

# ---------------------------------------------------------------- the privacy scan

_TOKEN = re.compile(r"[0-9A-Za-z_]+")
_DATE = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)")


def texts_of(path: Path) -> list[str]:
    """Every text a reader could get out of a file: its bytes as text, and for PDFs the
    extracted page text and metadata, for workbooks every cell and sheet name."""
    data = path.read_bytes()
    out = [data.decode("utf-8", errors="replace"), data.decode("latin-1")]
    if path.suffix == ".pdf":  # the page text as the audit reads it, and the document's metadata
        import pypdfium2

        from kaa_report.review.pdftrace import pages_text

        out += pages_text(path)
        doc = pypdfium2.PdfDocument(path)
        out += [str(v) for v in doc.get_metadata_dict().values()]
        doc.close()
    elif path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            out.append(ws.title)
            for row in ws.iter_rows(values_only=True):
                out.append(" ".join("" if v is None else str(v) for v in row))
        wb.close()
    return out


def leaks_in(path: Path, person_ids: set[str], birth_dates: set[str]) -> set[str]:
    """The person_ids and birth dates (as YYYY-MM-DD or YYYYMMDD) found in the file."""
    found = set()
    for text in texts_of(path):
        found |= set(_TOKEN.findall(text)) & person_ids
        found |= {"-".join(m) for m in _DATE.findall(text)} & birth_dates
    return found


def personal_data(data: Path) -> tuple[set[str], set[str]]:
    p = pd.read_csv(data / "personer.csv", dtype=str, keep_default_na=False)
    return set(p["person_id"]), set(p["fodelsedatum"])


def test_scan_finds_planted_personal_data(tmp_path):
    """The scanner itself: an id and a birth date put in a CSV, a workbook cell and a PDF
    are found (in the PDF only through text extraction: the page stream is compressed)."""
    import typst

    ids, dates = {"P000017"}, {"2005-01-23"}
    (tmp_path / "t.csv").write_text("rad,varde\nP000017,20050123\n", encoding="utf-8")
    wb = openpyxl.Workbook()
    wb.active["B7"] = "P000017"
    wb.active["C2"] = "2005-01-23"
    wb.save(tmp_path / "t.xlsx")
    (tmp_path / "t.typ").write_text("Ungdom P000017, född 2005-01-23.", encoding="utf-8")
    typst.compile(str(tmp_path / "t.typ"), output=str(tmp_path / "t.pdf"))
    assert b"P000017" not in (tmp_path / "t.pdf").read_bytes()
    for name in ("t.csv", "t.xlsx", "t.pdf"):
        assert leaks_in(tmp_path / name, ids, dates) == ids | dates, name
    (tmp_path / "ok.csv").write_text("rad,varde\nP0000171,2005-01-24\n", encoding="utf-8")
    assert leaks_in(tmp_path / "ok.csv", ids, dates) == set()


def test_no_personal_data_in_any_output(audited, synth_dir):
    """Every file of the build of all scopes (tables, diagrams, JSON, SVG, PNG metadata,
    executed notebooks, HTML, PDFs, the build's log) and the audit workbook (exact values)
    holds no person_id and no birth date of the input."""
    ids, dates = personal_data(synth_dir)
    assert len(ids) > 1000 and len(dates) > 500
    out, _ = audited
    files = [p for p in out.rglob("*") if p.is_file()]
    kinds = {p.suffix for p in files}
    assert {".csv", ".json", ".svg", ".png", ".ipynb", ".html", ".pdf", ".xlsx"} <= kinds, kinds
    assert any(p.name == "build.stderr" for p in files)
    found = {str(p.relative_to(out)): sorted(leaks_in(p, ids, dates)) for p in files}
    assert {k: v for k, v in found.items() if v} == {}


# ---------------------------------------------------------------- one more build

def _build(data: Path, out: Path, **popen) -> subprocess.Popen:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.Popen(
        [sys.executable, "-m", "kaa_report", "build", "--data", str(data), "--year", str(BUILD_YEAR),
         "--scope", SCOPE, "--out", str(out), "--jobs", "2"],
        env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, **popen)


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory, synth_dir) -> Path:
    """`build --scope kista` of the session's export, with SOURCE_DATE_EPOCH; the --out folder."""
    out = tmp_path_factory.mktemp("rebuilt")
    p = _build(synth_dir, out)
    _, err = p.communicate()
    assert p.returncode == 0, err
    (out / "build.stderr").write_text(err, encoding="utf-8")
    return out


def snapshot(scope_dir: Path) -> dict[str, bytes]:
    """Every file under a published scope folder (through its link), by relative path."""
    return {str(p.relative_to(scope_dir)): p.read_bytes() for p in sorted(scope_dir.rglob("*")) if p.is_file()}


# files that carry the time of the run by design: papermill's execution timestamps
VARYING = re.compile(r"^notebooks/")


def test_two_builds_give_the_same_bytes(built, rebuilt):
    """The scope built alone (rebuilt) equals the same scope from the session's build of all
    scopes, byte for byte: tables, diagram data, SVG, PNG, JSON, manifest (only the
    executed notebooks, which record their run time, and the PDF, built here with a
    fixed SOURCE_DATE_EPOCH, are left out; PDFs are compared in the next test)."""
    a = snapshot(built / str(BUILD_YEAR) / SCOPE)
    b = snapshot(rebuilt / str(BUILD_YEAR) / SCOPE)
    assert sorted(a) == sorted(b)
    compared = [k for k in a if not VARYING.match(k) and not k.endswith(".pdf")]
    assert {".csv", ".json", ".svg", ".png"} <= {Path(k).suffix for k in compared}
    differ = [k for k in compared if a[k] != b[k]]
    assert differ == []


def test_pdf_is_reproducible_with_source_date_epoch(rebuilt, tmp_path, monkeypatch):
    """Rendering the same scope folder again, in this process, with the same
    SOURCE_DATE_EPOCH gives the PDF the build wrote, byte for byte."""
    from kaa_report.document.render import render_report

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    src = rebuilt / str(BUILD_YEAR) / SCOPE
    pdfs = sorted(src.glob("*.pdf"))
    assert pdfs
    work = tmp_path / SCOPE
    shutil.copytree(src, work)
    for p in work.glob("*.pdf"):
        p.unlink()
    render_report(work, BUILD_YEAR, SCOPE)
    for p in pdfs:
        assert (work / p.name).read_bytes() == p.read_bytes(), p.name


# ---------------------------------------------------------------- a killed build

def test_killed_build_leaves_previous_outputs_byte_identical(rebuilt, tmp_path):
    """A build of different data (another seed) into a copy of the rebuilt outputs is
    killed with SIGKILL, with all its processes, at a random moment while its notebooks
    run: every file of the previous outputs is unchanged, and no other scope appeared."""
    out = tmp_path / "out"
    shutil.copytree(rebuilt, out, symlinks=True)
    before = snapshot(out / str(BUILD_YEAR) / SCOPE)
    scopes_before = sorted(p.name for p in (out / str(BUILD_YEAR)).iterdir())
    other = tmp_path / "other"
    kaa("synth", "--out", str(other), "--seed", "7")

    notebook_secs = float(re.search(r"arsrapport \(([\d.]+) s\)", (rebuilt / "build.stderr").read_text()).group(1))
    delay = random.uniform(0.0, 0.8 * notebook_secs)
    p = _build(other, out, start_new_session=True)
    log = []
    try:
        for line in p.stderr:
            log.append(line)
            if line.startswith("Kör "):  # the notebooks start now
                break
        time.sleep(delay)
        assert p.poll() is None, f"the build ended before the kill ({delay:.1f} s):\n{''.join(log)}"
        os.killpg(p.pid, signal.SIGKILL)
    finally:
        p.wait(timeout=60)
    assert p.returncode == -signal.SIGKILL
    assert snapshot(out / str(BUILD_YEAR) / SCOPE) == before, f"killed after {delay:.1f} s"
    assert sorted(p.name for p in (out / str(BUILD_YEAR)).iterdir()) == scopes_before

    # the next build over the debris of the killed one succeeds and publishes the new data
    q = _build(other, out)
    _, err = q.communicate()
    assert q.returncode == 0, err
    after = snapshot(out / str(BUILD_YEAR) / SCOPE)
    assert after["nyckeltal.json"] != before["nyckeltal.json"]
    assert json.loads(after["manifest.json"])["inputs"]["personer.csv"] != \
        json.loads(before["manifest.json"])["inputs"]["personer.csv"]
    # and clears the killed build's staging folder
    assert [v.name for v in (out / str(BUILD_YEAR) / ".versions").iterdir() if v.name.startswith(".staging-")] == []
