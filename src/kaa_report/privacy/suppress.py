"""Small-number suppression (röjandeskydd) for published outputs below city level.

A count from 1 to N−1 is a *primary* cell: it is hidden and shown as ``"<5"`` (``"<N"``),
which is true of it. A count of 0 is shown. So that no primary cell can be worked out
from the sums it takes part in, more cells are hidden: *secondary* cells, shown with a
sign that claims no range, ``".."`` (SCB's teckenförklaring: "uppgift inte tillgänglig
eller för osäker för att anges"). A share whose numerator or denominator is hidden is
hidden too and shows ``".."``. N, the signs and the legend come from
``params/suppression.yml``.

What a reader can work out. The reader knows every shown cell, every sum (a `Relation`:
total = sum of parts) and the rules: a "<N" cell is 1..N−1, a ".." cell is at least N
(a smaller one would be "<N" or 0). A primary cell is *recoverable* when every integer
table that agrees with all of that has the same value in it (`recoverable` checks this
exactly, with two small integer programmes per primary cell, scipy's HiGHS).

How secondary cells are chosen (`choose`). The cells to hide are the cheapest set, by
the sum of their values (the cost SSB's GaussSuppression and τ-ARGUS minimise; ties go
to fewer cells), such that every primary cell can take another value: for each primary
cell p there must be an integer change d of the hidden cells, with d_p ≠ 0, that keeps
every sum and every bound. That is one mixed-integer programme per group of connected
sums (HiGHS), with one change vector per primary cell; it is exact, not a heuristic.
A cell that another output already shows can be fixed as shown, and one it already hides
as hidden (`shown=`, `hidden=`), so that all outputs of a scope hide the same cells.

The functions are pure: `choose` works on any mapping of cells to counts; `suppress_table`
(in kaa_report.privacy.apply, like `suppress_figures`)
applies it to a report table (rows × columns with total rows and total columns),
`suppress_figures` to a nyckeltal dict, and `Hidden.sign` gives a cell's sign.
"""
from __future__ import annotations

import logging
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParamsError
from ..paths import PARAMS

log = logging.getLogger(__name__)

DEFAULT_N = 5
SECONDARY = ".."


# ---------------------------------------------------------------- parameters


@dataclass(frozen=True)
class SuppressionParams:
    """`params/suppression.yml`: the threshold N, the two signs and their legends."""

    n: int = DEFAULT_N
    label: str = "<{n}"
    secondary_label: str = SECONDARY
    note: str = "{label} = 1–{max}: färre än {n}, dolt av sekretesskäl."
    secondary_note: str = ("{secondary} = uppgiften redovisas inte av sekretesskäl "
                           "(dold så att ett litet antal inte kan räknas fram ur summorna).")

    @property
    def hidden_label(self) -> str:
        """The sign of a primary cell ("<5")."""
        return self.label.format(n=self.n)

    @property
    def signs(self) -> tuple[str, str]:
        return self.hidden_label, self.secondary_label

    def legend(self, primary: bool = True, secondary: bool = True) -> str:
        """The legend for the signs an exhibit shows (empty when it shows neither)."""
        parts = []
        if primary:
            parts.append(self.note.format(n=self.n, max=self.n - 1, label=self.hidden_label))
        if secondary:
            parts.append(self.secondary_note.format(secondary=self.secondary_label, n=self.n))
        return " ".join(parts)

    def legend_for(self, values: Iterable) -> str:
        """The legend for whichever signs occur among values (a frame's cells, a list)."""
        if isinstance(values, pd.DataFrame):
            values = values.to_numpy().ravel().tolist()
        seen = {v for v in values if isinstance(v, str)}
        return self.legend(self.hidden_label in seen, self.secondary_label in seen)

    @property
    def footnote(self) -> str:
        """Both legends."""
        return self.legend()

    def is_hidden(self, v) -> bool:
        return isinstance(v, str) and v in self.signs


def load_params(params_dir: Path = PARAMS) -> SuppressionParams:
    """Read params/suppression.yml (the defaults when the file is absent)."""
    from ..params import read_yaml

    p = Path(params_dir) / "suppression.yml"
    if not p.is_file():
        return SuppressionParams()
    raw = read_yaml(p)
    n = int(raw.get("n", DEFAULT_N))
    if n < 2:
        raise ParamsError(f"{p}: n måste vara minst 2 (är {n})")
    d = SuppressionParams()
    kw = {k: str(raw[k]) for k in ("label", "secondary_label", "note", "secondary_note") if k in raw}
    out = SuppressionParams(n=n, **{k: kw.get(k, getattr(d, k)) for k in ("label", "secondary_label", "note", "secondary_note")})
    if out.hidden_label == out.secondary_label:
        raise ValueError(f"{p}: label och secondary_label måste skilja sig åt")
    return out


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


@dataclass(frozen=True)
class Hidden:
    """The cells to hide: primary (1..N−1) and secondary (hidden to protect them)."""

    primary: frozenset = field(default_factory=frozenset)
    secondary: frozenset = field(default_factory=frozenset)

    def __contains__(self, k) -> bool:
        return k in self.primary or k in self.secondary

    @property
    def cells(self) -> frozenset:
        return self.primary | self.secondary

    def sign(self, k, params: SuppressionParams):
        """The sign of a hidden cell, or None when it is shown."""
        if k in self.primary:
            return params.hidden_label
        if k in self.secondary:
            return params.secondary_label
        return None


def _components(cells: Iterable, relations: Sequence[Relation]) -> list[tuple[list, list[Relation]]]:
    """Groups of cells joined by sums, each with its sums (cells in no sum are left out)."""
    parent: dict = {}

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for r in relations:
        for k in r.cells:
            parent.setdefault(k, k)
        for k in r.cells[1:]:
            ra, rb = find(r.cells[0]), find(k)
            if ra != rb:
                parent[rb] = ra
    groups: dict = {}
    order = [k for k in cells if k in parent]
    for k in order:
        groups.setdefault(find(k), ([], []))[0].append(k)
    for r in relations:
        groups[find(r.total)][1].append(r)
    return list(groups.values())


def _bounds(x: int, primary: bool, n: int, cap: int) -> tuple[int, int]:
    """What a reader knows of a hidden cell: 1..n−1 when primary, else n..(a cap)."""
    return (1, n - 1) if primary else (n, max(x, n) + cap)


def _protect(cells: list, rels: list[Relation], cnt: Mapping, n: int, primary: set,
             may_hide: set, must_hide: set) -> set | None:
    """The cheapest set of secondary cells (from may_hide, including must_hide) that leaves
    every primary cell of this group free to take another value; None when there is none."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    prim = [k for k in cells if k in primary and n - 1 > 1]  # with n = 2 "<2" is exactly 1: nothing to protect
    cand = [k for k in cells if k in may_hide and k not in primary]
    if not prim:
        return {k for k in cand if k in must_hide}
    var = [*prim, *cand]  # cells that may change in a move
    nv, nc, npr = len(var), len(cand), len(prim)
    cap = max(sum(abs(cnt[k]) for k in cells), n)
    col = {k: i for i, k in enumerate(var)}
    # columns: h (nc), then per primary p: d^p (nv) and z_p (1)
    width = nc + npr * (nv + 1)
    lo, hi = np.zeros(width), np.zeros(width)
    integ = np.ones(width)
    lo[:nc], hi[:nc] = 0, 1
    for j, k in enumerate(cand):
        if k in must_hide:
            lo[j] = 1
    rows, rlo, rhi = [], [], []

    def row(entries, a, b):
        v = np.zeros(width)
        for i, c in entries:
            v[i] += c
        rows.append(v)
        rlo.append(a)
        rhi.append(b)

    for pi, p in enumerate(prim):
        base = nc + pi * (nv + 1)
        for k in var:
            blo, bhi = _bounds(cnt[k], k in primary, n, cap)
            lo[base + col[k]], hi[base + col[k]] = blo - cnt[k], bhi - cnt[k]
        z = base + nv
        lo[z], hi[z] = 0, 1
        for r in rels:  # every sum keeps its shown value
            ent = [(base + col[k], r.coef(k)) for k in r.cells if k in col]
            if ent:
                row(ent, 0, 0)
        for j, k in enumerate(cand):  # a cell changes only if hidden
            d = base + col[k]
            row([(d, 1), (j, -(hi[d]))], -np.inf, 0)
            row([(d, 1), (j, -(lo[d]))], 0, np.inf)
        d = base + col[p]  # d_p >= 1 (z = 0) or d_p <= -1 (z = 1)
        row([(d, 1), (z, n)], 1, np.inf)
        row([(d, 1), (z, n)], -np.inf, n - 1)
    w = nc + 1
    cost = np.zeros(width)
    for j, k in enumerate(cand):
        cost[j] = abs(cnt[k]) * w + 1
    res = milp(cost, constraints=LinearConstraint(np.array(rows), rlo, rhi), bounds=Bounds(lo, hi),
               integrality=integ, options={"time_limit": 60})
    if res.x is None:
        return None
    return {k for j, k in enumerate(cand) if res.x[j] > 0.5}


def choose(values: Mapping, relations: Sequence[Relation] = (), n: int = DEFAULT_N, *,
           shown: Iterable = (), hidden: Iterable = ()) -> Hidden:
    """The cells to hide: every count 1..n−1 (primary) and the cheapest secondary cells.

    `values` maps cell keys to counts; a value that is not a count (None, NaN, text) is
    never hidden and a sum with such a cell is not used. `shown`: cells that must stay
    shown (another output shows them); `hidden`: cells that must be hidden (another output
    hides them). Only counts of at least n can be secondary (0 is always shown).
    """
    counts = {k: _count(v) for k, v in values.items()}
    cnt = {k: v for k, v in counts.items() if v is not None}
    rels = [r for r in relations if all(k in cnt for k in r.cells)]
    primary = {k for k, v in cnt.items() if 1 <= v <= n - 1}
    must = {k for k in hidden if k in cnt and k not in primary and cnt[k] != 0}
    may = {k for k, v in cnt.items() if v >= n and k not in set(shown)} | must
    secondary = set(must)
    for cells, rs in _components(cnt, rels):
        if not any(k in primary for k in cells):
            continue
        got = _protect(cells, rs, cnt, n, primary, may, must)
        if got is None:  # the cells fixed as shown leave no way: hide what is needed anyway
            log.warning("röjandeskydd: fasta visade celler räcker inte till skydd (%s); döljer fler", cells[:3])
            got = _protect(cells, rs, cnt, n, primary, {k for k in cells if cnt[k] >= n} | must, must)
        if got is None:
            got = {k for k in cells if cnt[k] >= n}
        secondary |= got
    return Hidden(frozenset(primary), frozenset(secondary))


def hidden_cells(values: Mapping, relations: Sequence[Relation] = (), n: int = DEFAULT_N) -> set:
    """Every cell `choose` hides (primary and secondary)."""
    return set(choose(values, relations, n).cells)


def recoverable(values: Mapping, relations: Sequence[Relation], hidden: Iterable, n: int = DEFAULT_N) -> list:
    """The primary cells whose value a reader can work out exactly from the shown cells,
    the sums and the signs (every "<n" cell is 1..n−1, every other hidden cell ≥ n).
    Empty when the suppression is safe."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    counts = {k: _count(v) for k, v in values.items()}
    cnt = {k: v for k, v in counts.items() if v is not None}
    rels = [r for r in relations if all(k in cnt for k in r.cells)]
    hidden = [k for k in cnt if k in set(hidden)]
    primary = [k for k in hidden if 1 <= cnt[k] <= n - 1]
    if not primary:
        return []
    col = {k: i for i, k in enumerate(hidden)}
    big = sum(abs(v) for v in cnt.values()) + n
    lo = np.array([_bounds(cnt[k], 1 <= cnt[k] <= n - 1, n, big)[0] for k in hidden], dtype=float)
    hi = np.array([_bounds(cnt[k], 1 <= cnt[k] <= n - 1, n, big)[1] for k in hidden], dtype=float)
    a, b = [], []
    for r in rels:
        if not any(k in col for k in r.cells):
            continue
        v = np.zeros(len(hidden))
        c = 0.0
        for k in r.cells:
            if k in col:
                v[col[k]] += r.coef(k)
            else:
                c -= r.coef(k) * cnt[k]
        a.append(v)
        b.append(c)
    out = []
    for p in primary:
        if not a:
            if lo[col[p]] == hi[col[p]]:
                out.append(p)
            continue
        cons = LinearConstraint(np.array(a), b, b)
        c = np.zeros(len(hidden))
        c[col[p]] = 1
        r1 = milp(c, constraints=cons, bounds=Bounds(lo, hi), integrality=np.ones(len(hidden)))
        r2 = milp(-c, constraints=cons, bounds=Bounds(lo, hi), integrality=np.ones(len(hidden)))
        if r1.status == 0 and r2.status == 0 and round(r1.fun) == round(-r2.fun):
            out.append(p)
    return out


def summary(values: Mapping, hidden: Hidden, shares: Iterable = ()) -> dict:
    """How much one output hides: cells and their total value, primary and secondary,
    and how many shares are hidden with them."""
    def total(keys):
        return int(sum(_count(values[k]) or 0 for k in keys if k in values))

    return {"primara": len(hidden.primary), "sekundara": len(hidden.secondary),
            "dolda_andelar": len(list(shares)),
            "dolt_varde_primara": total(hidden.primary), "dolt_varde_sekundara": total(hidden.secondary)}
