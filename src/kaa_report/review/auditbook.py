"""The revisors' workbook audit-<Y>.xlsx (XlsxWriter).

- "Grundtal": the base counts per scope (rows = keys, columns = scopes).
- "Härledda": every derived figure as a live Excel formula on Grundtal cells, beside the
  value the build reported and a check formula ("OK" / "AVVIKER").
- "Spårning": for every figure its Swedish name, definition, the function computing it,
  the input files with SHA-256 and the code commit (from each scope's manifest.json).
- "Rapporttext": every number printed in the PDFs (document, page, sentence, number) and
  its source key from the audit's trace (review/pdftrace.py).

The workbook holds exact, unsuppressed values: it is marked confidential in a title cell
on every sheet, in the header of every printed page and in the document properties.

Every formula cell also stores its value (as Excel would compute it, from the Grundtal
cells with metrics.compute), so readers that do not calculate (previews, pandas, openpyxl
with data_only=True) see the figures. Shares are formatted as percent; the values stay
exact. Printed, every sheet fits its columns to the page width and repeats its title rows.
"""
from __future__ import annotations

import math
import textwrap
from pathlib import Path

from xlsxwriter import Workbook
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

from ..metrics import definitions as metrics
from .outputs import Bygge

KONFIDENTIELLT = "KONFIDENTIELLT – innehåller exakta, ej röjandeskyddade värden. Får inte spridas."
HEADER_ROW = 3  # 1-based, as Excel shows them
FIRST_ROW = 4
PERCENT = "0.0 %"  # shown "53,5 %" in a Swedish Excel; the cell keeps the exact share
SIDHUVUD = '&L&"-,Bold"KONFIDENTIELLT&C&A&R' + "KAA {year}"
HARLEDDA_WIDTHS = [14, 34, 40, 44, 16, 16, 11]
SPARNING_WIDTHS = [34, 24, 9, 30, 30, 84, 42]  # one input file with its SHA-256 per line
SPARNING_WRAP = {1, 3, 4, 5, 6}
SIDFOT = "&LKONFIDENTIELLT – exakta, ej röjandeskyddade värden&RSida &P av &N"


def _split(key: str) -> tuple[str, str]:
    """metrics.split_kon, for the keys whose base is a defined figure (others stay whole)."""
    base, suf = metrics.split_kon(key)
    return (base, suf) if base in metrics.METRICS or base in metrics.DERIVED_BY_ID else (key, "")


def is_derived(key: str) -> bool:
    return _split(key)[0] in metrics.DERIVED_BY_ID


def base_keys(scopes: dict[str, dict]) -> list[str]:
    """Every non-derived key of any scope, in first-seen order."""
    out: list[str] = []
    for nk in scopes.values():
        out += [k for k in nk if not is_derived(k) and k not in out]
    return out


def derived_keys(scopes: dict[str, dict]) -> list[str]:
    out: list[str] = []
    for nk in scopes.values():
        out += [k for k in nk if is_derived(k) and k not in out]
    return out


def expression(key: str, refs: dict[str, str]) -> tuple[str, str | None] | None:
    """(Excel expression, zero-test denominator or None) of a figure from Grundtal cell refs,
    expanding derived inputs inline; None when an input is not in Grundtal."""
    if key in refs:
        return refs[key], None
    base, suf = _split(key)
    d = metrics.DERIVED_BY_ID.get(base)
    if d is None:
        return None
    parts = [expression(a + suf, refs) for a in d.args]
    if any(p is None for p in parts):
        return None
    exprs = [p[0] if p[1] is None else f"IF({p[1]}=0,\"\",{p[0]})" for p in parts]
    if d.op == "kvot":
        return f"{_paren(exprs[0])}/{_paren(exprs[1])}", exprs[1]
    sym = "+" if d.op == "summa" else "-"
    return f"({sym.join(exprs)})" if len(exprs) > 1 else exprs[0], None


def _paren(e: str) -> str:
    return e if e.replace("!", "").replace("$", "").isalnum() or e.startswith("(") else f"({e})"


def formula(key: str, refs: dict[str, str]) -> str | None:
    """The live formula of a derived figure: "=Grundtal!C5/Grundtal!C7" with a guard
    IF(den=0,"",…) for ratios (a zero denominator gives an empty cell, as null in JSON)."""
    e = expression(key, refs)
    if e is None:
        return None
    expr, den = e
    if den is not None:
        return f"=IF({den}=0,\"\",{expr})"
    return "=" + (expr[1:-1] if expr.startswith("(") and expr.endswith(")") and expr.count("(") == 1 else expr)


def function_name(key: str) -> str:
    """module.qualname of the code computing a figure."""
    base, suf = _split(key)
    if base in metrics.DERIVED_BY_ID:
        d = metrics.DERIVED_BY_ID[base]
        return f"kaa_report.metrics.definitions.compute (op={d.op}), via kaa_report.metrics.definitions.derive"
    if base in metrics.METRICS:
        f = metrics.METRICS[base].func
        if "<locals>" in f.__qualname__:  # a per-verksamhet binding, e.g. inskrivna_aim
            fn, verksamhet = f.__name__.rsplit("_", 1)
            name = f"{f.__module__}.{fn} (verksamhet={verksamhet!r})"
        else:
            name = f"{f.__module__}.{f.__qualname__}"
        return name + (f", split by kön in {metrics.counts.__module__}.{metrics.counts.__qualname__}" if suf else "")
    if base.startswith("enkat_"):
        return f"{metrics.enkat_nyckeltal.__module__}.{metrics.enkat_nyckeltal.__qualname__}"
    return "okänd"


def definition(key: str) -> str:
    """The definition in one line: the metric's docstring, or the Derived formula."""
    return " ".join(_definition(key).split())


def _definition(key: str) -> str:
    base, suf = _split(key)
    kon = {"_k": " (kvinnor)", "_m": " (män)", "": ""}[suf]
    if base in metrics.DERIVED_BY_ID:
        return f"{metrics.DERIVED_BY_ID[base].formula()}{kon}"
    if base in metrics.METRICS:
        return metrics.METRICS[base].definition + kon
    if base.startswith("enkat_"):
        return (metrics.enkat_nyckeltal.__doc__ or "").strip().split("\n\n")[0]
    return ""


def _provenance(manifests: dict[str, dict | None]) -> tuple[str, str]:
    """(input files with SHA-256, git commit) across scopes; one text when all scopes agree."""
    def files(m):
        if not m or not isinstance(m.get("inputs"), dict):
            return "saknas i manifest.json"
        return "; ".join(f"{k}: {v}" for k, v in sorted(m["inputs"].items()))

    def commit(m):
        return (m or {}).get("git_commit") or "saknas i manifest.json"

    out = []
    for get in (files, commit):
        vals = {s: get(m) for s, m in manifests.items()}
        uniq = set(vals.values())
        out.append(uniq.pop() if len(uniq) == 1 else " | ".join(f"{s}: {v}" for s, v in vals.items()))
    return out[0], out[1]


def value(key: str, grundtal: dict[str, float | int]):
    """What the formula of a figure computes from the Grundtal values: metrics.compute over
    its inputs, derived inputs expanded as in the formula (None for a zero denominator, an
    empty cell in Excel). Equal to the build's value when the build is consistent."""
    if key in grundtal:
        return grundtal[key]
    base, suf = _split(key)
    d = metrics.DERIVED_BY_ID[base]
    return metrics.compute(d.op, [value(a + suf, grundtal) for a in d.args])


def check(computed, reported) -> str:
    """What the kontroll formula gives, with Excel's rules: "" (None) minus a number is an
    error (AVVIKER), an empty cell counts as 0 in arithmetic."""
    if computed is None:
        return "OK" if reported is None else "AVVIKER"
    if reported is not None and (isinstance(reported, bool) or not isinstance(reported, (int, float))):
        return "AVVIKER"
    return "OK" if abs(computed - (reported or 0)) <= 0.000000001 else "AVVIKER"


def _number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


class _ExactWorksheet(Worksheet):
    """XlsxWriter writes numbers with 16 significant digits (%.16G), which moves about one
    share in four by its last bit; write the shortest text that reads back as the same
    double instead (formula values are already written that way)."""

    def _xml_number_element(self, number, attributes=[]) -> None:  # noqa: B006 (XlsxWriter's signature)
        text = f"{number:.16G}"
        if float(text) != number:
            text = repr(float(number))
        attr = "".join(f' {k}="{self._escape_attributes(v)}"' for k, v in attributes)
        self.fh.write(f"<c{attr}><v>{text}</v></c>")


def _put(ws, r: int, c: int, v, fmt=None) -> None:
    """One cell, 0-based; None leaves it empty (with its format); text is never read as a formula."""
    if v is None:
        if fmt is not None:
            ws.write_blank(r, c, None, fmt)
        return
    if isinstance(v, bool):
        ws.write_boolean(r, c, v, fmt)
    elif _number(v):
        ws.write_number(r, c, v, fmt)
    else:
        ws.write_string(r, c, str(v), fmt)


def _fit_height(ws, r: int, texts: dict[int, str], widths: list[float]) -> None:
    """Give a row the height of its tallest wrapped cell: readers do not grow rows for wrapped
    text themselves, and wrapped lines would print over the next row."""
    lines = max((len(textwrap.wrap(t, max(1, math.floor(widths[c] * 1.1)))) for c, t in texts.items()), default=1)
    if lines > 1:
        ws.set_row(r, 15 * lines)


def _sheet(wb, f: dict, name: str, year: int, text: str, header: list[str], widths: list[float],
           wrap: set[int] = frozenset(), numbers: set[int] = frozenset()):
    """A sheet with the confidential title, its title and column header, and its print setup:
    landscape A4, columns fitted to one page wide, rows 1-3 on every page, KONFIDENTIELLT in
    the header and footer of every page."""
    ws = wb.add_worksheet(name, worksheet_class=_ExactWorksheet)
    ws.write_string(0, 0, KONFIDENTIELLT, f["red"])
    ws.write_string(1, 0, text, f["bold"])
    for i, n in enumerate(header):
        ws.write_string(HEADER_ROW - 1, i, n, f["head_num"] if i in numbers else f["head"])
    _fit_height(ws, HEADER_ROW - 1, dict(enumerate(header)), widths)
    for i, w in enumerate(widths):
        ws.set_column(i, i, w, f["wrap"] if i in wrap else f["top"])
    ws.freeze_panes(FIRST_ROW - 1, 0)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, HEADER_ROW - 1)
    ws.set_margins(left=0.5, right=0.5, top=0.75, bottom=0.75)
    ws.set_header(SIDHUVUD.format(year=year))
    ws.set_footer(SIDFOT)
    return ws


RAPPORTTEXT_WIDTHS = [34, 7, 90, 14, 50]
INGET_URSPRUNG = "INGET URSPRUNG"


def _rapporttext(wb, f: dict, year: int, tal: list) -> None:
    """"Rapporttext": every number printed in the PDFs, its page and sentence and its
    source key (INGET URSPRUNG, in red, for an untraced number)."""
    ws = _sheet(wb, f, "Rapporttext", year, f"Rapporttext {year}: varje tal i PDF:erna och dess ursprung",
                ["dokument", "sida", "mening", "tal", "källa"], RAPPORTTEXT_WIDTHS, wrap={2, 4}, numbers={1})
    for r, t in enumerate(tal, FIRST_ROW - 1):
        ws.write_string(r, 0, t.dokument)
        ws.write_number(r, 1, t.sida)
        ws.write_string(r, 2, t.mening)
        ws.write_string(r, 3, t.tal)
        ws.write_string(r, 4, t.kalla or INGET_URSPRUNG, None if t.kalla else f["red"])
        _fit_height(ws, r, {2: t.mening, 4: t.kalla or ""}, RAPPORTTEXT_WIDTHS)


def write_auditbook(path: Path, b: "Bygge", rapporttext: list | None = None) -> Path:
    """Write audit-<Y>.xlsx for one built year and return its path. `rapporttext`: the
    numbers printed in the PDFs with their sources (pdftrace.Tal), for the sheet "Rapporttext"."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(str(path), {"nan_inf_to_errors": True})
    f = {"red": wb.add_format({"bold": True, "font_color": "#C00000"}),
         "bold": wb.add_format({"bold": True}),
         "head": wb.add_format({"bold": True, "bg_color": "#DDDDDD", "text_wrap": True, "valign": "top"}),
         "head_num": wb.add_format({"bold": True, "bg_color": "#DDDDDD", "text_wrap": True, "valign": "top",
                                    "align": "right"}),
         "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
         "top": wb.add_format({"valign": "top"}),
         "percent": wb.add_format({"num_format": PERCENT, "valign": "top"})}
    scopes = list(b.nyckeltal)

    # Grundtal
    g = _sheet(wb, f, "Grundtal", b.year, f"Grundtal {b.year} per omfattning (nyckeltal.json)",
               ["nyckel", "namn", *scopes], [34, 44] + [14] * len(scopes),
               numbers=set(range(2, 2 + len(scopes))))
    refs: dict[str, dict[str, str]] = {s: {} for s in scopes}
    grundtal: dict[str, dict[str, float | int]] = {s: {} for s in scopes}
    for r, key in enumerate(base_keys(b.nyckeltal), FIRST_ROW - 1):
        g.write_string(r, 0, key)
        g.write_string(r, 1, metrics.namn(key))
        for c, s in enumerate(scopes, 2):
            v = b.nyckeltal[s].get(key)
            _put(g, r, c, v, f["percent"] if metrics.is_share(key) else None)
            if _number(v):
                refs[s][key] = f"Grundtal!{xl_rowcol_to_cell(r, c)}"
                grundtal[s][key] = v

    # Härledda
    h = _sheet(wb, f, "Härledda", b.year,
               f"Härledda nyckeltal {b.year}: Excel-formel på Grundtal, värdet bygget rapporterade, kontroll",
               ["omfattning", "nyckel", "namn", "definition", "formel (räknas i Excel)", "rapporterat värde", "kontroll"],
               HARLEDDA_WIDTHS, wrap={2, 3}, numbers={4, 5})
    r = FIRST_ROW - 1
    for s in scopes:
        for key in derived_keys({s: b.nyckeltal[s]}):
            num = f["percent"] if metrics.is_share(key) else f["top"]
            fx = formula(key, refs[s])
            for c, v in enumerate([s, key, metrics.namn(key), definition(key)]):
                h.write_string(r, c, v)
            _fit_height(h, r, {2: metrics.namn(key), 3: definition(key)}, HARLEDDA_WIDTHS)
            reported = b.nyckeltal[s].get(key)
            _put(h, r, 5, reported, num)
            if fx is None:
                h.write_string(r, 4, "indata saknas")
                h.write_string(r, 6, "ej kontrollerbar")
            else:
                computed = value(key, grundtal[s])
                h.write_formula(r, 4, fx, num, "" if computed is None else computed)
                e, fcell = f"E{r + 1}", f"F{r + 1}"
                kontroll = (f'=IF(AND({e}="",{fcell}=""),"OK",'
                            f'IFERROR(IF(ABS({e}-{fcell})<=0.000000001,"OK","AVVIKER"),"AVVIKER"))')
                h.write_formula(r, 6, kontroll, f["top"], check(computed, reported))
            r += 1

    # Spårning
    t = _sheet(wb, f, "Spårning", b.year, f"Spårning {b.year}: varje siffra, dess definition, koden som räknar den och indata",
               ["nyckel", "namn", "typ", "definition", "funktion", "indatafiler (SHA-256)", "kodversion (git commit)"],
               SPARNING_WIDTHS, wrap=SPARNING_WRAP)
    files, commit = _provenance(b.manifest)
    for r, key in enumerate(base_keys(b.nyckeltal) + derived_keys(b.nyckeltal), FIRST_ROW - 1):
        row = [key, metrics.namn(key), "härledd" if is_derived(key) else "grundtal",
               definition(key), function_name(key), files, commit]
        for c, v in enumerate(row):
            t.write_string(r, c, v)
        _fit_height(t, r, {c: row[c] for c in SPARNING_WRAP}, SPARNING_WIDTHS)

    if rapporttext is not None:
        _rapporttext(wb, f, b.year, rapporttext)

    wb.set_properties({"title": f"Revisionsunderlag KAA {b.year} – KONFIDENTIELLT",
                       "subject": "Kommunens aktivitetsansvar: grundtal, härledda nyckeltal och spårning",
                       "keywords": "konfidentiellt; KAA; revision",
                       "category": "Konfidentiellt",
                       "comments": KONFIDENTIELLT,
                       "author": "kaa-report audit"})
    wb.set_custom_property("Sekretess", "Konfidentiellt")
    wb.close()
    return path
