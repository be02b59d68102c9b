"""What the notebooks call: load a scope, write and show its tables and diagrams.

Notebooks stay thin: a parameters cell, then one call per chapter (`kapitel`) that writes
and shows every exhibit the report places in that chapter (exhibits/registry.py).
"""
from __future__ import annotations

import csv
import json
import pickle
from pathlib import Path

import pandas as pd

from ..contract.export import load
from ..document.cells import Table, exhibit_table, plain_table, read_table
from ..document.htmlblocks import table_html
from ..document.variables import format_value
from ..exhibits import alttext, diagram_hiding, diagrams, registry, tables
from ..exhibits.figures import ScopeFigures, scope_figures
from ..metrics.definitions import namn
from ..params import read_yaml
from ..paths import DEMO_DATA, INTERN, PARAMS, PUBLISHED_PREFIX


def ensure_demo_data(path: Path = DEMO_DATA) -> Path:
    """The shipped synthetic register, written on first use (deterministic)."""
    if not (path / "personer.csv").is_file():
        from ..synth import write_synthetic_export

        write_synthetic_export(path)
    return path


def setup(data_dir: str, year: int, scope: str, out_dir: str, params_dir: str = "", figures_cache: str = "") -> ScopeFigures:
    """The scope's figures: from the build's cache when given, else computed from the export
    (the demo data when data_dir is empty)."""
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    if figures_cache:
        with open(figures_cache, "rb") as f:
            sf = pickle.load(f)
        if (sf.year, sf.scope) != (year, scope):
            raise ValueError(f"figures_cache gäller {sf.scope} {sf.year}, inte {scope} {year}")
        return sf
    data = Path(data_dir) if data_dir else ensure_demo_data()
    return scope_figures(load(data), year, scope, Path(params_dir) if params_dir else PARAMS)


def write_json(obj: dict, path: Path) -> None:
    path.write_text(json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8")


SUMMARY = "undertryckning.csv"  # in intern/: per output of a suppressed scope, what suppression hid
SUMMARY_COLUMNS = ["utdata", "primara", "sekundara", "dolda_andelar", "dolt_varde_primara", "dolt_varde_sekundara"]


def hidden_summary(exact: pd.DataFrame, shown: pd.DataFrame, params) -> dict:
    """What one output hides: primary cells ("<5"), secondary cells (".." in a count
    column), hidden shares (".." in a column whose name holds "andel") and the exact total
    of the hidden counts, primary and secondary."""
    out = dict.fromkeys(SUMMARY_COLUMNS[1:], 0)
    for c in shown.columns:
        if c not in exact.columns:
            continue
        share = "andel" in str(c)
        for e, v in zip(exact[c], shown[c]):
            if v == params.hidden_label:
                out["primara"] += 1
                out["dolt_varde_primara"] += int(e)
            elif v == params.secondary_label:
                if share:
                    out["dolda_andelar"] += 1
                else:
                    out["sekundara"] += 1
                    out["dolt_varde_sekundara"] += int(e)
    return out


def _record(out_dir: str, name: str, exact: pd.DataFrame, shown: pd.DataFrame, sf: ScopeFigures) -> None:
    """Add or replace the row of one output in the scope's intern/undertryckning.csv (internal:
    the exact total of one hidden primary cell is that cell)."""
    path = Path(out_dir) / INTERN / SUMMARY
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = []
    if path.is_file():
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    row = {"utdata": name, **hidden_summary(exact, shown, sf.suppression)}
    at = next((i for i, r in enumerate(rows) if r["utdata"] == name), len(rows))
    rows[at:at + 1] = [row]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, SUMMARY_COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, lineterminator="\n")


def write_nyckeltal(sf: ScopeFigures, out_dir: str) -> "ShownTable":
    """nyckeltal.json (Y) and nyckeltal_foregaende_ar.json (Y-1), exact; with suppression
    also publicerade_nyckeltal*.json, the figures as the report prints them (for the
    prose and the appendix), and their rows in intern/undertryckning.csv. Returns a readable
    summary of the published figures."""
    out = Path(out_dir)
    for name, exact, shown in (("nyckeltal.json", sf.nyckeltal, sf.shown),
                               ("nyckeltal_foregaende_ar.json", sf.nyckeltal_prev, sf.shown_prev)):
        write_json(exact, out / name)
        if sf.suppression is not None:
            write_json(shown, out / (PUBLISHED_PREFIX + name))
            _record(out_dir, PUBLISHED_PREFIX + name, pd.DataFrame([exact]), pd.DataFrame([shown]), sf)
    keys = [k for k in sf.nyckeltal if not k.endswith(("_k", "_m"))]
    rows = [[namn(k), format_value(k, sf.shown_prev.get(k)), format_value(k, sf.shown[k])] for k in keys]
    t = plain_table(["Nyckeltal", str(sf.year - 1), str(sf.year)], rows, "")
    return ShownTable(t, f"Nyckeltal {sf.year - 1} och {sf.year}")


class ShownTable:
    """A table as the notebook shows it: the same cells, Swedish headers and caption as the
    report (document/cells.py → htmlblocks.table_html); `frame` holds the formatted cells."""

    def __init__(self, t: Table, caption: str):
        self.table, self.caption = t, caption
        self.frame = pd.DataFrame([r[1:] for r in t.body], index=[r[0] for r in t.body],
                                  columns=_column_labels(t))

    def _repr_html_(self) -> str:
        return table_html(self.table, self.caption)

    def __repr__(self) -> str:
        return f"{self.caption}\n{self.frame.to_string()}"


def _column_labels(t: Table) -> list[str]:
    """One label per value column: the header rows joined ("Till arbete, Antal")."""
    grid: list[list[str]] = [[] for _ in t.header]
    for i, row in enumerate(t.header):
        for h in row:
            for j in range(i, i + h.rowspan):
                grid[j].extend([h.text] * h.colspan)
    labels = [", ".join(dict.fromkeys(x for x in col if x)) for col in zip(*grid)]
    return labels[1:]


def table(sf: ScopeFigures, n: int, out_dir: str) -> ShownTable:
    """Write tabell_<n>.csv (as printed; with suppression the exact table goes to
    intern/tabell_<n>.csv) and return it as the report shows it."""
    df = tables.published(n, sf)
    _write_csv(df, Path(out_dir) / f"tabell_{n}.csv")
    if sf.suppression is not None:
        exact = registry.table(n).build()(sf)
        _write_csv(exact, Path(out_dir) / INTERN / f"tabell_{n}.csv")
        _record(out_dir, f"tabell_{n}", exact, df, sf)
    if sf.suppression is not None and sf.suppression.legend_for(df):
        print(sf.suppression.legend_for(df))
    t = exhibit_table(registry.table(n).shape, read_table(Path(out_dir) / f"tabell_{n}.csv"), sf.city)
    return ShownTable(t, f"Tabell {n}. {registry.caption(f'tabell_{n}', sf.year, sf.city)}")


def diagram(sf: ScopeFigures, n: int, out_dir: str):
    """Write diagram_<n>.csv/.png/.svg (as printed; with suppression the exact data goes
    to intern/diagram_<n>.csv) and return the figure for display."""
    inputs = diagrams.SHARED_INPUTS.get(n)
    key = (f"diagram_{n}", inputs(sf)) if inputs else None
    data = _draw_once(key, Path(out_dir), f"diagram_{n}", lambda: registry.BY_NAME[f"diagram_{n}"].build()(sf))
    if sf.suppression is not None:
        exact = diagram_hiding.exact_data(data)
        _write_csv(exact, Path(out_dir) / INTERN / f"diagram_{n}.csv")
        _record(out_dir, f"diagram_{n}", exact, data, sf)
    alt = alttext.diagram(n, read_table(Path(out_dir) / f"diagram_{n}.csv"), sf.year, sf.city)
    return _image(Path(out_dir) / f"diagram_{n}.png", alt)


# A figure several scopes share, drawn once per kernel: (name, its inputs) -> (data, files)
_DRAWN: dict[tuple, tuple[pd.DataFrame, dict[str, bytes]]] = {}


def _draw_once(key: tuple | None, out: Path, name: str, draw) -> pd.DataFrame:
    """Write name.csv/.png/.svg from draw() -> (data, figure) and return the data; with a
    key the kernel has drawn before (a figure the same in several scopes, see
    diagrams.SHARED_INPUTS), copy that drawing's files instead."""
    if key is not None and key in _DRAWN:
        data, files = _DRAWN[key]
        out.mkdir(parents=True, exist_ok=True)
        for suffix, content in files.items():
            (out / f"{name}{suffix}").write_bytes(content)
        return data.copy()
    data, fig = draw()
    diagrams.save(data, fig, out, name)
    if key is not None:
        _DRAWN[key] = (data.copy(), {s: (out / f"{name}{s}").read_bytes() for s in (".csv", ".png", ".svg")})
    return data


def figur_1(sf: ScopeFigures, out_dir: str):
    """Figur 1, the organisation (params/organisation.yml, the same in every scope): drawn
    once per kernel and copied for the kernel's next scopes."""
    org = Path(sf.params_dir) / "organisation.yml"
    _draw_once(("figur_1", org.read_bytes()), Path(out_dir), "figur_1", lambda: diagrams.figur_1(sf.params_dir))
    return _image(Path(out_dir) / "figur_1.png", alttext.organisation(read_yaml(org)))


def exhibit(sf: ScopeFigures, e: registry.Exhibit, out_dir: str):
    """Write one exhibit of the registry and return it for display."""
    if e.kind == "tabell":
        return table(sf, e.nummer, out_dir)
    if e.kind == "diagram":
        return diagram(sf, e.nummer, out_dir)
    if e.name == "figur_1":
        return figur_1(sf, out_dir)
    raise ValueError(f"{e.name}: notebooken ritar bara figur_1 av figurerna")


def kapitel(sf: ScopeFigures, n: int, out_dir: str) -> None:
    """Write and show, in registry order, every exhibit that chapter n of the report
    (report/kapitel/<nn>-*.qmd) includes."""
    from IPython.display import display

    for e in registry.chapters().get(n, []):
        display(exhibit(sf, e, out_dir))


def _image(path: Path, alt: str):
    """The PNG for display, with its alt text (the PDF's) in the output's metadata; the
    notebook's HTML page (notebook_html.py) writes it into the <img>."""
    from IPython.display import Image

    return Image(filename=str(path), width=640, metadata={"alt": alt})
