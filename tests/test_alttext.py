"""Alt text of the diagrams and Figur 1 (kaa_report.exhibits.alttext), worked out by hand on small frames."""
from __future__ import annotations

import pandas as pd

from kaa_report.exhibits import alttext as A

NB = "\u00a0"
MINUS = "\u2212"


def _csv(text: str) -> pd.DataFrame:
    """A diagram CSV as report_exhibits reads it: strings, "<5" and empty cells kept."""
    import io

    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def test_counts_two_years_with_a_suppressed_value_a_tie_and_a_zero():
    data = _csv("stadsdel,ar,nadda\n"
                "A,2022,10\nB,2022,<5\nC,2022,0\nD,2022,12\n"
                "A,2023,15\nB,2023,15\nC,2023,8\nD,2023,9\n")
    # shown: 10, 0, 12, 15, 15, 8, 9 (B 2022 hidden). Largest 15 = A and B in 2023 (a tie);
    # smallest 0 = C 2022 (a zero is a value). Changes where both years are shown:
    # A +5, C +8, D 12 -> 9 = -3; B is left out (2022 hidden).
    assert A.diagram(2, data, 2023, city=True) == (
        "Liggande stapeldiagram: nådda ungdomar per stadsdelsområde 2022 och 2023, del 1 av 2. "
        "Flest i A och B, 15 (2023); färst i C, 0 (2022). "
        f"Från 2022 till 2023: störst ökning för C från 0 till 8 (+8); störst minskning för D från 12 till 9 ({MINUS}3). "
        "1 värde visas som ”<5” och är inte med i beskrivningen.")


def test_a_suppressed_value_is_never_the_smallest():
    data = _csv("stadsdel,ar,nadda\nA,2023,<5\nB,2023,7\nC,2023,30\n")
    text = A.diagram(3, data, 2023, city=False)
    # one year in the data: no change sentence; "<5" is not taken as the smallest (7 is)
    assert text == ("Liggande stapeldiagram: nådda ungdomar per stadsdelsområde 2023, del 2 av 2. "
                    "Flest i C, 30; färst i B, 7. 1 värde visas som ”<5” och är inte med i beskrivningen.")


def test_shares_of_one_year_by_kon_for_a_jobbtorg():
    data = _csv("enhet,kon,nadda,sokta,andel_nadda\n"
                "Farsta,Kvinnor,10,20,0.5\nFarsta,Män,<5,18,<5\n"
                "Skarpnäck,Kvinnor,9,12,0.75\nSkarpnäck,Män,7,10,0.7\n")
    # 9/12 = 75 % highest, 10/20 = 50 % lowest; one year (from the argument), kön varies
    assert A.diagram(4, data, 2023, city=False) == (
        "Stapeldiagram: andel nådda av sökta per stadsdelsområde och kön 2023. "
        f"Högst andel i Skarpnäck, 75{NB}% (kvinnor); lägst i Farsta, 50{NB}% (kvinnor). "
        "1 värde visas som ”<5” och är inte med i beskrivningen.")


def test_shares_compare_the_printed_percents_and_name_ties_across_years():
    data = _csv("ar,orsak,antal,andel\n"
                "2022,Studier,55,0.554\n2022,Arbete,20,0.2\n2022,Övrigt,25,0.246\n"
                "2023,Studier,52,0.52\n2023,Arbete,25,0.246\n2023,Övrigt,20,0.196\n")
    # printed: 2022 55 %, 20 %, 25 %; 2023 52 %, 25 %, 20 %. Lowest 20 % twice: arbete 2022 and
    # övrigt 2023 (0,196 prints as 20 %). Changes in whole percents: studier -3, arbete +5, övrigt -5.
    assert A.diagram(7, data, 2023, city=True) == (
        "Stapeldiagram: andel av de utskrivna från Aim efter avslutsorsak 2022 och 2023. "
        f"Högst andel med avslutsorsak studier, 55{NB}% (2022); "
        f"lägst med avslutsorsak arbete (2022) och övrigt (2023), 20{NB}%. "
        f"Från 2022 till 2023: störst ökning för arbete från 20{NB}% till 25{NB}% (+5{NB}procentenheter); "
        f"störst minskning för övrigt från 25{NB}% till 20{NB}% ({MINUS}5{NB}procentenheter).")


def test_stacked_years_are_described_by_their_totals():
    data = _csv("ar,kon,omfattade\n2021,K,100\n2021,M,120\n2022,K,150\n2022,M,150\n2023,K,1130\n2023,M,140\n")
    # totals 220, 300, 1 270; the last two years: 300 -> 1 270 = +970
    assert A.diagram(1, data, 2023, city=True) == (
        "Staplat stapeldiagram: ungdomar som omfattades av KAA per verksamhetsår 2021–2023, kvinnor och män "
        "staplade på varandra; värdena nedan gäller båda tillsammans. "
        f"Flest 2023, 1{NB}270; färst 2021, 220. Från 2022 till 2023 ökade antalet från 300 till 1{NB}270 (+970).")


def test_groups_and_years_qualify_the_extremes():
    data = _csv("ar,kon,orsak,antal\n"
                "2022,Kvinnor,Studier,4\n2022,Män,Studier,<5\n2022,Kvinnor,Arbete,6\n2022,Män,Arbete,6\n"
                "2023,Kvinnor,Studier,9\n2023,Män,Studier,<5\n2023,Kvinnor,Arbete,6\n2023,Män,Arbete,2\n")
    # largest 9 (studier, kvinnor, 2023); smallest 2 (arbete, män, 2023); changes: studier kvinnor +5,
    # arbete kvinnor 0, arbete män -4; studier män hidden both years
    assert A.diagram(6, data, 2023, city=True) == (
        "Grupperat stapeldiagram: avslutade från insats vid jobbtorgen efter avslutsorsak och kön 2022 och 2023. "
        "Flest med avslutsorsak studier, 9 (kvinnor, 2023); färst med avslutsorsak arbete, 2 (män, 2023). "
        f"Från 2022 till 2023: störst ökning för studier, kvinnor från 4 till 9 (+5); "
        f"störst minskning för arbete, män från 6 till 2 ({MINUS}4). "
        "2 värden visas som ”<5” och är inte med i beskrivningen.")


def test_survey_answers_of_one_year_with_a_zero_and_a_tie():
    data = _csv("svar,antal\n1,0\n2,0\n3,2\n4,17\n5,28\n")
    assert A.diagram(8, data, 2023, city=True).endswith(
        "hela staden 2023. Flest svarade 5, 28; färst svarade 1 och 2, 0.")


def test_empty_and_all_hidden_diagrams():
    empty = _csv("stadsdel,ar,nadda\n")
    assert A.diagram(3, empty, 2023, city=False) == (
        "Liggande stapeldiagram: nådda ungdomar per stadsdelsområde 2023, del 2 av 2. Diagrammet har inga värden.")
    hidden = _csv("ar,orsak,antal,andel\n2023,Studier,<5,<5\n2023,Arbete,0,0.0\n")
    assert A.diagram(7, hidden, 2023, city=False) == (
        "Stapeldiagram: andel av de utskrivna från Aim efter avslutsorsak 2023. "
        f"Bara ett värde visas: Arbete, 0{NB}%. 1 värde visas som ”<5” och är inte med i beskrivningen.")


def test_one_series_unchanged():
    data = _csv("ar,kon,omfattade\n2022,K,5\n2022,M,5\n2023,K,4\n2023,M,6\n")
    assert A.diagram(1, data, 2023, city=False).endswith(
        "Alla visade värden är 10. Från 2022 till 2023 var antalet oförändrat, 10.")


def test_organisation_from_its_boxes_and_lines():
    org = {"rutor": [{"id": "a", "text": "Nämnd", "pos": [50, 90]},
                     {"id": "b", "text": "Förvaltningen", "pos": [50, 60]},
                     {"id": "c", "text": "Enhet A", "pos": [30, 30]},
                     {"id": "d", "text": "Enhet B,\nsyd", "pos": [70, 30]},
                     {"id": "e", "text": "Skola", "pos": [90, 60]}],
           "kopplingar": [["a", "b"], ["c", "b"], ["b", "d"], ["b", "e"]]}
    # [c, b] is drawn from the lower box: b is still above c. b and e sit at one height.
    assert A.organisation(org) == (
        "Organisationsschema med 5 rutor. Under Nämnd finns Förvaltningen. "
        "Under Förvaltningen finns Enhet A och ”Enhet B, syd”. Förvaltningen och Skola är förbundna med varandra.")


def test_every_exhibit_of_a_scope_gets_a_text_even_without_its_csv(tmp_path):
    from kaa_report.paths import PARAMS

    (tmp_path / "diagram_8.csv").write_text("svar,antal\n1,3\n2,1\n3,2\n4,17\n5,28\n", encoding="utf-8")
    alts = A.for_scope(tmp_path, 2023, True, PARAMS)
    assert set(alts) == {f"diagram_{n}" for n in range(1, 9)} | {"figur_1"}
    assert alts["diagram_8"].endswith("Flest svarade 5, 28; färst svarade 2, 1.")
    assert alts["diagram_2"] == "Diagram 2. Underlaget till diagrammet (diagram_2.csv) saknas."
    assert alts["figur_1"].startswith("Organisationsschema med 12 rutor. Under Kommunfullmäktige finns "
                                      "Arbetsmarknadsnämnden och Utbildningsnämnden.")


def test_a_scopes_texts_follow_its_files(tmp_path):
    """for_scope works a scope's texts out once for the PDF and the HTML edition; a changed
    CSV (the next scope, or a rebuild in preview) gets its own texts."""
    from kaa_report.paths import PARAMS

    csv = tmp_path / "diagram_8.csv"
    csv.write_text("svar,antal\n1,3\n2,1\n3,2\n4,17\n5,28\n", encoding="utf-8")
    first = A.for_scope(tmp_path, 2023, True, PARAMS)
    assert A.for_scope(tmp_path, 2023, True, PARAMS) == first
    csv.write_text("svar,antal\n1,30\n2,1\n3,2\n4,17\n5,28\n", encoding="utf-8")
    assert A.for_scope(tmp_path, 2023, True, PARAMS)["diagram_8"].endswith("Flest svarade 1, 30; färst svarade 2, 1.")
    csv.unlink()
    assert A.for_scope(tmp_path, 2023, True, PARAMS)["diagram_8"].endswith("(diagram_8.csv) saknas.")
