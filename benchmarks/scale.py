"""National scale: time and peak memory per stage, from 10 000 to 1 000 000 persons.

For each size a synthetic export is written (`kaa-report synth --persons N`: the calibrated
register repeated with fresh ids, all years) and each stage runs in a fresh child process,
so imports are not counted and peak memory (the child's maximum resident set, from
os.wait4) belongs to that stage alone:

- arrow: pyarrow.csv.read_csv of the seven files, nothing else (the baseline; the fastest
  of three reads, so that a busy moment on the shared machine does not flatter the ratio);
- pipeline: read (contract/read.py, text frames), validate (Great Expectations and the
  rules), type (contract/export.py) and the figures of every scope for one year
  (exhibits/figures.all_scope_figures): the target of issue 14.5 is read + validate +
  type + figures within 40× the arrow read, peak under 6 GB;
- build: `kaa-report build --scope stad` (validation again, one scope's notebook, its PDF);
  the notebook's and the PDF's seconds are taken from the build's own progress lines.

Wall seconds and CPU seconds (all threads of the process) are both given: on a shared
machine the wall time depends on the others' load, which is printed before and after.

    .venv/bin/python benchmarks/scale.py [--sizes 10000,30000,...] [--year 2023] [--no-build-above N]

Prints a table, writes it into benchmarks/results.md (between the scale markers) and draws
benchmarks/scale.png (log-log).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.md"
PLOT = HERE / "scale.png"
START, END = "<!-- scale:start -->", "<!-- scale:end -->"
SIZES = (10_000, 30_000, 100_000, 300_000, 1_000_000)

CHILD = r'''
import json, sys, time
from pathlib import Path
data, year, what = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
out = {}
def stage(name, f, *a):
    c0, w0 = time.process_time(), time.perf_counter()
    r = f(*a)
    out[name] = [time.perf_counter() - w0, time.process_time() - c0]
    return r
if what == "arrow":
    import pyarrow.csv as pc
    best = None
    for _ in range(3):  # the fastest of three reads: the baseline is not inflated by a busy moment
        stage("arrow", lambda: [pc.read_csv(p) for p in sorted(data.glob("*.csv"))])
        best = out["arrow"] if best is None or out["arrow"][0] < best[0] else best
    out["arrow"] = best
else:
    import great_expectations  # noqa: F401  (imports are not timed)
    from kaa_report.contract.export import to_typed
    from kaa_report.contract.read import read_raw
    from kaa_report.contract.run import resolve_run
    from kaa_report.exhibits.figures import all_scope_figures
    from kaa_report.validate.gx import validate_raw
    raw = stage("read", read_raw, data)
    report = stage("validate", validate_raw, raw)
    if not report.ok:
        sys.exit("invalid export:\n" + report.summary())
    export = stage("type", to_typed, raw)
    stage("figures", all_scope_figures, export, year, resolve_run(year).select("all"))
print(json.dumps(out))
'''


def child(args: list[str], env: dict) -> tuple[str, str, float, float, float]:
    """Run a child process; (stdout, stderr, wall s, cpu s, peak resident GB)."""
    with tempfile.TemporaryFile() as o, tempfile.TemporaryFile() as e:
        t0 = time.perf_counter()
        p = subprocess.Popen(args, stdout=o, stderr=e, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        o.seek(0)
        e.seek(0)
        out, err = o.read().decode(), e.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args[:4])} …: failed\n{err[-2000:]}")
    return out, err, wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024 / 1024


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def measure(n: int, year: int, base, seed: int, build: bool, env: dict, done=lambda row: None) -> dict:
    """One size; `done(row)` is called after the pipeline and again after the build, so a
    long run keeps what it has measured."""
    from kaa_report.synth.scaled import scaled_tables, write_arrow_tables

    row: dict = {"persons": n}
    with tempfile.TemporaryDirectory(prefix="kaa-scale-") as tmp:
        data = Path(tmp) / "export"
        t0 = time.perf_counter()
        write_arrow_tables(scaled_tables(base, n, seed), data)
        row["synth"] = time.perf_counter() - t0
        row["rows"] = sum(sum(1 for _ in open(p, "rb")) - 1 for p in data.glob("*.csv"))
        row["mb"] = sum(p.stat().st_size for p in data.glob("*.csv")) / 1e6
        py = [sys.executable, "-c", CHILD, str(data), str(year)]
        out, _, _, _, row["arrow_gb"] = child(py + ["arrow"], env)
        row.update({k: v for k, v in json.loads(out.splitlines()[-1]).items()})
        out, _, _, _, row["pipeline_gb"] = child(py + ["pipeline"], env)
        row.update({k: v for k, v in json.loads(out.splitlines()[-1]).items()})
        done(row)
        if build:
            _, err, row["build_wall"], row["build_cpu"], row["build_gb"] = child(
                [sys.executable, "-m", "kaa_report", "build", "--data", str(data), "--year", str(year),
                 "--scope", "stad", "--jobs", "1", "--out", str(Path(tmp) / "out")], env)
            nb = re.search(r"stad · \w+ \(([\d.]+) s\)", err)
            pdf = re.search(r"stad: PDF klar \(([\d.]+) s\)", err)
            row["notebook"] = float(nb.group(1)) if nb else None
            row["pdf"] = float(pdf.group(1)) if pdf else None
    return row


def _s(x) -> str:
    return "–" if x is None else f"{x:.1f}" if x >= 10 else f"{x:.2f}"


def table(rows: list[dict]) -> str:
    head = ("| persons | rows | CSV MB | pyarrow read | read | validate | type | figures (all scopes) "
            "| read→figures | × pyarrow (wall / CPU) | peak GB | notebook (stad) | PDF | build stad peak GB |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        stages = ("read", "validate", "type", "figures")
        wall = sum(r[s][0] for s in stages)
        cpu = sum(r[s][1] for s in stages)
        b = r.get("build_gb")
        lines.append(
            f"| {r['persons']:,} | {r['rows']:,} | {r['mb']:.0f} | {_s(r['arrow'][0])} s | "
            + " | ".join(f"{_s(r[s][0])} s" for s in stages)
            + f" | {_s(wall)} s (CPU {_s(cpu)} s) | {wall / r['arrow'][0]:.0f}× / {cpu / r['arrow'][1]:.0f}× "
            f"| {r['pipeline_gb']:.2f} | {_s(r.get('notebook'))} s | {_s(r.get('pdf'))} s | "
            + ("–" if b is None else f"{b:.2f}") + " |")
    return "\n".join(lines).replace(",", " ")


def write_results(text: str) -> None:
    block = f"{START}\n{text}\n{END}"
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmarks\n"
    if START in old and END in old:
        new = old[:old.index(START)] + block + old[old.index(END) + len(END):]
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    RESULTS.write_text(new, encoding="utf-8")


def plot(rows: list[dict]) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    x = [r["persons"] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for key, label in (("arrow", "pyarrow read (baseline)"), ("read", "read"), ("validate", "validate"),
                       ("figures", "figures, all scopes")):
        ax.plot(x, [r[key][0] for r in rows], marker="o", label=label)
    ax.plot(x, [sum(r[s][0] for s in ("read", "validate", "type", "figures")) for r in rows], marker="o",
            lw=2.5, color="black", label="read → figures")
    ax.plot(x, [40 * r["arrow"][0] for r in rows], ls="--", color="grey", label="40 × pyarrow read (target)")
    nb = [(r["persons"], r["notebook"]) for r in rows if r.get("notebook")]
    if nb:
        ax.plot(*zip(*nb), marker="s", label="notebook (stad)")
    pdf = [(r["persons"], r["pdf"]) for r in rows if r.get("pdf")]
    if pdf:
        ax.plot(*zip(*pdf), marker="^", label="PDF (stad)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("persons in the export (all years)")
    ax.set_ylabel("wall seconds")
    ax.set_title(f"kaa-report at scale ({os.cpu_count()} cores, shared machine)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(PLOT, dpi=120)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    ap.add_argument("--year", type=int, default=2023)
    ap.add_argument("--seed", type=int, default=2023)
    ap.add_argument("--no-build-above", type=int, default=10 ** 9, help="skip the build (notebook, PDF) above N persons")
    ap.add_argument("--no-write", action="store_true", help="print only; leave results.md and scale.png")
    a = ap.parse_args()
    from kaa_report.synth import generate

    env = dict(os.environ)
    src = str(HERE.parent / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    base = generate(a.seed)
    before = load()
    rows: list[dict] = []

    def report(row: dict, final: bool = False) -> None:
        if row not in rows:
            rows.append(row)
        text = (f"### Scale (issue 14.5): per stage, year {a.year}, `benchmarks/scale.py`\n\n"
                f"{os.cpu_count()} cores; load average (1, 5, 15 min) {before} before and {load()} "
                f"{'after' if final else 'during'} the run (the machine is shared: wall seconds grow with the "
                "others' load, CPU seconds less so). Each stage in its own process; peak GB = its maximum "
                "resident memory. pyarrow read = the fastest of three reads of the CSV files. "
                "read→figures = read + validate + type + figures of every scope.\n\n"
                + table(rows) + "\n\n![Wall seconds per stage against persons in the export, log-log, with the "
                "40 × pyarrow target](scale.png)")
        if final:
            print(text)
        if not a.no_write:
            write_results(text)
            plot(rows)

    for n in (int(s) for s in a.sizes.split(",")):
        t0 = time.perf_counter()
        row = measure(n, a.year, base, a.seed, n <= a.no_build_above, env, report)
        report(row)
        print(f"{n:>9,} persons done in {time.perf_counter() - t0:.0f} s (load {load()})", flush=True)
    report(rows[-1], final=True)
    if not a.no_write:
        print(f"wrote {RESULTS} and {PLOT}")


if __name__ == "__main__":
    main()
