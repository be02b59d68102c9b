"""`kaa-report diff`: two builds side by side, for reviewers.

This year against another (`--year Y --against Y0`) or two builds of one year
(`--run A --run B --year Y`, e.g. an export against a corrected one). Every nyckeltal
and every table cell of every scope present in both is compared; each gets a status
(`+` new, `-` removed, `~` changed, `=` same), the absolute and relative change and a
flag when the change passes a threshold of params/diff.yml. The result is a DataFrame
first (`diff_builds`), then written as CSV and as an offline HTML page (diff_html.py). For two runs the
published figures (published_figures.yaml) whose inputs changed are listed.

`year_over_year` is the same comparison for one scope's nyckeltal against last year's,
which the build writes as forandringar.csv.
"""
from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from .. import fmt
from ..errors import KaaError, UsageError
from ..metrics import definitions as metrics
from ..params import read_yaml
from ..paths import PARAMS
from .diff_html import change_text, render_html, value_text
from .outputs import NYCKELTAL, is_share, read_json, scope_cells, scopes_of
from .published import default_published_path, load_published, published_refs

COLUMNS = ["scope", "tabell", "rad", "kolumn", "namn", "typ", "varde", "jamfort",
           "forandring", "forandring_relativ", "status", "flagga"]
YOY_COLUMNS = ["nyckel", "namn", "varde", "foregaende", "forandring", "forandring_relativ", "flagga"]

# ---------------------------------------------------------------- thresholds


def load_thresholds(profile: str = "ar_mot_ar", path: Path = PARAMS / "diff.yml") -> dict:
    """One profile of params/diff.yml ("ar_mot_ar" or "korning_mot_korning")."""
    return read_yaml(path)[profile]


# ---------------------------------------------------------------- comparing values


def _num(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and not (isinstance(v, float) and math.isnan(v))


def compare(new, old, share: bool, th: dict) -> tuple[object, object, bool]:
    """(change, relative change, flag) of one value against its comparison value.

    Counts: flagged when |Δ| ≥ antal.absolut and |Δ|/|old| ≥ antal.relativ (old = 0: the
    absolute rule alone). Shares: |Δ| ≥ andel.procentenheter/100; null ↔ number is flagged.
    A value hidden by suppression on one side only is flagged when `dolda` is set."""
    if _num(new) and _num(old):
        d = new - old
        if share:
            return d, None, abs(d) * 100 >= th["andel"]["procentenheter"] - 1e-12
        rel = d / old if old != 0 else None
        a = th["antal"]
        flag = abs(d) >= a["absolut"] and (rel is None or abs(rel) >= a["relativ"] - 1e-12) and d != 0
        return d, rel, bool(flag)
    if new == old:
        return None, None, False
    if isinstance(new, str) or isinstance(old, str):  # hidden ("<5") on one side: no arithmetic
        return None, None, bool(th.get("dolda", False))
    return None, None, bool(share and (new is None) != (old is None) and (_num(new) or _num(old)))


def _status(has_new: bool, has_old: bool, new, old) -> str:
    if has_new and not has_old:
        return "+"
    if has_old and not has_new:
        return "-"
    if _num(new) and _num(old):
        return "=" if abs(new - old) <= 1e-12 else "~"
    return "=" if new == old else "~"


def compare_cells(new: dict, old: dict, th: dict, scope: str = "") -> pd.DataFrame:
    """Rows of COLUMNS for two {(tabell, rad, kolumn): value} maps (new order first, then removed)."""
    rows = []
    keys = list(new) + [k for k in old if k not in new]
    for k in keys:
        tabell, rad, kolumn = k
        hn, ho = k in new, k in old
        v, w = new.get(k), old.get(k)
        share = is_share(tabell, rad, kolumn)
        status = _status(hn, ho, v, w)
        d, rel, flag = compare(v, w, share, th) if hn and ho else (None, None, bool(th.get("nya_och_borttagna")))
        rows.append({"scope": scope, "tabell": tabell, "rad": rad, "kolumn": kolumn,
                     "namn": metrics.namn(rad) if tabell == NYCKELTAL else "",
                     "typ": "andel" if share else "antal", "varde": v, "jamfort": w, "forandring": d,
                     "forandring_relativ": rel, "status": status, "flagga": flag and status != "="})
    return pd.DataFrame(rows, columns=COLUMNS, dtype=object)


def year_over_year(current: dict, previous: dict, thresholds: dict | None = None) -> pd.DataFrame:
    """One scope's nyckeltal against last year's: columns nyckel, namn, varde, foregaende,
    forandring, forandring_relativ, flagga (the build writes it as forandringar.csv).

    forandring is new − old (for shares in fractions of 1, i.e. 0,05 = 5 procentenheter);
    forandring_relativ is Δ/old for counts, empty for shares and when old is 0 or missing."""
    th = thresholds if thresholds is not None else load_thresholds("ar_mot_ar")
    c = compare_cells({(NYCKELTAL, k, "varde"): v for k, v in current.items()},
                      {(NYCKELTAL, k, "varde"): v for k, v in previous.items()}, th)
    out = c.rename(columns={"rad": "nyckel", "jamfort": "foregaende"})[YOY_COLUMNS]
    return out.reset_index(drop=True)


def diff_builds(new_root: Path, new_year: int, old_root: Path, old_year: int, th: dict) -> pd.DataFrame:
    """Every figure of every scope present in both builds, compared (COLUMNS)."""
    old_scopes = set(scopes_of(old_root, old_year))
    parts = [compare_cells(scope_cells(Path(new_root) / str(new_year) / s, new_year),
                           scope_cells(Path(old_root) / str(old_year) / s, old_year), th, s)
             for s in scopes_of(new_root, new_year) if s in old_scopes]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=COLUMNS)


# ---------------------------------------------------------------- published figures


def build_values(root: Path, year: int) -> dict[tuple[int, str, str], object]:
    """(year, scope, key) → value from a build of Y: nyckeltal.json (Y) and nyckeltal_foregaende_ar.json (Y−1)."""
    out = {}
    for s in scopes_of(root, year):
        folder = Path(root) / str(year) / s
        for fname, y in (("nyckeltal_foregaende_ar.json", year - 1), ("nyckeltal.json", year)):
            if (folder / fname).exists():
                for k, v in read_json(folder / fname).items():
                    out[(y, s, k)] = v
    return out


def published_changes(new_root: Path, old_root: Path, year: int, published: dict) -> pd.DataFrame:
    """The published figures whose inputs differ between two builds of Y: id, as printed,
    the figures it rests on (year scope key) with their values in both builds."""
    a, b = build_values(old_root, year), build_values(new_root, year)
    rows = []
    for e in published["entries"]:
        for r in published_refs(e):
            ins = r.inputs()
            if not all(i in a and i in b for i in ins):
                continue
            changed = [i for i in ins if a[i] != b[i]]
            if changed:
                rows.append({"id": e["id"], "tryckt": str(e.get("value_as_printed", "")),
                             "figur": "; ".join(f"{k} {s} {y}" for y, s, k in changed),
                             "fore": "; ".join(value_text(a[i], is_share(NYCKELTAL, i[2], "")) for i in changed),
                             "efter": "; ".join(value_text(b[i], is_share(NYCKELTAL, i[2], "")) for i in changed)})
    return pd.DataFrame(rows, columns=["id", "tryckt", "figur", "fore", "efter"])


# ---------------------------------------------------------------- the command's files and lines


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """The structured result as UTF-8 CSV (shares unrounded, empty = none)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8")
    return path


def summary_lines(df: pd.DataFrame, limit: int = 40) -> list[str]:
    """Short text for the terminal: counts, then the flagged changes."""
    n = df["status"].value_counts().to_dict() if len(df) else {}
    fl = df[df["flagga"]] if len(df) else df
    out = [f"{fmt.antal(len(df))} värden jämförda: {fmt.antal(n.get('~', 0))} ändrade, {fmt.antal(n.get('+', 0))} nya, "
           f"{fmt.antal(n.get('-', 0))} borttagna, {fmt.antal(len(fl))} flaggade."]
    for _, r in fl.head(limit).iterrows():
        share = r["typ"] == "andel"
        d, rel = change_text(r["forandring"], r["forandring_relativ"], share)
        out.append(f"  ⚑ {r['scope']} {r['tabell']} {r['rad']} {r['kolumn']}: "
                   f"{value_text(r['jamfort'], share)} → {value_text(r['varde'], share)} {d} {rel}".rstrip())
    if len(fl) > limit:
        out.append(f"  … och {fmt.antal(len(fl) - limit)} till (se CSV/HTML).")
    return out


# ---------------------------------------------------------------- command


def run(year: int, against: int | None, out: Path, runs: tuple[Path, ...],
        published: Path | None, dest: Path | None) -> tuple[list[str], bool]:
    """`kaa-report diff`: writes the CSV and HTML files and returns the lines to print
    and whether any change is flagged (exit 1 on the command line)."""
    if bool(against is not None) == bool(runs) or (runs and len(runs) != 2):
        raise UsageError("Ange antingen --against Y0 eller exakt två --run.")
    if runs:
        old_root, new_root = runs
        th = load_thresholds("korning_mot_korning")
        df = diff_builds(new_root, year, old_root, year, th)
        labels = (f"B ({new_root})", f"A ({old_root})")
        pub = published_changes(new_root, old_root, year, load_published(published or default_published_path()))
        dest = dest or new_root
        stem = f"diff-{year}-korningar"
        title = f"KAA {year}: körning {new_root} mot {old_root}"
    else:
        th = load_thresholds("ar_mot_ar")
        df = diff_builds(out, year, out, against, th)
        labels = (str(year), str(against))
        pub = None
        dest = dest or out
        stem = f"diff-{year}-{against}"
        title = f"KAA {year} mot {against}"
    if df.empty:
        raise KaaError("Inga gemensamma omfattningar att jämföra (finns nyckeltal.json i båda?).")
    write_csv(df, Path(dest) / f"{stem}.csv")
    (Path(dest) / f"{stem}.html").write_text(render_html(df, title, labels, pub), encoding="utf-8")
    lines = summary_lines(df)
    if pub is not None:
        write_csv(pub, Path(dest) / f"diff-{year}-publicerade.csv")
        lines.append(f"Publicerade siffror som skulle ändras: {fmt.antal(len(pub))}")
        for _, r in pub.iterrows():
            lines.append(f"  {r['id']} (tryckt {r['tryckt']}): {r['figur']}: {r['fore']} → {r['efter']}")
    lines.append(f"Skrev {Path(dest) / (stem + '.csv')} och .html")
    return lines, bool(df["flagga"].any()) or (pub is not None and len(pub) > 0)
