"""Screening flags at each threshold edge, and WHO 2007 BMI-for-age for 5–18 years. No database."""

import datetime
from decimal import Decimal

import pytest

from layanan import screening
from layanan.screening import AdultBmiCategory, Aks, RemajaBmiCategory, ScreeningFlag


def flags(stage="usia_produktif", sex="P", age_years=30, **kwargs) -> tuple[str, ...]:
    return screening.screen(stage=stage, sex=sex, age_years=age_years, **kwargs)


# --- adult BMI (Kemenkes P2PTM) ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("bmi", "category"),
    [
        ("16.9", AdultBmiCategory.SANGAT_KURUS),
        ("17.0", AdultBmiCategory.KURUS),
        ("18.4", AdultBmiCategory.KURUS),
        ("18.5", AdultBmiCategory.NORMAL),
        ("25.0", AdultBmiCategory.NORMAL),
        ("25.1", AdultBmiCategory.GEMUK),
        ("27.0", AdultBmiCategory.GEMUK),
        ("27.1", AdultBmiCategory.OBESITAS),
    ],
)
def test_adult_bmi_category_edges(bmi, category):
    assert screening.adult_bmi_category(Decimal(bmi)) == category


def test_bmi_is_rounded_to_one_decimal_like_the_kemenkes_table():
    assert screening.bmi(Decimal("50"), Decimal("160")) == Decimal("19.5")
    assert screening.bmi(Decimal("64.0"), Decimal("160")) == Decimal("25.0")  # 25.0 → normal
    assert screening.bmi(Decimal("64.2"), Decimal("160")) == Decimal("25.1")  # 25.08 → 25.1 → gemuk


@pytest.mark.parametrize(
    ("weight", "flag"),
    [
        ("43.3", "sangat_kurus"),  # 16.91 → 16.9
        ("43.4", "kurus"),  # 16.95 → 17.0
        ("47.0", "kurus"),
        ("60.0", None),
        ("68.0", "gemuk"),
        ("70.0", "obesitas"),
    ],
)
def test_adult_bmi_flags_at_160_cm(weight, flag):
    result = flags(weight_kg=Decimal(weight), height_cm=Decimal("160"))
    assert result == ((flag,) if flag else ())


def test_lansia_get_the_adult_bmi_flags_too():
    assert flags(stage="lansia", sex="L", age_years=70, weight_kg=Decimal("80"), height_cm=Decimal("160")) == (
        "obesitas",
    )


# --- ibu hamil -----------------------------------------------------------------------------------


def test_kek_below_23_5_cm():
    assert flags(stage="ibu_hamil", muac_cm=Decimal("23.4")) == ("kek",)
    assert flags(stage="ibu_hamil", muac_cm=Decimal("23.5")) == ()


def test_anaemia_in_pregnancy_below_11():
    assert flags(stage="ibu_hamil", hb_g_dl=Decimal("10.9")) == ("anemia",)
    assert flags(stage="ibu_hamil", hb_g_dl=Decimal("11.0")) == ()


@pytest.mark.parametrize(
    ("systolic", "diastolic", "expected"),
    [(140, 80, ("hipertensi",)), (120, 90, ("hipertensi",)), (139, 89, ()), (130, 85, ())],
)
def test_hypertension_in_pregnancy_from_140_90_without_prehypertension(systolic, diastolic, expected):
    assert flags(stage="ibu_hamil", systolic=systolic, diastolic=diastolic) == expected


def test_ibu_hamil_get_no_bmi_or_waist_flag():
    assert flags(stage="ibu_hamil", weight_kg=Decimal("90"), height_cm=Decimal("150"), waist_cm=Decimal("100")) == ()


def test_ibu_hamil_must_be_a_woman():
    with pytest.raises(ValueError):
        flags(stage="ibu_hamil", sex="L")


# --- KEK in women of reproductive age ----------------------------------------------------------


def test_kek_in_women_15_to_49_only():
    assert flags(age_years=30, muac_cm=Decimal("23.4")) == ("kek",)
    assert flags(age_years=49, muac_cm=Decimal("23.4")) == ("kek",)
    assert flags(age_years=50, muac_cm=Decimal("23.4")) == ()
    assert flags(stage="remaja", age_years=15, muac_cm=Decimal("23.4")) == ("kek",)
    assert flags(stage="remaja", age_years=14, muac_cm=Decimal("23.4")) == ()
    assert flags(sex="L", muac_cm=Decimal("22.0")) == ()


# --- anaemia (WHO 2011) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stage", "sex", "age", "below", "at"),
    [
        ("remaja", "P", 15, "11.9", "12.0"),  # remaja putri
        ("remaja", "P", 12, "11.9", "12.0"),
        ("remaja", "P", 10, "11.4", "11.5"),  # children 5–11 years
        ("remaja", "L", 13, "11.9", "12.0"),  # children 12–14 years
        ("remaja", "L", 16, "12.9", "13.0"),  # men from 15 years
        ("usia_produktif", "P", 30, "11.9", "12.0"),
        ("usia_produktif", "L", 30, "12.9", "13.0"),
        ("lansia", "L", 70, "12.9", "13.0"),
    ],
)
def test_anaemia_thresholds(stage, sex, age, below, at):
    assert flags(stage=stage, sex=sex, age_years=age, hb_g_dl=Decimal(below)) == ("anemia",)
    assert flags(stage=stage, sex=sex, age_years=age, hb_g_dl=Decimal(at)) == ()


# --- blood pressure ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("systolic", "diastolic", "expected"),
    [
        (119, 79, ()),
        (120, 79, ("pra_hipertensi",)),
        (119, 80, ("pra_hipertensi",)),
        (139, 89, ("pra_hipertensi",)),
        (140, 89, ("hipertensi",)),
        (139, 90, ("hipertensi",)),
        (180, 110, ("hipertensi",)),
    ],
)
def test_blood_pressure_classes(systolic, diastolic, expected):
    assert flags(systolic=systolic, diastolic=diastolic) == expected
    assert flags(stage="lansia", age_years=65, systolic=systolic, diastolic=diastolic) == expected


def test_blood_pressure_of_remaja_is_screened_from_15_years():
    assert flags(stage="remaja", age_years=14, systolic=150, diastolic=95) == ()
    assert flags(stage="remaja", age_years=15, systolic=150, diastolic=95) == ("hipertensi",)


def test_half_a_blood_pressure_raises_no_flag():
    assert flags(systolic=180) == ()


# --- glucose -------------------------------------------------------------------------------------


def test_random_glucose_from_200():
    assert flags(glucose_mg_dl=199) == ()
    assert flags(glucose_mg_dl=200) == ("gula_darah_tinggi",)


def test_fasting_glucose_from_126():
    assert flags(glucose_mg_dl=125, glucose_fasting=True) == ()
    assert flags(glucose_mg_dl=126, glucose_fasting=True) == ("gula_darah_tinggi",)
    assert flags(glucose_mg_dl=150, glucose_fasting=False) == ()


# --- central obesity -----------------------------------------------------------------------------


def test_waist_above_90_for_men_and_80_for_women():
    assert flags(sex="L", waist_cm=Decimal("90.0")) == ()
    assert flags(sex="L", waist_cm=Decimal("90.1")) == ("obesitas_sentral",)
    assert flags(sex="P", waist_cm=Decimal("80.0")) == ()
    assert flags(sex="P", waist_cm=Decimal("80.1")) == ("obesitas_sentral",)


def test_waist_of_remaja_is_screened_from_15_years():
    assert flags(stage="remaja", age_years=14, waist_cm=Decimal("85")) == ()
    assert flags(stage="remaja", age_years=15, waist_cm=Decimal("85")) == ("obesitas_sentral",)


# --- remaja BMI-for-age (Permenkes 2/2020, 5–18 years) -----------------------------------------


@pytest.mark.parametrize(
    ("z", "category", "flag"),
    [
        ("-3.01", RemajaBmiCategory.GIZI_BURUK, "gizi_buruk_remaja"),
        ("-3.00", RemajaBmiCategory.GIZI_KURANG, "gizi_kurang_remaja"),
        ("-2.01", RemajaBmiCategory.GIZI_KURANG, "gizi_kurang_remaja"),
        ("-2.00", RemajaBmiCategory.GIZI_BAIK, None),
        ("1.00", RemajaBmiCategory.GIZI_BAIK, None),
        ("1.01", RemajaBmiCategory.GIZI_LEBIH, "gizi_lebih_remaja"),
        ("2.00", RemajaBmiCategory.GIZI_LEBIH, "gizi_lebih_remaja"),
        ("2.01", RemajaBmiCategory.OBESITAS, "obesitas_remaja"),
        ("3.01", RemajaBmiCategory.OBESITAS, "obesitas_remaja"),
    ],
)
def test_remaja_bmi_for_age_edges(z, category, flag):
    assert screening.bmi_for_age_category_5_18(Decimal(z)) == category
    assert flags(stage="remaja", age_years=12, bmi_for_age_z=Decimal(z)) == ((flag,) if flag else ())


def test_remaja_without_a_z_score_get_no_bmi_flag_from_the_adult_table():
    assert flags(stage="remaja", age_years=12, weight_kg=Decimal("80"), height_cm=Decimal("150")) == ()


# --- lansia: AKS --------------------------------------------------------------------------------


@pytest.mark.parametrize("aks", [Aks.RINGAN, Aks.SEDANG, Aks.BERAT, Aks.TOTAL])
def test_any_dependency_in_daily_activities_is_flagged(aks):
    assert flags(stage="lansia", age_years=75, aks=aks) == ("aks_ketergantungan",)


def test_independent_lansia_is_not_flagged():
    assert flags(stage="lansia", age_years=75, aks=Aks.MANDIRI) == ()
    with pytest.raises(ValueError):
        flags(stage="lansia", age_years=75, aks="tidak_tahu")


# --- the result ----------------------------------------------------------------------------------


def test_flags_come_sorted_and_are_known_codes():
    result = flags(
        stage="lansia",
        sex="L",
        age_years=66,
        weight_kg=Decimal("85"),
        height_cm=Decimal("160"),
        waist_cm=Decimal("102"),
        systolic=150,
        diastolic=95,
        glucose_mg_dl=250,
        hb_g_dl=Decimal("11"),
        aks=Aks.RINGAN,
    )
    assert result == (
        "aks_ketergantungan",
        "anemia",
        "gula_darah_tinggi",
        "hipertensi",
        "obesitas",
        "obesitas_sentral",
    )
    assert set(result) <= set(ScreeningFlag.values)
    assert ScreeningFlag.KEK.label == "Risiko KEK (LiLA < 23,5 cm)"


def test_nothing_measured_means_no_flags():
    for stage in screening.STAGES:
        assert flags(stage=stage, age_years=12 if stage == "remaja" else 30) == ()


def test_unknown_stage_is_refused():
    with pytest.raises(ValueError):
        flags(stage="balita")


# --- WHO 2007 BMI-for-age z --------------------------------------------------------------------
# WHO rows (bfawho2007.txt of WHO's R package anthroplus): month: (L, M, S).
BOYS_112 = (-1.6753, 16.1692, 0.10214)
BOYS_119, BOYS_120 = (-1.7341, 16.4065, 0.10522), (-1.7407, 16.4433, 0.10566)
GIRLS_208 = (-0.9104, 21.1206, 0.14250)
BORN = datetime.date(2010, 3, 1)


def bmi_at(z: float, row: tuple) -> float:
    lv, mv, sv = row
    return mv * (1 + lv * sv * z) ** (1 / lv)


def z_5_18(sex, days, bmi, height=Decimal("140")) -> Decimal | None:
    weight = Decimal(repr(bmi)) * (height / 100) ** 2
    return screening.bmi_for_age_z_5_18(
        sex=sex,
        birth_date=BORN,
        measured_on=BORN + datetime.timedelta(days=days),
        weight_kg=weight,
        height_cm=height,
    )


@pytest.mark.parametrize("z", [-2, 0, 2])
def test_bmi_for_age_equals_who_2007_on_whole_month_rows(z):
    # 3409 days = 112 months exactly, 6331 days = 208 months (days / 30.4375).
    assert z_5_18("L", 3409, bmi_at(z, BOYS_112)) == Decimal(z).quantize(Decimal("0.01"))
    assert z_5_18("P", 6331, bmi_at(z, GIRLS_208)) == Decimal(z).quantize(Decimal("0.01"))


def test_bmi_for_age_interpolates_between_months_like_who_anthroplus():
    months = 3652 / 30.4375  # 119.98 months
    fraction = months - 119
    row = tuple(a + fraction * (b - a) for a, b in zip(BOYS_119, BOYS_120, strict=True))
    assert z_5_18("L", 3652, bmi_at(-2, row)) == Decimal("-2.00")


def test_bmi_for_age_matches_the_printed_who_2007_table_at_10_years():
    # WHO 2007 BMI-for-age at 10:0 years: boys median 16.4, −2 SD 13.7; girls median 16.6, −2 SD 13.5.
    ten_years = (datetime.date(2020, 3, 1) - BORN).days
    assert abs(z_5_18("L", ten_years, 16.4)) <= Decimal("0.05")
    assert abs(z_5_18("L", ten_years, 13.7) + 2) <= Decimal("0.05")
    assert abs(z_5_18("P", ten_years, 16.6)) <= Decimal("0.05")
    assert abs(z_5_18("P", ten_years, 13.5) + 2) <= Decimal("0.05")


def test_bmi_for_age_beyond_plus_3_uses_the_2_to_3_sd_distance():
    sd3, sd2 = bmi_at(3, BOYS_112), bmi_at(2, BOYS_112)
    assert z_5_18("L", 3409, sd3 + 0.5 * (sd3 - sd2)) == Decimal("3.50")


def test_bmi_for_age_is_given_from_61_to_228_months_only():
    assert z_5_18("L", 1826, 15.3) is None  # 59.99 months: the WHO 2006 standard applies
    assert z_5_18("L", 1857, 15.3) is not None  # 61.01 months
    assert z_5_18("P", 6939, 21.4) is not None  # 227.97 months
    assert z_5_18("P", 6940, 21.4) is None  # 228.01 months


def test_bmi_for_age_refuses_missing_measurements():
    with pytest.raises(ValueError):
        screening.bmi_for_age_z_5_18(
            sex="L",
            birth_date=BORN,
            measured_on=datetime.date(2020, 3, 1),
            weight_kg=Decimal("0"),
            height_cm=Decimal("140"),
        )
