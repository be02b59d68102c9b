"""The variables the report's prose can use: every figure, formatted the Swedish way,
and every comparison with the year before, computed from both years' nyckeltal.

Authors write `{{< var nyckeltal.omfattade >}}` in the Markdown; Quarto reads the values
from `_variables.yml`, and the pandoc path substitutes them in Python (render.py). The
tree of variables is documented for authors in report/README.md:

- `ar`, `forra_ar`, `nasta_ar`, `enhet`, `period`, `forra_period`
- `nyckeltal.<key>`: this year's value ("7 546", a share as "54 %")
- `procent.<key>`: a share as "54 procent"
- `forra.<key>`, `forra_procent.<key>`: last year's value
- `forandring.<key>`: "ökade med 392" / "minskade med 4" / "var oförändrat" (shares: "var oförändrad")
- `okning.<key>`: "en ökning med 392" / "en minskning med 4" / "ingen förändring"
- `jamfort.<key>`: "392 fler än" / "4 färre än" / "lika många som"
- `skillnad.<key>`: the absolute difference, "392" (shares: "6 procentenheter")

Shares (keys containing "andel") are compared in percentage points of the rounded
whole percentages, as a reader would compare the printed numbers. A missing value holds
"–" and comparisons with it "kan inte jämföras"; in the prose `hide_sentences` leaves a
sentence that would print either out (the texts choose a sentence of their own with the
`.om` blocks of conditions.py).

Suppressed figures (below city level, the "<5" and ".." of publicerade_nyckeltal.json)
never reach a sentence: every variable that shows one, or compares with one, holds
`SEKRETESS`, and `hide_sentences` (run on the staged texts before either engine reads
them) replaces each sentence that uses such a variable by "Uppgiften redovisas inte av
sekretesskäl." Where a variable is used outside the texts (captions, the letter's
params) `SEKRETESS` itself reads as a true statement.
"""
from __future__ import annotations

import re

from .. import fmt
from ..contract.external import MISSING as EXTERNAL_MISSING
from ..fmt import NBSP, to_decimal
from ..metrics.definitions import is_share

KAN_INTE_JAMFORAS = "kan inte jämföras"
SEKRETESS = "(redovisas inte av sekretesskäl)"  # a suppressed figure, or a comparison with one
SEKRETESS_MENING = "Uppgiften redovisas inte av sekretesskäl."
# what a variable holds when its figure is missing: fmt.SAKNAS, a comparison with it, a
# figure from outside the register not entered for the year (contract.external.MISSING)
MISSING_VALUES = {fmt.SAKNAS, KAN_INTE_JAMFORAS, EXTERNAL_MISSING}


def is_suppressed(value) -> bool:
    """A figure hidden by suppression: the published files hold its sign ("<5", "..")
    where a number would be; real figures are numbers or missing (None)."""
    return isinstance(value, str) and fmt.to_decimal(value) is None


def format_value(key: str, value, ord: bool = False) -> str:
    """One figure for print: a count as "7 546", a share as "54 %" (or "54 procent")."""
    if is_share(key):
        return fmt.procent(value, ord=ord)
    return fmt.antal(value)


def _whole_percent(value):
    d = to_decimal(value)
    return None if d is None else fmt.avrunda(d * 100)


def difference(key: str, nu, fore):
    """nu − fore (shares: in whole percentage points of the printed percents), or None
    when either is not a number (suppressed, missing)."""
    if is_share(key):
        a, b = _whole_percent(nu), _whole_percent(fore)
    else:
        a, b = to_decimal(nu), to_decimal(fore)
    if a is None or b is None:
        return None
    return a - b


def _amount(key: str, diff) -> str:
    if is_share(key):  # diff in whole percentage points
        return fmt.procentenheter(diff / 100)
    return fmt.antal(abs(diff))


def forandring(key: str, nu, fore) -> str:
    """"ökade med 392", "minskade med 4", "var oförändrat" (shares: "ökade med 6 procentenheter")."""
    diff = difference(key, nu, fore)
    if diff is None:
        return KAN_INTE_JAMFORAS
    if diff == 0:  # "antalet … var oförändrat", "andelen … var oförändrad"
        return "var oförändrad" if is_share(key) else "var oförändrat"
    return ("ökade med " if diff > 0 else "minskade med ") + _amount(key, diff)


def okning(key: str, nu, fore) -> str:
    """"en ökning med 392", "en minskning med 4", "ingen förändring"."""
    diff = difference(key, nu, fore)
    if diff is None:
        return KAN_INTE_JAMFORAS
    if diff == 0:
        return "ingen förändring"
    return ("en ökning med " if diff > 0 else "en minskning med ") + _amount(key, diff)


def jamfort(key: str, nu, fore) -> str:
    """"392 fler än", "4 färre än", "lika många som" (shares: "6 procentenheter högre än")."""
    diff = difference(key, nu, fore)
    if diff is None:
        return KAN_INTE_JAMFORAS
    if is_share(key):
        if diff == 0:
            return "lika hög som"
        return _amount(key, diff) + (" högre än" if diff > 0 else " lägre än")
    if diff == 0:
        return "lika många som"
    return _amount(key, diff) + (" fler än" if diff > 0 else " färre än")


def skillnad(key: str, nu, fore) -> str:
    diff = difference(key, nu, fore)
    return fmt.SAKNAS if diff is None else _amount(key, diff)


MANADER = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december")


def period_text(year: int) -> str:
    """The operating year in words: "1 december 2022 – 30 november 2023"."""
    return f"1{NBSP}december {year - 1} – 30{NBSP}november {year}"


def datum_text(iso: str) -> str:
    """"2024-02-20" → "20 februari 2024"."""
    y, m, d = (int(p) for p in str(iso).split("-"))
    return f"{d}{NBSP}{MANADER[m - 1]} {y}"


def report_variables(year: int, enhet: str, nyckeltal: dict, foregaende: dict, extra: dict | None = None) -> dict:
    """The whole variable tree (nested dicts of strings) for one scope and year."""
    keys = list(nyckeltal)

    def one(k, year_value, f):  # a figure of one year
        return SEKRETESS if is_suppressed(year_value) else f()

    def both(k, f):  # a comparison of the two years
        if is_suppressed(nyckeltal[k]) or is_suppressed(foregaende.get(k)):
            return SEKRETESS
        return f(k, nyckeltal[k], foregaende.get(k))

    v: dict = {
        "ar": str(year),
        "forra_ar": str(year - 1),
        "nasta_ar": str(year + 1),
        "enhet": enhet,
        "period": period_text(year),
        "forra_period": period_text(year - 1),
        "nyckeltal": {k: one(k, nyckeltal[k], lambda k=k: format_value(k, nyckeltal[k])) for k in keys},
        "procent": {k: one(k, nyckeltal[k], lambda k=k: format_value(k, nyckeltal[k], ord=True))
                    for k in keys if is_share(k)},
        "forra": {k: one(k, foregaende.get(k), lambda k=k: format_value(k, foregaende.get(k))) for k in keys},
        "forra_procent": {k: one(k, foregaende.get(k), lambda k=k: format_value(k, foregaende.get(k), ord=True))
                          for k in keys if is_share(k)},
        "forandring": {k: both(k, forandring) for k in keys},
        "okning": {k: both(k, okning) for k in keys},
        "jamfort": {k: both(k, jamfort) for k in keys},
        "skillnad": {k: both(k, skillnad) for k in keys},
    }
    if extra:
        v.update(extra)
    return v


def lookup(variables: dict, path: str) -> str:
    """The value at a dotted path ("nyckeltal.omfattade"); KeyError when there is none."""
    node = variables
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            raise KeyError(path)
        node = node[part]
    if isinstance(node, dict):
        raise KeyError(path)
    return str(node)


def flatten(variables: dict, prefix: str = "") -> dict[str, str]:
    """Every leaf as "a.b.c" → value (for documentation and tests)."""
    out: dict[str, str] = {}
    for k, v in variables.items():
        path = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, path + "."))
        else:
            out[path] = str(v)
    return out


_VAR_RE = re.compile(r"\{\{<\s*var\s+([^\s>]+)\s*>\}\}")
# a sentence ends at . ! or ? followed by space and a capital, a digit or a shortcode
_LEAD = re.compile(r"[ \t]*(?:(?:[-*+]|\d+\.)[ \t]+)?")  # indentation and a list marker
_SENTENCE_END = re.compile(r"(?<=[.!?])[ \t]+(?=[A-ZÅÄÖ0-9{*(\"”])")


def _states(sentence: str, variables: dict) -> set[str]:
    """What the sentence's variables hold: "sekretess" and/or "saknas" (or nothing)."""
    out = set()
    for m in _VAR_RE.finditer(sentence):
        try:
            value = lookup(variables, m.group(1))
        except KeyError:
            continue
        if value == SEKRETESS:
            out.add("sekretess")
        elif value in MISSING_VALUES:
            out.add("saknas")
    return out


def needs_hiding(variables: dict) -> bool:
    """Whether any variable holds SEKRETESS or a missing value (else hide_sentences leaves
    every text as it is)."""
    values = set(flatten(variables).values())
    return SEKRETESS in values or bool(values & MISSING_VALUES)


def hide_sentences(text: str, variables: dict, hiding: bool | None = None) -> str:
    """The Markdown text with every sentence that would print a suppressed figure (a
    variable holding SEKRETESS) replaced by SEKRETESS_MENING, once per run of such
    sentences, and every sentence that would print a missing figure or a comparison that
    cannot be made ("–", "kan inte jämföras", "uppgift saknas") left out: no reader writes
    "avslutades – ärenden". A line left empty goes (a list item with it). Headings, fenced
    blocks and front matter are left as they are; a sentence is taken within one line.
    `hiding`: needs_hiding(variables), when the caller has it for several texts."""
    if not (needs_hiding(variables) if hiding is None else hiding):
        return text
    out, fenced = [], False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if fenced or not _VAR_RE.search(line) or line.lstrip().startswith(("#", "```", "<", ":::")):
            out.append(line)
            continue
        lead = _LEAD.match(line).group(0)
        kept: list[str] = []
        for s in _SENTENCE_END.split(line[len(lead):].strip()):
            states = _states(s, variables)
            if "sekretess" in states or s == SEKRETESS_MENING:  # (an .om block may have written one)
                if not kept or kept[-1] != SEKRETESS_MENING:
                    kept.append(SEKRETESS_MENING)
            elif not states:
                kept.append(s)
        if kept:
            out.append(lead + " ".join(kept))
        elif not lead.strip():
            out.append("")
    return "\n".join(out)
