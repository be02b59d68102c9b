"""What the notebooks call: load a scope, write and show its tables and diagrams.

Notebooks stay thin: a parameters cell, then one call per exhibit.
"""
from __future__ import annotations

import json
import pickle
from pathlib import Path

import pandas as pd

from ..exhibits import diagrams, registry, tables
from ..exhibits.figures import ScopeFigures, scope_figures
from ..contract.export import load
from ..metrics.definitions import namn
from ..paths import DEMO_DATA, PARAMS, PUBLISHED_PREFIX
from ..document.typst import cell
from ..document.variables import format_value


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


def write_nyckeltal(sf: ScopeFigures, out_dir: str) -> pd.DataFrame:
    """nyckeltal.json (Y) and nyckeltal_foregaende_ar.json (Y-1), exact; with suppression
    also publicerade_nyckeltal*.json, the figures as the report may print them (for the
    prose and the appendix). Returns a readable summary of the published figures."""
    out = Path(out_dir)
    for name, exact, shown in (("nyckeltal.json", sf.nyckeltal, sf.shown),
                               ("nyckeltal_foregaende_ar.json", sf.nyckeltal_prev, sf.shown_prev)):
        write_json(exact, out / name)
        if sf.suppression is not None:
            write_json(shown, out / (PUBLISHED_PREFIX + name))
    keys = [k for k in sf.nyckeltal if not k.endswith(("_k", "_m"))]
    return pd.DataFrame({
        "Nyckeltal": [namn(k) for k in keys],
        str(sf.year - 1): [format_value(k, sf.shown_prev.get(k)) for k in keys],
        str(sf.year): [format_value(k, sf.shown[k]) for k in keys],
    })


def display_table(df: pd.DataFrame) -> pd.DataFrame:
    """The table with Swedish number formats, for reading."""
    out = df.copy()
    for c in out.columns[1:]:
        out[c] = [cell(c, v) for v in out[c]]
    return out.set_index(out.columns[0])


def table(sf: ScopeFigures, n: int, out_dir: str) -> pd.DataFrame:
    """Write tabell_<n>.csv and return it formatted for display."""
    df = tables.published(n, sf)
    df.to_csv(Path(out_dir) / f"tabell_{n}.csv", index=False, lineterminator="\n")
    shown = display_table(df)
    shown.index.name = f"Tabell {n}. {registry.caption(f'tabell_{n}', sf.year, sf.city)}"
    if sf.suppression is not None and (df == sf.suppression.hidden_label).any().any():
        print(sf.suppression.footnote)
    return shown


def diagram(sf: ScopeFigures, n: int, out_dir: str):
    """Write diagram_<n>.csv/.png/.svg and return the figure for display."""
    data, fig = registry.BY_NAME[f"diagram_{n}"].build()(sf)
    diagrams.save(data, fig, Path(out_dir), f"diagram_{n}")
    return _image(Path(out_dir) / f"diagram_{n}.png")


def figur_1(sf: ScopeFigures, out_dir: str):
    data, fig = diagrams.figur_1(sf.params_dir)
    diagrams.save(data, fig, Path(out_dir), "figur_1")
    return _image(Path(out_dir) / "figur_1.png")


def _image(path: Path):
    from IPython.display import Image

    return Image(filename=str(path), width=640)
