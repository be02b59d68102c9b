"""The build cache (kaa_report.pipeline.cache): reused only when nothing changed.

The plan tests record the keys of a first build as a build does, then change one input
of each kind and check the step the next build would take for the scope. The build tests
run a real build of one scope and check that an unchanged rebuild leaves the outputs
alone and that a changed params file builds them again.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import BUILD_YEAR, kaa

from kaa_report.paths import PARAMS, REPORT
from kaa_report.pipeline import cache

SCOPE = "kista"


@pytest.fixture
def inputs(tmp_path):
    """A tiny export, a copy of params/ and of report/, and an output folder whose kista
    manifest records the keys of a build with PDFs from exactly these inputs."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "personer.csv").write_text("person_id,kon\n1,K\n", encoding="utf-8")
    params = tmp_path / "params"
    shutil.copytree(PARAMS, params)
    report = tmp_path / "report"
    shutil.copytree(REPORT, report)
    out = tmp_path / "out"
    _record_build(data, params, report, out, pdf=True)
    return data, params, report, out


def _plan(data, params, report, out, pdf=True, **kw):
    return cache.plan(data, BUILD_YEAR, [SCOPE], out, params, pdf, report_dir=report, **kw)


def _record_build(data, params, report, out, pdf):
    """What a build swaps in: a version folder, the scope's link to it, the keys recorded."""
    p = _plan(data, params, report, out, pdf=pdf, force=True)
    year = out / str(BUILD_YEAR)
    version = year / ".versions" / f"{SCOPE}-1"
    version.mkdir(parents=True, exist_ok=True)
    if not (year / SCOPE).is_symlink():
        os.symlink(Path(".versions") / version.name, year / SCOPE)
    cache.remember(out, BUILD_YEAR, SCOPE, p.record(SCOPE))


def _step(*a, **kw):
    return _plan(*a, **kw).steps[SCOPE]


def test_nothing_changed_is_reused(inputs):
    assert _step(*inputs) == cache.REUSE
    assert _plan(*inputs).all_reused


def test_a_changed_data_file_builds_again(inputs):
    data = inputs[0]
    (data / "personer.csv").write_text("person_id,kon\n1,M\n", encoding="utf-8")
    assert _step(*inputs) == cache.BUILD


def test_a_new_data_file_builds_again(inputs):
    (inputs[0] / "insatser.csv").write_text("person_id\n", encoding="utf-8")
    assert _step(*inputs) == cache.BUILD


def test_a_changed_params_file_builds_again(inputs):
    params = inputs[1]
    with open(params / "suppression.yml", "a", encoding="utf-8") as f:
        f.write("\n# en kommentar\n")
    assert _step(*inputs) == cache.BUILD


def test_a_changed_text_renders_the_documents_only(inputs):
    report = inputs[2]
    text = next(p for p in sorted((report / "text" / str(BUILD_YEAR)).rglob("*")) if p.is_file())
    text.write_text(text.read_text(encoding="utf-8") + "\nEn ny mening.\n", encoding="utf-8")
    assert _step(*inputs) == cache.DOCUMENTS


def test_a_changed_caption_renders_the_documents_only(inputs):
    report = inputs[2]
    with open(report / "exhibits.yml", "a", encoding="utf-8") as f:
        f.write("\n# ny bildtext\n")
    assert _step(*inputs) == cache.DOCUMENTS


def test_changed_code_builds_again(inputs, tmp_path, monkeypatch):
    pkg = tmp_path / "pkg"
    pkg.mkdir()
    (pkg / "mod.py").write_text("X = 1\n")
    monkeypatch.setattr(cache, "PACKAGE", pkg)
    _record_build(*inputs, pdf=True)
    assert _step(*inputs) == cache.REUSE
    (pkg / "mod.py").write_text("X = 2\n")
    assert _step(*inputs) == cache.BUILD


def test_a_changed_package_version_builds_again(inputs, monkeypatch):
    installed = cache.installed_packages()
    monkeypatch.setattr(cache, "installed_packages", lambda: installed)
    _record_build(*inputs, pdf=True)
    assert _step(*inputs) == cache.REUSE
    bumped = [n.replace("pandas-", "pandas-99.") if n.startswith("pandas-") else n for n in installed]
    assert bumped != installed
    monkeypatch.setattr(cache, "installed_packages", lambda: bumped)
    assert _step(*inputs) == cache.BUILD


def test_other_flags_build_again(inputs):
    assert _step(*inputs, suppress=True) == cache.BUILD
    assert _step(*inputs, skip_invalid_rows=True) == cache.BUILD
    data, params, report, out = inputs
    assert cache.plan(data, BUILD_YEAR - 1, [SCOPE], out, params, True, report_dir=report).steps[SCOPE] == cache.BUILD


def test_force_builds_everything(inputs):
    assert _step(*inputs, force=True) == cache.BUILD


def test_no_previous_build_builds(inputs, tmp_path):
    data, params, report, _ = inputs
    assert _step(data, params, report, tmp_path / "empty") == cache.BUILD


def test_a_build_without_pdf_after_one_with_reuses_current_documents(inputs):
    assert _step(*inputs, pdf=False) == cache.REUSE
    report = inputs[2]
    with open(report / "exhibits.yml", "a", encoding="utf-8") as f:
        f.write("\n# ny bildtext\n")
    # the PDFs there now were made from other texts: they must not stay behind unnoticed
    assert _step(*inputs, pdf=False) == cache.BUILD


def test_a_build_with_pdf_after_one_without_renders_the_documents(inputs):
    _record_build(*inputs, pdf=False)
    assert _step(*inputs, pdf=False) == cache.REUSE
    assert _step(*inputs, pdf=True) == cache.DOCUMENTS


def test_a_record_of_another_version_is_not_trusted(inputs):
    out = inputs[3]
    year = out / str(BUILD_YEAR)
    (year / ".versions" / f"{SCOPE}-2").mkdir()
    os.replace(_link_to(year, f"{SCOPE}-2"), year / SCOPE)  # a build swapped in, killed before it recorded its keys
    assert _step(*inputs) == cache.BUILD


def _link_to(year: Path, name: str) -> Path:
    tmp = year / ".tmp-link"
    os.symlink(Path(".versions") / name, tmp)
    return tmp


def test_tree_hash_sees_names_and_contents(tmp_path):
    a = tmp_path / "a"
    a.mkdir()
    (a / "x.txt").write_text("1")
    h1 = cache.tree_hash(a)
    assert cache.tree_hash(a) == h1
    (a / "x.txt").write_text("2")
    h2 = cache.tree_hash(a)
    assert h2 != h1
    (a / "x.txt").rename(a / "y.txt")
    assert cache.tree_hash(a) not in (h1, h2)


# ------------------------------------------------------------------ real builds


@pytest.fixture(scope="module")
def one_scope(tmp_path_factory, synth_dir):
    """kaa-report build --scope kista --no-pdf, with a private copy of params/."""
    root = tmp_path_factory.mktemp("cache")
    params = root / "params"
    shutil.copytree(PARAMS, params)
    out = root / "out"
    from kaa_report.pipeline.build import run_build

    run_build(synth_dir, BUILD_YEAR, SCOPE, out, pdf=False, jobs=1, params_dir=params)
    return out, params


def _version(out: Path) -> str:
    return os.readlink(out / str(BUILD_YEAR) / SCOPE)


def test_an_unchanged_rebuild_says_so_and_leaves_the_outputs(one_scope, synth_dir):
    out, _ = one_scope
    before = _version(out)
    p = kaa("build", "--data", str(synth_dir), "--year", str(BUILD_YEAR), "--scope", SCOPE, "--no-pdf", "--out", str(out))
    assert "Oförändrat" in p.stderr and "Validerar" not in p.stderr
    assert _version(out) == before


def test_a_changed_params_file_rebuilds_the_outputs(one_scope, synth_dir, capsys):
    out, params = one_scope
    before = _version(out)
    old = json.loads((out / str(BUILD_YEAR) / SCOPE / "manifest.json").read_text(encoding="utf-8"))
    old_keys = cache.previous(out, BUILD_YEAR, SCOPE)
    with open(params / "diff.yml", "a", encoding="utf-8") as f:
        f.write("\n# ändrad\n")
    from kaa_report.pipeline.build import run_build

    run_build(synth_dir, BUILD_YEAR, SCOPE, out, pdf=False, jobs=1, params_dir=params)
    assert "Validerar" in capsys.readouterr().err
    new = json.loads((out / str(BUILD_YEAR) / SCOPE / "manifest.json").read_text(encoding="utf-8"))
    assert _version(out) != before
    assert new["params_files"]["diff.yml"] != old["params_files"]["diff.yml"]
    assert cache.previous(out, BUILD_YEAR, SCOPE)["figures"] != old_keys["figures"]
    # and the next build with the same params reuses the new outputs
    run_build(synth_dir, BUILD_YEAR, SCOPE, out, pdf=False, jobs=1, params_dir=params)
    assert "Oförändrat" in capsys.readouterr().err


def test_force_rebuilds(one_scope, synth_dir):
    out, params = one_scope
    before = _version(out)
    from kaa_report.pipeline.build import run_build

    run_build(synth_dir, BUILD_YEAR, SCOPE, out, pdf=False, jobs=1, params_dir=params, force=True)
    assert _version(out) != before
