"""The page of `kaa-report diff`: the compared values as an offline HTML page, for reviewers.

`render_html` takes the frame of review/diff.py (`diff_builds`, COLUMNS) and, between two
runs, the published figures that would change (`published_changes`). The values print as
the report prints them (kaa_report.fmt): counts "7 546", shares "54,3 %", changes
"+12", "−3,5 procentenheter", "+4,5 %".
"""
from __future__ import annotations

import html

import pandas as pd

from .. import fmt
from ..document.cells import RESULT_COLUMNS, result_columns


def value_text(v, share: bool) -> str:
    """A compared value for people: counts "7 546", shares "54,3 %", a missing one "–",
    a suppressed one as it was published ("<5")."""
    return fmt.procent(v, 1) if share else fmt.exakt(v, 2)


def change_text(d, rel, share: bool) -> tuple[str, str]:
    """(change, relative change) for people: counts "+12" and "+4,5 %", shares
    "−3,5 procentenheter" (no relative change); empty when there is no change to show."""
    if d is None:
        return "", ""
    if share:
        return fmt.procentenheter(d, 1, tecken=True), ""
    r = "" if rel is None else fmt.procent(rel, 1, tecken=True)
    return fmt.exakt(d, 2, tecken=True), r


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em;color:#222}
h1{font-size:1.4em} h2{font-size:1.15em;margin-top:2em}
table{border-collapse:collapse;font-size:.85em;margin-top:.5em}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.changed td{background:#fff6d5}
tr.added td{background:#e3f4e1} tr.removed td{background:#f3e1e1;text-decoration:line-through}
tr.flagged td{background:#ffd2c2;font-weight:bold}
tr.flagged td.status{color:#a00000}
.summary{background:#f4f4f4;padding:.5em 1em;display:inline-block}
caption{text-align:left;font-weight:600;padding:.3em 0}
"""
_STATUS = {"+": "ny", "-": "borttagen", "~": "ändrad", "=": "oförändrad"}


def kolumn_label(kolumn) -> str:
    """A compared column as the report heads it: "Till arbete, andel" for arbete_andel of
    Tabell 5/6, "Värde" for a nyckeltal's value; other columns are already headers."""
    k = str(kolumn)
    labels = {c: f"{g}, {s.lower()}" if s else g for c, (g, s) in zip(RESULT_COLUMNS, result_columns())}
    return labels.get(k, "Värde" if k == "varde" else k)


def tabell_label(tabell) -> str:
    """tabell_5 → "Tabell 5", diagram_2 → "Diagram 2", nyckeltal → "Nyckeltal"."""
    t = str(tabell)
    kind, _, n = t.partition("_")
    return f"{kind.capitalize()} {n}" if n.isdigit() else t.capitalize()


def _head(*cols: str) -> str:
    return "<thead><tr>" + "".join(f"<th scope='col'>{html.escape(c)}</th>" for c in cols) + "</tr></thead>"


def render_html(df: pd.DataFrame, title: str, labels: tuple[str, str], published: pd.DataFrame | None = None) -> str:
    """An offline HTML page (inline CSS, no scripts, lang sv, landmarks, captioned tables with
    header cells): a summary, then every compared value; changed rows highlighted, flagged
    ones stronger."""
    e = html.escape
    n = df["status"].value_counts().to_dict() if len(df) else {}
    flagged = int(df["flagga"].sum()) if len(df) else 0
    parts = [f"<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'>"
             "<meta name='viewport' content='width=device-width, initial-scale=1'>"
             f"<title>{e(title)}</title><style>{_CSS}</style></head><body>"
             f"<header><h1>{e(title)}</h1></header><main>",
             "<p class='summary'>" + ", ".join(f"{_STATUS[s]}: {fmt.antal(n.get(s, 0))}" for s in "~+-=")
             + f"; <strong>flaggade: {fmt.antal(flagged)}</strong></p>"]
    if published is not None:
        parts.append(f"<h2>Publicerade siffror som skulle ändras ({fmt.antal(len(published))})</h2>")
        if len(published):
            parts.append("<table><caption>Publicerade siffror som skulle ändras</caption>"
                         + _head("Id", "Tryckt", "Bygger på", labels[1], labels[0]) + "<tbody>")
            for _, r in published.iterrows():
                parts.append("<tr class='flagged'>" + "".join(f"<td>{e(str(r[c]))}</td>" for c in
                                                              ("id", "tryckt", "figur", "fore", "efter")) + "</tr>")
            parts.append("</tbody></table>")
        else:
            parts.append("<p>Inga.</p>")
    for scope, g in df.groupby("scope", sort=False):
        parts.append(f"<h2>{e(str(scope))}</h2><table><caption>Jämförda värden, {e(str(scope))}</caption>"
                     + _head("Tabell", "Rad", "Kolumn", "Namn", labels[0], labels[1], "Förändring", "Relativ", "Status")
                     + "<tbody>")
        for _, r in g.iterrows():
            share = r["typ"] == "andel"
            cls = "flagged" if r["flagga"] else {"~": "changed", "+": "added", "-": "removed"}.get(r["status"], "")
            d, rel = change_text(r["forandring"], r["forandring_relativ"], share)
            parts.append(f"<tr class='{cls}'><td>{e(tabell_label(r['tabell']))}</td><td>{e(str(r['rad']))}</td>"
                         f"<td>{e(kolumn_label(r['kolumn']))}</td>"
                         f"<td>{e(str(r['namn']))}</td><td class='n'>{e(value_text(r['varde'], share))}</td>"
                         f"<td class='n'>{e(value_text(r['jamfort'], share))}</td><td class='n'>{e(d)}</td>"
                         f"<td class='n'>{e(rel)}</td><td class='status'>{e(_STATUS[r['status']])}"
                         f"{' ⚑' if r['flagga'] else ''}</td></tr>")
        parts.append("</tbody></table>")
    parts.append("</main>")
    parts.append("</body></html>")
    return "\n".join(parts)


