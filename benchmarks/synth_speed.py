"""How long the synthetic export takes: generation (in memory), writing the CSVs, and the
first step of a build that reads it back. Prints seconds and row counts.

    .venv/bin/python benchmarks/synth_speed.py [--repeat 3]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from kaa_report.contract.export import load
from kaa_report.synth import generate, write_tables


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=2023)
    a = ap.parse_args()
    gen, wr, rd = [], [], []
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        tables = generate(a.seed)
        t1 = time.perf_counter()
        with tempfile.TemporaryDirectory() as tmp:
            write_tables(tables, Path(tmp))
            t2 = time.perf_counter()
            load(tmp)
            t3 = time.perf_counter()
        gen.append(t1 - t0)
        wr.append(t2 - t1)
        rd.append(t3 - t2)
    rows = {t: len(df) for t, df in tables.items()}
    print(f"rows: {rows} (total {sum(rows.values())})")
    for name, xs in (("generate", gen), ("write csv", wr), ("load (read back)", rd)):
        print(f"{name:18s} best {min(xs):6.2f} s   mean {sum(xs) / len(xs):6.2f} s   (n={len(xs)})")


if __name__ == "__main__":
    main()
