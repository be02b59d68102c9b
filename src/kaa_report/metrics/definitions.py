"""Every nyckeltal of the report, defined once.

Each base figure is a function of (export, operating year) whose docstring opens with
its Swedish name and quotes the definition in data-contract.md. Person figures return
the set of person_ids that meet the definition; counts, splits by kön and splits by
jobbtorg or stadsdel are all taken from those sets (`personfakta`), so a table, a
diagram, the prose, diff and audit cannot disagree. Shares and other figures derived
from counts are declared in `DERIVED` and computed by one function, `derive`.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Container, Iterator

import numpy as np
import pandas as pd

from ..contract.export import Export
from ..contract.labels import VERKSAMHET
from ..contract.lookup import isin, reindex
from ..contract.period import dated_in, overlaps
from ..contract.run import Run, as_run
from ..contract.schema import AVSLUTSORSAK_SKOLAVHOPP, FRAGA_FATT_HJALP, KON, ROW
from ..paths import PARAMS
from .scope import enhet_i_ar

# ---------------------------------------------------------------- registry


@dataclass(frozen=True)
class Metric:
    id: str
    namn: str  # Swedish name as published
    func: Callable
    definition: str  # the first paragraph of the docstring
    city_only: bool = False


METRICS: dict[str, Metric] = {}


def metric(id: str, namn: str, city_only: bool = False):
    def wrap(f):
        doc = (f.__doc__ or "").strip()
        if not doc:
            raise ValueError(f"metric {id} has no definition")
        METRICS[id] = Metric(id, namn, f, doc.split("\n\n")[0], city_only)
        return f
    return wrap


# ---------------------------------------------------------------- helpers

VERKSAMHET_PREFIX = {"jobbtorg": "", "aim": "aim_", "studiesteg1": "studiesteg1_", "ungvux": "ungvux_", "skolslussen": "skolslussen_"}


def _ids(df: pd.DataFrame) -> pd.Index:
    return pd.Index(df["person_id"].unique(), name="person_id")


def _pick(df: pd.DataFrame, date_col: str, latest: bool) -> pd.DataFrame:
    """One row per person: the latest (tie: later in file) or earliest (tie: earlier in file) by date_col."""
    s = df.sort_values([date_col, ROW], kind="stable")
    g = s.groupby("person_id", sort=False)
    return (g.tail(1) if latest else g.head(1)).set_index("person_id")


# ---------------------------------------------------------------- uppsök


@metric("omfattade", "Omfattade av KAA")
def omfattade(d: Export, year: int) -> pd.Index:
    """Omfattade: persons with a register period overlapping Y.

    Tabell 1 shows them by kön (`omfattade_k`, `omfattade_m`)."""
    rp = d.registerperioder
    return _ids(rp[overlaps(rp["fran"], rp["till"], year)])


@metric("nadda", "Nådda")
def nadda(d: Export, year: int) -> pd.Index:
    """Nådda: persons with at least one kontaktforsok dated in Y whose `besvarat` is true
    (an answered attempt, or contact the youth made first)."""
    k = d.kontaktforsok
    return _ids(k[dated_in(k["datum"], year) & k["besvarat"]])


@metric("sokta", "Sökta")
def sokta(d: Export, year: int) -> pd.Index:
    """Sökta: the persons in nadda, plus the persons with at least one kontaktforsok dated in Y
    and a register period whose under-uppsök interval, from `uppsok_fran` to `till` (open
    when `till` is empty), overlaps Y.

    The two conditions are separate: the attempt need not fall inside the interval."""
    k = d.kontaktforsok
    contacted = _ids(k[dated_in(k["datum"], year)])
    rp = d.registerperioder
    rp = rp[rp["uppsok_fran"].notna()]
    uppsok = _ids(rp[overlaps(rp["uppsok_fran"], rp["till"], year)])
    return nadda(d, year).union(contacted.intersection(uppsok))


@metric("kontaktforsok", "Kontaktförsök")
def kontaktforsok(d: Export, year: int) -> pd.Series:
    """Kontaktförsök: the number of kontaktforsok rows with `initiativ = kaa` dated in Y.

    Returned per person (rows per person_id) so that it splits by scope like the rest."""
    k = d.kontaktforsok
    rows = k[dated_in(k["datum"], year) & (k["initiativ"] == "kaa")]
    return rows.groupby("person_id").size()


def sysselsattning_vid_forsta_kontakt(d: Export, year: int) -> pd.Series:
    """Sysselsättning vid första kontakt: for each person in nadda, their earliest
    sysselsattning row dated in Y (tie: the row earlier in the file). person_id → category."""
    s = d.sysselsattning
    s = s[dated_in(s["datum"], year) & isin(s["person_id"], nadda(d, year))]
    return _pick(s, "datum", latest=False)["sysselsattning"]


@metric("nadda_med_sysselsattning", "Nådda med registrerad sysselsättning")
def nadda_med_sysselsattning(d: Export, year: int) -> pd.Index:
    """Nådda med sysselsättningsuppgift: persons in nadda who have a sysselsattning row dated in Y
    (the denominator of sysselsatta_andel)."""
    return pd.Index(sysselsattning_vid_forsta_kontakt(d, year).index)


@metric("sysselsatta", "Nådda som hade sysselsättning")
def sysselsatta(d: Export, year: int) -> pd.Index:
    """Sysselsatta vid första kontakt: persons in nadda whose earliest sysselsattning row dated
    in Y is not `ingen` (every category but `ingen` counts as occupied)."""
    s = sysselsattning_vid_forsta_kontakt(d, year)
    return pd.Index(s.index[s != "ingen"])


# ---------------------------------------------------------------- insatser


def _rows(d: Export, verksamhet: str) -> pd.DataFrame:
    i = d.insatser
    return i[i["verksamhet"] == verksamhet]


def inskrivna(d: Export, year: int, verksamhet: str = "jobbtorg") -> pd.Index:
    """Inskrivna: persons with a `jobbtorg` row of insatser overlapping Y (per verksamhet:
    that verksamhet's rows)."""
    r = _rows(d, verksamhet)
    return _ids(r[overlaps(r["inskriven"], r["avslutad"], year)])


def nyinskrivna(d: Export, year: int, verksamhet: str = "jobbtorg") -> pd.Index:
    """Nyinskrivna: persons with a `jobbtorg` row with `inskriven` dated in Y."""
    r = _rows(d, verksamhet)
    return _ids(r[dated_in(r["inskriven"], year)])


def avslutsorsak(d: Export, year: int, verksamhet: str = "jobbtorg") -> pd.Series:
    """Avslutsorsak i år: for each person with a row with `avslutad` dated in Y, the
    avslutsorsak of their latest such row (by avslutad; tie: later in the file)."""
    r = _rows(d, verksamhet)
    r = r[dated_in(r["avslutad"], year)]
    return _pick(r, "avslutad", latest=True)["avslutsorsak"]


def avslutade(d: Export, year: int, verksamhet: str = "jobbtorg") -> pd.Index:
    """Avslutade: persons with a `jobbtorg` row with `avslutad` dated in Y."""
    return pd.Index(avslutsorsak(d, year, verksamhet).index)


def avslutade_studier(d: Export, year: int, verksamhet: str = "jobbtorg") -> pd.Index:
    """Avslutade till studier: avslutade whose avslutsorsak in Y is `studier`."""
    a = avslutsorsak(d, year, verksamhet)
    return pd.Index(a.index[a == "studier"])


def avslutade_arbete(d: Export, year: int, verksamhet: str = "jobbtorg") -> pd.Index:
    """Avslutade till arbete: avslutade whose avslutsorsak in Y is `arbete`."""
    a = avslutsorsak(d, year, verksamhet)
    return pd.Index(a.index[a == "arbete"])


_INSATS_METRICS = (
    ("inskrivna", "Inskrivna", inskrivna),
    ("nyinskrivna", "Nyinskrivna", nyinskrivna),
    ("avslutade", "Avslutade", avslutade),
    ("avslutade_studier", "Avslutade till studier", avslutade_studier),
    ("avslutade_arbete", "Avslutade till arbete", avslutade_arbete),
)
_VERKSAMHET_NAMN = {v: "" if v == "jobbtorg" else f" ({name})" for v, name in VERKSAMHET.items()}


def _bind(f: Callable, verksamhet: str) -> Callable:
    def bound(d: Export, year: int) -> pd.Index:
        return f(d, year, verksamhet)
    doc = f.__doc__ or ""
    if verksamhet != "jobbtorg":
        doc = doc.replace("a `jobbtorg` row", f"a `{verksamhet}` row") + (
            f"\n\nPer verksamhet: the same count over the `{verksamhet}` rows of insatser alone.")
    bound.__doc__ = doc
    bound.__name__ = f"{f.__name__}_{verksamhet}"
    return bound


# Tabell 4 needs inskrivna and nyinskrivna for every verksamhet; the full set of
# result figures is kept for jobbtorg (Tabell 5/6) and Aim (Diagram 7).
for _v, _prefix in VERKSAMHET_PREFIX.items():
    for _id, _namn, _f in _INSATS_METRICS:
        if _v in ("jobbtorg", "aim") or _id in ("inskrivna", "nyinskrivna"):
            metric(_prefix + _id, _namn + _VERKSAMHET_NAMN[_v])(_bind(_f, _v))


@metric("skolavhopp_avslutade", "Avslutade ärenden, förebygga skolavhopp", city_only=True)
def skolavhopp_avslutade(d: Export, year: int) -> pd.Index:
    """Skolavhopp avslutade: persons with a `skolavhopp` row with `avslutad` dated in Y (city-wide only)."""
    return avslutade(d, year, "skolavhopp")


@metric("skolavhopp_kvar_i_studier", "Kvar i studier efter avslutat ärende", city_only=True)
def skolavhopp_kvar_i_studier(d: Export, year: int) -> pd.Index:
    """Skolavhopp kvar i studier: those in skolavhopp_avslutade whose latest such row has
    avslutsorsak `kvar_i_studier` (city-wide only)."""
    a = avslutsorsak(d, year, "skolavhopp")
    return pd.Index(a.index[a == AVSLUTSORSAK_SKOLAVHOPP])


# ---------------------------------------------------------------- enkät (not per person)


def enkat_svar(d: Export, year: int) -> pd.Series:
    """Svar på fatt_hjalp: the non-empty answers to `fatt_hjalp` in year Y, one per distinct svar_id."""
    e = d.enkat
    e = e[(e["ar"] == year) & (e["fraga"] == FRAGA_FATT_HJALP) & e["svar"].notna()]
    return e.drop_duplicates("svar_id").set_index("svar_id")["svar"].astype(int)


def enkat_nyckeltal(d: Export, year: int) -> dict[str, int]:
    """Enkät (city-wide only): enkat_svarande = distinct svar_id with a non-empty answer to
    `fatt_hjalp` in Y; enkat_svar_1 … enkat_svar_5 = how many gave each answer;
    enkat_nojda = how many answered 4 or 5."""
    s = enkat_svar(d, year)
    out = {"enkat_svarande": int(len(s))}
    for v in range(1, 6):
        out[f"enkat_svar_{v}"] = int((s == v).sum())
    out["enkat_nojda"] = int((s >= 4).sum())
    return out


ENKAT_NAMN = {
    "enkat_svarande": "Svarande på frågan om hjälp",
    **{f"enkat_svar_{v}": f"Svar {v} på skalan 1–5" for v in range(1, 6)},
    "enkat_nojda": "Nöjda eller mycket nöjda (svar 4–5)",
}


# ---------------------------------------------------------------- derived figures


@dataclass(frozen=True)
class Derived:
    """A figure computed from other figures: op is "kvot" (a / b), "differens" (a - b - ...)
    or "summa" (a + b + ...). Shares are kept unrounded; a zero denominator gives None."""

    id: str
    namn: str
    op: str
    args: tuple[str, ...]
    city_only: bool = False

    def formula(self) -> str:
        sym = {"kvot": " / ", "differens": " − ", "summa": " + "}[self.op]
        return sym.join(self.args)


def _jobbtorg_like(prefix: str, suffix: str = "") -> list[Derived]:
    p = prefix
    return [
        Derived(f"{p}avslutade_ovrigt", "Avslutade av övriga orsaker" + suffix, "differens", (f"{p}avslutade", f"{p}avslutade_studier", f"{p}avslutade_arbete")),
        Derived(f"{p}avslutade_studier_arbete", "Avslutade till studier eller arbete" + suffix, "summa", (f"{p}avslutade_studier", f"{p}avslutade_arbete")),
        Derived(f"{p}avslutade_andel", "Andel avslutade" + suffix, "kvot", (f"{p}avslutade", f"{p}inskrivna")),
        Derived(f"{p}studier_andel", "Andel avslutade till studier" + suffix, "kvot", (f"{p}avslutade_studier", f"{p}avslutade")),
        Derived(f"{p}arbete_andel", "Andel avslutade till arbete" + suffix, "kvot", (f"{p}avslutade_arbete", f"{p}avslutade")),
        Derived(f"{p}studier_arbete_andel", "Andel avslutade till studier eller arbete" + suffix, "kvot", (f"{p}avslutade_studier_arbete", f"{p}avslutade")),
    ]


DERIVED: tuple[Derived, ...] = (
    Derived("ej_nadda", "Ej nådda", "differens", ("sokta", "nadda")),
    Derived("nadda_andel", "Andel nådda av sökta", "kvot", ("nadda", "sokta")),
    Derived("sysselsatta_andel", "Andel nådda som hade sysselsättning", "kvot", ("sysselsatta", "nadda_med_sysselsattning")),
    *_jobbtorg_like(""),
    *_jobbtorg_like("aim_", " (Aim)"),
    Derived("enkat_nojda_andel", "Andel nöjda eller mycket nöjda", "kvot", ("enkat_nojda", "enkat_svarande"), city_only=True),
    Derived("skolavhopp_kvar_i_studier_andel", "Andel kvar i studier", "kvot", ("skolavhopp_kvar_i_studier", "skolavhopp_avslutade"), city_only=True),
)
DERIVED_BY_ID = {x.id: x for x in DERIVED}


def is_share(key: str) -> bool:
    """A share: a figure derived as a ratio (op "kvot"), with or without its _k/_m suffix."""
    d = DERIVED_BY_ID.get(key.removesuffix("_k").removesuffix("_m"))
    return d is not None and d.op == "kvot"


def compute(op: str, values: list) -> float | int | None:
    """The arithmetic of a Derived figure (also used by audit to recompute)."""
    if any(v is None for v in values):
        return None
    if op == "kvot":
        a, b = values
        return None if b == 0 else a / b
    if op == "differens":
        return values[0] - sum(values[1:])
    if op == "summa":
        return sum(values)
    raise ValueError(op)


KON_SUFFIXES = ("", "_k", "_m")  # a figure's key for everyone, for kvinnor and for män


def split_kon(key: str) -> tuple[str, str]:
    """A figure's key as (the figure for everyone, its kön suffix): "nadda_k" → ("nadda",
    "_k"), "nadda" → ("nadda", "")."""
    for suf in KON_SUFFIXES[1:]:
        if key.endswith(suf):
            return key[: -len(suf)], suf
    return key, ""


def derived_instances(keys: Container[str]) -> Iterator[tuple[Derived, str, list[str]]]:
    """The one walk over DERIVED × kön: (definition, key, input keys) for every derived figure
    and its _k/_m variant whose inputs are all in `keys`, in DERIVED order.

    `keys` is looked at as the walk goes, so a caller may add each figure before the next
    (derive does: avslutade_studier_arbete_andel needs avslutade_studier_arbete)."""
    for x in DERIVED:
        for suf in KON_SUFFIXES:
            args = [a + suf for a in x.args]
            if all(a in keys for a in args):
                yield x, x.id + suf, args


def derive(counts: dict) -> dict:
    """Add every derived figure (and its _k/_m variants where the inputs have them) to counts."""
    out = dict(counts)
    for x, key, args in derived_instances(out):
        out[key] = compute(x.op, [out[a] for a in args])
    return out


# ---------------------------------------------------------------- person facts and counts


def personfakta(d: Export, run: Run | int, params_dir: Path = PARAMS) -> pd.DataFrame:
    """One row per person in personer: kon, stadsdel and jobbtorg in Y, and one column per
    person metric (True where the person is in its set; kontaktforsok as rows per person), and
    the sysselsättning at first contact (empty where none). `run`: the Run of Y, or Y."""
    run = as_run(run, params_dir)
    year = run.year
    pf = d.personer.set_index("person_id")[["kon"]]
    enhet = enhet_i_ar(d, run)
    if pf.index.equals(enhet.index):  # always (enhet_i_ar follows personer): no join of a million texts
        pf = pf.assign(**{c: enhet[c].array for c in enhet.columns})
    else:
        pf = pf.join(enhet)
    pf["sysselsattning_forsta"] = reindex(sysselsattning_vid_forsta_kontakt(d, year), pf.index)
    for m in METRICS.values():
        v = m.func(d, year)
        if isinstance(v, pd.Series):
            pf[m.id] = reindex(v, pf.index).fillna(0).astype(int)
        else:
            pf[m.id] = isin(pf.index, v)
    return pf


def person_metric_ids(city: bool = True) -> list[str]:
    return [m.id for m in METRICS.values() if city or not m.city_only]


def counts(pf: pd.DataFrame, city: bool = True) -> dict[str, int]:
    """Sum the person metrics, with _k and _m splits."""
    out: dict[str, int] = {}
    kon = {k: (pf["kon"] == k).to_numpy(dtype=bool, na_value=False) for k in KON}
    for mid in person_metric_ids(city):
        col = pf[mid].to_numpy()
        out[mid] = int(col.sum())
        for k in KON:  # a set's members of each kön counted in place (no copy of the selected rows)
            out[f"{mid}_{k.lower()}"] = (int(np.count_nonzero(col & kon[k])) if col.dtype == bool
                                         else int(col[kon[k]].astype(int).sum()))
    return out


def counts_by(pf: pd.DataFrame, by: str, units: list[str] | None = None) -> dict[str, dict]:
    """Per-unit figures (every person metric summed, with derived figures) for each value of
    `by`, or for the given units: a unit nobody belongs to gets zeros and null shares."""
    groups = dict(tuple(pf.groupby(by, sort=False)))
    return {u: derive(counts(groups.get(u, pf.iloc[:0]), city=False)) for u in (units or list(groups))}


def nyckeltal(d: Export, year: int, city: bool, params_dir: Path = PARAMS, pf: pd.DataFrame | None = None) -> dict:
    """The nyckeltal of a scope: every count (with _k/_m), every derived figure; for the city
    also the survey. `d` must already be restricted to the scope."""
    if pf is None:
        pf = personfakta(d, year, params_dir)
    c = counts(pf, city)
    if city:
        c.update(enkat_nyckeltal(d, year))
    out = derive(c)
    if not city:
        out = {k: v for k, v in out.items() if not _city_only(k)}
    return out


def _city_only(key: str) -> bool:
    base = key.removesuffix("_k").removesuffix("_m")
    if base in METRICS:
        return METRICS[base].city_only
    if base in DERIVED_BY_ID:
        return DERIVED_BY_ID[base].city_only
    return base.startswith("enkat_")


def namn(key: str) -> str:
    """The Swedish name of any nyckeltal key (with kön suffixes)."""
    base, suf = key, ""
    for s, label in (("_k", ", kvinnor"), ("_m", ", män")):
        if key.endswith(s) and key[: -len(s)] in {**METRICS, **DERIVED_BY_ID}:
            base, suf = key[: -len(s)], label
    if base in METRICS:
        return METRICS[base].namn + suf
    if base in DERIVED_BY_ID:
        return DERIVED_BY_ID[base].namn + suf
    return ENKAT_NAMN.get(base, base) + suf
