"""One finding of the audit (`Avvikelse`) and how figures are compared and shown in it."""
from __future__ import annotations

import math
from dataclasses import dataclass

from .. import fmt

TOL = 1e-9


@dataclass(frozen=True)
class Avvikelse:
    """One figure that does not agree with its recomputation."""

    scope: str
    typ: str  # "harledd", "tabell", "forandring", "foregaende_ar", "summa", "text", "saknas", "publicerad",
    #           "pdf" (a printed number with no source), "kalltext" (a hand-typed number or comparison word)
    figur: str
    aritmetik: str

    def text(self) -> str:
        return f"[{self.typ}] {self.scope}: {self.figur}: {self.aritmetik}"


def _n(v) -> str:
    """A value in a message: a number as fmt.exakt prints it ("7 546", "0,744186"), JSON's
    null as "null", a text quoted ('<5')."""
    if v is None:
        return "null"
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return repr(v)
    return fmt.exakt(v)


def same(a, b) -> bool:
    """Equal as figures: both null, or numbers within 1e-9."""
    if a is None or b is None or (isinstance(a, float) and math.isnan(a)) or (isinstance(b, float) and math.isnan(b)):
        na = a is None or (isinstance(a, float) and math.isnan(a))
        nb = b is None or (isinstance(b, float) and math.isnan(b))
        return na and nb
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= TOL
    return a == b
