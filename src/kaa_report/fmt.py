"""Swedish number formatting: the one formatter of tables, prose, diagrams, alt texts and
the review commands' pages and messages.

Counts print as "7 546" and shares as "54 %" or "54 procent", always with a
non-breaking space (U+00A0) so a number never breaks across lines. Numbers are
formatted by Babel in locale sv_SE; rounding is done here, half away from zero
(Babel itself rounds half to even), to whole percent or to a given number of
decimals.

Every formatter passes strings that are not numbers through unchanged, so a
suppressed cell ("<5", "–") survives; a string that is a number ("7546",
"0.54") is formatted like the number. A missing value (None, NaN) prints as
SAKNAS ("–").

With `tecken=True` a change prints its sign: "+12", "−3", "+4,5 %", "−1 procentenhet";
the sign is that of the number as printed, so a change that rounds to zero has none ("0").
`exakt` shows a computed value in a check message, to at most six decimals ("0,744186").
"""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction
from functools import lru_cache
from numbers import Number

from babel.numbers import format_decimal

LOCALE = "sv_SE"
NBSP = "\u00a0"
MINUS = "\u2212"  # the Swedish minus sign (CLDR sv), not a hyphen
SAKNAS = "–"  # en dash: no value (e.g. a share whose denominator is 0)


def to_decimal(x) -> Decimal | None:
    """x as an exact Decimal; None for a missing value or a non-numeric string.

    A float goes through its shortest repr (0.285 → Decimal("0.285")), so a share
    that is exactly half a percent after rounding error still rounds away from zero.
    A Fraction is divided out to 28 significant digits.
    """
    if x is None or isinstance(x, bool):
        return None
    if isinstance(x, Decimal):
        return None if x.is_nan() else x
    if isinstance(x, Fraction):
        return Decimal(x.numerator) / Decimal(x.denominator)
    if isinstance(x, int):
        return Decimal(x)
    if isinstance(x, str):
        s = x.strip().replace(NBSP, "").replace(" ", "").replace(",", ".")
        try:
            d = Decimal(s)
        except InvalidOperation:
            return None
        return None if not d.is_finite() else d
    if isinstance(x, Number):  # float, numpy scalars
        f = float(x)
        if math.isnan(f) or math.isinf(f):
            return None
        if f == int(f) and abs(f) < 2**53:
            return Decimal(int(f))
        return Decimal(repr(f))
    return None


def avrunda(x, decimaler: int = 0) -> Decimal:
    """Round half away from zero: avrunda(2.5) == 3, avrunda(-2.5) == -3, avrunda(0.125, 2) == 0.13."""
    d = to_decimal(x)
    if d is None:
        raise ValueError(f"inte ett tal: {x!r}")
    q = d.quantize(Decimal(1).scaleb(-decimaler), rounding=ROUND_HALF_UP)
    return abs(q) if q.is_zero() else q  # no "−0"


def _passthrough(x) -> str | None:
    """The text to print for a value that is not a number, or None when x is a number."""
    if to_decimal(x) is not None:
        return None
    if isinstance(x, str) and x.strip():
        return x
    return SAKNAS


def _babel(d: Decimal, decimaler: int, tecken: bool = False) -> str:
    """d (already rounded to `decimaler`) in Babel's sv_SE form; with `tecken` a "+" before a positive d."""
    return ("+" if tecken and d > 0 else "") + _babel_text(str(d), decimaler)


@lru_cache(maxsize=16384)  # a build formats the same few thousand numbers again and again (~0.5 ms each)
def _babel_text(d: str, decimaler: int) -> str:
    pattern = "#,##0" + ("." + "0" * decimaler if decimaler > 0 else "")
    out = format_decimal(Decimal(d), format=pattern, locale=LOCALE, decimal_quantization=False)
    return out.replace("-", MINUS)  # CLDR's sv minus sign; Babel prints "-"


def tal(x, decimaler: int = 0, tecken: bool = False) -> str:
    """A number with `decimaler` decimals, Swedish style: tal(7546) == "7 546", tal(72.45, 1) == "72,5",
    tal(12, tecken=True) == "+12" (the group separator is a non-breaking space)."""
    p = _passthrough(x)
    if p is not None:
        return p
    return _babel(avrunda(x, decimaler), decimaler, tecken)


def antal(x, tecken: bool = False) -> str:
    """A count: antal(7546) == "7 546" (non-breaking space); "<5" and "–" pass through;
    antal(392, tecken=True) == "+392", antal(-4, tecken=True) == "−4"."""
    return tal(x, 0, tecken)


def exakt(x, decimaler: int = 6, tecken: bool = False) -> str:
    """A number as closely as a check message shows it: at most `decimaler` decimals, the
    trailing zeros left out: exakt(96 / 129) == "0,744186", exakt(490.0) == "490",
    exakt(Fraction(351, 2), 2) == "175,5", exakt(7546) == "7 546"."""
    p = _passthrough(x)
    if p is not None:
        return p
    d = avrunda(x, decimaler)
    shown = max(0, -d.normalize().as_tuple().exponent)
    return _babel(d.quantize(Decimal(1).scaleb(-shown)), shown, tecken)


def procent(andel, decimaler: int = 0, ord: bool = False, tecken: bool = False) -> str:
    """A share (0..1) as percent: procent(0.54) == "54 %", procent(0.725, 1) == "72,5 %",
    procent(0.54, ord=True) == "54 procent"; a relative change: procent(0.045, 1, tecken=True)
    == "+4,5 %". The space is non-breaking."""
    p = _passthrough(andel)
    if p is not None:
        return p
    value = avrunda(to_decimal(andel) * 100, decimaler)
    return _babel(value, decimaler, tecken) + NBSP + ("procent" if ord else "%")


def procentenheter(skillnad, decimaler: int = 0, tecken: bool = False) -> str:
    """A difference of two shares (0..1) in percentage points: procentenheter(0.06) == "6 procentenheter",
    procentenheter(-0.01) == "1 procentenhet" (the words say which way: "minskade med");
    with its sign: procentenheter(-0.012, 1, tecken=True) == "−1,2 procentenheter"."""
    p = _passthrough(skillnad)
    if p is not None:
        return p
    value = avrunda(to_decimal(skillnad) * 100, decimaler)
    unit = "procentenhet" if abs(value) == 1 else "procentenheter"
    return _babel(value if tecken else abs(value), decimaler, tecken) + NBSP + unit
