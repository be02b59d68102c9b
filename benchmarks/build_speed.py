"""How long a build takes, phase by phase, on the synthetic register.

usage: .venv/bin/python benchmarks/build_speed.py [--scope all] [--year 2023] [--jobs 2]
Prints seconds per phase; writes into a temporary folder.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from kaa_report.contract.export import to_typed
from kaa_report.contract.read import read_raw
from kaa_report.contract.run import resolve_run
from kaa_report.exhibits.figures import all_scope_figures
from kaa_report.pipeline import build
from kaa_report.synth import write_synthetic_export
from kaa_report.validate.gx import validate_raw


def timed(label: str, f, *a, **kw):
    t0 = time.perf_counter()
    out = f(*a, **kw)
    print(f"{label:<40} {time.perf_counter() - t0:7.2f} s")
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scope", default="all")
    ap.add_argument("--year", type=int, default=2023)
    ap.add_argument("--jobs", type=int, default=2)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        timed("synth", write_synthetic_export, data)
        raw = timed("read (text frames)", read_raw, data)
        timed("validate (GX)", validate_raw, raw)
        export = timed("type", to_typed, raw)
        scopes = resolve_run(a.year).select(a.scope)
        timed(f"figures of {len(scopes)} scopes", all_scope_figures, export, a.year, scopes)
        timed(f"whole build --scope {a.scope} --no-pdf", build.run_build, data, a.year, a.scope, Path(tmp) / "out",
              pdf=False, jobs=a.jobs)
        timed(f"whole build --scope {a.scope} with PDF", build.run_build, data, a.year, a.scope, Path(tmp) / "out",
              pdf=True, jobs=a.jobs)


if __name__ == "__main__":
    main()
