"""The årsrapport of one scope as one self-contained HTML file (the HTML edition).

    render_html(scope_dir, run, scope) -> scope_dir/arsrapport-<year>-<scope>.html

The same sources as the PDF (render.stage: report/, the year's prose, the variables),
with the exhibits written as raw HTML from the same cells (htmlblocks.py) and the
figures' alt texts from exhibits/alttext.py. Markdown → HTML with `quarto render --to
html` when quarto is on PATH, else pandoc's HTML writer with report/html/pandoc-template.html
and report/html/style.css. Either way the file embeds its images and style
(--embed-resources), loads nothing from the network, has no script, is `lang="sv"`, and
reflows on a phone and at 200 % zoom.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..contract.run import Run, as_run
from ..errors import RenderError
from ..paths import PARAMS, REPORT, report_file
from .htmlblocks import HtmlBlocks
from .render import (
    check_unknown_vars,
    engine_in_use,
    pandoc_command,
    pdf_from_stage,
    resolve_shortcodes,
    stage,
    stage_exhibits,
)

DOC = "arsrapport"
LANG = "sv"


def to_html_pandoc(work: Path, variables: dict) -> Path:
    """Markdown → one self-contained .html with pandoc 3 from pypandoc-binary."""
    text = resolve_shortcodes(work / f"{DOC}.qmd", work, variables)
    out = work / f"{DOC}.html"
    cmd = [*pandoc_command(), "--from", "markdown", "--to", "html5", "--standalone",
           "--template", str(work / "html" / "pandoc-template.html"), "--css", "html/style.css",
           "--metadata-file", str(work / "_generated" / f"{DOC}.yml"), "--metadata", f"lang={LANG}",
           "--lua-filter", str(work / "filters" / "kaa.lua"),
           "--shift-heading-level-by=1", "--toc", "--toc-depth=2", "--section-divs",
           "--embed-resources", "--wrap", "preserve", "--output", str(out)]
    r = subprocess.run(cmd, input=text, text=True, capture_output=True, cwd=work)
    if r.returncode != 0 or r.stderr.strip():
        raise RenderError(f"pandoc (HTML) misslyckades: {r.stderr.strip() or r.returncode}")
    return out


def to_html_quarto(work: Path) -> Path:
    """Markdown → one self-contained .html with `quarto render --to html`."""
    r = subprocess.run(["quarto", "render", f"{DOC}.qmd", "--to", "html", "-M", "embed-resources:true",
                        "-M", f"lang:{LANG}", "-M", "toc:true", "-M", "css:html/style.css",
                        "-M", "shift-heading-level-by:1"],
                       cwd=work, capture_output=True, text=True)
    out = work / f"{DOC}.html"
    if r.returncode != 0 or not out.is_file():
        raise RenderError(f"quarto render (HTML) misslyckades: {(r.stderr or r.stdout).strip()[-2000:]}")
    return out


REMOTE_RE = re.compile(r"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.I)


def check_offline(html: str) -> None:
    """The edition must load nothing: no src/href to another host (links in the prose would
    be <a href>, which load nothing, so only src and <link href> count)."""
    for m in re.finditer(r"<(script|img|link|iframe|source|video|audio)\b[^>]*>", html, re.I):
        if REMOTE_RE.search(m.group(0)):
            raise RenderError(f"HTML-utgåvan hämtar från nätet: {m.group(0)[:120]}")


def render_html(scope_dir: Path, run: Run | int, scope: str, engine: str | None = None,
                report_dir: Path = REPORT, params_dir: Path = PARAMS, keep: Path | None = None,
                draft: bool = False) -> Path:
    """Stage and convert the årsrapport of one scope into scope_dir/arsrapport-<year>-<scope>.html
    (`run`: the build's Run, or the operating year resolved against params_dir)."""
    scope_dir = Path(scope_dir)
    run = as_run(run, params_dir)
    eng = engine_in_use(engine)
    work = Path(tempfile.mkdtemp(prefix=f"kaa-{DOC}-html-"))
    try:
        variables = stage(scope_dir, run, scope, DOC, work, report_dir, draft=draft, blocks=HtmlBlocks)
        return html_from_stage(work, variables, eng, report_file(scope_dir, run.year, scope, ".html"))
    finally:
        if keep is not None:
            shutil.copytree(work, keep, dirs_exist_ok=True)
        shutil.rmtree(work, ignore_errors=True)


def html_from_stage(work: Path, variables: dict, engine: str, dest: Path) -> Path:
    """Convert the årsrapport staged in `work` (with HTML blocks) into `dest`."""
    out = to_html_quarto(work) if engine == "quarto" else to_html_pandoc(work, variables)
    check_unknown_vars(out)
    check_offline(out.read_text(encoding="utf-8"))
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.copyfile(out, tmp)
    tmp.replace(dest)
    return dest


def render_report_and_html(scope_dir: Path, run: Run | int, scope: str, engine: str | None = None,
                           report_dir: Path = REPORT, params_dir: Path = PARAMS,
                           draft: bool = False) -> tuple[Path, Path]:
    """The årsrapport of one scope as PDF and as HTML edition from one staging, the build's
    way: the files render_report and render_html make one by one, without copying the
    project and the texts and working out the variables twice. The PDF first; then the
    exhibits are staged again as HTML blocks and the edition is made."""
    scope_dir = Path(scope_dir)
    run = as_run(run, params_dir)
    eng = engine_in_use(engine)
    work = Path(tempfile.mkdtemp(prefix=f"kaa-{DOC}-"))
    try:
        variables = stage(scope_dir, run, scope, DOC, work, report_dir, draft=draft)
        pdf = pdf_from_stage(work, DOC, variables, eng, report_file(scope_dir, run.year, scope, ".pdf"))
        stage_exhibits(scope_dir, work, run, scope, variables, report_dir, HtmlBlocks)
        return pdf, html_from_stage(work, variables, eng, report_file(scope_dir, run.year, scope, ".html"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
