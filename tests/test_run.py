"""A run's context, resolved once (kaa_report.contract.run)."""
from __future__ import annotations

import pickle
import shutil

import pandas as pd
import pytest

from kaa_report.contract.run import as_run, resolve_run
from kaa_report.errors import UsageError
from kaa_report.paths import PARAMS


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


def test_names_and_breakdowns_of_scopes():
    run = resolve_run(2023)
    assert run.scope_name("stad") == "Stockholms stad"
    assert run.scope_name("vallingby") == "Jobbtorg Vällingby"  # the name in params/jobbtorg.yml
    assert run.units_of_scope("vallingby") == ("stadsdel", [("Hässelby-Vällingby", "Hässelby-Vällingby"),
                                                            ("Bromma", "Bromma")])
    kind, units = run.units_of_scope("stad")
    assert kind == "jobbtorg" and units[0] == ("globen", "Jobbtorg Globen")
    assert units[-1] == ("saknar-stadsdel", "Saknar stadsdel")
    # saknar-stadsdel has no stadsdel of its own: its breakdown is itself
    assert run.units_of_scope("saknar-stadsdel") == ("stadsdel", [("Saknar stadsdel", "Saknar stadsdel")])
    assert run.stadsdelar_of_scope("kista") == ["Rinkeby-Kista", "Spånga-Tensta"]
    city = run.stadsdelar_of_scope("stad")
    assert city[0] == "Enskede-Årsta-Vantör" and city[-1] == "Saknar stadsdel" and len(city) == 14
    with pytest.raises(KeyError):
        run.scope_name("nowhere")


REORGANISED = """
  - fran_ar: 2023
    jobbtorg:
      - {slug: syd, namn: KAA Syd, stadsdelar: [Enskede-Årsta-Vantör, Skarpnäck, Farsta, Södermalm, Skärholmen, Hägersten-Älvsjö]}
      - {slug: nord, namn: KAA Nord, stadsdelar: [Norrmalm, Östermalm, Kungsholmen, Hässelby-Vällingby, Bromma,
                                                  Rinkeby-Kista, Spånga-Tensta]}
"""


def test_other_years_in_their_own_organisation(tmp_path):
    """Y-1 (and any earlier year) is read in the mapping in force then, resolved once."""
    shutil.copytree(PARAMS, tmp_path / "p")
    jt = tmp_path / "p" / "jobbtorg.yml"
    jt.write_text(jt.read_text(encoding="utf-8") + REORGANISED, encoding="utf-8")
    run = resolve_run(2023, tmp_path / "p", suppress_city=True)
    assert run.scopes == ["stad", "syd", "nord", "saknar-stadsdel"]
    prev = run.previous
    assert prev.year == 2022 and "kista" in prev.scopes and "syd" not in prev.scopes
    assert prev.suppress_city and prev.params_dir == tmp_path / "p"
    assert run.previous is prev and run.of_year(2019) is run.of_year(2019) and run.of_year(2023) is run
    with pytest.raises(KeyError):
        prev.units_of_scope("syd")


def test_as_run_takes_a_run_or_a_year(tmp_path):
    run = resolve_run(2023)
    assert as_run(run) is run
    assert as_run(2022).year == 2022 and as_run(2022).mapping == run.mapping


def test_a_run_survives_pickling():
    """The build hands its scopes' figures, and their Run, to the notebooks as pickles."""
    run = resolve_run(2023)
    run.previous
    again = pickle.loads(pickle.dumps(run))
    assert again == run and again.previous.year == 2022 and again.scope_name("kista") == "Jobbtorg Kista"


def test_figures_carry_the_run_and_suppress_as_it_says():
    """One Run for every scope's figures; suppression below city level, the city too with
    suppress_city; all_scope_figures with a year keeps its three settings."""
    from frames import export, person

    from kaa_report.exhibits.figures import all_scope_figures, run_figures

    d = export(
        personer=[person("A"), person("B", kon="M")],
        registerperioder=[{"person_id": "A", "fran": "2022-01-01", "stadsdel": "Farsta"},
                          {"person_id": "B", "fran": "2022-01-01", "stadsdel": "Bromma"}],
    )
    run = resolve_run(2023)
    figs = run_figures(d, run, ["stad", "globen", "vallingby"])
    assert all(sf.run is run for sf in figs.values())
    assert figs["globen"].year == 2023 and figs["globen"].params_dir == PARAMS
    assert figs["vallingby"].namn == "Jobbtorg Vällingby"
    assert figs["vallingby"].units == [("Hässelby-Vällingby", "Hässelby-Vällingby"), ("Bromma", "Bromma")]
    assert figs["stad"].suppression is None and figs["globen"].suppression is not None
    assert run_figures(d, resolve_run(2023, suppress_city=True), ["stad"])["stad"].suppression is not None
    assert all_scope_figures(d, 2023, ["stad"], suppress=True)["stad"].suppression is not None
    assert all_scope_figures(d, 2023, ["kista"], suppress=False)["kista"].suppression is None
    assert all_scope_figures(d, 2023, ["stad", "kista"])["kista"].suppression is not None


def test_diagram_1_takes_each_earlier_year_in_its_own_organisation(tmp_path):
    """Diagram 1's bars before Y-1: a scope's omfattade of year y are the persons with a
    register period overlapping y whose stadsdel in y (latest-starting overlapping period)
    belongs to the scope in the organisation of y; a scope that did not exist in y has no bar.
    Worked out by hand: operating year y runs 1 Dec y-1 to 30 Nov y.
      A (K) Farsta 2019-12-15 – 2021-06-30: 2020 and 2021, Globen (both years).
      B (M) Rinkeby-Kista from 2020-12-01 (open): 2021 Kista.
      C (K) Bromma 2021-02-01 – 2021-03-01, then Farsta 2021-04-01 – 2021-05-01: 2021 only,
        Globen (Farsta starts later than Bromma).
      D (M) Bromma 2018-01-01 – 2019-11-30: 2018 and 2019, Vällingby; the first year is 2018.
      E (K) Bromma 2020-01-01 – 2020-11-30, then Rinkeby-Kista from 2022-01-01: 2020
        Vällingby (not Kista, where E is in Y), nothing in 2021."""
    from frames import export, person

    from kaa_report.exhibits.figures import run_figures

    d = export(
        personer=[person("A"), person("B", kon="M"), person("C"), person("D", kon="M"), person("E")],
        registerperioder=[
            {"person_id": "A", "fran": "2019-12-15", "till": "2021-06-30", "stadsdel": "Farsta"},
            {"person_id": "B", "fran": "2020-12-01", "stadsdel": "Rinkeby-Kista"},
            {"person_id": "C", "fran": "2021-02-01", "till": "2021-03-01", "stadsdel": "Bromma"},
            {"person_id": "C", "fran": "2021-04-01", "till": "2021-05-01", "stadsdel": "Farsta"},
            {"person_id": "D", "fran": "2018-01-01", "till": "2019-11-30", "stadsdel": "Bromma"},
            {"person_id": "E", "fran": "2020-01-01", "till": "2020-11-30", "stadsdel": "Bromma"},
            {"person_id": "E", "fran": "2022-01-01", "stadsdel": "Rinkeby-Kista"},
        ],
    )

    def bars(sf, before):
        s = sf.omfattade_serie
        s = s[s["ar"] < before]
        return {(int(r.ar), r.kon): int(r.omfattade) for r in s.itertuples()}

    figs = run_figures(d, resolve_run(2023), ["stad", "globen", "kista", "vallingby"])
    assert bars(figs["stad"], 2022) == {(2018, "K"): 0, (2018, "M"): 1, (2019, "K"): 0, (2019, "M"): 1,
                                        (2020, "K"): 2, (2020, "M"): 0, (2021, "K"): 2, (2021, "M"): 1}
    assert bars(figs["globen"], 2022) == {(2018, "K"): 0, (2018, "M"): 0, (2019, "K"): 0, (2019, "M"): 0,
                                          (2020, "K"): 1, (2020, "M"): 0, (2021, "K"): 2, (2021, "M"): 0}
    assert bars(figs["kista"], 2022) == {(y, k): int(y == 2021 and k == "M") for y in range(2018, 2022) for k in "KM"}
    assert bars(figs["vallingby"], 2022) == {(2018, "K"): 0, (2018, "M"): 1, (2019, "K"): 0, (2019, "M"): 1,
                                             (2020, "K"): 1, (2020, "M"): 0, (2021, "K"): 0, (2021, "M"): 0}
    # In an organisation that begins in 2023, its new jobbtorg has no bar before Y-1
    shutil.copytree(PARAMS, tmp_path / "p")
    jt = tmp_path / "p" / "jobbtorg.yml"
    jt.write_text(jt.read_text(encoding="utf-8") + REORGANISED, encoding="utf-8")
    syd = run_figures(d, resolve_run(2023, tmp_path / "p"), ["syd"])["syd"]
    assert bars(syd, 2022) == {}
    assert sorted(set(syd.omfattade_serie["ar"])) == [2022, 2023]
