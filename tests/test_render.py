"""The årsrapport and the tjänsteutlåtande as PDF (kaa_report.document.render).

A scope folder is written by hand below with the published 2023/2022 city figures
(published_figures.yaml), so every expected string is worked out here: 7 546 − 7 154 = 392,
438 / 807 = 54,3 % → "54 procent", and so on. The PDFs are read back with pdfplumber.
Page 1 and the Tabell 5 page are kept as PNG under output/render-check/ for a person to look at.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pdfplumber
import pytest

from kaa_report.document import render as R
from kaa_report.document.variables import forandring, jamfort, okning, report_variables
from kaa_report.paths import OUTPUT, REPORT

NB = "\u00a0"

# ---------------------------------------------------------------- hand-made scope folder

# Base counts (city, published 2023 report where it states them; the rest invented).
COUNTS_2023 = {
    "omfattade": 7546, "omfattade_k": 3497, "omfattade_m": 4049,
    "sokta": 5777, "sokta_k": 2643, "sokta_m": 3134,
    "nadda": 3092, "nadda_k": 1408, "nadda_m": 1684,
    "ej_nadda": 2685, "ej_nadda_k": 1235, "ej_nadda_m": 1450,
    "kontaktforsok": 19628,
    "inskrivna": 1231, "nyinskrivna": 916, "avslutade": 807,
    "avslutade_studier": 438, "avslutade_arbete": 161,
    "avslutade_k": 380, "avslutade_m": 427, "avslutade_studier_k": 220, "avslutade_studier_m": 218,
    "aim_inskrivna": 293, "aim_nyinskrivna": 191, "aim_avslutade": 162,
    "studiesteg1_inskrivna": 87, "ungvux_inskrivna": 300, "ungvux_nyinskrivna": 162,
    "skolslussen_inskrivna": 23,
    "enkat_svarande": 49, "enkat_nojda": 45,
    "skolavhopp_avslutade": 118, "skolavhopp_kvar_i_studier": 96,
}
COUNTS_2022 = {
    "omfattade": 7154, "omfattade_k": 3320, "omfattade_m": 3834,
    "sokta": 5152, "sokta_k": 2406, "sokta_m": 2746,
    "nadda": 2801, "nadda_k": 1297, "nadda_m": 1504,
    "ej_nadda": 2351, "ej_nadda_k": 1109, "ej_nadda_m": 1242,
    "kontaktforsok": 17500,
    "inskrivna": 983, "nyinskrivna": 705, "avslutade": 651,
    "avslutade_studier": 325, "avslutade_arbete": 140,
    "avslutade_k": 300, "avslutade_m": 351, "avslutade_studier_k": 160, "avslutade_studier_m": 165,
    "aim_inskrivna": 250, "aim_nyinskrivna": 170, "aim_avslutade": 140,
    "studiesteg1_inskrivna": 60, "ungvux_inskrivna": 280, "ungvux_nyinskrivna": 150,
    "skolslussen_inskrivna": 20,
    "enkat_svarande": 40, "enkat_nojda": 33,
    "skolavhopp_avslutade": 0, "skolavhopp_kvar_i_studier": 0,
}
# Shares worked out by hand (a / b), unrounded as the build writes them.
SHARES_2023 = {
    "nadda_andel": 3092 / 5777, "nadda_andel_k": 1408 / 2643, "nadda_andel_m": 1684 / 3134,
    "sysselsatta_andel": 0.73,
    "avslutade_andel": 807 / 1231, "studier_andel": 438 / 807, "arbete_andel": 161 / 807,
    "studier_arbete_andel": 599 / 807, "studier_andel_k": 220 / 380, "studier_andel_m": 218 / 427,
    "aim_studier_andel": 86 / 162, "aim_arbete_andel": 37 / 162,
    "enkat_nojda_andel": 45 / 49, "skolavhopp_kvar_i_studier_andel": 96 / 118,
}
SHARES_2022 = {
    "nadda_andel": 2801 / 5152, "nadda_andel_k": 1297 / 2406, "nadda_andel_m": 1504 / 2746,
    "sysselsatta_andel": 0.67,
    "avslutade_andel": 651 / 983, "studier_andel": 325 / 651, "arbete_andel": 140 / 651,
    "studier_arbete_andel": 465 / 651, "studier_andel_k": 160 / 300, "studier_andel_m": 165 / 351,
    "aim_studier_andel": 0.56, "aim_arbete_andel": 0.20,
    "enkat_nojda_andel": 33 / 40, "skolavhopp_kvar_i_studier_andel": None,
}

# Tabell 5 (published 2023): inskrivna, avslutade, studier, arbete per jobbtorg.
T5 = [("Jobbtorg Globen", 490, 319, 165, 64), ("Jobbtorg Skärholmen", 220, 137, 69, 36),
      ("Jobbtorg Vällingby", 211, 123, 83, 16), ("Jobbtorg Kista", 244, 175, 102, 34),
      ("Saknar stadsdel", 66, 53, 19, 11), ("Totalt", 1231, 807, 438, 161)]
T6 = [("Jobbtorg Globen", 367, 216, 112, 44), ("Jobbtorg Skärholmen", 157, 114, 42, 32),
      ("Jobbtorg Vällingby", 134, 87, 45, 23), ("Jobbtorg Kista", 201, 122, 65, 23),
      ("Saknar stadsdel", 124, 112, 61, 18), ("Totalt", 983, 651, 325, 140)]


def _result_csv(rows) -> str:
    lines = ["rad,inskrivna,avslutade,andel_avslutade,studier_antal,studier_andel,arbete_antal,arbete_andel,"
             "studier_arbete_antal,studier_arbete_andel"]
    for name, ins, avs, stu, arb in rows:
        lines.append(f"{name},{ins},{avs},{avs / ins},{stu},{stu / avs},{arb},{arb / avs},{stu + arb},{(stu + arb) / avs}")
    return "\n".join(lines) + "\n"


def _png(path: Path, label: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.3, 3.2))
    ax.bar(["2022", "2023"], [3, 4], color="#1F5F8B")
    ax.set_title(label)
    fig.savefig(path, dpi=60)
    plt.close(fig)


def write_scope(d: Path, year: int = 2023, suppressed: bool = False) -> Path:
    """A build output folder (docs/outputs.md) with the figures above."""
    d.mkdir(parents=True, exist_ok=True)
    n23 = {**COUNTS_2023, **SHARES_2023}
    n22 = {**COUNTS_2022, **SHARES_2022}
    if suppressed:  # a jobbtorg: no city-only keys, small cells suppressed
        for n in (n23, n22):
            for k in [k for k in n if k.startswith(("enkat_", "skolavhopp_"))]:
                del n[k]
        n23["avslutade_arbete"] = "<5"
    (d / "nyckeltal.json").write_text(json.dumps(n23), encoding="utf-8")
    (d / "nyckeltal_foregaende_ar.json").write_text(json.dumps(n22), encoding="utf-8")
    (d / "tabell_1.csv").write_text(f"rad,{year - 1},{year}\nKvinnor,3320,3497\nMän,3834,4049\nTotalt,7154,7546\n", encoding="utf-8")
    (d / "tabell_2.csv").write_text("rad,Kvinnor,Män,Totalt\nEj nådda,1235,1450,2685\nNådda,1408,1684,3092\nSökta totalt,2643,3134,5777\n", encoding="utf-8")
    (d / "tabell_3.csv").write_text("rad,Kvinnor,Män,Totalt\nEj nådda,1109,1242,2351\nNådda,1297,1504,2801\nSökta totalt,2406,2746,5152\n", encoding="utf-8")
    (d / "tabell_4.csv").write_text(f"rad,{year - 1},{year}\nJobbtorg (KAA),983,1231\nAim,250,293\nStudiesteg1,60,87\nUngvux,280,300\nSkolslussen,20,23\n", encoding="utf-8")
    t5 = _result_csv(T5)
    if suppressed:
        t5 = t5.replace("Saknar stadsdel,66,53,0.803030303030303,19,0.3584905660377358,11", "Saknar stadsdel,66,53,0.803030303030303,19,0.3584905660377358,<5")
    (d / "tabell_5.csv").write_text(t5, encoding="utf-8")
    (d / "tabell_6.csv").write_text(_result_csv(T6), encoding="utf-8")
    for n in range(1, 9):
        _png(d / f"diagram_{n}.png", f"diagram {n}")
    # the data behind Diagram 2, from which its alt text is written (the other diagrams
    # have none here: their alt text says so)
    (d / "diagram_2.csv").write_text("stadsdel,ar,nadda\nEnskede-Årsta-Vantör,2022,404\nSkarpnäck,2022,156\n"
                                     "Farsta,2022,<5\nEnskede-Årsta-Vantör,2023,426\nSkarpnäck,2023,150\n"
                                     "Farsta,2023,9\n", encoding="utf-8")
    _png(d / "figur_1.png", "organisation")
    (d / "forandringar.csv").write_text(
        "nyckel,namn,varde,foregaende,forandring,forandring_relativ,flagga\n"
        "omfattade,Omfattade av KAA,7546,7154,392,0.0547945205479452,False\n"
        "studier_andel,Andel avslutade till studier,0.5427509293680297,0.4992319508448541,0.0435189785231756,,True\n",
        encoding="utf-8")
    return d


def pdf_text(pdf: Path) -> list[str]:
    """Text per page, non-breaking spaces as they are."""
    with pdfplumber.open(pdf) as p:
        return [page.extract_text() or "" for page in p.pages]


def flat(pages: list[str]) -> str:
    """All pages as one string with line breaks and NBSP turned into plain spaces."""
    text = re.sub(r"(\w)-\n(\w)", r"\1\2", "\n".join(pages))  # words hyphenated at a line end
    return re.sub(r"\s+", " ", text.replace(NB, " "))


@pytest.fixture(scope="module")
def city_pdf(tmp_path_factory) -> Path:
    d = write_scope(tmp_path_factory.mktemp("stad"))
    return R.render_report(d, 2023, "stad", engine="pandoc", keep=d / "_staged")


@pytest.fixture(scope="module")
def city_pages(city_pdf) -> list[str]:
    return pdf_text(city_pdf)


# ---------------------------------------------------------------- the årsrapport

CHAPTERS = [
    "1. Inledning och bakgrund",
    "2. Sammanfattning av resultat",
    "3. Organisation",
    "4. Uppsökande arbete, stöd och insatser",
    "5. Samverkan",
    "6. Resultat av det uppsökande arbetet",
    "7. Ungdomar som tagit del av insatser och resultat vid utskrivning",
    "8. Uppföljning av utvecklingsarbete under 2023",
    "9. Utvecklingsområden för 2024",
]
SECTIONS = ["4.1 Uppsökande arbete", "4.2 Stöd och insatser", "6.1 Antal ungdomar i KAA under 2023",
            "6.2 Ungdomar som omfattades av uppsök och som nåddes", "6.3 Vad gör de unga som nås?",
            "7.1 Ungdomar som tagit del av stöd samt resultat", "7.2 Inskrivna vid Aim samt resultat",
            "7.3 Ungdomarnas synpunkter på stödet inom KAA", "Bilaga: Förändringar mot föregående år"]


def test_file_name_and_title_page(city_pdf, city_pages):
    assert city_pdf.name == "arsrapport-2023-stad.pdf"
    first = city_pages[0].replace(NB, " ")
    assert "Årsrapport 2023" in first
    assert "Kommunens aktivitetsansvar (KAA)" in first
    assert "Stockholms stad" in first
    assert "Innehåll" in city_pages[1]


@pytest.mark.parametrize("heading", CHAPTERS + SECTIONS)
def test_every_heading_is_in_the_body_and_the_table_of_contents(city_pages, heading):
    body = flat(city_pages[2:])
    assert heading in body
    toc = flat(city_pages[1:2])
    if heading[0].isdigit() and heading.count(".") <= 1 and not heading[2].isdigit():
        assert heading.split(". ", 1)[1] in toc


@pytest.mark.parametrize("caption", [f"Tabell {n}." for n in range(1, 7)] + [f"Diagram {n}." for n in range(1, 9)] + ["Figur 1."])
def test_every_exhibit_has_its_numbered_caption(city_pages, caption):
    assert flat(city_pages).count(caption) == 1


def test_footer_sida_n_av_m_on_every_page(city_pages):
    n = len(city_pages)
    assert n >= 10
    for i, page in enumerate(city_pages, 1):
        assert f"Sida {i} av {n}" in page


@pytest.mark.parametrize("expected", [
    # bullets of chapter 2, numbers and comparisons worked out by hand
    "omfattades totalt 7 546 ungdomar av KAA under någon period av 2023, vilket är 392 fler än under 2022",
    "5 777 unika ungdomar söktes, en ökning med 625 jämfört med 2022",  # 5 777 − 5 152
    "19 628 kontaktförsök gjordes för att nå unga i registret, vilket är 2 128 fler än 2022",
    "3 092 ungdomar nåddes och erbjöds stöd, en ökning med 291 jämfört med 2022",
    "73 procent av de nådda ungdomarna hade redan någon form av sysselsättning när de nåddes, jämfört med 67 procent 2022",
    "1 231 ungdomar tog del av stöd och insatser vid jobbtorgen, jämfört med 983 under 2022",
    "438 ungdomar avslutades till studier, jämfört med 325 under 2022 (en ökning med 113). Det är 54 procent",
    "161 ungdomar avslutades till arbete, jämfört med 140 under 2022 (en ökning med 21). Andelen till arbete är 20 procent",
    # 6.1 and 6.2
    "varav 3 497 kvinnor och 4 049 män",
    "Bland de sökta nåddes 54 %, jämfört med 54 % året före",  # 53,5 % → 54; 54,4 % → 54
    # 7.1: share to studier 54 % vs 49,9 % → 50 %: +4 percentage points (of the printed whole percents)
    "Andelen till studier ökade med 4 procentenheter",
    # 7.2 Aim: 86/162 = 53,1 %, 37/162 = 22,8 %
    "Av dem avslutades 53 procent till studier och 23 procent till arbete. Året före avslutades 56 procent till studier och 20 procent till arbete.",
    # 7.3 survey: 45/49 = 91,8 %
    "svarade 49 ungdomar, och 45 av dem (92 procent)",
])
def test_computed_numbers_in_swedish_format(city_pages, expected):
    assert expected in flat(city_pages)


def test_numbers_are_kept_together_with_non_breaking_spaces(city_pdf):
    """The PDF's text layer shows U+00A0 as a plain space, so look at the Typst source:
    "~" is Typst's non-breaking space in prose, U+00A0 itself inside table strings."""
    typ = (city_pdf.parent / "_staged" / "arsrapport.typ").read_text(encoding="utf-8")
    assert "totalt 7~546 ungdomar" in typ
    assert "54~procent" in typ
    assert f'"1{NB}231"' in typ and f'"65{NB}%"' in typ
    assert not re.search(r"\b\d{1,3} \d{3}\b", typ)  # no count with a breakable space


def test_tabell_5_rows(city_pages):
    t = flat([next(p for p in city_pages if "Tabell 5." in p)])
    # Globen: 319/490 = 65,1 %, 165/319 = 51,7 %, 64/319 = 20,1 %, 229/319 = 71,8 %
    assert "Jobbtorg Globen 490 319 65 % 165 52 % 64 20 % 229 72 %" in t
    # Totalt: 807/1 231 = 65,6 %, 438/807 = 54,3 %, 161/807 = 19,95 %, 599/807 = 74,2 %
    assert "Totalt 1 231 807 66 % 438 54 % 161 20 % 599 74 %" in t
    for header in ("Inskrivna", "Avslutade", "Till studier", "Till arbete", "eller arbete", "Antal Andel"):
        assert header in t  # "Inskrivna" whole: headers are not hyphenated


def test_appendix_of_changes(city_pages):
    t = flat(city_pages)
    assert "Omfattade av KAA 7 154 7 546 +392 5,5 %" in t
    # 54,275 % − 49,923 % = 4,35 p.e. → "+4,4 p.e.", flagged
    assert "Andel avslutade till studier 50 % 54 % +4,4 p.e. ja" in t


def test_pages_as_png_for_a_person_to_look_at(city_pdf):
    out = OUTPUT / "render-check"
    out.mkdir(parents=True, exist_ok=True)
    with pdfplumber.open(city_pdf) as p:
        t5 = next(i for i, page in enumerate(p.pages) if "Tabell 5." in (page.extract_text() or ""))
        p.pages[0].to_image(resolution=100).save(out / "arsrapport-2023-stad-sida-1.png")
        p.pages[t5].to_image(resolution=100).save(out / f"arsrapport-2023-stad-sida-{t5 + 1}-tabell-5.png")
    pngs = sorted(out.glob("arsrapport-2023-stad-sida-*.png"))
    assert len(pngs) >= 2
    assert all(f.stat().st_size > 2_000 for f in pngs)


def test_no_personal_identifiers_or_unresolved_markers(city_pages):
    t = flat(city_pages)
    assert "?var:" not in t
    assert "{{<" not in t
    assert not re.search(r"\b\d{6,8}[-+]?\d{4}\b", t)


# ---------------------------------------------------------------- PDF/UA


def test_pdf_ua_title_language_and_an_alt_text_on_every_figure(city_pdf):
    from pdfua import facts

    f = facts(city_pdf)
    assert (f.pdfua_part, f.display_doc_title, f.lang, f.xmp_title) == ("1", True, "sv-SE", "Årsrapport 2023")
    assert len(f.figure_alts) == 9 and all(f.figure_alts)
    # Diagram 2 from its data: largest 426 (Enskede-Årsta-Vantör 2023), smallest 9 (Farsta 2023;
    # Farsta 2022 is hidden and left out), Enskede +22 (404 -> 426), Skarpnäck -6 (156 -> 150)
    assert ("Liggande stapeldiagram: nådda ungdomar per stadsdelsområde 2022 och 2023, del 1 av 2. "
            "Flest i Enskede-Årsta-Vantör, 426 (2023); färst i Farsta, 9 (2023). "
            "Från 2022 till 2023: störst ökning för Enskede-Årsta-Vantör från 404 till 426 (+22); "
            "störst minskning för Skarpnäck från 156 till 150 (\u22126). "
            "1 värde visas som ”<5” och är inte med i beskrivningen.") in f.figure_alts
    assert "Diagram 3. Underlaget till diagrammet (diagram_3.csv) saknas." in f.figure_alts


# ---------------------------------------------------------------- determinism and failures


def test_same_pdf_twice_with_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    d = write_scope(tmp_path / "stad")
    a = R.render_report(d, 2023, "stad", engine="pandoc").read_bytes()
    b = R.render_report(d, 2023, "stad", engine="pandoc").read_bytes()
    assert a == b
    assert b"2023" in a and b"/CreationDate" in a


def test_one_staging_serves_both_editions(tmp_path, monkeypatch):
    """The build stages the årsrapport once for the PDF and the HTML edition; both files
    are byte for byte those that render_report and render_html make from a staging each."""
    from kaa_report.document.htmledition import render_html, render_report_and_html

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    d = write_scope(tmp_path / "stad")
    pdf, html = (p.read_bytes() for p in render_report_and_html(d, 2023, "stad", engine="pandoc"))
    assert b"<table" in html  # the tables were staged again as HTML (pandoc drops raw Typst)
    assert R.render_report(d, 2023, "stad", engine="pandoc").read_bytes() == pdf
    assert render_html(d, 2023, "stad", engine="pandoc").read_bytes() == html


def test_a_typst_warning_fails_the_render(tmp_path):
    report = tmp_path / "report"
    shutil.copytree(REPORT, report)
    typ = report / "typst" / "kaa.typ"
    typ.write_text(typ.read_text(encoding="utf-8").replace('"Libertinus Serif"', '"Ingen Sådan Font"'), encoding="utf-8")
    d = write_scope(tmp_path / "stad")
    with pytest.raises(R.RenderError, match="varnade"):
        R.render_report(d, 2023, "stad", engine="pandoc", report_dir=report)
    assert not (d / "arsrapport-2023-stad.pdf").exists()


def test_an_unknown_variable_fails_with_its_name(tmp_path):
    report = tmp_path / "report"
    shutil.copytree(REPORT, report)
    f = report / "text" / "2023" / "01-inledning.md"
    f.write_text(f.read_text(encoding="utf-8") + "\nHär står {{< var nyckeltal.finns_inte >}}.\n", encoding="utf-8")
    d = write_scope(tmp_path / "stad")
    with pytest.raises(R.RenderError, match="nyckeltal.finns_inte"):
        R.render_report(d, 2023, "stad", engine="pandoc", report_dir=report)


# ---------------------------------------------------------------- a jobbtorg report


@pytest.fixture(scope="module")
def globen_pages(tmp_path_factory) -> list[str]:
    d = write_scope(tmp_path_factory.mktemp("globen"), suppressed=True)
    (d / "tabell_5.csv").write_text((d / "tabell_5.csv").read_text(encoding="utf-8").replace("Jobbtorg Globen", "Farsta"), encoding="utf-8")
    pdf = R.render_report(d, 2023, "globen", engine="pandoc")
    assert pdf.name == "arsrapport-2023-globen.pdf"
    return pdf_text(pdf)


def test_jobbtorg_report_names_its_unit_from_params(globen_pages):
    assert "Jobbtorg Globen" in globen_pages[0]  # params/jobbtorg.yml, slug globen
    t = flat(globen_pages)
    assert "Rapporten gäller Jobbtorg Globen" in t
    assert "Resultat fördelat över stadsdelarna 2023" in t
    assert "Farsta 490 319" in t


def test_jobbtorg_report_marks_city_wide_chapters_and_drops_city_only_figures(globen_pages):
    t = flat(globen_pages)
    assert "Kapitlet beskriver organisationen i hela staden" in t
    assert "Enkäten redovisas för hela staden" in t
    assert "svarade 49 ungdomar" not in t  # the city survey text is left out
    for c in CHAPTERS:
        assert c in t


def test_suppressed_cells_show_their_sign_and_sentences_do_not(globen_pages):
    """avslutade_arbete is "<5" in the published figures: the summary's bullet about it
    says the figure is not reported; no sentence prints "<5". Tabell 5 shows the sign and
    the legend under it."""
    t = flat(globen_pages)
    assert "<5 ungdomar" not in t and "ungdomar avslutades till arbete" not in t
    assert "Uppgiften redovisas inte av sekretesskäl." in t
    assert "Saknar stadsdel 66 53 80 % 19 36 % <5" in t
    assert "<5 = 1–4: färre än 5, dolt av sekretesskäl." in t


# ---------------------------------------------------------------- the cover letter


def test_cover_letter(tmp_path):
    d = write_scope(tmp_path / "stad")
    pdf = R.render_cover_letter(d, 2023, engine="pandoc")
    assert pdf.name == "tjansteutlatande-2023.pdf"
    pages = pdf_text(pdf)
    t = flat(pages)
    for h in ["Årsrapport för 2023 om kommunens aktivitetsansvar i Stockholms stad",
              "Arbetsmarknadsförvaltningens förslag till beslut", "Sammanfattning", "Ärendet",
              "Resultat efter insats inom KAA", "Förebygga skolavhopp", "Ärendets beredning",
              "Arbetsmarknadsförvaltningens synpunkter och förslag", "Bilaga"]:
        assert h in t
    # decision text, date, titles from params/tjansteutlatande.yml
    assert "1. Arbetsmarknadsnämnden godkänner årsrapport 2023 om kommunens aktivitetsansvar i Stockholms stad." in t
    assert "13 februari 2024" in t
    assert "Arbetsmarknadsdirektör" in t
    # figures: 7 546, 392 more; skolavhopp 96/118 = 81,4 %
    assert "Under 2023 omfattades 7 546 ungdomar i Stockholms stad av aktivitetsansvaret. Det är 392 fler än under 2022." in t
    assert "avslutades 118 sådana ärenden, och 81 procent av eleverna fanns kvar i studier" in t
    assert f"Sida 1 av {len(pages)}" in pages[0]


# ---------------------------------------------------------------- Quarto

INCLUDE = re.compile(r"\{\{<\s*include\s+(\S+)\s*>\}\}")
SHORTCODE = re.compile(r"\{\{<.*?>\}\}", re.S)


def _what_quarto_cannot_find(work: Path) -> list[str]:
    """Quarto's reading of a project, without Quarto: at every render it reads each document
    of the render list in _quarto.yml, its metadata-files and, recursively, every
    {{< include >}} (a path with a leading "/" from the project root, else from the file)."""
    import yaml

    problems = []

    def read(f: Path, seen: tuple = ()) -> None:
        if not f.is_file():
            problems.append(f"{f.relative_to(work)} (från {seen[-1].relative_to(work) if seen else '_quarto.yml'})")
            return
        text = f.read_text(encoding="utf-8")
        for ref in INCLUDE.findall(text):
            read(work / ref.lstrip("/") if ref.startswith("/") else f.parent / ref, seen + (f,))

    render_list = yaml.safe_load((work / "_quarto.yml").read_text(encoding="utf-8"))["project"]["render"]
    for doc in render_list:
        read(work / doc)
        text = (work / doc).read_text(encoding="utf-8") if (work / doc).is_file() else ""
        front = yaml.safe_load(text.split("---")[1]) if text.startswith("---") else {}
        for meta in (front or {}).get("metadata-files", []):
            if not (work / meta).is_file():
                problems.append(f"{meta} (metadata-files i {doc})")
    return problems


def _shortcodes_in_comments(work: Path) -> list[str]:
    found = []
    for f in sorted(work.rglob("*")):
        if f.suffix in (".qmd", ".md"):
            for comment in re.findall(r"<!--.*?-->", f.read_text(encoding="utf-8"), re.S):
                found += [f"{f.relative_to(work)}: {m}" for m in SHORTCODE.findall(comment)]
    return found


@pytest.mark.parametrize("scope, doc", [("stad", "arsrapport"), ("stad", "tjansteutlatande"), ("globen", "arsrapport")])
def test_staging_gives_quarto_every_file_its_project_names(tmp_path, scope, doc):
    """Real Quarto failed with "Include directive failed … _generated/brevhuvud.md" when it
    rendered the årsrapport: it reads the letter too, whose includes were not staged."""
    import yaml

    d = write_scope(tmp_path / scope, suppressed=scope != "stad")
    work = tmp_path / "work"
    work.mkdir()
    R.stage(d, 2023, scope, doc, work)
    render_list = yaml.safe_load((work / "_quarto.yml").read_text(encoding="utf-8"))["project"]["render"]
    assert f"{doc}.qmd" in render_list
    assert _what_quarto_cannot_find(work) == []
    assert _shortcodes_in_comments(work) == []


def test_the_reproduction_finds_a_missing_include(tmp_path):
    """The check above can fail: a project naming a document whose include is not there."""
    (tmp_path / "_quarto.yml").write_text("project:\n  render:\n    - a.qmd\n    - b.qmd\n", encoding="utf-8")
    (tmp_path / "a.qmd").write_text("---\nmetadata-files:\n  - _generated/a.yml\n---\n\n{{< include /kap/x.md >}}\n", encoding="utf-8")
    (tmp_path / "kap").mkdir()
    (tmp_path / "kap" / "x.md").write_text("<!-- {{< var ar >}} -->\n{{< include y.md >}}\n", encoding="utf-8")
    (tmp_path / "b.qmd").write_text("{{< include /_generated/brevhuvud.md >}}\n", encoding="utf-8")
    assert _what_quarto_cannot_find(tmp_path) == [
        "kap/y.md (från kap/x.md)", "_generated/a.yml (metadata-files i a.qmd)", "_generated/brevhuvud.md (från b.qmd)"]
    assert _shortcodes_in_comments(tmp_path) == ["kap/x.md: {{< var ar >}}"]


def test_a_shortcode_in_an_html_comment_is_a_plain_error(tmp_path):
    report = tmp_path / "report"
    shutil.copytree(REPORT, report)
    f = report / "text" / "2023" / "05-samverkan.md"
    f.write_text("<!-- Antal: {{< var nyckeltal.omfattade >}} -->\n" + f.read_text(encoding="utf-8"), encoding="utf-8")
    d = write_scope(tmp_path / "stad")
    with pytest.raises(R.RenderError, match=r"HTML-kommentar i _text/05-samverkan.md"):
        R.render_report(d, 2023, "stad", engine="pandoc", report_dir=report)



@pytest.mark.skipif(shutil.which("quarto") is None, reason="quarto is not on PATH (pip/apt cannot install it here; conda-forge can)")
def test_quarto_gives_the_same_structure(tmp_path, city_pages):
    d = write_scope(tmp_path / "stad")
    pages = pdf_text(R.render_report(d, 2023, "stad", engine="quarto"))
    assert len(pages) == len(city_pages)
    for h in CHAPTERS + SECTIONS:
        assert h in flat(pages)


# ---------------------------------------------------------------- pieces


def test_comparison_words():
    assert forandring("omfattade", 7546, 7154) == "ökade med 392"
    assert forandring("omfattade", 10, 12) == "minskade med 2"
    assert forandring("omfattade", 10, 10) == "var oförändrat"
    assert okning("nadda", 3092, 2801) == "en ökning med 291"
    assert okning("nadda", 5, 5) == "ingen förändring"
    assert jamfort("omfattade", 7546, 7154) == "392 fler än"
    assert jamfort("omfattade", 1, 3) == "2 färre än"
    assert jamfort("omfattade", 3, 3) == "lika många som"
    # shares compare the printed whole percents: 73 % vs 67 %
    assert forandring("sysselsatta_andel", 0.73, 0.67) == f"ökade med 6{NB}procentenheter"
    assert okning("studier_andel", 0.5, 0.51) == f"en minskning med 1{NB}procentenhet"
    assert jamfort("studier_andel", 0.544, 0.536) == "lika hög som"  # 54 % and 54 %
    assert forandring("omfattade", "<5", 3) == "kan inte jämföras"


def test_variables_tree():
    v = report_variables(2023, "Stockholms stad", {"omfattade": 7546, "studier_andel": 438 / 807},
                         {"omfattade": 7154, "studier_andel": 325 / 651})
    assert v["nyckeltal"]["omfattade"] == f"7{NB}546"
    assert v["nyckeltal"]["studier_andel"] == f"54{NB}%"
    assert v["procent"]["studier_andel"] == f"54{NB}procent"
    assert v["forra"]["omfattade"] == f"7{NB}154"
    assert v["skillnad"]["omfattade"] == "392"
    assert v["period"] == f"1{NB}december 2022 – 30{NB}november 2023"
    assert (v["ar"], v["forra_ar"], v["nasta_ar"]) == ("2023", "2022", "2024")
    assert "omfattade" not in v["procent"]


def test_includes_resolve_like_quarto(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.qmd").write_text("A\n{{< include /sub/b.md >}}\n", encoding="utf-8")
    (tmp_path / "sub" / "b.md").write_text("B {{< var ar >}}\n{{< include c.md >}}\n", encoding="utf-8")
    (tmp_path / "sub" / "c.md").write_text("C\n", encoding="utf-8")
    assert R.resolve_shortcodes(tmp_path / "a.qmd", tmp_path, {"ar": "2023"}) == "A\nB 2023\nC\n"
    (tmp_path / "d.qmd").write_text("{{< include saknas.md >}}\n", encoding="utf-8")
    with pytest.raises(R.RenderError, match="saknas.md"):
        R.resolve_shortcodes(tmp_path / "d.qmd", tmp_path, {})


def test_a_year_without_text_is_refused_and_a_draft_uses_the_latest_earlier_year():
    assert R.text_dir(2023).name == "2023"
    with pytest.raises(R.MissingTextError, match="report/text/2031"):
        R.text_dir(2031)
    assert R.text_dir(2031, draft=True).name == max(p.name for p in (REPORT / "text").iterdir() if p.name.isdigit())


# ---------------------------------------------------------------- the real build (shared session fixture)


def _sv(n: int) -> str:
    """A count the Swedish way, written without kaa_report.fmt."""
    return f"{n:,}".replace(",", " ")


def test_real_build_writes_every_pdf(built):
    year_dir = built / "2023"
    scopes = sorted(p.name for p in year_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert "stad" in scopes and len(scopes) >= 2
    for s in scopes:
        assert (year_dir / s / f"arsrapport-2023-{s}.pdf").stat().st_size > 20_000
    assert (year_dir / "stad" / "tjansteutlatande-2023.pdf").is_file()
    assert not any((year_dir / s / "tjansteutlatande-2023.pdf").exists() for s in scopes if s != "stad")


def test_real_build_city_report(built):
    d = built / "2023" / "stad"
    pages = pdf_text(d / "arsrapport-2023-stad.pdf")
    t = flat(pages)
    for h in CHAPTERS + SECTIONS:
        assert h in t
    for c in [f"Tabell {n}." for n in range(1, 7)] + [f"Diagram {n}." for n in range(1, 9)] + ["Figur 1."]:
        assert t.count(c) == 1, c
    assert f"Sida 1 av {len(pages)}" in pages[0]
    n = json.loads((d / "nyckeltal.json").read_text(encoding="utf-8"))
    p = json.loads((d / "nyckeltal_foregaende_ar.json").read_text(encoding="utf-8"))
    diff = n["omfattade"] - p["omfattade"]
    comparison = f"{_sv(abs(diff))} {'fler än' if diff > 0 else 'färre än'}" if diff else "lika många som"
    assert f"omfattades totalt {_sv(n['omfattade'])} ungdomar av KAA under någon period av 2023, vilket är {comparison} under 2022" in t
    assert f"varav {_sv(n['omfattade_k'])} kvinnor och {_sv(n['omfattade_m'])} män" in t
    pct = int(n["studier_andel"] * 100 + 0.5)  # half up; shares are positive
    assert f"Det är {pct} procent av alla som avslutades" in t


def test_readme_documents_variables_that_exist():
    """Every variable named in report/README.md's table resolves for a city scope."""
    from kaa_report.contract.external import report_values
    from kaa_report.document.variables import lookup

    readme = (REPORT / "README.md").read_text(encoding="utf-8")
    paths = {n for row in re.findall(r"^\| ([^|]*`[^|]*) \|", readme, re.M) for n in re.findall(r"`([a-zåäö_.<>]+)`", row)}
    assert {"nyckeltal.<nyckel>", "brev.<fält>", "jamfort.<nyckel>", "period"} <= paths
    v = report_variables(2023, "Stockholms stad", {**COUNTS_2023, **SHARES_2023}, {**COUNTS_2022, **SHARES_2022},
                         {"brev": {"datum": "13 februari 2024"},
                          "externt": {k: str(x) for k, x in report_values(2023).items()}})
    for path in paths:
        concrete = path.replace("<nyckel>", "studier_andel").replace("<fält>", "datum")
        assert lookup(v, concrete)
