"""The report's exhibits (Tabell 1-6, Diagram 1-8, Figur 1, the appendices) as
Markdown files holding raw Typst, written from the files of one scope's build output.

Raw Typst blocks pass unchanged through both engines (Quarto and pandoc), so the tables
look the same whichever engine runs, and each caption carries a fixed number: Tabell 5
is "Tabell 5" in every scope. Cells are formatted with kaa_report.fmt (counts "1 231",
shares "54 %", suppressed cells such as "<5" as they are).
"""
from __future__ import annotations

import re
import struct
from pathlib import Path

import pandas as pd

from ..errors import RenderError
from .. import fmt
from ..exhibits import registry
from ..exhibits.tables import read_table

# ---------------------------------------------------------------- Typst helpers


def typst_str(text: str) -> str:
    """A Typst string literal: "…" with backslash, quote and newline escaped."""
    s = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{s}"'


def raw_block(code: str) -> str:
    """A Markdown raw Typst block."""
    return "```{=typst}\n" + code.strip() + "\n```\n"


def _figure(kind: str, supplement: str, nummer: int, caption: str, body: str) -> str:
    return f"#kaa-figur({kind}, [{supplement}], {nummer}, {typst_str(caption)}, {body})"


# ---------------------------------------------------------------- tables


def cell(column: str, value) -> str:
    """Format one cell: shares (columns with "andel") as "54 %", everything else as a count."""
    if "andel" in column:
        return fmt.procent(value)
    return fmt.antal(value)


def _cells(values) -> str:
    return ", ".join(typst_str(v) for v in values)


def _table(widths: str, header: list[str], rows: list[list[str]], total: bool, header_rows: int = 1) -> str:
    """A kaa-tabell call; header is a list of Typst cell expressions, rows are plain strings."""
    body = "".join(f"\n    {_cells(r)}," for r in rows)  # a Typst array: no lone comma when empty
    return (f"kaa-tabell(widths: {widths}, header-rows: {header_rows}, total: {'true' if total else 'false'},\n"
            f"  header: ({', '.join(header)},),\n"
            f"  body: ({body}\n  ))")


def simple_table(df: pd.DataFrame, first_header: str = "", total: bool = True) -> str:
    """Tabell 1-4: a label column and count columns (header from the CSV)."""
    header = [typst_str(first_header)] + [typst_str(c) for c in df.columns[1:]]
    rows = [[r.iloc[0]] + [cell(c, r[c]) for c in df.columns[1:]] for _, r in df.iterrows()]
    n = len(df.columns) - 1
    widths = f"(auto, {', '.join(['1fr'] * n)})" if n > 2 else "(6cm, 3cm, 3cm)"
    return _table(widths, header, rows, total)


RESULT_COLUMNS = ("inskrivna", "avslutade", "andel_avslutade", "studier_antal", "studier_andel",
                  "arbete_antal", "arbete_andel", "studier_arbete_antal", "studier_arbete_andel")


def result_table(df: pd.DataFrame, first_header: str) -> str:
    """Tabell 5/6 with a two-row header: Inskrivna | Avslutade | Till studier | Till arbete |
    Till studier eller arbete, each of the last four split into antal and andel."""
    missing = [c for c in RESULT_COLUMNS if c not in df.columns]
    if missing:
        raise RenderError(f"tabell 5/6 saknar kolumnerna {missing}")

    def top(text: str, colspan: int = 1, rowspan: int = 1, align: str = "center") -> str:
        return f"table.cell(colspan: {colspan}, rowspan: {rowspan}, align: {align} + bottom, {typst_str(text)})"

    header = [top(first_header, rowspan=2, align="left"), top("Inskrivna", rowspan=2, align="right"),
              top("Avslutade", 2), top("Till studier", 2), top("Till arbete", 2), top("Till studier eller arbete", 2)]
    header += [f"table.cell(align: right, {typst_str(t)})" for t in ["Antal", "Andel"] * 4]
    rows = [[r["rad"]] + [cell(c, r[c]) for c in RESULT_COLUMNS] for _, r in df.iterrows()]
    total = bool(len(df)) and df["rad"].iloc[-1] == "Totalt"
    return _table("(1fr, 1.7cm) + (1.2cm,) * 8", header, rows, total, header_rows=2)


def _flagged(v) -> bool:
    return str(v).strip().lower() in ("true", "1", "ja", "x")


def appendix_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The rows of forandringar.csv for the appendix: every figure, and its split by kön
    (keys ending _k/_m) only where that change is flagged."""
    split = df["nyckel"].str.endswith(("_k", "_m"))
    return df[~split | df["flagga"].map(_flagged)].reset_index(drop=True)


def changes_table(df: pd.DataFrame, year: int) -> str:
    """The appendix: every nyckeltal last year and this year, the change (shares in
    procentenheter, "p.e."), the relative change and whether the change is flagged."""
    header = [typst_str(h) for h in ("Nyckeltal", str(year - 1), str(year), "Förändring", "Relativt", "Flaggad")]
    rows = []
    for _, r in df.iterrows():
        share = "andel" in r["nyckel"]
        diff = fmt.to_decimal(r["forandring"])
        if diff is None:
            change = fmt.SAKNAS
        else:
            change = fmt.tal(diff * 100, 1) + fmt.NBSP + "p.e." if share else fmt.antal(diff)
            if diff > 0:
                change = "+" + change
        rel = fmt.procent(r["forandring_relativ"], 1) if str(r["forandring_relativ"]).strip() else ""
        flag = "ja" if _flagged(r.get("flagga", "")) else ""
        rows.append([r["namn"], cell(r["nyckel"], r["foregaende"]), cell(r["nyckel"], r["varde"]), change, rel, flag])
    return _table("(1fr, auto, auto, auto, auto, auto)", header, rows, total=False)


# ---------------------------------------------------------------- images


def image_size(path: Path) -> tuple[float, float]:
    """(width, height) of a PNG (pixels) or an SVG (its viewBox or width/height)."""
    if path.suffix == ".png":
        with open(path, "rb") as f:
            head = f.read(24)
        w, h = struct.unpack(">II", head[16:24])
        return float(w), float(h)
    text = path.read_text(encoding="utf-8", errors="replace")[:2000]
    m = re.search(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)', text)
    if m:
        return float(m.group(1)), float(m.group(2))
    mw, mh = re.search(r'width="([\d.]+)', text), re.search(r'height="([\d.]+)', text)
    if mw and mh:
        return float(mw.group(1)), float(mh.group(1))
    return 16.0, 9.0


MAX_WIDTH_CM, MAX_HEIGHT_CM = 15.5, 12.0


def image_call(path: Path, rel: str, alt: str) -> str:
    """image(...) sized to the text column, or by height when the picture is tall, with its
    alt text (the /Alt of the PDF's Figure element, required by PDF/UA)."""
    w, h = image_size(path)
    size = f"height: {MAX_HEIGHT_CM}cm" if h / w * MAX_WIDTH_CM > MAX_HEIGHT_CM else f"width: {MAX_WIDTH_CM}cm"
    return f"image({typst_str(rel)}, {size}, alt: {typst_str(alt)})"


def pick_image(scope_dir: Path, stem: str) -> Path | None:
    """diagram_N.svg when present (sharp in print), else diagram_N.png."""
    for ext in (".svg", ".png"):
        p = scope_dir / f"{stem}{ext}"
        if p.is_file() and p.stat().st_size > 0:
            return p
    return None


# ---------------------------------------------------------------- all exhibits


def table_block(nummer: int, caption: str, body: str) -> str:
    return raw_block(_figure("table", "Tabell", nummer, caption, body))


def image_block(kind: str, supplement: str, nummer: int, caption: str, path: Path, rel: str, alt: str) -> str:
    return raw_block(_figure(typst_str(kind), supplement, nummer, caption, image_call(path, rel, alt)))


def write_exhibits(scope_dir: Path, out_dir: Path, image_dir_rel: str, captions: dict[str, str],
                   year: int, city: bool, alt_texts: dict[str, str]) -> dict[str, Path]:
    """Write one Markdown file per exhibit into out_dir (tabell_1.md … diagram_8.md, figur_1.md,
    bilaga_forandringar.md) and copy the images next to them; every image carries its alt
    text from `alt_texts` (kaa_report.alttext.for_scope). An exhibit whose input is
    missing becomes a short italic note, so the document still builds and says so."""
    import shutil

    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}

    def put(name: str, text: str) -> None:
        p = out_dir / f"{name}.md"
        p.write_text(text, encoding="utf-8")
        written[name] = p

    first = "Jobbtorg" if city else "Stadsdel"
    for e in registry.of_kind("tabell"):
        name, n = e.name, e.nummer
        src = scope_dir / f"{name}.csv"
        if not src.is_file():
            put(name, f"*Tabell {n} saknas i underlaget ({src.name}).*\n")
            continue
        df = read_table(src)
        if e.shape == "resultat":
            body = result_table(df, first)
        else:
            body = simple_table(df, total=e.shape != "per_ar")
        put(name, table_block(n, captions[name], body))

    for e in registry.of_kind("diagram") + registry.of_kind("figur"):
        stem, kind, supplement, nummer = e.name, e.kind, e.supplement, e.nummer
        src = pick_image(scope_dir, stem)
        if src is None:
            put(stem, f"*{supplement} {nummer} saknas i underlaget ({stem}.svg/.png).*\n")
            continue
        shutil.copyfile(src, out_dir / src.name)
        put(stem, image_block(kind, supplement, nummer, captions[stem], src, f"{image_dir_rel}/{src.name}",
                              alt_texts[stem]))

    changes = scope_dir / "forandringar.csv"
    if changes.is_file():
        df = appendix_rows(read_table(changes))
        text = ("# Bilaga: Förändringar mot föregående år {.unnumbered}\n\n"
                "Tabellen jämför nyckeltalen med året före. Andelar jämförs i procentenheter (p.e.). "
                "En förändring är flaggad när den är större än tröskelvärdena i params/diff.yml. "
                "Uppdelningen på kvinnor och män visas bara där förändringen är flaggad.\n\n"
                + raw_block("#" + changes_table(df, year)))
    else:
        text = ""
    put("bilaga_forandringar", text)
    _add_legends(scope_dir, written)
    put("bilaga_datakvalitet", datakvalitet_section(scope_dir / "manifest.json"))
    return written


def datakvalitet_section(manifest_path: Path) -> str:
    """The appendix "Datakvalitet" when --skip-invalid-rows set rows aside: how many
    persons were left out and why (from the manifest; '' when nothing was set aside)."""
    import json

    if not manifest_path.is_file():
        return ""
    av = json.loads(manifest_path.read_text(encoding="utf-8")).get("avvisade")
    if not av or not (av["personer"] or any(av["rader"].values())):
        return ""
    n, total = av["personer"], av["personer_i_exporten"]
    andel = fmt.procent(n / total, 2) if total else "–"
    who = "person" if n == 1 else "personer"
    text = ("# Bilaga: Datakvalitet {.unnumbered}\n\n"
            f"Registerexporten innehöll rader som inte följer datakontraktet. Rapporten bygger på "
            f"exporten utan dem: {fmt.antal(n)} {who} ({andel} av de {fmt.antal(total)} personerna i exporten) "
            "har lämnats utanför med alla sina uppgifter i alla tabeller")
    alone = {t: c for t, c in av["rader"].items() if t in ("enkat", "befolkning") and c}
    if alone:
        text += ", liksom " + " och ".join(f"{fmt.antal(c)} {'rad' if c == 1 else 'rader'} i {t}" for t, c in alone.items())
    text += ". Alla siffror i rapporten gäller de övriga. Tabellen visar vilka regler raderna bröt mot.\n\n"
    rows = [[f"{r['tabell']}, {r['regel']}", fmt.antal(r["rader"]),
             fmt.antal(r["personer"]) if r["tabell"] not in ("enkat", "befolkning") else "–"]
            for r in av["regler"]]
    header = [typst_str(h) for h in ("Tabell och regel", "Rader", "Personer")]
    body = _table("(1fr, auto, auto)", header, rows, total=False)
    return text + raw_block("#" + body)


def legend_block(legend: str) -> str:
    """The suppression legend under an exhibit, as a small raw Typst paragraph."""
    return raw_block(f"#block(above: 0.4em, below: 1.2em, text(size: 8pt, {typst_str(legend)}))")


def _add_legends(scope_dir: Path, written: dict[str, Path], params=None) -> None:
    """Under every table, diagram and the appendix that shows a suppressed cell ("<5",
    ".."), the legend of the signs it shows (params/suppression.yml)."""
    from ..privacy.suppress import load_params

    params = params or load_params()
    sources = {f"tabell_{n}": f"tabell_{n}.csv" for n in range(1, 7)}
    sources.update({f"diagram_{n}": f"diagram_{n}.csv" for n in range(1, 9)})
    sources["bilaga_forandringar"] = "forandringar.csv"
    for name, csv in sources.items():
        src, md = scope_dir / csv, written.get(name)
        if md is None or not src.is_file() or not md.read_text(encoding="utf-8").strip():
            continue
        legend = params.legend_for(read_table(src))
        if legend:
            md.write_text(md.read_text(encoding="utf-8") + "\n" + legend_block(legend), encoding="utf-8")
