"""The operating year (verksamhetsår) and the date rules of the contract.

Operating year Y runs from 1 December Y-1 to 30 November Y, both days included.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

DATE_FORMAT = "%Y-%m-%d"


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


def iso_dates(s: pd.Series, errors: str = "coerce") -> pd.Series:
    """Text (YYYY-MM-DD; missing = missing) as datetime64[us], as pd.to_datetime(format=
    "%Y-%m-%d", errors=errors) gives it. A column of strict ISO dates only (every valid
    export) is cast by pyarrow, ~7× faster; one odd value and pandas parses the column
    (malformed values become NaT, or raise with errors="raise")."""
    try:
        a = pa.array(s.array, from_pandas=True)
        if pa.types.is_string(a.type) or pa.types.is_large_string(a.type):
            us = pc.cast(a, pa.date32()).cast(pa.timestamp("us"))
            return pd.Series(us.to_numpy(zero_copy_only=False), index=s.index, name=s.name)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        pass
    return pd.to_datetime(s, format=DATE_FORMAT, errors=errors)
