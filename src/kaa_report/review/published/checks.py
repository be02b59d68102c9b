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
                    share = vals[0] / vals[1]
                    out.append(Motsagelse("andel", (e["id"], *src), (
                        f"{fmt.exakt(vals[0])}/{fmt.exakt(vals[1])} = {fmt.procent(share, max(decimals(e), 1) + 1)} → "
                        f"{fmt.procent(share, decimals(e))} vid tryckt precision, "
                        f"tryckt {e['value_as_printed']}"), e["quote"]))
            else:
                got = metrics.compute(d.op, vals)
                if not iv.contains(Fraction(got)):
                    sym = {"differens": " − ", "summa": " + "}[d.op]
                    out.append(Motsagelse("summa", (e["id"], *src), (
                        f"{sym.join(fmt.exakt(v) for v in vals)} = {fmt.exakt(got)}, tryckt {e['value_as_printed']}"
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
            if not iv.contains(n / m * 100):
                ids = (e["id"], ix.entry(r.year, r.scope, r.key)["id"], ix.entry(r.year, r.scope, r.den)["id"])
                out.append(Motsagelse("andel", ids, (
                    f"{fmt.exakt(n)}/{fmt.exakt(m)} = {fmt.procent(n / m, decimals(e) + 2)}, tryckt {e['value_as_printed']}"), e["quote"]))
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
            out.append(Motsagelse("summa", ids, f"kvinnor + män = {fmt.exakt(k)} + {fmt.exakt(m)} = {fmt.exakt(k + m)}, "
                                  f"totalt tryckt {e['value_as_printed']}", e["quote"]))
    return out


def jobbtorg_scopes(year: int) -> list[str]:
    """The jobbtorg slugs of the mapping in force for Y, then saknar-stadsdel."""
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
                f"{' + '.join(fmt.exakt(v) for _, v in parts)} = {fmt.exakt(total)}, Totalt tryckt {e['value_as_printed']}"
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


