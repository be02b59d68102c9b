"""kaa-report diff: cell-by-cell comparison of two builds, flags, renderings, exit codes.

Builds are hand-made by tests/fake_build.py; expected changes are worked out by hand."""
from __future__ import annotations

import copy
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from fake_build import BASE_2023, write_build

from kaa_report.cli import cli
from kaa_report.review.diff import compare, diff_builds, load_thresholds, published_changes, year_over_year
from kaa_report.review.diff_html import render_html
from kaa_report.review.published import load_published

DATA = Path(__file__).parent / "data"
YEARS = load_thresholds("ar_mot_ar")
RUNS = load_thresholds("korning_mot_korning")


def _globen_arbete(value: int) -> dict:
    """BASE_2023 with globen's avslutade_arbete (field 9) set to value."""
    b = copy.deepcopy(BASE_2023)
    b["globen"][9] = value
    return b


def test_thresholds_counts_and_shares():
    # counts need both ≥ 10 % and ≥ 50 persons
    assert compare(115, 100, False, YEARS) == (15, 0.15, False)  # 15 % but only 15 persons
    assert compare(1049, 1000, False, YEARS)[2] is False  # 49 persons
    assert compare(1100, 1000, False, YEARS) == (100, 0.1, True)
    assert compare(60, 0, False, YEARS) == (60, None, True)  # from 0: the absolute rule alone
    assert compare(880, 1000, False, YEARS)[2] is True  # a fall counts too (−120, −12 %)
    assert compare(940, 1000, False, YEARS)[2] is False  # −60 but only −6 %
    # shares: ≥ 5 percentage points
    assert compare(0.56, 0.50, True, YEARS)[2] is True
    assert compare(0.53, 0.50, True, YEARS)[2] is False
    assert compare(None, 0.5, True, YEARS)[2] is True  # a share disappearing
    # two runs of one year: any changed count
    assert compare(101, 100, False, RUNS)[2] is True
    # hidden by suppression on one side: flagged between runs, not year against year
    assert compare("<5", 12, False, RUNS) == (None, None, True)
    assert compare(0.4, "<5", True, RUNS)[2] is True
    assert compare("<5", "<5", False, RUNS)[2] is False
    assert compare("<5", 12, False, YEARS)[2] is False


def test_year_over_year_columns_and_values():
    cur = {"avslutade": 96, "avslutade_andel": 0.74, "nadda": 120, "nytt": 3}
    prev = {"avslutade": 40, "avslutade_andel": 0.70, "nadda": 100, "borta": 1}
    df = year_over_year(cur, prev, YEARS).set_index("nyckel")
    assert list(df.reset_index().columns) == ["nyckel", "namn", "varde", "foregaende", "forandring",
                                              "forandring_relativ", "flagga"]
    assert df.loc["avslutade", "namn"] == "Avslutade"
    # 96 − 40 = 56 ≥ 50 and 56/40 = 140 % ≥ 10 %
    assert (df.loc["avslutade", "forandring"], df.loc["avslutade", "forandring_relativ"], df.loc["avslutade", "flagga"]) == (56, 1.4, True)
    # 0,74 − 0,70 = 4 procentenheter < 5
    assert df.loc["avslutade_andel", "forandring"] == pytest.approx(0.04) and not df.loc["avslutade_andel", "flagga"]
    assert pd.isna(df.loc["avslutade_andel", "forandring_relativ"])
    # 120 − 100 = 20: 20 % but < 50 persons
    assert df.loc["nadda", "forandring"] == 20 and not df.loc["nadda", "flagga"]
    assert pd.isna(df.loc["nytt", "foregaende"]) and pd.isna(df.loc["borta", "varde"])
    assert df.loc["avslutade", "varde"] == 96 and isinstance(df.loc["avslutade", "varde"], int)


def test_two_runs_report_exactly_the_figures_depending_on_the_changed_count(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_build(a)
    write_build(b, now=_globen_arbete(12))  # globen avslutade_arbete 10 → 12, so stad 21 → 23
    df = diff_builds(b, 2023, a, 2023, RUNS)
    changed = df[df["status"] != "="]
    assert set(changed["status"]) == {"~"}
    dependent = {"avslutade_arbete", "avslutade_ovrigt", "avslutade_studier_arbete", "arbete_andel", "studier_arbete_andel"}
    nk = changed[changed["tabell"] == "nyckeltal"]
    assert set(zip(nk["scope"], nk["rad"])) == {(s, k) for s in ("stad", "globen") for k in dependent}
    cells = changed[changed["tabell"] != "nyckeltal"]
    assert set(zip(cells["tabell"], cells["rad"], cells["kolumn"])) == {
        ("tabell_5", r, c) for r in ("Jobbtorg Globen", "Totalt")
        for c in ("arbete_antal", "arbete_andel", "studier_arbete_antal", "studier_arbete_andel")}
    assert changed["flagga"].all()
    row = nk[(nk["scope"] == "stad") & (nk["rad"] == "avslutade_ovrigt")].iloc[0]
    assert (row["varde"], row["jamfort"], row["forandring"]) == (23, 25, -2)  # 96 − 50 − 23 = 23 against 96 − 50 − 21 = 25
    share = nk[(nk["scope"] == "globen") & (nk["rad"] == "arbete_andel")].iloc[0]
    assert share["forandring"] == pytest.approx(12 / 40 - 10 / 40)  # +5 procentenheter

    pub = published_changes(b, a, 2023, load_published(DATA / "published_diff.yaml"))
    assert set(pub["id"]) == {"t5_2023_globen_arbete_antal", "t5_2023_globen_studier_arbete_andel",
                              "ar23_avslutade_arbete_text", "ar23_avslutade_arbete_okning"}
    text = pub.set_index("id").loc["ar23_avslutade_arbete_text"]
    assert (text["fore"], text["efter"]) == ("21", "23")


def test_html_is_offline_swedish_and_highlights(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_build(a)
    write_build(b, now=_globen_arbete(12))
    page = render_html(diff_builds(b, 2023, a, 2023, RUNS), "test", ("B", "A"))
    assert "<script" not in page and "http" not in page and "<link" not in page
    assert "<tr class='flagged'>" in page and "<style>" in page
    assert "30,0\u00a0%" in page  # globen arbete_andel 12/40 in B
    assert "+5,0\u00a0procentenheter" in page


def test_cli_runs(tmp_path):
    r = CliRunner()
    a, b = tmp_path / "a", tmp_path / "b"
    write_build(a)
    write_build(b, now=_globen_arbete(12))
    same = r.invoke(cli, ["diff", "--run", str(a), "--run", str(a), "--year", "2023",
                          "--published", str(DATA / "published_diff.yaml"), "--dest", str(tmp_path / "same")])
    assert same.exit_code == 0, same.output
    res = r.invoke(cli, ["diff", "--run", str(a), "--run", str(b), "--year", "2023",
                         "--published", str(DATA / "published_diff.yaml")])
    assert res.exit_code == 1, res.output
    assert "ar23_avslutade_arbete_okning" in res.output
    for name in ("diff-2023-korningar.csv", "diff-2023-korningar.html", "diff-2023-publicerade.csv"):
        assert (b / name).exists()
    csv = pd.read_csv(b / "diff-2023-korningar.csv")
    assert (csv["status"] == "~").sum() == 18  # 5 figures × 2 scopes + 4 columns × 2 rows of Tabell 5
    assert r.invoke(cli, ["diff", "--year", "2023"]).exit_code == 2  # neither --against nor --run


def test_cli_year_against_year(tmp_path):
    r = CliRunner()
    write_build(tmp_path, year=2023, now=BASE_2023, prev=BASE_2023)
    write_build(tmp_path, year=2022, now=BASE_2023, prev=BASE_2023)
    res = r.invoke(cli, ["diff", "--year", "2023", "--against", "2022", "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output  # the same numbers in both years: nothing flagged
    df = pd.read_csv(tmp_path / "diff-2023-2022.csv")
    assert set(df["status"]) == {"="}  # year columns of Tabell 1/4 line up as ar / foregaende_ar
    assert {"ar", "foregaende_ar"} <= set(df.loc[df["tabell"] == "tabell_1", "kolumn"])
    b = copy.deepcopy(BASE_2023)
    b["globen"][6] = 120  # globen inskrivna 50 → 120: +70 persons, +140 %
    write_build(tmp_path, year=2023, now=b, prev=BASE_2023)
    res = r.invoke(cli, ["diff", "--year", "2023", "--against", "2022", "--out", str(tmp_path)])
    assert res.exit_code == 1
    df = pd.read_csv(tmp_path / "diff-2023-2022.csv")
    flagged = df[df["flagga"]]
    # globen: inskrivna (+70) and avslutade_andel 40/50 → 40/120 (−46,7 procentenheter); stad:
    # inskrivna 129 → 199 (+70, +54 %) and 96/129 → 96/199 (−26,2 procentenheter); the same in Tabell 5
    assert set(zip(flagged["scope"], flagged["tabell"], flagged["rad"])) == {
        ("globen", "nyckeltal", "inskrivna"), ("globen", "nyckeltal", "avslutade_andel"),
        ("stad", "nyckeltal", "inskrivna"), ("stad", "nyckeltal", "avslutade_andel"),
        ("stad", "tabell_4", "Jobbtorg (KAA)"),
        ("stad", "tabell_5", "Jobbtorg Globen"), ("stad", "tabell_5", "Totalt")}


def test_summary_lines_print_counts_and_changes_the_swedish_way():
    from kaa_report.review.diff import COLUMNS, summary_lines

    same = {"scope": "stad", "tabell": "nyckeltal", "rad": "x", "kolumn": "varde", "namn": "", "typ": "antal",
            "varde": 1, "jamfort": 1, "forandring": 0, "forandring_relativ": 0.0, "status": "=", "flagga": False}
    # inskrivna 1 200 → 1 254: +54, +4,5 %; avslutade_andel 0,62 → 0,585: −3,5 procentenheter
    up = {**same, "rad": "inskrivna", "varde": 1254, "jamfort": 1200, "forandring": 54,
          "forandring_relativ": 54 / 1200, "status": "~", "flagga": True}
    down = {**same, "rad": "avslutade_andel", "typ": "andel", "varde": 0.585, "jamfort": 0.62,
            "forandring": 0.585 - 0.62, "forandring_relativ": None, "status": "~", "flagga": True}
    df = pd.DataFrame([same] * 1232 + [up, down], columns=COLUMNS, dtype=object)
    lines = summary_lines(df)
    nb = "\u00a0"
    assert lines[0] == f"1{nb}234 värden jämförda: 2 ändrade, 0 nya, 0 borttagna, 2 flaggade."
    assert lines[1] == f"  ⚑ stad nyckeltal inskrivna varde: 1{nb}200 → 1{nb}254 +54 +4,5{nb}%"
    assert lines[2] == f"  ⚑ stad nyckeltal avslutade_andel varde: 62,0{nb}% → 58,5{nb}% \u22123,5{nb}procentenheter"
