"""Plant faults in a handful of persons of a generated export, and the cleaned copy a person
would make by hand (contract 1.4, --skip-invalid-rows).

`plant(src, dst)` copies the export in `src` to `dst` with the faults below and returns the
Planted record; `cleaned(src, dst, planted)` writes the export with the faulty persons and
rows deleted. Both work on text frames, so nothing but the planted cells changes.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

PERSON_TABLES = ("personer", "registerperioder", "kontaktforsok", "sysselsattning", "insatser")
TABLES = (*PERSON_TABLES, "enkat", "befolkning")


def read(d: Path) -> dict[str, pd.DataFrame]:
    return {t: pd.read_csv(d / f"{t}.csv", dtype=str, keep_default_na=False) for t in TABLES}


def write(d: Path, t: dict[str, pd.DataFrame]) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    for name, df in t.items():
        df.to_csv(d / f"{name}.csv", index=False)
    return d


@dataclass
class Planted:
    persons: list[str]  # whose every row goes
    alone: dict[str, list[int]]  # table → 0-based frame rows that go alone (no person, enkat, befolkning)
    rules: dict[str, int]  # rule check id → rows breaking it (for the summary)


def _active_2023(t: dict[str, pd.DataFrame]) -> list[str]:
    """Persons with a jobbtorg row and a register period overlapping 2023, a reached
    contact in 2023 and a sysselsättning row: planting faults in them changes figures."""
    rp, ins, kf = t["registerperioder"], t["insatser"], t["kontaktforsok"]
    in_y = rp[(rp["fran"] <= "2023-11-30") & ((rp["till"] == "") | (rp["till"] >= "2022-12-01"))]["person_id"]
    jt = ins[(ins["verksamhet"] == "jobbtorg") & (ins["inskriven"] <= "2023-11-30")]["person_id"]
    reached = kf[(kf["besvarat"] == "true") & kf["datum"].between("2022-12-01", "2023-11-30")]["person_id"]
    ss = t["sysselsattning"]["person_id"]
    ok = set(in_y) & set(jt) & set(reached) & set(ss)
    return [p for p in t["personer"]["person_id"] if p in ok][:20]


def plant(src: Path, dst: Path) -> Planted:
    t = read(src)
    a, b, c, d, e = _active_2023(t)[:5]
    rp, kf, ins, pe = t["registerperioder"], t["kontaktforsok"], t["insatser"], t["personer"]
    # a: a register period ending before it starts
    i = rp.index[rp["person_id"] == a][0]
    rp.loc[i, "till"] = "2000-01-01"
    # b: a contact attempt through an unknown channel
    i = kf.index[kf["person_id"] == b][0]
    kf.loc[i, "kanal"] = "fax"
    # c: a jobbtorg row copied, so the two overlap
    i = ins.index[(ins["person_id"] == c) & (ins["verksamhet"] == "jobbtorg")][0]
    row = ins.loc[[i]].copy()
    row.loc[i, "avslutad"], row.loc[i, "avslutsorsak"] = "", ""
    t["insatser"] = ins = pd.concat([ins, row], ignore_index=True)
    # d: kon not K or M
    pe.loc[pe.index[pe["person_id"] == d][0], "kon"] = "X"
    # e: answered flag that is no boolean (a value rule in kontaktforsok)
    i = kf.index[kf["person_id"] == e][-1]
    kf.loc[i, "besvarat"] = "ja"
    # a sysselsattning row of a person who is not in personer (set aside as that "person")
    orphan = pd.DataFrame([["Z-utan-person", "2023-05-02", "arbete"]], columns=t["sysselsattning"].columns)
    t["sysselsattning"] = pd.concat([t["sysselsattning"], orphan], ignore_index=True)
    # a contact row without person_id (goes alone)
    kf2 = kf.iloc[[0]].copy()
    kf2["person_id"] = ""
    t["kontaktforsok"] = kf = pd.concat([kf, kf2], ignore_index=True)
    # an enkat answer of 7 and a negative befolkning count (each goes alone)
    en = t["enkat"]
    j = en.index[(en["ar"] == "2023") & (en["fraga"] == "fatt_hjalp") & (en["svar"] != "")][0]
    en.loc[j, "svar"] = "7"
    be = t["befolkning"]
    k = be.index[be["ar"] == "2022"][0]
    be.loc[k, "antal_16_19"] = "-5"
    write(dst, t)
    return Planted(persons=[a, b, c, d, e, "Z-utan-person"],
                   alone={"kontaktforsok": [len(kf) - 1], "enkat": [j], "befolkning": [k]},
                   rules={})


def cleaned(src_planted: Path, dst: Path, planted: Planted) -> Path:
    """The planted export with the faulty persons and rows deleted by hand."""
    t = read(src_planted)
    for name in TABLES:
        df = t[name]
        keep = pd.Series(True, index=df.index)
        if name in PERSON_TABLES:
            keep &= ~df["person_id"].isin(planted.persons)
        keep &= ~df.index.isin(planted.alone.get(name, []))
        t[name] = df[keep]
    return write(dst, t)
