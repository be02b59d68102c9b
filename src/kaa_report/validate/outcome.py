"""The outcome of a validation: failures, warnings and the report's text.

Turns Great Expectations' results (validate/gx.py runs the suites) into `Failure`s, one
per broken rule with file, column, rule in words, count and up to five examples, and
warnings, gathered in a `ValidationReport` whose `summary()` is what `kaa-report
validate` prints. Examples are row numbers (`_rad`: the 1-based data row, the header not
counted) for identifying columns and for cross-table rules, and values otherwise, so no
person_id or birth date ever leaves this module.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..contract.read import quotable_header
from ..contract.schema import ROW
from ..errors import InputError
from ..fmt import antal

RULES_SUITE = "regler"
IDENTIFYING = {"person_id", "fodelsedatum", "svar_id"}  # examples by row number only
MAX_EXAMPLES = 5
READ_ERROR = "read"  # Failure.check of an export that could not be read
TABLE_LEVEL = {"expect_table_columns_to_match_set"}
_NOT_ROW_LEVEL = TABLE_LEVEL | {"table_exists", READ_ERROR}
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


def columns_of(exp: dict) -> list[str]:
    kw = exp["kwargs"]
    if "column" in kw:
        return [kw["column"]]
    return list(kw.get("column_list", []))


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


class Identifying:
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


def table_outcome(table: str, frame: pd.DataFrame, res, known: list[str],
                   ids, file: str) -> tuple[list[Failure], list[str]]:
    """Failures and warnings of one table's suite; `known` = warnings already given
    by the reader (unknown columns are not warned about twice)."""
    failures, warnings = [], []
    for r in res.results:
        if r.success:
            continue
        cfg = r.expectation_config
        rule = (cfg.meta or {}).get("regel", cfg.type)
        if cfg.type in TABLE_LEVEL:
            expected = list(cfg.kwargs["column_set"])
            if _is_warning(cfg):  # exact match: columns the contract does not know
                extra = [quotable_header(str(c), i) for i, c in enumerate(frame.columns) if c not in expected]
                if extra and not any("okända kolumner" in w and table in w for w in known):
                    warnings.append(f"{file}: okända kolumner ignoreras: {', '.join(extra)}")
            else:  # a contract column is missing: one failure per column
                failures += [Failure(file, c, rule, check=cfg.type) for c in expected if c not in frame.columns]
            continue
        columns = columns_of(cfg.to_json_dict())
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


def rules_outcome(res, source) -> tuple[list[Failure], list[str]]:
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


def describe(suite: str, r) -> tuple[str, str, bool, list[int]]:
    """(rule in words, column, is a warning, row numbers) of one expectation's result."""
    cfg = r.expectation_config
    meta = cfg.meta or {}
    if suite == RULES_SUITE:
        return meta.get("regel", cfg.type), f"{meta.get('fil', '')}: {meta.get('kolumn', '')}", _is_warning(cfg), _rows(r)
    column = ", ".join(columns_of(cfg.to_json_dict())) if cfg.type not in TABLE_LEVEL else "(alla)"
    return meta.get("regel", cfg.type), column, _is_warning(cfg), _rows(r)


def read_failure(e: InputError) -> ValidationReport:
    """The report of an export that could not be read (a table-level fault)."""
    return ValidationReport(failures=[Failure("", "", str(e), check=READ_ERROR)])
