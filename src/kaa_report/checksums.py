"""SHA-256 of a file, read in 1 MiB pieces: the manifest's checksums and the build cache's
keys. No heavy imports here: the cache checks an unchanged build before pandas loads."""
from __future__ import annotations

import hashlib
from pathlib import Path


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
