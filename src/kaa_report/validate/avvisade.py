"""Setting aside the rows that break a row-level rule (`--skip-invalid-rows`, contract 1.4).

Every person with a row that breaks a row-level rule is set aside with all their rows in
every table; a row with no usable `person_id` (empty), and an `enkat` or `befolkning` row
that breaks a rule, is set aside alone. Table-level faults (a missing or unreadable file,
sheet or column) cannot be skipped, nor can more persons be set aside than
`params/validation.yml` allows (`max_andel_personer` of the persons in `personer`).

What is set aside is described per rule (table, rule, row numbers, rows, persons) and in
totals per table; person_ids are used only to find rows and never reach a text,
file or manifest.
"""
from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from ..contract.read import RawExport
from ..contract.schema import TABLES
from ..errors import KaaError
from ..fmt import antal, procent
from ..params import read_yaml
from ..paths import PARAMS
from .outcome import ValidationReport

PERSON_TABLES = ("personer", "registerperioder", "kontaktforsok", "sysselsattning", "insatser")
DEFAULT_MAX_ANDEL = 0.01
CSV_COLUMNS = ["tabell", "regel", "radnummer", "rader", "personer"]


@dataclass(frozen=True)
class Regelbrott:
    """One broken row-level rule: where, which rows and how many persons they belong to."""

    fil: str  # as in messages: 'insatser.csv', 'export.xlsx, blad insatser'
    tabell: str
    regel: str  # 'kolumn …: the rule in words'
    rader: tuple[int, ...]  # 1-based data rows
    personer: int  # distinct persons among those rows (0 for enkat and befolkning)


@dataclass(frozen=True)
class Avvisade:
    """What --skip-invalid-rows sets aside (counts and row numbers; no person_id)."""

    regler: tuple[Regelbrott, ...]
    rader_per_tabell: dict[str, int]  # every row set aside, those of set-aside persons included
    antal_personer: int
    personer_i_exporten: int
    max_andel: float
    _rader: dict = dataclasses.field(default_factory=dict)  # table → set of row numbers

    @property
    def andel(self) -> float:
        return self.antal_personer / self.personer_i_exporten if self.personer_i_exporten else 0.0

    @property
    def grans(self) -> int:
        """The most persons that may be set aside: max_andel of the persons in personer."""
        return math.floor(self.max_andel * self.personer_i_exporten + 1e-9)

    @property
    def over_gransen(self) -> bool:
        """More persons set aside than max_andel of the persons in personer allows."""
        return self.antal_personer > self.grans

    def summary(self) -> str:
        """The terminal summary: one line per rule, then the totals and the limit."""
        lines = ["Åt sidan med --skip-invalid-rows (set aside):"]
        for r in self.regler:
            who = f", {antal(r.personer)} {'person' if r.personer == 1 else 'personer'}" if r.personer else ""
            lines.append(f"  {r.fil}, {r.regel} — {antal(len(r.rader))} {'rad' if len(r.rader) == 1 else 'rader'}"
                         f"{who}, t.ex. {', '.join(f'rad {n}' for n in r.rader[:5])}")
        rows = ", ".join(f"{t} {antal(n)}" for t, n in self.rader_per_tabell.items() if n)
        lines.append(f"Totalt {antal(self.antal_personer)} av {antal(self.personer_i_exporten)} personer "
                     f"({procent(self.andel, 2)}; högst {antal(self.grans)} tillåts) med alla sina rader; "
                     f"rader per tabell: {rows or 'inga'}.")
        return "\n".join(lines)

    def frame(self) -> pd.DataFrame:
        """avvisade.csv: one row per broken rule, then one total row per table."""
        rows = [{"tabell": r.tabell, "regel": r.regel, "radnummer": radspann(r.rader), "rader": len(r.rader),
                 "personer": r.personer} for r in self.regler]
        rows += [{"tabell": t, "regel": "totalt åt sidan (raderna ovan och övriga rader för samma personer)",
                  "radnummer": radspann(sorted(self._rader.get(t, ()))), "rader": n,
                  "personer": self.antal_personer if t in PERSON_TABLES else 0}
                 for t, n in self.rader_per_tabell.items() if n]
        return pd.DataFrame(rows, columns=CSV_COLUMNS)

    def manifest(self) -> dict:
        """What every manifest records (no person_id)."""
        return {
            "personer": self.antal_personer,
            "personer_i_exporten": self.personer_i_exporten,
            "max_andel_personer": self.max_andel,
            "rader": {t: n for t, n in self.rader_per_tabell.items()},
            "regler": [{"tabell": r.tabell, "regel": r.regel, "rader": len(r.rader), "personer": r.personer}
                       for r in self.regler],
        }


def radspann(rows) -> str:
    """Row numbers as ranges: [3, 4, 5, 9] → '3-5, 9'."""
    out, rows = [], sorted(set(rows))
    i = 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and rows[j + 1] == rows[j] + 1:
            j += 1
        out.append(str(rows[i]) if i == j else f"{rows[i]}-{rows[j]}")
        i = j + 1
    return ", ".join(out)


def max_andel_personer(params_dir: Path = PARAMS) -> float:
    """`max_andel_personer` of params/validation.yml (default 0.01), a number from 0 to 1."""
    p = Path(params_dir) / "validation.yml"
    if not p.is_file():
        return DEFAULT_MAX_ANDEL
    try:
        data = read_yaml(p)
    except yaml.YAMLError as e:
        raise KaaError(f"{p}: kan inte läsas som YAML ({e.__class__.__name__})") from None
    v = data.get("max_andel_personer", DEFAULT_MAX_ANDEL) if isinstance(data, dict) else None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
        raise KaaError(f"{p}: max_andel_personer ska vara ett tal från 0 till 1 (en andel), inte {v!r}")
    return float(v)


def _ids(raw: RawExport, table: str) -> pd.Series:
    """person_id per data row (index = row number), stripped; empty = missing."""
    df = raw.tables[table]
    ids = df["person_id"].astype("str").str.strip().replace("", pd.NA)
    return pd.Series(ids.to_numpy(), index=df.index + 1)


def plan(raw: RawExport, report: ValidationReport, max_andel: float) -> Avvisade:
    """What to set aside for the report's row-level failures (call only when every
    failure is row-level and carries all its rows)."""
    ids: set[str] = set()
    alone: dict[str, set[int]] = {t: set() for t in TABLES}
    regler = []
    for f in report.failures:
        rows = tuple(sorted(set(f.all_rows)))
        n = 0
        if f.table in PERSON_TABLES:
            who = _ids(raw, f.table).reindex(list(rows))
            alone[f.table] |= set(who[who.isna()].index)
            found = set(who.dropna())
            ids |= found
            n = len(found)
        else:
            alone[f.table] |= set(rows)
        regel = f"kolumn {f.column}: {f.rule}" if f.column else f.rule
        regler.append(Regelbrott(f.file, f.table, regel, rows, n))
    rader = {}
    for t in TABLES:
        drop = set(alone[t])
        if t in PERSON_TABLES:
            s = _ids(raw, t)
            drop |= set(s[s.isin(ids)].index)
        rader[t] = drop
    personer = _ids(raw, "personer").dropna().nunique()
    return Avvisade(regler=tuple(regler), rader_per_tabell={t: len(r) for t, r in rader.items()},
                    antal_personer=len(ids), personer_i_exporten=int(personer), max_andel=max_andel,
                    _rader=rader)


def apply(raw: RawExport, avvisade: Avvisade) -> RawExport:
    """The export without the rows set aside. Frames keep their original index, so row
    numbers in later messages are still those of the file."""
    tables = {}
    for t, df in raw.tables.items():
        drop = avvisade._rader.get(t, set())
        tables[t] = df[~(df.index + 1).isin(list(drop))] if drop else df
    return dataclasses.replace(raw, tables=tables)


def skip_invalid_rows(raw: RawExport, report: ValidationReport, params_dir: Path = PARAMS) -> Avvisade:
    """Plan what --skip-invalid-rows sets aside, or raise KaaError when it cannot: a
    table-level fault, or more persons than params/validation.yml allows."""
    fatal = [f for f in report.failures if not f.row_level]
    if fatal:
        only = ValidationReport(failures=fatal, warnings=report.warnings, docs=report.docs)
        raise KaaError("exporten kan inte läsas som helhet; --skip-invalid-rows hoppar bara över rader som "
                       "bryter en regel, inte fel i en hel fil, ett blad eller en kolumn.\n" + only.summary())
    avvisade = plan(raw, report, max_andel_personer(params_dir))
    if avvisade.over_gransen:
        raise KaaError(f"för många personer skulle läggas åt sidan: {antal(avvisade.antal_personer)} av "
                       f"{antal(avvisade.personer_i_exporten)} ({procent(avvisade.andel, 2)}), men "
                       f"params/validation.yml tillåter högst {antal(avvisade.grans)} "
                       f"(max_andel_personer {procent(avvisade.max_andel, 2)}); inget under utdatamappen "
                       "har ändrats.\n" + report.summary())
    return avvisade
