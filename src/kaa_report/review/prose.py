"""The audit's prose check: the figures and changes the documents were written with.

Every render writes the variables it used beside its PDF (`variabler-<doc>.yml`, see
document/render.py; a hand-made build may hold `_variables.yml`). `check_prose` reads each
and compares `nyckeltal.<key>`, `forra.<key>` (counts and whole percents) and
`forandring.<key>`, `okning.<key>`, `jamfort.<key>` ("ökade med 8", "8 fler än"; in
procentenheter for shares) with the two nyckeltal
files. A suppressed figure's variable reads "(redovisas inte av sekretesskäl)" and is
skipped.
"""
from __future__ import annotations

import re
from pathlib import Path

from .. import fmt
from ..params import read_yaml
from .avvikelse import Avvikelse, _n
from .outputs import NYCKELTAL, is_share


def _prose_number(text: str) -> int | None:
    """A printed count or whole percent ("7 546", "54 %", "54 procent") as int, else None."""
    t = str(text).replace("\u00a0", " ").replace(" %", "").replace(" procent", "").replace(" ", "")
    return int(t) if re.fullmatch(r"[−-]?\d+", t) else None


_CHANGE = re.compile(r"(?:en )?(ökade|minskade|ökning|minskning) med ([\d ]+?)( procentenheter| procentenhet)?")
_COMPARED = re.compile(r"([\d ]+?)( procentenheter| procentenhet)? (fler|färre|högre|lägre) än")
_NONE = ("var oförändrat", "ingen förändring", "lika många som", "lika hög som")


def _prose_change(text: str) -> int | None:
    """A change as `forandring`, `okning` and `jamfort` print it, signed: "ökade med 392" /
    "en ökning med 392" / "392 fler än" → 392, "minskade med 4" / "4 färre än" → −4,
    "var oförändrat" / "lika många som" → 0 (shares in procentenheter); None for "kan inte
    jämföras" or anything else."""
    t = str(text).replace("\u00a0", " ")
    if t in _NONE:
        return 0
    m = _CHANGE.fullmatch(t)
    if m:
        n = int(m.group(2).replace(" ", ""))
        return n if m.group(1) in ("ökade", "ökning") else -n
    m = _COMPARED.fullmatch(t)
    if m:
        n = int(m.group(1).replace(" ", ""))
        return n if m.group(3) in ("fler", "högre") else -n
    return None


def _printed(key: str, v) -> int | None:
    """What the prose should print for a figure: the count, or a share in whole percent
    (half away from zero)."""
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        return None
    if is_share(NYCKELTAL, key, ""):
        return int(fmt.avrunda(fmt.to_decimal(v) * 100))
    return int(v)


def prose_files(folder: Path) -> list[Path]:
    """The variable files of one scope folder: one per rendered document."""
    return sorted(Path(folder).glob("variabler-*.yml")) or sorted(Path(folder).rglob("_variables.yml"))[:1]


def check_prose(folder: Path, scope: str, nk: dict, prev: dict | None) -> list[Avvikelse]:
    """Every figure or change in the scope's variable files that the nyckeltal contradict."""
    out: list[Avvikelse] = []
    for p in prose_files(folder):
        v = read_yaml(p)
        where = "" if p.name == "_variables.yml" else f" ({p.name})"
        out += [Avvikelse(a.scope, a.typ, a.figur + where, a.aritmetik) for a in check_variables(v, scope, nk, prev)]
    return out


def check_variables(v: dict, scope: str, nk: dict, prev: dict | None) -> list[Avvikelse]:
    """`nyckeltal.<key>`, `forra.<key>` and `forandring.<key>` of one variable tree against
    the two nyckeltal files."""
    out = []
    for group, src in (("nyckeltal", nk), ("forra", prev or {})):
        for key, text in (v.get(group) or {}).items():
            want, got = _printed(key, src.get(key)), _prose_number(text)
            if want is not None and got is not None and want != got:
                out.append(Avvikelse(scope, "text", f"{group}.{key}",
                                     f"texten \u201d{text}\u201d, nyckeltal {_n(src.get(key))} → {_n(want)}"))
    changes = [(g, k, t) for g in ("forandring", "okning", "jamfort") for k, t in (v.get(g) or {}).items()]
    for group, key, text in changes:
        a, b = _printed(key, nk.get(key)), _printed(key, (prev or {}).get(key))
        got = _prose_change(text)
        if a is None or b is None or got is None:
            continue
        if a - b != got:
            unit = " procentenheter (hela procent)" if is_share(NYCKELTAL, key, "") else ""
            out.append(Avvikelse(scope, "forandring", f"{group}.{key}",
                                 f"{_n(a)} − {_n(b)} = {_n(a - b)}{unit}, texten säger \u201d{text}\u201d"))
    return out
