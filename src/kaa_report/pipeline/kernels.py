"""Kernels kept warm across scopes.

Each notebook worker process starts one Jupyter kernel when the pool starts (while the
export is still being read and validated), imports the notebook library into it, and runs
every notebook it is given in that kernel, one after another. Before each notebook the
kernel's namespace is reset and its execution counter set back to 1, so each executed
notebook is what a fresh kernel would have written; only imported modules stay loaded.
Papermill still executes every notebook (one per year and scope), with the parameters
injected as before, through the one client the worker keeps for its kernel (`_manager`).
"""
from __future__ import annotations

import os
import signal
from multiprocessing.util import Finalize

from ..paths import NOTEBOOKS

# The library's imports and matplotlib's first figure (fonts, the Agg and SVG back ends)
# cost ~3 s per kernel; paid here, while the build still reads and validates the export.
# Then the garbage collector leaves the imported modules alone (frozen) and runs less
# often (every 10 000 new objects, not 700): its time over six notebooks 0.7-0.9 -> 0.24 s.
WARM_UP = """\
import io
import IPython.display
from kaa_report.pipeline import notebook
from kaa_report.exhibits import diagrams
fig, ax = diagrams._fig()
ax.bar(["a", "b"], [1, 2])
ax.set_title("0123456789 åäö")
for fmt in ("png", "svg"):
    fig.savefig(io.BytesIO(), format=fmt, dpi=diagrams.DPI)
diagrams.plt.close(fig)
import gc
gc.collect()
gc.freeze()
gc.set_threshold(10_000)
"""
# IPython's reset also flushes the output cache, and that ends in a full gc.collect() (~0.13 s
# a notebook with pandas and matplotlib loaded); the reset empties the cache anyway, so the
# flush is switched off while it runs.
RESET = """\
def _kaa_reset(ip=get_ipython()):
    hook = ip.displayhook
    full, hook.do_full_cache = hook.do_full_cache, False
    try:
        ip.reset(new_session=True)
    finally:
        hook.do_full_cache = full
    ip.execution_count = 1
_kaa_reset()
"""
TIMEOUT = 120

_km = None
_used = False
_failed: Exception | None = None


def _run(code: str) -> None:
    reply = _km.client().execute_interactive(code, store_history=False, timeout=TIMEOUT, output_hook=lambda msg: None)
    if reply["content"].get("status") != "ok":
        c = reply["content"]
        raise RuntimeError(f"kärnan kunde inte förberedas: {c.get('ename')}: {c.get('evalue')}")


def _manager():
    """The worker's KernelManager. Its client() is one client, started and found ready once
    and kept for the kernel's life: the warm-up, every reset and every notebook (nbclient
    asks the manager for its client) share it. jupyter_client's wait_for_ready waits
    0.2 s for the kernel's IOPub each time; with a client for the reset and one for
    Papermill that was 0.4 s of an idle kernel per notebook."""
    from jupyter_client import KernelManager
    from jupyter_client.blocking import BlockingKernelClient

    class KeptClient(BlockingKernelClient):
        ready = False

        def start_channels(self, *args, **kwargs) -> None:  # nbclient starts the client it is given
            if not self.channels_running:
                super().start_channels(*args, **kwargs)

        def wait_for_ready(self, timeout=None) -> None:  # and waits for it (kernel() checks it is alive)
            if not self.ready:
                super().wait_for_ready(timeout=timeout)
                self.ready = True

    class WarmKernelManager(KernelManager):
        kept = None

        def client(self, **kwargs):
            if self.kept is None:
                self.client_factory = KeptClient
                self.kept = super().client(**kwargs)
                self.kept.start_channels()
                self.kept.wait_for_ready(timeout=TIMEOUT)
            return self.kept

    return WarmKernelManager(kernel_name="python3")


def start(log: str | None = None) -> None:
    """Pool initializer: start this worker's kernel and import the library into it. The
    kernel's start-up chatter goes to `log`. A failure is kept and raised by the first
    notebook of the worker (an initializer that raises would only break the pool)."""
    global _km, _used, _failed
    if log:
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(fd, 2)
        os.close(fd)
    try:
        _km = _manager()
        _km.start_kernel(cwd=str(NOTEBOOKS))
        Finalize(None, shutdown, exitpriority=10)  # runs when the worker process ends
        signal.signal(signal.SIGTERM, _terminated)
        import papermill  # noqa: F401 - the worker's own import, while the kernel starts

        _run(WARM_UP)
        _used, _failed = True, None  # the warm-up's names go before the first notebook
    except Exception as e:  # noqa: BLE001 - raised again by kernel()
        _failed = e


def _terminated(signum, frame) -> None:
    """A failed build ends its workers (build._stop): the kernel is killed with its worker,
    so that no notebook goes on writing into the staging folder the build then removes."""
    pid = getattr(getattr(_km, "provisioner", None), "pid", None)
    if pid:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    os._exit(1)


def kernel():
    """This worker's kernel, clean for the next notebook (None outside a warm pool)."""
    global _used
    if _failed is not None:
        raise _failed
    if _km is None:
        return None
    if not _km.is_alive():
        restart()  # (its kept client stopped too)
    if _used:
        _run(RESET)
    _used = True
    return _km


def shutdown() -> None:
    global _km
    if signal.getsignal(signal.SIGTERM) is _terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if _km is not None:
        try:
            if _km.kept is not None:
                _km.kept.stop_channels()
            _km.shutdown_kernel(now=True)
        except Exception:  # noqa: BLE001 - a kernel already gone is fine
            pass
        _km = None


def restart() -> None:
    """A fresh kernel for this worker (the old one died)."""
    shutdown()
    start()
