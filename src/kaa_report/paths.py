"""Where the project's folders are. Everything else takes paths as arguments."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARAMS = ROOT / "params"
EXPECTATIONS = ROOT / "expectations"
NOTEBOOKS = ROOT / "notebooks"
REPORT = ROOT / "report"
DEMO_DATA = ROOT / "data" / "demo"
OUTPUT = ROOT / "output"

# With small-number suppression a scope also gets publicerade_nyckeltal*.json: the
# figures as the report may print them.
PUBLISHED_PREFIX = "publicerade_"


def published_file(scope_dir: Path, name: str) -> Path:
    """The figures as printed: publicerade_<name> where the scope is suppressed, else <name>."""
    p = Path(scope_dir) / (PUBLISHED_PREFIX + name)
    return p if p.is_file() else Path(scope_dir) / name


# A suppressed scope's exact tables and diagram data (never to be published).
INTERN = "intern"


def exact_file(scope_dir: Path, name: str) -> Path:
    """The exact version of an output: intern/<name> where the scope is suppressed, else <name>."""
    p = Path(scope_dir) / INTERN / name
    return p if p.is_file() else Path(scope_dir) / name


def report_file(scope_dir: Path, year: int, scope: str, suffix: str) -> Path:
    """The årsrapport of a scope in scope_dir: arsrapport-<year>-<scope>.pdf or .html."""
    return Path(scope_dir) / f"arsrapport-{year}-{scope}{suffix}"


def letter_file(scope_dir: Path, year: int) -> Path:
    """The tjänsteutlåtande in the city's scope_dir: tjansteutlatande-<year>.pdf."""
    return Path(scope_dir) / f"tjansteutlatande-{year}.pdf"
