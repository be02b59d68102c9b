"""Membership tests on text columns at national scale.

pandas 3 keeps text as arrow strings, and `Series.isin` / `Index.isin` on them turn every
value looked for into a Python object first: with a million person_ids a single call
takes seconds. `isin` does the same test in one pyarrow hash lookup (measured in
benchmarks/scale.py); a missing value is never a member.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def _arrow(x) -> pa.Array:
    if isinstance(x, (pd.Series, pd.Index)):
        x = x.array
    arr = pa.array(x, from_pandas=True)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def isin(values: pd.Series | pd.Index, members) -> np.ndarray:
    """values.isin(members) for text: a boolean numpy array, False where values is missing."""
    if len(values) == 0:
        return np.zeros(0, dtype=bool)
    v = _arrow(values)
    m = _arrow(members if isinstance(members, (pd.Series, pd.Index)) else pd.Index(list(members), dtype="str"))
    if not pa.types.is_string(v.type) and not pa.types.is_large_string(v.type):
        return np.asarray(values.isin(members), dtype=bool)  # not text: pandas is fine
    if len(m) == 0 or pa.types.is_null(m.type):
        return np.zeros(len(values), dtype=bool)
    out = pc.is_in(v, value_set=m.cast(v.type), skip_nulls=True)
    return np.asarray(out.fill_null(False), dtype=bool)


def reindex(s: pd.Series, index) -> pd.Series:
    """s.reindex(index) for a Series with a unique text index (person_id): the positions come
    from one pyarrow hash lookup (pandas converts every text of both indexes to a Python
    object first: seconds per call at a million persons). Missing labels give the missing
    value of s's dtype, as reindex does."""
    new = pd.Index(index)
    if not (s.index.dtype == "str" and new.dtype == "str") or not s.index.is_unique:
        return s.reindex(new)
    pos = pc.index_in(_arrow(new), value_set=_arrow(s.index)).fill_null(-1).to_numpy().astype(np.intp)
    values = pd.api.extensions.take(s.array, pos, allow_fill=True)
    return pd.Series(values, index=new, name=s.name)
