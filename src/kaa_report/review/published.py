"""Published-figures files (format of ../shared/published/published_figures.yaml).

Reading them, knowing which contract figure each entry states (`published_refs`,
`published_key`: the table of figure_map.md kept as data), what range of true values
a printed number allows (`interval`: rounding at the printed precision and the hedges
"ca", "nästan", "drygt", "över"), and checking a file for internal consistency
(`check_published`: sums, shares, stated changes, same_metric_as pairs and the
testable claims). The checks use only the file's own numbers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Callable

import yaml

from ..exhibits import fmt
from ..metrics import definitions as metrics
from ..params import mapping_for
from ..paths import ROOT
from ..exhibits.tables import TABELL_5_COLUMNS

STAD = "stad"

# ---------------------------------------------------------------- reading


def default_published_path() -> Path:
    """../shared/published/published_figures.yaml beside the repository, else the test copy."""
    shared = ROOT.parent / "shared" / "published" / "published_figures.yaml"
    return shared if shared.exists() else ROOT / "tests" / "data" / "published_figures.yaml"


def load_published(path: Path) -> dict:
    """The parsed file: a dict with `entries` (list) and `claims` (list), both possibly empty."""
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
    data.setdefault("entries", [])
    data.setdefault("claims", [])
    return data


# ---------------------------------------------------------------- which figure an entry states


@dataclass(frozen=True)
class Ref:
    """What a published entry states about the contract figures.

    kind "niva": the value of `key` in (year, scope); "forandring": key(year) − key(year−1);
    "kvot": key / den in (year, scope), as percent (for figures not in nyckeltal)."""

    year: int
    scope: str
    key: str
    kind: str = "niva"
    den: str | None = None

    def inputs(self) -> list[tuple[int, str, str]]:
        """The (year, scope, nyckeltal key) values this statement depends on."""
        if self.kind == "forandring":
            return [(self.year, self.scope, self.key), (self.year - 1, self.scope, self.key)]
        if self.kind == "kvot":
            return [(self.year, self.scope, self.key), (self.year, self.scope, self.den)]
        return [(self.year, self.scope, self.key)]


# The table of figure_map.md: published id → (year, key[, kind]) for scope stad.
_TEXT_REFS: dict[str, tuple] = {
    "ar23_omfattade_total": (2023, "omfattade"),
    "ar23_omfattade_k": (2023, "omfattade_k"),
    "ar23_omfattade_m": (2023, "omfattade_m"),
    "c25_omfattade_total": (2025, "omfattade"),
    "ar23_omfattade_okning": (2023, "omfattade", "forandring"),
    "ar23_sokta_total_text": (2023, "sokta"),
    "ar23_sokta_okning": (2023, "sokta", "forandring"),
    "ar23_nadda_total_text": (2023, "nadda"),
    "ar23_nadda_okning": (2023, "nadda", "forandring"),
    "ar23_nadda_andel": (2023, "nadda_andel"),
    "ar22_nadda_andel": (2022, "nadda_andel"),
    "ar23_kontaktforsok": (2023, "kontaktforsok"),
    "ar23_kontaktforsok_over": (2023, "kontaktforsok"),
    "ar23_kontaktforsok_okning": (2023, "kontaktforsok", "forandring"),
    "ar23_kontaktforsok_okning_over": (2023, "kontaktforsok", "forandring"),
    "ar23_sysselsatta_andel": (2023, "sysselsatta_andel"),
    "ar22_sysselsatta_andel": (2022, "sysselsatta_andel"),
    "ar23_inskrivna_text": (2023, "inskrivna"),
    "ar22_inskrivna_text": (2022, "inskrivna"),
    "c25_insatser_deltagare": (2025, "inskrivna"),
    "ar23_nyinskrivna": (2023, "nyinskrivna"),
    "ar22_nyinskrivna": (2022, "nyinskrivna"),
    "ar23_avslutade_nastan": (2023, "avslutade"),
    "ar22_avslutade_ca": (2022, "avslutade"),
    "ar23_avslutade_studier_text": (2023, "avslutade_studier"),
    "ar22_avslutade_studier_text": (2022, "avslutade_studier"),
    "ar23_avslutade_studier_nastan": (2023, "avslutade_studier"),
    "ar23_avslutade_studier_okning": (2023, "avslutade_studier", "forandring"),
    "ar23_avslutade_studier_andel_text": (2023, "studier_andel"),
    "ar23_avslutade_arbete_text": (2023, "avslutade_arbete"),
    "ar22_avslutade_arbete_text": (2022, "avslutade_arbete"),
    "ar23_avslutade_arbete_ca": (2023, "avslutade_arbete"),
    "ar23_avslutade_arbete_okning": (2023, "avslutade_arbete", "forandring"),
    "ar23_avslutade_arbete_andel_text": (2023, "arbete_andel"),
    "c25_avslutade": (2025, "avslutade"),
    "c25_avslutade_2024": (2024, "avslutade"),
    "c25_avslutade_studier_andel": (2025, "studier_andel"),
    "c25_avslutade_studier_okning": (2025, "avslutade_studier", "forandring"),
    "c25_avslutade_studier_okning_man": (2025, "avslutade_studier_m", "forandring"),
    "c25_avslutade_studier_andel_k": (2025, "studier_andel_k"),
    "c25_avslutade_studier_andel_m": (2025, "studier_andel_m"),
    "ar23_aim_inskrivna": (2023, "aim_inskrivna"),
    "ar23_aim_nyinskrivna": (2023, "aim_nyinskrivna"),
    "ar23_aim_nyinskrivna_okning": (2023, "aim_nyinskrivna", "forandring"),
    "ar23_aim_utskrivna": (2023, "aim_avslutade"),
    "ar23_aim_studier_andel": (2023, "aim_studier_andel"),
    "ar22_aim_studier_andel": (2022, "aim_studier_andel"),
    "ar23_aim_arbete_andel": (2023, "aim_arbete_andel"),
    "ar22_aim_arbete_andel": (2022, "aim_arbete_andel"),
    "ar23_enkat_fraga_svarande": (2023, "enkat_svarande"),
    "ar23_enkat_nojda": (2023, "enkat_nojda"),
    "c25_skolavhopp_avslutade_arenden": (2025, "skolavhopp_avslutade"),
    "c25_skolavhopp_kvar_i_studier_andel": (2025, "skolavhopp_kvar_i_studier_andel"),
}
# Entries that state more than one figure, or a share that is no nyckeltal key.
_MULTI_REFS: dict[str, list[Ref]] = {
    "ar23_nadda_andel_k_och_m": [Ref(2023, STAD, "nadda_andel_k"), Ref(2023, STAD, "nadda_andel_m")],
    "c25_omfattade_andel_man": [Ref(2025, STAD, "omfattade_m", "kvot", "omfattade")],
}
# Tabell 2/3 cells: t2_2023_<status>_<k|m|total>.
_T23 = re.compile(r"^t[23]_(\d{4})_(ej_nadda|nadda|sokta)_(k|m|total)$")
# Tabell 5/6 cells: t5_2023_<row>_<column>, row = a unit's slug with "_" for "-", or "totalt".
_T56 = re.compile(r"^t[56]_(\d{4})_(\w+)$")
T56_COLUMNS = TABELL_5_COLUMNS  # the published column names are Tabell 5's


def t56_rows(year: int) -> dict[str, str]:
    """Row name in a Tabell 5/6 id → scope, from the organisation in params/jobbtorg.yml."""
    rows = {u.slug.replace("-", "_"): u.slug for u in mapping_for(year).units}
    return {**rows, "totalt": STAD}


def torg(year: int) -> list[str]:
    """The jobbtorg of Tabell 5/6 (not Saknar stadsdel), from params/jobbtorg.yml."""
    return [u.slug for u in mapping_for(year).jobbtorg]


def published_refs(entry: dict) -> list[Ref]:
    """Every contract figure an entry states (empty for figures outside the register)."""
    pid = entry["id"]
    if pid in _MULTI_REFS:
        return list(_MULTI_REFS[pid])
    if pid in _TEXT_REFS:
        year, key, *kind = _TEXT_REFS[pid]
        return [Ref(year, STAD, key, kind[0] if kind else "niva")]
    m = _T23.match(pid)
    if m:
        year, status, g = m.groups()
        return [Ref(int(year), STAD, status + ("" if g == "total" else "_" + g))]
    m = _T56.match(pid)
    if m:
        year, rest = int(m.group(1)), m.group(2)
        for row, scope in t56_rows(year).items():
            col = rest.removeprefix(row + "_")
            if rest.startswith(row + "_") and col in T56_COLUMNS:
                return [Ref(year, scope, T56_COLUMNS[col])]
    return []


def published_key(entry: dict) -> tuple[int, str, str] | None:
    """(year, scope, nyckeltal key) of an entry that states one nyckeltal value, else None
    (changes, ratios outside nyckeltal, figures from outside the register)."""
    refs = published_refs(entry)
    if len(refs) == 1 and refs[0].kind == "niva":
        r = refs[0]
        return (r.year, r.scope, r.key)
    return None


# ---------------------------------------------------------------- what a printed number allows

# Hedges: the true value v for a printed X, as (low, high, low_open, high_open) factors of X.
# ca/cirka/ungefär/omkring: within ±5 %; nästan: up to 5 % below, and below X;
# drygt: X or up to 5 % above; över: above X, up to 10 % above; beräknas: as ca.
HEDGES: dict[str, tuple[Fraction, Fraction, bool, bool]] = {
    "ca": (Fraction(95, 100), Fraction(105, 100), False, False),
    "nastan": (Fraction(95, 100), Fraction(1), False, True),
    "drygt": (Fraction(1), Fraction(105, 100), False, False),
    "over": (Fraction(1), Fraction(110, 100), True, False),
}
_HEDGE_WORDS = {"ca": "ca", "cirka": "ca", "ungefär": "ca", "omkring": "ca", "beräknas": "ca",
                "nästan": "nastan", "drygt": "drygt", "över": "over"}


def hedge(entry: dict) -> str | None:
    """The hedge of an entry ("ca", "nastan", "drygt", "over") or None when exact."""
    q = str(entry.get("qualifier") or "exact").strip().lower()
    if q.startswith("exact"):
        return None
    word = re.split(r"[\s.;(]", q, maxsplit=1)[0]
    return _HEDGE_WORDS.get(word, "ca")


def decimals(entry: dict) -> int:
    """Decimals as printed ("72,5 %" → 1, "1 231" → 0)."""
    m = re.search(r"\d+(?:[,.](\d+))?", str(entry.get("value_as_printed", "")).replace("\u00a0", ""))
    return len(m.group(1)) if m and m.group(1) and "," in m.group(0) else 0


def number(entry: dict) -> Fraction | None:
    """The entry's value as an exact number, or None when it is no single number (ranges, dates)."""
    v = entry.get("value")
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return Fraction(str(v))


@dataclass(frozen=True)
class Interval:
    low: Fraction
    high: Fraction
    low_open: bool = False
    high_open: bool = False

    def contains(self, x: Fraction) -> bool:
        lo = x > self.low if self.low_open else x >= self.low
        hi = x < self.high if self.high_open else x <= self.high
        return lo and hi

    def meets(self, other: "Interval") -> bool:
        """True when some value lies in both."""
        if self.low > other.high or other.low > self.high:
            return False
        if self.low == other.high and (self.low_open or other.high_open):
            return False
        if other.low == self.high and (other.low_open or self.high_open):
            return False
        return True

    def text(self, percent: bool = False) -> str:
        u = " %" if percent else ""
        if self.low == self.high:
            return f"{_num(self.low)}{u}"
        a = "]" if self.low_open else "["
        b = "[" if self.high_open else "]"
        return f"{a}{_num(self.low)}; {_num(self.high)}{b}{u}"


def interval(entry: dict) -> Interval | None:
    """The true values (percent for percent entries) that the printed figure allows.

    An exact count allows itself; an exact percent everything that rounds to it half away
    from zero at the printed precision (54 → [53,5; 54,5[, 72,5 → [72,45; 72,55[).
    A hedged number allows the range in HEDGES."""
    x = number(entry)
    if x is None:
        return None
    h = hedge(entry)
    if h is None:
        if entry.get("unit") == "percent":
            half = Fraction(1, 2 * 10 ** decimals(entry))
            return Interval(x - half, x + half, False, True)
        return Interval(x, x)
    lo, hi, lo_open, hi_open = HEDGES[h]
    if entry.get("unit") == "percent":  # a hedged percent also carries its rounding
        half = Fraction(1, 2 * 10 ** decimals(entry))
        return Interval(x * lo - half, x * hi + half, lo_open, hi_open)
    return Interval(x * lo, x * hi, lo_open, hi_open)


def round_half_away(x: Fraction, nd: int = 0) -> Fraction:
    """x rounded half away from zero to nd decimals (kaa_report.exhibits.fmt's rule), as a Fraction."""
    return Fraction(fmt.avrunda(Fraction(x), nd))


def _val(x: Fraction) -> str:
    """A printed value: whole numbers as they are, others with one decimal."""
    return _num(x) if Fraction(x).denominator == 1 else _num(x, 1)


def _num(x: Fraction | int | float | None, nd: int | None = None) -> str:
    """A number in Swedish style for messages (decimal comma, thin grouping left out)."""
    if x is None:
        return "–"
    x = Fraction(x)
    if x.denominator == 1 and nd is None:
        return str(x.numerator)
    nd = 2 if nd is None else nd
    s = f"{float(round_half_away(x, nd)):.{nd}f}"
    return s.replace(".", ",")


# ---------------------------------------------------------------- the check


@dataclass(frozen=True)
class Motsagelse:
    """One contradiction in a published-figures file."""

    typ: str  # "summa", "andel", "forandring", "same_metric_as", "pastaende"
    ids: tuple[str, ...]
    aritmetik: str
    citat: str

    def text(self) -> str:
        return f"[{self.typ}] {', '.join(self.ids)}: {self.aritmetik}\n    citat: \u201d{self.citat}\u201d"


class Index:
    """The file's numbers by (year, scope, key): exact entries first, hedged ones kept apart."""

    def __init__(self, data: dict):
        self.entries = {e["id"]: e for e in data["entries"]}
        self.exact: dict[tuple, dict] = {}
        self.all: dict[tuple, list[dict]] = {}
        for e in data["entries"]:
            if number(e) is None:
                continue
            for r in published_refs(e):
                if r.kind != "niva":
                    continue
                t = (r.year, r.scope, r.key)
                self.all.setdefault(t, []).append(e)
                if hedge(e) is None and t not in self.exact:
                    self.exact[t] = e

    def value(self, year: int, scope: str, key: str) -> Fraction | None:
        """An exact printed value (percent for shares), or None."""
        e = self.exact.get((year, scope, key))
        return None if e is None else number(e)

    def entry(self, year: int, scope: str, key: str) -> dict | None:
        return self.exact.get((year, scope, key))


def _split(key: str) -> tuple[str, str]:
    for s in ("_k", "_m"):
        if key.endswith(s):
            return key[: -len(s)], s
    return key, ""


def check_derived(ix: Index) -> list[Motsagelse]:
    """Every figure of metrics.DERIVED the file states, against the file's own inputs:
    differences and sums exactly (ej_nadda + nadda = sokta, studier + arbete = studier_arbete),
    shares at the printed precision (or within their hedge)."""
    out = []
    for (year, scope, key), entries in sorted(ix.all.items(), key=lambda kv: str(kv[0])):
        base, suf = _split(key)
        d = metrics.DERIVED_BY_ID.get(base)
        if d is None:
            continue
        args = [a + suf for a in d.args]
        vals = [ix.value(year, scope, a) for a in args]
        if any(v is None for v in vals):
            continue
        src = [ix.entry(year, scope, a)["id"] for a in args]
        for e in entries:
            iv = interval(e)
            if d.op == "kvot":
                if vals[1] == 0:
                    continue
                got = vals[0] / vals[1] * 100
                if not iv.contains(got):
                    nd = max(decimals(e), 1)
                    out.append(Motsagelse("andel", (e["id"], *src), (
                        f"{_num(vals[0])}/{_num(vals[1])} = {_num(got, nd + 1)} % → "
                        f"{_num(round_half_away(got, decimals(e)), decimals(e))} % vid tryckt precision, "
                        f"tryckt {e['value_as_printed']}"), e["quote"]))
            else:
                got = metrics.compute(d.op, vals)
                if not iv.contains(Fraction(got)):
                    sym = {"differens": " − ", "summa": " + "}[d.op]
                    out.append(Motsagelse("summa", (e["id"], *src), (
                        f"{sym.join(_num(v) for v in vals)} = {_num(got)}, tryckt {e['value_as_printed']}"
                        f" ({d.id}{suf} = {d.formula()})"), e["quote"]))
    return out


def check_ratios(ix: Index) -> list[Motsagelse]:
    """Shares stated as a ratio of two nyckeltal (c25_omfattade_andel_man = omfattade_m / omfattade)."""
    out = []
    for e in ix.entries.values():
        iv = interval(e)
        for r in published_refs(e):
            if r.kind != "kvot" or iv is None:
                continue
            n, m = ix.value(r.year, r.scope, r.key), ix.value(r.year, r.scope, r.den)
            if n is None or not m:
                continue
            got = n / m * 100
            if not iv.contains(got):
                ids = (e["id"], ix.entry(r.year, r.scope, r.key)["id"], ix.entry(r.year, r.scope, r.den)["id"])
                out.append(Motsagelse("andel", ids, (
                    f"{_num(n)}/{_num(m)} = {_num(got, decimals(e) + 2)} %, tryckt {e['value_as_printed']}"), e["quote"]))
    return out


def check_kon(ix: Index) -> list[Motsagelse]:
    """K + M = total for every count the file states split by kön."""
    out = []
    for (year, scope, key), e in sorted(ix.exact.items(), key=lambda kv: str(kv[0])):
        if key.endswith(("_k", "_m")) or metrics.is_share(key):
            continue
        k, m = ix.value(year, scope, key + "_k"), ix.value(year, scope, key + "_m")
        if k is None or m is None:
            continue
        if k + m != number(e):
            ids = (ix.entry(year, scope, key + "_k")["id"], ix.entry(year, scope, key + "_m")["id"], e["id"])
            out.append(Motsagelse("summa", ids, f"kvinnor + män = {_num(k)} + {_num(m)} = {_num(k + m)}, "
                                  f"totalt tryckt {e['value_as_printed']}", e["quote"]))
    return out


def jobbtorg_scopes(year: int) -> list[str]:
    """The jobbtorg slugs of the mapping in force for Y, then saknar-stadsdel."""
    from ..params import mapping_for

    return [u.slug for u in mapping_for(year).units]


def check_jobbtorg_sum(ix: Index) -> list[Motsagelse]:
    """Tabell 5/6: the jobbtorg rows (and Saknar stadsdel) sum to Totalt in every count column."""
    out = []
    for (year, scope, key), e in sorted(ix.exact.items(), key=lambda kv: str(kv[0])):
        if scope != STAD or metrics.is_share(key):
            continue
        parts = [(s, ix.value(year, s, key)) for s in jobbtorg_scopes(year)]
        if any(v is None for _, v in parts):
            continue
        total = sum(v for _, v in parts)
        if total != number(e):
            ids = tuple(ix.entry(year, s, key)["id"] for s, _ in parts) + (e["id"],)
            out.append(Motsagelse("summa", ids, (
                f"{' + '.join(_num(v) for _, v in parts)} = {_num(total)}, Totalt tryckt {e['value_as_printed']}"
                f" ({key} {year})"), e["quote"]))
    return out


def check_changes(ix: Index) -> list[Motsagelse]:
    """Stated changes ("ökning med N", *_okning) against the two levels in the file."""
    out = []
    for e in ix.entries.values():
        iv = interval(e)
        for r in published_refs(e):
            if r.kind != "forandring" or iv is None:
                continue
            now, before = ix.value(r.year, r.scope, r.key), ix.value(r.year - 1, r.scope, r.key)
            if now is None or before is None or metrics.is_share(r.key):
                continue
            if not iv.contains(now - before):
                ids = (e["id"], ix.entry(r.year, r.scope, r.key)["id"], ix.entry(r.year - 1, r.scope, r.key)["id"])
                out.append(Motsagelse("forandring", ids, (
                    f"{r.key} {r.year} − {r.year - 1} = {_num(now)} − {_num(before)} = {_num(now - before)}, "
                    f"tryckt förändring {e['value_as_printed']}"), e["quote"]))
    return out


def check_same_metric(ix: Index) -> list[Motsagelse]:
    """Entries marked same_metric_as must allow a common value (hedged ones within their hedge)."""
    out = []
    for e in ix.entries.values():
        other = ix.entries.get(e.get("same_metric_as") or "")
        if other is None:
            continue
        a, b = interval(e), interval(other)
        if a is None or b is None:
            continue
        if not a.meets(b):
            pct = e.get("unit") == "percent"
            out.append(Motsagelse("same_metric_as", (e["id"], other["id"]), (
                f"tryckt {e['value_as_printed']} tillåter {a.text(pct)}, "
                f"{other['id']} tryckt {other['value_as_printed']} tillåter {b.text(pct)}: inget gemensamt värde"),
                e["quote"]))
    return out


# ---------------------------------------------------------------- claims

NAGOT_HOGST = Fraction(10, 100)  # "något" (somewhat): a change of at most 10 %


def _cmp(ix: Index, key: str, year: int, scope: str = STAD):
    """(value Y, value Y−1, id Y, id Y−1) or None."""
    a, b = ix.value(year, scope, key), ix.value(year - 1, scope, key)
    if a is None or b is None:
        return None
    return a, b, ix.entry(year, scope, key)["id"], ix.entry(year - 1, scope, key)["id"]


def _claim_up(keys: tuple[str, ...]) -> Callable:
    """Each key increased from Y−1 to Y."""
    def check(ix: Index, year: int):
        found, bad = False, []
        for k in keys:
            c = _cmp(ix, k, year)
            if c is None:
                continue
            found = True
            if not c[0] > c[1]:
                bad.append((f"{k}: {year} {_num(c[0])} mot {year - 1} {_num(c[1])}, ingen ökning", c[2:]))
        return found, bad
    return check


def _claim_nagot(key: str) -> Callable:
    """key increased "något": up by more than 0 and at most NAGOT_HOGST."""
    def check(ix: Index, year: int):
        c = _cmp(ix, key, year)
        if c is None:
            return False, []
        a, b = c[0], c[1]
        rel = (a - b) / b if b else None
        if a > b and rel is not None and rel <= NAGOT_HOGST:
            return True, []
        r = f" (+{_num(rel * 100, 1)} %)" if rel is not None else ""
        return True, [(f"{key}: {_num(a)} − {_num(b)} = {_num(a - b)}{r}; \u201dnågot\u201d tolkas som en ökning om "
                       f"högst {_num(NAGOT_HOGST * 100)} %", c[2:])]
    return check


def _claim_share_about(key: str) -> Callable:
    """The share (stated as percent) is the same, at whole percent, both years."""
    def check(ix: Index, year: int):
        d = metrics.DERIVED_BY_ID[key]
        vals = {}
        for y in (year, year - 1):
            n, m = ix.value(y, STAD, d.args[0]), ix.value(y, STAD, d.args[1])
            if n is None or not m:
                return False, []
            vals[y] = (n, m, n / m * 100)
        a, b = (round_half_away(vals[y][2]) for y in (year, year - 1))
        if a == b:
            return True, []
        txt = "; ".join(f"{y}: {_num(n)}/{_num(m)} = {_num(p, 2)} % → {_num(round_half_away(p))} %"
                        for y, (n, m, p) in vals.items())
        ids = tuple(ix.entry(y, STAD, a_)["id"] for y in vals for a_ in d.args)
        return True, [(f"{txt}: inte oförändrad", ids)]
    return check


def _claim_studier_up(ix: Index, year: int):
    """Both count and share to studier increased (shares as printed)."""
    found, bad = False, []
    for key in ("avslutade_studier", "studier_andel"):
        c = _cmp(ix, key, year)
        if c is None:
            continue
        found = True
        if not c[0] > c[1]:
            bad.append((f"{key}: {year} {_val(c[0])} mot {year - 1} {_val(c[1])}, ingen ökning", c[2:]))
    return found, bad


def _claim_all_torg_indikator(ix: Index, year: int):
    """Every torg: avslutade till studier / avslutade ≥ 50 % (exact counts)."""
    found, bad = False, []
    for t in torg(year):
        n, m = ix.value(year, t, "avslutade_studier"), ix.value(year, t, "avslutade")
        if n is None or not m:
            continue
        found = True
        if n / m < Fraction(1, 2):
            bad.append((f"{t}: {_num(n)}/{_num(m)} = {_num(n / m * 100, 1)} % < 50 %",
                        (ix.entry(year, t, "avslutade_studier")["id"], ix.entry(year, t, "avslutade")["id"])))
    return found, bad


def _claim_studier_arbete_up_all_torg(ix: Index, year: int):
    """Every torg: avslutade till studier och arbete (count) increased."""
    found, bad = False, []
    for t in torg(year):
        c = _cmp(ix, "avslutade_studier_arbete", year, t)
        if c is None:
            continue
        found = True
        if not c[0] > c[1]:
            bad.append((f"{t}: studier+arbete {year} {_num(c[0])} mot {year - 1} {_num(c[1])}, ingen ökning", c[2:]))
    return found, bad


def _claim_most(leaders_by_key: dict[str, str]):
    """Claim: each figure rose most at the unit the text names (figure → scope slug)."""
    return lambda ix, year: _most(ix, year, leaders_by_key)


def _most(ix: Index, year: int, leaders_by_key: dict[str, str]):
    found, bad = False, []
    for key, who in leaders_by_key.items():
        ch = {}
        for t in torg(year):
            c = _cmp(ix, key, year, t)
            if c is not None:
                ch[t] = c[0] - c[1]
        if len(ch) < len(torg(year)):
            continue
        found = True
        top = max(ch.values())
        leaders = [t for t, v in ch.items() if v == top]
        if leaders != [who]:
            txt = ", ".join(f"{t} {'+' if v >= 0 else ''}{_val(v)}" for t, v in ch.items())
            bad.append((f"{key} förändring {year - 1}→{year}: {txt}; störst: {', '.join(leaders)}, inte {who}",
                        tuple(ix.entry(year, t, key)["id"] for t in ch)))
    return found, bad


def _claim_arbete_except(fell: str):
    """Claim: arbete, count and share (as printed), up or unchanged at every torg but `fell`
    (a scope slug), where both fell."""
    return lambda ix, year: _arbete_except(ix, year, fell)


def _arbete_except(ix: Index, year: int, fell: str):
    found, bad = False, []
    for t in torg(year):
        for key in ("avslutade_arbete", "arbete_andel"):
            c = _cmp(ix, key, year, t)
            if c is None:
                continue
            found = True
            a, b = c[0], c[1]
            if t == fell and not a < b:
                bad.append((f"{t} {key}: {year} {_val(a)} mot {year - 1} {_val(b)}, sjönk inte", c[2:]))
            if t != fell and a < b:
                bad.append((f"{t} {key}: {year} {_val(a)} mot {year - 1} {_val(b)}, sjönk", c[2:]))
    return found, bad


# claim id → (year, test). Tests use only the file's numbers; claims that need data the
# file does not hold (stadsdel, kön splits of avslutade, earlier years) are not listed.
# Where a claim's text names a jobbtorg, its slug (params/jobbtorg.yml) is given here.
CLAIM_TESTS: dict[str, tuple[int, Callable]] = {
    "cl_ar23_sokta_nadda_up": (2023, _claim_up(("sokta", "nadda"))),
    "cl_ar23_inskrivna_up": (2023, _claim_up(("inskrivna",))),
    "cl_ar23_nyinskrivna_nagot": (2023, _claim_nagot("nyinskrivna")),
    "cl_ar23_nadda_andel_unchanged": (2023, _claim_share_about("nadda_andel")),
    "cl_ar23_studier_up": (2023, _claim_studier_up),
    "cl_t5_indikator_all_torg": (2023, _claim_all_torg_indikator),
    "cl_t5_studier_arbete_up_all_torg": (2023, _claim_studier_arbete_up_all_torg),
    "cl_t5_studier_andel_most_vallingby": (2023, _claim_most({"studier_andel": "vallingby", "avslutade_studier": "globen"})),
    "cl_t5_arbete_all_torg_except_vallingby": (2023, _claim_arbete_except("vallingby")),
    "cl_ar23_aim_inskrivna_up": (2023, _claim_up(("aim_inskrivna",))),
    "cl_c25_omfattade_up": (2025, _claim_up(("omfattade",))),
}


def check_claims(data: dict, ix: Index) -> tuple[list[Motsagelse], list[str]]:
    """The claims with a test whose numbers the file holds: (contradictions, ids tested)."""
    out, tested = [], []
    for c in data["claims"]:
        t = CLAIM_TESTS.get(c.get("id"))
        if t is None:
            continue
        year, test = t
        found, bad = test(ix, int(c.get("year") or year))
        if found:
            tested.append(c["id"])
        for arithmetic, ids in bad:
            out.append(Motsagelse("pastaende", (c["id"], *ids), f"{c.get('claim', '')}: {arithmetic}", c.get("quote", "")))
    return out, tested


def check_published(data: dict) -> list[Motsagelse]:
    """Every internal contradiction of a published-figures file (empty when it agrees with itself)."""
    ix = Index(data)
    found: list[Motsagelse] = []
    for check in (check_kon, check_derived, check_ratios, check_jobbtorg_sum, check_changes, check_same_metric):
        found += check(ix)
    found += check_claims(data, ix)[0]
    # One finding per fact: the same arithmetic reached twice (e.g. ej_nadda as a difference
    # and as a sum) is reported once.
    seen, unique = set(), []
    for f in found:
        k = (f.typ, frozenset(f.ids))
        if k not in seen:
            seen.add(k)
            unique.append(f)
    return unique


def summary(data: dict) -> dict[str, int]:
    """How much of the file the checks could reach (for the report line)."""
    ix = Index(data)
    return {"poster": len(data["entries"]), "med_nyckeltal": sum(1 for e in data["entries"] if published_refs(e)),
            "pastaenden_provade": len(check_claims(data, ix)[1]), "pastaenden": len(data["claims"])}

