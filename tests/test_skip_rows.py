"""--skip-invalid-rows (data contract 1.4): rows breaking a row-level rule are set aside
with every row of their person; table-level faults and too many persons still stop the run."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import kaa
from exports import write_small_export
from planted import cleaned, plant

from kaa_report.contract.export import to_typed
from kaa_report.contract.read import read_raw
from kaa_report.contract.run import resolve_run
from kaa_report.errors import KaaError
from kaa_report.exhibits.figures import all_scope_figures
from kaa_report.paths import PARAMS
from kaa_report.validate.avvisade import apply, max_andel_personer, plan, radspann, skip_invalid_rows
from kaa_report.validate.gx import validate_raw


def _params(tmp_path: Path, max_andel) -> Path:
    d = tmp_path / "params"
    shutil.copytree(PARAMS, d)
    (d / "validation.yml").write_text(f"max_andel_personer: {max_andel}\n", encoding="utf-8")
    return d


def _faulty_small(tmp_path: Path) -> Path:
    """The small export with: p02's second contact attempt through channel "fax" (row 4 of
    kontaktforsok), an insatser row without person_id (new row 9) and an enkat answer 9
    (row 6)."""
    def kf(df):
        df.loc[3, "kanal"] = "fax"
        return df

    def ins(df):
        return pd.concat([df, pd.DataFrame([["", "aim", "2023-03-01", "", ""]], columns=df.columns)],
                         ignore_index=True)

    def en(df):
        df.loc[5, "svar"] = "9"
        return df

    return write_small_export(tmp_path / "faulty", kontaktforsok=kf, insatser=ins, enkat=en)


def test_plan_sets_aside_the_person_and_lone_rows(tmp_path):
    raw = read_raw(_faulty_small(tmp_path))
    report = validate_raw(raw, all_rows=True)
    av = plan(raw, report, 0.5)
    # by hand (tests/exports.py): p02 has 1 personer row, 2 register periods, 2 attempts
    # (rows 3-4), no sysselsattning and no insatser; the row without person_id goes alone,
    # and so does the enkat answer.
    assert av.antal_personer == 1
    assert av.personer_i_exporten == 6
    assert av.rader_per_tabell == {"personer": 1, "registerperioder": 2, "kontaktforsok": 2, "sysselsattning": 0,
                                   "insatser": 1, "enkat": 1, "befolkning": 0}
    by_table = {r.tabell: r for r in av.regler}
    assert by_table["kontaktforsok"].rader == (4,) and by_table["kontaktforsok"].personer == 1
    assert by_table["insatser"].rader == (9,) and by_table["insatser"].personer == 0
    assert by_table["enkat"].rader == (6,)
    kept = apply(raw, av)
    assert "p02" not in set(kept.tables["registerperioder"]["person_id"])
    assert list(kept.tables["kontaktforsok"].index + 1) == [1, 2, 5, 6, 7, 8, 9]  # file rows kept
    assert validate_raw(kept).ok
    # what is written never names a person
    text = av.summary() + av.frame().to_csv() + json.dumps(av.manifest())
    assert "p02" not in text and "p0" not in text


def test_limit_of_persons(tmp_path):
    """6 persons: 0.01 allows floor(0.06) = 0 persons, 0.2 allows 1 (p02)."""
    raw = read_raw(_faulty_small(tmp_path))
    report = validate_raw(raw, all_rows=True)
    with pytest.raises(KaaError, match="för många personer"):
        skip_invalid_rows(raw, report, _params(tmp_path / "a", 0.01))
    assert skip_invalid_rows(raw, report, _params(tmp_path / "b", 0.2)).antal_personer == 1
    assert max_andel_personer(PARAMS) == 0.01


def test_rows_without_a_person_need_no_allowance(tmp_path):
    def en(df):
        df.loc[5, "svar"] = "9"
        return df
    raw = read_raw(write_small_export(tmp_path / "e", enkat=en))
    av = skip_invalid_rows(raw, validate_raw(raw, all_rows=True), _params(tmp_path, 0.0))
    assert av.antal_personer == 0 and av.rader_per_tabell["enkat"] == 1


@pytest.mark.parametrize("bad", ["0.5x", "1.5", "-0.1", "true"])
def test_limit_must_be_a_share(tmp_path, bad):
    with pytest.raises(KaaError, match="max_andel_personer"):
        max_andel_personer(_params(tmp_path, bad))


def test_table_level_fault_stays_fatal(tmp_path):
    data = write_small_export(tmp_path / "m", insatser=lambda df: df.drop(columns=["avslutsorsak"]))
    p = kaa("validate", "--data", str(data), "--out", str(tmp_path / "o"), "--skip-invalid-rows", check=False)
    assert p.returncode == 1
    assert "kolumn" in p.stderr and "avslutsorsak" in p.stderr


def test_validate_command_with_and_without_flag(tmp_path):
    data = _faulty_small(tmp_path)
    p = kaa("validate", "--data", str(data), "--out", str(tmp_path / "o"), check=False)
    assert p.returncode == 1
    # the default limit (0.01 of 6 persons) allows nobody: the flag cannot help here
    p = kaa("validate", "--data", str(data), "--out", str(tmp_path / "o"), "--skip-invalid-rows", check=False)
    assert p.returncode == 1 and "för många personer" in p.stderr


def test_radspann():
    assert radspann([9, 3, 4, 5, 12, 11]) == "3-5, 9, 11-12"
    assert radspann([]) == ""


def test_one_rule_in_40000_rows_is_one_line(tmp_path):
    """A rule broken in 40 000 rows: one line with the count and five examples."""
    def kf(df):
        extra = pd.DataFrame([["p01", "2023-01-13", "fax", "kaa", "false"]] * 40_000, columns=df.columns)
        return pd.concat([df, extra], ignore_index=True)
    report = validate_raw(read_raw(write_small_export(tmp_path / "big", kontaktforsok=kf)))
    lines = [line for line in report.summary().splitlines() if line.startswith("FEL")]
    assert len(lines) == 1
    assert "40\u00a0000 rader" in lines[0] and lines[0].count('"fax"') == 1


def test_badly_broken_export_fits_one_screen(tmp_path):
    """Every column of every person table broken: the summary stays within 50 lines."""
    def trash(df):
        return df.apply(lambda c: c.map(lambda v: "??"))
    data = write_small_export(tmp_path / "bad", **{t: trash for t in
                              ("personer", "registerperioder", "kontaktforsok", "sysselsattning", "insatser",
                               "enkat", "befolkning")})
    report = validate_raw(read_raw(data))
    assert len(report.failures) > 20
    assert len(report.summary().splitlines()) <= 50
    assert "regler till" in report.summary()


# ------------------------------------------------------------ planted faults, real builds

@pytest.fixture(scope="module")
def planted(tmp_path_factory, synth_dir):
    d = tmp_path_factory.mktemp("planted")
    info = plant(synth_dir, d / "export")
    cleaned(d / "export", d / "cleaned", info)
    return d, info


def test_planted_export_is_refused_without_the_flag(planted, tmp_path):
    d, _ = planted
    out = tmp_path / "out"
    p = kaa("build", "--data", str(d / "export"), "--year", "2023", "--out", str(out), "--no-pdf", check=False)
    assert p.returncode == 1 and not out.exists()


def test_figures_with_flag_equal_figures_of_cleaned_copy_every_scope(planted):
    d, info = planted
    raw = read_raw(d / "export")
    av = skip_invalid_rows(raw, validate_raw(raw, all_rows=True))
    assert av.antal_personer == len(info.persons)
    scopes = resolve_run(2023, PARAMS).scopes
    got = all_scope_figures(to_typed(apply(raw, av)), 2023, scopes, PARAMS)
    want = all_scope_figures(to_typed(read_raw(d / "cleaned")), 2023, scopes, PARAMS)
    full = all_scope_figures(to_typed(read_raw(d / "cleaned")), 2023, ["stad"], PARAMS)
    for s in scopes:
        assert got[s].nyckeltal == want[s].nyckeltal, s
        assert got[s].nyckeltal_prev == want[s].nyckeltal_prev, s
    assert full["stad"].nyckeltal["omfattade"] > 0


def test_build_with_flag_equals_build_of_cleaned_copy(planted, tmp_path):
    d, info = planted
    flag, clean = tmp_path / "flag", tmp_path / "clean"
    p = kaa("build", "--data", str(d / "export"), "--year", "2023", "--out", str(flag), "--skip-invalid-rows")
    kaa("build", "--data", str(d / "cleaned"), "--year", "2023", "--out", str(clean), "--no-pdf")
    assert "Åt sidan med --skip-invalid-rows" in p.stderr
    a, b = flag / "2023" / "stad", clean / "2023" / "stad"
    files = sorted(f.name for f in b.iterdir() if f.suffix in (".csv", ".json") and f.name != "manifest.json")
    assert "nyckeltal.json" in files and "tabell_5.csv" in files
    for name in files:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    manifest = json.loads((a / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["parameters"]["skip_invalid_rows"] is True
    assert manifest["avvisade"]["personer"] == len(info.persons)
    assert manifest["avvisade"]["rader"]["enkat"] == 1 and manifest["avvisade"]["rader"]["befolkning"] == 1
    assert "avvisade" not in json.loads((b / "manifest.json").read_text(encoding="utf-8"))
    csv = (flag / "2023" / "avvisade.csv").read_text(encoding="utf-8")
    assert csv.splitlines()[0] == "tabell,regel,radnummer,rader,personer"
    for pid in info.persons:
        assert pid not in csv and pid not in json.dumps(manifest)
    import pdfplumber
    with pdfplumber.open(a / "arsrapport-2023-stad.pdf") as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    assert "Bilaga: Datakvalitet" in text
    assert f"{len(info.persons)} personer" in text
