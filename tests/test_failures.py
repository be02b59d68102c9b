"""Clear failures: one readable message and exit 1, never a traceback (without --debug)."""
from __future__ import annotations

import errno

import pytest

from kaa_report.cli import main


def run(args, capsys) -> tuple[int, str]:
    code = 0
    try:
        main(args)
    except SystemExit as e:
        code = e.code or 0
    return code, capsys.readouterr().err


def test_output_folder_under_a_file(synth_dir, tmp_path, capsys):
    (tmp_path / "a-file").write_text("x")
    code, err = run(["build", "--data", str(synth_dir), "--year", "2023", "--scope", "kista", "--no-pdf",
                     "--out", str(tmp_path / "a-file" / "out")], capsys)
    assert code == 1
    assert "inte en mapp" in err and "--out" in err and "Traceback" not in err
    assert "Validerar" not in err  # checked before the long work


def test_full_disk(synth_dir, tmp_path, capsys, monkeypatch):
    import kaa_report.pipeline.build as build

    def full(*a, **kw):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x.pkl"))

    monkeypatch.setattr(build, "_cache_figures", full)
    code, err = run(["build", "--data", str(synth_dir), "--year", "2023", "--scope", "kista", "--no-pdf",
                     "--out", str(tmp_path / "out")], capsys)
    assert code == 1 and "disken är full" in err and "Traceback" not in err
    assert not (tmp_path / "out" / "2023" / "kista").exists()


def test_missing_dependency(synth_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "papermill", None)
    code, err = run(["build", "--data", str(synth_dir), "--year", "2023", "--scope", "kista", "--no-pdf",
                     "--jobs", "1", "--out", str(tmp_path / "out")], capsys)
    assert code == 1 and "beroende saknas: papermill" in err and "setup.sh" in err
    assert "Traceback" not in err


def test_debug_shows_the_traceback(synth_dir, tmp_path, monkeypatch):
    import kaa_report.pipeline.build as build

    monkeypatch.setattr(build, "_cache_figures", lambda *a, **kw: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        main(["--debug", "build", "--data", str(synth_dir), "--year", "2023", "--scope", "kista", "--no-pdf",
              "--out", str(tmp_path / "out")])


def test_bad_external_figures_stop_the_build(synth_dir, tmp_path):
    import shutil

    from kaa_report.cli import KaaError
    from kaa_report.paths import PARAMS
    from kaa_report.pipeline.build import run_build

    params = tmp_path / "params"
    shutil.copytree(PARAMS, params)
    (params / "2023.yml").write_text("externa_siffror:\n  slussplatser_anvanda: {varde: -23, enhet: platser}\n")
    with pytest.raises(KaaError) as e:
        run_build(synth_dir, 2023, "kista", tmp_path / "out", pdf=False, params_dir=params)
    assert "params/2023.yml: externa_siffror.slussplatser_anvanda.varde" in str(e.value)
    assert "kalla: saknas" in str(e.value)
    assert not (tmp_path / "out" / "2023").exists()


def test_missing_library_at_start_is_a_plain_message(tmp_path):
    """Even a library every command needs (pandas) gives the plain message, not a traceback."""
    import subprocess
    import sys

    fake = tmp_path / "fake" / "pandas"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ModuleNotFoundError(\"No module named 'pandas'\", name='pandas')\n")
    p = subprocess.run([sys.executable, "-m", "kaa_report", "synth", "--out", str(tmp_path / "x")],
                       capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path / "fake"), "PATH": "/usr/bin:/bin"})
    assert p.returncode == 1
    assert "beroende saknas: pandas" in p.stderr and "Traceback" not in p.stderr


def test_an_invalid_export_stops_the_build_when_its_validation_is_done(tmp_path, monkeypatch):
    """The validation runs beside the notebooks; when it refuses the export the build stops
    then, with the validation's message, and does not wait for the notebooks still running."""
    import threading
    from concurrent.futures import ThreadPoolExecutor
    from types import SimpleNamespace

    import kaa_report.pipeline.build as build
    from kaa_report.errors import KaaError

    release, started = threading.Event(), []

    def notebook(*a):  # runs until the test ends (or 20 s): a long notebook
        started.append(a[0])
        release.wait(20)
        return 0.0

    monkeypatch.setattr(build, "_task", notebook)
    invalid = SimpleNamespace(ok=False, summary=lambda: "FEL: personer.csv, kolumn kon")
    with ThreadPoolExecutor(2) as pool, ThreadPoolExecutor(1) as checker:
        pending = (checker, checker.submit(lambda: invalid))
        try:
            with pytest.raises(KaaError, match="(?s)ogiltig.*kolumn kon"):
                build._run_all(pool, [("kista", tmp_path / "kista.pkl")], 2023, tmp_path, tmp_path / "stage",
                               tmp_path, pending, n_scopes=1)
            assert not release.is_set() and started  # stopped while the notebook still ran
        finally:
            release.set()
