"""Figures from outside the register (params/<year>.yml): checked like the data."""
from __future__ import annotations

import pytest

from kaa_report.contract.external import ExternalFiguresError, check, load_external


def test_shipped_2023_figures_load():
    ext = load_external(2023)
    assert ext["slussplatser_anvanda"].varde == 23 and ext["slussplatser_antal"].varde == 90
    assert all(e.kalla and e.mattenhet for e in ext.values())


def test_a_year_without_file_has_none(tmp_path):
    assert load_external(2031, tmp_path) == {}


@pytest.mark.parametrize("entry, problem", [
    ({"varde": -1, "enhet": "platser", "kalla": "UTBF"}, "heltal >= 0"),
    ({"varde": "23", "enhet": "platser", "kalla": "UTBF"}, "heltal >= 0"),
    ({"varde": 2.5, "enhet": "platser", "kalla": "UTBF"}, "heltal >= 0"),
    ({"varde": 23, "enhet": "platser"}, "kalla: saknas"),
    ({"varde": 23, "kalla": "UTBF"}, "enhet: saknas"),
    ({"varde": 23, "enhet": "platser", "kalla": "UTBF", "vrde": 1}, "okända fält vrde"),
    (23, "ska ha varde, enhet och kalla"),
])
def test_each_rule(entry, problem):
    found = check({"externa_siffror": {"slussplatser_anvanda": entry}}, "params/2023.yml")
    assert len(found) == 1 and problem in found[0] and "params/2023.yml: externa_siffror.slussplatser_anvanda" in found[0]


def test_bad_file_raises_with_file_and_figure(tmp_path):
    (tmp_path / "2023.yml").write_text("externa_siffror:\n  x: {varde: -3, enhet: st, kalla: k}\n")
    with pytest.raises(ExternalFiguresError, match=r"params/2023.yml: externa_siffror.x.varde"):
        load_external(2023, tmp_path)


def test_report_values_mark_missing_figures(tmp_path):
    (tmp_path / "2023.yml").write_text("externa_siffror:\n  a: {varde: 3, enhet: st, kalla: k}\n  b: {varde: 4, enhet: st, kalla: k}\n")
    (tmp_path / "2024.yml").write_text("externa_siffror:\n  a: {varde: 5, enhet: st, kalla: k}\n")
    from kaa_report.contract.external import report_values

    assert report_values(2024, tmp_path) == {"a": 5, "b": "uppgift saknas"}
    assert report_values(2025, tmp_path) == {"a": "uppgift saknas", "b": "uppgift saknas"}


@pytest.mark.parametrize("text, problem", [("- 1\n- 2\n", "ska innehålla nyckeln"), ("a: [1,\n", "ingen giltig YAML")])
def test_malformed_file_is_a_plain_error(tmp_path, text, problem):
    (tmp_path / "2023.yml").write_text(text)
    with pytest.raises(ExternalFiguresError, match=problem):
        load_external(2023, tmp_path)
