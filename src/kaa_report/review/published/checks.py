"""The consistency checks of a published-figures file: sums, shares, kön splits, stated
changes and same_metric_as pairs, on the file's own numbers only."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ... import fmt
from ...metrics import definitions as metrics
from ...params import mapping_for
from .intervals import decimals, hedge, interval, number
from .refs import STAD, published_refs

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


def check_derived(ix: Index) -> list[Motsagelse]:
    """Every difference and sum of metrics.DERIVED the file states, against the file's own
    inputs, exactly or within its hedge (ej_nadda + nadda = sokta, studier + arbete =
    studier_arbete). Its shares are checked by check_shares."""
    out = []
    for (year, scope, key), entries in sorted(ix.all.items(), key=lambda kv: str(kv[0])):
        base, suf = metrics.split_kon(key)
        d = metrics.DERIVED_BY_ID.get(base)
        if d is None or d.op == "kvot":
            continue
        args = [a + suf for a in d.args]
        vals = [ix.value(year, scope, a) for a in args]
        if any(v is None for v in vals):
            continue
        src = [ix.entry(year, scope, a)["id"] for a in args]
        got = metrics.compute(d.op, vals)
        for e in entries:
            if not interval(e).contains(Fraction(got)):
                sym = {"differens": " − ", "summa": " + "}[d.op]
                out.append(Motsagelse("summa", (e["id"], *src), (
                    f"{sym.join(fmt.exakt(v) for v in vals)} = {fmt.exakt(got)}, tryckt {e['value_as_printed']}"
                    f" ({d.id}{suf} = {d.formula()})"), e["quote"]))
    return out


def _stated_shares(ix: Index):
    """(entry, year, scope, numerator key, denominator key) of every share the file states:
    a ratio of metrics.DERIVED (avslutade_andel = avslutade / inskrivna, by kön too) and a
    ratio the figure map names (c25_omfattade_andel_man = omfattade_m / omfattade)."""
    for (year, scope, key), entries in sorted(ix.all.items(), key=lambda kv: str(kv[0])):
        base, suf = metrics.split_kon(key)
        d = metrics.DERIVED_BY_ID.get(base)
        if d is not None and d.op == "kvot":
            yield from ((e, year, scope, d.args[0] + suf, d.args[1] + suf) for e in entries)
    for e in ix.entries.values():
        yield from ((e, r.year, r.scope, r.key, r.den) for r in published_refs(e) if r.kind == "kvot")


def check_shares(ix: Index) -> list[Motsagelse]:
    """Every share the file states against the two counts it is the ratio of, at the printed
    precision (or within its hedge)."""
    out = []
    for e, year, scope, num, den in _stated_shares(ix):
        n, m, iv = ix.value(year, scope, num), ix.value(year, scope, den), interval(e)
        if iv is None or n is None or not m or iv.contains(n / m * 100):
            continue
        ids = (e["id"], ix.entry(year, scope, num)["id"], ix.entry(year, scope, den)["id"])
        out.append(Motsagelse("andel", ids, (
            f"{fmt.exakt(n)}/{fmt.exakt(m)} = {fmt.procent(n / m, max(decimals(e), 1) + 1)} → "
            f"{fmt.procent(n / m, decimals(e))} vid tryckt precision, tryckt {e['value_as_printed']}"), e["quote"]))
    return out


def jobbtorg_scopes(year: int) -> list[str]:
    """The jobbtorg slugs of the mapping in force for Y, then saknar-stadsdel."""
    return [u.slug for u in mapping_for(year).units]


def _splits(year: int, scope: str, key: str):
    """The ways the file may state a count in parts: (words before the sum, the total's name,
    the parts as (scope, key)): by kön, and the city's by unit (Tabell 5/6's rows, Saknar
    stadsdel included)."""
    if not key.endswith(("_k", "_m")):
        yield "kvinnor + män = ", "totalt", [(scope, key + "_k"), (scope, key + "_m")]
    if scope == STAD:
        yield "", "Totalt", [(s, key) for s in jobbtorg_scopes(year)]


def check_parts(ix: Index) -> list[Motsagelse]:
    """Every count the file states whole and in parts: the parts sum to the whole (K + M =
    total; the jobbtorg rows and Saknar stadsdel to Totalt)."""
    out = []
    for (year, scope, key), e in sorted(ix.exact.items(), key=lambda kv: str(kv[0])):
        if metrics.is_share(key):
            continue
        for words, whole, parts in _splits(year, scope, key):
            vals = [ix.value(year, s, k) for s, k in parts]
            if any(v is None for v in vals) or sum(vals) == number(e):
                continue
            ids = tuple(ix.entry(year, s, k)["id"] for s, k in parts) + (e["id"],)
            out.append(Motsagelse("summa", ids, (
                f"{words}{' + '.join(fmt.exakt(v) for v in vals)} = {fmt.exakt(sum(vals))}, "
                f"{whole} tryckt {e['value_as_printed']} ({key} {year})"), e["quote"]))
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
                    f"{r.key} {r.year} − {r.year - 1} = {fmt.exakt(now)} − {fmt.exakt(before)} = {fmt.exakt(now - before)}, "
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


