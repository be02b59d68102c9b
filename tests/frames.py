"""Small hand-made exports for unit tests: rows as dicts of strings, as a file would hold them."""
from __future__ import annotations

import pandas as pd

from kaa_report.contract.export import Export, to_typed
from kaa_report.contract.read import RawExport
from kaa_report.contract.schema import COLUMNS


def export(**tables: list[dict]) -> Export:
    """An Export from rows per table; missing tables are empty, missing cells are ''."""
    frames = {}
    for t, cols in COLUMNS.items():
        rows = tables.get(t, [])
        frames[t] = pd.DataFrame([{c: str(r.get(c, "")) for c in cols} for r in rows], columns=list(cols), dtype=str)
    return to_typed(RawExport(tables=frames, files={}))


def person(pid: str, kon: str = "K", fodd: str = "2006-01-01") -> dict:
    return {"person_id": pid, "kon": kon, "fodelsedatum": fodd}
