"""Which contract figure each entry of a published-figures file states (the table of
figure_map.md kept as data), and reading the file."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from ...exhibits.tables import TABELL_5_COLUMNS
from ...params import STAD, mapping_for
from ...paths import ROOT


# ---------------------------------------------------------------- reading


def default_published_path() -> Path:
    """../shared/published/published_figures.yaml beside the repository, else the test copy."""
    shared = ROOT.parent / "shared" / "published" / "published_figures.yaml"
    return shared if shared.exists() else ROOT / "tests" / "data" / "published_figures.yaml"


def load_published(path: Path) -> dict:
    """The parsed file: a dict with `entries` (list) and `claims` (list), both possibly empty."""
    with open(path, encoding="utf-8") as f:
        data = yaml.safe_load(f) or {}
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


# The table of figure_map.md: published id → (year, key[, kind]) for scope stad.
_TEXT_REFS: dict[str, tuple] = {
    "ar23_omfattade_total": (2023, "omfattade"),
    "ar23_omfattade_k": (2023, "omfattade_k"),
    "ar23_omfattade_m": (2023, "omfattade_m"),
    "c25_omfattade_total": (2025, "omfattade"),
    "ar23_omfattade_okning": (2023, "omfattade", "forandring"),
    "ar23_sokta_total_text": (2023, "sokta"),
    "ar23_sokta_okning": (2023, "sokta", "forandring"),
    "ar23_nadda_total_text": (2023, "nadda"),
    "ar23_nadda_okning": (2023, "nadda", "forandring"),
    "ar23_nadda_andel": (2023, "nadda_andel"),
    "ar22_nadda_andel": (2022, "nadda_andel"),
    "ar23_kontaktforsok": (2023, "kontaktforsok"),
    "ar23_kontaktforsok_over": (2023, "kontaktforsok"),
    "ar23_kontaktforsok_okning": (2023, "kontaktforsok", "forandring"),
    "ar23_kontaktforsok_okning_over": (2023, "kontaktforsok", "forandring"),
    "ar23_sysselsatta_andel": (2023, "sysselsatta_andel"),
    "ar22_sysselsatta_andel": (2022, "sysselsatta_andel"),
    "ar23_inskrivna_text": (2023, "inskrivna"),
    "ar22_inskrivna_text": (2022, "inskrivna"),
    "c25_insatser_deltagare": (2025, "inskrivna"),
    "ar23_nyinskrivna": (2023, "nyinskrivna"),
    "ar22_nyinskrivna": (2022, "nyinskrivna"),
    "ar23_avslutade_nastan": (2023, "avslutade"),
    "ar22_avslutade_ca": (2022, "avslutade"),
    "ar23_avslutade_studier_text": (2023, "avslutade_studier"),
    "ar22_avslutade_studier_text": (2022, "avslutade_studier"),
    "ar23_avslutade_studier_nastan": (2023, "avslutade_studier"),
    "ar23_avslutade_studier_okning": (2023, "avslutade_studier", "forandring"),
    "ar23_avslutade_studier_andel_text": (2023, "studier_andel"),
    "ar23_avslutade_arbete_text": (2023, "avslutade_arbete"),
    "ar22_avslutade_arbete_text": (2022, "avslutade_arbete"),
    "ar23_avslutade_arbete_ca": (2023, "avslutade_arbete"),
    "ar23_avslutade_arbete_okning": (2023, "avslutade_arbete", "forandring"),
    "ar23_avslutade_arbete_andel_text": (2023, "arbete_andel"),
    "c25_avslutade": (2025, "avslutade"),
    "c25_avslutade_2024": (2024, "avslutade"),
    "c25_avslutade_studier_andel": (2025, "studier_andel"),
    "c25_avslutade_studier_okning": (2025, "avslutade_studier", "forandring"),
    "c25_avslutade_studier_okning_man": (2025, "avslutade_studier_m", "forandring"),
    "c25_avslutade_studier_andel_k": (2025, "studier_andel_k"),
    "c25_avslutade_studier_andel_m": (2025, "studier_andel_m"),
    "ar23_aim_inskrivna": (2023, "aim_inskrivna"),
    "ar23_aim_nyinskrivna": (2023, "aim_nyinskrivna"),
    "ar23_aim_nyinskrivna_okning": (2023, "aim_nyinskrivna", "forandring"),
    "ar23_aim_utskrivna": (2023, "aim_avslutade"),
    "ar23_aim_studier_andel": (2023, "aim_studier_andel"),
    "ar22_aim_studier_andel": (2022, "aim_studier_andel"),
    "ar23_aim_arbete_andel": (2023, "aim_arbete_andel"),
    "ar22_aim_arbete_andel": (2022, "aim_arbete_andel"),
    "ar23_enkat_fraga_svarande": (2023, "enkat_svarande"),
    "ar23_enkat_nojda": (2023, "enkat_nojda"),
    "c25_skolavhopp_avslutade_arenden": (2025, "skolavhopp_avslutade"),
    "c25_skolavhopp_kvar_i_studier_andel": (2025, "skolavhopp_kvar_i_studier_andel"),
}
# Entries that state more than one figure, or a share that is no nyckeltal key.
_MULTI_REFS: dict[str, list[Ref]] = {
    "ar23_nadda_andel_k_och_m": [Ref(2023, STAD, "nadda_andel_k"), Ref(2023, STAD, "nadda_andel_m")],
    "c25_omfattade_andel_man": [Ref(2025, STAD, "omfattade_m", "kvot", "omfattade")],
}
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


def published_key(entry: dict) -> tuple[int, str, str] | None:
    """(year, scope, nyckeltal key) of an entry that states one nyckeltal value, else None
    (changes, ratios outside nyckeltal, figures from outside the register)."""
    refs = published_refs(entry)
    if len(refs) == 1 and refs[0].kind == "niva":
        r = refs[0]
        return (r.year, r.scope, r.key)
    return None


