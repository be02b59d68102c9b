"""The year's prose: report/text/<year>/, and what a build does when it is not there.

A build for a year without its own text stops before the long work (check_text, called
by pipeline/build.py when PDFs are made) with a message that names the folder and how to
start it. `--draft` builds anyway from the latest earlier year's text; every page then
carries "UTKAST" (typst/kaa.typ) and page 1 says whose text is used (draft_note).
"""
from __future__ import annotations

import logging
from pathlib import Path

from ..errors import RenderError
from ..paths import REPORT

log = logging.getLogger(__name__)


def latest_text_year(year: int, report_dir: Path = REPORT) -> int | None:
    """The latest year before `year` with a folder under report/text/ (else the earliest)."""
    base = report_dir / "text"
    years = sorted(int(p.name) for p in base.iterdir() if p.is_dir() and p.name.isdigit()) if base.is_dir() else []
    earlier = [y for y in years if y < year]
    return earlier[-1] if earlier else (years[0] if years else None)


class MissingTextError(RenderError):
    """The year has no report/text/<year>/ and the build is not a draft."""


def missing_text_message(year: int, report_dir: Path = REPORT) -> str:
    folder = f"report/text/{year}"
    last = latest_text_year(year, report_dir)
    start = (f"Börja med förra årets text: cp -r report/text/{last} {folder} och skriv om den (se report/README.md)"
             if last is not None else f"Skriv texten i {folder}/ (se report/README.md)")
    return (f"{folder}/ saknas: rapporttexten för {year} är inte skriven. {start}. "
            f"Med --draft byggs ett utkast med en tidigare års text, märkt UTKAST på varje sida; "
            f"med --no-pdf byggs bara tabeller, diagram och nyckeltal.")


def check_text(year: int, draft: bool = False, report_dir: Path = REPORT) -> None:
    """Stop (MissingTextError) when the year has no text of its own and this is no draft."""
    if not draft and not (report_dir / "text" / str(year)).is_dir():
        raise MissingTextError(missing_text_message(year, report_dir))


def text_dir(year: int, report_dir: Path = REPORT, draft: bool = False) -> Path:
    """report/text/<year>/. Without it a build stops (MissingTextError, naming the folder
    and how to start it); a draft takes the latest earlier year's text instead (and its
    pages say so, see draft_note)."""
    exact = report_dir / "text" / str(year)
    if exact.is_dir():
        return exact
    check_text(year, draft, report_dir)
    chosen = latest_text_year(year, report_dir)
    if chosen is None:
        raise RenderError(f"report/text/ har ingen årsmapp med text (sökte {exact})")
    log.warning("report/text/%s saknas; utkastet använder texten för %s", year, chosen)
    return report_dir / "text" / str(chosen)


def draft_note(year: int, text_year: int) -> str:
    """What page 1 of a draft says about its text."""
    if text_year == year:
        return f"Utkast. Texten är skriven för {year} (report/text/{year}/) men inte fastställd."
    return (f"Utkast. Texten är hämtad från årsrapporten för {text_year} (report/text/{text_year}/) och är inte "
            f"skriven för {year}; siffrorna är beräknade ur {year} års data.")
