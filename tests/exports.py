"""A tiny, hand-made, VALID register export for tests (data-contract.md 1.3).

Use from any test (pytest puts tests/ on sys.path)::

    from exports import small_tables, write_small_export, write_tables

    data = write_small_export(tmp_path)                       # the valid export
    data = write_small_export(tmp_path, personer=frame)       # replace a table
    data = write_small_export(tmp_path, insatser=lambda df: df.iloc[:2])  # change one

`write_small_export(dir, **overrides) -> Path` writes `<table>.csv` for every table into
`dir` and returns `dir`. An override is keyed by table name and is either a DataFrame /
list of row dicts (the new table) or a function from the table (a copy, all cells
strings, '' = empty) to the new table. `small_tables()` gives the frames themselves and
`write_tables(dir, tables)` writes any such dict.

What is in it (6 persons, operating years 2022-2024; last date 2024-03-31):
- p01 K: two touching register periods (Bromma, under uppsök 2022-10-01 → 2023-05-31;
  then Farsta, open); reached 2023; jobbtorg 2023-02-01 → 2023-10-15 (arbete), Aim open.
- p02 M, born 29 Feb 2004: first period starts 2019-03-01 (15 by the 1 March rule);
  under uppsök in 2023, two unanswered attempts (sokta, not nadda).
- p03 K: period with empty stadsdel, under uppsök from 2023-02-01 (open); two touching
  jobbtorg rows (avslutad studier 2023-09-30, then open).
- p04 M: Södermalm, never under uppsök; contacted KAA itself (ungdom); jobbtorg
  avslutad 2024-02-29 (ovrigt); skolslussen 2023 (studier).
- p05 K: no register period; skolavhopp avslutad 2023-06-15 kvar_i_studier; contacted
  KAA (besvarat written `TRUE`).
- p06 M: Hässelby-Vällingby from 2023-12-01, under uppsök from 2023-12-15; reached
  2024-01-10; studiesteg1 2024.
- enkat 2023: fatt_hjalp answers 5, 4, 2 and one empty; 2024: one answer 3.
- befolkning: every stadsdel of params/jobbtorg.yml, K and M, for 2023 and 2024.
It raises no warnings. Person ids are pseudonyms `p01`..`p06`.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from kaa_report.contract.schema import COLUMNS
from kaa_report.params import all_stadsdelar

_ROWS: dict[str, list[tuple[str, ...]]] = {
    "personer": [
        ("p01", "K", "2006-03-15"),
        ("p02", "M", "2004-02-29"),
        ("p03", "K", "2007-11-30"),
        ("p04", "M", "2005-06-01"),
        ("p05", "K", "2008-01-20"),
        ("p06", "M", "2006-12-01"),
    ],
    "registerperioder": [
        ("p01", "2022-09-01", "2023-05-31", "Bromma", "2022-10-01"),
        ("p01", "2023-05-31", "", "Farsta", ""),
        ("p02", "2019-03-01", "2020-08-31", "Skärholmen", ""),
        ("p02", "2022-12-01", "2023-11-30", "Rinkeby-Kista", "2023-01-15"),
        ("p03", "2023-01-10", "", "", "2023-02-01"),
        ("p04", "2023-03-01", "2024-02-29", "Södermalm", ""),
        ("p06", "2023-12-01", "", "Hässelby-Vällingby", "2023-12-15"),
    ],
    "kontaktforsok": [
        ("p01", "2022-10-05", "brev", "kaa", "false"),
        ("p01", "2023-01-12", "telefon", "kaa", "true"),
        ("p02", "2023-02-01", "sms", "kaa", "false"),
        ("p02", "2023-02-10", "telefon", "kaa", "false"),
        ("p03", "2023-03-01", "hembesok", "kaa", "true"),
        ("p03", "2024-01-15", "mejl", "kaa", "false"),
        ("p04", "2023-04-01", "dropin", "ungdom", "true"),
        ("p06", "2024-01-10", "knackakort", "kaa", "true"),
        ("p05", "2023-09-01", "samverkan", "ungdom", "TRUE"),
    ],
    "sysselsattning": [
        ("p01", "2023-01-12", "ingen"),
        ("p03", "2023-03-01", "studier"),
        ("p04", "2023-04-01", "arbete"),
        ("p06", "2024-01-10", "sjuk"),
    ],
    "insatser": [
        ("p01", "jobbtorg", "2023-02-01", "2023-10-15", "arbete"),
        ("p01", "aim", "2023-02-15", "", ""),
        ("p03", "jobbtorg", "2023-04-01", "2023-09-30", "studier"),
        ("p03", "jobbtorg", "2023-09-30", "", ""),
        ("p04", "jobbtorg", "2023-04-15", "2024-02-29", "ovrigt"),
        ("p04", "skolslussen", "2023-05-01", "2023-08-31", "studier"),
        ("p05", "skolavhopp", "2023-01-10", "2023-06-15", "kvar_i_studier"),
        ("p06", "studiesteg1", "2024-01-20", "2024-03-31", "ej_aktuell"),
    ],
    "enkat": [
        ("2023", "s1", "fatt_hjalp", "5"),
        ("2023", "s2", "fatt_hjalp", "4"),
        ("2023", "s3", "fatt_hjalp", "2"),
        ("2023", "s4", "fatt_hjalp", ""),
        ("2023", "s1", "bemotande", "5"),
        ("2024", "s1", "fatt_hjalp", "3"),
    ],
}


def _befolkning() -> list[tuple[str, ...]]:
    """Every stadsdel (sorted), K then M, 2023 and 2024; made-up round numbers."""
    rows = []
    for ar in ("2023", "2024"):
        for i, sd in enumerate(sorted(all_stadsdelar())):
            rows.append((ar, sd, "K", str(1000 + 10 * i)))
            rows.append((ar, sd, "M", str(1050 + 10 * i)))
    return rows


def small_tables() -> dict[str, pd.DataFrame]:
    """The valid export as text frames (a fresh copy each call), contract column order."""
    rows = {**_ROWS, "befolkning": _befolkning()}
    return {t: pd.DataFrame(rows[t], columns=list(cols), dtype=str) for t, cols in COLUMNS.items()}


def write_tables(dir: Path, tables: dict[str, pd.DataFrame]) -> Path:
    """Write each frame as `<table>.csv` (UTF-8, comma, header) into dir; returns dir."""
    dir = Path(dir)
    dir.mkdir(parents=True, exist_ok=True)
    for t, df in tables.items():
        df.to_csv(dir / f"{t}.csv", index=False, encoding="utf-8")
    return dir


Override = pd.DataFrame | list[dict] | Callable[[pd.DataFrame], pd.DataFrame]


def write_small_export(dir: Path, **overrides: Override) -> Path:
    """Write the small valid export into dir, with tables replaced or changed by
    `overrides` (see the module docstring); returns dir."""
    tables = small_tables()
    for t, o in overrides.items():
        if t not in tables:
            raise KeyError(f"unknown table {t!r}")
        if callable(o):
            tables[t] = o(tables[t].copy())
        elif isinstance(o, pd.DataFrame):
            tables[t] = o
        else:
            tables[t] = pd.DataFrame(o, dtype=str)
    return write_tables(dir, tables)
