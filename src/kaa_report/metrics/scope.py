"""Who belongs where in an operating year: stadsdel, jobbtorg, and the scope of a run."""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..contract.export import Export
from ..contract.lookup import isin, reindex
from ..contract.period import overlaps, year_end
from ..contract.run import Run, as_run
from ..contract.schema import ROW
from ..params import STAD
from ..paths import PARAMS


def _latest_by_fran(periods: pd.DataFrame) -> pd.Series:
    """person_id → stadsdel of the latest-starting period (tie: the later row in the file)."""
    last = periods.sort_values(["fran", ROW]).groupby("person_id", sort=False).tail(1)
    return last.set_index("person_id")["stadsdel"]


def stadsdel_i_ar(d: Export, year: int, saknar: str) -> pd.Series:
    """A person's stadsdel in Y (contract, "Scope").

    The stadsdel of their latest-starting register period that overlaps Y; if none
    overlaps Y, of their latest-starting period that starts on or before 30 Nov Y; with
    no such period, or an empty stadsdel, the person belongs to `saknar`.
    Returns a Series over every person in personer.
    """
    rp = d.registerperioder
    over = rp[overlaps(rp["fran"], rp["till"], year)]
    earlier = rp[(rp["fran"] <= year_end(year)) & ~isin(rp["person_id"], over["person_id"])]
    chosen = pd.concat([_latest_by_fran(over), _latest_by_fran(earlier)])
    out = reindex(chosen, d.personer["person_id"]).fillna("")
    return out.where(out != "", saknar).rename("stadsdel")


def enhet_i_ar(d: Export, run: Run | int, params_dir: Path = PARAMS) -> pd.DataFrame:
    """Per person: stadsdel and jobbtorg slug in Y (index person_id). `run`: the Run of Y,
    or Y itself (resolved against params_dir)."""
    run = as_run(run, params_dir)
    m = run.mapping
    sd = stadsdel_i_ar(d, run.year, m.saknar.namn)
    codes, names = pd.factorize(sd, use_na_sentinel=False)  # map the few stadsdel names, not a million texts
    slugs = pd.Series(names).map(m.slug_of_stadsdel())
    slug = pd.Series(slugs.to_numpy()[codes], index=sd.index, name=sd.name, dtype=slugs.dtype).fillna(m.saknar.slug)
    return pd.DataFrame({"stadsdel": sd, "jobbtorg": slug})


def persons_in_scope(d: Export, run: Run | int, scope: str, params_dir: Path = PARAMS) -> pd.Index:
    """The person_ids of a scope in Y ('stad' = everyone)."""
    if scope == STAD:
        return pd.Index(d.personer["person_id"])
    run = as_run(run, params_dir)
    run.unit(scope)  # KeyError for an unknown slug
    e = enhet_i_ar(d, run)
    return e.index[e["jobbtorg"] == scope]


def scope_export(d: Export, run: Run | int, scope: str, params_dir: Path = PARAMS) -> Export:
    """The export restricted to a scope: a person and all their rows follow their jobbtorg in Y."""
    if scope == STAD:
        return d
    return d.restrict(persons_in_scope(d, run, scope, params_dir))

