"""Hand-made build output folders for the diff and audit tests (docs/outputs.md layout).

Base counts per jobbtorg are written out by hand below; the city is their sum, and the
derived figures are computed here with plain arithmetic (not with kaa_report.metrics.definitions),
so the code under test is checked against an independent computation.
"""
from __future__ import annotations

import copy
import csv
import json
from pathlib import Path

UNITS = ["globen", "skarholmen", "vallingby", "kista", "saknar-stadsdel"]
UNIT_NAMES = {"globen": "Jobbtorg Globen", "skarholmen": "Jobbtorg Skärholmen", "vallingby": "Jobbtorg Vällingby",
              "kista": "Jobbtorg Kista", "saknar-stadsdel": "Saknar stadsdel"}
FIELDS = ["omfattade_k", "omfattade_m", "sokta_k", "sokta_m", "nadda_k", "nadda_m",
          "inskrivna", "avslutade", "avslutade_studier", "avslutade_arbete", "aim_inskrivna"]

# 2023, per unit, in the order of FIELDS.
BASE_2023 = {
    "globen": [100, 120, 60, 70, 30, 40, 50, 40, 20, 10, 5],
    "skarholmen": [80, 90, 40, 50, 20, 30, 30, 20, 10, 5, 4],
    "vallingby": [60, 70, 30, 40, 15, 20, 20, 16, 8, 4, 3],
    "kista": [70, 80, 35, 45, 20, 25, 25, 20, 12, 2, 2],
    "saknar-stadsdel": [10, 12, 5, 6, 2, 3, 4, 0, 0, 0, 0],
}
# 2022: every count 2 lower (not below 0).
BASE_2022 = {u: [max(0, v - 2) for v in vals] for u, vals in BASE_2023.items()}


def base(table: dict) -> dict[str, dict]:
    """{unit: {field: count}} plus 'stad' as the sum of the units."""
    out = {u: dict(zip(FIELDS, vals)) for u, vals in table.items()}
    out["stad"] = {f: sum(out[u][f] for u in UNITS) for f in FIELDS}
    return out


def _ratio(a, b):
    return None if b == 0 else a / b


def complete(b: dict) -> dict:
    """Every nyckeltal of the contract from the base counts, by plain arithmetic."""
    n = dict(b)
    for k in ("omfattade", "sokta", "nadda"):
        n[k] = b[k + "_k"] + b[k + "_m"]
    for s in ("", "_k", "_m"):
        n["ej_nadda" + s] = n["sokta" + s] - n["nadda" + s]
        n["nadda_andel" + s] = _ratio(n["nadda" + s], n["sokta" + s])
    n["avslutade_ovrigt"] = b["avslutade"] - b["avslutade_studier"] - b["avslutade_arbete"]
    n["avslutade_studier_arbete"] = b["avslutade_studier"] + b["avslutade_arbete"]
    n["avslutade_andel"] = _ratio(b["avslutade"], b["inskrivna"])
    n["studier_andel"] = _ratio(b["avslutade_studier"], b["avslutade"])
    n["arbete_andel"] = _ratio(b["avslutade_arbete"], b["avslutade"])
    n["studier_arbete_andel"] = _ratio(n["avslutade_studier_arbete"], b["avslutade"])
    return n


def _csv(path: Path, header: list, rows: list[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for r in rows:
            w.writerow(["" if v is None else v for v in r])


def _t56_row(name: str, n: dict) -> list:
    return [name, n["inskrivna"], n["avslutade"], n["avslutade_andel"], n["avslutade_studier"], n["studier_andel"],
            n["avslutade_arbete"], n["arbete_andel"], n["avslutade_studier_arbete"], n["studier_arbete_andel"]]


T56_HEADER = ["rad", "inskrivna", "avslutade", "andel_avslutade", "studier_antal", "studier_andel", "arbete_antal",
              "arbete_andel", "studier_arbete_antal", "studier_arbete_andel"]


def write_build(root: Path, year: int = 2023, now: dict | None = None, prev: dict | None = None,
                manifest: dict | None = None) -> dict[str, tuple[dict, dict]]:
    """Write OUT/<year>/<scope>/ for stad and every unit; return {scope: (nyckeltal, föregående)}."""
    now = base(copy.deepcopy(now or BASE_2023))
    prev = base(copy.deepcopy(prev or BASE_2022))
    manifest = manifest or {"inputs": {"personer.csv": "a" * 64, "insatser.csv": "b" * 64},
                            "git_commit": "0123456789abcdef0123456789abcdef01234567", "parameters": {}, "packages": {}}
    out = {}
    for scope in ["stad", *UNITS]:
        nk, pv = complete(now[scope]), complete(prev[scope])
        d = Path(root) / str(year) / scope
        d.mkdir(parents=True, exist_ok=True)
        (d / "nyckeltal.json").write_text(json.dumps(nk, ensure_ascii=False), encoding="utf-8")
        (d / "nyckeltal_foregaende_ar.json").write_text(json.dumps(pv, ensure_ascii=False), encoding="utf-8")
        (d / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        out[scope] = (nk, pv)
        if scope != "stad":
            continue
        _csv(d / "tabell_1.csv", ["rad", str(year - 1), str(year)],
             [["Kvinnor", pv["omfattade_k"], nk["omfattade_k"]], ["Män", pv["omfattade_m"], nk["omfattade_m"]],
              ["Totalt", pv["omfattade"], nk["omfattade"]]])
        for name, n in (("tabell_2", nk), ("tabell_3", pv)):
            _csv(d / f"{name}.csv", ["rad", "Kvinnor", "Män", "Totalt"],
                 [[label, n[k + "_k"], n[k + "_m"], n[k]] for label, k in
                  (("Ej nådda", "ej_nadda"), ("Nådda", "nadda"), ("Sökta totalt", "sokta"))])
        _csv(d / "tabell_4.csv", ["rad", str(year - 1), str(year)],
             [["Jobbtorg (KAA)", pv["inskrivna"], nk["inskrivna"]], ["Aim", pv["aim_inskrivna"], nk["aim_inskrivna"]]])
        for name, which in (("tabell_5", 0), ("tabell_6", 1)):
            rows = [_t56_row(UNIT_NAMES[u], complete((now, prev)[which][u])) for u in UNITS]
            rows.append(_t56_row("Totalt", (nk, pv)[which]))
            _csv(d / f"{name}.csv", T56_HEADER, rows)
    return out
