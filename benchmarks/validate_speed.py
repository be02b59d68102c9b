"""How long does `kaa-report validate` take on a large export?

Builds the synthetic export (kaa_report.synth, ~34 000 persons, all years) and repeats
it `--scale` times with renamed person and respondent ids (default 2: ~68 000 persons,
~470 000 rows), writes it to a temporary folder, then times reading, the cross-table
rule frame, and the whole validation (without and with Data Docs). Prints seconds.

    .venv/bin/python benchmarks/validate_speed.py [--scale 2] [--seed 2023]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd


def scaled_tables(seed: int, scale: int) -> dict[str, pd.DataFrame]:
    """The synthetic export repeated `scale` times; copy k gets ids suffixed `x<k>`."""
    from kaa_report.synth import generate

    base = generate(seed)
    out = {}
    for t, df in base.items():
        if t == "befolkning":  # one row per (ar, stadsdel, kon): not repeated
            out[t] = df
            continue
        copies = []
        for k in range(scale):
            c = df.copy()
            key = "svar_id" if t == "enkat" else "person_id"
            if k:
                c[key] = c[key] + f"x{k}"
            copies.append(c)
        out[t] = pd.concat(copies, ignore_index=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=2)
    ap.add_argument("--seed", type=int, default=2023)
    a = ap.parse_args()

    t0 = time.perf_counter()
    import great_expectations  # noqa: F401  (timed separately: the CLI pays it once)
    t_import = time.perf_counter() - t0

    from kaa_report.contract.read import read_raw
    from kaa_report.validate.gx import validate_raw
    from kaa_report.validate.rules import clean, rule_frames

    tables = scaled_tables(a.seed, a.scale)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "export"
        data.mkdir()
        for t, df in tables.items():
            df.to_csv(data / f"{t}.csv", index=False)
        persons = len(tables["personer"])
        rows = sum(len(df) for df in tables.values())
        print(f"export: {persons} persons, {rows} rows in all tables (scale {a.scale}, seed {a.seed})")
        print(f"import great_expectations: {t_import:.1f} s")

        t0 = time.perf_counter()
        raw = read_raw(data)
        print(f"read_raw: {time.perf_counter() - t0:.1f} s")

        t0 = time.perf_counter()
        rule_frames({t: clean(df) for t, df in raw.tables.items()})
        print(f"clean + rule_frames (pandas): {time.perf_counter() - t0:.1f} s")

        t0 = time.perf_counter()
        report = validate_raw(raw)
        print(f"validate_raw, no Data Docs: {time.perf_counter() - t0:.1f} s  (ok={report.ok}, "
              f"{len(report.failures)} failures, {len(report.warnings)} warnings)")

        t0 = time.perf_counter()
        validate_raw(raw, docs_dir=Path(tmp) / "docs")
        print(f"validate_raw with Data Docs: {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
