"""Small-number suppression of the diagrams' data: which bars are hidden, with which sign,
and the legend that says so. A published frame keeps the exact data in its attrs
(`exact_data`), so the notebook can write it to intern/."""
from __future__ import annotations

import pandas as pd

from .figures import ScopeFigures


def hide(sf: ScopeFigures, data: pd.DataFrame, count_col: str, share_cols: tuple[str, ...] = (),
          totals: dict | None = None) -> pd.DataFrame:
    """Small-number suppression of a diagram's data (when the scope asks for it).

    totals: name -> (row labels whose counts add up to a total, (nyckeltal key, last year?)
    of that total). The total is hidden or shown as it is everywhere else in the scope;
    the rows are suppressed around it (see kaa_report.suppress.choose). A primary cell
    shows "<5", a secondary one ".."; a share of a hidden count shows "..". Returns a copy
    that keeps the exact data in attrs["exakt"]; the plot draws hidden cells as 0 and
    labels them with their sign."""
    if sf.suppression is None:
        return data
    from ..privacy.suppress import Relation, choose

    values = {i: data.at[i, count_col] for i in data.index}
    rels, shown, hidden = [], set(), set()
    for name, (rows, (key, prev)) in (totals or {}).items():
        rows = list(rows)
        total = ("summa", name)
        values[total] = sf.nyckeltal_prev[key] if prev else sf.nyckeltal[key]
        rels.append(Relation(total, tuple(rows)))
        (hidden if sf.sign(key, prev) is not None else shown).add(total)
    hid = choose(values, rels, sf.suppression.n, shown=shown, hidden=hidden)
    return with_signs(sf, data, {i: hid.sign(i, sf.suppression) for i in data.index}, count_col, share_cols)


def with_signs(sf: ScopeFigures, data: pd.DataFrame, signs: dict, count_col: str, share_cols: tuple[str, ...] = ()) -> pd.DataFrame:
    """data with the count of each row whose sign is given replaced by it and its shares by ".."."""
    out = data.astype({c: object for c in (count_col, *share_cols)})
    for i, sign in signs.items():
        if sign is None:
            continue
        out.at[i, count_col] = sign
        for c in share_cols:
            out.at[i, c] = sf.suppression.secondary_label
    return keep_exact(out, data)


class _Exact:
    """The exact data kept in a published frame's attrs. pandas compares attrs when it
    concatenates (seaborn does), so this compares as a bool, not as a frame."""

    __slots__ = ("frame",)

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame

    def __eq__(self, other) -> bool:
        return isinstance(other, _Exact) and self.frame.equals(other.frame)

    __hash__ = None


def keep_exact(shown: pd.DataFrame, exact: pd.DataFrame) -> pd.DataFrame:
    shown.attrs["exakt"] = _Exact(exact_data(exact))
    return shown


def exact_data(data: pd.DataFrame) -> pd.DataFrame:
    """The exact data behind a diagram as published (the same frame when nothing was hidden)."""
    kept = data.attrs.get("exakt")
    return kept.frame if isinstance(kept, _Exact) else data


NO_BAR = " Dolda värden visas utan stapel."


def legend(sf: ScopeFigures, data: pd.DataFrame, how: str = NO_BAR) -> str:
    """The suppression legend a diagram with hidden cells carries ("" when none is hidden)."""
    if sf.suppression is None:
        return ""
    text = sf.suppression.legend_for(data)
    return text + how if text else ""


def omfattade_hidden(sf: ScopeFigures, data: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Diagram 1 suppressed: Y and Y-1 as the scope's nyckeltal, earlier years each as a
    small table Kvinnor + Män = the total printed on the bar. Returns (data, year -> sign
    of the total or None)."""
    if sf.suppression is None:
        return data, {}
    from ..privacy.suppress import Relation, choose

    signs, total_signs = {}, {}
    for y, rows in data.groupby("ar").groups.items():
        rows = list(rows)
        known = {sf.year: False, sf.year - 1: True}
        if y in known:
            for i in rows:
                signs[i] = sf.sign(f"omfattade_{data.at[i, 'kon'].lower()}", known[y])
            total_signs[y] = sf.sign("omfattade", known[y])
            continue
        values = {i: data.at[i, "omfattade"] for i in rows}
        values["summa"] = int(sum(int(v) for v in values.values()))
        hid = choose(values, [Relation("summa", tuple(rows))], sf.suppression.n)
        signs.update({i: hid.sign(i, sf.suppression) for i in rows})
        total_signs[y] = hid.sign("summa", sf.suppression)
    return with_signs(sf, data, signs, "omfattade"), total_signs
