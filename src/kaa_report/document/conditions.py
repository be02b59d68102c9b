"""Text that depends on a figure: the `.om` blocks of the report's prose.

An author writes a block that is printed only when a figure is in a given state:

    ::: {.om nyckel="nadda" forandring="okade"}
    Fler ungdomar nåddes än året före: {{< var nyckeltal.nadda >}} mot {{< var forra.nadda >}}.
    :::

or the same inline, for a sentence inside a paragraph: `[Text.]{.om nyckel="nadda" varde="noll"}`.

`nyckel` names a nyckeltal; the conditions (all must hold; a value may list several
alternatives separated by spaces, any of which will do):

- `varde` – this year's figure, `forra` – last year's: `positivt` (a number above 0),
  `noll`, `finns` (a number, 0 included), `saknas` (no value: a share whose denominator
  is 0, or a unit or figure that did not exist that year), `sekretess` (hidden by
  small-number suppression);
- `forandring` – the change since last year as the variables print it (shares in whole
  percentage points): `okade`, `minskade`, `oforandrat`, `kan-inte-jamforas` (either
  year has no value) and `sekretess`. Å, ä and ö may be written ("värde", "ökade").

The blocks are resolved in Python while the texts are staged (render.stage), before
either engine reads them, so Quarto and pandoc print the same. A block whose condition
turns on a suppressed figure and does not name `sekretess` is printed as "Uppgiften
redovisas inte av sekretesskäl." (once for blocks in a row): choosing between two texts
on a hidden figure would tell the reader something about it.
"""
from __future__ import annotations

import re

from ..errors import RenderError
from ..fmt import to_decimal
from ..metrics.definitions import DERIVED_BY_ID, ENKAT_NAMN, METRICS
from .variables import SEKRETESS_MENING, difference, is_suppressed

STATES = ("positivt", "noll", "finns", "saknas", "sekretess")
CHANGES = ("okade", "minskade", "oforandrat", "kan-inte-jamforas", "sekretess")
CONDITIONS = {"varde": STATES, "forra": STATES, "forandring": CHANGES}

_OPEN_OM = re.compile(r"^\s*:{3,}\s*\{\s*\.om(?:\s+([^}]*))?\}\s*$")
_OPEN_DIV = re.compile(r"^\s*:{3,}\s*\S")
_CLOSE_DIV = re.compile(r"^\s*:{3,}\s*$")
_INLINE_OM = re.compile(r"\[([^\[\]]*)\]\{\s*\.om\s+([^}]*)\}")
_ATTR = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"')


def known_key(key: str) -> bool:
    """A nyckeltal key the build can write (with or without a kön suffix)."""
    base = key.removesuffix("_k").removesuffix("_m")
    return any(k in (METRICS.keys() | DERIVED_BY_ID.keys() | ENKAT_NAMN.keys()) for k in (key, base))


def value_state(value) -> str:
    """"sekretess", "saknas", "noll" or "positivt"."""
    if is_suppressed(value):
        return "sekretess"
    d = to_decimal(value)
    if d is None:
        return "saknas"
    return "noll" if d == 0 else "positivt"


def change_state(key: str, nu, fore) -> str:
    """"okade", "minskade", "oforandrat", "kan-inte-jamforas" or "sekretess", as forandring.<key> reads."""
    if is_suppressed(nu) or is_suppressed(fore):
        return "sekretess"
    diff = difference(key, nu, fore)
    if diff is None:
        return "kan-inte-jamforas"
    return "okade" if diff > 0 else "minskade" if diff < 0 else "oforandrat"


def _plain(word: str) -> str:
    return word.lower().translate(str.maketrans("åäö", "aao"))


def _parse(attrs: str, where: str) -> tuple[str, dict[str, set[str]]]:
    found = {_plain(k): v for k, v in _ATTR.findall(attrs or "")}
    rest = _ATTR.sub("", attrs or "").strip()
    if rest:
        raise RenderError(f"{where}: oläsligt villkor {rest!r} i .om-blocket (skriv namn=\"värde\", se report/README.md)")
    key = found.pop("nyckel", None)
    if not key:
        raise RenderError(f"{where}: .om-blocket saknar nyckel=\"…\" (se report/README.md)")
    if not known_key(key):
        raise RenderError(f"{where}: okänd nyckel {key!r} i .om-blocket (se nyckeltal.json)")
    if not found:
        raise RenderError(f"{where}: .om-blocket för {key} saknar villkor ({', '.join(CONDITIONS)})")
    conds = {}
    for name, value in found.items():
        if name not in CONDITIONS:
            raise RenderError(f"{where}: okänt villkor {name!r} i .om-blocket; välj bland {', '.join(CONDITIONS)}")
        wanted = {_plain(w) for w in value.split()}
        bad = wanted - set(CONDITIONS[name])
        if bad or not wanted:
            raise RenderError(f"{where}: {name}=\"{value}\" i .om-blocket; välj bland {', '.join(CONDITIONS[name])}")
        conds[name] = wanted
    return key, conds


def decide(attrs: str, nyckeltal: dict, foregaende: dict, where: str = "") -> bool | None:
    """True (print the block), False (leave it out) or None (it turns on a suppressed figure)."""
    key, conds = _parse(attrs, where)
    nu, fore = nyckeltal.get(key), foregaende.get(key)
    states = {"varde": value_state(nu), "forra": value_state(fore), "forandring": change_state(key, nu, fore)}
    secret = False
    for name, wanted in conds.items():
        s = states[name]
        if "finns" in wanted and s in ("positivt", "noll"):
            continue
        if s == "sekretess" and "sekretess" not in wanted:
            secret = True  # undecided, unless a condition on a shown figure rules the block out
        elif s not in wanted:
            return False
    return None if secret else True


def resolve_conditions(text: str, nyckeltal: dict, foregaende: dict, where: str = "") -> str:
    """The Markdown text with every `.om` block and span kept (without its fence) or left out."""
    if ".om" not in text:
        return text
    out: list[str] = []
    stack: list[bool | None] = []  # per open div: True/False for .om, None for any other div
    opened: list[int] = []  # the line of each open .om block
    hidden = 0  # open .om blocks whose condition does not hold
    for n, line in enumerate(text.split("\n"), 1):
        here = f"{where}:{n}"
        m = _OPEN_OM.match(line)
        if m:
            keep = decide(m.group(1), nyckeltal, foregaende, here) if not hidden else False
            if keep is None:  # print the confidentiality sentence instead, once for a run of them
                if not [x for x in out if x.strip()][-1:] == [SEKRETESS_MENING]:
                    out.extend([SEKRETESS_MENING, ""])
                keep = False
            stack.append(keep)
            opened.append(n)
            hidden += not keep
            continue
        if _CLOSE_DIV.match(line):
            if not stack:
                raise RenderError(f"{here}: ':::' stänger inget block")
            top = stack.pop()
            if top is None:
                if not hidden:
                    out.append(line)
            else:
                opened.pop()
                hidden -= not top
            continue
        if _OPEN_DIV.match(line):
            stack.append(None)
        if not hidden:
            out.append(_inline(line, nyckeltal, foregaende, here))
    if opened:
        raise RenderError(f"{where}:{opened[-1]}: .om-blocket stängs inte med ':::'")
    return "\n".join(out)


def _inline(line: str, nyckeltal: dict, foregaende: dict, where: str) -> str:
    """Resolve the `[text]{.om …}` spans of one line. A span that turns on a suppressed
    figure becomes SEKRETESS_MENING (once for spans side by side)."""
    out, pos = [], 0
    for m in _INLINE_OM.finditer(line):
        out.append(line[pos:m.start()])
        pos = m.end()
        keep = decide(m.group(2), nyckeltal, foregaende, where)
        if keep is None:
            before = "".join(out)
            if not before.rstrip().endswith(SEKRETESS_MENING):
                out.append((" " if before and not before[-1].isspace() else "") + SEKRETESS_MENING)
        elif keep:
            out.append(m.group(1))
    out.append(line[pos:])
    line = "".join(out)
    return re.sub(r"(?<=\S)[ \t]{2,}", " ", line).rstrip() if line.strip() else line
