"""Every exhibit of the report, one entry each: Tabell 1-6, Diagram 1-8, Figur 1.

An entry names the exhibit (its file stem in a build and its caption key in
report/exhibits.yml), the function that builds it, and for a table its shape: how its
cells add up for small-number suppression (`tables.SUPPRESSION`) and how the report lays
it out (document/typst.py). The notebook, the report's
exhibit blocks (document/typst.py) and docs/outputs.md follow this list; the captions
live only in report/exhibits.yml, the one source the PDF and the notebook both print.

Adding a table touches: its builder in tables.py; an entry here; its caption in
report/exhibits.yml; a `nb.table(sf, n, out_dir)` cell in notebooks/arsrapport.ipynb; its
place in a chapter of report/; a row in docs/outputs.md; its read-back in review/audit.py.
A table of a new shape also needs the shape in tables.SUPPRESSION and document/typst.py.
tests/test_registry.py fails until the caption, notebook, doc and audit follow.

No heavy imports here: the builders are looked up when used.
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


@dataclass(frozen=True)
class Exhibit:
    name: str  # "tabell_5": the file stem in a build and the caption key in report/exhibits.yml
    builder: str  # "tables.tabell_5": a function in exhibits/ of one scope's figures (figur_1: of the params folder)
    shape: str | None = None  # tables only: how its cells add up (tables.SUPPRESSION) and how the report lays it out

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

    def build(self) -> Callable:
        """The builder function (imported on first use)."""
        module, func = self.builder.rsplit(".", 1)
        return getattr(importlib.import_module(f"{__package__}.{module}"), func)


EXHIBITS: tuple[Exhibit, ...] = (
    Exhibit("tabell_1", "tables.tabell_1", "kon_per_ar"),
    Exhibit("tabell_2", "tables.tabell_2", "uppsok"),
    Exhibit("tabell_3", "tables.tabell_3", "uppsok"),
    Exhibit("tabell_4", "tables.tabell_4", "per_ar"),
    Exhibit("tabell_5", "tables.tabell_5", "resultat"),
    Exhibit("tabell_6", "tables.tabell_6", "resultat"),
    Exhibit("diagram_1", "diagrams.diagram_1"),
    Exhibit("diagram_2", "diagrams.diagram_2"),
    Exhibit("diagram_3", "diagrams.diagram_3"),
    Exhibit("diagram_4", "diagrams.diagram_4"),
    Exhibit("diagram_5", "diagrams.diagram_5"),
    Exhibit("diagram_6", "diagrams.diagram_6"),
    Exhibit("diagram_7", "diagrams.diagram_7"),
    Exhibit("diagram_8", "diagrams.diagram_8"),
    Exhibit("figur_1", "diagrams.figur_1"),
)
BY_NAME: dict[str, Exhibit] = {e.name: e for e in EXHIBITS}


def of_kind(kind: str) -> list[Exhibit]:
    """The exhibits of one kind ("tabell", "diagram", "figur") in number order."""
    return sorted((e for e in EXHIBITS if e.kind == kind), key=lambda e: e.nummer)


def table(n: int) -> Exhibit:
    return BY_NAME[f"tabell_{n}"]


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
