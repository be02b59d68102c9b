"""A synthetic register export (data-contract.md), calibrated to the published figures.

`write_synthetic_export(out, seed)` writes the contract's CSV folder for the operating
years in params/synth.yml (2019-2025). The generator builds persons and events from the
targets in params/synth.yml, so the contract's figures (kaa_report.metrics.definitions) reproduce the
targeted counts exactly, whatever the seed; the seed only moves what no target fixes
(who, which day, which channel). Same seed, same targets: byte-identical files.
See docs/synth-calibration.md for how the targets were chosen.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from ..contract.schema import COLUMNS
from ..params import mapping_for
from .alloc import InfeasibleTargets
from .extra import befolkning_rows, enkat_rows
from .insatser import build_insatser
from .population import build_population, contact_rows, sysselsattning_rows
from .rand import Rand
from .targets import Targets, load_targets

__all__ = ["InfeasibleTargets", "generate", "write_synthetic_export", "write_scaled_export", "write_tables",
           "load_targets"]

_EPOCH = date(1970, 1, 1).toordinal()


def _iso(days: list) -> list[str]:
    """Day numbers (or None) as ISO dates."""
    arr = np.array([(-1 if d is None else int(d) - _EPOCH) for d in days], dtype="int64")
    out = arr.astype("datetime64[D]").astype(str)
    return ["" if d is None else s for d, s in zip(days, out)]


def _mapping(t: Targets):
    m = mapping_for(t.years[0])
    for y in t.years:
        if mapping_for(y).slug_of_stadsdel() != m.slug_of_stadsdel():
            raise InfeasibleTargets("generatorn förutsätter samma jobbtorgsindelning alla år (params/jobbtorg.yml)")
    return m


def generate(seed: int = 2023, targets: Targets | Path | str | None = None) -> dict[str, pd.DataFrame]:
    """The synthetic export as text frames (one per table, columns as in the contract)."""
    t = targets if isinstance(targets, Targets) else load_targets(targets)
    m = _mapping(t)
    ss = np.random.SeedSequence(seed)
    r_pop, r_kontakt, r_syss, r_ins, r_enk, r_id = (Rand(s) for s in ss.spawn(6))
    pop = build_population(t, m, r_pop)
    kontakt = contact_rows(t, pop, r_kontakt)
    syss = sysselsattning_rows(t, pop, r_syss)
    ins = build_insatser(t, m, pop, r_ins)
    perm = r_id.permutation(len(pop.persons))
    pid = [f"P{n + 1:06d}" for n in perm]

    persons = pop.persons
    personer = pd.DataFrame({
        "person_id": pid, "kon": [p.kon for p in persons], "fodelsedatum": _iso([p.birth for p in persons])})
    reg = [p for p in persons if p.in_register]
    register = pd.DataFrame({
        "person_id": [pid[p.idx] for p in reg], "fran": _iso([p.fran for p in reg]),
        "till": _iso([p.till for p in reg]), "stadsdel": [p.stadsdel for p in reg],
        "uppsok_fran": _iso([p.uppsok for p in reg])})
    kontaktforsok = pd.DataFrame({
        "person_id": [pid[r[0].idx] for r in kontakt], "datum": _iso([r[1] for r in kontakt]),
        "kanal": [r[2] for r in kontakt], "initiativ": [r[3] for r in kontakt],
        "besvarat": ["true" if r[4] else "false" for r in kontakt]})
    sysselsattning = pd.DataFrame({
        "person_id": [pid[r[0].idx] for r in syss], "datum": _iso([r[1] for r in syss]),
        "sysselsattning": [r[2] for r in syss]})
    insatser = pd.DataFrame({
        "person_id": [pid[r[0].idx] for r in ins], "verksamhet": [r[1] for r in ins],
        "inskriven": _iso([r[2] for r in ins]), "avslutad": _iso([r[3] for r in ins]),
        "avslutsorsak": [r[4] for r in ins]})
    tables = {
        "personer": personer.sort_values("person_id"),
        "registerperioder": register.sort_values(["person_id", "fran"], kind="stable"),
        "kontaktforsok": kontaktforsok.sort_values(["person_id", "datum"], kind="stable"),
        "sysselsattning": sysselsattning.sort_values(["person_id", "datum"], kind="stable"),
        "insatser": insatser.sort_values(["person_id", "verksamhet", "inskriven"], kind="stable"),
        "enkat": pd.DataFrame(enkat_rows(t, r_enk), columns=list(COLUMNS["enkat"])),
        "befolkning": pd.DataFrame(befolkning_rows(t, pop), columns=list(COLUMNS["befolkning"])),
    }
    return {k: v.reset_index(drop=True).astype(str) for k, v in tables.items()}


def write_tables(tables: dict[str, pd.DataFrame], out: Path) -> list[Path]:
    """Write each table as <table>.csv (UTF-8, comma, '\\n' line ends, empty = missing)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for t, cols in COLUMNS.items():
        p = out / f"{t}.csv"
        tables[t][list(cols)].to_csv(p, index=False, encoding="utf-8", lineterminator="\n")
        paths.append(p)
    return paths


def write_synthetic_export(out: Path, seed: int = 2023, targets: Path | str | None = None) -> list[Path]:
    """Write the synthetic export (all operating years of params/synth.yml) to `out`;
    returns the files written. `targets` is another file of the form of params/synth.yml."""
    return write_tables(generate(seed, targets), out)


def write_scaled_export(out: Path, persons: int, seed: int = 2023) -> list[Path]:
    """Write a synthetic export of `persons` persons: the calibrated register repeated with
    fresh ids (kaa_report.synth.scaled); deterministic for seed and persons."""
    from .scaled import scaled_tables, write_arrow_tables

    return write_arrow_tables(scaled_tables(generate(seed), persons, seed), out)
