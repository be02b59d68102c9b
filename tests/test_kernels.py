"""Warm kernels (kaa_report.pipeline.kernels): one kernel per worker serves several scopes,
and each notebook still starts from an empty namespace and execution count 1."""
from __future__ import annotations

import json

import pytest
from conftest import BUILD_YEAR

from kaa_report.pipeline import kernels


@pytest.fixture
def warm(tmp_path):
    kernels.start(None)
    yield kernels
    kernels.shutdown()


def _ask(km, code: str) -> dict:
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        found = {}

        def hook(msg):
            if msg["msg_type"] == "stream":
                found["text"] = found.get("text", "") + msg["content"]["text"]

        reply = kc.execute_interactive(code, timeout=60, output_hook=hook)
        found["execution_count"] = reply["content"].get("execution_count")
        return found
    finally:
        kc.stop_channels()


def test_a_kernel_is_reset_between_notebooks_but_keeps_its_imports(warm):
    km = warm.kernel()
    first = _ask(km, "secret = 42\nprint('kaa_report.pipeline.notebook' in __import__('sys').modules)")
    assert first["text"].strip() == "True"  # warmed up before the first notebook
    assert first["execution_count"] == 1
    again = warm.kernel()
    assert again is km  # the same kernel process serves the next scope
    second = _ask(km, "print('secret' in globals(), 'kaa_report.pipeline.notebook' in __import__('sys').modules)")
    assert second["text"].split() == ["False", "True"]
    assert second["execution_count"] == 1


def test_executed_notebooks_count_from_one(built):
    """In a build of all scopes every executed notebook numbers its cells 1, 2, 3, … as a
    fresh kernel would, even the scopes that ran in a kernel used before."""
    for nb in sorted((built / str(BUILD_YEAR)).glob("*/notebooks/arsrapport.ipynb")):
        cells = [c for c in json.loads(nb.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
        assert [c["execution_count"] for c in cells] == list(range(1, len(cells) + 1)), nb
