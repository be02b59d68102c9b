"""Every PDF of a real build (`built`: the årsrapport of each scope and the tjänsteutlåtande)
is PDF/UA-1: identified in its XMP metadata, its title shown in the window, /Lang sv-SE, and
an alt text on every figure, written from the data behind the diagram."""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import BUILD_YEAR
from pdfua import facts

SCOPES = ["stad", "globen", "skarholmen", "vallingby", "kista", "saknar-stadsdel"]


def _pdfs(built: Path) -> list[Path]:
    out = [built / str(BUILD_YEAR) / s / f"arsrapport-{BUILD_YEAR}-{s}.pdf" for s in SCOPES]
    return out + [built / str(BUILD_YEAR) / "stad" / f"tjansteutlatande-{BUILD_YEAR}.pdf"]


def test_every_pdf_of_the_build_is_pdf_ua_with_title_and_language(built):
    pdfs = _pdfs(built)
    assert all(p.is_file() for p in pdfs), (built / "build.stderr").read_text()
    for pdf in pdfs:
        f = facts(pdf)
        assert f.pdfua_part == "1", pdf.name
        assert f.display_doc_title, pdf.name
        assert f.lang == "sv-SE", pdf.name
        letter = pdf.name.startswith("tjansteutlatande")
        assert f.xmp_title == (f"Årsrapport för {BUILD_YEAR} om kommunens aktivitetsansvar i Stockholms stad"
                               if letter else f"Årsrapport {BUILD_YEAR}"), pdf.name


@pytest.mark.parametrize("scope", SCOPES)
def test_every_figure_of_the_arsrapport_has_an_alt_text(built, scope):
    alts = facts(built / str(BUILD_YEAR) / scope / f"arsrapport-{BUILD_YEAR}-{scope}.pdf").figure_alts
    assert len(alts) == 9  # Diagram 1-8 and Figur 1
    assert all(a and len(a) > 40 for a in alts), alts
    assert sum(a.startswith("Organisationsschema med 12 rutor.") for a in alts) == 1
    for a in alts:  # a suppressed cell is only ever named as hidden, never as a value
        named = re.sub(r"\d+ värden? visas som .*? och är inte med i beskrivningen\.", "", a)
        assert "<5" not in named and "”..”" not in named, a


def test_the_alt_text_of_diagram_2_names_the_largest_and_smallest_value_of_its_data(built):
    d = built / str(BUILD_YEAR) / "stad"
    data = pd.read_csv(d / "diagram_2.csv")  # the city is not suppressed: every cell a count
    assert data["nadda"].max() < 1000  # printed without a thousands separator
    top, low = data.loc[data["nadda"].idxmax()], data.loc[data["nadda"].idxmin()]
    assert (data["nadda"] == top["nadda"]).sum() == 1 and (data["nadda"] == low["nadda"]).sum() == 1  # no tie
    alts = facts(d / f"arsrapport-{BUILD_YEAR}-stad.pdf").figure_alts
    alt = next(a for a in alts if a.startswith("Liggande stapeldiagram: nådda ungdomar per stadsdelsområde"))
    assert f"Flest i {top['stadsdel']}, {int(top['nadda'])} ({top['ar']})" in alt
    assert f"färst i {low['stadsdel']}, {int(low['nadda'])} ({low['ar']})" in alt
    assert f"{BUILD_YEAR - 1} och {BUILD_YEAR}, del 1 av 2." in alt


def test_the_letter_has_no_figures(built):
    assert facts(_pdfs(built)[-1]).figure_alts == []
