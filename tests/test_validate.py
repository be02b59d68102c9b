"""Validation of a register export against the data contract (kaa_report.validate.gx).

A corpus of bad exports: each case changes one thing in the small valid export
(tests/exports.py) and names the file, column and check that must fail.
"""
from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from exports import small_tables, write_small_export, write_tables

from kaa_report.contract.read import RawExport, read_raw
from kaa_report.contract.schema import COLUMNS, TABLES
from kaa_report.paths import EXPECTATIONS
from kaa_report.validate.gx import suite_dict, validate_export, validate_raw
from kaa_report.validate.rules import RULES, age_at, alder_vid_fran, clean, ej_overlapp, rule_frames, uppsok_med_forsok

NULL = "expect_column_values_to_not_be_null"
INSET = "expect_column_values_to_be_in_set"
REGEX = "expect_column_values_to_match_regex"
PNR = "expect_column_values_to_not_match_regex"
UNIQUE = "expect_column_values_to_be_unique"
COMPOUND = "expect_compound_columns_to_be_unique"


def cell(row: int, col: str, value: str):
    """Set one cell (row = 0-based frame row, i.e. data row row+1)."""
    def f(df: pd.DataFrame) -> pd.DataFrame:
        df.loc[row, col] = value
        return df
    return f


def add_row(*values: str):
    def f(df: pd.DataFrame) -> pd.DataFrame:
        return pd.concat([df, pd.DataFrame([values], columns=df.columns, dtype=str)], ignore_index=True)
    return f


def copy_row(row: int):
    return lambda df: pd.concat([df, df.iloc[[row]]], ignore_index=True)


# (id, table, change, file, column, check, data row that must be named)
CASES = [
    # personer
    ("personer-id-tom", "personer", cell(0, "person_id", ""), "personer.csv", "person_id", NULL, 1),
    ("personer-id-dubblett", "personer", cell(1, "person_id", "p01"), "personer.csv", "person_id", UNIQUE, 2),
    ("personer-id-pnr-6-4", "personer", cell(0, "person_id", "060315-1234"), "personer.csv", "person_id", PNR, 1),
    ("personer-kon-ogiltigt", "personer", cell(2, "kon", "k"), "personer.csv", "kon", INSET, 3),
    ("personer-kon-tomt", "personer", cell(2, "kon", ""), "personer.csv", "kon", NULL, 3),
    ("personer-fodelsedatum-tomt", "personer", cell(3, "fodelsedatum", ""), "personer.csv", "fodelsedatum", NULL, 4),
    ("personer-fodelsedatum-format", "personer", cell(3, "fodelsedatum", "2005-6-01"),
     "personer.csv", "fodelsedatum", REGEX, 4),
    # p02 is born 29 Feb 2004: turns 15 on 1 Mar 2019, so a period from 28 Feb 2019 is too early
    ("alder-14-vid-fran-29-feb", "registerperioder", cell(2, "fran", "2019-02-28"),
     "personer.csv", "fodelsedatum", "personer__alder_vid_fran", 2),
    # p04 born 2003-03-01 would be 20 at the period start 2023-03-01
    ("alder-20-vid-fran", "personer", cell(3, "fodelsedatum", "2003-03-01"),
     "personer.csv", "fodelsedatum", "personer__alder_vid_fran", 4),
    # registerperioder
    ("rp-id-tom", "registerperioder", cell(0, "person_id", ""), "registerperioder.csv", "person_id", NULL, 1),
    ("rp-id-saknas-i-personer", "registerperioder", cell(6, "person_id", "p99"),
     "registerperioder.csv", "person_id", "registerperioder__person_finns", 7),
    ("rp-id-pnr", "registerperioder", cell(6, "person_id", "0612011234"), "registerperioder.csv", "person_id", PNR, 7),
    ("rp-fran-tom", "registerperioder", cell(4, "fran", ""), "registerperioder.csv", "fran", NULL, 5),
    ("rp-fran-format", "registerperioder", cell(4, "fran", "10/01/2023"), "registerperioder.csv", "fran", REGEX, 5),
    ("rp-till-ej-datum", "registerperioder", cell(5, "till", "2024-02-30"), "registerperioder.csv", "till", REGEX, 6),
    ("rp-uppsok-format", "registerperioder", cell(4, "uppsok_fran", "2023-02-1"),
     "registerperioder.csv", "uppsok_fran", REGEX, 5),
    ("rp-stadsdel-okand", "registerperioder", cell(5, "stadsdel", "Gamla stan"),
     "registerperioder.csv", "stadsdel", INSET, 6),
    ("rp-till-fore-fran", "registerperioder", cell(5, "till", "2023-02-28"),
     "registerperioder.csv", "till", "registerperioder__till_efter_fran", 6),
    ("rp-uppsok-fore-fran", "registerperioder", cell(4, "uppsok_fran", "2023-01-09"),
     "registerperioder.csv", "uppsok_fran", "registerperioder__uppsok_efter_fran", 5),
    ("rp-uppsok-efter-till", "registerperioder", cell(3, "uppsok_fran", "2023-12-01"),
     "registerperioder.csv", "uppsok_fran", "registerperioder__uppsok_fore_till", 4),
    ("rp-overlapp", "registerperioder", cell(1, "fran", "2023-05-30"),
     "registerperioder.csv", "fran, till", "registerperioder__ej_overlapp", 2),
    # kontaktforsok
    ("kf-id-saknas-i-personer", "kontaktforsok", cell(0, "person_id", "p99"),
     "kontaktforsok.csv", "person_id", "kontaktforsok__person_finns", 1),
    ("kf-id-tom", "kontaktforsok", cell(0, "person_id", ""), "kontaktforsok.csv", "person_id", NULL, 1),
    ("kf-id-pnr", "kontaktforsok", cell(0, "person_id", "060315-1234"), "kontaktforsok.csv", "person_id", PNR, 1),
    ("kf-datum-tomt", "kontaktforsok", cell(2, "datum", ""), "kontaktforsok.csv", "datum", NULL, 3),
    ("kf-datum-ogiltigt", "kontaktforsok", cell(2, "datum", "2023-13-01"), "kontaktforsok.csv", "datum", REGEX, 3),
    ("kf-kanal-okand", "kontaktforsok", cell(2, "kanal", "post"), "kontaktforsok.csv", "kanal", INSET, 3),
    ("kf-kanal-tom", "kontaktforsok", cell(2, "kanal", ""), "kontaktforsok.csv", "kanal", NULL, 3),
    ("kf-initiativ-okant", "kontaktforsok", cell(2, "initiativ", "personal"),
     "kontaktforsok.csv", "initiativ", INSET, 3),
    ("kf-initiativ-tomt", "kontaktforsok", cell(2, "initiativ", ""), "kontaktforsok.csv", "initiativ", NULL, 3),
    ("kf-besvarat-ja", "kontaktforsok", cell(2, "besvarat", "ja"), "kontaktforsok.csv", "besvarat", REGEX, 3),
    ("kf-besvarat-tomt", "kontaktforsok", cell(2, "besvarat", ""), "kontaktforsok.csv", "besvarat", NULL, 3),
    ("kf-ungdom-ej-besvarat", "kontaktforsok", cell(6, "besvarat", "False"),
     "kontaktforsok.csv", "besvarat", "kontaktforsok__besvarat_vid_ungdom", 7),
    # sysselsattning
    ("sy-id-saknas-i-personer", "sysselsattning", cell(1, "person_id", "p99"),
     "sysselsattning.csv", "person_id", "sysselsattning__person_finns", 2),
    ("sy-id-tom", "sysselsattning", cell(1, "person_id", ""), "sysselsattning.csv", "person_id", NULL, 2),
    ("sy-id-pnr", "sysselsattning", cell(1, "person_id", "20071130+1234"),
     "sysselsattning.csv", "person_id", PNR, 2),
    ("sy-datum-tomt", "sysselsattning", cell(1, "datum", ""), "sysselsattning.csv", "datum", NULL, 2),
    ("sy-datum-ogiltigt", "sysselsattning", cell(1, "datum", "2023-00-10"), "sysselsattning.csv", "datum", REGEX, 2),
    ("sy-sysselsattning-okand", "sysselsattning", cell(1, "sysselsattning", "skola"),
     "sysselsattning.csv", "sysselsattning", INSET, 2),
    ("sy-sysselsattning-tom", "sysselsattning", cell(1, "sysselsattning", ""),
     "sysselsattning.csv", "sysselsattning", NULL, 2),
    # insatser
    ("in-id-saknas-i-personer", "insatser", cell(7, "person_id", "p99"),
     "insatser.csv", "person_id", "insatser__person_finns", 8),
    ("in-id-tom", "insatser", cell(7, "person_id", ""), "insatser.csv", "person_id", NULL, 8),
    ("in-id-pnr", "insatser", cell(7, "person_id", "20061201-1234"), "insatser.csv", "person_id", PNR, 8),
    ("in-verksamhet-okand", "insatser", cell(4, "verksamhet", "jobbtorget"), "insatser.csv", "verksamhet", INSET, 5),
    ("in-verksamhet-tom", "insatser", cell(4, "verksamhet", ""), "insatser.csv", "verksamhet", NULL, 5),
    ("in-inskriven-tom", "insatser", cell(4, "inskriven", ""), "insatser.csv", "inskriven", NULL, 5),
    ("in-inskriven-ogiltig", "insatser", cell(4, "inskriven", "2023-04-31"), "insatser.csv", "inskriven", REGEX, 5),
    ("in-avslutad-ogiltig", "insatser", cell(4, "avslutad", "29/02/2024"), "insatser.csv", "avslutad", REGEX, 5),
    ("in-avslutad-fore-inskriven", "insatser", cell(0, "avslutad", "2023-01-31"),
     "insatser.csv", "avslutad", "insatser__avslutad_efter_inskriven", 1),
    ("in-avslutsorsak-okand", "insatser", cell(0, "avslutsorsak", "klar"), "insatser.csv", "avslutsorsak", INSET, 1),
    ("in-avslutsorsak-saknas-vid-avslut", "insatser", cell(0, "avslutsorsak", ""),
     "insatser.csv", "avslutsorsak", "insatser__avslutsorsak_tom_utan_avslut", 1),
    ("in-avslutsorsak-utan-avslut", "insatser", cell(1, "avslutsorsak", "arbete"),
     "insatser.csv", "avslutsorsak", "insatser__avslutsorsak_tom_utan_avslut", 2),
    ("in-kvar-i-studier-ej-skolavhopp", "insatser", cell(0, "avslutsorsak", "kvar_i_studier"),
     "insatser.csv", "avslutsorsak", "insatser__kvar_i_studier_bara_skolavhopp", 1),
    ("in-overlapp-samma-verksamhet", "insatser", cell(3, "inskriven", "2023-09-29"),
     "insatser.csv", "inskriven, avslutad", "insatser__ej_overlapp", 4),
    # enkat
    ("en-ar-ej-heltal", "enkat", cell(0, "ar", "tjugo"), "enkat.csv", "ar", REGEX, 1),
    ("en-ar-tomt", "enkat", cell(0, "ar", ""), "enkat.csv", "ar", NULL, 1),
    ("en-svar-id-tomt", "enkat", cell(0, "svar_id", ""), "enkat.csv", "svar_id", NULL, 1),
    ("en-fraga-tom", "enkat", cell(0, "fraga", ""), "enkat.csv", "fraga", NULL, 1),
    ("en-svar-6", "enkat", cell(2, "svar", "6"), "enkat.csv", "svar", REGEX, 3),
    ("en-dubblett", "enkat", cell(1, "svar_id", "s1"), "enkat.csv", "ar, svar_id, fraga", COMPOUND, 2),
    # befolkning
    ("be-ar-tomt", "befolkning", cell(0, "ar", ""), "befolkning.csv", "ar", NULL, 1),
    ("be-ar-ej-heltal", "befolkning", cell(0, "ar", "2023.5"), "befolkning.csv", "ar", REGEX, 1),
    ("be-stadsdel-tom", "befolkning", cell(0, "stadsdel", ""), "befolkning.csv", "stadsdel", NULL, 1),
    ("be-stadsdel-okand", "befolkning", cell(0, "stadsdel", "Solna"), "befolkning.csv", "stadsdel", INSET, 1),
    ("be-kon-ogiltigt", "befolkning", cell(0, "kon", "X"), "befolkning.csv", "kon", INSET, 1),
    ("be-kon-tomt", "befolkning", cell(0, "kon", ""), "befolkning.csv", "kon", NULL, 1),
    ("be-antal-negativt", "befolkning", cell(0, "antal_16_19", "-5"), "befolkning.csv", "antal_16_19", REGEX, 1),
    ("be-antal-tomt", "befolkning", cell(0, "antal_16_19", ""), "befolkning.csv", "antal_16_19", NULL, 1),
    ("be-dubblett", "befolkning", copy_row(3), "befolkning.csv", "ar, stadsdel, kon", COMPOUND, 4),
]


def _person_ids(data: Path) -> set[str]:
    ids = set()
    for t in TABLES:
        df = pd.read_csv(data / f"{t}.csv", dtype=str, keep_default_na=False)
        if "person_id" in df:
            ids |= {v for v in df["person_id"] if v}
    return ids


@pytest.fixture(scope="module")
def valid_report(tmp_path_factory):
    data = write_small_export(tmp_path_factory.mktemp("valid"))
    return validate_export(data)


def test_small_valid_export_passes(valid_report):
    assert valid_report.ok, valid_report.summary()
    assert valid_report.failures == []
    assert valid_report.warnings == []
    assert "0 fel" in valid_report.summary()


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_export_fails_with_file_column_and_rule(tmp_path, case):
    _, table, change, file, column, check, row = case
    data = write_small_export(tmp_path, **{table: change})
    report = validate_export(data)
    assert not report.ok
    hits = [f for f in report.failures if (f.file, f.column, f.check) == (file, column, check)]
    assert hits, report.summary()
    f = hits[0]
    assert f.rule and f.count >= 1
    assert row in f.rows
    line = f.line()
    assert file in line and column in line and f.rule in line
    assert line in report.summary()
    # never a person_id in what the report says
    text = report.summary()
    assert not any(pid in text for pid in _person_ids(data)), text


def test_corpus_breaks_every_rule_at_least_once():
    """Every expectation of every suite (except column presence and the warning-level
    ones, tested separately) is broken by some case of the corpus."""
    broken = {(c[3], c[4], c[5]) for c in CASES}
    for name in (*TABLES, "regler"):
        for e in suite_dict(name)["expectations"]:
            if e.get("severity") == "warning" or e["type"] == "expect_table_columns_to_match_set":
                continue
            kw = e["kwargs"]
            if name == "regler":
                key = (e["meta"]["fil"] + ".csv", e["meta"]["kolumn"], kw["column"])
            else:
                col = kw.get("column") or ", ".join(kw["column_list"])
                key = (f"{name}.csv", col, e["type"])
            assert key in broken, f"no bad-export case for {key}"


def test_identifying_columns_give_row_numbers_not_values(tmp_path):
    data = write_small_export(
        tmp_path,
        personer=lambda df: df.assign(fodelsedatum=df["fodelsedatum"].where(df.index != 1, "2004-02-30"))
                             .assign(person_id=df["person_id"].where(df.index != 0, "19900101-1234")),
    )
    report = validate_export(data)
    pnr = next(f for f in report.failures if f.check == PNR)
    assert pnr.examples == ["rad 1"]
    born = next(f for f in report.failures if f.column == "fodelsedatum" and f.check == REGEX)
    assert born.examples == ["rad 2"]
    assert "19900101-1234" not in report.summary() and "2004-02-30" not in report.summary()


def test_values_that_may_identify_are_given_as_row_numbers(tmp_path):
    """A column shift can put ids in any column: a person_id or birth date of the export,
    or a value with 6+ digits in a row, is never quoted, wherever it stands."""
    data = write_small_export(tmp_path, insatser=lambda df: df.assign(
        verksamhet=["p03", "19900101-1234", "aim2", "2006-03-15", "jobbtorg", "x200603151", "skolavhopp",
                    "2023-03-15"]))
    f = next(f for f in validate_export(data).failures if f.column == "verksamhet")
    assert f.examples == ["rad 1", "rad 2", '"aim2"', "rad 4", "rad 6"]
    assert f.count == 6


def test_other_columns_give_distinct_values_as_examples(tmp_path):
    kanaler = ["post", "fax", "post", "duva", "rop", "brevduva", "tutor"]
    data = write_small_export(tmp_path, kontaktforsok=lambda df: df.assign(
        kanal=kanaler + list(df["kanal"][len(kanaler):])))
    f = next(f for f in validate_export(data).failures if f.column == "kanal")
    assert f.count == 7
    assert f.examples == ['"post"', '"fax"', '"duva"', '"rop"', '"brevduva"']  # 5 distinct, file order
    assert f.rows == [1, 2, 3, 4, 5]


def _regex(table: str, column: str, type_: str = REGEX) -> re.Pattern:
    """The regex of a suite's expectation (the patterns use only syntax that Python's re
    and pyarrow's RE2 read alike)."""
    e = next(e for e in suite_dict(table)["expectations"]
             if e["type"] == type_ and e["kwargs"].get("column") == column)
    return re.compile(e["kwargs"]["regex"])


@pytest.mark.parametrize("value, looks_like_pnr", [
    ("060315-1234", True), ("060315+1234", True), ("0603151234", True),
    ("20060315-1234", True), ("200603151234", True), ("20060315+1234", True),
    ("123456789", False), ("12345678901", False), ("x060315-1234", False), ("060315-12345", False),
    ("0603151234a", False), ("060315/1234", False), ("0603-151234", False), ("p01", False),
])
def test_personnummer_pattern_is_whole_value_only(value, looks_like_pnr):
    """6 or 8 digits, an optional - or +, and 4 digits, as the WHOLE value."""
    for t in ("personer", "registerperioder", "kontaktforsok", "sysselsattning", "insatser"):
        assert bool(_regex(t, "person_id", PNR).search(value)) is looks_like_pnr


@pytest.mark.parametrize("value, ok", [
    ("2023-01-31", True), ("2023-04-30", True), ("2023-04-31", False), ("2023-02-28", True),
    ("2023-02-29", False), ("2024-02-29", True), ("2000-02-29", True), ("1900-02-29", False),
    ("2100-02-29", False), ("2023-12-31", True), ("2023-13-01", False), ("2023-00-10", False),
    ("2023-01-00", False), ("2023-1-05", False), ("23-01-05", False), ("2023-01-05 00:00:00", False),
    ("2023/01/05", False), ("05.01.2023", False),
])
def test_date_pattern_is_iso_and_a_real_day(value, ok):
    for t, c in [("personer", "fodelsedatum"), ("registerperioder", "till"), ("insatser", "avslutad")]:
        assert bool(_regex(t, c).search(value)) is ok


@pytest.mark.parametrize("table, column, good, bad", [
    ("kontaktforsok", "besvarat", ["true", "false", "TRUE", "False", "fAlSe"], ["ja", "1", "sant", "true "]),
    ("enkat", "svar", ["1", "3", "5"], ["0", "6", "4.5", "-1", "10"]),
    ("enkat", "ar", ["2023"], ["23", "2023.0", "tjugo"]),
    ("befolkning", "antal_16_19", ["0", "12", "15000"], ["-5", "12.5", "1 200", "tolv"]),
])
def test_value_patterns(table, column, good, bad):
    rx = _regex(table, column)
    assert [bool(rx.search(v)) for v in good] == [True] * len(good)
    assert [bool(rx.search(v)) for v in bad] == [False] * len(bad)


def test_missing_column_is_named(tmp_path):
    raw = read_raw(write_small_export(tmp_path))
    tables = dict(raw.tables)
    tables["insatser"] = tables["insatser"].drop(columns=["avslutsorsak"])
    report = validate_raw(RawExport(tables=tables, files=raw.files))
    f = [f for f in report.failures if f.file == "insatser.csv" and f.column == "avslutsorsak"]
    assert [x.check for x in f] == ["expect_table_columns_to_match_set"]
    assert "saknas" in f[0].rule


def test_missing_file_is_a_failed_report_not_an_exception(tmp_path):
    data = write_small_export(tmp_path)
    (data / "enkat.csv").unlink()
    report = validate_export(data)
    assert not report.ok
    assert [f.check for f in report.failures] == ["read"]
    assert "enkat.csv" in report.failures[0].rule
    assert report.summary().splitlines()[-1] == "Exporten kunde inte läsas (the export could not be read)."


def test_unknown_column_is_a_warning(tmp_path):
    data = write_small_export(tmp_path, sysselsattning=lambda df: df.assign(kommentar="x"))
    report = validate_export(data)
    assert report.ok
    assert any("sysselsattning" in w and "kommentar" in w for w in report.warnings)
    # the same warning via validate_raw on frames not from the reader
    raw = read_raw(data)
    report2 = validate_raw(RawExport(tables=raw.tables, files=raw.files))
    assert report2.ok
    assert report2.warnings == ["sysselsattning.csv: okända kolumner ignoreras: 'kommentar'"]


def test_kaa_attempt_outside_uppsok_is_a_warning(tmp_path):
    # p04 is never under uppsök; a kaa attempt to them is dated outside uppsök
    data = write_small_export(tmp_path, kontaktforsok=add_row("p04", "2023-05-01", "brev", "kaa", "false"))
    report = validate_export(data)
    assert report.ok, report.summary()
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith("kontaktforsok.csv, kolumn datum")
    assert "rad 10" in report.warnings[0]


def test_uppsok_without_attempt_is_a_warning(tmp_path):
    # p06 (row 8 of kontaktforsok) is under uppsök 2023-12-15 → 2024-03-31 (last date of
    # the export): 108 days of 2024; without their contact that is a warning
    data = write_small_export(tmp_path, kontaktforsok=lambda df: df.drop(index=7))
    report = validate_export(data)
    assert report.ok, report.summary()
    assert len(report.warnings) == 1
    assert report.warnings[0].startswith("registerperioder.csv, kolumn uppsok_fran")
    assert "rad 7" in report.warnings[0]


def _frames(**tables: list[tuple]) -> dict[str, pd.DataFrame]:
    out = {t: pd.DataFrame([], columns=list(c), dtype=str) for t, c in COLUMNS.items()}
    for t, rows in tables.items():
        out[t] = pd.DataFrame(rows, columns=list(COLUMNS[t]), dtype=str)
    return {t: clean(df) for t, df in out.items()}


@pytest.mark.parametrize("till, expected", [("2023-01-30", True), ("2023-01-31", False)])
def test_uppsok_30_days_allowed_31_not(till, expected):
    """1-30 Jan is 30 days under uppsök (fine without contact); 1-31 Jan is 31."""
    t = _frames(registerperioder=[("a", "2023-01-01", till, "", "2023-01-01")],
                kontaktforsok=[("b", "2023-01-05", "brev", "kaa", "false")])
    assert uppsok_med_forsok(t).tolist() == [expected]


def test_uppsok_counted_per_operating_year():
    """20 days in Y-1 (11-30 Nov 2022) + 20 in Y (1-20 Dec 2022, operating year 2023):
    neither year exceeds 30 days; a contact in either year is not needed."""
    t = _frames(registerperioder=[("a", "2022-11-11", "2022-12-20", "", "2022-11-11")],
                kontaktforsok=[("b", "2023-01-05", "brev", "kaa", "false")])
    assert uppsok_med_forsok(t).tolist() == [True]
    # 40 days in 2023 with a contact dated in operating year 2023 (1 Dec 2022 counts)
    t = _frames(registerperioder=[("a", "2022-12-01", "2023-01-09", "", "2022-12-01")],
                kontaktforsok=[("a", "2022-12-24", "sms", "kaa", "false")])
    assert uppsok_med_forsok(t).tolist() == [True]


def test_age_at_29_february_birthday():
    born = pd.to_datetime(pd.Series(["2004-02-29"] * 5))
    day = pd.to_datetime(pd.Series(["2019-02-28", "2019-03-01", "2020-02-28", "2020-02-29", "2024-02-29"]))
    assert age_at(born, day).tolist() == [14, 15, 15, 16, 20]
    born = pd.to_datetime(pd.Series(["2005-06-01", "2005-06-01"]))
    day = pd.to_datetime(pd.Series(["2020-05-31", "2020-06-01"]))
    assert age_at(born, day).tolist() == [14, 15]


@pytest.mark.parametrize("born, ok", [("2003-03-02", True), ("2003-03-01", False),
                                      ("2008-03-01", True), ("2008-03-02", False)])
def test_age_15_to_19_at_period_start(born, ok):
    """A period starting 2023-03-01: born 2003-03-02 is 19 that day (ok), 2003-03-01 is 20;
    born 2008-03-01 turns 15 that day (ok), 2008-03-02 is still 14."""
    t = _frames(personer=[("a", "K", born)], registerperioder=[("a", "2023-03-01", "", "", "")])
    assert alder_vid_fran(t).tolist() == [ok]


def test_overlap_rule_touching_allowed_open_end_overlaps():
    df = clean(pd.DataFrame({
        "k": ["a", "a", "a", "b", "b", "c", "c"],
        "s": ["2023-01-01", "2023-02-01", "2023-03-01", "2023-01-01", "2023-06-01", "2023-01-01", "2023-01-01"],
        "e": ["2023-02-01", "2023-03-01", "", "", "2023-07-01", "2023-01-01", "2023-01-05"],
    }))
    # a: each touches the next; b: open period, a later one overlaps it;
    # c: a one-day period and one starting the same day: touching
    assert ej_overlapp(df, ["k"], "s", "e").tolist() == [True, True, True, True, False, True, True]
    df2 = clean(pd.DataFrame({"k": ["a", "a"], "s": ["2023-03-01", "2023-01-01"], "e": ["2023-03-10", "2023-03-02"]}))
    assert ej_overlapp(df2, ["k"], "s", "e").tolist() == [False, True]  # file order does not matter


def test_rule_frame_matches_rules_suite():
    """Every column of the rule frames has exactly one expectation in regler.json and back,
    in the frame of the table the expectation names."""
    suite = suite_dict("regler")
    assert [e["kwargs"]["column"] for e in suite["expectations"]] == list(RULES)
    for e in suite["expectations"]:
        assert e["kwargs"]["value_set"] == [True]
        assert e["meta"]["fil"] == RULES[e["kwargs"]["column"]][0]
    frames = rule_frames({t: clean(df) for t, df in small_tables().items()})
    assert [c for f in frames.values() for c in f.columns] == [n for t in frames for n in RULES if RULES[n][0] == t]
    assert sorted(c for f in frames.values() for c in f.columns) == sorted(RULES)
    for table, frame in frames.items():
        assert all(RULES[c][0] == table for c in frame.columns)
        assert frame.index.equals(clean(small_tables()[table]).index)
        assert not (frame == False).any().any()  # noqa: E712


def test_suites_name_only_contract_columns():
    for t in TABLES:
        suite = json.loads((EXPECTATIONS / f"{t}.json").read_text(encoding="utf-8"))
        assert suite["name"] == t
        for e in suite["expectations"]:
            kw = e["kwargs"]
            cols = [kw["column"]] if "column" in kw else kw.get("column_list", kw.get("column_set", []))
            assert set(cols) <= set(COLUMNS[t]), (t, e["type"])
            assert e["meta"]["regel"]


def test_stadsdelar_come_from_params(tmp_path):
    params = tmp_path / "params"
    params.mkdir()
    (params / "jobbtorg.yml").write_text(
        "saknar_stadsdel: {namn: Saknar stadsdel, slug: saknar-stadsdel}\n"
        "mappings:\n  - fran_ar: 2000\n    jobbtorg:\n"
        "      - {slug: syd, namn: KAA Syd, stadsdelar: [Farsta, Södermalm]}\n"
        "      - {slug: nord, namn: KAA Nord, stadsdelar: [Bromma, Rinkeby-Kista, Skärholmen, Hässelby-Vällingby]}\n",
        encoding="utf-8")
    # Norrmalm is a stadsdel by default, not in this mapping
    raw = read_raw(write_small_export(tmp_path / "data", registerperioder=cell(5, "stadsdel", "Norrmalm")))
    report = validate_raw(raw, params_dir=params)
    rp = [f for f in report.failures if f.file == "registerperioder.csv" and f.column == "stadsdel"]
    assert [(f.examples, f.rows) for f in rp] == [(['"Norrmalm"'], [6])]
    be = next(f for f in report.failures if f.file == "befolkning.csv" and f.column == "stadsdel")
    # 13 default stadsdelar, 6 in the new mapping: 7 x 2 kon x 2 years
    assert be.count == 28
    assert be.examples == ['"Enskede-Årsta-Vantör"', '"Hägersten-Älvsjö"', '"Kungsholmen"', '"Norrmalm"',
                           '"Skarpnäck"']


def test_data_docs_written_without_personal_data(tmp_path):
    data = write_small_export(tmp_path / "data", personer=cell(0, "person_id", "19900101-1234"),
                              registerperioder=cell(0, "person_id", "19900101-1234"))
    docs = tmp_path / "out" / "validation"
    report = validate_export(data, docs_dir=docs)
    assert not report.ok
    assert (docs / "index.html").is_file()
    pages = [p for p in docs.rglob("*.html")]
    assert pages == [docs / "index.html"]  # one page, the project's own (no GX Data Docs)
    text = pages[0].read_text(encoding="utf-8")
    assert "<html lang='sv'>" in text and "<script" not in text and "<link" not in text
    assert "http" not in text  # nothing from a CDN
    assert "personer.csv" in text and "bryts" in text
    for p in pages:
        text = p.read_text(encoding="utf-8")
        assert "19900101-1234" not in text and "p02" not in text and "2004-02-29" not in text, p


def test_cli_exit_1_readable_message_no_traceback(tmp_path):
    data = write_small_export(tmp_path / "data", insatser=cell(0, "verksamhet", "okänd"))
    exe = Path(sys.executable).with_name("kaa-report")
    r = subprocess.run([str(exe), "validate", "--data", str(data), "--out", str(tmp_path / "out")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr + r.stdout
    assert 'insatser.csv, kolumn verksamhet: verksamhet ska vara en av' in r.stderr
    assert '"okänd"' in r.stderr


def test_cli_exit_0_on_valid_export(tmp_path):
    from click.testing import CliRunner

    from kaa_report.cli import cli

    data = write_small_export(tmp_path / "data")
    r = CliRunner().invoke(cli, ["validate", "--data", str(data), "--out", str(tmp_path / "out")])
    assert r.exit_code == 0, r.output
    assert "följer datakontraktet" in r.output
    assert (tmp_path / "out" / "validation" / "index.html").is_file()


@pytest.mark.skipif(importlib.util.find_spec("kaa_report.synth") is None,
                    reason="kaa_report.synth is not written yet")
def test_synthetic_export_validates(request):
    synth_dir = request.getfixturevalue("synth_dir")  # conftest: `kaa-report synth`, default seed
    report = validate_export(synth_dir)
    assert report.ok, report.summary()
    assert not report.warnings, report.warnings[:5]


def test_write_tables_round_trip(tmp_path):
    tables = small_tables()
    raw = read_raw(write_tables(tmp_path, tables))
    for t in TABLES:
        pd.testing.assert_frame_equal(raw.tables[t].reset_index(drop=True).astype(str),
                                      tables[t].astype(str), check_dtype=False)


# ------------------------------------------------ touching intervals (contract 1.4)
# Days: c = 2024-01-26 < d = 2025-10-28 < d1 = 2025-10-29 < e = 2025-11-15; "" = open.
# Worked out by hand from the contract's rule: two intervals touch when the only day they
# share is the end day of one and the start day of the other; any other shared day is an
# overlap. Each case lists intervals of one person; `ok` says whether the contract allows it.
_C, _D, _D1, _E = "2024-01-26", "2025-10-28", "2025-10-29", "2025-11-15"
TOUCH_CASES = [
    # accepted
    ("issue-example", [(_C, _D), (_D, _D), (_D, "")], True),       # every pair shares only d
    ("one-day-after", [(_C, _D), (_D, _D)], True),                  # [d, d] beside [c, d]
    ("one-day-before", [(_D, _D), (_D, _E)], True),                 # [d, d] beside [d, e]
    ("several-meet-on-d", [(_C, _D), (_D, _D), (_D, _D), (_D, _E)], True),
    ("identical-one-day", [(_D, _D), (_D, _D)], True),
    ("plain-touch", [(_C, _D), (_D, _E)], True),
    ("touch-open", [(_C, _D), (_D, "")], True),
    ("one-day-then-open", [(_D, _D), (_D, "")], True),
    ("apart", [(_C, _C), (_D, _E)], True),
    # rejected
    ("one-day-inside", [(_C, _E), (_D, _D)], False),                # d is neither end nor start of [c, e]
    ("one-day-inside-open", [(_C, ""), (_D, _D)], False),
    ("one-day-at-start-of-longer-and-inside-other", [(_C, _E), (_D, _D), (_D, _E)], False),
    ("share-two-days", [(_C, _D1), (_D, _E)], False),               # share d and d1
    ("identical-long", [(_C, _D), (_C, _D)], False),
    ("same-start", [(_D, _D1), (_D, _E)], False),                   # share d and d1
    ("same-end", [(_C, _E), (_D, _E)], False),
    ("two-open", [(_D, ""), (_E, "")], False),
    ("open-then-one-day-later", [(_D, ""), (_E, _E)], False),
    ("meet-on-d-plus-overlap", [(_C, _D), (_D, _D), (_D, _E), (_D1, _E)], False),
]


def _orders(n: int):
    """Every file order of n rows (n <= 4 here: at most 24)."""
    import itertools
    return list(itertools.permutations(range(n)))


@pytest.mark.parametrize("name, intervals, ok", TOUCH_CASES, ids=[c[0] for c in TOUCH_CASES])
def test_touching_intervals_in_every_file_order(name, intervals, ok):
    for order in _orders(len(intervals)):
        rows = [intervals[i] for i in order]
        df = clean(pd.DataFrame({"k": ["a"] * len(rows), "s": [r[0] for r in rows], "e": [r[1] for r in rows]}))
        res = ej_overlapp(df, ["k"], "s", "e").tolist()
        assert (all(res) if ok else not all(res)), (name, rows, res)


@pytest.mark.parametrize("name, intervals, ok", [c for c in TOUCH_CASES if c[0] in
                         ("issue-example", "several-meet-on-d", "identical-one-day", "one-day-inside", "share-two-days")],
                         ids=lambda v: v if isinstance(v, str) else "")
@pytest.mark.parametrize("reverse", [False, True], ids=["file-order", "reversed"])
def test_touching_intervals_through_validate(tmp_path, name, intervals, ok, reverse):
    """Register periods of p04 and jobbtorg rows of p04 with the case's intervals, in both
    file orders, through the whole validation (GX suites and the rules suite)."""
    ivs = list(reversed(intervals)) if reverse else intervals
    # p04 is born 2005-06-01 (20 in 2025); born 2007-06-01 they are 15-18 at every start used.
    def personer(df):
        df.loc[3, "fodelsedatum"] = "2007-06-01"
        return df

    def rp(df):
        df = df[df["person_id"] != "p04"]
        new = pd.DataFrame([("p04", s, e, "Södermalm", "") for s, e in ivs], columns=df.columns, dtype=str)
        return pd.concat([df, new], ignore_index=True)

    def ins(df):
        df = df[~((df["person_id"] == "p04") & (df["verksamhet"] == "jobbtorg"))]
        new = pd.DataFrame([("p04", "jobbtorg", s, e, "ovrigt" if e else "") for s, e in ivs],
                           columns=df.columns, dtype=str)
        return pd.concat([df, new], ignore_index=True)

    for table, change in (("registerperioder", rp), ("insatser", ins)):
        data = write_small_export(tmp_path / f"{table}-{reverse}", personer=personer, **{table: change})
        report = validate_export(data)
        checks = {f.check for f in report.failures}
        assert report.ok == ok, (table, report.summary())
        if not ok:
            assert checks == {f"{table}__ej_overlapp"}, report.summary()


def test_gx_is_imported_without_modules_it_does_not_need_here():
    """import_gx leaves altair and scipy.stats unimported (GX's registry imports them for
    expectations this project does not use); any later import of them is the real one."""
    code = (
        "import sys\n"
        "from kaa_report.validate.gx import _NotLoaded, import_gx\n"
        "gx = import_gx()\n"
        "assert 'altair' not in sys.modules and 'scipy.stats' not in sys.modules\n"
        "assert gx.get_context(mode='ephemeral') is not None\n"
        "from scipy import stats\n"
        "assert stats.norm.cdf(0) == 0.5\n"
        "try:\n"
        "    _NotLoaded('altair').Chart\n"
        "except ImportError as e:\n"
        "    assert 'altair.Chart' in str(e)\n"
        "else:\n"
        "    raise AssertionError('a stand-in must fail on use')\n"
        "print('ok')\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == "ok"
