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
