"""The audit reads what was printed (issue 12.5): every number in every PDF of a build,
traced to its source.

For each scope folder of `<out>/<Y>/` the text of `arsrapport-<Y>-<scope>.pdf` (and the
city's `tjansteutlatande-<Y>.pdf`) is extracted page by page (PDFium) and every number
in it (Swedish format: "7 546" with a non-breaking space, "54 %", "72,5 %", "−4",
"+1,2 p.e.") is traced, in this order, to

1. the document's own structure: "Sida N av M" (N and M checked), a page number in the
   table of contents (dot leaders), a heading number the table of contents lists
   ("6.2 Sökta …"), a list number ("1. "), a reference ("Tabell 2 och 3", "Diagram 4",
   "avsnitt 7.2");
2. a date ("1 december 2022", "2024-02-13") or a year (a bare four-digit number from
   Y−15 to Y+2: a count of a thousand or more prints with a space, "7 546");
3. the allow-list report/text/<Y>/tillatna.yml, and the letter's fields in
   params/tjansteutlatande.yml (diarienummer, telefon);
4. a figure: a nyckeltal of Y or Y−1 as printed (in a suppressed scope the published
   files; "<5" and ".." are signs, not numbers), a difference of the two (counts; shares in
   whole percentage points as the prose compares them, or to the printed precision as the
   appendix does), a cell of tabell_*.csv, diagram_*.csv or forandringar.csv as published,
   a figure of params/<Y>.yml, or a figure of the appendix on rows set aside (manifest).

Shares are traced at their printed precision ("54 %" is any share in [53,5 %; 54,5 %[).
A number with no source is a finding; `trace_build` returns every number with its source
key for the workbook's sheet "Rapporttext".
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from .. import fmt
from ..contract.external import load_external
from ..document import tillatna as allow
from ..document.textkontroll import REFERENCE_RE, SPACE
from ..document.variables import MANADER
from ..params import STAD, read_yaml
from ..paths import PARAMS, REPORT, letter_file, published_file, report_file
from .avvikelse import Avvikelse

# "7 546", "−4", "+1,2", "54 %", "6 procentenheter", "1,2 p.e."; not a digit in a word, not "<5"
TOKEN_RE = re.compile(
    rf"(?<![\w,.<\d/-])([{fmt.MINUS}+-]?)((?:\d{{1,3}}(?:[\u00a0\u202f\u2009]\d{{3}})+|\d+)(?:,\d+)?)"
    rf"(?:{SPACE}{{0,2}}(%|procentenheter|procentenhet|procent|p\.e\.))?(?![\w\d])")
_MONTHS = "|".join(MANADER)
DATE_RE = re.compile(rf"(?<!\d)\d{{1,2}}{SPACE}(?:{_MONTHS}){SPACE}+\d{{4}}(?!\d)|(?<!\d)\d{{4}}-\d{{2}}-\d{{2}}(?!\d)")
PAGE_RE = re.compile(rf"Sida{SPACE}+(\d+){SPACE}+av{SPACE}+(\d+)")
HEADING_RE = re.compile(r"^(\d+(?:\.\d+)*)\.?[ \u00a0]+(?=[A-ZÅÄÖ])", re.M)
LIST_RE = re.compile(r"^(\d{1,2})\.[ \u00a0]", re.M)
# a line of the table of contents: "6.2 Ungdomar som … . . . . . 7" (dot leaders, a page number)
TOC_PAGE_RE = re.compile(r"(?:[ \u00a0]?\.){3,}[ \u00a0]*(\d{1,3})[ \t]*$", re.M)
TOC_ENTRY_RE = re.compile(r"^(\d+(?:\.\d+)*)\.?[ \u00a0]+\S.*?(?:[ \u00a0]?\.){3,}[ \u00a0]*\d{1,3}[ \t]*$", re.M)
YEARS_BACK = 15  # a bare four-digit number from Y−15 to Y+2 is a year
SENTENCE_END = re.compile(r"(?<=[.!?:])\s+(?=[A-ZÅÄÖ0-9\u2212+])|\n(?=[A-ZÅÄÖ0-9•\-])")


@dataclass(frozen=True)
class Tal:
    """One number printed in a PDF, and where it comes from (None: untraced)."""

    dokument: str  # "stad/arsrapport-2023-stad.pdf"
    sida: int
    mening: str
    tal: str
    kalla: str | None


# ---------------------------------------------------------------- reading a PDF


def pages_text(pdf: Path) -> list[str]:
    """The text of every page, through PDFium (pypdfium2). It keeps the non-breaking space
    inside "7 546" and "54 %", which tells a number's groups from two numbers side by side
    in a table. Its line ends ("\r\n") and its mark for a word hyphenated at the end of a
    line (U+FFFE) are written as pypdf writes them ("\n", "-\n"): the text is then pypdf's,
    page for page (tests/test_pdftrace.py), at a twentieth of the time."""
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return [doc[i].get_textpage().get_text_range().replace("\r\n", "\n").replace("\ufffe", "-\n")
                for i in range(len(doc))]
    finally:
        doc.close()


def value_of(number: str, sign: str = "") -> Decimal:
    """"7 546" → 7546, "72,5" → 72.5; a minus sign (− or -) makes it negative."""
    d = Decimal(re.sub(r"[\s\u00a0\u202f\u2009]", "", number).replace(",", "."))
    return -d if sign in (fmt.MINUS, "-") else d


def decimals(number: str) -> int:
    return len(number.split(",")[1]) if "," in number else 0


# ---------------------------------------------------------------- the sources of one scope


@dataclass
class Kallor:
    """What a number of one scope may be: whole values (counts, differences of counts),
    percents (shares × 100, relative changes) and percentage points, each with its key."""

    antal: dict[Decimal, str]
    procent: list[tuple[Decimal, str]]
    procentenheter: list[tuple[Decimal, str]]
    texter: list[tuple[str, str]]  # literal texts that may hold digits (the letter's fields)

    def add_count(self, v, key: str) -> None:
        d = fmt.to_decimal(v)
        if d is not None and d == d.to_integral_value():
            self.antal.setdefault(abs(d), key)

    def add_share(self, v, key: str) -> None:
        d = fmt.to_decimal(v)
        if d is not None:
            self.procent.append((d * 100, key))

    def add_points(self, v, key: str) -> None:
        """A difference of two shares (0..1)."""
        d = fmt.to_decimal(v)
        if d is not None:
            self.procentenheter.append((abs(d) * 100, key))

    def find(self, value: Decimal, unit: str | None, ndec: int) -> str | None:
        if unit in ("procentenheter", "procentenhet", "p.e."):
            return _near(self.procentenheter, abs(value), ndec)
        if unit in ("%", "procent"):
            return _near(self.procent, value, ndec) or _near(self.procent, abs(value), ndec)
        if ndec == 0:
            return self.antal.get(abs(value))
        return None


def _near(values: list[tuple[Decimal, str]], printed: Decimal, ndec: int) -> str | None:
    """The first source that prints as `printed` at `ndec` decimals (half away from zero)."""
    for v, key in values:
        if fmt.avrunda(v, ndec) == printed or fmt.avrunda(abs(v), ndec) == printed:
            return key
    return None


def _is_share(key: str, column: str = "") -> bool:
    return "andel" in key or "andel" in column or "relativ" in column


def _csv_cells(path: Path):
    """(row label, column, value) of every cell of a build CSV, as written."""
    import csv

    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        return
    head = rows[0]
    for r in rows[1:]:
        for c, v in zip(head[1:], r[1:]):
            yield r[0], c, v


def scope_sources(folder: Path, year: int, params_dir: Path = PARAMS) -> Kallor:
    """Every source a number printed in this scope's documents may have."""
    k = Kallor({}, [], [], [])
    now = json.loads(published_file(folder, "nyckeltal.json").read_text(encoding="utf-8"))
    p_prev = published_file(folder, "nyckeltal_foregaende_ar.json")
    prev = json.loads(p_prev.read_text(encoding="utf-8")) if p_prev.is_file() else {}
    for label, figures in ((str(year), now), (str(year - 1), prev)):
        for key, v in figures.items():
            if fmt.to_decimal(v) is None:
                continue  # a sign ("<5", "..") or missing
            (k.add_share if _is_share(key) else k.add_count)(v, f"nyckeltal.{key} ({label})")
    for key in now:
        a, b = fmt.to_decimal(now.get(key)), fmt.to_decimal(prev.get(key))
        if a is None or b is None:
            continue
        if _is_share(key):
            k.procentenheter.append((abs(fmt.avrunda(a * 100) - fmt.avrunda(b * 100)), f"skillnad.{key}"))
            k.add_points(a - b, f"skillnad.{key}")
        else:
            k.add_count(a - b, f"skillnad.{key}")
    for key, f in load_external(year, params_dir).items():
        k.add_count(f.varde, f"params/{year}.yml: {key}")
    for p in [*folder.glob("forandringar.csv"), *sorted(folder.glob("tabell_*.csv")), *sorted(folder.glob("diagram_*.csv"))]:
        for rad, col, v in _csv_cells(p):
            key = f"{p.name}: {rad}/{col}"
            if fmt.to_decimal(v) is None:
                continue
            if p.name == "forandringar.csv" and col == "forandring" and _is_share(rad):
                k.add_points(v, key)
            elif _is_share(rad if p.name == "forandringar.csv" else "", col):
                k.add_share(v, key)
            else:
                k.add_count(v, key)
                d = fmt.to_decimal(v)
                if d is not None and 0 <= d <= 1 and d != d.to_integral_value():
                    k.add_share(v, key)  # a share in a diagram's long format
    _manifest_sources(folder, k)
    return k


def _manifest_sources(folder: Path, k: Kallor) -> None:
    """The appendix on rows set aside (--skip-invalid-rows) prints the manifest's counts."""
    p = folder / "manifest.json"
    av = json.loads(p.read_text(encoding="utf-8")).get("avvisade") if p.is_file() else None
    if not av:
        return
    k.add_count(av.get("personer"), "manifest.avvisade.personer")
    k.add_count(av.get("personer_i_exporten"), "manifest.avvisade.personer_i_exporten")
    if av.get("personer_i_exporten"):
        k.add_share(Decimal(av["personer"]) / Decimal(av["personer_i_exporten"]), "manifest.avvisade (andel)")
    for t, n in (av.get("rader") or {}).items():
        k.add_count(n, f"manifest.avvisade.rader.{t}")
    for i, r in enumerate(av.get("regler") or []):
        k.add_count(r.get("rader"), f"manifest.avvisade.regler[{i}].rader")
        k.add_count(r.get("personer"), f"manifest.avvisade.regler[{i}].personer")


def letter_texts(year: int, params_dir: Path = PARAMS) -> list[tuple[str, str]]:
    """The letter's fields that hold digits and are printed as they stand."""
    p = Path(params_dir) / "tjansteutlatande.yml"
    if not p.is_file():
        return []
    raw = read_yaml(p)
    fields = {**(raw.get("standard") or {}), **(raw.get(year) or raw.get(str(year)) or {})}
    return [(str(v), f"params/tjansteutlatande.yml: {k}") for k, v in fields.items()
            if isinstance(v, (str, int)) and re.search(r"\d", str(v)) and k != "datum"]


# ---------------------------------------------------------------- one document


def _structure(text: str, page: int, pages: int, toc: set[str], tillatna: list,
               texter: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """(start, end, source) of every part of a page whose numbers the document itself,
    the calendar, the allow-list or the letter's fields explain. `toc`: the heading
    numbers the table of contents lists (a line-start number is a heading only if listed)."""
    out = []
    for m in PAGE_RE.finditer(text):
        if int(m.group(1)) == page and int(m.group(2)) == pages:
            out.append((m.start(), m.end(), "sidnummer"))
    for m in DATE_RE.finditer(text):
        out.append((m.start(), m.end(), "datum"))
    for m in REFERENCE_RE.finditer(text):
        out.append((m.start(), m.end(), "hänvisning (tabell, diagram, figur, avsnitt)"))
    for m in HEADING_RE.finditer(text):
        if m.group(1) in toc:
            out.append((m.start(1), m.end(1), "rubriknummer"))
    for m in LIST_RE.finditer(text):
        out.append((m.start(1), m.end(1), "listnummer"))
    for m in TOC_PAGE_RE.finditer(text):
        if 1 <= int(m.group(1)) <= pages:
            out.append((m.start(1), m.end(1), "sidnummer (innehåll)"))
    for s, e, t in allow.spans(text, tillatna):
        out.append((s, e, f"tillatna.yml: {t.skal}"))
    for value, key in texter:
        for m in allow.pattern(allow.Tillaten(allow.normalize(value), key)).finditer(text):
            out.append((m.start(), m.end(), key))
    return out


def sentence_at(text: str, pos: int) -> str:
    """The sentence (or table row, or line) of the page around `pos`, on one line."""
    start = 0
    for m in SENTENCE_END.finditer(text):
        if m.end() > pos:
            end = m.start()
            break
        start = m.end()
    else:
        end = len(text)
    s = re.sub(r"\s+", " ", text[start:end]).strip()
    return s if len(s) <= 240 else s[:237] + "…"


def trace_text(pages: list[str], dokument: str, kallor: Kallor, tillatna: list, year: int) -> list[Tal]:
    """Every number of a document's pages with its source (None when it has none)."""
    out = []
    toc = {m.group(1) for text in pages for m in TOC_ENTRY_RE.finditer(text)}
    for i, text in enumerate(pages, 1):
        known = _structure(text, i, len(pages), toc, tillatna, kallor.texter)
        for m in TOKEN_RE.finditer(text):
            a, b = m.start(2), m.end(2)
            source = next((k for s, e, k in known if s <= a and b <= e), None)
            sign, number, unit = m.group(1), m.group(2), m.group(3)
            if source is None and not unit and not sign and re.fullmatch(r"\d{4}", number) \
                    and year - YEARS_BACK <= int(number) <= year + 2:
                source = "år"
            if source is None:
                source = kallor.find(value_of(number, sign), unit, decimals(number))
            out.append(Tal(dokument, i, sentence_at(text, m.start()), m.group(0).strip(), source))
    return out


# ---------------------------------------------------------------- a build


def documents(folder: Path, year: int) -> list[Path]:
    """The PDFs of one scope folder: the report, and the city's letter."""
    return [p for p in (report_file(folder, year, folder.name, ".pdf"), letter_file(folder, year)) if p.is_file()]


def trace_build(root: Path, year: int, params_dir: Path = PARAMS, report_dir: Path = REPORT) -> list[Tal]:
    """Every number of every PDF of the build of `year` under `root`, with its source."""
    from .outputs import scopes_of

    texts = allow.text_folder(year, report_dir)  # a draft's: the earlier year's text
    tillatna = allow.load(texts) if texts is not None else []
    out: list[Tal] = []
    for scope in scopes_of(root, year):
        folder = Path(root) / str(year) / scope
        pdfs = documents(folder, year)
        if not pdfs:
            continue
        kallor = scope_sources(folder, year, params_dir)
        kallor.texter = letter_texts(year, params_dir) if scope == STAD else []
        for pdf in pdfs:
            out += trace_text(pages_text(pdf), f"{scope}/{pdf.name}", kallor, tillatna, year)
    return out


def summary(tal: list[Tal]) -> list[str]:
    """"PDF stad/arsrapport-2023-stad.pdf: 412 tal, 412 spårade", one line per document."""
    docs: dict[str, list[Tal]] = {}
    for t in tal:
        docs.setdefault(t.dokument, []).append(t)
    return [f"PDF {d}: {fmt.antal(len(ts))} tal, {fmt.antal(sum(t.kalla is not None for t in ts))} spårade"
            for d, ts in docs.items()]


def findings(tal: list[Tal]) -> list[Avvikelse]:
    """Every untraced number, with its page and sentence."""
    return [Avvikelse(t.dokument.split("/")[0], "pdf", f"{t.dokument.split('/')[-1]} sida {t.sida}: {t.tal}",
                      f"talet har inget ursprung i bygget: \u201d{t.mening}\u201d") for t in tal if t.kalla is None]
