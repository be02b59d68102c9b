"""Everything one scope of one year needs, computed once: the scope's person facts and
nyckeltal for Y and Y-1, its Omfattade per earlier year and the city's survey. Tables,
diagrams and notebooks take a `ScopeFigures`; it holds no rows of the export, so it is small
to hand to a notebook."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..contract.export import Export
from ..contract.lookup import reindex
from ..contract.run import Run, resolve_run
from ..metrics import definitions as metrics
from ..metrics.scope import STAD, enhet_i_ar
from ..paths import PARAMS
from ..privacy.apply import figures_hidden, show_figures
from ..privacy.suppress import Hidden, SuppressionParams, load_params


@dataclass(frozen=True)
class ScopeFigures:
    run: Run  # the run's context: year, mapping in force, params folder
    scope: str
    namn: str  # "Stockholms stad" or the jobbtorg's name
    pf: pd.DataFrame  # personfakta for Y, scope members only
    pf_prev: pd.DataFrame  # personfakta for Y-1, members of the scope in Y-1
    nyckeltal: dict
    nyckeltal_prev: dict
    unit_kind: str  # "jobbtorg" or "stadsdel": the breakdown inside the scope
    units: list[tuple[str, str]]  # (key in pf[unit_kind], display name)
    units_prev: list[tuple[str, str]]  # the same for Y-1, in the organisation of Y-1
    omfattade_serie: pd.DataFrame  # Omfattade by kön per operating year up to Y (Diagram 1)
    enkat: dict  # the city-wide survey of Y (Diagram 8): metrics.enkat_nyckeltal
    suppression: SuppressionParams | None = None  # small-number suppression of published figures

    @property
    def year(self) -> int:
        return self.run.year

    @property
    def params_dir(self) -> Path:
        return self.run.params_dir

    @cached_property
    def hidden(self) -> tuple[Hidden, set]:
        """This year's hidden nyckeltal: (counts, primary and secondary; shares). Every
        output of the scope hides from these, so no two outputs hide different cells
        (computed once: suppression solves small integer programmes)."""
        return figures_hidden(self.nyckeltal, self.suppression.n) if self.suppression else (Hidden(), set())

    @cached_property
    def hidden_prev(self) -> tuple[Hidden, set]:
        """Last year's hidden nyckeltal."""
        return figures_hidden(self.nyckeltal_prev, self.suppression.n) if self.suppression else (Hidden(), set())

    def hidden_of(self, prev: bool = False) -> tuple[Hidden, set]:
        return self.hidden_prev if prev else self.hidden

    def sign(self, key: str, prev: bool = False):
        """The sign a nyckeltal shows in place of its value ("<5", ".."), or None when shown."""
        if self.suppression is None:
            return None
        hid, shares = self.hidden_of(prev)
        if key in shares:
            return self.suppression.secondary_label
        return hid.sign(key, self.suppression)

    @cached_property
    def shown(self) -> dict:
        """This year's nyckeltal as published: hidden ones show their sign."""
        if self.suppression is None:
            return self.nyckeltal
        return show_figures(self.nyckeltal, *self.hidden, self.suppression)

    @cached_property
    def shown_prev(self) -> dict:
        """Last year's nyckeltal as published."""
        if self.suppression is None:
            return self.nyckeltal_prev
        return show_figures(self.nyckeltal_prev, *self.hidden_prev, self.suppression)

    @property
    def city(self) -> bool:
        return self.scope == STAD


def _members(pf: pd.DataFrame, scope: str) -> pd.DataFrame:
    """A scope's rows of the city's person facts: a person and all their rows belong to
    their jobbtorg of the year, so this equals the facts of the scope's own export."""
    return pf if scope == STAD else pf[pf["jobbtorg"] == scope]


def _units_prev(run: Run, scope: str, fallback: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The scope's breakdown in the organisation of Y-1 (`fallback` when it had no such scope)."""
    try:
        return run.previous.units_of_scope(scope)[1]
    except KeyError:  # the scope did not exist in the organisation of that year
        return fallback


def run_figures(d: Export, run: Run, scopes: list[str]) -> dict[str, ScopeFigures]:
    """The figures of several scopes of a run for Y and Y-1, from one computation of the
    city's person facts per year; suppression as the run says (Run.suppressed)."""
    return {sf.scope: sf for sf in iter_run_figures(d, run, scopes)}


def iter_run_figures(d: Export, run: Run, scopes: list[str]) -> Iterator[ScopeFigures]:
    """run_figures one scope at a time, in the order of `scopes` (a build starts a
    scope's notebook as soon as its figures are ready)."""
    pf_all = metrics.personfakta(d, run)
    pf_prev_all = metrics.personfakta(d, run.previous)
    enkat = metrics.enkat_nyckeltal(d, run.year)
    first = min(first_year(d, run.year), run.year)  # Diagram 1's first year
    earlier = omfattade_earlier(d, run, first)
    for scope in scopes:
        city = scope == STAD
        pf, pf_prev = _members(pf_all, scope), _members(pf_prev_all, scope)
        kind, units = run.units_of_scope(scope)
        nt = metrics.nyckeltal(d, run.year, city=city, pf=pf)
        nt_prev = metrics.nyckeltal(d, run.year - 1, city=city, pf=pf_prev)
        yield ScopeFigures(
            run=run, scope=scope, namn=run.scope_name(scope),
            pf=pf, pf_prev=pf_prev, nyckeltal=nt, nyckeltal_prev=nt_prev,
            unit_kind=kind, units=units, units_prev=_units_prev(run, scope, units),
            omfattade_serie=omfattade_per_ar(run, scope, first, {run.year: nt, run.year - 1: nt_prev}, earlier),
            enkat=enkat,
            suppression=load_params(run.params_dir) if run.suppressed(scope) else None,
        )


def all_scope_figures(d: Export, year: int, scopes: list[str], params_dir: Path = PARAMS,
                      suppress: bool | None = None) -> dict[str, ScopeFigures]:
    """run_figures for a year. Suppression applies below city level unless `suppress` says
    otherwise (True for the city too, False for none)."""
    figures = run_figures(d, resolve_run(year, params_dir, suppress_city=bool(suppress)), scopes)
    if suppress is False:
        return {s: replace(sf, suppression=None) for s, sf in figures.items()}
    return figures


def scope_figures(d: Export, year: int, scope: str, params_dir: Path = PARAMS, suppress: bool | None = None) -> ScopeFigures:
    """The figures of one scope for Y and Y-1 (see all_scope_figures)."""
    return all_scope_figures(d, year, [scope], params_dir, suppress)[scope]


def first_year(d: Export, default: int) -> int:
    """The first operating year with a register period in the data (default when there is none)."""
    fran = d.registerperioder["fran"].min()
    if pd.isna(fran):
        return default
    return int(fran.year + (1 if fran.month == 12 else 0))


def omfattade_earlier(d: Export, run: Run, first: int) -> dict[int, pd.DataFrame]:
    """For each operating year from `first` to Y-2: its omfattade persons (index person_id)
    with their kön and their jobbtorg in the organisation in force that year (Run.of_year).
    Computed once for all scopes of a run: omfattade is a property of a person's own
    register periods, so a scope's omfattade are the city's that belong to it."""
    kon, out = d.kon(), {}
    for y in range(first, run.year - 1):
        ids = metrics.omfattade(d, y)
        out[y] = pd.DataFrame({"kon": reindex(kon, ids), "jobbtorg": reindex(enhet_i_ar(d, run.of_year(y))["jobbtorg"], ids)})
    return out


def omfattade_per_ar(run: Run, scope: str, first: int, known: dict[int, dict], earlier: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """Omfattade by kön for every operating year from `first` (the data's first) to Y
    (Diagram 1). Membership of the scope is taken per year, in the organisation in force
    then (Run.of_year); `known` holds the nyckeltal of Y and Y-1, `earlier` the omfattade of
    the years before (omfattade_earlier). A year whose organisation has no such scope is left out."""
    rows = []
    for y in range(first, run.year + 1):
        if y in known:
            counts = {k: known[y][f"omfattade_{k.lower()}"] for k in ("K", "M")}
        else:
            if scope != STAD:
                try:
                    run.of_year(y).unit(scope)
                except KeyError:  # the scope did not exist in the organisation of that year
                    continue
            e = earlier[y] if scope == STAD else earlier[y][earlier[y]["jobbtorg"] == scope]
            counts = {k: int((e["kon"] == k).sum()) for k in ("K", "M")}
        rows += [{"ar": y, "kon": k, "omfattade": n} for k, n in counts.items()]
    return pd.DataFrame(rows, columns=["ar", "kon", "omfattade"])
