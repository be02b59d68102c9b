"""Render the årsrapport and the tjänsteutlåtande of one scope to PDF.

    render_report(scope_dir, run, scope)    -> scope_dir/arsrapport-<year>-<scope>.pdf
    render_cover_letter(scope_dir, run)     -> scope_dir/tjansteutlatande-<year>.pdf

`run` is the build's contract.run.Run (the year, its mapping and the params folder,
resolved once), or the operating year alone, resolved against `params_dir`.

Inputs are the build output in scope_dir (nyckeltal.json, nyckeltal_foregaende_ar.json,
tabell_*.csv, diagram_*.svg/.png, figur_1.svg/.png, forandringar.csv), params/ and the
Quarto project in report/. Steps:

1. stage: copy report/ into a temporary folder, the year's prose (report/text/<year>/)
   into `_text/`, and write `_variables.yml` (every figure formatted, see variables.py),
   `_generated/*.md` (tables and diagrams as raw Typst, see typst.py) and the
   document's metadata `_generated/<doc>.yml`. The staging folder is a Quarto project of
   this one document: its `_quarto.yml` renders only <doc>.qmd and the other document is
   not copied, because Quarto reads every file of the render list at each render and the
   other document's generated includes are not written. A shortcode inside an HTML
   comment is an error (Quarto would still run it; pandoc would not).
2. Markdown → Typst: `quarto render` when `quarto` is on PATH, else pandoc (from
   pypandoc-binary) with typst/pandoc-template.typ and filters/kaa.lua; the pandoc path
   resolves Quarto's `{{< include >}}` and `{{< var >}}` shortcodes itself.
3. Typst → PDF with the `typst` package as PDF/UA-1 (tagged, /Lang sv-SE, the title shown
   in the window, an alt text on every figure; Typst refuses a document that breaks its
   PDF/UA checks), only Typst's built-in fonts, a fixed creation date when
   SOURCE_DATE_EPOCH is set, and any Typst warning an error.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .. import fmt
from ..contract.external import report_values
from ..contract.run import Run, as_run
from ..errors import RenderError
from ..exhibits import alttext
from ..params import STAD, read_yaml, yaml_text
from ..paths import PARAMS, REPORT, letter_file, published_file, report_file
from .conditions import resolve_conditions
from .texts import MissingTextError, check_text, draft_note, text_dir  # noqa: F401 (re-exported)
from .typst import TypstBlocks, write_exhibits
from .variables import datum_text, hide_sentences, lookup, needs_hiding, report_variables

log = logging.getLogger(__name__)

ENGINES = ("quarto", "pandoc")


# ---------------------------------------------------------------- inputs


def _read_json(path: Path) -> dict:
    import json

    if not path.is_file():
        raise RenderError(f"{path.name} saknas i {path.parent}")
    return json.loads(path.read_text(encoding="utf-8"))


def cover_letter_params(year: int, params_dir: Path = PARAMS) -> dict:
    """params/tjansteutlatande.yml: `standard` merged with the entry of the year."""
    raw = read_yaml(params_dir / "tjansteutlatande.yml")
    out = dict(raw.get("standard", {}))
    entry = raw.get(year) or raw.get(str(year)) or {}
    out.update(entry)
    if not entry:
        log.warning("params/tjansteutlatande.yml har inget avsnitt för %s (datum, diarienummer); "
                    "brevet får tomma fält", year)
    return out


def captions(report_dir: Path, variables: dict, city: bool) -> dict[str, str]:
    """report/exhibits.yml: the caption of every exhibit, with {{< var >}} resolved; a
    `stad:`/`jobbtorg:` pair picks the text of the scope."""
    raw = read_yaml(report_dir / "exhibits.yml")
    out = {}
    for name, text in raw.items():
        if isinstance(text, dict):
            text = text["stad" if city else "jobbtorg"]
        out[name] = substitute_vars(str(text), variables, f"exhibits.yml:{name}")
    return out


# ---------------------------------------------------------------- shortcodes (pandoc path)

VAR_RE = re.compile(r"\{\{<\s*var\s+([^\s>]+)\s*>\}\}")
INCLUDE_RE = re.compile(r"^[ \t]*\{\{<\s*include\s+([^\s>]+)\s*>\}\}[ \t]*$", re.M)
ANY_SHORTCODE_RE = re.compile(r"\{\{<\s*(\w+)[^>]*>\}\}")


UNKNOWN_VAR = "?var:"  # what Quarto prints for an unknown variable


def substitute_vars(text: str, variables: dict, where: str = "", strict: bool = True) -> str:
    """Replace every `{{< var a.b >}}` by its value. An unknown name is an error that says
    where; with strict=False it becomes "?var:a.b" as in Quarto (text in a part hidden for
    this scope may name figures the scope does not have), and check_unknown_vars fails the
    render if such a marker reaches the document."""
    def repl(m: re.Match) -> str:
        try:
            return lookup(variables, m.group(1))
        except KeyError:
            if not strict:
                return UNKNOWN_VAR + m.group(1)
            raise RenderError(f"okänd variabel {m.group(1)!r} i {where} (se report/README.md)") from None

    return VAR_RE.sub(repl, text)


def resolve_includes(path: Path, root: Path, depth: int = 0) -> str:
    """The text of a .qmd/.md with every `{{< include p >}}` replaced by that file (recursively).
    Paths starting with "/" are relative to the project root, others to the including file,
    as in Quarto."""
    if depth > 10:
        raise RenderError(f"för djupt nästlade include-satser vid {path}")
    text = path.read_text(encoding="utf-8")

    def repl(m: re.Match) -> str:
        ref = m.group(1)
        target = root / ref.lstrip("/") if ref.startswith("/") else path.parent / ref
        if not target.is_file():
            raise RenderError(f"include-filen {ref} finns inte (från {path.relative_to(root)})")
        return resolve_includes(target, root, depth + 1).rstrip("\n")

    return INCLUDE_RE.sub(repl, text)


def resolve_shortcodes(path: Path, root: Path, variables: dict) -> str:
    """Includes, then variables; any other shortcode left is an error (pandoc cannot run it)."""
    text = resolve_includes(path, root)
    text = substitute_vars(text, variables, str(path.relative_to(root)), strict=False)
    left = ANY_SHORTCODE_RE.search(text)
    if left:
        raise RenderError(f"kortkoden {left.group(0)!r} stöds inte av pandoc-vägen")
    return _strip_front_matter(text)


def _strip_front_matter(text: str) -> str:
    """Drop the .qmd's YAML header (it only names the metadata file, read separately)."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5:]
    return text


# ---------------------------------------------------------------- staging


def documents(report_dir: Path = REPORT) -> list[str]:
    """The documents of the Quarto project: project.render in report/_quarto.yml, without .qmd."""
    render_list = (read_yaml(report_dir / "_quarto.yml").get("project") or {}).get("render") or []
    return [Path(f).stem for f in render_list]


def stage_project(report_dir: Path, work: Path, doc: str) -> None:
    """Copy the Quarto project into `work` as a project of `doc` alone: the other documents
    of the render list are left out and the staged _quarto.yml renders only <doc>.qmd."""
    others = [f"{d}.qmd" for d in documents(report_dir) if d != doc]
    shutil.copytree(report_dir, work, dirs_exist_ok=True, ignore=shutil.ignore_patterns(
        "text", "README.md", "*.pdf", "arsrapport.typ", "tjansteutlatande.typ", "_generated", "_text",
        "_variables.yml", *others))
    config = read_yaml(report_dir / "_quarto.yml")
    config.setdefault("project", {})["render"] = [f"{doc}.qmd"]
    (work / "_quarto.yml").write_text(
        "# Staged by kaa_report.render for one document (see report/_quarto.yml)\n"
        + yaml_text(config, sort_keys=False), encoding="utf-8")


COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)


def check_comments(work: Path) -> None:
    """No {{< … >}} inside an HTML comment in any staged .qmd/.md: Quarto runs shortcodes
    even there (an unknown var warns, an include is read) while the comment is invisible."""
    for f in sorted(work.rglob("*")):
        if f.suffix not in (".qmd", ".md") or not f.is_file():
            continue
        for c in COMMENT_RE.findall(f.read_text(encoding="utf-8")):
            m = ANY_SHORTCODE_RE.search(c)
            if m:
                raise RenderError(f"kortkoden {m.group(0)!r} står i en HTML-kommentar i {f.relative_to(work)}; "
                                  "skriv kommentaren utan {{< >}} (Quarto kör kortkoder även i kommentarer)")


def stage(scope_dir: Path, run: Run | int, scope: str, doc: str, work: Path,
          report_dir: Path = REPORT, params_dir: Path = PARAMS, draft: bool = False,
          blocks=TypstBlocks) -> dict:
    """Fill `work` with everything one render needs; returns the variables. `run`: the
    build's Run, or the operating year (resolved against params_dir). `blocks`: the
    exhibits as raw Typst (the PDF) or raw HTML (htmlblocks.HtmlBlocks)."""
    scope_dir = Path(scope_dir)
    run = as_run(run, params_dir)
    year, params_dir = run.year, run.params_dir
    city = scope == STAD
    texts = text_dir(year, report_dir, draft)
    stage_project(report_dir, work, doc)
    shutil.copytree(texts, work / "_text", dirs_exist_ok=True)
    check_comments(work)

    # the figures as they may be printed (small-number suppression below city level)
    nyckeltal = _read_json(published_file(scope_dir, "nyckeltal.json"))
    prev_path = published_file(scope_dir, "nyckeltal_foregaende_ar.json")
    foregaende = _read_json(prev_path) if prev_path.is_file() else {}
    if not foregaende:
        log.warning("%s saknas; jämförelser med året före blir \"kan inte jämföras\"", prev_path.name)
    enhet = run.scope_name(scope)
    letter = cover_letter_params(year, params_dir) if doc == "tjansteutlatande" else {}
    extra = {"brev": _letter_vars(letter), "brev_titel": letter_title(year)} if letter else {}
    extra["externt"] = {k: fmt.antal(v) for k, v in report_values(year, params_dir).items()}
    variables = report_variables(year, enhet, nyckeltal, foregaende, extra)
    hiding = needs_hiding(variables)
    for md in sorted([*work.rglob("*.qmd"), *work.rglob("*.md")]):
        # text that depends on a figure (.om blocks), then no sentence prints a suppressed
        # or missing figure
        rel = md.relative_to(work)
        if "_generated" not in rel.parts:
            text = resolve_conditions(md.read_text(encoding="utf-8"), nyckeltal, foregaende, str(rel))
            md.write_text(hide_sentences(text, variables, hiding), encoding="utf-8")

    gen = work / "_generated"
    gen.mkdir(exist_ok=True)
    (work / "_variables.yml").write_text(yaml_text(variables), encoding="utf-8")
    stage_exhibits(scope_dir, work, run, scope, variables, report_dir, blocks)
    if doc == "tjansteutlatande":
        _write_letter_parts(gen, letter, variables)
    meta = document_metadata(doc, year, enhet, city, letter)
    if draft:
        meta["utkast"] = draft_note(year, int(texts.name))
    (gen / f"{doc}.yml").write_text(yaml_text(meta), encoding="utf-8")
    return variables


def stage_exhibits(scope_dir: Path, work: Path, run: Run, scope: str, variables: dict,
                   report_dir: Path = REPORT, blocks=TypstBlocks) -> None:
    """The exhibits of a staged document in `blocks` (raw Typst or raw HTML) under
    work/_generated, replacing those of the other kind: one staging serves both editions."""
    city = scope == STAD
    write_exhibits(Path(scope_dir), work / "_generated", "_generated", captions(report_dir, variables, city),
                   run.year, city, alttext.for_scope(scope_dir, run.year, city, run.params_dir), blocks)


def document_metadata(doc: str, year: int, enhet: str, city: bool, letter: dict) -> dict:
    """The metadata both engines see (title page, scope switch `stadsrapport`)."""
    common = {"lang": "sv-SE", "stadsrapport": city, "enhet": enhet,
              "organisation": "Stockholms stad, arbetsmarknadsförvaltningen"}
    if doc == "arsrapport":
        return {**common, "title": f"Årsrapport {year}", "subtitle": "Kommunens aktivitetsansvar (KAA)",
                "datum": f"Verksamhetsåret 1 december {year - 1} – 30 november {year}",
                "titelsida": True, "innehall": True, "numrering": True}
    return {**common, "title": letter_title(year),
            "titelsida": False, "innehall": False, "numrering": False,
            "organisation": letter.get("forvaltning", common["organisation"])}


def letter_title(year: int) -> str:
    return f"Årsrapport för {year} om kommunens aktivitetsansvar i Stockholms stad"


def _letter_vars(letter: dict) -> dict:
    """Cover-letter fields usable as {{< var brev.* >}} in its prose."""
    out = {k: str(v) for k, v in letter.items() if isinstance(v, (str, int, float))}
    if letter.get("datum"):
        out["datum"] = datum_text(letter["datum"])
    return out


def _write_letter_parts(gen: Path, letter: dict, variables: dict) -> None:
    """Letterhead, decision points and signatures of the tjänsteutlåtande, from params."""
    from .typst import raw_block, typst_str

    need = ("forvaltning", "handlaggare", "forslag_till_beslut", "underskrifter")
    missing = [k for k in need if k not in letter]
    if missing:
        raise RenderError(f"params/tjansteutlatande.yml saknar {', '.join(missing)}")
    datum = datum_text(letter["datum"]) if letter.get("datum") else ""
    head = (f"#kaa-brevhuvud({typst_str(letter['forvaltning'])}, {typst_str(letter.get('avdelning', ''))}, "
            f"{typst_str(letter.get('diarienummer', ''))}, {typst_str(datum)}, "
            f"{typst_str(letter['handlaggare'])}, {typst_str(letter.get('telefon', ''))}, "
            f"{typst_str(letter.get('till', ''))}, {typst_str(variables['brev_titel'])})")
    (gen / "brevhuvud.md").write_text(raw_block(head), encoding="utf-8")
    points = [substitute_vars(str(p), variables, "tjansteutlatande.yml:forslag_till_beslut")
              for p in letter["forslag_till_beslut"]]
    (gen / "forslag_till_beslut.md").write_text("".join(f"{i}. {p}\n" for i, p in enumerate(points, 1)), encoding="utf-8")
    sig = ", ".join(f"({typst_str(s['namn'])}, {typst_str(s['titel'])})" for s in letter["underskrifter"])
    (gen / "underskrifter.md").write_text(raw_block(f"#kaa-underskrifter(({sig},))"), encoding="utf-8")
    att = letter.get("bilagor", [])
    att = [substitute_vars(str(a), variables, "tjansteutlatande.yml:bilagor") for a in att]
    (gen / "bilagor.md").write_text("".join(f"{i}. {a}\n" for i, a in enumerate(att, 1)), encoding="utf-8")


# ---------------------------------------------------------------- engines


def engine_in_use(engine: str | None = None) -> str:
    """"quarto" when the quarto command is on PATH, else "pandoc"; KAA_RENDER_ENGINE or the
    argument forces one."""
    chosen = engine or os.environ.get("KAA_RENDER_ENGINE") or ("quarto" if shutil.which("quarto") else "pandoc")
    if chosen not in ENGINES:
        raise RenderError(f"okänd renderingsmotor {chosen!r}; välj quarto eller pandoc")
    if chosen == "quarto" and not shutil.which("quarto"):
        raise RenderError("quarto finns inte i PATH")
    return chosen


def pandoc_command() -> list[str]:
    """pandoc 3 from pypandoc-binary with a 4 MB heap; its built-in 64 MB costs ~30 % more CPU per conversion."""
    import pypandoc
    return [pypandoc.get_pandoc_path(), "+RTS", "-H4m", "-RTS"]


def to_typst_pandoc(work: Path, doc: str, variables: dict) -> Path:
    """Markdown → .typ with pandoc 3 from pypandoc-binary."""
    text = resolve_shortcodes(work / f"{doc}.qmd", work, variables)
    out = work / f"{doc}.typ"
    cmd = [*pandoc_command(), "--from", "markdown", "--to", "typst", "--standalone",
           "--template", str(work / "typst" / "pandoc-template.typ"),
           "--metadata-file", str(work / "_generated" / f"{doc}.yml"), "--lua-filter", str(work / "filters" / "kaa.lua"),
           "--wrap", "preserve", "--output", str(out)]
    r = subprocess.run(cmd, input=text, text=True, capture_output=True, cwd=work)
    if r.returncode != 0 or r.stderr.strip():
        raise RenderError(f"pandoc misslyckades: {r.stderr.strip() or r.returncode}")
    return out


def to_typst_quarto(work: Path, doc: str) -> Path:
    """Markdown → .typ with `quarto render` (keep-typ); Quarto's own PDF is not used."""
    r = subprocess.run(["quarto", "render", f"{doc}.qmd", "--to", "typst"], cwd=work, capture_output=True, text=True)
    out = work / f"{doc}.typ"
    if r.returncode != 0 or not out.is_file():
        raise RenderError(f"quarto render misslyckades: {(r.stderr or r.stdout).strip()[-2000:]}")
    return out


def check_unknown_vars(typ: Path) -> None:
    """Fail when an unknown {{< var >}} reached the visible document (either engine)."""
    found = sorted(set(re.findall(re.escape(UNKNOWN_VAR) + r"([\w.\\]+)", typ.read_text(encoding="utf-8"))))
    found = sorted({f.replace("\\", "") for f in found})
    if found:
        raise RenderError(f"okända variabler i texten: {', '.join(found)} (se report/README.md)")


def creation_timestamp() -> int | None:
    """SOURCE_DATE_EPOCH as an int (a reproducible PDF date), else None (Typst uses now)."""
    v = os.environ.get("SOURCE_DATE_EPOCH")
    if v is None or not v.strip():
        return None
    try:
        return int(v)
    except ValueError:
        raise RenderError(f"SOURCE_DATE_EPOCH ska vara ett heltal, inte {v!r}") from None


PDF_STANDARDS = ["ua-1"]  # PDF/UA-1: Typst checks alt text, document title, heading order, ...


def compile_pdf(typ: Path, root: Path, out: Path) -> Path:
    """.typ → PDF/UA-1 with Typst's built-in fonts only; warnings (missing font, unresolved
    reference, ...) and PDF/UA violations (an image without alt text, ...) fail the render."""
    import typst

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    try:
        _, warnings = typst.compile_with_warnings(
            str(typ), output=str(tmp), root=str(root), font_paths=[], ignore_system_fonts=True,
            timestamp=creation_timestamp(), pdf_standards=PDF_STANDARDS)
    except typst.TypstError as e:
        raise RenderError(f"Typst: {e.message}\n{e.diagnostic}".strip()) from None
    if warnings:
        tmp.unlink(missing_ok=True)
        msgs = "; ".join(f"{w.message} {w.diagnostic}".strip() for w in warnings)
        raise RenderError(f"Typst varnade (behandlas som fel): {msgs}")
    tmp.replace(out)
    return out


def render(scope_dir: Path, run: Run | int, scope: str, doc: str, out_name: str, engine: str | None = None,
           report_dir: Path = REPORT, params_dir: Path = PARAMS, keep: Path | None = None,
           draft: bool = False) -> Path:
    """Stage, convert and compile one document into scope_dir/out_name (`run`: the
    build's Run, or the operating year). With `keep`, the staging folder (with the .typ)
    is copied there for inspection. A `draft` carries "UTKAST" on every page and says on
    page 1 whose text it uses; it builds without the year's own text."""
    scope_dir = Path(scope_dir)
    run = as_run(run, params_dir)
    eng = engine_in_use(engine)
    work = Path(tempfile.mkdtemp(prefix=f"kaa-{doc}-"))
    try:
        variables = stage(scope_dir, run, scope, doc, work, report_dir, draft=draft)
        pdf = pdf_from_stage(work, doc, variables, eng, scope_dir / out_name)
        if keep is not None:
            shutil.copytree(work, keep, dirs_exist_ok=True)
        return pdf
    except RenderError:
        if keep is not None:
            shutil.copytree(work, keep, dirs_exist_ok=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def pdf_from_stage(work: Path, doc: str, variables: dict, engine: str, out: Path) -> Path:
    """Convert and compile the document staged in `work` into `out`; its variables beside it."""
    typ = to_typst_quarto(work, doc) if engine == "quarto" else to_typst_pandoc(work, doc, variables)
    check_unknown_vars(typ)
    pdf = compile_pdf(typ, work, out)
    write_variables(variables, out.parent, doc)
    return pdf


def render_report(scope_dir: Path, run: Run | int, scope: str, engine: str | None = None,
                  params_dir: Path = PARAMS, **kw) -> Path:
    """The årsrapport of one scope: scope_dir/arsrapport-<year>-<scope>.pdf (`run`: the
    build's Run, or the year; see render)."""
    run = as_run(run, params_dir)
    return render(scope_dir, run, scope, "arsrapport", report_file(scope_dir, run.year, scope, ".pdf").name,
                  engine, **kw)


def render_cover_letter(scope_dir: Path, run: Run | int, engine: str | None = None,
                        params_dir: Path = PARAMS, **kw) -> Path:
    """The tjänsteutlåtande (city scope only): scope_dir/tjansteutlatande-<year>.pdf."""
    run = as_run(run, params_dir)
    return render(scope_dir, run, STAD, "tjansteutlatande", letter_file(scope_dir, run.year).name, engine, **kw)


def variables_file(scope_dir: Path, doc: str) -> Path:
    return Path(scope_dir) / f"variabler-{doc}.yml"


def write_variables(variables: dict, scope_dir: Path, doc: str) -> Path:
    """The variables the render of `doc` used, beside its PDF, for the audit's prose check
    (they hold what the document prints: in a suppressed scope the published figures)."""
    p = variables_file(scope_dir, doc)
    p.write_text("# Variablerna som " + doc + " skrevs ut med (kaa_report.document.render); läses av audit\n"
                 + yaml_text(variables), encoding="utf-8")
    return p
