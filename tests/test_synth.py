"""The synthetic export: deterministic, in the contract's format."""
from __future__ import annotations

from kaa_report.schema import COLUMNS
from kaa_report.synth import write_synthetic_export


def test_same_seed_gives_identical_files(tmp_path):
    a = write_synthetic_export(tmp_path / "a", seed=7)
    b = write_synthetic_export(tmp_path / "b", seed=7)
    assert [p.name for p in a] == [f"{t}.csv" for t in COLUMNS]
    for pa, pb in zip(a, b):
        assert pa.read_bytes() == pb.read_bytes(), pa.name
