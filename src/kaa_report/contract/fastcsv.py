"""The common case of a CSV export read with pyarrow's multi-threaded reader.

A contract CSV file (comma-separated, UTF-8 with or without BOM, a named column for every
field, no blank lines, every row as wide as the header, ending in a line break) is read
here as text columns; the Python reader in read.py reads the same files ~50× slower. Any
file this module is not sure about (another dialect or encoding, signs of double
encoding, a short, long, blank or truncated row) gives None, and read.py's Python reader
reads it instead and names what is wrong, so the messages stay the same.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

_BOM = b"\xef\xbb\xbf"


def read_csv_columns(p: Path) -> tuple[list[str], list[pd.Series], str] | None:
    """(header, one text Series per column, encoding name) or None (see the module)."""
    data = p.read_bytes()
    bom = data.startswith(_BOM)
    body = data[3:] if bom else data
    if not body.endswith(b"\n") or b"\x00" in body[:1000] or b"\xc3\x83" in body:
        return None  # truncated, UTF-16, or perhaps double-encoded: the Python reader decides
    first = body.split(b"\n", 1)[0]
    if first.count(b",") <= max(first.count(b";"), first.count(b"\t")):
        return None
    try:
        header = next(csv.reader([first.decode("utf-8").rstrip("\r")]))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None
    if not header or any(h.strip() == "" for h in header):
        return None
    names = [f"c{i}" for i in range(len(header))]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(body),
            read_options=pacsv.ReadOptions(skip_rows=1, column_names=names, block_size=16 << 20),
            parse_options=pacsv.ParseOptions(delimiter=",", newlines_in_values=True, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowException):
        return None
    if table.num_rows:
        blank = None
        for col in table.columns:
            empty = pc.equal(col, "")
            blank = empty if blank is None else pc.and_(blank, empty)
        if pc.any(blank).as_py():
            return None  # a row of empty fields: the Python reader skips and counts it
    cols = [pd.Series(col.combine_chunks(), dtype="str") if table.num_rows else pd.Series([], dtype="str")
            for col in table.columns]
    return header, cols, "utf-8-bom" if bom else "utf-8"
