"""Every exhibit of the report, one entry each: Tabell 1-6, Diagram 1-8, Figur 1.

An entry names the exhibit (its file stem in a build and its caption key in
report/exhibits.yml), the function that builds it, a line for docs/outputs.md, and for a
table its shape and which nyckeltal its cells show. The shape says how its cells add up
for small-number suppression (`tables.SUPPRESSION`), how the report lays it out
(document/cells.py) and how its cells read back as nyckeltal (`READ_BACK`); `rows` and
`year` complete that read-back, which audit (review/audit.py) and the suppression of
Tabell 1-4 (`tables.figure_key`) both use. The chapter an exhibit stands in is the one
chapter of report/kapitel/ that includes it (`chapters`).

What follows this list, with no edit of its own:
- the notebook: one `nb.kapitel(sf, N, out_dir)` cell per chapter writes and shows every
  exhibit of that chapter (pipeline/notebook.py);
- the report's exhibit blocks (document/typst.py) and the captions, which live only in
  report/exhibits.yml, the one source the PDF and the notebook both print;
- audit's read-back of every table (review/audit.py);
- the list of exhibit files in docs/outputs.md (exhibits/outputs_doc.py, run by
  scripts/outputs_doc.py; tests/test_registry.py fails when the committed doc differs).

Adding a table of an existing shape touches: tables.py (its builder, and its row map when
its rows are new); an entry here; its caption in report/exhibits.yml; its
`{{< include /_generated/tabell_<n>.md >}}` in a chapter of report/kapitel/. Then
`python scripts/outputs_doc.py` rewrites the list in docs/outputs.md (generated, not
edited). A diagram: its builder in diagrams.py and its alt text in alttext.py, an entry,
a caption, an include. A table
of a new shape also needs the shape in READ_BACK, tables.SUPPRESSION and
document/cells.py (and, when it reads back in a new way, review/audit.READ_BACK and
outputs_doc.COLUMNS); an exhibit in a chapter that has none yet, that chapter's
`nb.kapitel` cell in notebooks/arsrapport.ipynb. tests/test_registry.py fails until
these follow, and shows an example new table picked up with no other edit.

No heavy imports here: the builders and row maps are looked up when used.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..params import read_yaml
from ..paths import REPORT

SUPPLEMENT = {"tabell": "Tabell", "diagram": "Diagram", "figur": "Figur"}

# How the cells of a table of each shape read back as nyckeltal:
#   "ar":    one column per year, <Y-1> and <Y>; a row's label names its key (`rows`)
#   "kon":   columns Kvinnor, Män, Totalt (the key's _k, _m and the key itself), all of one
#            year (`year`); a row's label names the key (`rows`)
#   "enhet": one row per unit of the scope and Totalt, the columns of tables.TABELL_5_COLUMNS,
#            all of one year (`year`); Totalt is the scope's nyckeltal, a unit's row its own
READ_BACK = {"kon_per_ar": "ar", "per_ar": "ar", "uppsok": "kon", "resultat": "enhet"}
YEARS = ("ar", "foregaende_ar")  # `year`: Y or Y-1, as in nyckeltal.json and nyckeltal_foregaende_ar.json


@dataclass(frozen=True)
class Exhibit:
    name: str  # "tabell_5": the file stem in a build and the caption key in report/exhibits.yml
    builder: str  # "tables.tabell_5": a function in exhibits/ of one scope's figures (figur_1: of the params folder)
    doc: str  # what the file holds, for docs/outputs.md (a table's columns and rows are added from its read-back)
    shape: str | None = None  # tables only: how its cells add up (tables.SUPPRESSION), how the report lays it out, READ_BACK
    rows: str | None = None  # tables read back "ar" or "kon": "tables.UPPSOK_ROWS", a map row label → nyckeltal key
    year: str | None = None  # tables read back "kon" or "enhet": the one year they show, "ar" or "foregaende_ar"

    @property
    def kind(self) -> str:
        return self.name.rsplit("_", 1)[0]

    @property
    def nummer(self) -> int:
        return int(self.name.rsplit("_", 1)[1])

    @property
    def supplement(self) -> str:
        """How the report names it: "Tabell", "Diagram", "Figur"."""
        return SUPPLEMENT[self.kind]

    @property
    def read_back(self) -> str | None:
        """How a table's cells read back as nyckeltal ("ar", "kon", "enhet"); None for a diagram."""
        return READ_BACK[self.shape] if self.shape is not None else None

    def build(self) -> Callable:
        """The builder function (imported on first use)."""
        return _lookup(self.builder)

    def row_keys(self) -> dict[str, str]:
        """Row label → nyckeltal key (imported on first use); empty for a table without `rows`."""
        return dict(_lookup(self.rows)) if self.rows else {}


def _lookup(dotted: str):
    """"tables.tabell_5" → the object tabell_5 of kaa_report.exhibits.tables."""
    module, attr = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(f"{__package__}.{module}"), attr)


_UNITS = ("one row per unit of the scope (for `stad`: every jobbtorg then `Saknar stadsdel`; "
          "for a jobbtorg: its stadsdelar) and `Totalt`")

EXHIBITS: tuple[Exhibit, ...] = (
    Exhibit("tabell_1", "tables.tabell_1", "omfattade", "kon_per_ar", rows="tables.OMFATTADE_ROWS"),
    Exhibit("tabell_2", "tables.tabell_2", "ej nådda, nådda and sökta, Y", "uppsok", rows="tables.UPPSOK_ROWS", year="ar"),
    Exhibit("tabell_3", "tables.tabell_3", "ej nådda, nådda and sökta, Y-1", "uppsok", rows="tables.UPPSOK_ROWS", year="foregaende_ar"),
    Exhibit("tabell_4", "tables.tabell_4", "inskrivna per verksamhet", "per_ar", rows="tables.VERKSAMHET_ROWS"),
    Exhibit("tabell_5", "tables.tabell_5", f"Y, {_UNITS}", "resultat", year="ar"),
    Exhibit("tabell_6", "tables.tabell_6", "Y-1, one row per unit of the scope and `Totalt`", "resultat", year="foregaende_ar"),
    Exhibit("diagram_1", "diagrams.diagram_1", "omfattade per operating year"),
    Exhibit("diagram_2", "diagrams.diagram_2", "nådda per stadsdel, Y-1 and Y (part 1)"),
    Exhibit("diagram_3", "diagrams.diagram_3", "nådda per stadsdel, Y-1 and Y (part 2)"),
    Exhibit("diagram_4", "diagrams.diagram_4", "share nådda of sökta per unit and kön, Y"),
    Exhibit("diagram_5", "diagrams.diagram_5", "sysselsättning at first contact, Y"),
    Exhibit("diagram_6", "diagrams.diagram_6", "avslutade at the jobbtorg by avslutsorsak, Y-1 and Y"),
    Exhibit("diagram_7", "diagrams.diagram_7", "utskrivna from Aim by avslutsorsak, Y-1 and Y"),
    Exhibit("diagram_8", "diagrams.diagram_8", "the survey's answers"),
    Exhibit("figur_1", "diagrams.figur_1", "the organisation chart, drawn from `params/organisation.yml`"),
)
BY_NAME: dict[str, Exhibit] = {e.name: e for e in EXHIBITS}


def of_kind(kind: str) -> list[Exhibit]:
    """The exhibits of one kind ("tabell", "diagram", "figur") in number order."""
    return sorted((e for e in EXHIBITS if e.kind == kind), key=lambda e: e.nummer)


def table(n: int) -> Exhibit:
    return BY_NAME[f"tabell_{n}"]


def read_back(kind: str) -> list[Exhibit]:
    """The tables whose cells read back as `kind` ("ar", "kon", "enhet"; READ_BACK), in number order."""
    return [e for e in of_kind("tabell") if e.read_back == kind]


# ---------------------------------------------------------------- chapters (report/kapitel/)

_INCLUDE = re.compile(r"\{\{<\s*include\s+/_generated/([a-z]+_\d+)\.md\s*>\}\}")


def placements(report_dir: Path = REPORT) -> dict[str, list[int]]:
    """Exhibit → the chapters that include it (report/kapitel/06-resultat-uppsok.qmd is chapter 6)."""
    out: dict[str, list[int]] = {}
    for p in sorted((Path(report_dir) / "kapitel").glob("*.qmd")):
        for name in _INCLUDE.findall(p.read_text(encoding="utf-8")):
            out.setdefault(name, []).append(int(p.name.split("-", 1)[0]))
    return out


def chapters(report_dir: Path = REPORT) -> dict[int, list[Exhibit]]:
    """Chapter → the exhibits it includes, in registry order (tables, then diagrams, then the
    figure), for every chapter that includes one."""
    placed = placements(report_dir)
    out: dict[int, list[Exhibit]] = {}
    for e in EXHIBITS:
        for k in placed.get(e.name, []):
            out.setdefault(k, []).append(e)
    return dict(sorted(out.items()))


# ---------------------------------------------------------------- captions (report/exhibits.yml)

_VAR = re.compile(r"\{\{<\s*var\s+([^\s>]+)\s*>\}\}")


def caption_texts(report_dir: Path = REPORT) -> dict[str, object]:
    """report/exhibits.yml as written: a text, or a {stad:, jobbtorg:} pair, per exhibit."""
    return read_yaml(Path(report_dir) / "exhibits.yml")


def pick(text: object, city: bool) -> str:
    """The text of a caption for the city report or a jobbtorg report."""
    return str(text["stad" if city else "jobbtorg"]) if isinstance(text, dict) else str(text)


def caption(name: str, year: int, city: bool, report_dir: Path = REPORT) -> str:
    """An exhibit's caption as the report prints it, for places outside the report (the
    notebook): the year variables resolved ({{< var ar >}}, {{< var forra_ar >}})."""
    years = {"ar": str(year), "forra_ar": str(year - 1)}
    text = pick(caption_texts(report_dir)[name], city)

    def repl(m: re.Match) -> str:
        if m.group(1) not in years:
            raise KeyError(f"report/exhibits.yml:{name}: {m.group(1)} (only ar and forra_ar outside the report)")
        return years[m.group(1)]

    return _VAR.sub(repl, text)
