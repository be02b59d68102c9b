"""Reading a PDF's accessibility facts with pypdf: PDF/UA identification in the XMP
metadata, DisplayDocTitle, /Lang and the /Alt of every Figure structure element."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject


@dataclass
class PdfFacts:
    lang: str | None
    display_doc_title: bool
    pdfua_part: str | None  # "1" for PDF/UA-1
    xmp_title: str | None
    figure_alts: list[str | None]  # one entry per /Figure, in document order


def _elements(node):
    """Every structure element below node (depth first, document order)."""
    node = node.get_object()
    if not isinstance(node, DictionaryObject):
        return
    if "/S" in node:
        yield node
    kids = node.get("/K")
    if kids is None:
        return
    kids = kids.get_object()
    for k in kids if isinstance(kids, ArrayObject) else [kids]:
        k = k.get_object() if hasattr(k, "get_object") else k
        if isinstance(k, DictionaryObject) and k.get("/Type") not in ("/MCR", "/OBJR"):
            yield from _elements(k)


def facts(pdf: Path) -> PdfFacts:
    root = PdfReader(pdf).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8") if "/Metadata" in root else ""
    part = re.search(r"<pdfuaid:part>(\d+)</pdfuaid:part>|pdfuaid:part=\"(\d+)\"", xmp)
    title = re.search(r"<dc:title>.*?<rdf:li[^>]*>(.*?)</rdf:li>", xmp, re.DOTALL)
    prefs = root.get("/ViewerPreferences")
    prefs = prefs.get_object() if prefs is not None else {}
    figures = [e for e in _elements(root["/StructTreeRoot"]) if e["/S"] == "/Figure"] if "/StructTreeRoot" in root else []
    return PdfFacts(
        lang=str(root["/Lang"]) if "/Lang" in root else None,
        display_doc_title=bool(prefs.get("/DisplayDocTitle", False)),
        pdfua_part=(part.group(1) or part.group(2)) if part else None,
        xmp_title=title.group(1) if title else None,
        figure_alts=[str(e["/Alt"]) if "/Alt" in e else None for e in figures],
    )
