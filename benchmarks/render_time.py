"""Print how long rendering one scope's PDFs takes (pandoc → Typst → PDF).

usage: .venv/bin/python benchmarks/render_time.py OUTPUT/<year>/<scope> [year] [repeats]
(a folder written by `kaa-report build --no-pdf`)."""
import sys
import time
from pathlib import Path

from kaa_report.document.render import render_cover_letter, render_report

scope_dir = Path(sys.argv[1])
year = int(sys.argv[2]) if len(sys.argv) > 2 else 2023
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
scope = scope_dir.name
for name, f in [("arsrapport", lambda: render_report(scope_dir, year, scope))] + (
        [("tjansteutlatande", lambda: render_cover_letter(scope_dir, year))] if scope == "stad" else []):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        pdf = f()
        times.append(time.perf_counter() - t0)
    print(f"{name} {scope} {year}: " + ", ".join(f"{t:.2f} s" for t in times) + f"  ({pdf.stat().st_size // 1024} kB)")
