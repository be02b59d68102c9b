"""Everything one scope of one year needs, computed once: the scoped exports for Y and Y-1,
their person facts and nyckeltal. Tables, diagrams and notebooks take a `ScopeFigures`."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import metrics
from .load import Export
from .paths import PARAMS
from .period import year_end
from .suppress import SuppressionParams, load_params, suppress_figures
from .scope import STAD, scope_export, scope_name, units_of_scope


@dataclass(frozen=True)
class ScopeFigures:
    year: int
    scope: str
    namn: str  # "Stockholms stad" or the jobbtorg's name
    export: Export  # the whole export (for the per-year series and the city-wide survey)
    pf: pd.DataFrame  # personfakta for Y, scope members only
    pf_prev: pd.DataFrame  # personfakta for Y-1, members of the scope in Y-1
    nyckeltal: dict
    nyckeltal_prev: dict
    unit_kind: str  # "jobbtorg" or "stadsdel": the breakdown inside the scope
    units: list[tuple[str, str]]  # (key in pf[unit_kind], display name)
    params_dir: Path
    suppression: SuppressionParams | None = None  # small-number suppression of published figures

    def visible(self, nt: dict) -> dict:
        """The figures as published: with suppression, small counts, the counts that would
        reveal them and their shares show the label ("<5")."""
        if self.suppression is None:
            return nt
        return suppress_figures(nt, self.suppression.n, self.suppression.hidden_label)

    @property
    def city(self) -> bool:
        return self.scope == STAD


def _year_figures(d: Export, year: int, scope: str, params_dir: Path) -> tuple[pd.DataFrame, dict]:
    ds = scope_export(d, year, scope, params_dir)
    pf = metrics.personfakta(ds, year, params_dir)
    return pf, metrics.nyckeltal(ds, year, city=scope == STAD, params_dir=params_dir, pf=pf)


def scope_figures(d: Export, year: int, scope: str, params_dir: Path = PARAMS, suppress: bool | None = None) -> ScopeFigures:
    """Compute the figures of one scope for Y and Y-1. Suppression applies below city level
    unless `suppress` says otherwise (True for the city too, False for none)."""
    pf, nt = _year_figures(d, year, scope, params_dir)
    pf_prev, nt_prev = _year_figures(d, year - 1, scope, params_dir)
    kind, units = units_of_scope(year, scope, params_dir)
    return ScopeFigures(
        year=year, scope=scope, namn=scope_name(year, scope, params_dir), export=d,
        pf=pf, pf_prev=pf_prev, nyckeltal=nt, nyckeltal_prev=nt_prev,
        unit_kind=kind, units=units, params_dir=params_dir,
        suppression=load_params(params_dir) if (scope != STAD if suppress is None else suppress) else None,
    )


def first_year(d: Export) -> int:
    """The first operating year with a register period in the data."""
    fran = d.registerperioder["fran"].min()
    return int(fran.year + (1 if fran.month == 12 else 0))


def omfattade_per_ar(sf: ScopeFigures) -> pd.DataFrame:
    """Omfattade by kön for every operating year in the data up to Y (Diagram 1).
    Membership of the scope is taken per year."""
    rows = []
    for y in range(first_year(sf.export), sf.year + 1):
        if year_end(y) < sf.export.registerperioder["fran"].min():
            continue
        try:
            ds = scope_export(sf.export, y, sf.scope, sf.params_dir)
        except KeyError:  # the scope did not exist in the organisation of that year
            continue
        ids = metrics.omfattade(ds, y)
        kon = ds.kon().reindex(ids)
        for k in ("K", "M"):
            rows.append({"ar": y, "kon": k, "omfattade": int((kon == k).sum())})
    return pd.DataFrame(rows)
