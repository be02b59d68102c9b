"""A synthetic export of any size (`kaa-report synth --persons N`), for national-scale runs.

The calibrated register (`generate`, ~34 000 persons) is repeated: copy c of a person is
a new person with a fresh pseudonymous id and all the rows of the original (the same
dates, so every rule of the contract still holds). N persons take ceil(N / base) copies;
the last copy holds a seeded random subset of the base persons. With N a multiple of the
base, every count of the register is that multiple of the calibrated one. The survey is
repeated once per copy (fresh svar_id), and befolkning keeps one row per (ar, stadsdel,
kon) with antal_16_19 scaled by N / base. Same seed and N: byte-identical files.

Written with pyarrow (a million persons are about 7 million rows).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..contract.schema import COLUMNS

PER_PERSON = ("personer", "registerperioder", "kontaktforsok", "sysselsattning", "insatser")


def _arrow(df: pd.DataFrame, cols) -> pa.Table:
    """Text columns as arrow strings; '' (missing) as null, which the writer leaves empty."""
    def col(c):
        v = df[c].astype(str).to_numpy(dtype=object)
        return pa.array(np.where(v == "", None, v), type=pa.string())
    return pa.table({c: col(c) for c in cols})


def scaled_tables(base: dict[str, pd.DataFrame], persons: int, seed: int) -> dict[str, pa.Table]:
    """The base export grown (or shrunk) to `persons` persons, as arrow tables."""
    if persons < 1:
        raise ValueError("persons must be at least 1")
    rng = np.random.default_rng(np.random.SeedSequence([seed, persons, 1]))
    n = len(base["personer"])
    copies = -(-persons // n)
    last = persons - (copies - 1) * n
    # Base person index of every new person, copy by copy; the last copy a random subset.
    subset = np.sort(rng.permutation(n)[:last])
    src = np.concatenate([np.tile(np.arange(n), copies - 1), subset]).astype(np.int64)
    copy_of = np.concatenate([np.repeat(np.arange(copies - 1), n), np.full(last, copies - 1)]).astype(np.int64)
    # Fresh ids: a seeded permutation of 1..persons, zero-padded so text order = number order.
    number = rng.permutation(persons).astype(np.int64) + 1
    width = max(7, len(str(persons)))
    ids = pa.array(np.char.add("P", np.char.zfill(number.astype(str), width)).astype(object), type=pa.string())
    # new person of (copy, base index), -1 where the last copy lacks the base person
    new_of = np.full((copies, n), -1, dtype=np.int64)
    new_of[copy_of, src] = np.arange(persons)
    base_index = pd.Index(base["personer"]["person_id"])

    out: dict[str, pa.Table] = {}
    for t in PER_PERSON:
        df = base[t]
        cols = list(COLUMNS[t])
        arrow = _arrow(df, [c for c in cols if c != "person_id"])
        pidx = base_index.get_indexer(df["person_id"])
        new = new_of[:, pidx].ravel()  # copy-major: every row of copy 0, then copy 1, ...
        rows = np.tile(np.arange(len(df)), copies)
        keep = new >= 0
        new, rows = new[keep], rows[keep]
        order = np.lexsort((rows, number[new]))  # by new id, then the base's order within a person
        new, rows = new[order], rows[order]
        taken = arrow.take(pa.array(rows))
        out[t] = pa.table({c: ids.take(pa.array(new)) if c == "person_id" else taken[c] for c in cols})

    enk = base["enkat"]
    parts = []
    for c in range(copies):
        e = enk.copy()
        if c:
            e["svar_id"] = e["svar_id"] + f"-{c + 1}"
        parts.append(e)
    out["enkat"] = _arrow(pd.concat(parts, ignore_index=True), COLUMNS["enkat"])
    bef = base["befolkning"].copy()
    bef["antal_16_19"] = (bef["antal_16_19"].astype(np.int64) * persons / n).round().astype(np.int64).astype(str)
    out["befolkning"] = _arrow(bef, COLUMNS["befolkning"])
    return out


def write_arrow_tables(tables: dict[str, pa.Table], out: Path) -> list[Path]:
    """Write each table as <table>.csv in the contract's form (no quotes: no value holds a
    comma, quote or line break), header as in COLUMNS, null = empty cell."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for t, cols in COLUMNS.items():
        p = out / f"{t}.csv"
        with open(p, "wb") as f:
            f.write((",".join(cols) + "\n").encode("utf-8"))
            pacsv.write_csv(tables[t].select(list(cols)), f,
                            pacsv.WriteOptions(include_header=False, quoting_style="none"))
        paths.append(p)
    return paths
