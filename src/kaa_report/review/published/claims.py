"""The testable claims of a published-figures file (`claims:`), each tried on the file's own numbers."""
from __future__ import annotations

from fractions import Fraction
from typing import Callable

from ... import fmt
from ...metrics import definitions as metrics
from .checks import Index, Motsagelse
from .intervals import round_half_away
from .refs import FIGURE_MAP_DATA, STAD, torg

# ---------------------------------------------------------------- claims

NAGOT_HOGST = Fraction(10, 100)  # "något" (somewhat): a change of at most 10 %
INDIKATOR = Fraction(1, 2)  # the indicator: at least half of avslutade went on to studier


def _cmp(ix: Index, key: str, year: int, scope: str = STAD):
    """(value Y, value Y−1, id Y, id Y−1) or None."""
    a, b = ix.value(year, scope, key), ix.value(year - 1, scope, key)
    if a is None or b is None:
        return None
    return a, b, ix.entry(year, scope, key)["id"], ix.entry(year - 1, scope, key)["id"]


def _claim_up(keys: tuple[str, ...], every_torg: bool = False) -> Callable:
    """Each key increased from Y−1 to Y: in the city, or at every torg (Tabell 5/6)."""
    def check(ix: Index, year: int):
        found, bad = False, []
        for scope in (torg(year) if every_torg else [STAD]):
            where = "" if scope == STAD else f"{scope} "
            for k in keys:
                c = _cmp(ix, k, year, scope)
                if c is None:
                    continue
                found = True
                if not c[0] > c[1]:
                    bad.append((f"{where}{k}: {year} {fmt.exakt(c[0])} mot {year - 1} {fmt.exakt(c[1])}, ingen ökning",
                                c[2:]))
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
        r = f" ({fmt.procent(rel, 1, tecken=True)})" if rel is not None else ""
        return True, [(f"{key}: {fmt.exakt(a)} − {fmt.exakt(b)} = {fmt.exakt(a - b)}{r}; \u201dnågot\u201d tolkas som en "
                       f"ökning om högst {fmt.procent(NAGOT_HOGST)}", c[2:])]
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
        txt = "; ".join(f"{y}: {fmt.exakt(n)}/{fmt.exakt(m)} = {fmt.procent(n / m, 2)} → {fmt.procent(n / m)}"
                        for y, (n, m, _) in vals.items())
        ids = tuple(ix.entry(y, STAD, a_)["id"] for y in vals for a_ in d.args)
        return True, [(f"{txt}: inte oförändrad", ids)]
    return check


def _claim_all_torg_indikator(ix: Index, year: int):
    """Every torg: avslutade till studier / avslutade ≥ INDIKATOR, 50 % (exact counts)."""
    found, bad = False, []
    for t in torg(year):
        n, m = ix.value(year, t, "avslutade_studier"), ix.value(year, t, "avslutade")
        if n is None or not m:
            continue
        found = True
        if n / m < INDIKATOR:
            bad.append((f"{t}: {fmt.exakt(n)}/{fmt.exakt(m)} = {fmt.procent(n / m, 1)} < {fmt.procent(INDIKATOR)}",
                        (ix.entry(year, t, "avslutade_studier")["id"], ix.entry(year, t, "avslutade")["id"])))
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
            txt = ", ".join(f"{t} {fmt.exakt(v, 1, tecken=True)}" for t, v in ch.items())
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
                bad.append((f"{t} {key}: {year} {fmt.exakt(a, 1)} mot {year - 1} {fmt.exakt(b, 1)}, sjönk inte", c[2:]))
            if t != fell and a < b:
                bad.append((f"{t} {key}: {year} {fmt.exakt(a, 1)} mot {year - 1} {fmt.exakt(b, 1)}, sjönk", c[2:]))
    return found, bad


# figure_map.yml's claims: claim id → (year, test), each test one of these, given its arguments.
TESTS: dict[str, Callable[[dict], Callable]] = {
    "up": lambda c: _claim_up(tuple(c["keys"]), c.get("scopes") == "torg"),
    "nagot": lambda c: _claim_nagot(c["key"]),
    "share_about": lambda c: _claim_share_about(c["key"]),
    "all_torg_indikator": lambda c: _claim_all_torg_indikator,
    "most": lambda c: _claim_most(dict(c["leaders"])),
    "arbete_except": lambda c: _claim_arbete_except(c["fell"]),
}
CLAIM_TESTS: dict[str, tuple[int, Callable]] = {
    cid: (int(c["year"]), TESTS[c["test"]](c)) for cid, c in FIGURE_MAP_DATA["claims"].items()
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

