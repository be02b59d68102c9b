"""The report's tables as one list of cells, from which both the Typst of the PDF
(typst.py) and the HTML of the HTML edition and the notebooks (htmltable.py) are written.

A `Table` is header rows of `Head` cells (text, column and row span, alignment) and body
rows of formatted strings; the first cell of a body row labels the row. Cells are
formatted with kaa_report.fmt (counts "1 231", shares "54 %", suppressed cells such as
"<5" as they are).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import fmt
from ..errors import RenderError
from ..exhibits.tables import read_table  # noqa: F401 (the report reads the tables as written)


@dataclass(frozen=True)
class Head:
    """A header cell; `align` is a Typst alignment ("left + bottom", "right"), '' for the default."""

    text: str
    colspan: int = 1
    rowspan: int = 1
    align: str = ""


@dataclass(frozen=True)
class Table:
    header: list[list[Head]]
    body: list[list[str]]
    total: bool  # the last body row is a total
    widths: str = ""  # Typst column widths

    @property
    def columns(self) -> int:
        return sum(h.colspan for h in self.header[0])


def cell(column: str, value) -> str:
    """Format one cell: shares (columns with "andel") as "54 %", everything else as a count."""
    if "andel" in column:
        return fmt.procent(value)
    return fmt.antal(value)


def simple_table(df: pd.DataFrame, first_header: str = "", total: bool = True) -> Table:
    """Tabell 1-4: a label column and count columns (header from the CSV)."""
    header = [[Head(first_header)] + [Head(str(c)) for c in df.columns[1:]]]
    rows = [[r.iloc[0]] + [cell(c, r[c]) for c in df.columns[1:]] for _, r in df.iterrows()]
    n = len(df.columns) - 1
    widths = f"(auto, {', '.join(['1fr'] * n)})" if n > 2 else "(6cm, 3cm, 3cm)"
    return Table(header, rows, total, widths)


RESULT_COLUMNS = ("inskrivna", "avslutade", "andel_avslutade", "studier_antal", "studier_andel",
                  "arbete_antal", "arbete_andel", "studier_arbete_antal", "studier_arbete_andel")
RESULT_GROUPS = ("Avslutade", "Till studier", "Till arbete", "Till studier eller arbete")


def result_table(df: pd.DataFrame, first_header: str) -> Table:
    """Tabell 5/6 with a two-row header: Inskrivna | Avslutade | Till studier | Till arbete |
    Till studier eller arbete, each of the last four split into antal and andel."""
    missing = [c for c in RESULT_COLUMNS if c not in df.columns]
    if missing:
        raise RenderError(f"tabell 5/6 saknar kolumnerna {missing}")
    top = [Head(first_header, rowspan=2, align="left + bottom"), Head("Inskrivna", rowspan=2, align="right + bottom")]
    top += [Head(g, colspan=2, align="center + bottom") for g in RESULT_GROUPS]
    sub = [Head(t, align="right") for t in ("Antal", "Andel") * len(RESULT_GROUPS)]
    rows = [[r["rad"]] + [cell(c, r[c]) for c in RESULT_COLUMNS] for _, r in df.iterrows()]
    total = bool(len(df)) and df["rad"].iloc[-1] == "Totalt"
    return Table([top, sub], rows, total, "(1fr, 1.7cm) + (1.2cm,) * 8")


def exhibit_table(shape: str | None, df: pd.DataFrame, city: bool) -> Table:
    """Tabell 1-6 from its CSV by the table's shape (exhibits/registry.py): Tabell 5/6 have
    the two-row result header (first column "Jobbtorg" in the city's report, "Stadsdel" in
    a jobbtorg's), the others one header row; a "per_ar" table has no total row."""
    if shape == "resultat":
        return result_table(df, "Jobbtorg" if city else "Stadsdel")
    return simple_table(df, total=shape != "per_ar")


def result_columns() -> list[tuple[str, str]]:
    """The (group, sub) header of each value column of Tabell 5/6, in RESULT_COLUMNS order."""
    return [("Inskrivna", "")] + [(g, s) for g in RESULT_GROUPS for s in ("Antal", "Andel")]


def flagged(v) -> bool:
    return str(v).strip().lower() in ("true", "1", "ja", "x")


def appendix_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The rows of forandringar.csv for the appendix: every figure, and its split by kön
    (keys ending _k/_m) only where that change is flagged."""
    split = df["nyckel"].str.endswith(("_k", "_m"))
    return df[~split | df["flagga"].map(flagged)].reset_index(drop=True)


def changes_table(df: pd.DataFrame, year: int) -> Table:
    """The appendix: every nyckeltal last year and this year, the change (shares in
    procentenheter, "p.e."), the relative change and whether the change is flagged."""
    header = [[Head(h) for h in ("Nyckeltal", str(year - 1), str(year), "Förändring", "Relativt", "Flaggad")]]
    rows = []
    for _, r in df.iterrows():
        share = "andel" in r["nyckel"]
        diff = fmt.to_decimal(r["forandring"])
        if diff is None:
            change = fmt.SAKNAS
        else:
            change = fmt.tal(diff * 100, 1, tecken=True) + fmt.NBSP + "p.e." if share else fmt.antal(diff, tecken=True)
        if str(r["forandring_relativ"]).strip():
            rel = fmt.procent(r["forandring_relativ"], 1)
        else:  # shares have no relative change; a count has none from 0 or from a missing value
            rel = "" if share else fmt.SAKNAS
        flag = "ja" if flagged(r.get("flagga", "")) else ""
        rows.append([r["namn"], cell(r["nyckel"], r["foregaende"]), cell(r["nyckel"], r["varde"]), change, rel, flag])
    return Table(header, rows, False, "(1fr, auto, auto, auto, auto, auto)")


def plain_table(headers: list[str], rows: list[list[str]], widths: str) -> Table:
    """A table with one plain header row."""
    return Table([[Head(h) for h in headers]], rows, False, widths)
