"""One run's context, resolved once: the operating year and its dates, the jobbtorg
mapping in force, the scopes, the params folder and whom small-number suppression covers.

A build resolves it at the start (`resolve_run`) and hands it down (figures, notebooks'
cache, render) instead of turning the year into a mapping and scope names again at every
step. The public functions that take a year (notebooks, tests) resolve a Run themselves
(`as_run`). Importing this module does not import pandas (the build's quick check of an
unchanged output uses it).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..params import STAD, Jobbtorg, Mapping, mapping_for
from ..paths import PARAMS

if TYPE_CHECKING:
    import pandas as pd

STAD_NAMN = "Stockholms stad"


@dataclass(frozen=True)
class Run:
    year: int  # the operating year Y
    params_dir: Path
    mapping: Mapping  # the organisation in force in Y
    suppress_city: bool = False  # jobbtorg scopes are always suppressed; this covers the city too

    @property
    def start(self) -> pd.Timestamp:
        """1 December Y-1."""
        from .period import year_start

        return year_start(self.year)

    @property
    def end(self) -> pd.Timestamp:
        """30 November Y."""
        from .period import year_end

        return year_end(self.year)

    _years: dict[int, Run] = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def of_year(self, year: int) -> Run:
        """The same run for another operating year, in the organisation in force then
        (resolved once per year; ParamsError when params/ has no mapping for it)."""
        if year == self.year:
            return self
        if year not in self._years:
            self._years[year] = resolve_run(year, self.params_dir, self.suppress_city)
        return self._years[year]

    @property
    def previous(self) -> Run:
        """The same run for Y-1 (the year every figure is compared with)."""
        return self.of_year(self.year - 1)

    @property
    def scopes(self) -> list[str]:
        """`--scope all`: stad, every jobbtorg of the mapping, saknar-stadsdel."""
        return [STAD] + [u.slug for u in self.mapping.units]

    def select(self, scope: str) -> list[str]:
        """The scopes `--scope` asks for ("all" or one of `scopes`)."""
        if scope == "all":
            return self.scopes
        if scope not in self.scopes:
            raise UsageError(f"okänt --scope {scope!r}; välj all eller en av: {', '.join(self.scopes)}")
        return [scope]

    def suppressed(self, scope: str) -> bool:
        """Whether the scope's report hides small numbers."""
        return scope != STAD or self.suppress_city

    def unit(self, scope: str) -> Jobbtorg:
        """The jobbtorg (or saknar-stadsdel) of a scope; KeyError when the mapping has none."""
        return self.mapping.unit(scope)

    def scope_name(self, scope: str) -> str:
        """"Stockholms stad" or the unit's name from params/jobbtorg.yml (no name in code)."""
        return STAD_NAMN if scope == STAD else self.unit(scope).namn

    def units_of_scope(self, scope: str) -> tuple[str, list[tuple[str, str]]]:
        """The breakdown inside a scope: ('jobbtorg', [(slug, name)...]) for stad,
        ('stadsdel', [(name, name)...]) for a jobbtorg (KeyError for an unknown scope)."""
        m = self.mapping
        if scope == STAD:
            return "jobbtorg", [(j.slug, j.namn) for j in m.units]
        sds = list(self.unit(scope).stadsdelar) or [m.saknar.namn]
        return "stadsdel", [(s, s) for s in sds]

    def stadsdelar_of_scope(self, scope: str) -> list[str]:
        """The scope's stadsdelar in mapping order, "Saknar stadsdel" last (for the city)."""
        m = self.mapping
        if scope == STAD:
            return list(m.stadsdelar) + [m.saknar.namn]
        return list(self.unit(scope).stadsdelar) or [m.saknar.namn]


def resolve_run(year: int, params_dir: Path = PARAMS, suppress_city: bool = False) -> Run:
    """The context of a run for operating year Y (ParamsError when params/ has no mapping for Y)."""
    params_dir = Path(params_dir)
    return Run(year=year, params_dir=params_dir, mapping=mapping_for(year, params_dir), suppress_city=suppress_city)


def as_run(run: Run | int, params_dir: Path = PARAMS) -> Run:
    """A Run as it is, or a year resolved against `params_dir` (for the public functions
    that notebooks and tests call with a year; a Run carries its own params folder)."""
    return run if isinstance(run, Run) else resolve_run(run, params_dir)
