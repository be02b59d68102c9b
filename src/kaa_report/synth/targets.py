"""The targets and knobs of params/synth.yml, read into plain structures."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..params import read_yaml
from ..paths import PARAMS
from .alloc import round_half_up

KON = ("K", "M")


def by_kon(value, share_k: float) -> dict[str, int]:
    """A count from the file (int, or {K: n, M: n}) as {K: n, M: n}; an int is split with share_k."""
    if isinstance(value, dict):
        return {k: int(value[k]) for k in KON}
    k = round_half_up(int(value) * share_k)
    return {"K": k, "M": int(value) - k}


def per_year(table: dict, year: int, default=None):
    """A knob that may be given per year, with a `standard` (default) entry."""
    if not isinstance(table, dict):
        return table
    if year in table:
        return table[year]
    return table.get("standard", default)


@dataclass(frozen=True)
class InsatsYear:
    """One verksamhet's targets for one year. Counts are int, {K, M}, or None."""

    inskrivna: object
    nyinskrivna: object
    avslutade: object
    orsak: dict
    per_jobbtorg: dict | None  # slug -> {inskrivna, avslutade, orsak}


@dataclass(frozen=True)
class Verksamhet:
    namn: str
    years: dict[int, InsatsYear]
    kon_andel_k: dict[str, float]
    jobbtorg_vikter: dict[str, float] | None
    forsta_arets_overforda: float
    ateninskrivna_andel: float
    start: str | None
    ej_i_registret: bool

    def share_k(self, what: str) -> float:
        return float(self.kon_andel_k.get(what, self.kon_andel_k.get("inskrivna", 0.5)))


@dataclass(frozen=True)
class Targets:
    raw: dict
    years: tuple[int, ...]
    warmup: int
    verksamheter: dict[str, Verksamhet]

    @property
    def register(self) -> dict:
        return self.raw["register"]

    @property
    def uppsok(self) -> dict:
        return self.raw["uppsok"]

    def count(self, section: dict, key: str, year: int, share_key: str = "kon_andel_k") -> dict[str, int]:
        return by_kon(section[key][year], float(section[share_key]))


def _insats_year(d: dict) -> InsatsYear:
    return InsatsYear(
        inskrivna=d.get("inskrivna"), nyinskrivna=d.get("nyinskrivna"), avslutade=d.get("avslutade"),
        orsak=dict(d.get("orsak") or {}), per_jobbtorg=d.get("jobbtorg"),
    )


def load_targets(path: Path | str | None = None) -> Targets:
    """Read params/synth.yml (or another file of the same form)."""
    raw = read_yaml(Path(path) if path else PARAMS / "synth.yml")
    vs = {}
    for name, v in raw["insatser"].items():
        vs[name] = Verksamhet(
            namn=name,
            years={int(y): _insats_year(d) for y, d in v["ar"].items()},
            kon_andel_k=dict(v.get("kon_andel_k") or {}),
            jobbtorg_vikter=v.get("jobbtorg_vikter"),
            forsta_arets_overforda=float(v.get("forsta_arets_overforda", 0.0)),
            ateninskrivna_andel=float(v.get("ateninskrivna_andel", 0.0)),
            start=str(v["start"]) if v.get("start") else None,
            ej_i_registret=bool(v.get("ej_i_registret", False)),
        )
    return Targets(raw=raw, years=tuple(int(y) for y in raw["ar"]), warmup=int(raw["uppvarmningsar"]),
                   verksamheter=vs)
