"""Small-number suppression applied to the outputs: a report table (rows × columns with
total rows and total columns) and a scope's nyckeltal. The rules and the choice of
hidden cells are in `kaa_report.privacy.suppress`."""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from .suppress import (
    DEFAULT_N,
    Hidden,
    Relation,
    SuppressionParams,
    choose,
)

# ---------------------------------------------------------------- tables


def table_relations(df: pd.DataFrame, count_cols: Sequence[str], label_col: str = "rad",
                    total_rows: Mapping[str, Iterable[str] | None] | None = None,
                    total_cols: Mapping[str, Iterable[str]] | None = None) -> list[Relation]:
    """The sums of a report table, over cell keys (row label, column).

    total_rows: row label → the row labels it sums (None = every row that is not itself a
    total row), for every count column. total_cols: column → the columns it sums, in every
    row.
    """
    labels = list(df[label_col])
    total_rows = dict(total_rows or {})
    total_cols = dict(total_cols or {})
    out = []
    for tr, parts in total_rows.items():
        parts = [r for r in labels if r not in total_rows] if parts is None else list(parts)
        for c in count_cols:
            out.append(Relation((tr, c), tuple((r, c) for r in parts)))
    for tc, parts in total_cols.items():
        for r in labels:
            out.append(Relation((r, tc), tuple((r, c) for c in parts)))
    return out


def table_cells(df: pd.DataFrame, count_cols: Sequence[str], label_col: str = "rad") -> dict:
    """(row label, column) → value for the count columns."""
    labels = list(df[label_col])
    if len(set(labels)) != len(labels):
        raise ValueError(f"radetiketterna i {label_col!r} är inte unika")
    return {(r, c): v for r, row in zip(labels, df[list(count_cols)].itertuples(index=False))
            for c, v in zip(count_cols, row)}


def table_hidden(df: pd.DataFrame, count_cols: Sequence[str], *, n: int = DEFAULT_N, label_col: str = "rad",
                 total_rows: Mapping[str, Iterable[str] | None] | None = None,
                 total_cols: Mapping[str, Iterable[str]] | None = None,
                 shown: Iterable = (), hidden: Iterable = ()) -> Hidden:
    """The hidden count cells of a table, keys (row label, column)."""
    values = table_cells(df, count_cols, label_col)
    rels = table_relations(df, count_cols, label_col, total_rows, total_cols)
    return choose(values, rels, n, shown=shown, hidden=hidden)


def apply_hidden(df: pd.DataFrame, hid: Hidden, params: SuppressionParams, count_cols: Sequence[str],
                 label_col: str = "rad", shares: Mapping[str, tuple[str, str]] | None = None) -> pd.DataFrame:
    """A copy of df with every hidden count cell replaced by its sign and every share of a
    hidden count by the secondary sign (those columns become object)."""
    out = df.astype({c: object for c in [*count_cols, *(shares or {})]})
    for i, r in zip(df.index, df[label_col]):
        for c in count_cols:
            s = hid.sign((r, c), params)
            if s is not None:
                out.at[i, c] = s
        for s, (num, den) in (shares or {}).items():
            if (r, num) in hid or (r, den) in hid:
                out.at[i, s] = params.secondary_label
    return out


def suppress_table(df: pd.DataFrame, count_cols: Sequence[str], *, n: int = DEFAULT_N,
                   params: SuppressionParams | None = None, label_col: str = "rad",
                   total_rows: Mapping[str, Iterable[str] | None] | None = None,
                   total_cols: Mapping[str, Iterable[str]] | None = None,
                   shares: Mapping[str, tuple[str, str]] | None = None,
                   shown: Iterable = (), hidden: Iterable = ()) -> pd.DataFrame:
    """The table with small counts ("<5"), the cheapest cells that protect them ("..") and
    shares of hidden counts ("..") hidden.

    Example, Tabell 2 (rows Ej nådda, Nådda, Sökta totalt; columns Kvinnor, Män, Totalt)::

        suppress_table(t2, ["Kvinnor", "Män", "Totalt"],
                       total_rows={"Sökta totalt": ["Ej nådda", "Nådda"]},
                       total_cols={"Totalt": ["Kvinnor", "Män"]})
    """
    params = params or SuppressionParams(n=n)
    hid = table_hidden(df, count_cols, n=params.n, label_col=label_col, total_rows=total_rows,
                       total_cols=total_cols, shown=shown, hidden=hidden)
    return apply_hidden(df, hid, params, count_cols, label_col, shares)


# ---------------------------------------------------------------- nyckeltal


def figure_relations(figures: Mapping[str, object]) -> tuple[list[Relation], dict[str, tuple[str, str]]]:
    """The sums and shares among nyckeltal keys, from metrics.DERIVED and the _k/_m splits.

    Returns (relations, shares) restricted to keys present in figures.
    """
    from ..metrics.definitions import derived_instances

    rels, shares = [], {}
    keys = set(figures)
    for k in figures:
        if f"{k}_k" in keys and f"{k}_m" in keys:
            rels.append(Relation(k, (f"{k}_k", f"{k}_m")))
    for x, fid, args in derived_instances(keys):
        if fid not in keys:
            continue
        if x.op == "summa":
            rels.append(Relation(fid, tuple(args)))
        elif x.op == "differens":
            rels.append(Relation(args[0], (fid, *args[1:])))
        elif x.op == "kvot":
            shares[fid] = (args[0], args[1])
    return rels, shares


def figures_hidden(figures: Mapping[str, object], n: int = DEFAULT_N) -> tuple[Hidden, set]:
    """(hidden counts, hidden shares) of a nyckeltal dict."""
    rels, shares = figure_relations(figures)
    hid = choose({k: v for k, v in figures.items() if k not in shares}, rels, n)
    hidden_shares = {k for k, (num, den) in shares.items() if num in hid or den in hid}
    return hid, hidden_shares


def show_figures(figures: Mapping[str, object], hid: Hidden, hidden_shares: set, params: SuppressionParams) -> dict:
    """The nyckeltal dict as published: hidden counts and shares replaced by their signs."""
    out = {}
    for k, v in figures.items():
        if k in hidden_shares:
            out[k] = params.secondary_label
        else:
            s = hid.sign(k, params)
            out[k] = v if s is None else s
    return out


def suppress_figures(figures: Mapping[str, object], n: int = DEFAULT_N, params: SuppressionParams | None = None) -> dict:
    """A nyckeltal dict with small counts ("<5"), the cheapest counts that protect them and
    their shares ("..") hidden."""
    params = params or SuppressionParams(n=n)
    hid, hs = figures_hidden(figures, params.n)
    return show_figures(figures, hid, hs, params)
