"""The report's exhibits as raw HTML blocks for the HTML edition (see typst.py for the PDF).

Tables come from the same cell lists as the PDF's (cells.py): a <caption> with the
number, <th scope="col|colgroup"> header cells with their spans, and a <th scope="row">
labelling each body row. Images are <figure>s with the alt text from exhibits/alttext.py
and a <figcaption>; pandoc --embed-resources puts them into the one file.
"""
from __future__ import annotations

import html
from pathlib import Path

from .cells import Table

e = html.escape


def raw_block(code: str) -> str:
    """A Markdown raw HTML block."""
    return "```{=html}\n" + code.strip() + "\n```\n"


def _th(h, row: int, rows: int) -> str:
    if not h.text.strip():  # the corner over the row labels: no header to announce
        span = f' rowspan="{h.rowspan}"' if h.rowspan > 1 else ""
        return f"<td{span}></td>"
    scope = "colgroup" if h.colspan > 1 else "col"
    attrs = f' scope="{scope}"'
    attrs += f' colspan="{h.colspan}"' if h.colspan > 1 else ""
    attrs += f' rowspan="{h.rowspan}"' if h.rowspan > 1 else ""
    return f"<th{attrs}>{e(h.text)}</th>"


def table_html(t: Table, caption: str = "") -> str:
    """<table> with caption, header rows (spans kept) and body rows; the last row is a
    total (class "total") when t.total."""
    label = f' aria-label="{e(caption)}"' if caption else ' aria-label="Tabell"'
    # the box scrolls sideways on a narrow screen, so it takes keyboard focus (WCAG 2.1.1)
    out = [f'<div class="tabell" role="region" tabindex="0"{label}><table>']
    if caption:
        out.append(f"<caption>{e(caption)}</caption>")
    out.append("<thead>")
    for i, row in enumerate(t.header):
        out.append("<tr>" + "".join(_th(h, i, len(t.header)) for h in row) + "</tr>")
    out.append("</thead><tbody>")
    for i, r in enumerate(t.body):
        cls = ' class="total"' if t.total and i == len(t.body) - 1 else ""
        label, values = (r[0], r[1:]) if r else ("", [])
        out.append(f'<tr{cls}><th scope="row">{e(label)}</th>' + "".join(f"<td>{e(v)}</td>" for v in values) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def table_block(nummer: int, caption: str, t: Table) -> str:
    return raw_block(table_html(t, f"Tabell {nummer}. {caption}"))


def image_block(kind: str, supplement: str, nummer: int, caption: str, path: Path, rel: str, alt: str) -> str:
    return raw_block(f'<figure class="{e(kind)}"><img src="{e(rel)}" alt="{e(alt)}">'
                     f"<figcaption>{e(supplement)} {nummer}. {e(caption)}</figcaption></figure>")


def legend_block(legend: str) -> str:
    return raw_block(f'<p class="teckenforklaring">{e(legend)}</p>')


class HtmlBlocks:
    """How write_exhibits writes for the HTML edition: raw HTML blocks."""

    image_ext = (".png", ".svg")  # PNG: an <img> with its alt text, embedded as is
    table = staticmethod(table_block)
    image = staticmethod(image_block)
    legend = staticmethod(legend_block)

    @staticmethod
    def plain(t: Table, caption: str = "") -> str:
        return raw_block(table_html(t, caption))
