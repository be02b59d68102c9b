"""The allow-list beside the texts: report/text/<Y>/tillatna.yml.

Facts in the prose that are not figures from the register (the law's paragraph, the age
limit "20 år", the 50 % indicator, a goal that says "fler"): each entry is a literal
piece of text and why it may stand there.

    # Facts in the text that are not figures from the register (data-contract / issue 12.2)
    tillatna:
      - text: "29 kap. 9 §"
        skal: "paragrafen i skollagen"

The source check (textkontroll.py) and the audit's PDF trace (review/pdftrace.py) accept
the digits and comparison words inside such a text wherever it stands; nothing else.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import ParamsError
from ..params import read_yaml

FILNAMN = "tillatna.yml"
KEY = "tillatna"
_SPACE = re.compile(r"[\s\u00a0\u202f\u2009]+")


@dataclass(frozen=True)
class Tillaten:
    """One allowed piece of text and the reason it is allowed."""

    text: str
    skal: str


def normalize(text: str) -> str:
    """Every run of white space (also non-breaking and thin spaces, line breaks) as one
    space, so an entry matches however the text was broken into lines or printed."""
    return _SPACE.sub(" ", text)


def text_folder(year: int, report_dir: Path) -> Path | None:
    """report/text/<year>/, or for a draft built from an earlier year's text the latest
    earlier year's folder (None when there is none)."""
    base = Path(report_dir) / "text"
    if (base / str(year)).is_dir():
        return base / str(year)
    earlier = sorted(int(p.name) for p in base.glob("[0-9][0-9][0-9][0-9]") if p.is_dir() and int(p.name) < year)
    return base / str(earlier[-1]) if earlier else None


def path_for(text_dir: Path) -> Path:
    return Path(text_dir) / FILNAMN


def load(text_dir: Path) -> list[Tillaten]:
    """The entries of <text_dir>/tillatna.yml (none when the file does not exist); a
    malformed file is a ParamsError that names the entry."""
    p = path_for(text_dir)
    if not p.is_file():
        return []
    where = f"{p.parent.name}/{p.name}"
    try:
        raw = read_yaml(p)
    except yaml.YAMLError as e:
        raise ParamsError(f"{where}: ingen giltig YAML ({e})") from None
    entries = raw.get(KEY) if isinstance(raw, dict) else None
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise ParamsError(f"{where}: '{KEY}' ska vara en lista med text och skäl")
    out = []
    for i, e in enumerate(entries, 1):
        if not isinstance(e, dict) or not str(e.get("text") or "").strip() or not str(e.get("skal") or "").strip():
            raise ParamsError(f"{where}: post {i} i '{KEY}' ska ha både text och skal (är {e!r})")
        out.append(Tillaten(normalize(str(e["text"]).strip()), str(e["skal"]).strip()))
    return out


def pattern(t: Tillaten) -> re.Pattern:
    """The entry as a regular expression: any white space between its words (a line break,
    a non-breaking space), and not inside a longer word or number ("20 år" is not in "120 år")."""
    body = r"[\s\u00a0\u202f\u2009]+".join(re.escape(w) for w in t.text.split(" "))
    head = r"(?<!\w)" if re.match(r"\w", t.text) else ""
    tail = r"(?!\w)" if re.search(r"\w$", t.text) else ""
    return re.compile(head + body + tail)


def spans(text: str, tillatna: list[Tillaten]) -> list[tuple[int, int, Tillaten]]:
    """(start, end, entry) of every occurrence of an entry in `text`."""
    return [(m.start(), m.end(), t) for t in tillatna for m in pattern(t).finditer(text)]


def covering(pos: int, end: int, found: list[tuple[int, int, Tillaten]]) -> Tillaten | None:
    """The entry whose occurrence covers text[pos:end], if any (the longest one)."""
    best = None
    for s, e, t in found:
        if s <= pos and end <= e and (best is None or e - s > best[1] - best[0]):
            best = (s, e, t)
    return None if best is None else best[2]
