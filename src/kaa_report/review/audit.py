"""`kaa-report audit`: every derived figure recomputed, for revisors.

`--year Y` reads the built outputs of every scope of Y and recomputes, with
`metrics.DERIVED` / `metrics.compute` only: every derived nyckeltal from its base
counts (this year and last), every table cell against nyckeltal, each year-over-year
change (forandringar.csv and the variables each document was written with, variabler-<doc>.yml,
against the two nyckeltal files: prose.py; last year's figures against
last year's build when both come from the same export), and that the jobbtorg scopes
sum to the city for every count. It reads what was printed: every number of every PDF
traced to its source (pdftrace.py; "PDF <doc>: N tal, N spårade" per document, an
untraced number is a finding) and the year's prose checked for hand-typed numbers and
comparison words (document/textkontroll.py). It writes audit-<Y>.xlsx (auditbook.py).

`--published FILE` checks a published-figures file for internal consistency
(published.check_published).

Quiet when everything agrees; each mismatch is printed with its arithmetic.
Exit 0 when all agree, 1 otherwise.
"""
from __future__ import annotations

import math
from pathlib import Path

from ..errors import UsageError
from ..exhibits import registry
from ..exhibits.tables import KON_SUFFIX, TABELL_5_COLUMNS
from ..metrics import definitions as metrics
from ..params import STAD, mapping_for
from ..paths import INTERN, PUBLISHED_PREFIX, REPORT, exact_file, published_file
from . import pdftrace
from .avvikelse import Avvikelse, _n, same
from .outputs import Bygge, read_build, read_json, read_table, relabel
from .prose import check_prose

# ---------------------------------------------------------------- derived figures


def recompute(nk: dict) -> list[tuple[str, object, str]]:
    """(key, value, arithmetic) for every derived figure whose inputs are in nk, computed
    with metrics.compute from the reported inputs."""
    out = []
    for x, key, args in metrics.derived_instances(nk):
        vals = [nk[a] for a in args]
        if any(v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))) for v in vals):
            continue  # a suppressed or text value: nothing to recompute
        vals = [None if isinstance(v, float) and math.isnan(v) else v for v in vals]
        got = metrics.compute(x.op, vals)
        sym = {"kvot": " / ", "differens": " − ", "summa": " + "}[x.op]
        arith = f"{key} = {sym.join(args)} = {sym.join(_n(v) for v in vals)} = {_n(got)}"
        out.append((key, got, arith))
    return out


def check_derived(nk: dict, scope: str, label: str) -> list[Avvikelse]:
    out = []
    for key, got, arith in recompute(nk):
        if key not in nk:
            out.append(Avvikelse(scope, "saknas", f"{key} ({label})", f"{arith}, men {key} saknas i filen"))
        elif not same(got, nk[key]):
            out.append(Avvikelse(scope, "harledd", f"{key} ({label})", f"{arith}, rapporterat {_n(nk[key])}"))
    return out


# ---------------------------------------------------------------- tables against nyckeltal

# The tables' column labels, from the code that writes the tables; which nyckeltal each
# table's cells show is its read-back in the registry (exhibits/registry.py, READ_BACK).
KON_COLS = KON_SUFFIX
T56_COLS = TABELL_5_COLUMNS
T56_COUNTS = ("inskrivna", "avslutade", "studier_antal", "arbete_antal", "studier_arbete_antal")


def _hidden(value) -> bool:
    """A suppressed cell ("<5"): not a number, so there is nothing to compare."""
    return isinstance(value, str)


def _cell_check(scope, tabell, rad, col, value, nk, key, label) -> list[Avvikelse]:
    if _hidden(value):
        return []
    if key not in nk:
        return [Avvikelse(scope, "saknas", f"{tabell} {rad}/{col}", f"{key} saknas i {label}")]
    if not same(value, nk[key]):
        return [Avvikelse(scope, "tabell", f"{tabell} {rad}/{col}",
                          f"cellen {_n(value)}, {label} {key} = {_n(nk[key])}")]
    return []


def check_tables(folder: Path, year: int, scope: str, nk: dict, prev: dict | None,
                 others: dict[str, tuple[dict, dict | None]]) -> list[Avvikelse]:
    """Every table of the registry in one scope folder against the nyckeltal (this year's and
    last year's), read back as its entry says (registry.READ_BACK); in a suppressed scope the
    exact tables in intern/.

    Tabell 5/6: Totalt = the scope's own nyckeltal; for the city each jobbtorg row = that
    jobbtorg's nyckeltal (when built); in every row the shares follow from the row's
    counts and studier + arbete = studier_arbete (metrics.DERIVED); the rows sum to Totalt."""
    out = []
    by_year = {"ar": (nk, "nyckeltal.json"), "foregaende_ar": (prev, "nyckeltal_foregaende_ar.json")}
    for kind, check in READ_BACK.items():
        for e in registry.read_back(kind):
            p = exact_file(folder, f"{e.name}.csv")
            if p.exists():
                out += check(scope, e, p, year, by_year, others)
    return out


def _by_year_columns(scope, e, p, year, by_year, others) -> list[Avvikelse]:
    """Rows × year columns: each cell against its row's key in that year's nyckeltal."""
    out, rows = [], e.row_keys()
    for rad, row in read_table(p).iterrows():
        for col, v in row.items():
            src, label = by_year.get(relabel(col, year), (None, ""))
            if src is not None and rad in rows:
                out += _cell_check(scope, e.name, rad, col, v, src, rows[rad], label)
    return out


def _by_kon_columns(scope, e, p, year, by_year, others) -> list[Avvikelse]:
    """Rows × kön columns of one year: each cell against its row's key + the kön suffix."""
    (src, label), rows = by_year[e.year], e.row_keys()
    out = []
    if src is None:
        return out
    for rad, row in read_table(p).iterrows():
        for col, v in row.items():
            if rad in rows and col in KON_COLS:
                out += _cell_check(scope, e.name, rad, col, v, src, rows[rad] + KON_COLS[col], label)
    return out


def _per_unit(scope, e, p, year, by_year, others) -> list[Avvikelse]:
    """One row per unit of one year (Tabell 5/6): see check_tables."""
    (src, label), previous = by_year[e.year], e.year == "foregaende_ar"
    if src is None:
        return []
    return _check_t56(scope, e.name, read_table(p), src, label, year - 1 if previous else year, others, previous)


# How a table of each read-back kind (registry.READ_BACK) is checked; check_tables goes kind
# by kind in this order, each kind's tables in number order.
READ_BACK = {"ar": _by_year_columns, "kon": _by_kon_columns, "enhet": _per_unit}


def _whole(v) -> bool:
    """A count as the CSV holds it: an int, or a float with no fraction (490.0)."""
    return isinstance(v, (int, float)) and not isinstance(v, bool) and not math.isnan(v) and float(v).is_integer()


def _check_t56(scope, name, t, nk, label, year, others, previous) -> list[Avvikelse]:
    out = []
    slug_of = {u.namn: u.slug for u in mapping_for(year).units}
    for rad, row in t.iterrows():
        counts = {T56_COLS[c]: row[c] for c in t.columns if c in T56_COLS}
        for key, got, arith in recompute(counts):  # the row's own arithmetic
            if key in counts and not same(got, counts[key]):
                out.append(Avvikelse(scope, "tabell", f"{name} {rad}", f"{arith}, cellen {_n(counts[key])}"))
        if rad == "Totalt":
            ref, ref_label = nk, label
        elif scope == STAD and slug_of.get(rad) in others:
            o = others[slug_of[rad]]
            ref, ref_label = (o[1] if previous else o[0]), f"{slug_of[rad]}/{label}"
        else:
            continue
        if ref is None:
            continue
        for col, key in T56_COLS.items():
            if col in row.index:
                out += _cell_check(scope, name, rad, col, row[col], ref, key, ref_label)
    if "Totalt" in t.index:
        units = t.drop(index="Totalt")
        for col in T56_COUNTS:
            if col in t.columns and len(units):
                vals = list(units[col])
                if all(_whole(v) for v in vals) and _whole(t.loc["Totalt", col]):
                    total = sum(vals)
                    if not same(total, t.loc["Totalt", col]):
                        out.append(Avvikelse(scope, "summa", f"{name} {col}",
                                             f"{' + '.join(map(_n, vals))} = {_n(total)}, Totalt {_n(t.loc['Totalt', col])}"))
    return out


# ---------------------------------------------------------------- changes and sums


def check_published_tables(folder: Path, scope: str) -> list[Avvikelse]:
    """In a suppressed scope, every cell of tabell_<n>.csv and diagram_<n>.csv that is shown
    (not "<5" or "..") equals the exact one in intern/, no sign hides a 0 or an empty
    cell, and "<5" stands only for 1-4."""
    import pandas as pd

    from ..privacy.suppress import load_params

    params = load_params()
    signs = params.signs
    out = []
    intern = folder / INTERN
    if not intern.is_dir():
        return out
    for p in sorted([*intern.glob("tabell_*.csv"), *intern.glob("diagram_*.csv")]):
        top = folder / p.name
        if not top.is_file():
            out.append(Avvikelse(scope, "saknas", p.name, f"{p.name} finns i {INTERN}/ men inte i omfånget"))
            continue
        exact, shown = pd.read_csv(p, dtype=str, keep_default_na=False), pd.read_csv(top, dtype=str, keep_default_na=False)
        if exact.shape != shown.shape or list(exact.columns) != list(shown.columns):
            out.append(Avvikelse(scope, "publicerad", p.name, f"{p.name} har en annan form än {INTERN}/{p.name}"))
            continue
        for i in range(len(exact)):
            for c in exact.columns:
                v, e = shown.at[i, c], exact.at[i, c]
                if v != e and v not in signs:
                    out.append(Avvikelse(scope, "publicerad", f"{p.stem} rad {i + 1}/{c}", f"visas som {v}, exakt {e}"))
                elif v in signs and e.strip() in ("", "0"):
                    out.append(Avvikelse(scope, "publicerad", f"{p.stem} rad {i + 1}/{c}", f"{v} döljer {e or 'ett tomt värde'}"))
                elif v == params.hidden_label and not (e.isdigit() and 1 <= int(e) < params.n):
                    out.append(Avvikelse(scope, "publicerad", f"{p.stem} rad {i + 1}/{c}", f"{v} står för {e}"))
    return out


def check_published_figures(folder: Path, scope: str, nk: dict, prev: dict | None) -> list[Avvikelse]:
    """With suppression, publicerade_nyckeltal*.json: every figure shown must equal the exact one."""
    out = []
    for name, exact in (("nyckeltal.json", nk), ("nyckeltal_foregaende_ar.json", prev)):
        p = folder / (PUBLISHED_PREFIX + name)
        if not p.exists() or exact is None:
            continue
        for key, shown in read_json(p).items():
            if not _hidden(shown) and not same(shown, exact.get(key)):
                out.append(Avvikelse(scope, "publicerad", f"{key} ({p.name})",
                                     f"visas som {_n(shown)}, exakt {_n(exact.get(key))}"))
    return out


def check_changes(folder: Path, scope: str, nk: dict, prev: dict | None) -> list[Avvikelse]:
    """forandringar.csv: varde, foregaende and forandring against the two nyckeltal files
    (the published ones where the scope is suppressed: the appendix is written from them)."""
    p = folder / "forandringar.csv"
    if not p.exists() or prev is None:
        return []
    nk = read_json(published_file(folder, "nyckeltal.json"))
    prev = read_json(published_file(folder, "nyckeltal_foregaende_ar.json"))
    out = []
    t = read_table(p)
    for key, row in t.iterrows():
        now, before = nk.get(key), prev.get(key)
        if not same(row.get("varde"), now) or not same(row.get("foregaende"), before):
            out.append(Avvikelse(scope, "forandring", str(key),
                                 f"forandringar.csv {_n(row.get('varde'))} mot {_n(row.get('foregaende'))}, "
                                 f"nyckeltal {_n(now)} mot {_n(before)}"))
            continue
        if isinstance(now, (int, float)) and isinstance(before, (int, float)):
            d = now - before
            if not same(row.get("forandring"), d):
                out.append(Avvikelse(scope, "forandring", str(key),
                                     f"{_n(now)} − {_n(before)} = {_n(d)}, forandringar.csv {_n(row.get('forandring'))}"))
    return out


def _inputs(manifest: dict | None) -> dict | None:
    return None if not manifest else manifest.get("inputs")


def check_previous_build(root: Path, year: int, scope: str, prev: dict | None, manifest: dict | None) -> list[Avvikelse]:
    """Last year's figures in this build against the Y−1 build, when both read the same export."""
    folder = Path(root) / str(year - 1) / scope
    if prev is None or not (folder / "nyckeltal.json").exists():
        return []
    other_manifest = read_json(folder / "manifest.json") if (folder / "manifest.json").exists() else None
    if _inputs(manifest) is None or _inputs(manifest) != _inputs(other_manifest):
        return []  # another export (or unknown): a corrected register may differ
    old = read_json(folder / "nyckeltal.json")
    return [Avvikelse(scope, "foregaende_ar", k, f"nyckeltal_foregaende_ar.json {_n(prev[k])}, bygget för {year - 1} {_n(old[k])}")
            for k in prev if k in old and not same(prev[k], old[k])]


def check_sums(year: int, scopes: dict[str, dict], label: str) -> list[Avvikelse]:
    """Every count key: the jobbtorg scopes (and saknar-stadsdel) sum to the city."""
    units = [u.slug for u in mapping_for(year).units]
    if STAD not in scopes or not all(u in scopes for u in units):
        return []
    out = []
    city = scopes[STAD]
    for key, v in city.items():
        if not isinstance(v, int) or isinstance(v, bool):
            continue
        parts = [scopes[u].get(key) for u in units]
        if any(not isinstance(p, int) for p in parts):
            continue
        if sum(parts) != v:
            out.append(Avvikelse(STAD, "summa", f"{key} ({label})",
                                 f"{' + '.join(map(_n, parts))} = {_n(sum(parts))} ({', '.join(units)}), stad {_n(v)}"))
    return out


# ---------------------------------------------------------------- the whole year


def audit_build(b: Bygge) -> list[Avvikelse]:
    """Every mismatch in the build of one year (empty when everything agrees)."""
    out: list[Avvikelse] = []
    others = {s: (b.nyckeltal[s], b.foregaende[s]) for s in b.nyckeltal}
    for s, nk in b.nyckeltal.items():
        folder = b.root / str(b.year) / s
        out += check_derived(nk, s, f"{b.year}")
        if b.foregaende[s] is not None:
            out += check_derived(b.foregaende[s], s, f"{b.year - 1}")
        out += check_tables(folder, b.year, s, nk, b.foregaende[s], others)
        out += check_published_figures(folder, s, nk, b.foregaende[s])
        out += check_published_tables(folder, s)
        out += check_changes(folder, s, nk, b.foregaende[s])
        out += check_prose(folder, s, nk, b.foregaende[s])
        out += check_previous_build(b.root, b.year, s, b.foregaende[s], b.manifest[s])
    out += check_sums(b.year, b.nyckeltal, str(b.year))
    prev = {s: v for s, v in b.foregaende.items() if v is not None}
    out += check_sums(b.year - 1, prev, f"{b.year - 1}")
    return out


def read_printed(b: Bygge) -> tuple[list, list[Avvikelse]]:
    """What was printed: every number of every PDF traced to its source (pdftrace.py), and
    the year's prose checked for hand-typed numbers and comparison words (textkontroll.py).
    Returns the traced numbers (for the workbook) and the findings."""
    from ..document.textkontroll import hand_typed

    tal = pdftrace.trace_build(b.root, b.year, report_dir=REPORT)
    found = pdftrace.findings(tal)
    found += [Avvikelse("text", "kalltext", f"{f.fil}:{f.rad}", f.besked())
              for f in hand_typed(b.year, REPORT)]
    return tal, found


# ---------------------------------------------------------------- command


def run(year: int | None, out: Path, published: Path | None, verbose: bool) -> tuple[list[str], int]:
    """`kaa-report audit`: writes audit-<Y>.xlsx and returns the lines to print and the
    number of mismatches found (exit 1 on the command line when any)."""
    if year is None and published is None:
        raise UsageError("Ange --year Y och/eller --published FILE.")
    lines: list[str] = []
    problems = 0
    if published is not None:
        from .published import check_published, load_published, summary

        data = load_published(published)
        found = check_published(data)
        lines += [f.text() for f in found]
        problems += len(found)
        if verbose or found:
            s = summary(data)
            lines.append(f"{published}: {_n(len(found))} motsägelser; {_n(s['med_nyckeltal'])} av {_n(s['poster'])} poster "
                         f"knutna till nyckeltal, {_n(s['pastaenden_provade'])} av {_n(s['pastaenden'])} påståenden prövade.")
    if year is not None:
        from .auditbook import write_auditbook

        b = read_build(out, year)
        found = audit_build(b)
        tal, printed = read_printed(b)
        found += printed
        lines += [f.text() for f in found]
        lines += pdftrace.summary(tal)
        problems += len(found)
        path = write_auditbook(Path(out) / str(year) / f"audit-{year}.xlsx", b, tal)
        lines.append(f"{_n(len(found))} avvikelser i {_n(len(b.nyckeltal))} omfång; revisionsunderlag: {path}")
    return lines, problems
