"""The revisors' workbook audit-<Y>.xlsx (openpyxl).

- "Grundtal": the base counts per scope (rows = keys, columns = scopes).
- "Härledda": every derived figure as a live Excel formula on Grundtal cells, beside the
  value the build reported and a check formula ("OK" / "AVVIKER").
- "Spårning": for every figure its Swedish name, definition, the function computing it,
  the input files with SHA-256 and the code commit (from each scope's manifest.json).

The workbook holds exact, unsuppressed values: it is marked confidential in a title cell
on every sheet and in the document properties.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from ..metrics import definitions as metrics
from .outputs import Bygge

KONFIDENTIELLT = "KONFIDENTIELLT – innehåller exakta, ej röjandeskyddade värden. Får inte spridas."
HEADER_ROW = 3
FIRST_ROW = 4
_BOLD = Font(bold=True)
_RED = Font(bold=True, color="C00000")
_HEAD_FILL = PatternFill("solid", fgColor="DDDDDD")


def _split(key: str) -> tuple[str, str]:
    for s in ("_k", "_m"):
        if key.endswith(s) and key[: -len(s)] in {**metrics.METRICS, **metrics.DERIVED_BY_ID}:
            return key[: -len(s)], s
    return key, ""


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


def _title(ws, text: str) -> None:
    ws["A1"] = KONFIDENTIELLT
    ws["A1"].font = _RED
    ws["A2"] = text
    ws["A2"].font = _BOLD


def _header(ws, names: list[str]) -> None:
    for i, n in enumerate(names, 1):
        c = ws.cell(HEADER_ROW, i, n)
        c.font = _BOLD
        c.fill = _HEAD_FILL
    ws.freeze_panes = ws.cell(FIRST_ROW, 1)


def write_auditbook(path: Path, b: "Bygge") -> Path:
    """Write audit-<Y>.xlsx for one built year and return its path."""
    wb = Workbook()
    scopes = list(b.nyckeltal)

    # Grundtal
    g = wb.active
    g.title = "Grundtal"
    _title(g, f"Grundtal {b.year} per omfattning (nyckeltal.json)")
    _header(g, ["nyckel", "namn", *scopes])
    refs: dict[str, dict[str, str]] = {s: {} for s in scopes}
    for r, key in enumerate(base_keys(b.nyckeltal), FIRST_ROW):
        g.cell(r, 1, key)
        g.cell(r, 2, metrics.namn(key))
        for c, s in enumerate(scopes, 3):
            v = b.nyckeltal[s].get(key)
            if v is None and key not in b.nyckeltal[s]:
                continue
            g.cell(r, c, v)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                refs[s][key] = f"Grundtal!{get_column_letter(c)}{r}"

    # Härledda
    h = wb.create_sheet("Härledda")
    _title(h, f"Härledda nyckeltal {b.year}: Excel-formel på Grundtal, värdet bygget rapporterade, kontroll")
    _header(h, ["omfattning", "nyckel", "namn", "definition", "formel (räknas i Excel)", "rapporterat värde", "kontroll"])
    r = FIRST_ROW
    for s in scopes:
        for key in derived_keys({s: b.nyckeltal[s]}):
            f = formula(key, refs[s])
            h.cell(r, 1, s)
            h.cell(r, 2, key)
            h.cell(r, 3, metrics.namn(key))
            h.cell(r, 4, definition(key))
            h.cell(r, 5, f if f is not None else "indata saknas")
            v = b.nyckeltal[s].get(key)
            if v is not None:
                h.cell(r, 6, v)
            e, fcell = f"E{r}", f"F{r}"
            h.cell(r, 7, f'=IF(AND({e}="",{fcell}=""),"OK",IFERROR(IF(ABS({e}-{fcell})<=0.000000001,"OK","AVVIKER"),"AVVIKER"))'
                   if f is not None else "ej kontrollerbar")
            r += 1

    # Spårning
    t = wb.create_sheet("Spårning")
    _title(t, f"Spårning {b.year}: varje siffra, dess definition, koden som räknar den och indata")
    _header(t, ["nyckel", "namn", "typ", "definition", "funktion", "indatafiler (SHA-256)", "kodversion (git commit)"])
    files, commit = _provenance(b.manifest)
    for r, key in enumerate(base_keys(b.nyckeltal) + derived_keys(b.nyckeltal), FIRST_ROW):
        for c, v in enumerate([key, metrics.namn(key), "härledd" if is_derived(key) else "grundtal",
                               definition(key), function_name(key), files, commit], 1):
            t.cell(r, c, v)

    for ws, widths in ((g, [34, 44]), (h, [16, 34, 44, 50, 60, 18, 12]), (t, [34, 44, 10, 70, 60, 60, 42])):
        for i, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w

    p = wb.properties
    p.title = f"Revisionsunderlag KAA {b.year} – KONFIDENTIELLT"
    p.subject = "Kommunens aktivitetsansvar: grundtal, härledda nyckeltal och spårning"
    p.keywords = "konfidentiellt; KAA; revision"
    p.category = "Konfidentiellt"
    p.description = KONFIDENTIELLT
    p.creator = "kaa-report audit"
    wb.custom_doc_props.append(StringProperty(name="Sekretess", value="Konfidentiellt"))

    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
