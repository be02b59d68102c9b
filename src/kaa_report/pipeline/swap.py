"""Swapping a finished scope folder into the outputs, atomically.

`output/<year>/<scope>` is a symbolic link to a complete version folder
`output/<year>/.versions/<scope>-<n>`. A build writes into a staging folder and, only
when everything succeeded, moves it into `.versions/` and swaps the link with one
rename (atomic on POSIX). Killed at any moment, the link points at a complete version:
the old one or the new one. Versions no link points at are removed.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

VERSIONS = ".versions"
TEMP_PREFIX = "kaa-report-"


@contextmanager
def private_tempdir() -> Iterator[Path]:
    """A private (0700) temporary folder for what a build keeps between its steps, removed
    at the end. Folders left by killed builds (their process is gone) are removed first."""
    for old in Path(tempfile.gettempdir()).glob(TEMP_PREFIX + "*"):
        if not _alive(old.name[len(TEMP_PREFIX):].split("-")[0]):
            shutil.rmtree(old, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=f"{TEMP_PREFIX}{os.getpid()}-") as d:
        yield Path(d)


def staging_dir(out_dir: Path, year: int) -> Path:
    """A fresh staging folder on the same file system as the outputs."""
    d = out_dir / str(year) / VERSIONS / f".staging-{os.getpid()}-{time.time_ns()}"
    d.mkdir(parents=True)
    return d


def swap_in(src: Path, dest: Path) -> Path:
    """Make dest show the complete folder src, atomically; returns dest."""
    versions = dest.parent / VERSIONS
    versions.mkdir(parents=True, exist_ok=True)
    version = versions / f"{dest.name}-{time.time_ns()}"
    os.replace(src, version)
    if dest.exists() and not dest.is_symlink():
        # an output folder from before links were used: move it aside once
        os.replace(dest, versions / f"{dest.name}-legacy-{time.time_ns()}")
    link = dest.parent / f".{dest.name}.link-{os.getpid()}"
    if link.is_symlink():
        link.unlink()
    os.symlink(Path(VERSIONS) / version.name, link)
    os.replace(link, dest)
    _collect(dest)
    return dest


def _collect(dest: Path) -> None:
    """Remove the versions of dest.name that no link points at (and stale staging folders)."""
    versions = dest.parent / VERSIONS
    current = os.readlink(dest)
    for v in versions.iterdir():
        if re.fullmatch(rf"{re.escape(dest.name)}-(legacy-)?\d+", v.name) and Path(VERSIONS) / v.name != Path(current):
            shutil.rmtree(v, ignore_errors=True)
        elif v.name.startswith(".staging-") and not _alive(v.name.split("-")[1]):
            shutil.rmtree(v, ignore_errors=True)  # left by a build that was killed


def _alive(pid: str) -> bool:
    """Is the process that made a staging folder still running (so its folder is in use)?"""
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True
