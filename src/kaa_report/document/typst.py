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

from .. import fmt
from ..exhibits import registry
from . import cells
from .cells import RESULT_COLUMNS, Head, Table, appendix_rows, cell, read_table  # noqa: F401 (re-exported)

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


def _cells(values) -> str:
    return ", ".join(typst_str(v) for v in values)


def _head(h: Head) -> str:
    """A header cell: a plain string, or table.cell(...) with its spans and alignment."""
    args = [f"colspan: {h.colspan}"] if h.colspan != 1 else []
    args += [f"rowspan: {h.rowspan}"] if h.rowspan != 1 else []
    args += [f"align: {h.align}"] if h.align else []
    return f"table.cell({', '.join(args)}, {typst_str(h.text)})" if args else typst_str(h.text)


def table_call(t: Table) -> str:
    """A kaa-tabell call from the cell list (header rows with spans, body rows as strings)."""
    body = "".join(f"\n    {_cells(r)}," for r in t.body)  # a Typst array: no lone comma when empty
    header = [_head(h) for row in t.header for h in row]
    return (f"kaa-tabell(widths: {t.widths}, header-rows: {len(t.header)}, total: {'true' if t.total else 'false'},\n"
            f"  header: ({', '.join(header)},),\n"
            f"  body: ({body}\n  ))")


def simple_table(df: pd.DataFrame, first_header: str = "", total: bool = True) -> str:
    """Tabell 1-4 as Typst (see cells.simple_table)."""
    return table_call(cells.simple_table(df, first_header, total))


def result_table(df: pd.DataFrame, first_header: str) -> str:
    """Tabell 5/6 as Typst (see cells.result_table)."""
    return table_call(cells.result_table(df, first_header))


def changes_table(df: pd.DataFrame, year: int) -> str:
    """The appendix table as Typst (see cells.changes_table)."""
    return table_call(cells.changes_table(df, year))


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


def pick_image(scope_dir: Path, stem: str, exts=(".svg", ".png")) -> Path | None:
    """The first of stem + ext that exists (diagram_N.svg when present, else diagram_N.png)."""
    for ext in exts:
        p = scope_dir / f"{stem}{ext}"
        if p.is_file() and p.stat().st_size > 0:
            return p
    return None


# ---------------------------------------------------------------- all exhibits


def table_block(nummer: int, caption: str, t: Table) -> str:
    return raw_block(_figure("table", "Tabell", nummer, caption, table_call(t)))


def image_block(kind: str, supplement: str, nummer: int, caption: str, path: Path, rel: str, alt: str) -> str:
    return raw_block(_figure(typst_str(kind), supplement, nummer, caption, image_call(path, rel, alt)))


def legend_block(legend: str) -> str:
    """The suppression legend under an exhibit, as a small raw Typst paragraph."""
    return raw_block(f"#block(above: 0.4em, below: 1.2em, text(size: 8pt, {typst_str(legend)}))")


class TypstBlocks:
    """How write_exhibits writes for the PDF: raw Typst blocks."""

    image_ext = (".svg", ".png")  # SVG when present: sharp in print
    table = staticmethod(table_block)
    image = staticmethod(image_block)
    legend = staticmethod(legend_block)

    @staticmethod
    def plain(t: Table, caption: str = "") -> str:  # the caption is the heading above it in the PDF
        return raw_block("#" + table_call(t))


def write_exhibits(scope_dir: Path, out_dir: Path, image_dir_rel: str, captions: dict[str, str],
                   year: int, city: bool, alt_texts: dict[str, str], blocks=TypstBlocks) -> dict[str, Path]:
    """Write one Markdown file per exhibit into out_dir (tabell_1.md … diagram_8.md, figur_1.md,
    bilaga_forandringar.md) and copy the images next to them; every image carries its alt
    text from `alt_texts` (kaa_report.alttext.for_scope). `blocks` says how: raw Typst
    (TypstBlocks, the PDF) or raw HTML (htmlblocks.HtmlBlocks, the HTML edition), both
    from the same cells (cells.py). An exhibit whose input is missing becomes a short
    italic note, so the document still builds and says so."""
    import shutil

    out_dir.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}

    def put(name: str, text: str) -> None:
        p = out_dir / f"{name}.md"
        p.write_text(text, encoding="utf-8")
        written[name] = p

    for e in registry.of_kind("tabell"):
        name, n = e.name, e.nummer
        src = scope_dir / f"{name}.csv"
        if not src.is_file():
            put(name, f"*Tabell {n} saknas i underlaget ({src.name}).*\n")
            continue
        put(name, blocks.table(n, captions[name], cells.exhibit_table(e.shape, read_table(src), city)))

    for e in registry.of_kind("diagram") + registry.of_kind("figur"):
        stem, kind, supplement, nummer = e.name, e.kind, e.supplement, e.nummer
        src = pick_image(scope_dir, stem, blocks.image_ext)
        if src is None:
            put(stem, f"*{supplement} {nummer} saknas i underlaget ({stem}.svg/.png).*\n")
            continue
        shutil.copyfile(src, out_dir / src.name)
        put(stem, blocks.image(kind, supplement, nummer, captions[stem], src, f"{image_dir_rel}/{src.name}",
                               alt_texts[stem]))

    changes = scope_dir / "forandringar.csv"
    if changes.is_file():
        df = appendix_rows(read_table(changes))
        text = ("# Bilaga: Förändringar mot föregående år {.unnumbered}\n\n"
                "Tabellen jämför nyckeltalen med året före. Andelar jämförs i procentenheter (p.e.). "
                "En förändring är flaggad när den är större än tröskelvärdena i params/diff.yml. "
                "Uppdelningen på kvinnor och män visas bara där förändringen är flaggad. "
                "Ett streck (–) betyder att det inte finns något värde att visa: en andel av noll "
                "personer, eller en relativ förändring från noll, till exempel för en verksamhet som "
                "inte fanns året före.\n\n"
                + blocks.plain(cells.changes_table(df, year), f"Nyckeltalen {year - 1} och {year}"))
    else:
        text = ""
    put("bilaga_forandringar", text)
    _add_legends(scope_dir, written, blocks)
    put("bilaga_datakvalitet", datakvalitet_section(scope_dir / "manifest.json", blocks))
    return written


def datakvalitet_section(manifest_path: Path, blocks=TypstBlocks) -> str:
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
    t = cells.plain_table(["Tabell och regel", "Rader", "Personer"], rows, "(1fr, auto, auto)")
    return text + blocks.plain(t, "Rader som lämnats utanför, per regel")


def _add_legends(scope_dir: Path, written: dict[str, Path], blocks=TypstBlocks, params=None) -> None:
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
            md.write_text(md.read_text(encoding="utf-8") + "\n" + blocks.legend(legend), encoding="utf-8")
