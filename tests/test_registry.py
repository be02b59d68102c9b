"""The exhibit registry (kaa_report.exhibits.registry) and the places that follow it:
report/exhibits.yml (captions), the notebook, docs/outputs.md and the table shapes."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kaa_report.exhibits import registry, tables

ROOT = Path(__file__).resolve().parents[1]
NAMES = {e.name for e in registry.EXHIBITS}


def test_the_report_has_six_tables_eight_diagrams_one_figure():
    assert [e.name for e in registry.of_kind("tabell")] == [f"tabell_{n}" for n in range(1, 7)]
    assert [e.nummer for e in registry.of_kind("diagram")] == list(range(1, 9))
    assert [e.name for e in registry.of_kind("figur")] == ["figur_1"]
    assert registry.table(5).supplement == "Tabell" and registry.BY_NAME["figur_1"].supplement == "Figur"


def test_every_builder_exists():
    for e in registry.EXHIBITS:
        assert callable(e.build()), e.name


def test_every_table_has_a_known_shape():
    # No fall-through: a table whose shape tables.SUPPRESSION does not know is an error.
    for e in registry.of_kind("tabell"):
        assert e.shape in tables.SUPPRESSION, e.name
    assert registry.table(4).shape == "per_ar" and registry.table(6).shape == "resultat"


def test_captions_live_in_exhibits_yml_one_per_exhibit():
    assert set(registry.caption_texts()) == NAMES


@pytest.mark.parametrize("city", [True, False])
def test_every_caption_resolves_outside_the_report(city):
    for name in NAMES:
        text = registry.caption(name, 2023, city)
        assert "{{<" not in text and text.strip(), name


def test_captions_as_the_report_prints_them():
    # Worked out from report/exhibits.yml by hand.
    assert registry.caption("tabell_2", 2023, True) == "Antal ungdomar som omfattades av uppsöksarbetet 2023 – nådda och ej nådda"
    assert registry.caption("tabell_6", 2023, True) == "Resultat fördelat över jobbtorgen 2022"
    assert registry.caption("tabell_6", 2023, False) == "Resultat fördelat över stadsdelarna 2022"


def test_docs_outputs_lists_the_registry():
    text = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `((?:tabell|diagram|figur)_\d+)\.", text, flags=re.M))
    assert listed == NAMES


def test_the_notebook_makes_every_exhibit():
    nb = json.loads((ROOT / "notebooks" / "arsrapport.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    made = {f"tabell_{n}" for n in re.findall(r"nb\.table\(sf, (\d+),", code)}
    made |= {f"diagram_{n}" for n in re.findall(r"nb\.diagram\(sf, (\d+),", code)}
    made |= {"figur_1"} if "nb.figur_1(sf," in code else set()
    assert made == NAMES


def test_audit_reads_every_table_back():
    from kaa_report.review.audit import AUDITED_TABLES

    assert AUDITED_TABLES == {e.name for e in registry.of_kind("tabell")}
