"""The operating year (verksamhetsår) and the date rules of the contract.

Operating year Y runs from 1 December Y-1 to 30 November Y, both days included.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def year_start(year: int) -> pd.Timestamp:
    """1 December of the year before."""
    return pd.Timestamp(year - 1, 12, 1)


def year_end(year: int) -> pd.Timestamp:
    """30 November of the year."""
    return pd.Timestamp(year, 11, 30)


def dated_in(dates: pd.Series, year: int) -> pd.Series:
    """True where the date lies in operating year Y (missing dates are not)."""
    return dates.notna() & (dates >= year_start(year)) & (dates <= year_end(year))


def overlaps(start: pd.Series, end: pd.Series, year: int) -> pd.Series:
    """True where [start, end] overlaps Y: start on or before 30 Nov Y and end
    empty or on or after 1 Dec Y-1."""
    return (start <= year_end(year)) & (end.isna() | (end >= year_start(year)))


def operating_year(dates: pd.Series) -> pd.Series:
    """The operating year each date falls in (December belongs to the next year)."""
    return dates.dt.year + (dates.dt.month == 12).astype(int)


def year_bounds(years: pd.Series) -> tuple[pd.Series, pd.Series]:
    """1 Dec Y-1 and 30 Nov Y for each year Y of a series (datetime64[us]; computed on
    numpy months, not parsed from text: at national scale these are millions of rows)."""
    december = (years.to_numpy(dtype="int64") - 1 - 1970).astype("M8[Y]").astype("M8[M]") + np.timedelta64(11, "M")
    start = december.astype("M8[D]")
    end = (december + np.timedelta64(12, "M")).astype("M8[D]") - np.timedelta64(1, "D")
    return (pd.Series(start.astype("M8[us]"), index=years.index),
            pd.Series(end.astype("M8[us]"), index=years.index))
