"""One run's context, resolved once: the operating year and its dates, the jobbtorg
mapping in force, the scopes, the params folder and whom small-number suppression covers.

A build resolves it at the start (`resolve_run`) and hands it down instead of turning the
year into a mapping and scope names again at every step.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import UsageError
from ..params import STAD, Mapping, mapping_for
from ..paths import PARAMS
from .period import year_end, year_start


@dataclass(frozen=True)
class Run:
    year: int  # the operating year Y
    params_dir: Path
    mapping: Mapping  # the organisation in force in Y
    suppress_city: bool = False  # jobbtorg scopes are always suppressed; this covers the city too

    @property
    def start(self) -> pd.Timestamp:
        """1 December Y-1."""
        return year_start(self.year)

    @property
    def end(self) -> pd.Timestamp:
        """30 November Y."""
        return year_end(self.year)

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


def resolve_run(year: int, params_dir: Path = PARAMS, suppress_city: bool = False) -> Run:
    """The context of a run for operating year Y (ParamsError when params/ has no mapping for Y)."""
    params_dir = Path(params_dir)
    return Run(year=year, params_dir=params_dir, mapping=mapping_for(year, params_dir), suppress_city=suppress_city)
