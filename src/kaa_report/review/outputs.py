"""What a finished build holds, as the review commands (diff, audit) read it back.

`<out>/<Y>/<scope>/` with nyckeltal.json, tabell_<n>.csv, nyckeltal_foregaende_ar.json
and manifest.json: the scopes of a year, the cells of a table, every figure of a scope.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import KaaError
from ..metrics import definitions as metrics
from ..params import STAD, mapping_for

NYCKELTAL = "nyckeltal"


def read_json(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def scopes_of(root: Path, year: int) -> list[str]:
    """The scope folders of a build year that hold a nyckeltal.json, stad first."""
    d = Path(root) / str(year)
    found = sorted(p.parent.name for p in d.glob("*/nyckeltal.json")) if d.is_dir() else []
    try:
        order = [STAD] + [u.slug for u in mapping_for(year).units]
    except ValueError:
        order = [STAD]
    return sorted(found, key=lambda s: (order.index(s) if s in order else len(order), s))


def cell(s: str):
    """A CSV cell as int, float, None (empty) or the text itself (e.g. a suppressed "<5")."""
    s = (s or "").strip()
    if s == "":
        return None
    try:
        return int(s)
    except ValueError:
        pass
    try:
        return float(s)
    except ValueError:
        return s


def read_table(path: Path) -> pd.DataFrame:
    """A tabell_<n>.csv as a frame indexed by `rad`, cells parsed by `cell`."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    df = df.set_index(df.columns[0])
    return df.map(cell).astype(object)


def relabel(column: str, year: int) -> str:
    """Year columns made relative to the build year: "<Y>" → "ar", "<Y-1>" → "foregaende_ar"."""
    if re.fullmatch(r"\d{4}", str(column)):
        off = int(column) - year
        return {0: "ar", -1: "foregaende_ar"}.get(off, f"ar{off:+d}")
    return str(column)


def scope_cells(folder: Path, year: int) -> dict[tuple[str, str, str], object]:
    """Every figure of one scope folder: (tabell, rad, kolumn) → value.

    nyckeltal.json gives ("nyckeltal", key, "varde"), each tabell_<n>.csv one cell per
    row and column (year columns relabelled, so different years line up)."""
    out: dict[tuple[str, str, str], object] = {}
    for k, v in read_json(folder / "nyckeltal.json").items():
        out[(NYCKELTAL, k, "varde")] = v
    for p in sorted(folder.glob("tabell_*.csv"), key=lambda p: int(re.sub(r"\D", "", p.stem) or 0)):
        t = read_table(p)
        for rad, row in t.iterrows():
            for col, v in row.items():
                out[(p.stem, str(rad), relabel(col, year))] = None if isinstance(v, float) and math.isnan(v) else v
    return out


def is_share(tabell: str, rad: str, kolumn: str) -> bool:
    """Shares: nyckeltal derived as a ratio (metrics.DERIVED, op kvot); table columns with "andel"."""
    if tabell == NYCKELTAL:
        return metrics.is_share(rad)
    return "andel" in kolumn


@dataclass
class Bygge:
    """What audit reads of one year: per scope nyckeltal, last year's, manifest."""

    root: Path
    year: int
    nyckeltal: dict[str, dict]
    foregaende: dict[str, dict | None]
    manifest: dict[str, dict | None]


def read_build(root: Path, year: int) -> Bygge:
    scopes = scopes_of(root, year)
    if not scopes:
        raise KaaError(f"Hittar inga byggda omfattningar under {Path(root) / str(year)} (nyckeltal.json).")
    nk, prev, man = {}, {}, {}
    for s in scopes:
        f = Path(root) / str(year) / s
        nk[s] = read_json(f / "nyckeltal.json")
        prev[s] = read_json(f / "nyckeltal_foregaende_ar.json") if (f / "nyckeltal_foregaende_ar.json").exists() else None
        man[s] = read_json(f / "manifest.json") if (f / "manifest.json").exists() else None
    return Bygge(Path(root), year, nk, prev, man)
