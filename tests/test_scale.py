"""`kaa-report synth --persons N` and the national-scale read path: a scaled export is
valid, deterministic and N persons strong; whole copies multiply every calibrated count;
the pyarrow CSV reader gives the same text frames as the Python reader. (Timings:
benchmarks/scale.py; no timed assertions here.)"""
from __future__ import annotations

import filecmp

import pandas as pd
import pytest
from conftest import kaa

from kaa_report.contract import read
from kaa_report.contract.export import to_typed
from kaa_report.contract.lookup import isin
from kaa_report.contract.read import read_raw
from kaa_report.contract.schema import COLUMNS
from kaa_report.metrics import definitions as metrics
from kaa_report.synth.scaled import scaled_tables, write_arrow_tables
from kaa_report.validate.gx import validate_raw


@pytest.fixture(scope="module")
def base(synth_dir) -> dict[str, pd.DataFrame]:
    """The calibrated register as text frames (what `generate` returns)."""
    return read_raw(synth_dir).tables


def test_synth_persons_writes_n_valid_persons_same_bytes_for_a_seed(tmp_path):
    n = 34_000  # just over one copy of the calibrated ~33 900 persons: the last copy is partial
    for name in ("a", "b"):
        kaa("synth", "--out", str(tmp_path / name), "--persons", str(n), "--seed", "7")
    for t in COLUMNS:
        assert filecmp.cmp(tmp_path / "a" / f"{t}.csv", tmp_path / "b" / f"{t}.csv", shallow=False), t
    raw = read_raw(tmp_path / "a")
    pe = raw.tables["personer"]
    assert len(pe) == n and pe["person_id"].is_unique
    assert pe["person_id"].str.fullmatch(r"P\d{7}").all()
    report = validate_raw(raw)
    assert report.ok, report.summary()
    persons = set(pe["person_id"])
    for t in ("registerperioder", "kontaktforsok", "sysselsattning", "insatser"):
        assert set(raw.tables[t]["person_id"]) <= persons, t


def test_two_copies_double_the_published_counts(base, tmp_path):
    # Tabell 1 2023 (published): 3 497 kvinnor and 4 049 män omfattade; Tabell 2: 2 643 + 3 134 sökta.
    n = 2 * len(base["personer"])
    write_arrow_tables(scaled_tables(base, n, seed=2023), tmp_path / "x2")
    d = to_typed(read_raw(tmp_path / "x2"))
    pf = metrics.personfakta(d, 2023)
    c = metrics.counts(pf)
    assert (c["omfattade_k"], c["omfattade_m"]) == (2 * 3497, 2 * 4049)
    assert (c["sokta_k"], c["sokta_m"]) == (2 * 2643, 2 * 3134)
    assert len(d.enkat) == 2 * len(base["enkat"]) and d.enkat[["ar", "svar_id", "fraga"]].duplicated().sum() == 0


def test_pyarrow_reader_gives_the_python_readers_frames(synth_dir, monkeypatch):
    fast = read_raw(synth_dir)
    monkeypatch.setattr(read, "read_csv_columns", lambda p: None)  # force the Python reader
    slow = read_raw(synth_dir)
    assert fast.fmt == slow.fmt == "csv" and fast.encodings == slow.encodings
    for t in COLUMNS:
        pd.testing.assert_frame_equal(fast.tables[t], slow.tables[t])


@pytest.mark.parametrize("body", [
    b"person_id,kon,fodelsedatum\nP1,K,2005-01-01\n\nP2,M,2005-01-02\n",  # a blank line: warned about
    b"person_id,kon,fodelsedatum\nP1,K,2005-01-01\n,,\n",  # a row of empty fields: skipped and counted
    b"person_id,kon,fodelsedatum\nP1,K,2005-01-01\nP2,M",  # truncated
    b"person_id;kon;fodelsedatum\nP1;K;2005-01-01\n",  # Excel's semicolons
    b"person_id,kon,fodelsedatum,\nP1,K,2005-01-01,\n",  # Excel's trailing empty column
])
def test_files_the_fast_reader_is_unsure_of_go_to_the_python_reader(tmp_path, body):
    p = tmp_path / "personer.csv"
    p.write_bytes(body)
    from kaa_report.contract.fastcsv import read_csv_columns
    assert read_csv_columns(p) is None


def test_isin_on_text_as_pandas_but_missing_is_never_a_member():
    s = pd.Series(["P1", "P2", None, "P3"], dtype="str")
    assert isin(s, pd.Index(["P3", "P1", "P9"])).tolist() == [True, False, False, True]
    assert isin(pd.Index(["P2", "P4"]), s).tolist() == [True, False]
    assert isin(s, []).tolist() == [False] * 4
