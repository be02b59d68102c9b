"""Published-figures files (format of ../shared/published/published_figures.yaml).

Reading them, knowing which contract figure each entry states (`published_refs`,
the table of figure_map.md kept as data), what range of true values
a printed number allows (`interval`: rounding at the printed precision and the hedges
"ca", "nästan", "drygt", "över"), and checking a file for internal consistency
(`check_published`: sums, shares, stated changes, same_metric_as pairs and the
testable claims). The checks use only the file's own numbers.
"""
from __future__ import annotations

from .checks import Index, Motsagelse, check_changes, check_derived, check_parts, check_same_metric, check_shares
from .claims import check_claims
from .intervals import Interval, interval, round_half_away
from .refs import Ref, default_published_path, load_published, published_refs

__all__ = ["Index", "Interval", "Motsagelse", "Ref", "check_claims", "check_published", "default_published_path",
           "interval", "load_published", "published_refs", "round_half_away", "summary"]



def check_published(data: dict) -> list[Motsagelse]:
    """Every internal contradiction of a published-figures file (empty when it agrees with itself)."""
    ix = Index(data)
    found: list[Motsagelse] = []
    for check in (check_parts, check_derived, check_shares, check_changes, check_same_metric):
        found += check(ix)
    found += check_claims(data, ix)[0]
    # One finding per fact: the same arithmetic reached twice (e.g. ej_nadda as a difference
    # and as a sum) is reported once.
    seen, unique = set(), []
    for f in found:
        k = (f.typ, frozenset(f.ids))
        if k not in seen:
            seen.add(k)
            unique.append(f)
    return unique


def summary(data: dict) -> dict[str, int]:
    """How much of the file the checks could reach (for the report line)."""
    ix = Index(data)
    return {"poster": len(data["entries"]), "med_nyckeltal": sum(1 for e in data["entries"] if published_refs(e)),
            "pastaenden_provade": len(check_claims(data, ix)[1]), "pastaenden": len(data["claims"])}

