"""Reading a register export as raw text frames (for validation; export.py types them).

Four input formats are recognised automatically (`RawExport.fmt` says which was read):

- ``csv``: the data contract's folder of ``<table>.csv``, UTF-8, comma-separated;
- ``csv-excel-sv``: the same folder as Swedish Excel saves it: ``;``-separated, UTF-8 with
  BOM or Windows-1252, dates possibly as ``2023-02-01 00:00:00``, booleans as SANT/FALSKT;
- ``xlsx``: one workbook, one sheet per table (sheet name = table name);
- ``parquet``: a folder of ``<table>.parquet``.

Whatever the format, every table ends as a frame of text (``''`` = missing) with the
columns as in the file, so validation sees one shape. Dates are normalised to
``YYYY-MM-DD`` and integers carry no ``.0``. A file that cannot be read raises
`InputError` with a message naming the file (and sheet) and what to fix; messages never
quote a cell value, so no person_id or birth date can leak through them.
"""
from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ..checksums import sha256
from ..errors import InputError
from .fastcsv import read_csv_columns
from .schema import COLUMNS, TABLES

FORMATS = ("csv", "csv-excel-sv", "xlsx", "parquet")


@dataclass(frozen=True)
class RawExport:
    """The export as text: one frame per table, every cell a string ('' = missing).

    `fmt` is the format read (one of FORMATS, or ``csv+csv-excel-sv`` for a folder that
    mixes the two CSV dialects); `encodings` gives each CSV table's text encoding.
    """

    tables: dict[str, pd.DataFrame]
    files: dict[str, Path]
    fmt: str = "csv"
    warnings: list[str] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)

    def checksums(self) -> dict[str, str]:
        return {p.name: sha256(p) for p in sorted(set(self.files.values()))}

    def source(self, table: str) -> str:
        """Where a table was read, for messages: 'insatser.csv', 'export.xlsx, blad insatser'."""
        p = self.files.get(table)
        if p is None:
            return f"{table}.csv"
        return f"{p.name}, blad {table}" if self.fmt == "xlsx" else p.name


# ---------------------------------------------------------------- entry point


def read_raw(path: Path | str) -> RawExport:
    """Read an export (CSV folder, Swedish Excel CSV folder, Parquet folder or .xlsx) as text frames."""
    path = Path(path)
    if path.is_file():
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            return _read_xlsx(path)
        if suffix == ".xls":
            raise InputError(f"{path}: det gamla Excel-formatet .xls kan inte läsas; spara arbetsboken som .xlsx "
                             "(old .xls format; save the workbook as .xlsx)")
        raise InputError(f"{path}: ange exportmappen eller en .xlsx-arbetsbok, inte en enskild fil "
                         "(give the export folder or an .xlsx workbook)")
    if not path.is_dir():
        raise InputError(f"{path}: mappen finns inte (the export folder does not exist)")

    csvs = {t for t in TABLES if (path / f"{t}.csv").is_file()}
    parquets = {t for t in TABLES if (path / f"{t}.parquet").is_file()}
    both = sorted(csvs & parquets)
    if both:
        raise InputError(f"{path}: både {both[0]}.csv och {both[0]}.parquet finns; ta bort den ena "
                         "(both a CSV and a Parquet file for the same table)")
    if parquets and not csvs:
        return _read_folder(path, "parquet")
    if csvs and parquets:
        raise InputError(f"{path}: mappen blandar CSV- och Parquet-filer ({', '.join(sorted(parquets))} som Parquet); "
                         "lägg alla tabeller i samma format (use one format for all tables)")
    if not csvs:
        books = sorted(p for p in path.iterdir() if p.suffix.lower() == ".xlsx" and not p.name.startswith("~$"))
        if len(books) == 1:
            raw = _read_xlsx(books[0])
            raw.warnings.insert(0, f"{path}: inga CSV-filer; läste arbetsboken {books[0].name}")
            return raw
    return _read_folder(path, "csv")


def _read_folder(folder: Path, kind: str) -> RawExport:
    tables, files, encodings, warnings, dialects = {}, {}, {}, [], set()
    for t in TABLES:
        p = folder / f"{t}.{kind}"
        if not p.is_file():
            raise InputError(_missing_file(folder, p.name, t))
        if kind == "parquet":
            header, rows = _parquet_rows(p)
            where = str(p)
        else:
            fast = read_csv_columns(p)
            if fast is not None:  # the common case, read with pyarrow
                header, cols, enc = fast
                dialects.add("csv")
                encodings[t] = enc
                tables[t], w = _frame(t, header, [], str(p), p.name, cols)
                warnings.extend(w)
                files[t] = p
                continue
            header, rows, dialect, enc, w = _csv_rows(p)
            dialects.add(dialect)
            encodings[t] = enc
            warnings.extend(w)
            where = str(p)
        tables[t], w = _frame(t, header, rows, where, p.name)
        warnings.extend(w)
        files[t] = p
    fmt = kind if kind == "parquet" else "+".join(sorted(dialects))
    return RawExport(tables=tables, files=files, fmt=fmt, warnings=warnings, encodings=encodings)


def _missing_file(folder: Path, name: str, table: str) -> str:
    present = [p.name for p in folder.iterdir() if p.is_file()]
    close = difflib.get_close_matches(name.lower(), [n.lower() for n in present], n=1, cutoff=0.75)
    hint = ""
    if close:
        actual = next(n for n in present if n.lower() == close[0])
        hint = f"; det finns en fil {actual!r}: byt namn på den till {name!r}"
    return f"{folder / name}: filen saknas (missing file for table {table!r}){hint}"


# ---------------------------------------------------------------- CSV

_MOJIBAKE = re.compile("Ã[¤¥¶„…–©¨¼]")


def _csv_rows(p: Path) -> tuple[list[str], list[list[str]], str, str, list[str]]:
    """Decode and split one CSV file: (header, rows, dialect, encoding, warnings)."""
    data = p.read_bytes()
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise InputError(f"{p}: filen är tom (the file is empty; expected a header row and data rows)")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:1000]:
        raise InputError(f"{p}: filen är sparad som UTF-16 (Excel: \"Unicode-text\"); spara den som "
                         "\"CSV UTF-8 (kommaavgränsad)\" (the file is UTF-16; save it as CSV UTF-8)")
    first_line = data.split(b"\n", 1)[0].decode("latin-1")
    if first_line.count("\t") > max(first_line.count(";"), first_line.count(",")):
        raise InputError(f"{p}: filen är tabbavgränsad; spara den som CSV med komma eller semikolon "
                         "(tab-separated; save as CSV)")
    semicolon = first_line.count(";") > first_line.count(",")
    dialect = "csv-excel-sv" if semicolon else "csv"

    if data.startswith(b"\xef\xbb\xbf"):
        encoding, body = "utf-8-sig", data[3:]
    else:
        encoding, body = "utf-8", data
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start >= len(body) - 3 and "end of data" in e.reason:
            raise InputError(f"{p}: filen verkar avkortad mitt i ett tecken (the file seems truncated); "
                             "exportera den igen") from None
        if not semicolon or encoding == "utf-8-sig":
            raise InputError(f"{p}: filen är inte UTF-8 (ogiltig byte vid position {e.start}); spara den som "
                             "UTF-8, i Excel \"CSV UTF-8 (kommaavgränsad)\" (the file is not UTF-8)") from None
        try:
            text, encoding = body.decode("cp1252"), "windows-1252"
        except UnicodeDecodeError as e2:
            raise InputError(f"{p}: okänd teckenkodning, varken UTF-8 eller Windows-1252 (byte vid position "
                             f"{e2.start}); spara filen som \"CSV UTF-8\" (unknown encoding; save as CSV UTF-8)") from None
    m = _MOJIBAKE.search(text)
    if m:
        line = text.count("\n", 0, m.start()) + 1
        raise InputError(f"{p}: rad {line} i filen innehåller tecken som 'Ã¤' där 'ä' väntas: filen har kodats om två gånger "
                         "(UTF-8 läst som Windows-1252); exportera den igen som UTF-8 (double-encoded text)")

    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if semicolon else ",", strict=True)
    rows, lines, warnings, blank = [], [], [], 0
    try:
        for row in reader:
            if not any(row):
                blank += bool(row)
                continue
            rows.append(row)
            lines.append(reader.line_num)
    except csv.Error as e:
        if "end of data" in str(e):
            raise InputError(f"{p}: filen verkar avkortad: ett citattecken (rad {reader.line_num} i filen) avslutas aldrig "
                             "(the file seems truncated: unterminated quote); exportera den igen") from None
        raise InputError(f"{p}: rad {reader.line_num} i filen går inte att tolka som CSV ({e}); kontrollera citattecknen "
                         "(malformed CSV)") from None
    if not rows:
        raise InputError(f"{p}: filen är tom (the file is empty; expected a header row)")
    if blank:
        warnings.append(f"{p.name}: {blank} tomma rader hoppades över")
    header, rows, lines = rows[0], rows[1:], lines[1:]
    header = _trim_empty_columns(header, rows, str(p))
    width = len(header)
    short = [i for i, r in enumerate(rows) if len(r) < width]
    long_ = [i for i, r in enumerate(rows) if len(r) > width and any(c != "" for c in r[width:])]

    def at(i: int) -> str:
        return f"datarad {i + 1} (rad {lines[i]} i filen)"

    if short == [len(rows) - 1] and not text.endswith(("\n", "\r")):
        raise InputError(f"{p}: filen verkar avkortad: sista raden, {at(short[0])}, har {len(rows[-1])} av {width} "
                         "fält (the file seems truncated); exportera filen igen")
    sep = ";" if semicolon else ","
    if short:
        raise InputError(f"{p}: {', '.join(map(at, short[:5]))} har färre fält än rubrikraden ({width}); kontrollera att filen är hel och "
                         f"att avgränsaren är {sep} (rows with too few fields)")
    if long_:
        raise InputError(f"{p}: {', '.join(map(at, long_[:5]))} har fler fält än rubrikraden ({width}); ett värde innehåller kanske "
                         f"avgränsaren {sep} utan citattecken (rows with too many fields)")
    if long_ or any(len(r) != width for r in rows):
        rows = [r[:width] for r in rows]
    enc_name = {"utf-8-sig": "utf-8-bom"}.get(encoding, encoding)
    return header, rows, dialect, enc_name, warnings


def _trim_empty_columns(header: list[str], rows: list[list], where: str) -> list[str]:
    """Drop trailing nameless columns that hold no values (Excel leaves them); reject other nameless ones."""
    header = list(header)
    while header and _blank(header[-1]) and all(len(r) < len(header) or _blank(r[len(header) - 1]) for r in rows):
        header.pop()
    for i, h in enumerate(header):
        if _blank(h):
            raise InputError(f"{where}: kolumn {i + 1} saknar namn i rubrikraden; ge den ett namn eller ta bort den "
                             "(a column has no header)")
    return header


def _blank(v) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


# ---------------------------------------------------------------- xlsx


def _read_xlsx(path: Path) -> RawExport:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    if path.stat().st_size == 0:
        raise InputError(f"{path}: filen är tom (the workbook file is empty)")
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, EOFError) as e:
        raise InputError(f"{path}: går inte att öppna som .xlsx-arbetsbok; filen är skadad eller avkortad, "
                         f"eller inte en arbetsbok (cannot open the workbook: {type(e).__name__}); spara den igen "
                         "från Excel") from None
    try:
        tables, warnings = {}, []
        for t in TABLES:
            if t not in wb.sheetnames:
                raise InputError(_missing_sheet(path, t, wb.sheetnames))
            where = f"{path} (blad {t!r})"
            rows = [list(r) for r in wb[t].iter_rows(values_only=True)]
            while rows and all(_blank(c) for c in rows[-1]):
                rows.pop()
            if not rows:
                raise InputError(f"{where}: bladet är tomt (the sheet is empty; expected a header row in row 1)")
            if all(_blank(c) for c in rows[0]):
                raise InputError(f"{where}: rad 1 är tom; rubrikraden ska stå på rad 1 (header must be in row 1)")
            header = _trim_empty_columns(rows[0], rows[1:], where)
            header = [str(h) for h in header]
            width = len(header)
            body = []
            for r in rows[1:]:
                if any(not _blank(c) for c in r[width:]):
                    raise InputError(f"{where}: det finns värden till höger om sista rubriken; ge kolumnen ett namn "
                                     "eller ta bort värdena (values in a column without a header)")
                cells = [_cell_text(c) for c in r[:width]]
                cells += [""] * (width - len(cells))
                if any(c != "" for c in cells):
                    body.append(cells)
            tables[t], w = _frame(t, header, body, where, f"{path.name}[{t}]")
            warnings.extend(w)
    finally:
        wb.close()
    return RawExport(tables=tables, files={t: path for t in TABLES}, fmt="xlsx", warnings=warnings)


def _missing_sheet(path: Path, table: str, sheets: list[str]) -> str:
    close = difflib.get_close_matches(table.lower(), [s.strip().lower() for s in sheets], n=1, cutoff=0.75)
    hint = ""
    if close:
        actual = next(s for s in sheets if s.strip().lower() == close[0])
        hint = f"; bladet {actual!r} ska heta {table!r}"
    names = ", ".join(repr(s) for s in sheets[:12])
    return (f"{path}: bladet {table!r} saknas i arbetsboken (missing sheet; every table needs a sheet named as the "
            f"table){hint}. Blad som finns: {names}")


# ---------------------------------------------------------------- Parquet


def _parquet_rows(p: Path) -> tuple[list[str], list[list[str]]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if p.stat().st_size == 0:
        raise InputError(f"{p}: filen är tom (the file is empty)")
    try:
        table = pq.read_table(p)
    except (pa.ArrowException, OSError) as e:
        raise InputError(f"{p}: går inte att läsa som Parquet; filen är skadad eller avkortad "
                         f"(not a valid Parquet file: {type(e).__name__}); exportera den igen") from None
    header = list(table.column_names)
    cols = [[_cell_text(v) for v in table.column(i).to_pylist()] for i in range(table.num_columns)]
    return header, [list(r) for r in zip(*cols)] if cols else []


# ---------------------------------------------------------------- shared


def _cell_text(v) -> str:
    """A typed cell (Excel, Parquet) as the contract's text: ISO dates, integers without '.0'."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        if v.time() == dt.time(0):
            return v.date().isoformat()
        return v.isoformat(sep=" ")
    if isinstance(v, (dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v:  # NaN
            return ""
        return str(int(v)) if v.is_integer() else repr(v)
    if isinstance(v, Decimal):
        return str(int(v)) if v == v.to_integral_value() else str(v)
    return str(v)


_DATE_MIDNIGHT = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?\s*$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:[ \u00a0\u202f]\d{3})+$")
_BOOL_SV = {"sant": "true", "falskt": "false"}


def _normalise(kind: str, s: pd.Series) -> pd.Series:
    """Excel's spellings of the contract's values: '2023-02-01 00:00:00', 'SANT', '1 234'."""
    if kind == "date":
        odd = (s.str.len() != 10) & (s != "")  # only those can carry a time or spaces (not the empty ones)
        fixed = s[odd].str.replace(_DATE_MIDNIGHT, r"\1", regex=True)
    elif kind == "bool":
        odd = ~s.isin(["true", "false"])
        fixed = s[odd].map(lambda v: _BOOL_SV.get(v.strip().lower(), v))
    elif kind == "int":
        odd = s.str.contains(r"\s", regex=True)
        fixed = s[odd].map(lambda v: re.sub(r"[ \u00a0\u202f]", "", v) if _THOUSANDS.match(v) else v)
    else:
        return s
    if not odd.any():
        return s
    out = s.copy()
    out[odd] = fixed.astype(s.dtype)
    return out


def quotable_header(h: str, i: int) -> str:
    """A header (column i) as a message may quote it: never something that looks like data."""
    if re.search(r"\d{4}", h) or len(h) > 40:
        return f"(kolumn {i + 1})"
    return repr(h)


def _check_header(table: str, header: list[str], where: str, name: str) -> list[str]:
    """Raise InputError for duplicated, misspelled or missing columns; return warnings for extra ones."""
    expected = list(COLUMNS[table])
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        if h in seen:
            raise InputError(f"{where}: kolumnen {quotable_header(h, i)} finns två gånger i rubrikraden (kolumn "
                             f"{seen[h] + 1} och {i + 1}); ta bort eller döp om den ena (duplicated header)")
        seen[h] = i
    missing = [c for c in expected if c not in seen]
    unknown = [h for h in header if h not in expected]
    if missing and len(missing) == len(expected):
        raise InputError(f"{where}: rubrikraden saknas eller känns inte igen; första raden ska vara kolumnnamnen "
                         f"{', '.join(expected)} (missing header row)")
    if missing:
        problems = []
        free = list(unknown)
        for m in missing:
            close = difflib.get_close_matches(m, [u.strip().lower() for u in free], n=1, cutoff=0.6)
            if close:
                u = next(x for x in free if x.strip().lower() == close[0])
                free.remove(u)
                problems.append(f"kolumnen {quotable_header(u, header.index(u))} känns inte igen, menade du {m!r}?")
            else:
                problems.append(f"kolumnen {m!r} saknas")
        raise InputError(f"{where}: {'; '.join(problems)} (misspelled or missing column; the names must be exactly "
                         f"{', '.join(expected)})")
    if unknown:
        names = ", ".join(quotable_header(u, header.index(u)) for u in unknown)
        return [f"{name}: okända kolumner ignoreras: {names}"]
    return []


def _frame(table: str, header: list, rows: list[list[str]], where: str, name: str,
           columns: list[pd.Series] | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Check the header and build the table's text frame with normalised values, from
    rows or (already text) `columns`. `where` names the file (and sheet) in errors, `name` in warnings."""
    header = [str(h).strip().lstrip("\ufeff") for h in header]
    warnings = _check_header(table, header, where, name)
    if columns is None:
        cols = list(zip(*rows)) if rows else [()] * len(header)
        columns = [pd.Series(list(c), dtype="str") for c in cols]
    df = pd.DataFrame(dict(zip(header, columns)))
    for c, kind in COLUMNS[table].items():
        df[c] = _normalise(kind, df[c])
    if df.empty:
        warnings.append(f"{name}: tabellen {table} har inga rader")
    return df, warnings
