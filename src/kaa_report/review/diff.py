"""`kaa-report diff`: two builds side by side, for reviewers.

This year against another (`--year Y --against Y0`) or two builds of one year
(`--run A --run B --year Y`, e.g. an export against a corrected one). Every nyckeltal
and every table cell of every scope present in both is compared; each gets a status
(`+` new, `-` removed, `~` changed, `=` same), the absolute and relative change and a
flag when the change passes a threshold of params/diff.yml. The result is a DataFrame
first (`diff_builds`), then rendered as CSV and an offline HTML page. For two runs the
published figures (published_figures.yaml) whose inputs changed are listed.

`year_over_year` is the same comparison for one scope's nyckeltal against last year's,
which the build writes as forandringar.csv.
"""
from __future__ import annotations

import html
import math
from pathlib import Path

import pandas as pd

from ..document.cells import RESULT_COLUMNS, result_columns
from ..errors import KaaError, UsageError
from .. import fmt
from ..metrics import definitions as metrics
from ..params import read_yaml
from ..paths import PARAMS
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
                             "fore": "; ".join(_fmt(a[i], is_share(NYCKELTAL, i[2], "")) for i in changed),
                             "efter": "; ".join(_fmt(b[i], is_share(NYCKELTAL, i[2], "")) for i in changed)})
    return pd.DataFrame(rows, columns=["id", "tryckt", "figur", "fore", "efter"])


# ---------------------------------------------------------------- rendering


def _fmt(v, share: bool) -> str:
    """A value for people: counts "7 546", shares "54,3 %", texts as they are (Babel sv_SE)."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return fmt.SAKNAS
    if not _num(v):
        return str(v)
    return fmt.procent(v, 1) if share else fmt.tal(v, 0 if float(v).is_integer() else 2)


def _fmt_change(d, rel, share: bool) -> tuple[str, str]:
    if d is None:
        return "", ""
    sign = "+" if d > 0 else ("" if d == 0 else fmt.MINUS)
    if share:
        return sign + fmt.procentenheter(abs(d), 1), ""
    r = "" if rel is None else sign + fmt.tal(abs(rel) * 100, 1) + fmt.NBSP + "%"
    return sign + fmt.tal(abs(d), 0 if float(d).is_integer() else 2), r


def write_csv(df: pd.DataFrame, path: Path) -> Path:
    """The structured result as UTF-8 CSV (shares unrounded, empty = none)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8")
    return path


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em;color:#222}
h1{font-size:1.4em} h2{font-size:1.15em;margin-top:2em}
table{border-collapse:collapse;font-size:.85em;margin-top:.5em}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.changed td{background:#fff6d5}
tr.added td{background:#e3f4e1} tr.removed td{background:#f3e1e1;text-decoration:line-through}
tr.flagged td{background:#ffd2c2;font-weight:bold}
tr.flagged td.status{color:#a00000}
.summary{background:#f4f4f4;padding:.5em 1em;display:inline-block}
caption{text-align:left;font-weight:600;padding:.3em 0}
"""
_STATUS = {"+": "ny", "-": "borttagen", "~": "ändrad", "=": "oförändrad"}


def kolumn_label(kolumn) -> str:
    """A compared column as the report heads it: "Till arbete, andel" for arbete_andel of
    Tabell 5/6, "Värde" for a nyckeltal's value; other columns are already headers."""
    k = str(kolumn)
    labels = {c: f"{g}, {s.lower()}" if s else g for c, (g, s) in zip(RESULT_COLUMNS, result_columns())}
    return labels.get(k, "Värde" if k == "varde" else k)


def tabell_label(tabell) -> str:
    """tabell_5 → "Tabell 5", diagram_2 → "Diagram 2", nyckeltal → "Nyckeltal"."""
    t = str(tabell)
    kind, _, n = t.partition("_")
    return f"{kind.capitalize()} {n}" if n.isdigit() else t.capitalize()


def _head(*cols: str) -> str:
    return "<thead><tr>" + "".join(f"<th scope='col'>{html.escape(c)}</th>" for c in cols) + "</tr></thead>"


def render_html(df: pd.DataFrame, title: str, labels: tuple[str, str], published: pd.DataFrame | None = None) -> str:
    """An offline HTML page (inline CSS, no scripts, lang sv, landmarks, captioned tables with
    header cells): a summary, then every compared value; changed rows highlighted, flagged
    ones stronger."""
    e = html.escape
    n = df["status"].value_counts().to_dict() if len(df) else {}
    flagged = int(df["flagga"].sum()) if len(df) else 0
    parts = [f"<!DOCTYPE html><html lang='sv'><head><meta charset='utf-8'>"
             "<meta name='viewport' content='width=device-width, initial-scale=1'>"
             f"<title>{e(title)}</title><style>{_CSS}</style></head><body>"
             f"<header><h1>{e(title)}</h1></header><main>",
             "<p class='summary'>" + ", ".join(f"{_STATUS[s]}: {fmt.tal(n.get(s, 0))}" for s in "~+-=")
             + f"; <strong>flaggade: {fmt.tal(flagged)}</strong></p>"]
    if published is not None:
        parts.append(f"<h2>Publicerade siffror som skulle ändras ({fmt.tal(len(published))})</h2>")
        if len(published):
            parts.append("<table><caption>Publicerade siffror som skulle ändras</caption>"
                         + _head("Id", "Tryckt", "Bygger på", labels[1], labels[0]) + "<tbody>")
            for _, r in published.iterrows():
                parts.append("<tr class='flagged'>" + "".join(f"<td>{e(str(r[c]))}</td>" for c in
                                                              ("id", "tryckt", "figur", "fore", "efter")) + "</tr>")
            parts.append("</tbody></table>")
        else:
            parts.append("<p>Inga.</p>")
    for scope, g in df.groupby("scope", sort=False):
        parts.append(f"<h2>{e(str(scope))}</h2><table><caption>Jämförda värden, {e(str(scope))}</caption>"
                     + _head("Tabell", "Rad", "Kolumn", "Namn", labels[0], labels[1], "Förändring", "Relativ", "Status")
                     + "<tbody>")
        for _, r in g.iterrows():
            share = r["typ"] == "andel"
            cls = "flagged" if r["flagga"] else {"~": "changed", "+": "added", "-": "removed"}.get(r["status"], "")
            d, rel = _fmt_change(r["forandring"], r["forandring_relativ"], share)
            parts.append(f"<tr class='{cls}'><td>{e(tabell_label(r['tabell']))}</td><td>{e(str(r['rad']))}</td>"
                         f"<td>{e(kolumn_label(r['kolumn']))}</td>"
                         f"<td>{e(str(r['namn']))}</td><td class='n'>{e(_fmt(r['varde'], share))}</td>"
                         f"<td class='n'>{e(_fmt(r['jamfort'], share))}</td><td class='n'>{e(d)}</td>"
                         f"<td class='n'>{e(rel)}</td><td class='status'>{e(_STATUS[r['status']])}"
                         f"{' ⚑' if r['flagga'] else ''}</td></tr>")
        parts.append("</tbody></table>")
    parts.append("</main>")
    parts.append("</body></html>")
    return "\n".join(parts)


def summary_lines(df: pd.DataFrame, limit: int = 40) -> list[str]:
    """Short text for the terminal: counts, then the flagged changes."""
    n = df["status"].value_counts().to_dict() if len(df) else {}
    fl = df[df["flagga"]] if len(df) else df
    out = [f"{len(df)} värden jämförda: {n.get('~', 0)} ändrade, {n.get('+', 0)} nya, "
           f"{n.get('-', 0)} borttagna, {len(fl)} flaggade."]
    for _, r in fl.head(limit).iterrows():
        share = r["typ"] == "andel"
        d, rel = _fmt_change(r["forandring"], r["forandring_relativ"], share)
        out.append(f"  ⚑ {r['scope']} {r['tabell']} {r['rad']} {r['kolumn']}: "
                   f"{_fmt(r['jamfort'], share)} → {_fmt(r['varde'], share)} {d} {rel}".rstrip())
    if len(fl) > limit:
        out.append(f"  … och {len(fl) - limit} till (se CSV/HTML).")
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
        lines.append(f"Publicerade siffror som skulle ändras: {len(pub)}")
        for _, r in pub.iterrows():
            lines.append(f"  {r['id']} (tryckt {r['tryckt']}): {r['figur']}: {r['fore']} → {r['efter']}")
    lines.append(f"Skrev {Path(dest) / (stem + '.csv')} och .html")
    return lines, bool(df["flagga"].any()) or (pub is not None and len(pub) > 0)
