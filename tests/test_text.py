"""The report's prose: no report without its own text, text that depends on a figure
(.om blocks), and zero and missing figures that read as a person would write them.

Every expected sentence is written out here by hand from the hand-made figures; the
shipped texts (report/text/2023/) are run through the same staging steps as a render
(resolve_conditions → hide_sentences → variables) or rendered to PDF (pandoc path).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from test_render import flat, pdf_text, write_scope

from kaa_report.document import render as R
from kaa_report.document.conditions import resolve_conditions
from kaa_report.document.htmledition import render_html
from kaa_report.document.typst import changes_table
from kaa_report.document.variables import SEKRETESS_MENING, hide_sentences, report_variables
from kaa_report.errors import RenderError
from kaa_report.paths import REPORT

NB = "\u00a0"
TEXT_2023 = REPORT / "text" / "2023"


def prose(text: str, nu: dict, fore: dict, year: int = 2023, enhet: str = "Stockholms stad") -> str:
    """A text as the reader gets it: blocks chosen, hidden sentences out, variables in,
    line breaks and non-breaking spaces as plain spaces."""
    v = report_variables(year, enhet, nu, fore, {"externt": {}})
    text = R.COMMENT_RE.sub("", text)
    staged = hide_sentences(resolve_conditions(text, nu, fore, "test"), v)
    return re.sub(r"\s+", " ", R.substitute_vars(staged, v, "test").replace(NB, " ")).strip()


def shipped(name: str, nu: dict, fore: dict, **kw) -> str:
    return prose((TEXT_2023 / name).read_text(encoding="utf-8"), nu, fore, **kw)


# ---------------------------------------------------------------- 1. no report without its own text


def kaa(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kaa_report", *args], cwd=cwd, capture_output=True, text=True)


def test_a_build_for_a_year_without_text_is_refused_before_the_long_work(tmp_path):
    """2025 has no report/text/2025/: exit 1, naming the folder and how to start it. The
    check comes before the export is read (the data folder here does not even exist)."""
    p = kaa("build", "--data", str(tmp_path / "ingen-export"), "--year", "2025", "--out", str(tmp_path / "out"),
            cwd=tmp_path)
    assert p.returncode == 1
    assert "report/text/2025/ saknas" in p.stderr
    assert "cp -r report/text/2023 report/text/2025" in p.stderr
    assert "--draft" in p.stderr
    assert "ingen-export" not in p.stderr  # stopped before reading the data
    assert not (tmp_path / "out").exists()


def test_without_pdf_the_text_is_not_needed(tmp_path):
    """--no-pdf builds tables, diagrams and nyckeltal only: no text check, so the run
    goes on to the export (and stops there, as this one does not exist)."""
    p = kaa("build", "--data", str(tmp_path / "ingen-export"), "--year", "2025", "--no-pdf",
            "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert p.returncode == 1
    assert "report/text" not in p.stderr
    assert "ingen-export" in p.stderr


@pytest.fixture(scope="module")
def draft_2025(tmp_path_factory) -> Path:
    """A scope folder for 2025 (hand-made figures) and its draft PDFs."""
    d = write_scope(tmp_path_factory.mktemp("utkast"), year=2025)
    R.render_report(d, 2025, "stad", engine="pandoc", draft=True)
    R.render_cover_letter(d, 2025, engine="pandoc", draft=True)
    render_html(d, 2025, "stad", engine="pandoc", draft=True)
    return d


def test_without_draft_the_render_refuses_too(draft_2025):
    with pytest.raises(R.MissingTextError, match="report/text/2025"):
        R.render_report(draft_2025, 2025, "stad", engine="pandoc")


@pytest.mark.parametrize("pdf", ["arsrapport-2025-stad.pdf", "tjansteutlatande-2025.pdf"])
def test_a_draft_says_utkast_on_every_page_and_whose_text_on_page_1(draft_2025, pdf):
    pages = pdf_text(draft_2025 / pdf)
    assert len(pages) >= 2
    for i, page in enumerate(pages, 1):
        assert page.splitlines()[0].strip() == "UTKAST", f"sida {i}"
    first = flat(pages[:1])
    assert "Texten är hämtad från årsrapporten för 2023 (report/text/2023/) och är inte skriven för 2025" in first
    assert "siffrorna är beräknade ur 2025 års data" in first


def test_a_draft_html_edition_says_utkast_in_its_title_and_on_top(draft_2025):
    page = (draft_2025 / "arsrapport-2025-stad.html").read_text(encoding="utf-8")
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert title.startswith("UTKAST – ")
    body = page[page.index("<body"):]
    head = body[: body.index("<h1")]  # before the report's title, as the first thing read
    assert '<p class="utkast" role="note">Utkast. Texten är hämtad från årsrapporten ' \
           "för 2023 (report/text/2023/) och är inte skriven för 2025" in head


def test_a_final_html_edition_has_no_utkast(tmp_path):
    d = write_scope(tmp_path / "stad")
    page = render_html(d, 2023, "stad", engine="pandoc").read_text(encoding="utf-8")
    assert "UTKAST" not in page and "Utkast" not in page


def test_a_draft_prints_no_figure_that_2025_lacks(draft_2025):
    """params/2025.yml has no figures from outside the register: the sentences that would
    print them ("uppgift saknas") are left out, the sentences around them stay."""
    t = flat(pdf_text(draft_2025 / "arsrapport-2025-stad.pdf"))
    assert "uppgift saknas" not in t and "kan inte jämföras" not in t
    assert "bosättningskontroll" not in t  # its only sentence prints externt.bosattningskontroll_adresser
    assert "Registret är rörligt." in t


def test_a_final_report_has_no_utkast(tmp_path):
    d = write_scope(tmp_path / "stad")
    pages = pdf_text(R.render_cover_letter(d, 2023, engine="pandoc"))
    assert not any("UTKAST" in p or "Utkast" in p for p in pages)


# ---------------------------------------------------------------- 2. text that depends on a figure

CHOICE = """Antalet nådda {{< var forandring.nadda >}}.

::: {.om nyckel="nadda" forandring="ökade"}
Arbetet ger resultat.
:::

::: {.om nyckel="nadda" forandring="minskade"}
Arbetet ses över.
:::

::: {.om nyckel="nadda" forandring="oforandrat"}
Läget är stabilt.
:::
"""


@pytest.mark.parametrize("nu, fore, expected", [
    (3092, 2801, "Antalet nådda ökade med 291. Arbetet ger resultat."),
    (3520, 3560, "Antalet nådda minskade med 40. Arbetet ses över."),
    (300, 300, "Antalet nådda var oförändrat. Läget är stabilt."),
])
def test_a_sentence_chosen_by_the_sign_of_the_change(nu, fore, expected):
    assert prose(CHOICE, {"nadda": nu}, {"nadda": fore}) == expected


def test_an_unchanged_share_agrees_with_andelen():
    """"Antalet … var oförändrat" but "andelen … var oförändrad" (20,3 % and 20,2 % both print 20 %)."""
    from kaa_report.document.variables import forandring

    assert forandring("avslutade_arbete", 182, 182) == "var oförändrat"
    assert forandring("arbete_andel", 0.2018, 0.2034) == "var oförändrad"


def test_a_share_changes_in_the_printed_whole_percents():
    """54,4 % and 53,6 % both print as 54 %: unchanged, as the reader sees it."""
    text = ('[Andelen steg.]{.om nyckel="studier_andel" forandring="okade"}'
            '[Andelen låg still.]{.om nyckel="studier_andel" forandring="oforandrat"}')
    assert prose(text, {"studier_andel": 0.544}, {"studier_andel": 0.536}) == "Andelen låg still."
    assert prose(text, {"studier_andel": 0.545}, {"studier_andel": 0.536}) == "Andelen steg."  # 55 % vs 54 %


STATES = """::: {.om nyckel="aim_avslutade" varde="positivt"}
Under året skrevs {{< var nyckeltal.aim_avslutade >}} ungdomar ut.
:::

::: {.om nyckel="aim_avslutade" varde="noll"}
Ingen ungdom skrevs ut.
:::

::: {.om nyckel="aim_avslutade" varde="saknas"}
Aim fanns inte.
:::
"""


@pytest.mark.parametrize("nu, expected", [
    ({"aim_avslutade": 162}, "Under året skrevs 162 ungdomar ut."),
    ({"aim_avslutade": 0}, "Ingen ungdom skrevs ut."),
    ({"aim_avslutade": None}, "Aim fanns inte."),
    ({}, "Aim fanns inte."),  # a figure the scope does not have
    ({"aim_avslutade": "<5"}, SEKRETESS_MENING),  # once for the three blocks
    ({"aim_avslutade": ".."}, SEKRETESS_MENING),
])
def test_a_block_chosen_by_the_state_of_a_figure(nu, expected):
    assert prose(STATES, nu, {}) == expected


def test_swedish_letters_may_be_written():
    text = '[Fler.]{.om nyckel="nadda" förändring="ökade"}[Inga.]{.om nyckel="nadda" värde="noll"}'
    assert prose(text, {"nadda": 5}, {"nadda": 4}) == "Fler."
    assert prose(text, {"nadda": 0}, {"nadda": 0}) == "Inga."


def test_a_block_ruled_out_by_a_shown_figure_says_nothing_about_a_hidden_one():
    text = '[Ny.]{.om nyckel="inskrivna" varde="positivt" forra="noll"}'
    assert prose(text, {"inskrivna": "<5"}, {"inskrivna": 12}) == ""  # last year 12: not new, whatever this year
    assert prose(text, {"inskrivna": "<5"}, {"inskrivna": 0}) == SEKRETESS_MENING


def test_blocks_nest_in_other_divs_and_conditions_combine():
    text = """::: {.content-visible when-meta="stadsrapport"}
Före.
::: {.om nyckel="inskrivna" varde="positivt" forra="noll"}
Ny verksamhet.
:::
Efter.
:::"""
    out = resolve_conditions(text, {"inskrivna": 5}, {"inskrivna": 0})
    assert out == '::: {.content-visible when-meta="stadsrapport"}\nFöre.\nNy verksamhet.\nEfter.\n:::'
    assert "Ny verksamhet." not in resolve_conditions(text, {"inskrivna": 5}, {"inskrivna": 3})
    assert resolve_conditions(text, {"inskrivna": 5}, {"inskrivna": 3}).count(":::") == 2  # the outer div stays


@pytest.mark.parametrize("text, message", [
    ('::: {.om nyckel="nada" varde="noll"}\nx\n:::', "okänd nyckel 'nada'"),
    ('::: {.om nyckel=nadda varde="noll"}\nx\n:::', "oläsligt villkor"),
    ('::: {.om nyckel="nadda" trend="noll"}\nx\n:::', "okänt villkor 'trend'"),
    ('::: {.om nyckel="nadda" varde="stort"}\nx\n:::', 'varde="stort"'),
    ('::: {.om nyckel="nadda"}\nx\n:::', "saknar villkor"),
    ('::: {.om varde="noll"}\nx\n:::', 'saknar nyckel'),
    ('::: {.om nyckel="nadda" varde="noll"}\nx\n', "x.md:1: .om-blocket stängs inte"),
])
def test_a_wrong_block_is_a_plain_error_that_says_where(text, message):
    with pytest.raises(RenderError, match=re.escape(message)) as e:
        resolve_conditions(text, {"nadda": 1}, {}, "text/2023/x.md")
    assert "text/2023/x.md:1" in str(e.value)


# ---------------------------------------------------------------- 3. zero and missing figures


def test_issue_sentence_a_count_of_zero_and_a_share_without_denominator():
    """skolavhopp 0 ärenden, andel kvar i studier None (0 / 0): the tjänsteutlåtande says
    so in words, not "avslutades 0 ärenden, och – av eleverna"."""
    nu = {"skolavhopp_avslutade": 0, "skolavhopp_kvar_i_studier_andel": None}
    t = shipped("tu-skolavhopp.md", nu, nu)
    assert t == ("Förvaltningen arbetar också förebyggande med elever som riskerar att avbryta sina "
                 "gymnasiestudier. Inget sådant ärende avslutades under 2023, så det finns ännu inget "
                 "resultat att redovisa.")
    # and with cases: 96 / 118 = 81,4 % → 81 procent
    t = shipped("tu-skolavhopp.md", {"skolavhopp_avslutade": 118, "skolavhopp_kvar_i_studier_andel": 96 / 118}, {})
    assert t.endswith("Under 2023 avslutades 118 sådana ärenden, och 81 procent av eleverna fanns kvar i studier "
                      "när ärendet avslutades.")


def test_issue_sentence_the_synpunkter_follow_the_figures():
    """nådda fell from 3 560 to 3 520: no "fler ungdomar har nåtts"."""
    fell = shipped("tu-synpunkter.md", {"nadda": 3520, "inskrivna": 1200}, {"nadda": 3560, "inskrivna": 1231})
    assert fell.startswith("Antalet ungdomar som nåddes minskade med 40 jämfört med 2022, och antalet som tog del "
                           "av stöd vid jobbtorgen minskade med 31. Förvaltningen kommer därför att se över")
    assert "fler" not in fell and "samma sätt" not in fell
    rose = shipped("tu-synpunkter.md", {"nadda": 3092, "inskrivna": 1231}, {"nadda": 2801, "inskrivna": 983})
    assert "ökade med 291" in rose and "bör fortsätta på samma sätt" in rose and "se över" not in rose


def test_a_unit_that_did_not_exist_last_year():
    """A jobbtorg new this year: last year's counts are 0, its shares None. The text says
    there is nothing to compare with instead of "1 467 fler än under 2022"."""
    nu = {"omfattade": 1467, "omfattade_k": 680, "omfattade_m": 787}
    fore = {"omfattade": 0, "omfattade_k": 0, "omfattade_m": 0}
    t = shipped("06-1-antal.md", nu, fore, enhet="Jobbtorg Nytt")
    assert t.endswith("Under perioden omfattades 1 467 ungdomar, varav 680 kvinnor och 787 män. Under 2022 fanns "
                      "ingen ungdom i registret för Jobbtorg Nytt, så det finns ingen jämförelse med året före.")
    assert "fler" not in t
    # the tjänsteutlåtande and chapter 2 leave the comparison out
    assert "fler" not in shipped("tu-sammanfattning.md", nu, fore)
    assert shipped("02-sammanfattning.md", nu, fore) == ("Under 2023 omfattades 1 467 ungdomar av aktivitetsansvaret. "
                                                         "Nedan sammanfattas årets viktigaste resultat.")


def test_a_figure_missing_altogether_leaves_its_sentence_out():
    """No figures for last year at all (nyckeltal_foregaende_ar.json empty): every
    comparison is left out, never "kan inte jämföras" or "–" in a sentence."""
    nu = {"sokta": 5777, "nadda": 3092, "nadda_andel": 3092 / 5777}
    t = shipped("06-2-sokta-nadda.md", nu, {})
    assert t.endswith("Under 2023 söktes 5 777 ungdomar och 3 092 av dem nåddes.")
    assert "–" not in t.split("kategorin")[1] and "kan inte jämföras" not in t


def test_zero_counts_in_the_report_read_as_words():
    nu = {"aim_inskrivna": 0, "aim_nyinskrivna": 0, "aim_avslutade": 0, "aim_studier_andel": None,
          "aim_arbete_andel": None}
    assert shipped("07-2-aim.md", nu, nu) == "Ingen ungdom var inskriven vid Aim under 2023."
    nu = {"aim_inskrivna": 12, "aim_nyinskrivna": 12, "aim_avslutade": 0, "aim_studier_andel": None,
          "aim_arbete_andel": None}
    assert shipped("07-2-aim.md", nu, {}) == ("Under 2023 var 12 ungdomar inskrivna vid Aim, varav 12 skrevs in "
                                               "under året. Ingen av dem skrevs ut under året.")
    nu = {"avslutade": 0, "studier_andel": None, "arbete_andel": None, "studier_andel_k": None, "studier_andel_m": None}
    t = shipped("07-1-avslutsorsaker.md", nu, {"avslutade": 4})
    assert t.startswith("Ingen ungdom avslutades vid jobbtorgen under 2023. Diagram 6 visar")
    assert "–" not in t and "procent" not in t


def test_a_share_without_denominator_for_one_kon_leaves_that_sentence_out():
    """No woman was avslutad (studier_andel_k None): the sentence on kön goes, the rest stays."""
    nu = {"avslutade": 5, "studier_andel": 0.4, "arbete_andel": 0.2, "studier_andel_k": None, "studier_andel_m": 0.4}
    t = shipped("07-1-avslutsorsaker.md", nu, {"avslutade": 4, "studier_andel": 0.5, "arbete_andel": 0.25})
    assert "Av dem avslutades 40 procent till studier och 20 procent till arbete." in t
    assert "Andelen till studier minskade med 10 procentenheter och andelen till arbete minskade med 5 procentenheter" in t
    assert "kvinnorna" not in t and "–" not in t


def test_the_summary_bullets_read_naturally_for_zero(tmp_path):
    """Chapter 2's bullets (report/kapitel/02-sammanfattning.qmd) with no avslutade to arbete."""
    text = (REPORT / "kapitel" / "02-sammanfattning.qmd").read_text(encoding="utf-8")
    bullet = next(line for line in text.splitlines() if "avslutade_arbete" in line)
    nu = {"avslutade_arbete": 0, "arbete_andel": 0.0}
    assert prose(bullet, nu, {"avslutade_arbete": 3}) == "- Ingen ungdom avslutades till arbete under året."
    assert prose(bullet, {"avslutade_arbete": "<5", "arbete_andel": ".."}, {"avslutade_arbete": 3}) == f"- {SEKRETESS_MENING}"


def test_the_cover_letter_with_zero_and_missing_figures(tmp_path):
    """A whole tjänsteutlåtande rendered with skolavhopp 0 (share None) and no avslutade."""
    d = write_scope(tmp_path / "stad")
    n = json.loads((d / "nyckeltal.json").read_text(encoding="utf-8"))
    n.update({"skolavhopp_avslutade": 0, "skolavhopp_kvar_i_studier": 0, "skolavhopp_kvar_i_studier_andel": None,
              "avslutade": 0, "avslutade_studier": 0, "avslutade_arbete": 0, "studier_andel": None,
              "arbete_andel": None, "studier_andel_k": None, "studier_andel_m": None})
    (d / "nyckeltal.json").write_text(json.dumps(n), encoding="utf-8")
    t = flat(pdf_text(R.render_cover_letter(d, 2023, engine="pandoc")))
    assert "Inget sådant ärende avslutades under 2023, så det finns ännu inget resultat att redovisa." in t
    assert ("Ingen ungdom avslutades från insatser vid jobbtorgen under 2023, så årets andelar till studier och "
            "arbete kan inte jämföras med indikatorn och målet.") in t
    assert " 0 ärenden" not in t and "och – av" not in t and "var – " not in t and "kan inte jämföras med 2022" not in t
    assert "Sammanfattning Kommunen har" in t  # the letter still has its other parts


def test_the_appendix_says_what_its_dashes_mean():
    import pandas as pd

    rows = pd.DataFrame([
        {"nyckel": "studiesteg1_inskrivna", "namn": "Inskrivna (Studiesteg1)", "varde": "87", "foregaende": "0",
         "forandring": "87", "forandring_relativ": "", "flagga": "True"},
        {"nyckel": "skolavhopp_kvar_i_studier_andel", "namn": "Andel kvar i studier", "varde": "",
         "foregaende": "", "forandring": "", "forandring_relativ": "", "flagga": "False"},
    ])
    typ = changes_table(rows, 2023)
    # a count from 0: +87, no relative change ("–"); a share of nobody: "–" in every column but the flag
    assert '"Inskrivna (Studiesteg1)", "0", "87", "+87", "–", "ja"' in typ
    assert '"Andel kvar i studier", "–", "–", "–", "", ""' in typ
