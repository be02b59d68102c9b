"""Validate a register export against the data contract with Great Expectations.

Runs on the raw text frames (`kaa_report.contract.read.read_raw`), before any typing:

1. each table against its suite `expectations/<table>.json` (columns, types, allowed
   values, ISO dates that exist, required values, uniqueness, no personnummer);
2. the rules across columns and tables (`kaa_report.validate.rules.rule_frames`: one
   frame per judged table, a column per rule) against `expectations/regler.json`.

GX validates every frame through its pandas execution engine (the frames are the reader's
own pyarrow-backed columns, not copies). Expectations with severity "warning" (unknown
columns; a kaa attempt while not under uppsök; under uppsök > 30 days of a year without
contact) become warnings; every other failed expectation is a `Failure`
(validate/outcome.py turns the results into failures and the report's text). Only row
numbers reach the GX results and the report page (validate/page.py: one offline HTML
file written from GX's results, instead of GX Data Docs, which need CDNs).

Public API: `validate_raw(raw, docs_dir=None)` and `validate_export(data, docs_dir=None)`,
both returning a `ValidationReport`.
"""
from __future__ import annotations

import json
import shutil
import sys
import types
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..contract.read import RawExport, read_raw
from ..contract.schema import TABLES
from ..errors import InputError
from ..params import all_stadsdelar
from ..paths import EXPECTATIONS, PARAMS
from .outcome import (
    MAX_EXAMPLES,
    RULES_SUITE,
    TABLE_LEVEL,
    Failure,
    Identifying,
    ValidationReport,
    columns_of,
    describe,
    read_failure,
    rules_outcome,
    table_outcome,
)
from .rules import RULES, clean, rule_frames

__all__ = ["Failure", "ValidationReport", "read_failure", "suite_dict", "validate_export", "validate_raw"]

_RESULT_FORMAT = {
    "result_format": "SUMMARY",
    "partial_unexpected_count": MAX_EXAMPLES,
    "exclude_unexpected_values": True,  # results (and the report page) hold row numbers only
    "return_unexpected_index_query": False,
}

# ------------------------------------------------------------------------ suites

@lru_cache(maxsize=None)
def _suite_json(name: str, expectations_dir: Path) -> str:
    return (expectations_dir / f"{name}.json").read_text(encoding="utf-8")


def suite_dict(name: str, expectations_dir: Path = EXPECTATIONS) -> dict:
    """The suite `expectations/<name>.json` as a dict (a fresh copy)."""
    return json.loads(_suite_json(name, Path(expectations_dir)))


def runnable(suite: dict, columns: set[str]) -> dict:
    """The suite without expectations on columns the table lacks (their absence is
    reported once, by expect_table_columns_to_match_set)."""
    keep = [
        e for e in suite["expectations"]
        if e["type"] in TABLE_LEVEL or set(columns_of(e)) <= columns
    ]
    return {**suite, "expectations": keep}


# -------------------------------------------------------------------------- GX

# Imported by GX's expectation registry at module level, used by none of the expectations
# here (charts, KL divergence, KS tests): ~1.2 s of GX's ~2.7 s import.
_NOT_NEEDED = ("altair", "scipy.stats")


class _NotLoaded(types.ModuleType):
    """Stands in for a module of _NOT_NEEDED while GX is imported; fails if GX ever uses it."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        raise ImportError(f"{self.__name__}.{name}: kaa-report importerar inte {self.__name__} för "
                          "Great Expectations (validate/gx.py, _NOT_NEEDED)")


def import_gx():
    """great_expectations, imported without the modules of _NOT_NEEDED: while GX is
    imported they are stand-ins, afterwards real imports again for any other code (a
    module already imported is used as it is)."""
    if "great_expectations" in sys.modules:  # (or being imported by another thread: waits for it)
        import great_expectations

        return great_expectations
    stand_ins = {m: _NotLoaded(m) for m in _NOT_NEEDED if m not in sys.modules}
    sys.modules.update(stand_ins)
    try:
        import great_expectations
    finally:
        for m, stand_in in stand_ins.items():
            if sys.modules.get(m) is stand_in:
                del sys.modules[m]
    return great_expectations


def _context():
    """An ephemeral GX context, progress bars off, without Data Docs sites (the report
    page is the project's own, validate/page.py)."""
    gx = import_gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    _no_fingerprint()
    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    for site in list(ctx.variables.data_docs_sites or {}):
        ctx.delete_data_docs_site(site)
    return ctx


def preload() -> None:
    """Start importing Great Expectations in a background thread. The import costs seconds
    (import_gx); started before an export is read, much of it runs while pyarrow reads
    the files without holding the GIL. `_context` then finds the module imported, or
    waits for the import to finish (Python's import lock)."""
    import threading

    def _import() -> None:
        try:
            import_gx()
        except Exception:  # noqa: BLE001  (the import is retried, and reported, where GX is used)
            pass

    threading.Thread(target=_import, name="import-gx", daemon=True).start()


def _no_fingerprint() -> None:
    """GX's pandas engine hashes every row of each batch below 1 GB (a batch marker,
    `pandas_data_fingerprint`, that nothing here reads) each time a batch is fetched,
    twice per frame: 20 % of validation at 300 000 persons. Its threshold set to 0, no
    batch is hashed."""
    from great_expectations.execution_engine import pandas_execution_engine

    pandas_execution_engine.HASH_THRESHOLD = 0


def _rule_batches(tables: dict[str, pd.DataFrame], suite: dict) -> dict[str, tuple[pd.DataFrame, dict]]:
    """The rules suite split by the table its rules judge: ("regler.<table>", (that table's
    rule frame, its expectations)); merged again by `_merge_rules`."""
    out = {}
    for table, frame in rule_frames(tables).items():
        name = f"{RULES_SUITE}.{table}"
        own = [e for e in suite["expectations"] if e["kwargs"]["column"] in frame.columns]
        out[name] = (frame, {**suite, "name": name, "expectations": own})
    return out


def _merge_rules(results: dict) -> dict:
    """The results of the "regler.<table>" batches as one result of the suite regler, its
    expectations in the order of RULES (and regler.json)."""
    parts = [k for k in results if k.startswith(RULES_SUITE + ".")]
    if not parts:
        return results
    order = {name: i for i, name in enumerate(RULES)}
    merged = results[parts[0]]
    merged.results = sorted((r for k in parts for r in results[k].results),
                            key=lambda r: order.get(r.expectation_config.kwargs["column"], len(order)))
    merged.success = all(results[k].success for k in parts)
    out = {k: v for k, v in results.items() if k not in parts}
    out[RULES_SUITE] = merged
    return out


def _run_suites(frames: dict[str, tuple[pd.DataFrame, dict]], params: dict, all_rows: bool = False):
    """Validate each (frame, suite) with GX; returns {name: ExpectationSuiteValidationResult}.
    One dataframe asset serves every frame (a batch per frame): each asset added would
    have the context write its whole configuration out again (~10 ms each)."""
    ctx = _context()
    from great_expectations.core import ExpectationSuite

    batches = ctx.data_sources.add_pandas("export").add_dataframe_asset("tabell").add_batch_definition_whole_dataframe("alla")
    results = {}
    for name, (frame, suite_json) in frames.items():
        suite = ctx.suites.add(ExpectationSuite(**suite_json))
        batch = batches.get_batch(batch_parameters={"dataframe": frame})
        results[name] = _validate_two_phase(batch, suite, params, all_rows)
    return results


def _validate_two_phase(batch, suite, params: dict, all_rows: bool = False):
    """Validate with result_format BOOLEAN_ONLY (GX's cheapest), then again with SUMMARY
    (row numbers) only the expectations that failed, or COMPLETE (every row number) when
    all_rows; returns the merged result."""
    from great_expectations.core import ExpectationSuite

    res = batch.validate(suite, result_format={"result_format": "BOOLEAN_ONLY"}, expectation_parameters=params)
    failed = [i for i, r in enumerate(res.results) if not r.success]
    if failed:
        again = ExpectationSuite(name=suite.name, expectations=[res.results[i].expectation_config for i in failed])
        fmt = {**_RESULT_FORMAT, "result_format": "COMPLETE"} if all_rows else _RESULT_FORMAT
        detail = batch.validate(again, result_format=fmt, expectation_parameters=params)
        for i, r in zip(failed, detail.results):
            res.results[i] = r
    return res


def _clear_docs(docs_dir: Path) -> None:
    """Remove GX Data Docs of an earlier version of the tool (only what GX wrote there)."""
    for sub in ("validations", "expectations", "static"):
        shutil.rmtree(docs_dir / sub, ignore_errors=True)
    (docs_dir / "index.html").unlink(missing_ok=True)


# -------------------------------------------------------------------- public API

def validate_raw(raw: RawExport, docs_dir: Path | None = None, params_dir: Path = PARAMS,
                 expectations_dir: Path = EXPECTATIONS, all_rows: bool = False) -> ValidationReport:
    """Check a raw export (all cells text, '' = missing) against every expectation suite.

    Writes the report page docs_dir/index.html (validate/page.py) when given. Stadsdel names allowed are those
    of params/jobbtorg.yml (`params.all_stadsdelar`). With all_rows, each failure also
    carries every row number that breaks it (`Failure.all_rows`, for --skip-invalid-rows).
    """
    failures: list[Failure] = []
    missing = [t for t in TABLES if t not in raw.tables]
    for t in missing:
        failures.append(Failure(f"{t}.csv", "", "tabellen saknas (missing table)", check="table_exists"))
    tables = {t: clean(raw.tables[t]) for t in TABLES if t in raw.tables}

    frames = {t: (df, runnable(suite_dict(t, expectations_dir), set(df.columns))) for t, df in tables.items()}
    if not missing:
        frames.update(_rule_batches(tables, suite_dict(RULES_SUITE, expectations_dir)))
    params = {"stadsdelar": sorted(all_stadsdelar(params_dir))}
    results = _merge_rules(_run_suites(frames, params, all_rows))

    ids = Identifying(tables)
    warnings = list(raw.warnings)
    for name, res in results.items():
        if name == RULES_SUITE:
            f, w = rules_outcome(res, raw.source)
        else:
            f, w = table_outcome(name, tables[name], res, raw.warnings, ids, raw.source(name))
        failures += f
        warnings += w
    warnings = list(dict.fromkeys(warnings))
    index = _write_page(Path(docs_dir), results, failures, warnings) if docs_dir is not None else None
    return ValidationReport(failures=failures, warnings=warnings, docs=index)


def _write_page(docs_dir: Path, results: dict, failures: list[Failure], warnings: list[str]) -> Path:
    """validation/index.html from the GX results (validate/page.py); GX Data Docs of an
    earlier version are removed."""
    from importlib import metadata

    from . import page

    _clear_docs(docs_dir)
    text = page.render(page.expectation_rows(results, describe), [f.line() for f in failures], warnings,
                       metadata.version("great-expectations"))
    return page.write(docs_dir, text)


def validate_export(data: Path, docs_dir: Path | None = None) -> ValidationReport:
    """Read the export with `read_raw` and validate it; an unreadable export gives a
    failed report (not an exception)."""
    try:
        raw = read_raw(data)
    except InputError as e:
        return read_failure(e)
    return validate_raw(raw, docs_dir=docs_dir)
