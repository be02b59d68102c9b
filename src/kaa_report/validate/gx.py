"""Validate a register export against the data contract with Great Expectations.

Runs on the raw text frames (`kaa_report.contract.read.read_raw`), before any typing:

1. each table against its suite `expectations/<table>.json` (columns, types, allowed
   values, ISO dates that exist, required values, uniqueness, no personnummer);
2. the rules across columns and tables (`kaa_report.validate.rules.rule_frame`) against
   `expectations/regler.json`.

Expectations with severity "warning" (unknown columns; a kaa attempt while not under
uppsök; under uppsök > 30 days of a year without contact) become warnings; every other
failed expectation is a `Failure`. Examples are row numbers (`_rad`: the 1-based data
row, the header not counted) for identifying columns and for cross-table rules, and
values otherwise, so no person_id or birth date ever leaves this module. Only row
numbers reach the GX results and the report page (validate/page.py: one offline HTML
file written from GX's results, instead of GX Data Docs, which need CDNs).

Public API: `validate_raw(raw, docs_dir=None)` and `validate_export(data, docs_dir=None)`,
both returning a `ValidationReport`.
"""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ..params import all_stadsdelar
from ..errors import InputError
from ..contract.read import RawExport, quotable_header, read_raw
from ..contract.schema import ROW
from ..fmt import antal
from ..paths import EXPECTATIONS, PARAMS
from .rules import clean, rule_frame
from ..contract.schema import TABLES

RULES_SUITE = "regler"
IDENTIFYING = {"person_id", "fodelsedatum", "svar_id"}  # examples by row number only
MAX_EXAMPLES = 5
READ_ERROR = "read"  # Failure.check of an export that could not be read
_RESULT_FORMAT = {
    "result_format": "SUMMARY",
    "partial_unexpected_count": MAX_EXAMPLES,
    "exclude_unexpected_values": True,  # results (and the report page) hold row numbers only
    "return_unexpected_index_query": False,
}
_TABLE_LEVEL = {"expect_table_columns_to_match_set"}
_NOT_ROW_LEVEL = _TABLE_LEVEL | {"table_exists", READ_ERROR}
MAX_LINES = 20  # failures (and, apart, warnings) listed in a summary; the rest are counted


@dataclass(frozen=True)
class Failure:
    """One broken rule: where (file, column), what (rule, in words) and up to five
    examples (values, or "rad N" for identifying columns and cross-table rules)."""

    file: str
    column: str
    rule: str
    examples: list[str] = field(default_factory=list)
    count: int = 0  # rows breaking the rule (0 when not countable, e.g. a missing column)
    check: str = ""  # stable id: the GX expectation type, or the rule name in regler.json
    rows: list[int] = field(default_factory=list)  # up to five row numbers
    table: str = ""  # the table whose rows break the rule (schema name)
    all_rows: tuple[int, ...] = ()  # every row breaking it, when asked for (validate_raw(all_rows=True))

    @property
    def row_level(self) -> bool:
        """A rule about rows (a value, a date, an age, a reference, an overlap, a pairing
        of columns) whose rows are known; False for table-level faults (a missing or
        unreadable file, sheet or column), which no row can be set aside for."""
        return bool(self.table and self.count and self.check not in _NOT_ROW_LEVEL)

    def line(self) -> str:
        where = f"{self.file}, kolumn {self.column}" if self.column else self.file
        text = f"{where}: {self.rule}" if where else self.rule
        if self.count:
            text += f" — {antal(self.count)} {'rad' if self.count == 1 else 'rader'}"
        if self.examples:
            text += f", t.ex. {', '.join(self.examples)}"
        return text


@dataclass(frozen=True)
class ValidationReport:
    """The outcome: ok when no rule is broken (warnings do not count)."""

    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    docs: Path | None = None  # the report page validation/index.html, when written

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        """One line per failed rule, then the warnings, then a count; at most MAX_LINES
        of each, so that even a badly broken export's summary fits on one screen."""
        lines = [f"FEL: {f.line()}" for f in self.failures[:MAX_LINES]]
        if len(self.failures) > MAX_LINES:
            lines.append(f"… och {len(self.failures) - MAX_LINES} regler till (se valideringsrapporten)")
        lines += [f"Varning: {w}" for w in self.warnings[:MAX_LINES]]
        if len(self.warnings) > MAX_LINES:
            lines.append(f"… och {len(self.warnings) - MAX_LINES} varningar till")
        nw = len(self.warnings)
        varn = f"{nw} {'varning' if nw == 1 else 'varningar'}"
        n = len(self.failures)
        if self.ok:
            lines.append(f"Exporten följer datakontraktet (0 fel, {varn}).")
        elif any(f.check == READ_ERROR for f in self.failures):
            lines.append("Exporten kunde inte läsas (the export could not be read).")
        else:
            lines.append(f"Exporten följer inte datakontraktet: {n} {'regel bryts' if n == 1 else 'regler bryts'}, {varn}.")
        if any(f.rows for f in self.failures) or any("rad " in w for w in self.warnings):
            lines.append("Radnummer räknas från första dataraden (rubrikraden ej medräknad).")
        if self.docs is not None:
            lines.append(f"Valideringsrapport (Great Expectations): {self.docs}")
        return "\n".join(lines)


# ------------------------------------------------------------------------ suites

@lru_cache(maxsize=None)
def _suite_json(name: str, expectations_dir: Path) -> str:
    return (expectations_dir / f"{name}.json").read_text(encoding="utf-8")


def suite_dict(name: str, expectations_dir: Path = EXPECTATIONS) -> dict:
    """The suite `expectations/<name>.json` as a dict (a fresh copy)."""
    return json.loads(_suite_json(name, Path(expectations_dir)))


def _columns_of(exp: dict) -> list[str]:
    kw = exp["kwargs"]
    if "column" in kw:
        return [kw["column"]]
    return list(kw.get("column_list", []))


def runnable(suite: dict, columns: set[str]) -> dict:
    """The suite without expectations on columns the table lacks (their absence is
    reported once, by expect_table_columns_to_match_set)."""
    keep = [
        e for e in suite["expectations"]
        if e["type"] in _TABLE_LEVEL or set(_columns_of(e)) <= columns
    ]
    return {**suite, "expectations": keep}


# -------------------------------------------------------------------------- GX

def _context():
    """An ephemeral GX context, progress bars off, without Data Docs sites (the report
    page is the project's own, validate/page.py)."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    ctx = gx.get_context(mode="ephemeral")
    ctx.variables.progress_bars = ProgressBarsConfig(globally=False)
    for site in list(ctx.variables.data_docs_sites or {}):
        ctx.delete_data_docs_site(site)
    return ctx


def _run_suites(frames: dict[str, tuple[pd.DataFrame, dict]], params: dict, all_rows: bool = False):
    """Validate each (frame, suite) with GX; returns {name: ExpectationSuiteValidationResult}."""
    from great_expectations.core import ExpectationSuite

    ctx = _context()
    source = ctx.data_sources.add_pandas("export")
    results = {}
    for name, (frame, suite_json) in frames.items():
        suite = ctx.suites.add(ExpectationSuite(**suite_json))
        batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("alla").get_batch(
            batch_parameters={"dataframe": frame})
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


# --------------------------------------------------------------- result → report

def _rows(r, key: str = "partial_unexpected_index_list") -> list[int]:
    """The unexpected row numbers of a result (GX gives them as one dict of lists):
    the first few (partial_…), or all of them (unexpected_index_list, result format COMPLETE)."""
    idx = (r.result or {}).get(key) or []
    rows: list[int] = []
    for d in idx:
        v = d.get(ROW) if isinstance(d, dict) else d
        rows.extend(v if isinstance(v, list) else [v])
    return [int(x) for x in rows]


def _value_examples(frame: pd.DataFrame, column: str, rows: list[int], ids) -> list[str]:
    """Up to five distinct values in file order; a value that might identify someone
    (a person_id or birth date of the export, or a run of 6+ digits as in a personnummer)
    is given as its row number instead."""
    vals = frame.loc[rows, column]
    vals = vals[~vals.duplicated()].head(MAX_EXAMPLES)
    return ["(tom)" if pd.isna(v) else f"rad {r}" if _may_identify(str(v), ids) else f'"{v}"'
            for r, v in vals.items()]


class _Identifying:
    """The export's person_ids and birth dates, as a container looked into only for the few
    example values of a failure (a set of a million ids would cost seconds on every run)."""

    def __init__(self, tables: dict[str, pd.DataFrame]):
        self._cols = [df["person_id"] for df in tables.values() if "person_id" in df]
        if "personer" in tables and "fodelsedatum" in tables["personer"]:
            self._cols.append(tables["personer"]["fodelsedatum"])

    def __contains__(self, v) -> bool:
        return any(bool((c == v).any()) for c in self._cols)


def _may_identify(v: str, ids) -> bool:
    return v in ids or re.search(r"\d{6}", v) is not None


def _row_examples(rows: list[int]) -> list[str]:
    return [f"rad {r}" for r in rows[:MAX_EXAMPLES]]


def _is_warning(cfg) -> bool:
    return str(getattr(cfg.severity, "value", cfg.severity)) == "warning"


def _table_outcome(table: str, frame: pd.DataFrame, res, known: list[str],
                   ids, file: str) -> tuple[list[Failure], list[str]]:
    """Failures and warnings of one table's suite; `known` = warnings already given
    by the reader (unknown columns are not warned about twice)."""
    failures, warnings = [], []
    for r in res.results:
        if r.success:
            continue
        cfg = r.expectation_config
        rule = (cfg.meta or {}).get("regel", cfg.type)
        if cfg.type in _TABLE_LEVEL:
            expected = list(cfg.kwargs["column_set"])
            if _is_warning(cfg):  # exact match: columns the contract does not know
                extra = [quotable_header(str(c), i) for i, c in enumerate(frame.columns) if c not in expected]
                if extra and not any("okända kolumner" in w and table in w for w in known):
                    warnings.append(f"{file}: okända kolumner ignoreras: {', '.join(extra)}")
            else:  # a contract column is missing: one failure per column
                failures += [Failure(file, c, rule, check=cfg.type) for c in expected if c not in frame.columns]
            continue
        columns = _columns_of(cfg.to_json_dict())
        column = ", ".join(columns)
        if r.exception_info and r.exception_info.get("raised_exception"):
            failures.append(Failure(file, column, f"{rule}: kunde inte kontrolleras (check failed to run)",
                                    check=cfg.type))
            continue
        rows = _rows(r)
        count = int((r.result or {}).get("unexpected_count") or 0)
        by_value = (len(columns) == 1 and columns[0] not in IDENTIFYING
                    and cfg.type != "expect_column_values_to_not_be_null" and rows)
        examples = _value_examples(frame, columns[0], rows, ids) if by_value else _row_examples(rows)
        failures.append(Failure(file, column, rule, examples, count, cfg.type, rows[:MAX_EXAMPLES],
                                table, tuple(_rows(r, "unexpected_index_list"))))
    return failures, warnings


def _rules_outcome(res, source) -> tuple[list[Failure], list[str]]:
    failures, warnings = [], []
    for r in res.results:
        if r.success:
            continue
        cfg = r.expectation_config
        meta = cfg.meta or {}
        file, column, rule = source(meta["fil"]), meta["kolumn"], meta["regel"]
        name = cfg.kwargs["column"]
        if r.exception_info and r.exception_info.get("raised_exception"):
            failures.append(Failure(file, column, f"{rule}: kunde inte kontrolleras (check failed to run)",
                                    check=name))
            continue
        rows = _rows(r)
        count = int((r.result or {}).get("unexpected_count") or 0)
        f = Failure(file, column, rule, _row_examples(rows), count, name, rows[:MAX_EXAMPLES],
                    meta["fil"], tuple(_rows(r, "unexpected_index_list")))
        if _is_warning(cfg):
            warnings.append(f.line())
        else:
            failures.append(f)
    return failures, warnings


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
        frames[RULES_SUITE] = (rule_frame(tables), suite_dict(RULES_SUITE, expectations_dir))
    params = {"stadsdelar": sorted(all_stadsdelar(params_dir))}
    results = _run_suites(frames, params, all_rows)

    ids = _Identifying(tables)
    warnings = list(raw.warnings)
    for name, res in results.items():
        if name == RULES_SUITE:
            f, w = _rules_outcome(res, raw.source)
        else:
            f, w = _table_outcome(name, tables[name], res, raw.warnings, ids, raw.source(name))
        failures += f
        warnings += w
    warnings = list(dict.fromkeys(warnings))
    index = _write_page(Path(docs_dir), results, failures, warnings) if docs_dir is not None else None
    return ValidationReport(failures=failures, warnings=warnings, docs=index)


def _describe(suite: str, r) -> tuple[str, str, bool, list[int]]:
    """(rule in words, column, is a warning, row numbers) of one expectation's result."""
    cfg = r.expectation_config
    meta = cfg.meta or {}
    if suite == RULES_SUITE:
        return meta.get("regel", cfg.type), f"{meta.get('fil', '')}: {meta.get('kolumn', '')}", _is_warning(cfg), _rows(r)
    column = ", ".join(_columns_of(cfg.to_json_dict())) if cfg.type not in _TABLE_LEVEL else "(alla)"
    return meta.get("regel", cfg.type), column, _is_warning(cfg), _rows(r)


def _write_page(docs_dir: Path, results: dict, failures: list[Failure], warnings: list[str]) -> Path:
    """validation/index.html from the GX results (validate/page.py); GX Data Docs of an
    earlier version are removed."""
    from importlib import metadata

    from . import page

    _clear_docs(docs_dir)
    text = page.render(page.expectation_rows(results, _describe), [f.line() for f in failures], warnings,
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


def read_failure(e: InputError) -> ValidationReport:
    """The report of an export that could not be read (a table-level fault)."""
    return ValidationReport(failures=[Failure("", "", str(e), check=READ_ERROR)])
