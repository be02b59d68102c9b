"""Figures from outside the register, entered per operating year in params/<year>.yml.

Slussplatser, Studiesteg1 lessons, Ungvux examens, addresses reported to Skatteverket:
figures the register cannot give. Each has a value, a unit and a source, and is checked
before a build like the data is (data contract, "Parameters")."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from ..errors import ExternalFiguresError
from ..params import read_yaml
from ..paths import PARAMS

KEY = "externa_siffror"


@dataclass(frozen=True)
class ExternalFigure:
    key: str
    varde: int
    mattenhet: str  # unit of measure ("platser"), the key `enhet` in the params file
    kalla: str


def path_for(year: int, params_dir: Path = PARAMS) -> Path:
    return Path(params_dir) / f"{year}.yml"


def check(raw: dict, file: str) -> list[str]:
    """Every rule the entries break, as readable lines (empty when all is well)."""
    problems = []
    entries = raw.get(KEY)
    if entries is None:
        return [f"{file}: nyckeln '{KEY}' saknas"]
    if not isinstance(entries, dict):
        return [f"{file}: '{KEY}' ska vara en lista av namngivna siffror"]
    for key, e in entries.items():
        where = f"{file}: {KEY}.{key}"
        if not isinstance(e, dict):
            problems.append(f"{where}: ska ha varde, enhet och kalla")
            continue
        v = e.get("varde")
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            problems.append(f"{where}.varde: ska vara ett heltal >= 0 (är {v!r})")
        for field in ("enhet", "kalla"):
            if not str(e.get(field) or "").strip():
                problems.append(f"{where}.{field}: saknas (varje siffra ska ha {field})")
        unknown = set(e) - {"varde", "enhet", "kalla"}
        if unknown:
            problems.append(f"{where}: okända fält {', '.join(sorted(unknown))}")
    return problems


def load_external(year: int, params_dir: Path = PARAMS) -> dict[str, ExternalFigure]:
    """The year's external figures (none when params/<year>.yml does not exist)."""
    p = path_for(year, params_dir)
    if not p.is_file():
        return {}
    try:
        raw = read_yaml(p)
    except yaml.YAMLError as e:
        raise ExternalFiguresError(f"params/{p.name}: ingen giltig YAML ({e})") from None
    if not isinstance(raw, dict):
        raise ExternalFiguresError(f"params/{p.name}: ska innehålla nyckeln '{KEY}' med namngivna siffror")
    problems = check(raw, f"params/{p.name}")
    if problems:
        raise ExternalFiguresError("\n".join(problems))
    return {k: ExternalFigure(k, e["varde"], e["enhet"], e["kalla"]) for k, e in raw[KEY].items()}


MISSING = "uppgift saknas"


def report_values(year: int, params_dir: Path = PARAMS) -> dict[str, int | str]:
    """The year's figures for the prose; a figure that another year has but this year lacks
    reads "uppgift saknas", so a year's text can be reused before its figures are entered."""
    known = set()
    for p in Path(params_dir).glob("[0-9][0-9][0-9][0-9].yml"):
        known |= set((read_yaml(p).get(KEY) or {}))
    have = load_external(year, params_dir)
    return {k: have[k].varde if k in have else MISSING for k in sorted(known | set(have))}
