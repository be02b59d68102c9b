"""Small-number suppression (röjandeskydd) for published outputs below city level.

A count from 1 to N−1 is hidden (primary suppression; 0 is shown). Then, so that no
hidden count can be worked out from the totals it adds up to, more cells are hidden
(secondary suppression) until no hidden cell is determined by the table's sums. A share
whose numerator or denominator is hidden is hidden too. N comes from
``params/suppression.yml`` (default 5).

Every hidden cell shows the same label, ``"<5"`` (``"<N"``): the footnote
(`SuppressionParams.note`) says it stands for "too few, or hidden so that a small number
cannot be worked out". Primary and secondary cells must look alike: a reader who could
tell a secondary cell (≥ N) from a primary one could bound the primary one by
subtraction.

What counts as "worked out" (checked by `leaks`):

- per sum (a `Relation`: total = sum of parts), a hidden cell is determined when its
  value is forced by that sum, given that every hidden cell is at least 1 (a hidden
  cell is never 0), and, when every hidden cell of the sum is truly below N, also
  given that each is at most N−1 (the label taken literally): e.g. "<5", "<5" and a
  total of 8 give 4 and 4;
- over all sums together, a hidden cell is determined when its smallest and largest
  possible integer values, given all sums and every hidden cell ≥ 1, are equal (two small
  integer programmes per hidden cell, scipy's HiGHS); and again with every hidden cell
  ≤ N−1 when all hidden cells are truly below N.

Secondary cells are chosen greedily: for the first leaking sum, the smallest non-zero
visible part (a total only when no part can be hidden; ties by position), then the
check is repeated until nothing leaks (when a leaking sum has no visible non-zero cell
left, the smallest one of any sum with a hidden cell). It does not search for the
fewest hidden cells.

The functions are pure: `hidden_cells` works on any mapping of cells to counts;
`suppress_table` applies it to a report table (rows × columns with total rows and
total columns), `suppress_figures` to a nyckeltal dict.
"""
from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParamsError
from ..paths import PARAMS

DEFAULT_N = 5


# ---------------------------------------------------------------- parameters


@dataclass(frozen=True)
class SuppressionParams:
    """`params/suppression.yml`: the threshold N, the label and the footnote."""

    n: int = DEFAULT_N
    label: str = "<{n}"
    note: str = ("{label} = färre än {n}, eller dolt för att ett litet antal inte ska kunna räknas fram "
                 "ur summorna.")

    @property
    def hidden_label(self) -> str:
        return self.label.format(n=self.n)

    @property
    def footnote(self) -> str:
        return self.note.format(n=self.n, label=self.hidden_label)


def load_params(params_dir: Path = PARAMS) -> SuppressionParams:
    """Read params/suppression.yml (the defaults when the file is absent)."""
    import yaml

    p = Path(params_dir) / "suppression.yml"
    if not p.is_file():
        return SuppressionParams()
    raw = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    n = int(raw.get("n", DEFAULT_N))
    if n < 2:
        raise ParamsError(f"{p}: n måste vara minst 2 (är {n})")
    d = SuppressionParams()
    return SuppressionParams(n=n, label=str(raw.get("label", d.label)), note=str(raw.get("note", d.note)))


def label_for(n: int) -> str:
    return SuppressionParams(n=n).hidden_label


# ---------------------------------------------------------------- one value


def _count(v) -> int | None:
    """v as an int count, or None when it is missing or not a count."""
    if v is None or isinstance(v, (bool, str)):
        return None
    try:
        if pd.isna(v):
            return None
    except (TypeError, ValueError):
        return None
    f = float(v)
    return int(f) if f.is_integer() else None


def is_small(v, n: int = DEFAULT_N) -> bool:
    """True when v is a count from 1 to n−1 (primary suppression)."""
    c = _count(v)
    return c is not None and 1 <= c <= n - 1


# ---------------------------------------------------------------- the core


@dataclass(frozen=True)
class Relation:
    """total = sum(parts), over cell keys."""

    total: Hashable
    parts: tuple[Hashable, ...]

    @property
    def cells(self) -> tuple[Hashable, ...]:
        return (self.total, *self.parts)

    def coef(self, k: Hashable) -> int:
        return 1 if k == self.total else -1


def _interval_leak(rel: Relation, values: Mapping, hidden: set, primary: set, n: int) -> bool:
    """Is a hidden cell of this one sum forced to a single value (see the module docstring)?"""
    h = [k for k in rel.cells if k in hidden]
    if not h:
        return False
    if len(h) == 1:
        return True
    b = -sum(rel.coef(k) * values[k] for k in rel.cells if k not in hidden)  # sum(coef·x over hidden) = b
    regimes = [dict.fromkeys(h, (1, math.inf))]
    if all(k in primary for k in h):
        regimes.append(dict.fromkeys(h, (1, n - 1)))
    for bounds in regimes:
        for j in h:
            lo_r = hi_r = 0.0
            for i in h:
                if i == j:
                    continue
                c, (lo, hi) = rel.coef(i), bounds[i]
                lo_r += c * lo if c > 0 else c * hi
                hi_r += c * hi if c > 0 else c * lo
            cj = rel.coef(j)
            a, z = sorted(((b - hi_r) / cj, (b - lo_r) / cj))
            lo_j, hi_j = max(a, bounds[j][0]), min(z, bounds[j][1])
            if math.isfinite(lo_j) and lo_j == hi_j:
                return True
    return False


def _determined(values: Mapping, relations: Sequence[Relation], hidden_order: list, upper: float) -> list:
    """Hidden cells whose value all the sums together fix, every hidden cell in [1, upper].

    Exact: each hidden cell is minimised and maximised as an integer programme (scipy's
    HiGHS); a cell is determined when its minimum equals its maximum.
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    if not hidden_order:
        return []
    col = {k: i for i, k in enumerate(hidden_order)}
    rows = [r for r in relations if any(k in col for k in r.cells)]
    if not rows:
        return []
    a = np.zeros((len(rows), len(hidden_order)))
    b = np.zeros(len(rows))
    for i, r in enumerate(rows):
        for k in r.cells:
            if k in col:
                a[i, col[k]] += r.coef(k)
            else:
                b[i] -= r.coef(k) * values[k]
    m = len(hidden_order)
    cons, bounds, integ = LinearConstraint(a, b, b), Bounds(np.ones(m), np.full(m, upper)), np.ones(m)
    out = []
    for k, j in col.items():
        c = np.zeros(m)
        c[j] = 1.0
        lo = milp(c, constraints=cons, bounds=bounds, integrality=integ)
        if lo.status == 2:  # infeasible: these bounds are not what the reader can assume
            return []
        hi = milp(-c, constraints=cons, bounds=bounds, integrality=integ)
        if lo.status == 0 and hi.status == 0 and round(lo.fun) == round(-hi.fun):
            out.append(k)
    return out


def leaks(values: Mapping, relations: Sequence[Relation], hidden: set, n: int = DEFAULT_N,
          primary: set | None = None) -> list[Relation]:
    """The sums through which a hidden cell can be worked out (empty when the suppression is safe)."""
    primary = {k for k in hidden if is_small(values[k], n)} if primary is None else primary
    out = [r for r in relations if _interval_leak(r, values, hidden, primary, n)]
    if out:
        return out
    order = [k for k in values if k in hidden]
    fixed = _determined(values, relations, order, math.inf)
    if not fixed and order and all(k in primary for k in order):
        fixed = _determined(values, relations, order, n - 1)
    for k in fixed:
        out.extend(r for r in relations if k in r.cells and r not in out)
    return out


def hidden_cells(values: Mapping, relations: Sequence[Relation] = (), n: int = DEFAULT_N) -> set:
    """The cells to hide: primary (1..n−1) and secondary, until nothing leaks.

    `values` maps cell keys to counts (its order breaks ties: earlier cells are hidden
    first); a value that is not a count (None, NaN, text) is never hidden.
    """
    values = dict(values)
    pos = {k: i for i, k in enumerate(values)}
    counts = {k: _count(v) for k, v in values.items()}
    rels = [r for r in relations if all(counts.get(k) is not None for k in r.cells)]
    cnt = {k: v for k, v in counts.items() if v is not None}
    primary = {k for k, v in cnt.items() if 1 <= v <= n - 1}
    hidden = set(primary)
    while True:
        bad = leaks(cnt, rels, hidden, n, primary)
        if not bad:
            return hidden
        choice = _secondary(bad, cnt, hidden, pos)
        if choice is None:  # the leaking sums are hidden through: widen to every sum with a hidden cell
            choice = _secondary([r for r in rels if any(k in hidden for k in r.cells)], cnt, hidden, pos)
        if choice is None:  # every non-zero cell is hidden
            return hidden
        hidden.add(choice)


def _secondary(bad: Sequence[Relation], cnt: Mapping, hidden: set, pos: Mapping):
    """The next cell to hide: the smallest visible non-zero part of the first leaking sum that has
    one (else of any leaking sum); a total only when no leaking sum has such a part."""
    first = bad[0]
    for group in ([first], bad):
        parts = [k for r in group for k in r.parts if k not in hidden and cnt[k] > 0]
        if parts:
            return min(parts, key=lambda k: (cnt[k], pos[k]))
    totals = [r.total for r in bad if r.total not in hidden and cnt[r.total] > 0]
    return min(totals, key=lambda k: (cnt[k], pos[k])) if totals else None


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


def suppression_mask(df: pd.DataFrame, count_cols: Sequence[str], *, n: int = DEFAULT_N, label_col: str = "rad",
                     total_rows: Mapping[str, Iterable[str] | None] | None = None,
                     total_cols: Mapping[str, Iterable[str]] | None = None,
                     shares: Mapping[str, tuple[str, str]] | None = None) -> pd.DataFrame:
    """A boolean frame (index and columns as df) that is True for every cell to hide.

    shares: share column → (numerator column, denominator column) in the same row.
    """
    labels = list(df[label_col])
    if len(set(labels)) != len(labels):
        raise ValueError(f"radetiketterna i {label_col!r} är inte unika")
    values = {(r, c): v for r, row in zip(labels, df[list(count_cols)].itertuples(index=False)) for c, v in
              zip(count_cols, row)}
    rels = table_relations(df, count_cols, label_col, total_rows, total_cols)
    hid = hidden_cells(values, rels, n)
    mask = pd.DataFrame(False, index=df.index, columns=df.columns)
    for i, r in zip(df.index, labels):
        for c in count_cols:
            mask.at[i, c] = (r, c) in hid
        for s, (num, den) in (shares or {}).items():
            mask.at[i, s] = (r, num) in hid or (r, den) in hid
    return mask


def apply_mask(df: pd.DataFrame, mask: pd.DataFrame, label: str) -> pd.DataFrame:
    """A copy of df with every masked cell replaced by label (those columns become object)."""
    out = df.copy()
    for c in mask.columns[mask.any()]:
        out[c] = out[c].astype(object).where(~mask[c], label)
    return out


def suppress_table(df: pd.DataFrame, count_cols: Sequence[str], *, n: int = DEFAULT_N, label: str | None = None,
                   label_col: str = "rad", total_rows: Mapping[str, Iterable[str] | None] | None = None,
                   total_cols: Mapping[str, Iterable[str]] | None = None,
                   shares: Mapping[str, tuple[str, str]] | None = None) -> pd.DataFrame:
    """The table with small counts, the cells that would give them away, and shares of them hidden.

    Example, Tabell 2 (rows Ej nådda, Nådda, Sökta totalt; columns Kvinnor, Män, Totalt)::

        suppress_table(t2, ["Kvinnor", "Män", "Totalt"],
                       total_rows={"Sökta totalt": ["Ej nådda", "Nådda"]},
                       total_cols={"Totalt": ["Kvinnor", "Män"]})

    Tabell 5::

        suppress_table(t5, ["inskrivna", "avslutade", "studier_antal", "arbete_antal",
                            "studier_arbete_antal"],
                       total_rows={"Totalt": None},
                       total_cols={"studier_arbete_antal": ["studier_antal", "arbete_antal"]},
                       shares=tables.TABELL_5_SHARES)
    """
    mask = suppression_mask(df, count_cols, n=n, label_col=label_col, total_rows=total_rows,
                            total_cols=total_cols, shares=shares)
    return apply_mask(df, mask, label or label_for(n))


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


def suppress_figures(figures: Mapping[str, object], n: int = DEFAULT_N, label: str | None = None) -> dict:
    """A nyckeltal dict with small counts, the counts that give them away and their shares hidden."""
    rels, shares = figure_relations(figures)
    counts = {k: v for k, v in figures.items() if k not in shares}
    hid = hidden_cells(counts, rels, n)
    lab = label or label_for(n)
    out = {}
    for k, v in figures.items():
        if k in shares:
            num, den = shares[k]
            out[k] = lab if (num in hid or den in hid) else v
        else:
            out[k] = lab if k in hid else v
    return out
