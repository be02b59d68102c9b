"""The register export, typed: one frame per table, for the metrics.

Typed frames keep the file's row order and a `_rad` column (`ROW`) with the 1-based data
row number, so ties can be broken "by file order" and errors can name rows.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .lookup import isin
from .period import iso_dates
from .read import RawExport, read_raw
from .schema import COLUMNS, ROW


def _typed_column(s: pd.Series, kind: str) -> pd.Series:
    s = s.str.strip()
    if kind == "date":
        return iso_dates(s.where(s != ""), errors="raise")
    if kind == "int":
        return pd.to_numeric(s.where(s != ""), downcast=None).astype("Int64")
    if kind == "bool":
        return s.str.lower() == "true"
    return s


def to_typed(raw: RawExport) -> Export:
    """Typed frames: dates as datetime64, integers as Int64, besvarat as bool.

    Call only on an export that passed validation.
    """
    out = {}
    for t, cols in COLUMNS.items():
        df = raw.tables[t]
        typed = pd.DataFrame({c: _typed_column(df[c], k) for c, k in cols.items()})
        typed[ROW] = df.index + 1  # the file's data row, also after rows were set aside
        out[t] = typed.reset_index(drop=True)
    return Export(**out)


@dataclass(frozen=True)
class Export:
    """The register export, typed. Frames are never modified in place."""

    personer: pd.DataFrame
    registerperioder: pd.DataFrame
    kontaktforsok: pd.DataFrame
    sysselsattning: pd.DataFrame
    insatser: pd.DataFrame
    enkat: pd.DataFrame
    befolkning: pd.DataFrame

    def restrict(self, person_ids: pd.Index) -> "Export":
        """Only the rows of these persons (enkat and befolkning are not per person)."""
        keep = lambda df: df[isin(df["person_id"], person_ids)]  # noqa: E731
        return Export(
            personer=keep(self.personer),
            registerperioder=keep(self.registerperioder),
            kontaktforsok=keep(self.kontaktforsok),
            sysselsattning=keep(self.sysselsattning),
            insatser=keep(self.insatser),
            enkat=self.enkat,
            befolkning=self.befolkning,
        )

    def kon(self) -> pd.Series:
        """person_id → 'K' / 'M'."""
        return self.personer.set_index("person_id")["kon"]


def load(data_dir: Path | str) -> Export:
    """Read and type an export (no validation; see kaa_report.validate.gx)."""
    return to_typed(read_raw(data_dir))
