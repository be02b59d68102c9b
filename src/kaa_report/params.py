"""Run parameters kept in params/: the stadsdel → jobbtorg mapping and friends."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import ParamsError
from .paths import PARAMS

STAD = "stad"  # the scope of the whole city (every other scope is a jobbtorg's slug)


@dataclass(frozen=True)
class Jobbtorg:
    slug: str
    namn: str
    stadsdelar: tuple[str, ...]


@dataclass(frozen=True)
class Mapping:
    """The organisation in force for one operating year."""

    jobbtorg: tuple[Jobbtorg, ...]
    saknar: Jobbtorg  # the "Saknar stadsdel" pseudo-unit, no stadsdelar

    @property
    def units(self) -> tuple[Jobbtorg, ...]:
        """Every jobbtorg in order, then Saknar stadsdel."""
        return self.jobbtorg + (self.saknar,)

    @property
    def stadsdelar(self) -> tuple[str, ...]:
        return tuple(s for j in self.jobbtorg for s in j.stadsdelar)

    def slug_of_stadsdel(self) -> dict[str, str]:
        return {s: j.slug for j in self.jobbtorg for s in j.stadsdelar}

    def unit(self, slug: str) -> Jobbtorg:
        for j in self.units:
            if j.slug == slug:
                return j
        raise KeyError(slug)


# libyaml's safe loader and dumper when PyYAML was built with it (the pure-Python ones are
# ~10× slower: a report's staging writes thousands of YAML nodes)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def read_yaml(path: Path) -> dict:
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=_LOADER) or {}


def yaml_text(obj, sort_keys: bool = True) -> str:
    """obj as YAML (safe types only, Unicode as it is)."""
    return yaml.dump(obj, Dumper=_DUMPER, allow_unicode=True, sort_keys=sort_keys)


@lru_cache(maxsize=None)
def _mappings(params_dir: Path) -> tuple[tuple[int, Mapping], ...]:
    raw = read_yaml(params_dir / "jobbtorg.yml")
    s = raw["saknar_stadsdel"]
    saknar = Jobbtorg(slug=s["slug"], namn=s["namn"], stadsdelar=())
    out = []
    for m in raw["mappings"]:
        jt = tuple(
            Jobbtorg(slug=j["slug"], namn=j["namn"], stadsdelar=tuple(j["stadsdelar"]))
            for j in m["jobbtorg"]
        )
        out.append((int(m["fran_ar"]), Mapping(jobbtorg=jt, saknar=saknar)))
    return tuple(sorted(out, key=lambda t: t[0]))


def mapping_for(year: int, params_dir: Path = PARAMS) -> Mapping:
    """The mapping in force for operating year Y: the latest entry starting on or before Y."""
    chosen = None
    for fran, m in _mappings(Path(params_dir)):
        if fran <= year:
            chosen = m
    if chosen is None:
        raise ParamsError(f"params/jobbtorg.yml har ingen indelning för år {year}")
    return chosen


def all_stadsdelar(params_dir: Path = PARAMS) -> set[str]:
    """Every stadsdel named in any mapping (the allowed values of `stadsdel`)."""
    return {s for _, m in _mappings(Path(params_dir)) for s in m.stadsdelar}
