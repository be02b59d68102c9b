"""Input formats (issue 7): the contract's CSV folder, Swedish Excel CSV, .xlsx and Parquet
are read to the same text frames, and every defect of the bad-input corpus gives one
clear message (file, what to fix), exit 1, no traceback and no personal data.

The corpus is generated from the small valid export in tests/exports.py: each case
changes one file in one way (see BAD_INPUTS).
"""
from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from exports import small_tables, write_small_export

from kaa_report.cli import main
from kaa_report.contract.export import load
from kaa_report.contract.read import read_raw
from kaa_report.contract.schema import COLUMNS
from kaa_report.errors import InputError

PERSON_IDS = [f"p0{i}" for i in range(1, 7)]
BIRTH_DATES = ["2006-03-15", "2004-02-29", "2007-11-30", "2005-06-01", "2008-01-20", "2006-12-01"]


def expected_frames() -> dict[str, pd.DataFrame]:
    """What every format must read to: the contract CSV's text, besvarat in lower case
    (Excel and Parquet hold a boolean, not the text 'TRUE')."""
    t = small_tables()
    t["kontaktforsok"] = t["kontaktforsok"].assign(besvarat=t["kontaktforsok"]["besvarat"].str.lower())
    return t


def assert_same_tables(raw, expected):
    for name, exp in expected.items():
        got = raw.tables[name][list(exp.columns)]
        assert got.values.tolist() == exp.values.tolist(), name


# ---------------------------------------------------------------- writers of the four formats

def write_excel_sv_csv(dir, tables, encoding="cp1252", datetimes=True):
    """As Swedish Excel saves "CSV (semikolonavgränsad)": ';', CRLF, dates with a time,
    booleans SANT/FALSKT, encoding cp1252 (or utf-8-sig for "CSV UTF-8")."""
    dir.mkdir(parents=True, exist_ok=True)
    for name, df in tables.items():
        df = df.copy()
        for c, kind in COLUMNS[name].items():
            if kind == "date" and datetimes:
                df[c] = df[c].map(lambda v: f"{v} 00:00:00" if v else v)
            if kind == "bool":
                df[c] = df[c].str.lower().map({"true": "SANT", "false": "FALSKT"})
        df.to_csv(dir / f"{name}.csv", sep=";", index=False, encoding=encoding, lineterminator="\r\n")
    return dir


def _typed_value(v: str, kind: str):
    if v == "":
        return None
    if kind == "date":
        return dt.datetime.fromisoformat(v)
    if kind == "int":
        return int(v)
    if kind == "bool":
        return v.lower() == "true"
    return v


def write_xlsx(path, tables, sheet_names=None):
    """One sheet per table, dates as date cells, integers as numbers, booleans as booleans."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, df in tables.items():
        ws = wb.create_sheet((sheet_names or {}).get(name, name))
        ws.append(list(df.columns))
        kinds = [COLUMNS[name].get(c, "str") for c in df.columns]
        for row in df.itertuples(index=False):
            ws.append([_typed_value(v, k) for v, k in zip(row, kinds)])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_parquet(dir, tables):
    """One .parquet per table with real column types (date32, int64, bool, string)."""
    dir.mkdir(parents=True, exist_ok=True)
    types = {"date": pa.date32(), "int": pa.int64(), "bool": pa.bool_(), "str": pa.string()}
    for name, df in tables.items():
        arrays, fields = [], []
        for c in df.columns:
            kind = COLUMNS[name][c]
            vals = [_typed_value(v, kind) for v in df[c]]
            if kind == "date":
                vals = [v.date() if v else None for v in vals]
            arrays.append(pa.array(vals, type=types[kind]))
            fields.append(c)
        pq.write_table(pa.table(arrays, names=fields), dir / f"{name}.parquet")
    return dir


# ---------------------------------------------------------------- formats read alike

def test_contract_csv(tmp_path):
    raw = read_raw(write_small_export(tmp_path))
    assert raw.fmt == "csv"
    assert set(raw.encodings.values()) == {"utf-8"}
    assert_same_tables(raw, small_tables())


def test_swedish_excel_csv_windows_1252(tmp_path):
    data = write_excel_sv_csv(tmp_path / "d", small_tables())
    assert "Skärholmen".encode("cp1252") in (data / "befolkning.csv").read_bytes()
    assert (data / "personer.csv").read_text(encoding="cp1252").splitlines()[1] == "p01;K;2006-03-15 00:00:00"
    raw = read_raw(data)
    assert raw.fmt == "csv-excel-sv"
    # tables with å ä ö are Windows-1252; pure-ASCII ones decode as UTF-8 as well
    assert raw.encodings["registerperioder"] == "windows-1252"
    assert raw.encodings["befolkning"] == "windows-1252"
    assert raw.encodings["personer"] == "utf-8"
    assert_same_tables(raw, expected_frames())


def test_swedish_excel_csv_utf8_bom_plain_dates(tmp_path):
    data = write_excel_sv_csv(tmp_path / "d", small_tables(), encoding="utf-8-sig", datetimes=False)
    assert (data / "personer.csv").read_bytes().startswith(b"\xef\xbb\xbfperson_id;")
    raw = read_raw(data)
    assert raw.fmt == "csv-excel-sv"
    assert set(raw.encodings.values()) == {"utf-8-bom"}
    assert_same_tables(raw, expected_frames())


def test_xlsx_workbook(tmp_path):
    book = write_xlsx(tmp_path / "export.xlsx", small_tables())
    raw = read_raw(book)
    assert raw.fmt == "xlsx"
    assert raw.checksums().keys() == {"export.xlsx"}
    assert_same_tables(raw, expected_frames())
    # integers come back without ".0", dates without a time
    assert raw.tables["befolkning"]["antal_16_19"].iloc[0] == "1000"
    assert raw.tables["personer"]["fodelsedatum"].iloc[0] == "2006-03-15"


def test_xlsx_found_in_folder(tmp_path):
    write_xlsx(tmp_path / "d" / "kaa-export.xlsx", small_tables())
    raw = read_raw(tmp_path / "d")
    assert raw.fmt == "xlsx"
    assert "kaa-export.xlsx" in raw.warnings[0]


def test_xlsx_float_integers_and_datetime_text(tmp_path):
    """Excel stores every number as a float; a date column may hold ISO text with a time."""
    tables = small_tables()
    book = write_xlsx(tmp_path / "e.xlsx", tables)
    wb = openpyxl.load_workbook(book)
    wb["befolkning"]["D2"] = 1000.0
    wb["personer"]["C2"] = "2006-03-15 00:00:00"
    wb.save(book)
    raw = read_raw(book)
    assert raw.tables["befolkning"]["antal_16_19"].iloc[0] == "1000"
    assert raw.tables["personer"]["fodelsedatum"].iloc[0] == "2006-03-15"


def test_parquet_folder(tmp_path):
    raw = read_raw(write_parquet(tmp_path / "d", small_tables()))
    assert raw.fmt == "parquet"
    assert_same_tables(raw, expected_frames())


def test_all_formats_load_to_the_same_typed_export(tmp_path):
    tables = small_tables()
    paths = [
        write_small_export(tmp_path / "csv"),
        write_excel_sv_csv(tmp_path / "sv", tables),
        write_xlsx(tmp_path / "x.xlsx", tables),
        write_parquet(tmp_path / "pq", tables),
    ]
    exports = [load(p) for p in paths]
    for e in exports[1:]:
        for name in COLUMNS:
            pd.testing.assert_frame_equal(getattr(e, name), getattr(exports[0], name), check_dtype=True)


def test_extra_column_is_a_warning_not_an_error(tmp_path):
    data = write_small_export(tmp_path, enkat=lambda df: df.assign(kommentar="x"))
    raw = read_raw(data)
    assert raw.warnings == ["enkat.csv: okända kolumner ignoreras: 'kommentar'"]


def test_trailing_empty_excel_columns_and_rows_are_ignored(tmp_path):
    data = write_excel_sv_csv(tmp_path / "d", small_tables())
    p = data / "sysselsattning.csv"
    text = p.read_text(encoding="cp1252").replace("\r\n", ";;\r\n") + ";;;;\r\n"
    p.write_text(text, encoding="cp1252", newline="")
    raw = read_raw(data)
    assert list(raw.tables["sysselsattning"].columns) == ["person_id", "datum", "sysselsattning"]
    assert len(raw.tables["sysselsattning"]) == 4


# ---------------------------------------------------------------- the bad-input corpus

def _write(path, data: bytes):
    path.write_bytes(data)


def _csv_text(d, t):
    return (d / f"{t}.csv").read_text(encoding="utf-8")


def _edit(t, f):
    """A case that rewrites one CSV file's text with f."""
    def make(d):
        write_small_export(d)
        (d / f"{t}.csv").write_text(f(_csv_text(d, t)), encoding="utf-8")
        return d
    return make


def _bytes(t, f):
    def make(d):
        write_small_export(d)
        p = d / f"{t}.csv"
        p.write_bytes(f(p.read_bytes()))
        return d
    return make


def _cell(t, row, col, value):
    def change(df):
        df.loc[row, col] = value
        return df
    return lambda d: write_small_export(d, **{t: change})


def _xlsx(change):
    def make(d):
        book = write_xlsx(d / "export.xlsx", small_tables())
        wb = openpyxl.load_workbook(book)
        change(wb)
        wb.save(book)
        return book
    return make


def _rename_sheet(old, new):
    def change(wb):
        wb[old].title = "tmp"  # openpyxl would make "Insatser" "Insatser1" next to "insatser"
        wb["tmp"].title = new
    return change


def _truncate_xlsx(d):
    book = write_xlsx(d / "export.xlsx", small_tables())
    data = book.read_bytes()
    book.write_bytes(data[: len(data) // 2])
    return book


def _truncate_parquet(d):
    write_parquet(d, small_tables())
    p = d / "insatser.parquet"
    p.write_bytes(p.read_bytes()[:-40])
    return d


def _remove(name):
    def make(d):
        write_small_export(d)
        (d / name).unlink()
        return d
    return make


def _rename(old, new):
    def make(d):
        write_small_export(d)
        (d / old).rename(d / new)
        return d
    return make


def _sv_cell(t, row, col, value):
    def make(d):
        tables = small_tables()
        tables[t].loc[row, col] = value
        return write_excel_sv_csv(d, tables)
    return make


def _xls(d):
    p = d / "export.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    return p


# id -> (make(dir) -> data path, file named in the message, hint in the message)
BAD_INPUTS = {
    "encoding-cp1252-in-contract-csv": (
        _bytes("registerperioder", lambda b: b.decode("utf-8").encode("cp1252")),
        "registerperioder.csv", "UTF-8"),
    "encoding-utf16": (
        _bytes("befolkning", lambda b: b.decode("utf-8").encode("utf-16")),
        "befolkning.csv", "UTF-16"),
    "encoding-double-encoded": (
        _bytes("befolkning", lambda b: b.decode("utf-8").encode("utf-8").decode("cp1252").encode("utf-8")),
        "befolkning.csv", "kodats om två gånger"),
    "encoding-unknown-semicolon": (
        _bytes("registerperioder", lambda b: b.replace(b",", b";").decode("utf-8").encode("cp1252")
               .replace("ä".encode("cp1252"), b"\x81")),
        "registerperioder.csv", "okänd teckenkodning"),
    "missing-file": (_remove("enkat.csv"), "enkat.csv", "saknas"),
    "misnamed-file": (_rename("personer.csv", "Personer.csv"), "personer.csv", "byt namn på den till 'personer.csv'"),
    "missing-sheet": (_xlsx(lambda wb: wb.remove(wb["enkat"])), "export.xlsx", "bladet 'enkat' saknas"),
    "misnamed-sheet": (_xlsx(_rename_sheet("insatser", "Insatser")), "export.xlsx", "bladet 'Insatser' ska heta 'insatser'"),
    "empty-sheet": (_xlsx(lambda wb: wb["sysselsattning"].delete_rows(1, 10)), "sysselsattning", "bladet är tomt"),
    "duplicated-header": (
        _edit("kontaktforsok", lambda s: s.replace("kanal,", "datum,", 1)),
        "kontaktforsok.csv", "'datum' finns två gånger"),
    "misspelled-header": (
        _edit("personer", lambda s: s.replace("fodelsedatum", "fodelsedatun", 1)),
        "personer.csv", "menade du 'fodelsedatum'"),
    "misspelled-header-case": (
        _edit("insatser", lambda s: s.replace("person_id", "Person_ID", 1)),
        "insatser.csv", "menade du 'person_id'"),
    "missing-header-row": (
        _edit("personer", lambda s: s.split("\n", 1)[1]),
        "personer.csv", "rubrikraden saknas"),
    "missing-column": (
        lambda d: write_small_export(d, sysselsattning=lambda df: df.drop(columns=["datum"])),
        "sysselsattning.csv", "kolumnen 'datum' saknas"),
    "nameless-column": (
        _edit("enkat", lambda s: s.replace("\n", ",\n").replace("fatt_hjalp,5,", "fatt_hjalp,5,x", 1)),
        "enkat.csv", "saknar namn"),
    "empty-file": (_bytes("sysselsattning", lambda b: b""), "sysselsattning.csv", "filen är tom"),
    "truncated-last-line": (
        _bytes("insatser", lambda b: b.rstrip(b"\n")[:-25]),
        "insatser.csv", "avkortad"),
    "truncated-in-quote": (
        _edit("sysselsattning", lambda s: s + 'p02,"2023-0'),
        "sysselsattning.csv", "avkortad"),
    "truncated-in-character": (
        _bytes("befolkning", lambda b: b[: b.rindex("ä".encode()) + 1]),
        "befolkning.csv", "avkortad"),
    "row-too-many-fields": (
        _edit("sysselsattning", lambda s: s.replace("2023-03-01,studier", "2023-03-01,studier,folkhögskola")),
        "sysselsattning.csv", "datarad 2 (rad 3 i filen) har fler fält"),
    "row-too-few-fields": (
        _edit("enkat", lambda s: s.replace("2023,s2,fatt_hjalp,4", "2023,s2")),
        "enkat.csv", "datarad 2 (rad 3 i filen) har färre fält"),
    "tab-separated": (_edit("enkat", lambda s: s.replace(",", "\t")), "enkat.csv", "tabbavgränsad"),
    "truncated-xlsx": (_truncate_xlsx, "export.xlsx", "skadad eller avkortad"),
    "old-xls": (_xls, "export.xls", "spara arbetsboken som .xlsx"),
    "truncated-parquet": (_truncate_parquet, "insatser.parquet", "Parquet"),
    # values: reported by the validator (file, column, rule)
    "impossible-date": (
        _cell("registerperioder", 3, "fran", "2023-02-30"), "registerperioder.csv", "fran"),
    "impossible-date-excel-sv": (
        _sv_cell("insatser", 0, "inskriven", "2023-02-30"), "insatser.csv", "inskriven"),
    "impossible-birth-date": (_cell("personer", 1, "fodelsedatum", "2004-02-30"), "personer.csv", "fodelsedatum"),
    "text-in-number-column": (_cell("befolkning", 2, "antal_16_19", "ca 1000"), "befolkning.csv", "antal_16_19"),
    "text-in-number-column-xlsx": (
        _xlsx(lambda wb: wb["enkat"].cell(row=2, column=4, value="fem")), "export.xlsx, blad enkat", "svar"),
}


def run_validate(data, out, capsys) -> tuple[int, str]:
    """`kaa-report validate --data data` in process: (exit code, stderr)."""
    code = 0
    try:
        main(["validate", "--data", str(data), "--out", str(out)])
    except SystemExit as e:
        code = e.code or 0
    return code, capsys.readouterr().err


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_gives_clear_message(tmp_path, capsys, case):
    make, file_name, hint = BAD_INPUTS[case]
    d = tmp_path / "data"
    d.mkdir()
    data = make(d)
    code, err = run_validate(data, tmp_path / "out", capsys)
    assert code == 1, err
    assert file_name in err, err
    assert hint in err, err
    assert "Traceback" not in err
    for secret in PERSON_IDS + BIRTH_DATES + ["2004-02-30"]:
        assert secret not in err, (secret, err)


def test_read_errors_are_input_errors_naming_the_file(tmp_path):
    """Every read-level defect raises InputError (not a pandas/openpyxl exception)."""
    for case, (make, file_name, _hint) in BAD_INPUTS.items():
        if case.startswith(("impossible", "text-in")):
            continue
        d = tmp_path / case
        d.mkdir()
        with pytest.raises(InputError, match=file_name.replace(".", r"\.")):
            read_raw(make(d))


def test_value_defects_pass_the_reader(tmp_path):
    """Impossible dates and text in number columns are the validator's to report, as rule
    failures with file and column; the reader passes them through unchanged."""
    raw = read_raw(_sv_cell("insatser", 0, "inskriven", "2023-02-30")(tmp_path / "d"))
    assert raw.tables["insatser"]["inskriven"].iloc[0] == "2023-02-30"


def test_a_valid_export_in_every_format_validates(tmp_path, capsys):
    tables = small_tables()
    for data in (write_excel_sv_csv(tmp_path / "sv", tables), write_xlsx(tmp_path / "x.xlsx", tables)):
        code, err = run_validate(data, tmp_path / "out", capsys)
        assert code == 0, err
