"""One error family (kaa_report.errors) raised by the library; only cli.py makes exit codes."""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

from kaa_report import errors
from kaa_report.cli import main

SRC = Path(__file__).resolve().parents[1] / "src" / "kaa_report"


def test_every_error_is_a_kaa_error():
    classes = [c for _, c in inspect.getmembers(errors, inspect.isclass) if c.__module__ == errors.__name__]
    assert len(classes) >= 6
    assert all(issubclass(c, errors.KaaError) for c in classes)


def test_only_the_cli_raises_click_exceptions_or_exits():
    found = []
    for p in SRC.rglob("*.py"):
        if p.name in ("cli.py", "__main__.py"):
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None and "click" in ast.unparse(node.exc):
                found.append(f"{p.relative_to(SRC)}:{node.lineno} raises {ast.unparse(node.exc)[:40]}")
            if isinstance(node, ast.Call) and ast.unparse(node.func) in ("sys.exit", "exit"):
                found.append(f"{p.relative_to(SRC)}:{node.lineno} exits")
    assert not found


def test_a_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as e:
        main(["audit"])
    assert e.value.code == 2 and "--year" in capsys.readouterr().err


def test_a_library_error_is_one_plain_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        main(["audit", "--year", "1999", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert e.value.code == 1
    assert err.startswith("Fel: Hittar inga byggda omfattningar") and "Error" not in err and "Traceback" not in err


@pytest.mark.parametrize("thread", [False, True])
def test_a_finished_command_loses_nothing_at_exit(tmp_path, thread):
    """The process of a finished command ends without Python's teardown of its modules
    (cli._exit_done); what it wrote to stdout, its exit handlers and a thread still running
    (then the process exits as usual) are not lost."""
    import os
    import subprocess
    import sys

    code = f"""
import atexit, sys, threading, time
from pathlib import Path
from kaa_report import cli
tmp = Path({str(tmp_path)!r})

@cli.cli.command()
def prov():
    atexit.register(lambda: (tmp / "atexit").write_text("ja"))
    if {thread}:
        threading.Thread(target=lambda: (time.sleep(0.5), (tmp / "tråd").write_text("ja"))).start()
    sys.stdout.write("utan radslut")

sys.argv = ["kaa-report", "prov"]
cli.main()
"""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # stdout buffered, as usual
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert (r.returncode, r.stdout, r.stderr) == (0, "utan radslut", "")
    assert (tmp_path / "atexit").read_text() == "ja"
    assert (tmp_path / "tråd").is_file() == thread
