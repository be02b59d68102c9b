"""Warm kernels (kaa_report.pipeline.kernels): one kernel per worker serves several scopes,
and each notebook still starts from an empty namespace and execution count 1."""
from __future__ import annotations

import json
import os
import signal
import time

import pytest
from conftest import BUILD_YEAR

from kaa_report.pipeline import kernels


@pytest.fixture
def warm(tmp_path):
    kernels.start(None)
    yield kernels
    kernels.shutdown()


def _ask(km, code: str) -> dict:
    """Run code in the warm kernel through its one kept client (as a notebook does),
    leaving the client running."""
    kc = km.client()
    found = {}

    def hook(msg):
        if msg["msg_type"] == "stream":
            found["text"] = found.get("text", "") + msg["content"]["text"]

    reply = kc.execute_interactive(code, timeout=60, output_hook=hook)
    found["execution_count"] = reply["content"].get("execution_count")
    return found


def test_a_kernel_is_reset_between_notebooks_but_keeps_its_imports(warm):
    km = warm.kernel()
    first = _ask(km, "secret = 42\nprint('kaa_report.pipeline.notebook' in __import__('sys').modules)\nsecret")
    assert first["text"].strip() == "True"  # warmed up before the first notebook
    assert first["execution_count"] == 1
    assert _ask(km, "print(len(Out), Out[1])")["text"].split() == ["1", "42"]  # the output cache holds it
    again = warm.kernel()
    assert again is km  # the same kernel process serves the next scope
    second = _ask(km, "print('secret' in globals(), 'kaa_report.pipeline.notebook' in __import__('sys').modules, "
                      "len(Out), [k for k in globals() if 'reset' in k], bool(get_ipython().displayhook.do_full_cache))")
    assert second["text"].split() == ["False", "True", "0", "[]", "True"]  # the output cache emptied and kept on
    assert second["execution_count"] == 1


def test_one_client_serves_every_notebook_of_a_kernel_and_a_dead_kernel_gets_a_new_one(warm, monkeypatch):
    """The warm-up, the resets and Papermill share the kernel's one client (no 0.2 s wait
    for a new client's IOPub per notebook); a kernel found dead gets a new kernel and client."""
    from jupyter_client.blocking import BlockingKernelClient

    km = warm.kernel()
    kc = km.client()
    assert km.client() is kc and kc.channels_running
    kc.start_channels()  # as nbclient does with the client it is given: no second start
    waits = []
    with monkeypatch.context() as m:
        m.setattr(BlockingKernelClient, "wait_for_ready", lambda self, timeout=None: waits.append(self))
        kc.wait_for_ready(timeout=60)  # found ready once: jupyter_client's wait is not asked again
    assert waits == []
    os.kill(km.provisioner.pid, signal.SIGKILL)
    for _ in range(100):
        if not km.is_alive():
            break
        time.sleep(0.05)
    fresh = warm.kernel()
    assert not kc.channels_running  # the dead kernel's client was stopped
    assert fresh is not km and fresh.is_alive() and fresh.client() is not kc
    assert _ask(fresh, "print('kaa_report.pipeline.notebook' in __import__('sys').modules)")["text"].strip() == "True"


def test_executed_notebooks_count_from_one(built):
    """In a build of all scopes every executed notebook numbers its cells 1, 2, 3, … as a
    fresh kernel would, even the scopes that ran in a kernel used before."""
    for nb in sorted((built / str(BUILD_YEAR)).glob("*/notebooks/arsrapport.ipynb")):
        cells = [c for c in json.loads(nb.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
        assert [c["execution_count"] for c in cells] == list(range(1, len(cells) + 1)), nb


def test_a_figure_several_scopes_share_is_drawn_once_per_kernel(tmp_path, monkeypatch):
    """Diagram 8 (the city's survey) is the same in every jobbtorg report: a kernel draws it
    for the first such scope and copies its files for the next; the city's (another title)
    and a changed survey are drawn anew. The copies equal a fresh drawing byte for byte."""
    from dataclasses import replace

    from frames import export, person

    from kaa_report.contract.run import resolve_run
    from kaa_report.exhibits import diagrams
    from kaa_report.exhibits.figures import run_figures
    from kaa_report.pipeline import notebook as nb

    d = export(personer=[person("A"), person("B", kon="M")],
               registerperioder=[{"person_id": "A", "fran": "2022-01-01", "stadsdel": "Farsta"},
                                 {"person_id": "B", "fran": "2022-01-01", "stadsdel": "Bromma"}],
               enkat=[{"ar": "2023", "svar_id": "e1", "fraga": "fatt_hjalp", "svar": "4"},
                      {"ar": "2023", "svar_id": "e2", "fraga": "fatt_hjalp", "svar": "5"}])
    figs = run_figures(d, resolve_run(2023), ["stad", "globen", "vallingby"])
    drawn = []
    build = diagrams.diagram_8
    monkeypatch.setattr(diagrams, "diagram_8", lambda sf: drawn.append(sf.scope) or build(sf))
    monkeypatch.setattr(nb, "_DRAWN", {})
    for s in ("globen", "vallingby", "stad"):
        nb.diagram(figs[s], 8, str(tmp_path / s))
    assert drawn == ["globen", "stad"]
    for suffix in (".csv", ".png", ".svg"):
        assert (tmp_path / "vallingby" / f"diagram_8{suffix}").read_bytes() == \
               (tmp_path / "globen" / f"diagram_8{suffix}").read_bytes()
    assert (tmp_path / "stad" / "diagram_8.svg").read_bytes() != (tmp_path / "globen" / "diagram_8.svg").read_bytes()
    assert (tmp_path / "vallingby" / "intern" / "diagram_8.csv").is_file()  # suppressed scope: its exact copy too
    other = replace(figs["vallingby"], enkat={**figs["vallingby"].enkat, "enkat_svar_5": 9})
    nb.diagram(other, 8, str(tmp_path / "other"))
    assert drawn == ["globen", "stad", "vallingby"]
    assert "5,9" in (tmp_path / "other" / "diagram_8.csv").read_text(encoding="utf-8")


def _kernel_pid() -> int:
    return kernels._km.provisioner.pid


def _running(pid: int) -> bool:
    """The process exists and is not a zombie waiting to be reaped."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _busy(secs: float) -> None:
    import time

    time.sleep(secs)


def test_a_stopped_worker_takes_its_kernel_with_it(tmp_path):
    """When a failed build stops its pool (build._stop), each worker kills its kernel before
    it ends: once _stop returns, no kernel can still write into the staging folder."""
    from concurrent.futures import ProcessPoolExecutor

    from kaa_report.pipeline.build import _stop

    pool = ProcessPoolExecutor(max_workers=1, initializer=kernels.start, initargs=(str(tmp_path / "k.log"),))
    pid = pool.submit(_kernel_pid).result(timeout=120)
    assert _running(pid)
    pool.submit(_busy, 30)  # the worker is busy, as in a build
    _stop(pool)
    assert not _running(pid)
