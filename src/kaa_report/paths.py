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
