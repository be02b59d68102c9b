"""A run's context, resolved once (kaa_report.contract.run)."""
from __future__ import annotations

import pandas as pd
import pytest

from kaa_report.contract.run import resolve_run
from kaa_report.errors import UsageError


def test_dates_of_the_operating_year():
    run = resolve_run(2023)
    assert run.start == pd.Timestamp(2022, 12, 1) and run.end == pd.Timestamp(2023, 11, 30)


def test_scopes_city_first_saknar_stadsdel_last():
    run = resolve_run(2023)
    assert run.scopes[0] == "stad" and run.scopes[-1] == "saknar-stadsdel"
    assert "kista" in run.scopes
    assert run.select("all") == run.scopes and run.select("kista") == ["kista"]
    with pytest.raises(UsageError, match="nowhere"):
        run.select("nowhere")


def test_who_is_suppressed():
    assert not resolve_run(2023).suppressed("stad") and resolve_run(2023).suppressed("kista")
    assert resolve_run(2023, suppress_city=True).suppressed("stad")
