"""Dates as day numbers (date.toordinal()) and the operating year's bounds."""
from __future__ import annotations

from datetime import date


def ystart(year: int) -> int:
    """1 December of the year before, as a day number."""
    return date(year - 1, 12, 1).toordinal()


def yend(year: int) -> int:
    """30 November of the year, as a day number."""
    return date(year, 11, 30).toordinal()


def iso(day: int | None) -> str:
    return "" if day is None else date.fromordinal(int(day)).isoformat()


def day(s: str) -> int:
    return date.fromisoformat(s).toordinal()


def add_years(d: date, n: int) -> date:
    """The same day n years later (29 Feb → 28 Feb)."""
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


def birth_day(rng, fran: int, age: int) -> int:
    """A birth date giving `age` completed years on day `fran` (never 29 February)."""
    f = date.fromordinal(fran)
    upper = add_years(f, -age).toordinal()
    lower = add_years(f, -(age + 1)).toordinal() + 1
    b = rng.day(lower, upper)
    bd = date.fromordinal(b)
    if bd.month == 2 and bd.day == 29:
        b = b - 1 if b - 1 >= lower else b + 1
    return b


def age_on(birth: int, on: int) -> int:
    """Completed years on day `on` for someone born on day `birth`."""
    b, d = date.fromordinal(birth), date.fromordinal(on)
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))
