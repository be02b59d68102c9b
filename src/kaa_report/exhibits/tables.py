"""Tabell 1-6 of the report as data frames (layout in docs/outputs.md).

Every cell is a nyckeltal or a per-unit count from `metrics`; shares are unrounded."""
from __future__ import annotations

import pandas as pd

from ..metrics import definitions as metrics
from . import registry
from .figures import ScopeFigures
from ..contract.labels import KON, VERKSAMHET

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


def _by_kon(nt: dict, key: str) -> list[int]:
    return [nt[f"{key}_k"], nt[f"{key}_m"], nt[key]]


def tabell_1(sf: ScopeFigures) -> pd.DataFrame:
    """Omfattade by kön, Y-1 and Y."""
    return pd.DataFrame({
        "rad": [KON["K"], KON["M"], "Totalt"],
        str(sf.year - 1): _by_kon(sf.nyckeltal_prev, "omfattade"),
        str(sf.year): _by_kon(sf.nyckeltal, "omfattade"),
    })


UPPSOK_ROWS = {"Ej nådda": "ej_nadda", "Nådda": "nadda", "Sökta totalt": "sokta"}  # Tabell 2/3 row → key
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


# How a table's cells add up: the arguments of suppress.suppress_table, by the shape each
# table's entry in registry.py names.
def _spec_kon_per_ar(sf: ScopeFigures) -> dict:
    return {"count_cols": _years(sf), "total_rows": {"Totalt": [KON["K"], KON["M"]]}}


def _spec_per_ar(sf: ScopeFigures) -> dict:
    return {"count_cols": _years(sf)}


def _spec_uppsok(sf: ScopeFigures) -> dict:
    return {"count_cols": [KON["K"], KON["M"], "Totalt"], "total_rows": {"Sökta totalt": ["Ej nådda", "Nådda"]},
            "total_cols": {"Totalt": [KON["K"], KON["M"]]}}


def _spec_resultat(sf: ScopeFigures) -> dict:
    counts = [c for c in TABELL_5_COLUMNS if c not in TABELL_5_SHARES]
    return {"count_cols": counts, "total_rows": {"Totalt": None},
            "total_cols": {"studier_arbete_antal": ["studier_antal", "arbete_antal"]}, "shares": TABELL_5_SHARES}


SUPPRESSION = {"kon_per_ar": _spec_kon_per_ar, "per_ar": _spec_per_ar, "uppsok": _spec_uppsok, "resultat": _spec_resultat}


def published(n: int, sf: ScopeFigures) -> pd.DataFrame:
    """Tabell n as published: small-number suppression applied when the scope asks for it."""
    entry = registry.table(n)
    df = entry.build()(sf)
    if sf.suppression is None:
        return df
    from ..privacy.suppress import suppress_table

    spec = SUPPRESSION[entry.shape](sf)
    return suppress_table(df, n=sf.suppression.n, label=sf.suppression.hidden_label, **spec)
