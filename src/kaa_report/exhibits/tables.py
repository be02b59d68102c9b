"""Tabell 1-6 of the report as data frames (layout in docs/outputs.md).

Every cell is a nyckeltal or a per-unit count from `metrics`; shares are unrounded."""
from __future__ import annotations

import pandas as pd

from ..contract.labels import KON, VERKSAMHET
from ..metrics import definitions as metrics
from . import registry
from .figures import ScopeFigures

TABELL_5_COLUMNS = {
    "inskrivna": "inskrivna",
    "avslutade": "avslutade",
    "andel_avslutade": "avslutade_andel",
    "studier_antal": "avslutade_studier",
    "studier_andel": "studier_andel",
    "arbete_antal": "avslutade_arbete",
    "arbete_andel": "arbete_andel",
    "studier_arbete_antal": "avslutade_studier_arbete",
    "studier_arbete_andel": "studier_arbete_andel",
}
# share column -> (count column, denominator column): used by suppression and audit
TABELL_5_SHARES = {
    "andel_avslutade": ("avslutade", "inskrivna"),
    "studier_andel": ("studier_antal", "avslutade"),
    "arbete_andel": ("arbete_antal", "avslutade"),
    "studier_arbete_andel": ("studier_arbete_antal", "avslutade"),
}


KON_SUFFIX = {KON["K"]: "_k", KON["M"]: "_m", "Totalt": ""}  # a kön column or row → the key's suffix


def _by_kon(nt: dict, key: str) -> list[int]:
    return [nt[f"{key}_k"], nt[f"{key}_m"], nt[key]]


def tabell_1(sf: ScopeFigures) -> pd.DataFrame:
    """Omfattade by kön, Y-1 and Y."""
    return pd.DataFrame({
        "rad": [KON["K"], KON["M"], "Totalt"],
        str(sf.year - 1): _by_kon(sf.nyckeltal_prev, "omfattade"),
        str(sf.year): _by_kon(sf.nyckeltal, "omfattade"),
    })


# Row label → nyckeltal key, as the registry's `rows` names them (exhibits/registry.py)
OMFATTADE_ROWS = {label: "omfattade" + suf for label, suf in KON_SUFFIX.items()}  # Tabell 1
UPPSOK_ROWS = {"Ej nådda": "ej_nadda", "Nådda": "nadda", "Sökta totalt": "sokta"}  # Tabell 2/3 (+ the kön column's suffix)
VERKSAMHET_ROWS = {name: metrics.VERKSAMHET_PREFIX[v] + "inskrivna" for v, name in VERKSAMHET.items()}  # Tabell 4


def tabell_uppsok(nt: dict) -> pd.DataFrame:
    """Tabell 2 (Y) / 3 (Y-1): ej nådda, nådda and sökta by kön."""
    data = [[label, *_by_kon(nt, key)] for label, key in UPPSOK_ROWS.items()]
    return pd.DataFrame(data, columns=["rad", KON["K"], KON["M"], "Totalt"])


def tabell_2(sf: ScopeFigures) -> pd.DataFrame:
    return tabell_uppsok(sf.nyckeltal)


def tabell_3(sf: ScopeFigures) -> pd.DataFrame:
    return tabell_uppsok(sf.nyckeltal_prev)


def tabell_4(sf: ScopeFigures) -> pd.DataFrame:
    """Persons per verksamhet (inskrivna), Skolslussen included, skolavhopp not; Y-1 and Y."""
    return pd.DataFrame({
        "rad": list(VERKSAMHET_ROWS),
        str(sf.year - 1): [sf.nyckeltal_prev[k] for k in VERKSAMHET_ROWS.values()],
        str(sf.year): [sf.nyckeltal[k] for k in VERKSAMHET_ROWS.values()],
    })


def tabell_resultat(pf: pd.DataFrame, by: str, total: dict, units: list[tuple[str, str]]) -> pd.DataFrame:
    """Tabell 5 (Y) / 6 (Y-1): results per unit of the scope and Totalt."""
    per_unit = metrics.counts_by(pf, by, [key for key, _ in units])
    rows = []
    for key, name in units:
        rows.append({"rad": name, **{c: per_unit[key][k] for c, k in TABELL_5_COLUMNS.items()}})
    rows.append({"rad": "Totalt", **{c: total[k] for c, k in TABELL_5_COLUMNS.items()}})
    return pd.DataFrame(rows)


def tabell_5(sf: ScopeFigures) -> pd.DataFrame:
    return tabell_resultat(sf.pf, sf.unit_kind, sf.nyckeltal, sf.units)


def tabell_6(sf: ScopeFigures) -> pd.DataFrame:
    return tabell_resultat(sf.pf_prev, sf.unit_kind, sf.nyckeltal_prev, sf.units_prev)


def _years(sf: ScopeFigures) -> list[str]:
    return [str(sf.year - 1), str(sf.year)]


def figure_key(n: int, year: int, rad: str, col: str) -> tuple[str, bool]:
    """The nyckeltal a cell of a table read back by year or kön columns (Tabell 1-4) shows, as
    (key, last year?): the table's read-back in the registry."""
    e = registry.table(n)
    if e.read_back == "ar":
        return e.row_keys()[rad], col == str(year - 1)
    if e.read_back == "kon":
        return e.row_keys()[rad] + KON_SUFFIX[col], e.year == "foregaende_ar"
    raise ValueError(f"{e.name}: cellerna läses inte per år eller kön ({e.shape})")


T56_COUNTS = [c for c in TABELL_5_COLUMNS if c not in TABELL_5_SHARES]


def _suppress_resultat(df: pd.DataFrame, sf: ScopeFigures, n: int) -> pd.DataFrame:
    """Tabell 5/6: the units' cells suppressed as one table whose Totalt row is the scope's
    nyckeltal, hidden or shown exactly as everywhere else in the scope's outputs."""
    from ..privacy.apply import apply_hidden, table_hidden

    hid, _ = sf.hidden_of(prev=n == 6)
    fixed_shown, fixed_hidden = set(), set()
    for c in T56_COUNTS:
        key = TABELL_5_COLUMNS[c]
        (fixed_hidden if key in hid else fixed_shown).add(("Totalt", c))
    h = table_hidden(df, T56_COUNTS, n=sf.suppression.n, total_rows={"Totalt": None},
                     total_cols={"studier_arbete_antal": ["studier_antal", "arbete_antal"]},
                     shown=fixed_shown, hidden=fixed_hidden)
    return apply_hidden(df, h, sf.suppression, T56_COUNTS, shares=TABELL_5_SHARES)


def _suppress_by_nyckeltal(df: pd.DataFrame, sf: ScopeFigures, n: int) -> pd.DataFrame:
    """Tabell 1-4: every cell is a nyckeltal, hidden with the sign it has everywhere in the
    scope's outputs (the scope's nyckeltal are suppressed once, see figures.ScopeFigures)."""
    out = df.astype({c: object for c in df.columns[1:]})
    for i, rad in zip(df.index, df["rad"]):
        for c in df.columns[1:]:
            key, prev = figure_key(n, sf.year, rad, c)
            sign = sf.sign(key, prev)
            if sign is not None:
                out.at[i, c] = sign
    return out


# How a table of each shape (its entry in registry.py) is suppressed: a function of the
# table, the scope's figures and the table's number.
SUPPRESSION = {"kon_per_ar": _suppress_by_nyckeltal, "per_ar": _suppress_by_nyckeltal,
               "uppsok": _suppress_by_nyckeltal, "resultat": _suppress_resultat}



def published(n: int, sf: ScopeFigures) -> pd.DataFrame:
    """Tabell n as published: with suppression, a primary cell shows "<5", a secondary cell
    and a hidden share ".." (see kaa_report.privacy.suppress)."""
    entry = registry.table(n)
    df = entry.build()(sf)
    if sf.suppression is None:
        return df
    return SUPPRESSION[entry.shape](df, sf, n)


def read_table(path) -> pd.DataFrame:
    """A table of a build read back as text, exactly as written (so "<5", ".." and empty
    cells survive)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
