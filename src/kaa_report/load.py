"""Reading a register export: raw text frames (for validation) and typed frames (for metrics).

Every frame keeps the file's row order and a `_rad` column with the 1-based data row
number, so ties can be broken "by file order" and errors can name rows.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .schema import COLUMNS, TABLES

ROW = "_rad"


class InputError(Exception):
    """The export cannot be read; the message says which file and what to fix."""


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass(frozen=True)
class RawExport:
    """The export as text: one frame per table, every cell a string ('' = missing)."""

    tables: dict[str, pd.DataFrame]
    files: dict[str, Path]
    fmt: str = "csv"
    warnings: list[str] = field(default_factory=list)

    def checksums(self) -> dict[str, str]:
        return {p.name: sha256(p) for p in sorted(set(self.files.values()))}


def read_raw(data_dir: Path | str) -> RawExport:
    """Read the contract's CSV folder as text frames, columns as in the file."""
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise InputError(f"{data_dir}: mappen finns inte (the export folder does not exist)")
    tables, files, warnings = {}, {}, []
    for t in TABLES:
        p = data_dir / f"{t}.csv"
        if not p.is_file():
            raise InputError(f"{p}: filen saknas (missing file for table {t!r})")
        try:
            df = pd.read_csv(p, dtype=str, keep_default_na=False, encoding="utf-8")
        except UnicodeDecodeError as e:
            raise InputError(f"{p}: är inte UTF-8 ({e.reason} vid byte {e.start}); spara filen som UTF-8") from e
        except pd.errors.EmptyDataError as e:
            raise InputError(f"{p}: filen är tom (the file is empty; expected a header row)") from e
        extra = [c for c in df.columns if c not in COLUMNS[t]]
        if extra:
            warnings.append(f"{p.name}: okända kolumner ignoreras: {', '.join(extra)}")
        tables[t] = df
        files[t] = p
    return RawExport(tables=tables, files=files, fmt="csv", warnings=warnings)


def _typed_column(s: pd.Series, kind: str) -> pd.Series:
    s = s.str.strip()
    if kind == "date":
        return pd.to_datetime(s.where(s != ""), format="%Y-%m-%d")
    if kind == "int":
        return pd.to_numeric(s.where(s != ""), downcast=None).astype("Int64")
    if kind == "bool":
        return s.str.lower() == "true"
    return s


def to_typed(raw: RawExport) -> "Export":
    """Typed frames: dates as datetime64, integers as Int64, besvarat as bool.

    Call only on an export that passed validation.
    """
    out = {}
    for t, cols in COLUMNS.items():
        df = raw.tables[t]
        typed = pd.DataFrame({c: _typed_column(df[c], k) for c, k in cols.items()})
        typed[ROW] = range(1, len(typed) + 1)
        out[t] = typed
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
        keep = lambda df: df[df["person_id"].isin(person_ids)]  # noqa: E731
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
    """Read and type an export (no validation; see kaa_report.validate)."""
    return to_typed(read_raw(data_dir))
