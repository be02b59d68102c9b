"""kaa-report audit: published-figures consistency, the build audit and the xlsx workbook.

Expected values are worked out by hand from tests/fake_build.py and
tests/data/published_*.yaml (the arithmetic is in the comments)."""
from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from fake_build import BASE_2022, UNITS, write_build

from kaa_report.cli import cli
from kaa_report.review.audit import audit_build, read_build
from kaa_report.review.auditbook import KONFIDENTIELLT, write_auditbook
from kaa_report.review.diff import year_over_year
from kaa_report.review.published import (
    Index,
    Ref,
    check_published,
    default_published_path,
    interval,
    load_published,
    published_refs,
    round_half_away,
)

DATA = Path(__file__).parent / "data"
REAL = default_published_path()  # ../shared/published/…, else the copy in tests/data


def _found(path):
    return check_published(load_published(path))


# ---------------------------------------------------------------- printed precision and hedges


def test_interval_of_printed_numbers():
    e = {"value": 72.5, "value_as_printed": "72,5 %", "unit": "percent", "qualifier": "exact"}
    iv = interval(e)
    assert iv.contains(Fraction(7245, 100)) and not iv.contains(Fraction(7255, 100))
    # 114/157 = 72,611 % rounds to 72,6, outside 72,5's interval
    assert not iv.contains(Fraction(114, 157) * 100)
    nastan = {"value": 810, "value_as_printed": "nästan 810", "unit": "count", "qualifier": "nästan (almost)"}
    assert interval(nastan).contains(Fraction(807)) and not interval(nastan).contains(Fraction(810))
    drygt = {"value": 300, "value_as_printed": "drygt 300", "unit": "count", "qualifier": "drygt (just over)"}
    assert interval(drygt).contains(Fraction(300)) and not interval(drygt).contains(Fraction(299))
    assert round_half_away(Fraction(725, 10)) == 73 and round_half_away(Fraction(-5, 2)) == -3
    # as the findings print them: 810 × 0,95 = 769,5 up to 810 (open); 72,45 up to 72,55 (open) percent
    assert interval(nastan).text() == "[769,5; 810["
    assert iv.text(percent=True) == "[72,45; 72,55[\u00a0%"


def test_published_refs_follow_figure_map():
    def refs(pid):
        return published_refs({"id": pid})

    assert refs("t6_2022_saknar_stadsdel_studier_arbete_antal") == [Ref(2022, "saknar-stadsdel", "avslutade_studier_arbete")]
    assert refs("t5_2023_totalt_andel_avslutade") == [Ref(2023, "stad", "avslutade_andel")]
    assert refs("t2_2023_ej_nadda_k") == [Ref(2023, "stad", "ej_nadda_k")]
    assert refs("ar23_aim_utskrivna") == [Ref(2023, "stad", "aim_avslutade")]
    assert refs("c25_avslutade_2024") == [Ref(2024, "stad", "avslutade")]
    assert refs("ar23_sokta_okning") == [Ref(2023, "stad", "sokta", "forandring")]  # a change, not a level
    assert refs("ar23_slussplatser_antal") == []  # outside the register


# ---------------------------------------------------------------- published files


def test_clean_published_file_has_no_contradiction():
    data = load_published(DATA / "published_clean.yaml")
    assert check_published(data) == []
    # the checks did reach the file: Tabell 5 Totalt is indexed from its printed value
    assert Index(data).value(2023, "stad", "avslutade") == 185


def test_every_planted_contradiction_is_found_and_nothing_else():
    found = _found(DATA / "published_planted.yaml")
    expected = [
        # 240 + 261 = 501 ≠ 500
        ("summa", "ar23_omfattade_m", "240 + 261 = 501"),
        # Saknar stadsdel: 1 + 1 = 2 ≠ 3, and the column 60 + 30 + 17 + 32 + 3 = 142 ≠ 141
        ("summa", "t5_2023_saknar_stadsdel_studier_arbete_antal", "1 + 1 = 2, tryckt 3"),
        ("summa", "t5_2023_totalt_studier_arbete_antal", "60 + 30 + 17 + 32 + 3 = 142"),
        # 20/30 = 66,67 % → 66,7, printed 66,6
        ("andel", "t6_2022_vallingby_andel_avslutade", "20/30"),
        # 220 − 180 = 40, printed 45
        ("forandring", "ar23_sokta_okning", "220 − 180 = 40"),
        # "nästan 185" allows [175,75; 185[, the table says 185
        ("same_metric_as", "ar23_avslutade_nastan", "nästan 185"),
        # 105 − 80 = 25, +31,3 %: not "något"
        ("pastaende", "cl_ar23_nyinskrivna_nagot", "105 − 80 = 25"),
    ]
    assert len(found) == len(expected), [f.text() for f in found]
    # the relative change and the limit print as percent: 25/80 = 31,25 % → +31,3 %; at most 10 %
    nagot = next(f for f in found if f.typ == "pastaende")
    assert "(+31,3\u00a0%)" in nagot.aritmetik and "högst 10\u00a0%" in nagot.aritmetik
    for typ, pid, arithmetic in expected:
        hits = [f for f in found if f.typ == typ and pid in f.ids and arithmetic in f.aritmetik]
        assert hits, (typ, pid, [f.text() for f in found])
        assert hits[0].citat  # each carries its quote


def test_real_published_file_contradictions():
    found = _found(REAL)
    keys = {(f.typ, f.ids[0]) for f in found}
    # Tabell 6: 114/157 = 72,61 % printed 72,5; 465/651 = 71,43 % printed 71,5; 23/87 = 26,44 % printed 26,5;
    # 122/201 = 60,70 % printed 60.
    for pid in ("t6_2022_skarholmen_andel_avslutade", "t6_2022_totalt_studier_arbete_andel",
                "t6_2022_vallingby_arbete_andel", "t6_2022_kista_andel_avslutade"):
        assert ("andel", pid) in keys
    # Tabell 5 Saknar stadsdel: 19 + 11 = 30, printed 40; "ökning med 676" but 5 777 − 5 152 = 625.
    assert ("summa", "t5_2023_saknar_stadsdel_studier_arbete_antal") in keys
    assert ("forandring", "ar23_sokta_okning") in keys
    okning = next(f for f in found if f.ids[0] == "ar23_sokta_okning")
    assert "5\u00a0777 − 5\u00a0152 = 625" in okning.aritmetik  # thousands grouped as the report prints them
    # "nästan 810" against 807 and "ca 650" against 651 agree within their hedges.
    assert not any("ar23_avslutade_nastan" in f.ids or "ar22_avslutade_ca" in f.ids for f in found)


# ---------------------------------------------------------------- the build audit
# City totals of fake_build 2023: inskrivna 50+30+20+25+4 = 129, avslutade 40+20+16+20+0 = 96,
# omfattade_k 100+80+60+70+10 = 320, nadda_k 30+20+15+20+2 = 87; 2022 avslutade 38+18+14+18+0 = 88.


def _edit_json(path: Path, **changes):
    d = json.loads(path.read_text(encoding="utf-8"))
    d.update(changes)
    path.write_text(json.dumps(d), encoding="utf-8")


def test_clean_build_audits_clean(tmp_path):
    write_build(tmp_path)
    assert audit_build(read_build(tmp_path, 2023)) == []


def test_wrong_derived_figure_is_reported_with_its_arithmetic(tmp_path):
    write_build(tmp_path)
    _edit_json(tmp_path / "2023" / "stad" / "nyckeltal.json", avslutade_andel=0.75)
    found = audit_build(read_build(tmp_path, 2023))
    assert {(f.typ, f.figur) for f in found} == {("harledd", "avslutade_andel (2023)"),
                                                  ("tabell", "tabell_5 Totalt/andel_avslutade")}
    # 96/129 = 0,7441860… shown to six decimals, against the 0,75 planted
    assert "= 96 / 129 = 0,744186, rapporterat 0,75" in next(f for f in found if f.typ == "harledd").aritmetik


def test_message_values_print_the_swedish_way():
    from kaa_report.review.avvikelse import _n

    assert _n(1234) == "1\u00a0234" and _n(490.0) == "490"
    assert _n(-2) == "\u22122"  # the minus sign, not a hyphen
    assert _n(5 / 11) == "0,454545"  # 0,4545…: six decimals
    assert _n(0.5) == "0,5"  # no trailing zeros
    assert _n(None) == "null" and _n("<5") == "'<5'"  # JSON's null; a sign quoted


def test_jobbtorg_not_summing_to_city(tmp_path):
    write_build(tmp_path)
    _edit_json(tmp_path / "2023" / "kista" / "nyckeltal.json", omfattade_k=71)
    found = audit_build(read_build(tmp_path, 2023))
    assert len(found) == 1 and found[0].typ == "summa"
    assert "100 + 80 + 60 + 71 + 10 = 321" in found[0].aritmetik and "stad 320" in found[0].aritmetik


def test_table_cell_against_nyckeltal(tmp_path):
    write_build(tmp_path)
    p = tmp_path / "2023" / "stad" / "tabell_2.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("Nådda,87,", "Nådda,88,"), encoding="utf-8")
    found = audit_build(read_build(tmp_path, 2023))
    assert [(f.typ, f.figur) for f in found] == [("tabell", "tabell_2 Nådda/Kvinnor")]
    assert "nadda_k = 87" in found[0].aritmetik


def test_forandringar_csv_checked(tmp_path):
    built = write_build(tmp_path)
    nk, prev = built["stad"]
    folder = tmp_path / "2023" / "stad"
    year_over_year(nk, prev).to_csv(folder / "forandringar.csv", index=False)
    assert audit_build(read_build(tmp_path, 2023)) == []
    p = folder / "forandringar.csv"
    text = p.read_text(encoding="utf-8")
    assert "\navslutade,Avslutade,96,88,8," in text  # 96 − 88 = 8
    p.write_text(text.replace("\navslutade,Avslutade,96,88,8,", "\navslutade,Avslutade,96,88,9,"), encoding="utf-8")
    found = audit_build(read_build(tmp_path, 2023))
    assert [(f.typ, f.figur) for f in found] == [("forandring", "avslutade")]
    assert "96 − 88 = 8" in found[0].aritmetik


def test_last_year_against_last_years_build_only_for_the_same_export(tmp_path):
    write_build(tmp_path)
    changed = {u: list(v) for u, v in BASE_2022.items()}
    changed["globen"][6] += 1  # globen inskrivna 2022: 48 → 49
    write_build(tmp_path, year=2022, now=changed)
    found = audit_build(read_build(tmp_path, 2023))
    assert {(f.scope, f.typ, f.figur) for f in found} == {
        (s, "foregaende_ar", k) for s in ("stad", "globen") for k in ("inskrivna", "avslutade_andel")}
    write_build(tmp_path, year=2022, now=changed, manifest={"inputs": {"personer.csv": "c" * 64}})
    assert audit_build(read_build(tmp_path, 2023)) == []  # another export: not compared


# ---------------------------------------------------------------- the workbook


def _evaluate(formula: str, grundtal) -> object:
    """Evaluate the formulas auditbook writes (IF(x=0,"",…), + − /) on the Grundtal sheet."""
    s = re.sub(r"Grundtal!([A-Z]+\d+)", lambda m: repr(grundtal[m.group(1)].value), formula[1:])
    m = re.fullmatch(r'IF\((.+?)=0,"",(.+)\)', s)
    if m:
        return "" if eval(m.group(1)) == 0 else eval(m.group(2))
    return eval(s)


def _find_row(ws, cols: dict):
    for row in ws.iter_rows(min_row=4):
        if all(row[c].value == v for c, v in cols.items()):
            return row
    raise AssertionError(cols)


def test_workbook_formulas_reference_grundtal_and_evaluate(tmp_path):
    write_build(tmp_path)
    path = write_auditbook(tmp_path / "audit-2023.xlsx", read_build(tmp_path, 2023))
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Grundtal", "Härledda", "Spårning"]
    assert all(ws["A1"].value == KONFIDENTIELLT for ws in wb)
    assert "KONFIDENTIELLT" in wb.properties.title and "konfidentiellt" in wb.properties.keywords
    assert any(p.name == "Sekretess" and p.value == "Konfidentiellt" for p in wb.custom_doc_props)

    g, h = wb["Grundtal"], wb["Härledda"]
    header = [c.value for c in g[3]]
    stad_col = openpyxl.utils.get_column_letter(header.index("stad") + 1)
    rows = {g[f"A{r}"].value: r for r in range(4, g.max_row + 1)}
    assert g[f"{stad_col}{rows['inskrivna']}"].value == 129 and g[f"{stad_col}{rows['avslutade']}"].value == 96

    row = _find_row(h, {0: "stad", 1: "avslutade_andel"})
    ins, avs = f"Grundtal!{stad_col}{rows['inskrivna']}", f"Grundtal!{stad_col}{rows['avslutade']}"
    assert row[4].value == f'=IF({ins}=0,"",{avs}/{ins})'
    assert _evaluate(row[4].value, g) == pytest.approx(96 / 129)
    row = _find_row(h, {0: "stad", 1: "avslutade_ovrigt"})  # 96 − 50 − 21 = 25
    assert _evaluate(row[4].value, g) == 25

    # every formula reads only Grundtal and reproduces the reported value ("" for a null share:
    # saknar-stadsdel has avslutade 0)
    n = 0
    for r in h.iter_rows(min_row=4):
        f = r[4].value
        assert set(re.findall(r"([A-Za-zåäöÅÄÖ]+)!", f)) == {"Grundtal"}
        got, reported = _evaluate(f, g), r[5].value
        assert (got == "" and reported is None) or got == pytest.approx(reported), (r[1].value, f)
        assert r[6].value.startswith("=IF(AND(")
        n += 1
    assert n == 6 * 12  # 6 scopes × (ej_nadda and nadda_andel for all, _k, _m = 6; ovrigt, studier_arbete, 4 shares = 6)
    saknar = _find_row(h, {0: "saknar-stadsdel", 1: "studier_andel"})
    assert _evaluate(saknar[4].value, g) == "" and saknar[5].value is None


def _is_share_by_name(key: str) -> bool:
    """Shares by their names in the contract: …_andel, …_andel_k, …_andel_m."""
    return re.search(r"_andel(_k|_m)?$", key) is not None


def test_workbook_stores_the_build_values_for_readers_that_do_not_calculate(tmp_path):
    write_build(tmp_path)
    path = write_auditbook(tmp_path / "audit-2023.xlsx", read_build(tmp_path, 2023))
    built = {s: json.loads((tmp_path / "2023" / s / "nyckeltal.json").read_text(encoding="utf-8"))
             for s in ("stad", *UNITS)}
    h = openpyxl.load_workbook(path, data_only=True)["Härledda"]
    n = 0
    for r in h.iter_rows(min_row=4):
        scope, key, computed, reported, kontroll = r[0].value, r[1].value, r[4].value, r[5].value, r[6].value
        want = built[scope][key]
        if want is None:  # a share with a zero denominator: the formula gives "", an empty cell
            assert computed in (None, "") and reported is None, (scope, key)
        else:
            assert computed == want and reported == want, (scope, key, computed, want)  # exact, not approx
        assert kontroll == "OK", (scope, key)
        n += 1
    assert n == 6 * 12
    # by hand: stad avslutade_andel 96/129; saknar-stadsdel nadda_andel 5/11, which needs 17
    # significant digits to read back as the same double
    assert _find_row(h, {0: "stad", 1: "avslutade_andel"})[4].value == 96 / 129
    assert _find_row(h, {0: "saknar-stadsdel", 1: "nadda_andel"})[5].value == 5 / 11
    assert float(f"{5 / 11:.16G}") != 5 / 11
    assert _find_row(h, {0: "stad", 1: "avslutade_ovrigt"})[4].value == 25  # 96 − 50 − 21

    # pandas (which reads the stored values) sees the same figures
    import pandas as pd

    df = pd.read_excel(path, sheet_name="Härledda", header=2)
    assert list(df.columns) == ["omfattning", "nyckel", "namn", "definition", "formel (räknas i Excel)",
                                "rapporterat värde", "kontroll"]
    for _, row in df.iterrows():
        want = built[row["omfattning"]][row["nyckel"]]
        got = row["formel (räknas i Excel)"]
        assert (pd.isna(got) and want is None) or got == want, (row["omfattning"], row["nyckel"])
    assert len(df) == 6 * 12


def test_workbook_stored_value_is_the_formulas_not_the_reported_one(tmp_path):
    write_build(tmp_path)
    _edit_json(tmp_path / "2023" / "stad" / "nyckeltal.json", avslutade_andel=0.75)
    path = write_auditbook(tmp_path / "audit-2023.xlsx", read_build(tmp_path, 2023))
    row = _find_row(openpyxl.load_workbook(path, data_only=True)["Härledda"], {0: "stad", 1: "avslutade_andel"})
    assert row[4].value == 96 / 129 and row[5].value == 0.75 and row[6].value == "AVVIKER"


def test_workbook_shares_are_percent(tmp_path):
    write_build(tmp_path)
    path = write_auditbook(tmp_path / "audit-2023.xlsx", read_build(tmp_path, 2023))
    h = openpyxl.load_workbook(path)["Härledda"]
    shares = 0
    for r in h.iter_rows(min_row=4):
        fmt = {r[4].number_format, r[5].number_format}
        if _is_share_by_name(r[1].value):
            assert fmt == {"0.0 %"}, (r[0].value, r[1].value)  # 74,4 % in a Swedish Excel
            shares += 1
        else:
            assert not any("%" in x for x in fmt), (r[0].value, r[1].value)
    assert shares == 6 * 7  # nadda_andel (3 with _k/_m) and 4 avslutade shares per scope


def test_workbook_prints_confidential_on_every_page_fitted_to_width(tmp_path):
    write_build(tmp_path)
    path = write_auditbook(tmp_path / "audit-2023.xlsx", read_build(tmp_path, 2023))
    wb = openpyxl.load_workbook(path)
    for ws in wb:
        header, footer = ws.oddHeader, ws.oddFooter
        texts = [p.text or "" for hf in (header, footer) for p in (hf.left, hf.center, hf.right)]
        assert any("KONFIDENTIELLT" in t for t in texts), ws.title
        # one header and footer for every page: no separate first or even page
        assert not ws.HeaderFooter.differentFirst and not ws.HeaderFooter.differentOddEven
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # 1 is the OOXML default
        assert ws.print_title_rows == "$1:$3"  # the confidential title, the sheet's title, the column header
        assert ws["A1"].value == KONFIDENTIELLT and ws["A3"].value in ("nyckel", "omfattning")


def test_workbook_trace(tmp_path):
    write_build(tmp_path)
    (tmp_path / "2023" / "kista" / "manifest.json").unlink()  # tolerant of a missing manifest
    path = write_auditbook(tmp_path / "audit-2023.xlsx", read_build(tmp_path, 2023))
    t = openpyxl.load_workbook(path)["Spårning"]
    aim = _find_row(t, {0: "aim_inskrivna"})
    assert aim[4].value == "kaa_report.metrics.definitions.inskrivna (verksamhet='aim')"
    share = _find_row(t, {0: "studier_andel"})
    assert share[3].value == "avslutade_studier / avslutade" and "metrics.definitions.compute" in share[4].value
    assert share[1].value == "Andel avslutade till studier"
    assert "personer.csv: " + "a" * 64 in share[5].value and "kista: saknas i manifest.json" in share[5].value
    assert "0123456789abcdef" in share[6].value


# ---------------------------------------------------------------- command line


def test_audit_cli_exit_codes(tmp_path, monkeypatch):
    import kaa_report.review.audit as audit_module

    # the audit also checks report/text/<Y> for hand-typed numbers (tests/test_pdftrace.py);
    # here the build's figures alone decide, so the text folder is empty
    (tmp_path / "report" / "text" / "2023").mkdir(parents=True)
    monkeypatch.setattr(audit_module, "REPORT", tmp_path / "report")
    r = CliRunner()
    write_build(tmp_path)
    ok = r.invoke(cli, ["audit", "--year", "2023", "--out", str(tmp_path)])
    assert ok.exit_code == 0 and ok.output.startswith("0 avvikelser i 6 omfång")  # one line, no findings
    assert (tmp_path / "2023" / "audit-2023.xlsx").exists()
    _edit_json(tmp_path / "2023" / "stad" / "nyckeltal.json", studier_andel=0.5)
    bad = r.invoke(cli, ["audit", "--year", "2023", "--out", str(tmp_path)])
    assert bad.exit_code == 1 and "studier_andel = avslutade_studier / avslutade = 50 / 96" in bad.output
    assert r.invoke(cli, ["audit", "--published", str(DATA / "published_clean.yaml")]).exit_code == 0
    planted = r.invoke(cli, ["audit", "--published", str(DATA / "published_planted.yaml")])
    assert planted.exit_code == 1 and "220 − 180 = 40" in planted.output
    assert r.invoke(cli, ["audit"]).exit_code == 2


def test_prose_figures_and_changes(tmp_path):
    import yaml

    write_build(tmp_path)
    p = tmp_path / "2023" / "stad" / "_variables.yml"
    # avslutade 96 against 88: ökade med 8; studier_andel 50/96 = 52,08 % → 52 against
    # 42/88 = 47,73 % → 48: ökade med 4 procentenheter; nyckeltal.avslutade_andel 96/129 = 74,4 % → 74 %
    good = {"nyckeltal": {"avslutade": "96", "avslutade_andel": "74\u00a0%"}, "forra": {"avslutade": "88"},
            "forandring": {"avslutade": "ökade med 8", "studier_andel": "ökade med 4\u00a0procentenheter",
                           "aim_inskrivna": "ökade med 10"}}  # planted: see below
    # aim_inskrivna 2023 = 5+4+3+2+0 = 14; 2022 per unit 3, 2, 1, 0, 0 → 6; so 14 − 6 = 8, not 10
    p.write_text(yaml.safe_dump(good, allow_unicode=True), encoding="utf-8")
    found = audit_build(read_build(tmp_path, 2023))
    assert [(f.typ, f.figur) for f in found] == [("forandring", "forandring.aim_inskrivna")]
    assert "14 − 6 = 8" in found[0].aritmetik
    good["forandring"]["aim_inskrivna"] = "ökade med 8"
    good["nyckeltal"]["avslutade_andel"] = "75\u00a0%"
    p.write_text(yaml.safe_dump(good, allow_unicode=True), encoding="utf-8")
    found = audit_build(read_build(tmp_path, 2023))
    assert [(f.typ, f.figur) for f in found] == [("text", "nyckeltal.avslutade_andel")]


def test_table_counts_written_as_floats_are_still_summed(tmp_path):
    write_build(tmp_path)
    p = tmp_path / "2023" / "stad" / "tabell_5.csv"
    # counts as "50.0" (as pandas writes an int column holding a null); Kista inskrivna 25 → 26
    text = p.read_text(encoding="utf-8").replace("Jobbtorg Kista,25,", "Jobbtorg Kista,26.0,")
    text = text.replace("Totalt,129,", "Totalt,129.0,")
    p.write_text(text, encoding="utf-8")
    found = audit_build(read_build(tmp_path, 2023))
    # inskrivna 50 + 30 + 20 + 26 + 4 = 130 ≠ 129; the Kista cell ≠ kista's nyckeltal (25);
    # Kista's avslutade_andel 20/26 ≠ the cell 20/25
    assert {(f.typ, f.figur) for f in found} == {("summa", "tabell_5 inskrivna"),
                                                  ("tabell", "tabell_5 Jobbtorg Kista/inskrivna"),
                                                  ("tabell", "tabell_5 Jobbtorg Kista")}
    assert "50 + 30 + 20 + 26 + 4 = 130, Totalt 129" in next(f for f in found if f.typ == "summa").aritmetik


def test_suppressed_scope_audits_clean_and_shown_figures_must_be_exact(tmp_path):
    """A jobbtorg scope whose published files hide small counts ("<5") audits clean; a
    figure shown in publicerade_nyckeltal.json that differs from the exact one is found."""
    built = write_build(tmp_path)
    nk, pv = built["vallingby"]  # aim_inskrivna 3 (2023) and 1 (2022): both below 5
    d = tmp_path / "2023" / "vallingby"
    shown, shown_prev = dict(nk, aim_inskrivna="<5"), dict(pv, aim_inskrivna="<5")
    (d / "publicerade_nyckeltal.json").write_text(json.dumps(shown), encoding="utf-8")
    (d / "publicerade_nyckeltal_foregaende_ar.json").write_text(json.dumps(shown_prev), encoding="utf-8")
    rows = [["nyckel", "namn", "varde", "foregaende", "forandring", "forandring_relativ", "flagga"],
            ["aim_inskrivna", "Inskrivna (Aim)", "<5", "<5", "", "", "False"],
            ["inskrivna", "Inskrivna", nk["inskrivna"], pv["inskrivna"], nk["inskrivna"] - pv["inskrivna"], "", "False"]]
    (d / "forandringar.csv").write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
    (d / "tabell_4.csv").write_text(f"rad,2022,2023\nJobbtorg (KAA),{pv['inskrivna']},{nk['inskrivna']}\nAim,<5,<5\n",
                                    encoding="utf-8")
    assert audit_build(read_build(tmp_path, 2023)) == []

    _edit_json(d / "publicerade_nyckeltal.json", inskrivna=nk["inskrivna"] + 1)
    found = audit_build(read_build(tmp_path, 2023))
    # the shown figure differs from the exact one, and so from the appendix written from it
    assert sorted((f.scope, f.typ, f.figur) for f in found) == [
        ("vallingby", "forandring", "inskrivna"), ("vallingby", "publicerad", "inskrivna (publicerade_nyckeltal.json)")]


def test_claimed_changes_print_their_sign():
    from kaa_report.review.published.claims import _most

    # nådda 2022 → 2023: globen 10 → 13 (+3), skarholmen 8 → 8 (0), vallingby 9 → 5 (−4), kista 7 → 12 (+5)
    values = {"globen": (13, 10), "skarholmen": (8, 8), "vallingby": (5, 9), "kista": (12, 7)}

    class Ix:
        def value(self, year, scope, key):
            return Fraction(values[scope][2023 - year])

        def entry(self, year, scope, key):
            return {"id": f"{scope}_{year}"}

    found, bad = _most(Ix(), 2023, {"nadda": "globen"})
    assert found and len(bad) == 1
    assert bad[0][0] == ("nadda förändring 2022→2023: globen +3, skarholmen 0, vallingby \u22124, kista +5; "
                         "störst: kista, inte globen")


def test_one_increase_test_for_the_city_and_for_every_torg():
    from kaa_report.review.published.claims import TESTS

    # 2023 against 2022. City: avslutade_studier 438 → 450 (up), studier_andel 52,1 % → 52,1 % (not up).
    # Torg, studier och arbete: globen 25 → 30 (up), skarholmen 20 → 20, vallingby 18 → 15, kista 10 → 12.
    values = {("stad", "avslutade_studier"): (450, 438), ("stad", "studier_andel"): (Fraction("52.1"), Fraction("52.1")),
              ("globen", "avslutade_studier_arbete"): (30, 25), ("skarholmen", "avslutade_studier_arbete"): (20, 20),
              ("vallingby", "avslutade_studier_arbete"): (15, 18), ("kista", "avslutade_studier_arbete"): (12, 10)}

    class Ix:
        def value(self, year, scope, key):
            v = values.get((scope, key))
            return None if v is None else Fraction(v[2023 - year])

        def entry(self, year, scope, key):
            return {"id": f"{scope}_{key}_{year}"}

    found, bad = TESTS["up"]({"keys": ["avslutade_studier", "studier_andel"]})(Ix(), 2023)
    assert found and [t for t, _ in bad] == ["studier_andel: 2023 52,1 mot 2022 52,1, ingen ökning"]
    found, bad = TESTS["up"]({"keys": ["avslutade_studier_arbete"], "scopes": "torg"})(Ix(), 2023)
    assert found and [t for t, _ in bad] == [
        "skarholmen avslutade_studier_arbete: 2023 20 mot 2022 20, ingen ökning",
        "vallingby avslutade_studier_arbete: 2023 15 mot 2022 18, ingen ökning"]
    assert bad[1][1] == ("vallingby_avslutade_studier_arbete_2023", "vallingby_avslutade_studier_arbete_2022")
