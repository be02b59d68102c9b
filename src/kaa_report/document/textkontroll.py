"""The source check of a year's prose: no hand-typed claims about the data (issue 12.2).

Every digit and every comparison word (fler, färre, ökade, …) in report/text/<Y>/*.md
must come from a variable (`{{< var … >}}`). What is left after taking out shortcodes,
front matter, HTML comments, pandoc attributes (`{.unnumbered}`, `::: {…}` lines) and
list markers is a finding, except

- a reference to an exhibit or a section ("Tabell 2 och 3", "Diagram 4", "avsnitt 7.2"),
- a figure that params/<Y>.yml holds with its source, followed by its unit ("90 platser";
  contract/external.py),
- a text on the allow-list report/text/<Y>/tillatna.yml (tillatna.py),
- a comparison word inside an `.om` block (or `[…]{.om …}` span) that is printed only
  when the change goes that way: "fler" under `forandring="okade"` (document/conditions.py);
  under another condition, or several, it is a finding.

`build` prints the findings as warnings, `audit --year Y` counts them as findings.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..contract.external import load_external
from ..paths import PARAMS, REPORT
from . import tillatna as allow

# A number as a text prints it: "7 546" (a space or a non-breaking one between groups of
# three), "54 %", "72,5", "2023"; not a digit inside a word ("Studiesteg1").
SPACE = "[ \u00a0\u202f\u2009]"
NUMBER_RE = re.compile(
    rf"(?<![\w,.\d])(?:\d{{1,3}}(?:{SPACE}\d{{3}})+|\d+)(?:,\d+)?(?:{SPACE}?%)?(?![\w\d])")
COMPARISON_WORDS = ("fler", "färre", "ökade", "ökat", "ökning", "ökningen", "minskade", "minskat", "minskning",
                    "minskningen", "högre", "lägre", "oförändrat", "oförändrad", "oförändrade")
COMPARISON_RE = re.compile(r"(?<!\w)(?:" + "|".join(COMPARISON_WORDS) + r")(?!\w)", re.IGNORECASE)
# "Tabell 2 och 3", "Diagram 4", "Figur 1", "avsnitt 7.2", "kapitel 6": numbers of the document itself
REFERENCE_RE = re.compile(
    r"(?<!\w)(?:[Tt]abell(?:erna)?|[Dd]iagram(?:men)?|[Ff]igur(?:en)?|[Aa]vsnitt(?:en)?|[Kk]apitel|[Bb]ilag(?:a|orna))"
    rf"{SPACE}+\d+(?:\.\d+)*(?:(?:{SPACE}*[,–-]{SPACE}*|{SPACE}+(?:och|till){SPACE}+)\d+(?:\.\d+)*)*(?!\w)")

_SHORTCODE = re.compile(r"\{\{<.*?>\}\}", re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ATTRIBUTES = re.compile(r"\{[.#][^{}\n]*\}|^[ \t]*:::.*$", re.MULTILINE)
_LIST_MARKER = re.compile(r"^([ \t]*)(\d+)([.)][ \t])", re.MULTILINE)
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
_FENCE = re.compile(r"^[ \t]*```.*?^[ \t]*```", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Fynd:
    """A digit or a comparison word in the prose that does not come from a variable."""

    fil: str  # report/text/2023/tu-synpunkter.md
    rad: int
    ord: str  # the number or the word as written
    typ: str  # "tal" or "jämförelse"
    mening: str  # the line, shortened

    def besked(self) -> str:
        what = "talet" if self.typ == "tal" else "jämförelseordet"
        return f"{what} \u201d{self.ord}\u201d kommer inte från en variabel: {self.mening}"

    def text(self) -> str:
        return f"{self.fil}:{self.rad}: {self.besked()}"


def _blank(m: re.Match) -> str:
    """The match replaced by spaces, its line breaks kept (so line numbers stay)."""
    return re.sub(r"[^\n]", " ", m.group(0))


def prose_only(text: str) -> str:
    """The text with everything that is not prose blanked out, same length and lines:
    front matter, comments, fenced code, shortcodes (a variable prints a figure from the
    build), pandoc attributes and fenced-div lines, and the numbers of list markers."""
    text = _FRONT_MATTER.sub(_blank, text)
    text = _COMMENT.sub(_blank, text)
    text = _FENCE.sub(_blank, text)
    text = _SHORTCODE.sub(lambda m: " " * len(m.group(0)) if "\n" not in m.group(0) else _blank(m), text)
    text = _ATTRIBUTES.sub(_blank, text)
    return _LIST_MARKER.sub(lambda m: m.group(1) + " " * len(m.group(2)) + m.group(3), text)


def number_value(token: str):
    """"7 546" → 7546, "54 %" → 54, "72,5" → Decimal("72.5")."""
    from decimal import Decimal

    t = re.sub(SPACE, "", token).rstrip("%").replace(",", ".")
    d = Decimal(t)
    return int(d) if d == d.to_integral_value() and "." not in t else d


def _external(m: re.Match, text: str, external: dict[str, tuple[int, str]]) -> bool:
    """The number is a figure of params/<Y>.yml followed by its unit ("90 platser")."""
    if "%" in m.group(0):
        return False
    value, after = number_value(m.group(0)), text[m.end():m.end() + 60]
    return any(value == v and re.match(rf"{SPACE}+{re.escape(unit)}(?!\w)", after, re.IGNORECASE)
               for v, unit in external.values())


# ---------------------------------------------------------------- .om blocks (document/conditions.py)

_OPEN_DIV = re.compile(r"^[ \t]*:{3,}[ \t]*(\{[^}\n]*\}|\S.*)$", re.MULTILINE)
_CLOSE_DIV = re.compile(r"^[ \t]*:{3,}[ \t]*$", re.MULTILINE)
_INLINE_OM = re.compile(r"\[([^\[\]]*)\]\{\s*\.om\s+([^}]*)\}")
_CHANGE_ATTR = re.compile(r'f(?:o|ö)r(?:a|ä)ndring\s*=\s*"([^"]*)"', re.IGNORECASE)
DIRECTION = {**dict.fromkeys(("fler", "ökade", "ökat", "ökning", "ökningen", "högre"), "okade"),
             **dict.fromkeys(("färre", "minskade", "minskat", "minskning", "minskningen", "lägre"), "minskade"),
             **dict.fromkeys(("oförändrat", "oförändrad", "oförändrade"), "oforandrat")}


def _changes(attrs: str) -> frozenset[str] | None:
    """The `forandring` values of an .om block's attributes ("okade", "minskade oforandrat")."""
    m = _CHANGE_ATTR.search(attrs or "")
    if m is None or ".om" not in attrs:
        return None
    return frozenset(v.lower().translate(str.maketrans("åäö", "aao")) for v in m.group(1).split())


def om_blocks(text: str) -> list[tuple[int, int, frozenset[str]]]:
    """(start, end, forandring values) of every .om block and span that turns on a change."""
    out, stack = [], []
    for m in re.finditer(r"^.*$", text, re.MULTILINE):
        line = m.group(0)
        if _CLOSE_DIV.fullmatch(line):
            if stack:
                start, ch = stack.pop()
                if ch is not None:
                    out.append((start, m.start(), ch))
        elif _OPEN_DIV.fullmatch(line):
            stack.append((m.end(), _changes(line)))
    for m in _INLINE_OM.finditer(text):
        ch = _changes(".om " + m.group(2))
        if ch is not None:
            out.append((m.start(1), m.end(1), ch))
    return out


def _chosen(word: str, pos: int, blocks: list[tuple[int, int, frozenset[str]]]) -> bool:
    """The comparison word stands in a block printed only when the change goes its way
    ("fler" in a block of forandring="okade"; not in one of "okade oforandrat")."""
    way = DIRECTION.get(word.lower())
    return any(s <= pos < e and ch == {way} for s, e, ch in blocks)


def check_file(path: Path, shown_as: str, external: dict[str, tuple[int, str]],
               tillatna: list[allow.Tillaten]) -> list[Fynd]:
    """The findings of one Markdown file (`shown_as` names it in the messages)."""
    raw = path.read_text(encoding="utf-8")
    text = prose_only(raw)
    allowed = allow.spans(text, tillatna)
    refs = [(m.start(), m.end()) for m in REFERENCE_RE.finditer(text)]
    blocks = om_blocks(raw)
    lines = raw.split("\n")
    out = []
    hits = [(m, "tal") for m in NUMBER_RE.finditer(text)] + [(m, "jämförelse") for m in COMPARISON_RE.finditer(text)]
    for m, typ in sorted(hits, key=lambda h: h[0].start()):
        a, b = m.start(), m.end()
        if allow.covering(a, b, allowed) or any(s <= a and b <= e for s, e in refs):
            continue
        if typ == "tal" and _external(m, text, external):
            continue  # a figure from outside the register, with its unit and source in params/<Y>.yml
        if typ == "jämförelse" and _chosen(m.group(0), a, blocks):
            continue  # in an .om block printed only when the change goes that way
        rad = text.count("\n", 0, a) + 1
        line = lines[rad - 1].strip()
        out.append(Fynd(shown_as, rad, m.group(0), typ, line if len(line) <= 160 else line[:157] + "…"))
    return out


def hand_typed(year: int, report_dir: Path = REPORT, params_dir: Path = PARAMS) -> list[Fynd]:
    """Every finding in report/text/<year>/*.md (a draft's: the earlier year's text it is
    built from; none when there is no text)."""
    folder = allow.text_folder(year, report_dir)
    if folder is None:
        return []
    external = {k: (f.varde, f.mattenhet) for k, f in load_external(year, params_dir).items()}
    tillatna = allow.load(folder)
    out: list[Fynd] = []
    for p in sorted(folder.glob("*.md")):
        shown_as = f"{Path(report_dir).name}/text/{folder.name}/{p.name}"
        out += check_file(p, shown_as, external, tillatna)
    return out
