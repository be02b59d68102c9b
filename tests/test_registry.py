"""The exhibit registry (kaa_report.exhibits.registry) and the places that follow it:
report/exhibits.yml (captions), the chapters of report/kapitel/, the notebook, audit's
read-back, docs/outputs.md and the table shapes. The last test registers an example new
table and shows that the notebook, audit and docs pick it up with no other edit."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from kaa_report.exhibits import outputs_doc, registry, tables
from kaa_report.paths import REPORT

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
        assert e.shape in registry.READ_BACK, e.name
    assert registry.table(4).shape == "per_ar" and registry.table(6).shape == "resultat"


def test_every_table_says_how_it_reads_back():
    from kaa_report.review import audit

    assert set(registry.READ_BACK.values()) == set(audit.READ_BACK)
    for e in registry.of_kind("tabell"):
        if e.read_back in ("ar", "kon"):
            assert e.row_keys(), e.name
        if e.read_back in ("kon", "enhet"):
            assert e.year in registry.YEARS, e.name
    for e in registry.of_kind("diagram") + registry.of_kind("figur"):
        assert e.read_back is None and e.rows is None and e.year is None, e.name
    assert [e.name for e in registry.read_back("ar")] == ["tabell_1", "tabell_4"]
    assert [(e.name, e.year) for e in registry.read_back("kon")] == [("tabell_2", "ar"), ("tabell_3", "foregaende_ar")]
    assert [(e.name, e.year) for e in registry.read_back("enhet")] == [("tabell_5", "ar"), ("tabell_6", "foregaende_ar")]


def test_which_nyckeltal_a_cell_shows():
    # Worked out by hand from docs/outputs.md and metrics.definitions' keys.
    assert registry.table(1).row_keys() == {"Kvinnor": "omfattade_k", "Män": "omfattade_m", "Totalt": "omfattade"}
    assert tables.figure_key(1, 2023, "Män", "2022") == ("omfattade_m", True)
    assert tables.figure_key(2, 2023, "Nådda", "Män") == ("nadda_m", False)
    assert tables.figure_key(3, 2023, "Sökta totalt", "Totalt") == ("sokta", True)
    assert tables.figure_key(4, 2023, "Aim", "2023") == ("aim_inskrivna", False)
    with pytest.raises(ValueError):
        tables.figure_key(5, 2023, "Totalt", "inskrivna")


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


def test_every_exhibit_stands_in_one_chapter():
    placed = registry.placements()
    assert {name: len(ks) for name, ks in placed.items()} == {name: 1 for name in NAMES}
    got = {k: [e.name for e in es] for k, es in registry.chapters().items()}
    # From report/kapitel/*.qmd by hand; within a chapter in registry order.
    assert got == {
        2: ["diagram_1"],
        5: ["figur_1"],
        6: ["tabell_1", "tabell_2", "tabell_3", "diagram_2", "diagram_3", "diagram_4", "diagram_5"],
        7: ["tabell_4", "tabell_5", "tabell_6", "diagram_6", "diagram_7", "diagram_8"],
    }


def _notebook_code() -> str:
    nb = json.loads((ROOT / "notebooks" / "arsrapport.ipynb").read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")


def test_the_notebook_has_one_cell_per_chapter_with_exhibits():
    code = _notebook_code()
    cells = [int(n) for n in re.findall(r"^nb\.kapitel\(sf, (\d+), out_dir\)$", code, flags=re.M)]
    assert cells == sorted(registry.chapters())  # every chapter once, in order
    # The exhibits are made by the chapter cells only, so that the notebook follows the registry.
    assert not re.search(r"nb\.(table|diagram|figur_1|exhibit)\(", code)


def test_the_notebook_can_make_every_exhibit(monkeypatch):
    from kaa_report.pipeline import notebook as nb

    monkeypatch.setattr(nb, "table", lambda sf, n, out_dir: ("tabell", n))
    monkeypatch.setattr(nb, "diagram", lambda sf, n, out_dir: ("diagram", n))
    monkeypatch.setattr(nb, "figur_1", lambda sf, out_dir: ("figur", 1))
    made = [nb.exhibit(None, e, "") for e in registry.EXHIBITS]
    assert made == [("tabell", n) for n in range(1, 7)] + [("diagram", n) for n in range(1, 9)] + [("figur", 1)]
    with pytest.raises(ValueError):
        nb.exhibit(None, registry.Exhibit("figur_2", "diagrams.figur_2", "x"), "")


def test_docs_outputs_lists_the_registry():
    text = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `((?:tabell|diagram|figur)_\d+)\.", text, flags=re.M))
    assert listed == NAMES


def test_docs_outputs_is_written_from_the_registry():
    text = (ROOT / "docs" / "outputs.md").read_text(encoding="utf-8")
    assert outputs_doc.outputs_doc(text) == text, "docs/outputs.md: kör scripts/outputs_doc.py"
    assert outputs_doc.doc_row(registry.table(2)) == (
        "| `tabell_2.csv` | ej nådda, nådda and sökta, Y. Columns `rad,Kvinnor,Män,Totalt`; "
        "rows `Ej nådda`, `Nådda`, `Sökta totalt` |")
    assert outputs_doc.doc_row(registry.BY_NAME["diagram_8"]) == "| `diagram_8.csv/.png/.svg` | the survey's answers |"


# ---------------------------------------------------------------- an example new table


def _tabell_7(sf) -> pd.DataFrame:
    """The example: nådda by kön, Y, one row."""
    nt = sf.nyckeltal
    return pd.DataFrame([["Nådda", nt["nadda_k"], nt["nadda_m"], nt["nadda"]]], columns=["rad", "Kvinnor", "Män", "Totalt"])


@pytest.fixture
def tabell_7(monkeypatch, tmp_path):
    """Tabell 7 added as a newcomer would: a builder (and its row map) in tables.py, one entry
    in the registry, one caption in report/exhibits.yml, one include in chapter 6."""
    monkeypatch.setattr(tables, "tabell_7", _tabell_7, raising=False)
    monkeypatch.setattr(tables, "NADDA_ROWS", {"Nådda": "nadda"}, raising=False)
    entry = registry.Exhibit("tabell_7", "tables.tabell_7", "nådda, Y", "uppsok", rows="tables.NADDA_ROWS", year="ar")
    exhibits = (*registry.EXHIBITS[:6], entry, *registry.EXHIBITS[6:])
    monkeypatch.setattr(registry, "EXHIBITS", exhibits)
    monkeypatch.setattr(registry, "BY_NAME", {e.name: e for e in exhibits})

    report = tmp_path / "report"
    shutil.copytree(REPORT / "kapitel", report / "kapitel")
    (report / "exhibits.yml").write_text((REPORT / "exhibits.yml").read_text(encoding="utf-8")
                                         + 'tabell_7: "Antal nådda ungdomar {{< var ar >}}"\n', encoding="utf-8")
    ch6 = report / "kapitel" / "06-resultat-uppsok.qmd"
    ch6.write_text(ch6.read_text(encoding="utf-8") + "\n{{< include /_generated/tabell_7.md >}}\n", encoding="utf-8")
    captions, placements = registry.caption_texts, registry.placements
    monkeypatch.setattr(registry, "caption_texts", lambda report_dir=None: captions(report))
    monkeypatch.setattr(registry, "placements", lambda report_dir=None: placements(report))
    return entry


def _kista_export():
    """Nine youths in Rinkeby-Kista (jobbtorg Kista), each reached in 2023: 7 women, 2 men."""
    from frames import export, person

    pids = [f"P{i}" for i in range(9)]
    return export(
        personer=[person(p, "K" if i < 7 else "M") for i, p in enumerate(pids)],
        registerperioder=[{"person_id": p, "fran": "2023-01-01", "stadsdel": "Rinkeby-Kista", "uppsok_fran": "2023-01-01"}
                          for p in pids],
        kontaktforsok=[{"person_id": p, "datum": "2023-05-01", "kanal": "telefon", "initiativ": "kaa", "besvarat": "true"}
                       for p in pids],
    )


def test_a_new_table_needs_no_other_edit(tabell_7, tmp_path):
    from kaa_report.exhibits.figures import scope_figures
    from kaa_report.pipeline import notebook as nb
    from kaa_report.review import audit

    # The report places it and the notebook's chapter 6 cell makes it, after Tabell 3.
    assert [e.name for e in registry.chapters()[6]][:4] == ["tabell_1", "tabell_2", "tabell_3", "tabell_7"]
    assert registry.caption("tabell_7", 2023, True) == "Antal nådda ungdomar 2023"

    d = _kista_export()
    stad, kista = tmp_path / "stad", tmp_path / "kista"
    for folder, scope in ((stad, "stad"), (kista, "kista")):
        sf = scope_figures(d, 2023, scope)
        folder.mkdir()
        nb.write_nyckeltal(sf, str(folder))
        if scope == "kista":
            nb.kapitel(sf, 6, str(folder))  # the notebook's cell: Tabell 1-3, 7, Diagram 2-5
        else:
            assert nb.exhibit(sf, tabell_7, str(folder)).caption == "Tabell 7. Antal nådda ungdomar 2023"
    assert (stad / "tabell_7.csv").read_text(encoding="utf-8") == "rad,Kvinnor,Män,Totalt\nNådda,7,2,9\n"
    # Kista is suppressed: 2 men is a primary cell ("<5"), shown exactly as Tabell 2's Nådda row.
    t7 = pd.read_csv(kista / "tabell_7.csv", dtype=str).set_index("rad")
    t2 = pd.read_csv(kista / "tabell_2.csv", dtype=str).set_index("rad")
    assert t7.loc["Nådda", "Män"] == "<5" and t7.loc["Nådda"].equals(t2.loc["Nådda"])
    assert (kista / "intern" / "tabell_7.csv").read_text(encoding="utf-8") == "rad,Kvinnor,Män,Totalt\nNådda,7,2,9\n"
    made = list(pd.read_csv(kista / "intern" / "undertryckning.csv")["utdata"])
    assert made[2:] == ["tabell_1", "tabell_2", "tabell_3", "tabell_7", "diagram_2", "diagram_3", "diagram_4", "diagram_5"]

    # Audit reads it back: quiet when it agrees, a finding when a cell does not.
    nk = json.loads((stad / "nyckeltal.json").read_text(encoding="utf-8"))
    prev = json.loads((stad / "nyckeltal_foregaende_ar.json").read_text(encoding="utf-8"))
    assert audit.check_tables(stad, 2023, "stad", nk, prev, {}) == []
    (stad / "tabell_7.csv").write_text("rad,Kvinnor,Män,Totalt\nNådda,7,3,9\n", encoding="utf-8")
    found = audit.check_tables(stad, 2023, "stad", nk, prev, {})
    assert [f.text() for f in found] == ["[tabell] stad: tabell_7 Nådda/Män: cellen 3, nyckeltal.json nadda_m = 2"]

    # docs/outputs.md gets its row, after Tabell 6's.
    doc = outputs_doc.outputs_doc((ROOT / "docs" / "outputs.md").read_text(encoding="utf-8"))
    rows = re.findall(r"^\| `(tabell_\d)\.csv` \|.*$", doc, flags=re.M)
    assert rows == [f"tabell_{n}" for n in (1, 2, 3, 4, 5, 6, 7)]
    assert "| `tabell_7.csv` | nådda, Y. Columns `rad,Kvinnor,Män,Totalt`; rows `Nådda` |\n" in doc


def test_the_doc_script_checks_the_committed_doc():
    import subprocess
    import sys

    p = subprocess.run([sys.executable, str(ROOT / "scripts" / "outputs_doc.py"), "--check"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
