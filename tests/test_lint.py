"""ruff (configured in pyproject.toml) passes on the sources, tests and benchmarks."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_passes():
    p = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "src", "tests", "benchmarks"],
                       cwd=ROOT, capture_output=True, text=True)
    assert "No module named ruff" not in p.stderr, "ruff is missing: ./scripts/setup.sh installs the dev extra"
    assert p.returncode == 0, p.stdout + p.stderr
