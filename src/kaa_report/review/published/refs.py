"""Which contract figure each entry of a published-figures file states (the table of
figure_map.md kept as data), and reading the file."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ...exhibits.tables import TABELL_5_COLUMNS
from ...params import STAD, mapping_for, read_yaml
from ...paths import ROOT

# ---------------------------------------------------------------- reading


def default_published_path() -> Path:
    """../shared/published/published_figures.yaml beside the repository, else the test copy."""
    shared = ROOT.parent / "shared" / "published" / "published_figures.yaml"
    return shared if shared.exists() else ROOT / "tests" / "data" / "published_figures.yaml"


def load_published(path: Path) -> dict:
    """The parsed file: a dict with `entries` (list) and `claims` (list), both possibly empty."""
    data = read_yaml(path)
    data.setdefault("entries", [])
    data.setdefault("claims", [])
    return data


# ---------------------------------------------------------------- which figure an entry states


@dataclass(frozen=True)
class Ref:
    """What a published entry states about the contract figures.

    kind "niva": the value of `key` in (year, scope); "forandring": key(year) − key(year−1);
    "kvot": key / den in (year, scope), as percent (for figures not in nyckeltal)."""

    year: int
    scope: str
    key: str
    kind: str = "niva"
    den: str | None = None

    def inputs(self) -> list[tuple[int, str, str]]:
        """The (year, scope, nyckeltal key) values this statement depends on."""
        if self.kind == "forandring":
            return [(self.year, self.scope, self.key), (self.year - 1, self.scope, self.key)]
        if self.kind == "kvot":
            return [(self.year, self.scope, self.key), (self.year, self.scope, self.den)]
        return [(self.year, self.scope, self.key)]


# figure_map.yml: which figure each published id states (the table of figure_map.md as data).
FIGURE_MAP = Path(__file__).with_name("figure_map.yml")
FIGURE_MAP_DATA = read_yaml(FIGURE_MAP)
_TEXT_REFS: dict[str, tuple] = {k: tuple(v) for k, v in FIGURE_MAP_DATA["text_refs"].items()}
_MULTI_REFS: dict[str, list[Ref]] = {k: [Ref(r["year"], STAD, r["key"], r.get("kind", "niva"), r.get("den")) for r in v]
                                      for k, v in FIGURE_MAP_DATA["multi_refs"].items()}
# Tabell 2/3 cells: t2_2023_<status>_<k|m|total>.
_T23 = re.compile(r"^t[23]_(\d{4})_(ej_nadda|nadda|sokta)_(k|m|total)$")
# Tabell 5/6 cells: t5_2023_<row>_<column>, row = a unit's slug with "_" for "-", or "totalt".
_T56 = re.compile(r"^t[56]_(\d{4})_(\w+)$")
T56_COLUMNS = TABELL_5_COLUMNS  # the published column names are Tabell 5's


def t56_rows(year: int) -> dict[str, str]:
    """Row name in a Tabell 5/6 id → scope, from the organisation in params/jobbtorg.yml."""
    rows = {u.slug.replace("-", "_"): u.slug for u in mapping_for(year).units}
    return {**rows, "totalt": STAD}


def torg(year: int) -> list[str]:
    """The jobbtorg of Tabell 5/6 (not Saknar stadsdel), from params/jobbtorg.yml."""
    return [u.slug for u in mapping_for(year).jobbtorg]


def published_refs(entry: dict) -> list[Ref]:
    """Every contract figure an entry states (empty for figures outside the register)."""
    pid = entry["id"]
    if pid in _MULTI_REFS:
        return list(_MULTI_REFS[pid])
    if pid in _TEXT_REFS:
        year, key, *kind = _TEXT_REFS[pid]
        return [Ref(year, STAD, key, kind[0] if kind else "niva")]
    m = _T23.match(pid)
    if m:
        year, status, g = m.groups()
        return [Ref(int(year), STAD, status + ("" if g == "total" else "_" + g))]
    m = _T56.match(pid)
    if m:
        year, rest = int(m.group(1)), m.group(2)
        for row, scope in t56_rows(year).items():
            col = rest.removeprefix(row + "_")
            if rest.startswith(row + "_") and col in T56_COLUMNS:
                return [Ref(year, scope, T56_COLUMNS[col])]
    return []
