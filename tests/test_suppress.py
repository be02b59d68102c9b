"""Small-number suppression (issue 7): primary and secondary suppression worked out by hand.

N = 5 throughout unless a test says otherwise; "<5" is the label of every hidden cell.
"""
from __future__ import annotations

import itertools
import random

import pandas as pd

from kaa_report.privacy.suppress import (
    Relation, SuppressionParams, hidden_cells, leaks, load_params, suppress_figures, suppress_table,
)

H = "<5"
T2_COUNTS = ["Kvinnor", "Män", "Totalt"]
T2_SUMS = dict(total_rows={"Sökta totalt": ["Ej nådda", "Nådda"]}, total_cols={"Totalt": ["Kvinnor", "Män"]})
T5_COUNTS = ["inskrivna", "avslutade", "studier_antal", "arbete_antal", "studier_arbete_antal"]
T5_SHARES = {
    "andel_avslutade": ("avslutade", "inskrivna"),
    "studier_andel": ("studier_antal", "avslutade"),
    "arbete_andel": ("arbete_antal", "avslutade"),
    "studier_arbete_andel": ("studier_arbete_antal", "avslutade"),
}
T5_SUMS = dict(total_rows={"Totalt": None},
               total_cols={"studier_arbete_antal": ["studier_antal", "arbete_antal"]}, shares=T5_SHARES)


def tabell_2(rows):
    """Tabell 2 layout from three [K, M] rows (Totalt = K + M)."""
    return pd.DataFrame([[name, k, m, k + m] for name, (k, m) in zip(["Ej nådda", "Nådda", "Sökta totalt"], rows)],
                        columns=["rad", *T2_COUNTS])


def cells(df):
    return df.set_index("rad").to_dict("index")


# ---------------------------------------------------------------- parameters

def test_params_default_and_file(tmp_path):
    p = load_params()
    assert (p.n, p.hidden_label) == (5, "<5")
    assert p.footnote.startswith("<5 = färre än 5")
    (tmp_path / "suppression.yml").write_text("n: 3\n", encoding="utf-8")
    assert load_params(tmp_path) == SuppressionParams(n=3)
    assert load_params(tmp_path).hidden_label == "<3"
    assert load_params(tmp_path / "none") == SuppressionParams()


# ---------------------------------------------------------------- tables worked by hand

def test_no_small_count_changes_nothing():
    t = tabell_2([(12, 30), (20, 31), (32, 61)])
    out = suppress_table(t, T2_COUNTS, **T2_SUMS)
    pd.testing.assert_frame_equal(out, t)


def test_zero_is_shown():
    t = tabell_2([(0, 30), (20, 31), (20, 61)])
    pd.testing.assert_frame_equal(suppress_table(t, T2_COUNTS, **T2_SUMS), t)


def test_tabell_2_one_small_cell_hides_a_rectangle():
    """Ej nådda/Kvinnor = 3 is primary. Its column sum (23 = 3 + 20) gives it away, so
    Nådda/Kvinnor (20) goes; its row sum (15 = 3 + 12) gives it away, so Ej nådda/Män (12)
    goes; now Nådda's row (50 = 20 + 30) has one hidden cell, so Nådda/Män (30) goes.
    Four interior cells hidden, every total shown: any of them can be 1..22 (K) or so."""
    t = tabell_2([(3, 12), (20, 30), (23, 42)])
    out = cells(suppress_table(t, T2_COUNTS, **T2_SUMS))
    assert out == {
        "Ej nådda": {"Kvinnor": H, "Män": H, "Totalt": 15},
        "Nådda": {"Kvinnor": H, "Män": H, "Totalt": 50},
        "Sökta totalt": {"Kvinnor": 23, "Män": 42, "Totalt": 65},
    }


def test_two_small_cells_that_the_label_would_give_away():
    """Ej nådda 4 and 4, total 8: two hidden cells in the row, but read literally ("<5" =
    at most 4) they can only be 4 and 4. So the total 8 goes too (nothing else left in
    the row); then the Totalt column has one hidden cell (8 of 38), so Nådda/Totalt (30)
    goes, and with it the columns K and M force Nådda/K (10) and Nådda/M (20) — they
    went already: column K (14 = 4 + 10) hid Nådda/K first, column M (24 = 4 + 20)
    Nådda/M. Only the Sökta totalt row is shown."""
    t = tabell_2([(4, 4), (10, 20), (14, 24)])
    out = cells(suppress_table(t, T2_COUNTS, **T2_SUMS))
    assert out == {
        "Ej nådda": {"Kvinnor": H, "Män": H, "Totalt": H},
        "Nådda": {"Kvinnor": H, "Män": H, "Totalt": H},
        "Sökta totalt": {"Kvinnor": 14, "Män": 24, "Totalt": 38},
    }


def test_small_cell_next_to_a_zero():
    """Ej nådda: K 3, M 0, Totalt 3: the total is small itself. Column K (13 = 3 + 10)
    hides Nådda/K (10); column Totalt (33 = 3 + 30) hides Nådda/Totalt (30). Row Ej nådda
    then says only K = Totalt, row Nådda Totalt = K + 20: nothing is forced. The 0 stays."""
    t = tabell_2([(3, 0), (10, 20), (13, 20)])
    out = cells(suppress_table(t, T2_COUNTS, **T2_SUMS))
    assert out == {
        "Ej nådda": {"Kvinnor": H, "Män": 0, "Totalt": H},
        "Nådda": {"Kvinnor": H, "Män": 20, "Totalt": H},
        "Sökta totalt": {"Kvinnor": 13, "Män": 20, "Totalt": 33},
    }


def test_tabell_5_counts_and_shares():
    """Three units and Totalt. Primary: A/studier 3, C/arbete 2.
    1. column studier (16 = 3 + 6 + 7): hide B/studier (6, the smallest other);
    2. column arbete (17 = 10 + 5 + 2): hide B/arbete (5);
    3. row A, studier_arbete = studier + arbete (13 = 3 + 10): hide A/arbete (10);
    4. row C (9 = 7 + 2): hide C/studier (7).
    Now studier and arbete are hidden for A, B, C: a 3×2 block whose row sums
    (studier_arbete) and column sums (Totalt) are shown — no cell is forced.
    Shares: studier_andel and arbete_andel hidden for A, B, C (numerator hidden);
    andel_avslutade and studier_arbete_andel stay (their counts are shown)."""
    t5 = pd.DataFrame({
        "rad": ["A", "B", "C", "Totalt"],
        "inskrivna": [40, 30, 25, 95],
        "avslutade": [20, 12, 10, 42],
        "andel_avslutade": [20 / 40, 12 / 30, 10 / 25, 42 / 95],
        "studier_antal": [3, 6, 7, 16],
        "studier_andel": [3 / 20, 6 / 12, 7 / 10, 16 / 42],
        "arbete_antal": [10, 5, 2, 17],
        "arbete_andel": [10 / 20, 5 / 12, 2 / 10, 17 / 42],
        "studier_arbete_antal": [13, 11, 9, 33],
        "studier_arbete_andel": [13 / 20, 11 / 12, 9 / 10, 33 / 42],
    })
    out = suppress_table(t5, T5_COUNTS, **T5_SUMS)
    for unit in ("A", "B", "C"):
        row = out.set_index("rad").loc[unit]
        assert [row[c] for c in ("studier_antal", "studier_andel", "arbete_antal", "arbete_andel")] == [H] * 4
    kept = ["rad", "inskrivna", "avslutade", "andel_avslutade", "studier_arbete_antal", "studier_arbete_andel"]
    pd.testing.assert_frame_equal(out[kept], t5[kept], check_dtype=False)
    assert out.iloc[3].tolist() == t5.iloc[3].tolist()  # the Totalt row is shown whole


def test_share_with_hidden_denominator_is_hidden():
    """Unit B: avslutade 4 (primary). Column avslutade (14 = 10 + 4): hide A/avslutade
    (10). All shares with avslutade as denominator go for A and B, and andel_avslutade
    too (its numerator)."""
    t = pd.DataFrame({
        "rad": ["A", "B", "Totalt"],
        "inskrivna": [30, 20, 50], "avslutade": [10, 4, 14], "andel_avslutade": [1 / 3, 0.2, 0.28],
        "studier_antal": [0, 0, 0], "studier_andel": [0.0, 0.0, 0.0],
        "arbete_antal": [0, 0, 0], "arbete_andel": [0.0, 0.0, 0.0],
        "studier_arbete_antal": [0, 0, 0], "studier_arbete_andel": [0.0, 0.0, 0.0],
    })
    out = cells(suppress_table(t, T5_COUNTS, **T5_SUMS))
    for unit in ("A", "B"):
        assert out[unit]["avslutade"] == H
        assert [out[unit][s] for s in T5_SHARES] == [H] * 4
        assert out[unit]["studier_antal"] == 0  # zero counts stay
    assert out["Totalt"]["avslutade"] == 14


def test_no_sums_primary_only():
    """Tabell 4 has no totals: only the small cells go."""
    t = pd.DataFrame({"rad": ["Jobbtorg (KAA)", "Aim", "Skolslussen"], "2022": [40, 3, 0], "2023": [38, 7, 1]})
    out = suppress_table(t, ["2022", "2023"])
    assert out["2022"].tolist() == [40, H, 0]
    assert out["2023"].tolist() == [38, 7, H]


def test_threshold_and_label_are_parameters():
    t = tabell_2([(3, 12), (20, 30), (23, 42)])
    out = cells(suppress_table(t, T2_COUNTS, n=3, **T2_SUMS))
    assert out["Ej nådda"]["Kvinnor"] == 3  # 3 is not below 3
    out = cells(suppress_table(t, T2_COUNTS, n=5, label="–", **T2_SUMS))
    assert out["Ej nådda"]["Kvinnor"] == "–"


# ---------------------------------------------------------------- the checks themselves

def test_combined_sums_with_bounds_are_seen():
    """Sums: 6 = aK + bK, 5 = aM + bM, 9 = bK + bM, aT = aK + aM, with aK, aM, bK, bM and aT
    hidden (aK=1, aM=1, bK=5, bM=4, aT=2). Each sum has two or more hidden cells, but the
    first three give aK + aM = 6 + 5 − 9 = 2, and hidden cells are at least 1: aK = aM = 1.
    The check must find this; hiding more must end the leak."""
    values = {"aK": 1, "aM": 1, "bK": 5, "bM": 4, "aT": 2, "TK": 6, "TM": 5, "bT": 9}
    rels = [Relation("TK", ("aK", "bK")), Relation("TM", ("aM", "bM")), Relation("bT", ("bK", "bM")),
            Relation("aT", ("aK", "aM"))]
    hidden = {"aK", "aM", "bK", "bM", "aT"}
    assert leaks(values, rels, hidden)
    hid = hidden_cells(values, rels)
    assert {"aK", "aM", "aT"} <= hid
    assert leaks(values, rels, hid) == []


INTERIOR = [("Ej nådda", "Kvinnor"), ("Ej nådda", "Män"), ("Nådda", "Kvinnor"), ("Nådda", "Män")]


def _tabell_2_cells(a, b, c, d):
    """Every cell of Tabell 2 from its four interior counts (Ej nådda K, M; Nådda K, M)."""
    rows = {"Ej nådda": (a, b), "Nådda": (c, d), "Sökta totalt": (a + c, b + d)}
    return {(r, col): v for r, (k, m) in rows.items() for col, v in zip(T2_COUNTS, (k, m, k + m))}


def _feasible_values(values, hidden):
    """Brute force over the interior counts (summing to the shown grand total): every value
    each hidden cell can take, given every shown cell and every hidden cell >= 1."""
    grand = values[("Sökta totalt", "Totalt")]
    ranges = [[values[c]] if c not in hidden else range(1, grand + 1) for c in INTERIOR[:3]]
    seen = {c: set() for c in hidden}
    for a, b, c in itertools.product(*ranges):
        d = grand - a - b - c
        if d < 0:
            continue
        cand = _tabell_2_cells(a, b, c, d)
        if all(cand[k] == v if k not in hidden else cand[k] >= 1 for k, v in values.items()):
            for k in hidden:
                seen[k].add(cand[k])
    return seen


def test_random_tables_no_hidden_cell_can_be_recovered():
    """Tabell 2 shapes with small random counts: by brute force over every table that
    agrees with what is shown, each hidden cell can take at least two values.
    (Tables whose grand total is hidden are not checked: the brute force needs it.)"""
    from kaa_report.privacy.suppress import table_relations

    rng = random.Random(7)
    checked = 0
    for _ in range(150):
        values = _tabell_2_cells(*(rng.choice([0, 1, 2, 3, 4, 5, 6, 9]) for _ in range(4)))
        t = tabell_2([(values[(r, "Kvinnor")], values[(r, "Män")]) for r in ("Ej nådda", "Nådda", "Sökta totalt")])
        hid = hidden_cells(values, table_relations(t, T2_COUNTS, **T2_SUMS))
        assert {c for c, v in values.items() if 1 <= v <= 4} <= hid
        assert all(values[c] != 0 for c in hid)
        if ("Sökta totalt", "Totalt") in hid or not hid:
            continue
        checked += 1
        for cell, vals in _feasible_values(values, hid).items():
            assert len(vals) >= 2, (values, sorted(hid), cell)
    assert checked >= 50


# ---------------------------------------------------------------- nyckeltal

def test_suppress_figures_uses_the_metric_definitions():
    """Sums from metrics: x = x_k + x_m, and sokta = ej_nadda + nadda (per kön too).
    Primary: omfattade_k 3, ej_nadda 4, ej_nadda_k 2, ej_nadda_m 2, avslutade 3.
    1. omfattade 43 = 3 + 40: hide omfattade_m;
    2. sokta 30 = ej_nadda + nadda 26: hide nadda;
    3. nadda 26 = nadda_k 14 + nadda_m 12: hide nadda_m (12 < 14);
    4. sokta_k 16 = ej_nadda_k + nadda_k 14: hide nadda_k.
    Then sokta_m 14 = ej_nadda_m + nadda_m has two hidden; over all sums ej_nadda_k and
    ej_nadda_m stay free (each 1..13 or more): nothing forced. avslutade_andel goes with
    avslutade; inskrivna, nyinskrivna and every sokta stay."""
    fig = {
        "omfattade": 43, "omfattade_k": 3, "omfattade_m": 40,
        "sokta": 30, "sokta_k": 16, "sokta_m": 14,
        "nadda": 26, "nadda_k": 14, "nadda_m": 12,
        "ej_nadda": 4, "ej_nadda_k": 2, "ej_nadda_m": 2,
        "inskrivna": 20, "avslutade": 3, "avslutade_andel": 3 / 20, "nyinskrivna": 7,
    }
    out = suppress_figures(fig)
    hidden = {k for k, v in out.items() if v == H}
    assert hidden == {"omfattade_k", "omfattade_m", "ej_nadda", "ej_nadda_k", "ej_nadda_m",
                      "nadda", "nadda_k", "nadda_m", "avslutade", "avslutade_andel"}
    assert {k: v for k, v in out.items() if k not in hidden} == {k: v for k, v in fig.items() if k not in hidden}
