"""Every metric against small hand-made exports; expected values worked out by hand below."""
from __future__ import annotations

import pytest
from frames import export, person

from kaa_report.metrics import definitions as m
from kaa_report.metrics.scope import enhet_i_ar, persons_in_scope

Y = 2023  # operating year 2022-12-01 .. 2023-11-30


def ids(index) -> set[str]:
    return set(index)


# ------------------------------------------------------------------ omfattade and the year boundaries

def test_omfattade_boundaries():
    d = export(
        personer=[person(p) for p in "ABCDEFG"],
        registerperioder=[
            {"person_id": "A", "fran": "2022-06-01", "till": "2022-12-01"},  # ends on 1 Dec Y-1: in
            {"person_id": "B", "fran": "2022-06-01", "till": "2022-11-30"},  # ends 30 Nov Y-1: out
            {"person_id": "C", "fran": "2023-11-30"},                         # starts 30 Nov Y, open: in
            {"person_id": "D", "fran": "2023-12-01"},                         # starts 1 Dec Y: out
            {"person_id": "E", "fran": "2020-01-01"},                         # open since long: in
            {"person_id": "F", "fran": "2023-03-01", "till": "2023-04-01"},  # inside: in
            {"person_id": "F", "fran": "2023-05-01", "till": "2023-06-01"},  # second period, same person
        ],
    )
    assert ids(m.omfattade(d, Y)) == {"A", "C", "E", "F"}


def test_omfattade_by_kon_and_counts():
    d = export(
        personer=[person("A", "K"), person("B", "M"), person("C", "M")],
        registerperioder=[{"person_id": p, "fran": "2023-01-01"} for p in "ABC"],
    )
    nt = m.nyckeltal(d, Y, city=True)
    assert (nt["omfattade"], nt["omfattade_k"], nt["omfattade_m"]) == (3, 1, 2)


# ------------------------------------------------------------------ uppsök

def _k(pid, datum, besvarat="false", initiativ="kaa", kanal="telefon"):
    return {"person_id": pid, "datum": datum, "kanal": kanal, "initiativ": initiativ, "besvarat": besvarat}


def test_nadda_answered_attempt_or_own_contact_dated_in_year():
    d = export(
        personer=[person(p) for p in "ABCDE"],
        kontaktforsok=[
            _k("A", "2022-12-01", "true"),                     # answered on the first day: nådd
            _k("B", "2023-05-01", "false"),                    # unanswered: not nådd
            _k("C", "2023-05-01", "TRUE", initiativ="ungdom"),  # the youth called first (any case): nådd
            _k("D", "2022-11-30", "true"),                     # answered the day before Y: not nådd
            _k("E", "2023-12-01", "true"),                     # the day after Y: not nådd
        ],
    )
    assert ids(m.nadda(d, Y)) == {"A", "C"}


def test_sokta_two_separate_conditions():
    d = export(
        personer=[person(p) for p in "ABCDEF"],
        registerperioder=[
            # A: under uppsök from Feb (open), attempt in March -> sökt, not nådd
            {"person_id": "A", "fran": "2023-01-15", "uppsok_fran": "2023-02-01"},
            # B: under uppsök ended before Y; attempt in Y -> not sökt
            {"person_id": "B", "fran": "2022-01-01", "till": "2022-11-15", "uppsok_fran": "2022-02-01"},
            # C: under uppsök in Y but no attempt in Y -> not sökt
            {"person_id": "C", "fran": "2023-01-01", "uppsok_fran": "2023-01-15"},
            # D: never under uppsök, but answered -> nådd, hence sökt
            {"person_id": "D", "fran": "2023-01-01"},
            # E: under uppsök only Oct-Nov, attempt in January (outside the interval, inside Y) -> sökt
            {"person_id": "E", "fran": "2023-09-01", "till": "2023-11-20", "uppsok_fran": "2023-10-01"},
            # F: uppsok interval starts 1 Dec Y-1 exactly: overlaps; attempt in Y -> sökt
            {"person_id": "F", "fran": "2022-11-15", "uppsok_fran": "2022-12-01"},
        ],
        kontaktforsok=[
            _k("A", "2023-03-01"), _k("B", "2023-03-01"), _k("C", "2022-11-01"),
            _k("D", "2023-02-01", "true"), _k("E", "2023-01-10"), _k("F", "2023-06-01"),
        ],
    )
    assert ids(m.sokta(d, Y)) == {"A", "D", "E", "F"}
    nt = m.nyckeltal(d, Y, city=True)
    assert (nt["sokta"], nt["nadda"], nt["ej_nadda"]) == (4, 1, 3)


def test_kontaktforsok_counts_kaa_rows_dated_in_year():
    d = export(
        personer=[person("A"), person("B")],
        kontaktforsok=[
            _k("A", "2023-01-01"), _k("A", "2023-01-01"),    # two rows the same day: 2
            _k("A", "2023-02-01", "true", initiativ="ungdom"),  # the youth's own: not an attempt
            _k("B", "2022-11-30"),                            # before Y
            _k("B", "2023-11-30", "true"),                    # last day: 1
        ],
    )
    assert m.nyckeltal(d, Y, city=True)["kontaktforsok"] == 3


def test_sysselsattning_first_contact_earliest_row_tie_in_file_order():
    d = export(
        personer=[person(p) for p in "ABCD"],
        kontaktforsok=[_k(p, "2023-03-01", "true") for p in "ABC"] + [_k("D", "2023-03-01")],
        sysselsattning=[
            {"person_id": "A", "datum": "2023-04-01", "sysselsattning": "ingen"},
            {"person_id": "A", "datum": "2023-03-01", "sysselsattning": "arbete"},   # earliest: arbete
            {"person_id": "B", "datum": "2023-03-05", "sysselsattning": "ingen"},    # tie, first in file
            {"person_id": "B", "datum": "2023-03-05", "sysselsattning": "studier"},
            {"person_id": "C", "datum": "2022-11-01", "sysselsattning": "arbete"},   # not dated in Y
            {"person_id": "D", "datum": "2023-03-05", "sysselsattning": "arbete"},   # D not nådd
        ],
    )
    first = m.sysselsattning_vid_forsta_kontakt(d, Y)
    assert first.to_dict() == {"A": "arbete", "B": "ingen"}
    nt = m.nyckeltal(d, Y, city=True)
    assert (nt["sysselsatta"], nt["nadda_med_sysselsattning"]) == (1, 2)
    assert nt["sysselsatta_andel"] == pytest.approx(0.5)


# ------------------------------------------------------------------ insatser

def _i(pid, inskriven, avslutad="", orsak="", v="jobbtorg"):
    return {"person_id": pid, "verksamhet": v, "inskriven": inskriven, "avslutad": avslutad, "avslutsorsak": orsak}


def test_insatser_counts_and_latest_reason():
    d = export(
        personer=[person(p, k) for p, k in zip("ABCDEF", "KKMMKM")],
        insatser=[
            _i("A", "2022-06-01", "2022-12-01", "studier"),   # ends 1 Dec Y-1: inskriven, avslutad (studier)
            _i("B", "2023-02-01"),                             # new, ongoing
            _i("C", "2023-01-01", "2023-03-01", "arbete"),    # two rows in Y: the later decides
            _i("C", "2023-04-01", "2023-06-01", "flyttat"),
            _i("D", "2023-01-01", "2023-05-01", "arbete"),    # same end date: later in file wins
            _i("D", "2023-05-01", "2023-05-01", "studier"),
            _i("E", "2021-01-01", "2022-11-30", "studier"),   # ended before Y: nothing
            _i("F", "2023-02-01", "2023-08-01", "studier", v="aim"),  # Aim only
        ],
    )
    nt = m.nyckeltal(d, Y, city=True)
    assert nt["inskrivna"] == 4            # A B C D
    assert nt["nyinskrivna"] == 3          # B C D (A enrolled in 2022)
    assert nt["avslutade"] == 3            # A C D
    assert nt["avslutade_studier"] == 2    # A, D
    assert nt["avslutade_arbete"] == 0     # C's latest is flyttat
    assert nt["avslutade_ovrigt"] == 1
    assert nt["avslutade_studier_arbete"] == 2
    assert nt["avslutade_andel"] == pytest.approx(3 / 4)
    assert nt["studier_andel"] == pytest.approx(2 / 3)
    assert nt["arbete_andel"] == 0
    assert (nt["avslutade_k"], nt["avslutade_m"]) == (1, 2)
    assert (nt["aim_inskrivna"], nt["aim_avslutade_studier"], nt["aim_studier_andel"]) == (1, 1, 1.0)
    assert nt["studiesteg1_inskrivna"] == 0


def test_share_with_zero_denominator_is_null():
    d = export(personer=[person("A")])
    nt = m.nyckeltal(d, Y, city=True)
    assert nt["avslutade_andel"] is None and nt["sysselsatta_andel"] is None and nt["nadda_andel"] is None


def test_skolavhopp_city_only_latest_row():
    d = export(
        personer=[person(p) for p in "ABC"],
        insatser=[
            _i("A", "2023-01-01", "2023-02-01", "ovrigt", v="skolavhopp"),
            _i("A", "2023-03-01", "2023-06-01", "kvar_i_studier", v="skolavhopp"),
            _i("B", "2023-01-01", "2023-02-01", "kvar_i_studier", v="skolavhopp"),
            _i("B", "2023-03-01", "2023-04-01", "ovrigt", v="skolavhopp"),
            _i("C", "2023-01-01", "", "", v="skolavhopp"),
        ],
    )
    nt = m.nyckeltal(d, Y, city=True)
    assert (nt["skolavhopp_avslutade"], nt["skolavhopp_kvar_i_studier"]) == (2, 1)
    assert "skolavhopp_avslutade" not in m.nyckeltal(d, Y, city=False)


def test_enkat():
    rows = [{"ar": 2023, "svar_id": f"s{i}", "fraga": "fatt_hjalp", "svar": v} for i, v in enumerate([5, 4, 4, 3, 1, ""])]
    rows += [{"ar": 2023, "svar_id": "s0", "fraga": "annan", "svar": 1}, {"ar": 2022, "svar_id": "x", "fraga": "fatt_hjalp", "svar": 5}]
    nt = m.nyckeltal(export(enkat=rows), Y, city=True)
    assert nt["enkat_svarande"] == 5
    assert [nt[f"enkat_svar_{v}"] for v in range(1, 6)] == [1, 0, 1, 2, 1]
    assert nt["enkat_nojda"] == 3


# ------------------------------------------------------------------ scope

def test_stadsdel_latest_starting_period_and_fallbacks():
    d = export(
        personer=[person(p) for p in "ABCDEF"],
        registerperioder=[
            {"person_id": "A", "fran": "2023-01-01", "till": "2023-02-01", "stadsdel": "Bromma"},
            {"person_id": "A", "fran": "2023-03-01", "till": "2023-04-01", "stadsdel": "Farsta"},   # latest start
            # B: no period overlaps Y; the latest starting before 30 Nov Y decides
            {"person_id": "B", "fran": "2021-01-01", "till": "2021-06-01", "stadsdel": "Bromma"},
            {"person_id": "B", "fran": "2022-01-01", "till": "2022-06-01", "stadsdel": "Skärholmen"},
            {"person_id": "C", "fran": "2023-01-01", "stadsdel": ""},                                 # empty
            # D: same fran twice: the later row in the file decides
            {"person_id": "D", "fran": "2023-01-01", "till": "2023-01-01", "stadsdel": "Bromma"},
            {"person_id": "D", "fran": "2023-01-01", "stadsdel": "Rinkeby-Kista"},
            # E: only a period starting after Y
            {"person_id": "E", "fran": "2024-01-01", "stadsdel": "Bromma"},
            # F: no period at all
        ],
    )
    e = enhet_i_ar(d, Y)
    assert e["stadsdel"].to_dict() == {
        "A": "Farsta", "B": "Skärholmen", "C": "Saknar stadsdel", "D": "Rinkeby-Kista",
        "E": "Saknar stadsdel", "F": "Saknar stadsdel"}
    assert e["jobbtorg"].to_dict() == {
        "A": "globen", "B": "skarholmen", "C": "saknar-stadsdel", "D": "kista",
        "E": "saknar-stadsdel", "F": "saknar-stadsdel"}
    assert set(persons_in_scope(d, Y, "globen")) == {"A"}


def test_person_rows_follow_their_jobbtorg_for_the_whole_year():
    # A lives in Bromma (Vällingby) until May, then Farsta (Globen): all of A's year counts for Globen,
    # including the attempt made while A lived in Bromma.
    d = export(
        personer=[person("A")],
        registerperioder=[
            {"person_id": "A", "fran": "2023-01-01", "till": "2023-04-30", "stadsdel": "Bromma"},
            {"person_id": "A", "fran": "2023-05-01", "stadsdel": "Farsta"},
        ],
        kontaktforsok=[_k("A", "2023-02-01", "true")],
    )
    from kaa_report.metrics.scope import scope_export

    assert m.nyckeltal(scope_export(d, Y, "globen"), Y, city=False)["nadda"] == 1
    assert m.nyckeltal(scope_export(d, Y, "vallingby"), Y, city=False)["nadda"] == 0


def test_every_metric_has_a_swedish_name_and_definition():
    for x in m.METRICS.values():
        assert x.namn and x.definition and ":" in x.definition, x.id
    for x in m.DERIVED:
        assert x.namn and all(a in m.METRICS or a in m.DERIVED_BY_ID or a.startswith("enkat_") for a in x.args), x.id


def test_scope_figures_equal_the_scopes_own_export():
    """Slicing the city's person facts by jobbtorg gives what the scope's own export gives."""
    from kaa_report.exhibits.figures import all_scope_figures
    from kaa_report.metrics.scope import scope_export

    d = export(
        personer=[person("A", "K"), person("B", "M"), person("C", "K")],
        registerperioder=[
            {"person_id": "A", "fran": "2022-01-01", "till": "2022-12-31", "stadsdel": "Bromma"},
            {"person_id": "A", "fran": "2023-01-01", "stadsdel": "Farsta"},   # moved: Globen in 2023, Vällingby in 2022
            {"person_id": "B", "fran": "2022-05-01", "stadsdel": "Rinkeby-Kista", "uppsok_fran": "2022-05-15"},
            {"person_id": "C", "fran": "2023-02-01"},
        ],
        kontaktforsok=[_k("A", "2022-06-01", "true"), _k("B", "2023-01-10"), _k("C", "2023-03-01", "true", "ungdom")],
        insatser=[_i("A", "2022-06-10", "2023-03-01", "studier")],
    )
    figs = all_scope_figures(d, Y, ["stad", "globen", "vallingby", "kista", "saknar-stadsdel"])
    for s in ("globen", "vallingby", "kista", "saknar-stadsdel"):
        for year, got in ((Y, figs[s].nyckeltal), (Y - 1, figs[s].nyckeltal_prev)):
            assert got == m.nyckeltal(scope_export(d, year, s), year, city=False), (s, year)
    assert figs["globen"].nyckeltal["avslutade_studier"] == 1 and figs["vallingby"].nyckeltal_prev["nadda"] == 1


def test_a_new_organisation_from_y(tmp_path):
    """A jobbtorg that first exists in Y: its Y-1 figures are empty, not an error; Tabell 6 of
    the city uses the units of Y-1."""
    import shutil

    from kaa_report.exhibits import tables
    from kaa_report.exhibits.figures import all_scope_figures
    from kaa_report.paths import PARAMS

    shutil.copytree(PARAMS, tmp_path / "p")
    (tmp_path / "p" / "jobbtorg.yml").write_text((PARAMS / "jobbtorg.yml").read_text(encoding="utf-8") + """
  - fran_ar: 2023
    jobbtorg:
      - {slug: syd, namn: KAA Syd, stadsdelar: [Enskede-Årsta-Vantör, Skarpnäck, Farsta, Södermalm, Skärholmen, Hägersten-Älvsjö]}
      - {slug: nord, namn: KAA Nord, stadsdelar: [Norrmalm, Östermalm, Kungsholmen, Hässelby-Vällingby, Bromma, Rinkeby-Kista, Spånga-Tensta]}
""", encoding="utf-8")
    d = export(
        personer=[person("A"), person("B")],
        registerperioder=[{"person_id": "A", "fran": "2022-01-01", "stadsdel": "Farsta"},
                          {"person_id": "B", "fran": "2022-01-01", "stadsdel": "Bromma"}],
        insatser=[_i("A", "2022-02-01"), _i("B", "2022-02-01")],
    )
    figs = all_scope_figures(d, Y, ["stad", "syd", "nord"], tmp_path / "p")
    assert figs["syd"].nyckeltal["inskrivna"] == 1 and figs["syd"].nyckeltal_prev["inskrivna"] == 0
    t6 = tables.tabell_6(figs["stad"])
    assert list(t6["rad"]) == ["Jobbtorg Globen", "Jobbtorg Skärholmen", "Jobbtorg Vällingby", "Jobbtorg Kista",
                               "Saknar stadsdel", "Totalt"]
    assert list(t6["inskrivna"]) == [1, 0, 1, 0, 0, 2]
    assert list(tables.tabell_5(figs["stad"])["inskrivna"]) == [1, 1, 0, 2]
