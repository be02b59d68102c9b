"""The validation report as one offline HTML page (output/validation/index.html).

Great Expectations is the engine (validate/gx.py runs the suites); this page is written
from its validation results instead of GX Data Docs, whose pages load 16 scripts and
styles from CDNs and show nothing offline. One file, inline CSS, no script, `lang="sv"`,
landmarks, captioned tables with header cells: the outcome, the broken rules and
warnings in words, then every expectation of every suite with its result. Examples are
row numbers only (1-based data rows), as in the GX results, so no person_id or birth
date reaches the page.
"""
from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from ..fmt import antal

e = html.escape

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;line-height:1.45;color:#1a1a1a;
     margin:0 auto;max-width:72rem;padding:1rem}
h1{font-size:1.6rem} h2{font-size:1.25rem;margin-top:2rem} h3{font-size:1.1rem}
.ok{border-left:6px solid #1b6e20;padding:.4rem .8rem;background:#eef7ee}
.fel{border-left:6px solid #a00000;padding:.4rem .8rem;background:#fbeeee}
.tabell{overflow-x:auto}
table{border-collapse:collapse;font-size:.9rem;margin:.5rem 0 1.5rem}
caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #8c8c8c;padding:.25rem .5rem;text-align:left;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums}
tr.bryts td{background:#fbeeee} tr.varning td{background:#fff6d5}
.tabell:focus{outline:3px solid #0b57a4}
"""

RESULT = {"ok": "uppfylld", "fel": "bryts", "varning": "varning", "undantag": "kunde inte kontrolleras"}


def expectation_rows(results: dict, describe) -> dict[str, list[dict]]:
    """Per suite, one row per expectation: rule (in words), column, outcome, count of
    unexpected rows and up to five row numbers. `describe(suite, result)` gives
    (rule, column, is_warning, rows) from outcome.py, which knows the suites' meta."""
    out = {}
    for name, res in results.items():
        rows = []
        for r in res.results:
            rule, column, warning, row_numbers = describe(name, r)
            failed_to_run = bool(r.exception_info and r.exception_info.get("raised_exception"))
            status = "undantag" if failed_to_run else "ok" if r.success else "varning" if warning else "fel"
            rows.append({"regel": rule, "kolumn": column, "status": status,
                         "antal": int((r.result or {}).get("unexpected_count") or 0) if not r.success else 0,
                         "rader": row_numbers[:5] if not r.success else []})
        out[name] = rows
    return out


def render(suites: dict[str, list[dict]], failures: list[str], warnings: list[str], gx_version: str,
           when: dt.datetime | None = None) -> str:
    """The page: outcome, broken rules, warnings, then a table per suite."""
    when = when or dt.datetime.now()
    ok = not failures
    parts = ["<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'>",
             "<meta name='viewport' content='width=device-width, initial-scale=1'>",
             f"<title>Validering mot datakontraktet</title><style>{CSS}</style></head><body>",
             "<header><h1>Validering mot datakontraktet</h1>",
             f"<p>Kontrollerad {e(when.strftime('%Y-%m-%d %H:%M'))} med Great Expectations {e(gx_version)}. "
             "Radnummer räknas från första dataraden (rubrikraden ej medräknad).</p></header><main>"]
    nf, nw = len(failures), len(warnings)
    varn = f"{antal(nw)} {'varning' if nw == 1 else 'varningar'}"
    if ok:
        parts.append(f"<p class='ok'><strong>Exporten följer datakontraktet</strong> (0 fel, {varn}).</p>")
    else:
        regler = "regel bryts" if nf == 1 else "regler bryts"
        parts.append(f"<p class='fel'><strong>Exporten följer inte datakontraktet:</strong> "
                     f"{antal(nf)} {regler}, {varn}.</p>")
    parts.append("<h2>Regler som bryts</h2>")
    parts.append("<ul>" + "".join(f"<li>{e(f)}</li>" for f in failures) + "</ul>" if failures else "<p>Inga.</p>")
    parts.append("<h2>Varningar</h2>")
    parts.append("<ul>" + "".join(f"<li>{e(w)}</li>" for w in warnings) + "</ul>" if warnings else "<p>Inga.</p>")
    parts.append("<h2>Alla kontroller</h2>")
    for name, rows in suites.items():
        n_ok = sum(r["status"] == "ok" for r in rows)
        caption = f"{name}: {antal(len(rows))} kontroller, {antal(n_ok)} uppfyllda"
        parts.append(f"<h3>{e(name)}</h3><div class='tabell' role='region' tabindex='0' aria-label='{e(caption)}'>"
                     f"<table><caption>{e(caption)}</caption><thead><tr>"
                     + "".join(f"<th scope='col'>{h}</th>" for h in ("Regel", "Kolumn", "Resultat", "Rader", "Exempel (rad)"))
                     + "</tr></thead><tbody>")
        for r in rows:
            cls = {"fel": " class='bryts'", "undantag": " class='bryts'", "varning": " class='varning'"}.get(r["status"], "")
            parts.append(f"<tr{cls}><td>{e(r['regel'])}</td><td>{e(r['kolumn'])}</td><td>{RESULT[r['status']]}</td>"
                         f"<td class='n'>{antal(r['antal']) if r['antal'] else ''}</td>"
                         f"<td>{e(', '.join(str(x) for x in r['rader']))}</td></tr>")
        parts.append("</tbody></table></div>")
    parts.append("</main></body></html>")
    return "\n".join(parts)


def write(docs_dir: Path, html_text: str) -> Path:
    docs_dir.mkdir(parents=True, exist_ok=True)
    index = docs_dir / "index.html"
    tmp = index.with_name(".index.html.tmp")
    tmp.write_text(html_text, encoding="utf-8")
    tmp.replace(index)
    return index
