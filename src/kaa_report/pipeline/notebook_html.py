"""An executed notebook as one offline HTML page (notebooks/<name>.html in the build output).

nbconvert's HTMLExporter with the project's template (nbtemplates/kaa: JupyterLab's
look, no script from a CDN, readable prompts), `lang="sv"`, no In/Out prompts, and the
parameters cell that Papermill injected shown without the build machine's paths: the
year and scope stay, the folders (data_dir, out_dir, params_dir, figures_cache) are
named in a comment only.
"""
from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

TEMPLATES = Path(__file__).with_name("nbtemplates")
PATH_PARAMETERS = ("data_dir", "out_dir", "params_dir", "figures_cache")


def public_parameters(source: str) -> str:
    """The injected parameters cell without the values of the path parameters."""
    kept, hidden = [], []
    for line in source.splitlines():
        name = line.split("=", 1)[0].strip() if "=" in line and not line.lstrip().startswith("#") else ""
        if name in PATH_PARAMETERS:
            hidden.append(name)
        else:
            kept.append(line)
    if hidden:
        kept.append(f"# {', '.join(hidden)}: mappar på byggdatorn (visas inte här; se manifest.json)")
    text = "\n".join(kept)
    ast.parse(text)  # still Python
    return text


def to_html(ipynb: Path) -> str:
    """The page of one executed notebook."""
    import nbformat

    nb = nbformat.read(str(ipynb), as_version=4)
    for c in nb.cells:
        if "injected-parameters" in c.get("metadata", {}).get("tags", []):
            c.source = public_parameters(c.source)
    for c in nb.cells:
        for o in c.get("outputs", []):
            _img_with_alt(o)
    nb.metadata["title"] = f"Notebook {Path(ipynb).stem} – KAA"
    body, _ = _exporter().from_notebook_node(nb)
    return body


@lru_cache(maxsize=1)
def _exporter():
    """One exporter per process: each new one compiles its ten Jinja templates again (half
    the cost of a page)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="kaa", extra_template_basedirs=[str(TEMPLATES)],
                        exclude_input_prompt=True, exclude_output_prompt=True, language_code="sv")


def _img_with_alt(output) -> None:
    """A PNG output whose metadata carries an alt text (notebook._image) becomes an <img>
    with that alt text (nbconvert's own <img> has none)."""
    import html

    meta = (output.get("metadata") or {}).get("image/png") or {}
    data = output.get("data") or {}
    if "alt" not in meta or "image/png" not in data:
        return
    width = f' width="{int(meta["width"])}"' if meta.get("width") else ""
    output["data"] = {"text/html": f'<img src="data:image/png;base64,{data["image/png"].strip()}" '
                                   f'alt="{html.escape(meta["alt"])}"{width}>'}
