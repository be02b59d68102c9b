"""The list of exhibit files in docs/outputs.md, written from the registry (one row per
exhibit, between DOC_BEGIN and DOC_END). scripts/outputs_doc.py rewrites the doc;
tests/test_registry.py checks that the committed doc is what this writes."""
from __future__ import annotations

from . import registry, tables

DOC_BEGIN = "<!-- exhibits: written from kaa_report.exhibits.registry by scripts/outputs_doc.py; do not edit -->"
DOC_END = "<!-- /exhibits -->"

# A table's columns by its read-back (registry.READ_BACK)
COLUMNS = {"ar": ["rad", "<Y-1>", "<Y>"], "kon": ["rad", *tables.KON_SUFFIX], "enhet": ["rad", *tables.TABELL_5_COLUMNS]}


def doc_row(e: registry.Exhibit) -> str:
    """One exhibit's row: its files and what they hold (a table's columns and rows as its
    read-back names them)."""
    if e.kind != "tabell":
        return f"| `{e.name}.csv/.png/.svg` | {e.doc} |"
    text = f"{e.doc}. Columns `{','.join(COLUMNS[e.read_back])}`"
    if e.rows:
        text += "; rows " + ", ".join(f"`{r}`" for r in e.row_keys())
    return f"| `{e.name}.csv` | {text} |"


def outputs_doc(text: str) -> str:
    """docs/outputs.md (its text) with the rows between DOC_BEGIN and DOC_END written from
    registry.EXHIBITS."""
    head, rest = text.split(DOC_BEGIN + "\n", 1)
    _, tail = rest.split(DOC_END, 1)
    rows = "\n".join(doc_row(e) for e in registry.EXHIBITS)
    return f"{head}{DOC_BEGIN}\n| file | content |\n| --- | --- |\n{rows}\n{DOC_END}{tail}"
