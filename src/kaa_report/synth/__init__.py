"""A synthetic register export (data-contract.md), deterministic for a seed.

STEP 1 version: plain random but plausible and valid. Every person lives inside one
operating year (register period, contacts, insatser all dated in that year), so the
figures of one year do not leak into another.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from .config import mapping_for
from .schema import COLUMNS

YEARS = range(2019, 2026)
SUBSTITUTE_OMFATTADE = {2019: 6600, 2020: 6800, 2021: 6950, 2022: 7154, 2023: 7546, 2024: 8250, 2025: 8362}


def _ystart(y: int) -> date:
    return date(y - 1, 12, 1)


def _iso(d: date | None) -> str:
    return "" if d is None else d.isoformat()


def _simple(seed: int) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    m = mapping_for(2023)
    stadsdelar = list(m.stadsdelar) + [""]
    rows = {t: [] for t in COLUMNS}
    n = 0
    for y in YEARS:
        for _ in range(SUBSTITUTE_OMFATTADE[y]):
            n += 1
            pid = f"P{n:06d}"
            kon = "M" if rng.random() < 0.53 else "K"
            fran = _ystart(y) + timedelta(days=int(rng.integers(0, 300)))
            age = int(rng.integers(15, 20))
            fodd = date(fran.year - age, fran.month, min(fran.day, 28)) - timedelta(days=int(rng.integers(1, 330)))
            till = fran + timedelta(days=int(rng.integers(20, 364 - (fran - _ystart(y)).days)))
            uppsok = fran + timedelta(days=14) if rng.random() < 0.8 and fran + timedelta(days=14) <= till else None
            rows["personer"].append({"person_id": pid, "kon": kon, "fodelsedatum": _iso(fodd)})
            rows["registerperioder"].append({"person_id": pid, "fran": _iso(fran), "till": _iso(till),
                                             "stadsdel": stadsdelar[int(rng.integers(0, len(stadsdelar)))],
                                             "uppsok_fran": _iso(uppsok)})
            if uppsok is not None:
                span = (till - uppsok).days
                for _ in range(int(rng.integers(1, 6))):
                    svar = rng.random() < 0.3
                    rows["kontaktforsok"].append({
                        "person_id": pid, "datum": _iso(uppsok + timedelta(days=int(rng.integers(0, span + 1)))),
                        "kanal": ["telefon", "brev", "sms", "hembesok"][int(rng.integers(0, 4))],
                        "initiativ": "kaa", "besvarat": "true" if svar else "false"})
                if rng.random() < 0.2:
                    rows["sysselsattning"].append({"person_id": pid, "datum": _iso(till),
                                                   "sysselsattning": ["ingen", "arbete", "studier"][int(rng.integers(0, 3))]})
                if rng.random() < 0.15:
                    av = None if y == 2025 and rng.random() < 0.5 else till
                    rows["insatser"].append({"person_id": pid, "verksamhet": "jobbtorg", "inskriven": _iso(uppsok),
                                             "avslutad": _iso(av),
                                             "avslutsorsak": "" if av is None else ["studier", "arbete", "ovrigt"][int(rng.integers(0, 3))]})
        for i in range(50):
            rows["enkat"].append({"ar": str(y), "svar_id": f"S{y}-{i:03d}", "fraga": "fatt_hjalp",
                                  "svar": str(int(rng.integers(1, 6)))})
        for s in stadsdelar[:-1]:
            for k in ("K", "M"):
                rows["befolkning"].append({"ar": str(y), "stadsdel": s, "kon": k, "antal_16_19": str(int(rng.integers(800, 2500)))})
    return {t: pd.DataFrame(r, columns=list(COLUMNS[t]), dtype=str) for t, r in rows.items()}


def write_tables(tables: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write each table as <table>.csv (UTF-8, comma, '\\n' line ends, empty = missing)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for t, cols in COLUMNS.items():
        p = out / f"{t}.csv"
        tables[t][list(cols)].to_csv(p, index=False, encoding="utf-8", lineterminator="\n")
        paths.append(p)
    return paths


def write_synthetic_export(out: Path, seed: int = 2023) -> list[Path]:
    """Write the synthetic export (all operating years 2019-2025) to `out`; returns the files."""
    return write_tables(_simple(seed), out)
