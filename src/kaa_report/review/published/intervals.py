"""What range of true values a printed number allows: rounding at the printed precision
and the hedges "ca", "nästan", "drygt", "över"."""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ... import fmt

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
        """"185", "[175,75; 185[", "[53,5; 54,5[ %" (bounds as fmt.exakt prints them)."""
        u = fmt.NBSP + "%" if percent else ""
        if self.low == self.high:
            return f"{fmt.exakt(self.low)}{u}"
        a = "]" if self.low_open else "["
        b = "[" if self.high_open else "]"
        return f"{a}{fmt.exakt(self.low)}; {fmt.exakt(self.high)}{b}{u}"


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
    """x rounded half away from zero to nd decimals (kaa_report.fmt's rule), as a Fraction."""
    return Fraction(fmt.avrunda(Fraction(x), nd))


