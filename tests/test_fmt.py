"""Swedish number formatting (kaa_report.fmt): expected strings written by hand."""
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from kaa_report import fmt
from kaa_report.fmt import NBSP, antal, avrunda, procent, procentenheter, tal


@pytest.mark.parametrize("value, expected", [
    (7546, "7" + NBSP + "546"),
    (7546.0, "7" + NBSP + "546"),
    (np.int64(1231), "1" + NBSP + "231"),
    ("7546", "7" + NBSP + "546"),
    (1234567, "1" + NBSP + "234" + NBSP + "567"),
    (999, "999"),
    (0, "0"),
    (-392, "\u2212392"),
])
def test_antal_groups_thousands_with_nbsp(value, expected):
    assert antal(value) == expected


@pytest.mark.parametrize("value", ["<5", "–", "..", "x"])
def test_suppressed_strings_pass_through(value):
    assert antal(value) == value
    assert procent(value) == value
    assert procent(value, 1, ord=True) == value
    assert tal(value, 1) == value


@pytest.mark.parametrize("value", [None, float("nan"), np.nan, ""])
def test_missing_prints_dash(value):
    assert antal(value) == "–"
    assert procent(value) == "–"


@pytest.mark.parametrize("share, whole, one, words", [
    (0.54, "54 %", "54,0 %", "54 procent"),
    (438 / 807, "54 %", "54,3 %", "54 procent"),  # 0.54275...
    (0.545, "55 %", "54,5 %", "55 procent"),  # half away from zero, not to even
    (0.285, "29 %", "28,5 %", "29 procent"),  # 0.285 * 100 is 28.499999... in floats
    (0.725, "73 %", "72,5 %", "73 procent"),
    (0.125, "13 %", "12,5 %", "13 procent"),
    (0.0049, "0 %", "0,5 %", "0 procent"),
    (1.0, "100 %", "100,0 %", "100 procent"),
    (Fraction(1, 8), "13 %", "12,5 %", "13 procent"),
    (Decimal("0.205"), "21 %", "20,5 %", "21 procent"),
    ("0.54", "54 %", "54,0 %", "54 procent"),
])
def test_procent_rounds_half_away_from_zero(share, whole, one, words):
    assert procent(share) == whole.replace(" ", NBSP)
    assert procent(share, 1) == one.replace(" ", NBSP)
    assert procent(share, ord=True) == words.replace(" ", NBSP)


def test_avrunda_half_away_from_zero():
    assert avrunda(2.5) == 3
    assert avrunda(3.5) == 4
    assert avrunda(-2.5) == -3
    assert avrunda(0.125, 2) == Decimal("0.13")
    assert avrunda(2.449, 1) == Decimal("2.4")
    with pytest.raises(ValueError):
        avrunda("<5")


def test_tal_with_decimals_uses_comma():
    assert tal(72.45, 1) == "72,5"
    assert tal(1234.5, 1) == "1" + NBSP + "234,5"
    assert tal(3) == "3"


def test_procentenheter():
    assert procentenheter(0.73 - 0.67) == "6" + NBSP + "procentenheter"
    assert procentenheter(-0.01) == "1" + NBSP + "procentenhet"
    assert procentenheter("<5") == "<5"


def test_no_plain_space_in_output():
    for s in (antal(1234567), procent(0.5), procent(0.5, ord=True), tal(1234.5, 1)):
        assert " " not in s
    assert fmt.LOCALE == "sv_SE"


def test_no_negative_zero():
    from kaa_report.fmt import antal, procent, tal

    assert tal(-0.004) == "0" and tal(-0.04, 1) == "0,0"
    assert procent(-0.00004) == "0\u00a0%"
    assert antal(-3) == "\u22123"


def test_changes_print_their_sign():
    M = "\u2212"
    assert antal(392, tecken=True) == "+392"
    assert antal(-4, tecken=True) == M + "4"
    assert antal(1234, tecken=True) == "+1" + NBSP + "234"
    assert antal(0, tecken=True) == "0"  # no change: no sign
    assert tal(-0.004, tecken=True) == "0"  # rounds to 0: no "+0" or "−0"
    assert tal(2.25, 1, tecken=True) == "+2,3"
    # a relative change: 96 against 40 is +140 %; 880 against 1 000 is −12 %
    assert procent((96 - 40) / 40, 1, tecken=True) == "+140,0" + NBSP + "%"
    assert procent((880 - 1000) / 1000, tecken=True) == M + "12" + NBSP + "%"
    # a change of a share: 12/40 − 10/40 = 0,05, five percentage points
    assert procentenheter(12 / 40 - 10 / 40, 1, tecken=True) == "+5,0" + NBSP + "procentenheter"
    assert procentenheter(-0.01, tecken=True) == M + "1" + NBSP + "procentenhet"
    assert procentenheter(0.00004, 1, tecken=True) == "0,0" + NBSP + "procentenheter"
    assert antal("<5", tecken=True) == "<5"


def test_exakt_shows_what_a_check_message_needs():
    from kaa_report.fmt import exakt

    assert exakt(96 / 129) == "0,744186"  # 0,7441860465…
    assert exakt(5 / 11) == "0,454545"
    assert exakt(0.75) == "0,75"  # trailing zeros left out
    assert exakt(490.0) == "490" and exakt(96) == "96"
    assert exakt(5777) == "5" + NBSP + "777"
    assert exakt(-2) == "\u22122"
    assert exakt(Fraction(703, 4), 2) == "175,75"  # 185 × 0,95
    assert exakt(Fraction(2, 3), 2) == "0,67"
    assert exakt(1e-9) == "0"
    assert exakt(None) == "–" and exakt("<5") == "<5"
