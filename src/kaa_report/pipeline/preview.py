"""`kaa-report preview`: rebuild on every save, for authors.

Watches the report's sources (report/: the year's texts, exhibits.yml, templates), the
export and the params folder by polling modification times (no extra dependency), and
after each save runs the build with its cache (kaa_report.pipeline.cache): a text edit
renders the documents again in seconds, a data or params edit reruns what depends on it.
One line per rebuild; Ctrl-C ends it.
"""
from __future__ import annotations

import contextlib
import io
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from ..errors import KaaError
from ..paths import PARAMS, REPORT

POLL_SECONDS = 0.5
SETTLE_SECONDS = 0.3  # an editor may write a file in several steps


def snapshot(paths: Iterable[Path], ignore: Path | None = None) -> dict[str, tuple[int, int]]:
    """(mtime, size) of every file under the paths (hidden files and folders left out, and
    everything under ignore: the build's own output folder, should it lie inside one)."""
    out = {}
    skip = os.path.abspath(ignore) if ignore is not None else None
    for root in paths:
        root = Path(root)
        if root.is_file():
            st = root.stat()
            out[str(root)] = (st.st_mtime_ns, st.st_size)
            continue
        for d, dirs, files in os.walk(root):
            dirs[:] = [x for x in dirs if not x.startswith(".") and x != "__pycache__"
                       and os.path.abspath(os.path.join(d, x)) != skip]
            for name in files:
                if name.startswith(".") or name.endswith("~"):
                    continue
                p = os.path.join(d, name)
                try:
                    st = os.stat(p)
                except OSError:
                    continue
                out[p] = (st.st_mtime_ns, st.st_size)
    return out


def changed(before: dict, after: dict) -> list[str]:
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def watched(data_dir: Path, params_dir: Path = PARAMS, report_dir: Path = REPORT) -> list[Path]:
    return [Path(report_dir), Path(data_dir), Path(params_dir)]


def _short(paths: list[str]) -> str:
    names = [os.path.relpath(p) if not os.path.relpath(p).startswith("..") else p for p in paths]
    return names[0] + (f" (+{len(names) - 1})" if len(names) > 1 else "")


def rebuild(build: Callable[[], object], reason: str, echo: Callable[[str], None]) -> None:
    """Run one build quietly and print one line: what changed, what ran, how long, or the error."""
    t0 = time.perf_counter()
    chatter = io.StringIO()
    try:
        with contextlib.redirect_stderr(chatter):
            build()
    except KaaError as e:
        first = str(e).splitlines()[0] if str(e) else type(e).__name__
        echo(f"[{time.strftime('%H:%M:%S')}] {reason}: fel ({time.perf_counter() - t0:.1f} s): {first}")
        return
    what = _what_ran(chatter.getvalue())
    echo(f"[{time.strftime('%H:%M:%S')}] {reason}: {what} ({time.perf_counter() - t0:.1f} s)")


def _what_ran(log: str) -> str:
    if "Oförändrat" in log:
        return "oförändrat, inget byggt om"
    if "Bara texterna" in log:
        return "dokumenten renderade om"
    return "byggt om"


def watch(build: Callable[[], object], paths: list[Path], echo: Callable[[str], None],
          poll: float = POLL_SECONDS, rounds: int | None = None, out: Path | None = None) -> None:
    """Build once, then again after every change under paths (rounds: stop after that many
    rebuilds, for tests; out: the build's output folder, never watched). Each build is
    compared with the files as they were when it began, so a save made while a build runs
    gives one more build. Ctrl-C (KeyboardInterrupt) ends it; the caller says goodbye."""
    before = snapshot(paths, out)
    rebuild(build, "start", echo)
    done = 0
    while rounds is None or done < rounds:
        time.sleep(poll)
        now = snapshot(paths, out)
        diff = changed(before, now)
        if not diff:
            continue
        time.sleep(SETTLE_SECONDS)
        settled = snapshot(paths, out)
        diff = changed(before, settled) or diff
        before = settled  # what this build reads; a save from here on is seen next round
        rebuild(build, f"{_short(diff)} ändrad", echo)
        done += 1
