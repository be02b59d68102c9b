"""Cross-table and cross-column rules of the data contract, computed in pandas.

Each rule is a pure function over the raw export's text frames that returns one
nullable boolean per row of the table it judges (index = `_rad`, the 1-based data row
number): True = the row keeps the rule, False = it breaks it, <NA> = the rule does not
apply to the row (or a value it needs is missing or malformed, which the table's own
suite reports). `rule_frames` puts them side by side, one frame per judged table (index
`_rad`, one column per rule), which `kaa_report.validate.gx` checks with the expectation
suite `expectations/regler.json`, where each column's file, column and wording live.

Input frames: `clean(raw.tables[t])`, i.e. text, whitespace stripped, '' → missing,
index `_rad`.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..contract.lookup import isin
from ..contract.period import iso_dates, operating_year, year_bounds
from ..contract.schema import AVSLUTSORSAK_SKOLAVHOPP, ROW

Tables = dict[str, pd.DataFrame]

OPEN_END = pd.Timestamp.max.normalize()
MIN_AGE, MAX_AGE = 15, 19  # completed years at a register period's fran
UPPSOK_DAGAR = 30  # more days than this under uppsök in a year without contact → warning


# ---------------------------------------------------------------------------- helpers

def clean(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells stripped, '' as missing, index `_rad` = the 1-based data row (a new
    frame). Raw frames are indexed 0..n-1 by file row, also after rows were set aside."""
    index = pd.Index(df.index + 1, name=ROW)
    cols = {c: df[c].astype("str").str.strip().replace("", pd.NA).set_axis(index) for c in df.columns}
    return pd.DataFrame(cols, index=index, columns=df.columns)


_DATES: dict[tuple[int, str], pd.Series] = {}  # parsed date columns, while rule_frames runs


def dates(df: pd.DataFrame, col: str) -> pd.Series:
    """A column as dates; missing and malformed values become NaT."""
    key = (id(df), col)
    if key in _DATES:
        return _DATES[key]
    return iso_dates(df[col])


def _keyed(t: Tables) -> Tables:
    """The tables with person_id as one shared integer key (Int64, <NA> where missing):
    the same ids get the same number in every table, so the rules join, group and sort
    integers (on a million text ids, and on categoricals, which pandas recodes through
    their text categories, that costs seconds each). The numbers come from one pyarrow
    dictionary encoding of every table's ids."""
    names = [name for name, df in t.items() if "person_id" in df]
    if not names:
        return t
    chunks = []
    for name in names:
        a = pa.array(t[name]["person_id"].array, from_pandas=True)
        chunks += a.chunks if isinstance(a, pa.ChunkedArray) else [a]
    enc = pc.dictionary_encode(pa.chunked_array([c.cast(pa.large_string()) for c in chunks], type=pa.large_string()))
    codes = np.concatenate([c.indices.fill_null(-1).to_numpy().astype(np.int64) for c in enc.chunks]
                           or [np.zeros(0, dtype=np.int64)])
    out, at = dict(t), 0
    for name in names:
        df = t[name]
        c = codes[at:at + len(df)]
        out[name] = df.assign(person_id=pd.Series(pd.arrays.IntegerArray(c, c < 0), index=df.index))
        at += len(df)
    return out


def _parse_dates(t: Tables) -> None:
    """Parse every date column the rules read once (kept in _DATES while rule_frames runs)."""
    from ..contract.schema import COLUMNS

    for name, df in t.items():
        for col, kind in COLUMNS.get(name, {}).items():
            if kind == "date" and col in df:
                _DATES[(id(df), col)] = iso_dates(df[col])


def _has(df: pd.DataFrame, *cols: str) -> bool:
    return all(c in df.columns for c in cols)


def _na(df: pd.DataFrame) -> pd.Series:
    return pd.Series(pd.NA, index=df.index, dtype="boolean")


def _result(ok: pd.Series, applies: pd.Series) -> pd.Series:
    """ok where the rule applies, <NA> elsewhere."""
    return ok.astype("boolean").where(applies.astype(bool), pd.NA)


def age_at(birth: pd.Series, day: pd.Series) -> pd.Series:
    """Age in completed years on `day`; a 29 Feb birthday counts as 1 Mar in other years."""
    bmd = birth.dt.month * 100 + birth.dt.day
    bmd = bmd.where(~((bmd == 229) & ~day.dt.is_leap_year), 301)
    dmd = day.dt.month * 100 + day.dt.day
    return day.dt.year - birth.dt.year - (dmd < bmd).astype(int)


def reference_date(t: Tables) -> pd.Timestamp | None:
    """The export's last date (the latest valid date in any dated column), used as the
    end of open under-uppsök intervals; None when the export holds no dates."""
    cols = {
        "registerperioder": ("fran", "till", "uppsok_fran"),
        "kontaktforsok": ("datum",),
        "sysselsattning": ("datum",),
        "insatser": ("inskriven", "avslutad"),
    }
    found = [dates(t[tab], c).max() for tab, cs in cols.items() for c in cs if tab in t and c in t[tab]]
    found = [d for d in found if pd.notna(d)]
    return max(found) if found else None


# ------------------------------------------------------------------------------ rules

def person_finns(t: Tables, table: str) -> pd.Series:
    """`person_id` of the table exists in personer."""
    df, pe = t[table], t["personer"]
    if not _has(df, "person_id") or not _has(pe, "person_id"):
        return _na(df)
    ids = pe["person_id"].dropna()
    return _result(pd.Series(isin(df["person_id"], ids), index=df.index), df["person_id"].notna())


def slut_efter_start(df: pd.DataFrame, start: str, end: str) -> pd.Series:
    """`end >= start` where both are valid dates."""
    if not _has(df, start, end):
        return _na(df)
    s, e = dates(df, start), dates(df, end)
    return _result(e >= s, s.notna() & e.notna())


def uppsok_efter_fran(t: Tables) -> pd.Series:
    """registerperioder: `fran <= uppsok_fran`."""
    return slut_efter_start(t["registerperioder"], "fran", "uppsok_fran")


def uppsok_fore_till(t: Tables) -> pd.Series:
    """registerperioder: `uppsok_fran <= till` when till is set."""
    return slut_efter_start(t["registerperioder"], "uppsok_fran", "till")


def ej_overlapp(df: pd.DataFrame, keys: list[str], start: str, end: str) -> pd.Series:
    """Intervals [start, end] (end empty = open) of the same keys may touch but not
    otherwise overlap (data contract, Validation details).

    Two intervals touch when the only day they share is the end day of one and the
    start day of the other: [c, d] and [d, e], a one-day [d, d] beside either, several
    intervals meeting on day d, two identical [d, d]. Ordered by start, then by end, an
    interval [s, e] shares a day other than such a touching day with an earlier one
    exactly when an earlier one ends after s: with an earlier [s', e'] (s' < s, or
    s' = s and e' <= e) they share [s, min(e, e')], which is the single touching day s
    only when e' = s. So a row breaks the rule when, in that order, the latest end
    among the earlier intervals of the same keys is after its start."""
    if not _has(df, *keys, start, end):
        return _na(df)
    s = dates(df, start)
    e = dates(df, end).where(df[end].notna(), OPEN_END)  # empty = open; malformed = NaT
    usable = s.notna() & e.notna() & df[keys].notna().all(axis=1)
    iv = pd.DataFrame({**{k: df[k] for k in keys}, "s": s, "e": e, "r": df.index})[usable]
    iv = iv.sort_values([*keys, "s", "e", "r"])
    prev_end = iv.groupby(keys, sort=False)["e"].cummax().groupby([iv[k] for k in keys], sort=False).shift(1)
    ok = ~(iv["s"] < prev_end)
    return _result(ok.reindex(df.index, fill_value=True), usable)


def perioder_ej_overlapp(t: Tables) -> pd.Series:
    """registerperioder: a person's periods do not overlap."""
    return ej_overlapp(t["registerperioder"], ["person_id"], "fran", "till")


def insatser_ej_overlapp(t: Tables) -> pd.Series:
    """insatser: a person's rows for the same verksamhet do not overlap."""
    return ej_overlapp(t["insatser"], ["person_id", "verksamhet"], "inskriven", "avslutad")


def alder_vid_fran(t: Tables) -> pd.Series:
    """personer: the person is 15-19 years old at every register period's fran
    (per personer row; <NA> for a person without a dated register period)."""
    pe, rp = t["personer"], t["registerperioder"]
    if not _has(pe, "person_id", "fodelsedatum") or not _has(rp, "person_id", "fran"):
        return _na(pe)
    p = pd.DataFrame({"person_id": pe["person_id"], "b": dates(pe, "fodelsedatum"), "r": pe.index})
    p = p[p["b"].notna() & p["person_id"].notna()]
    f = pd.DataFrame({"person_id": rp["person_id"], "fran": dates(rp, "fran")}).dropna()
    m = p.merge(f, on="person_id")
    age = age_at(m["b"], m["fran"])
    m["ok"] = (age >= MIN_AGE) & (age <= MAX_AGE)
    per_row = m.groupby("r")["ok"].all()
    return _result(per_row.reindex(pe.index, fill_value=True), pe.index.isin(per_row.index))


def besvarat_vid_ungdom(t: Tables) -> pd.Series:
    """kontaktforsok: `besvarat` is true when initiativ is `ungdom`."""
    kf = t["kontaktforsok"]
    if not _has(kf, "initiativ", "besvarat"):
        return _na(kf)
    b = kf["besvarat"].str.lower()
    applies = (kf["initiativ"] == "ungdom").fillna(False) & b.isin(["true", "false"])
    return _result(b == "true", applies)


def avslutsorsak_tom_utan_avslut(t: Tables) -> pd.Series:
    """insatser: avslutsorsak is empty exactly when avslutad is empty."""
    ins = t["insatser"]
    if not _has(ins, "avslutad", "avslutsorsak"):
        return _na(ins)
    ok = ins["avslutad"].isna() == ins["avslutsorsak"].isna()
    return _result(ok, pd.Series(True, index=ins.index))


def kvar_i_studier_bara_skolavhopp(t: Tables) -> pd.Series:
    """insatser: avslutsorsak `kvar_i_studier` only on `skolavhopp` rows."""
    ins = t["insatser"]
    if not _has(ins, "verksamhet", "avslutsorsak"):
        return _na(ins)
    applies = (ins["avslutsorsak"] == AVSLUTSORSAK_SKOLAVHOPP).fillna(False)
    return _result((ins["verksamhet"] == "skolavhopp").fillna(False), applies)


def _uppsok_intervals(rp: pd.DataFrame, open_end: pd.Timestamp) -> pd.DataFrame:
    """Under-uppsök intervals: person_id, s (uppsok_fran), e (till; empty = open_end), r (_rad)."""
    s = dates(rp, "uppsok_fran")
    e = dates(rp, "till").where(rp["till"].notna(), open_end)
    iv = pd.DataFrame({"person_id": rp["person_id"], "s": s, "e": e, "r": rp.index})
    return iv[iv["s"].notna() & iv["e"].notna() & iv["person_id"].notna() & (iv["e"] >= iv["s"])]


def kaa_under_uppsok(t: Tables) -> pd.Series:
    """Warning rule, kontaktforsok: a `kaa` attempt is dated while the person is under
    uppsök (in some register period's interval from uppsok_fran to till, open when till
    is empty)."""
    kf, rp = t["kontaktforsok"], t["registerperioder"]
    if not _has(kf, "person_id", "datum", "initiativ") or not _has(rp, "person_id", "uppsok_fran", "till"):
        return _na(kf)
    d = dates(kf, "datum")
    applies = (kf["initiativ"] == "kaa").fillna(False) & d.notna() & kf["person_id"].notna()
    a = pd.DataFrame({"person_id": kf["person_id"], "d": d, "r": kf.index})[applies]
    iv = _uppsok_intervals(rp, OPEN_END)
    m = a.merge(iv[["person_id", "s", "e"]], on="person_id")
    inside = m[(m["d"] >= m["s"]) & (m["d"] <= m["e"])]["r"].unique()
    return _result(pd.Series(kf.index.isin(inside), index=kf.index), applies)


def uppsok_med_forsok(t: Tables) -> pd.Series:
    """Warning rule, registerperioder: a person under uppsök for more than 30 days of an
    operating year has at least one kontaktforsok dated in that year. Judged per
    register period row with an under-uppsök interval: False when the period adds days
    to a person-year with > 30 days under uppsök and no contact. Open intervals end at
    the export's last date (`reference_date`)."""
    rp, kf = t["registerperioder"], t["kontaktforsok"]
    if not _has(rp, "person_id", "uppsok_fran", "till") or not _has(kf, "person_id", "datum"):
        return _na(rp)
    ref = reference_date(t)
    iv = _uppsok_intervals(rp, ref if ref is not None else pd.NaT)
    applies = pd.Series(rp.index.isin(iv["r"]), index=rp.index)
    if iv.empty:
        return _result(pd.Series(True, index=rp.index), applies)
    y0, y1 = operating_year(iv["s"]), operating_year(iv["e"])
    n = (y1 - y0 + 1).to_numpy()
    ex = iv.loc[iv.index.repeat(n)].reset_index(drop=True)
    ex["ar"] = np.repeat(y0.to_numpy(), n) + np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    ys, ye = year_bounds(ex["ar"])
    ex["dagar"] = (ex["e"].where(ex["e"] < ye, ye) - ex["s"].where(ex["s"] > ys, ys)).dt.days + 1
    per = ex.groupby(["person_id", "ar"], as_index=False)["dagar"].sum()
    kd = dates(kf, "datum")
    kontakt = pd.DataFrame({"person_id": kf["person_id"], "ar": operating_year(kd)})[kd.notna()]
    kontakt = kontakt.dropna().drop_duplicates().assign(kontakt=True)
    per = per.merge(kontakt, on=["person_id", "ar"], how="left")
    bad = per[(per["dagar"] > UPPSOK_DAGAR) & per["kontakt"].isna()][["person_id", "ar"]]
    bad_rows = ex.merge(bad, on=["person_id", "ar"])["r"].unique()
    return _result(pd.Series(~rp.index.isin(bad_rows), index=rp.index), applies)


# The rules: column name in the rule frame → (table judged, function of the tables).
# expectations/regler.json holds one expectation per column (file, column, wording,
# severity); tests/test_validate.py checks that the two lists agree.
RULES: dict[str, tuple[str, Callable[[Tables], pd.Series]]] = {
    "registerperioder__person_finns": ("registerperioder", lambda t: person_finns(t, "registerperioder")),
    "kontaktforsok__person_finns": ("kontaktforsok", lambda t: person_finns(t, "kontaktforsok")),
    "sysselsattning__person_finns": ("sysselsattning", lambda t: person_finns(t, "sysselsattning")),
    "insatser__person_finns": ("insatser", lambda t: person_finns(t, "insatser")),
    "personer__alder_vid_fran": ("personer", alder_vid_fran),
    "registerperioder__till_efter_fran": (
        "registerperioder", lambda t: slut_efter_start(t["registerperioder"], "fran", "till")),
    "registerperioder__uppsok_efter_fran": ("registerperioder", uppsok_efter_fran),
    "registerperioder__uppsok_fore_till": ("registerperioder", uppsok_fore_till),
    "registerperioder__ej_overlapp": ("registerperioder", perioder_ej_overlapp),
    "kontaktforsok__besvarat_vid_ungdom": ("kontaktforsok", besvarat_vid_ungdom),
    "insatser__avslutad_efter_inskriven": (
        "insatser", lambda t: slut_efter_start(t["insatser"], "inskriven", "avslutad")),
    "insatser__avslutsorsak_tom_utan_avslut": ("insatser", avslutsorsak_tom_utan_avslut),
    "insatser__kvar_i_studier_bara_skolavhopp": ("insatser", kvar_i_studier_bara_skolavhopp),
    "insatser__ej_overlapp": ("insatser", insatser_ej_overlapp),
    "kontaktforsok__kaa_under_uppsok": ("kontaktforsok", kaa_under_uppsok),
    "registerperioder__uppsok_med_forsok": ("registerperioder", uppsok_med_forsok),
}


def rule_frames(t: Tables) -> dict[str, pd.DataFrame]:
    """Per judged table, one frame indexed by `_rad` (the table's own rows) with one
    nullable boolean column per rule on that table (<NA> where a rule does not judge a
    row), in the order of RULES."""
    t = _keyed(t)
    _parse_dates(t)
    try:
        results = {name: fn(t) for name, (_, fn) in RULES.items()}
    finally:
        _DATES.clear()
    frames: dict[str, pd.DataFrame] = {}
    for table in dict.fromkeys(tab for tab, _ in RULES.values()):
        index = t[table].index
        frames[table] = pd.DataFrame(
            {name: pd.array(results[name].reindex(index) if not results[name].index.equals(index)
                            else results[name], dtype="boolean")
             for name, (tab, _) in RULES.items() if tab == table}, index=index)
    return frames
