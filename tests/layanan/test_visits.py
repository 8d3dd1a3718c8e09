"""Recording visits: z-scores stored with the visit, N/T, implausible values, duplicates, bad input."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from layanan import services
from layanan.models import Imunisasi, Kunjungan
from layanan.schedule import Antigen
from posyandu import dates
from posyandu.models import LifeStage, Sex
from tests.layanan.conftest import person

D = Decimal


def record(world, warga, hari_buka, **values):
    antigens = values.pop("antigens", ())
    confirm = values.pop("confirm_implausible", False)
    return services.kunjungan_record(
        warga=warga,
        user=world.users["kader_a"],
        hari_buka=hari_buka,
        values=values,
        antigens=antigens,
        confirm_implausible=confirm,
    )


def test_reporting_month_is_explicit_and_may_be_the_previous_month(world, opening):
    hari_buka = opening(date=datetime.date(2026, 3, 2), reporting_month=datetime.date(2026, 2, 1))
    assert hari_buka.reporting_month == datetime.date(2026, 2, 1)
    with pytest.raises(ValidationError) as error:
        opening(date=datetime.date(2026, 5, 2), reporting_month=datetime.date(2026, 2, 1))
    assert "Bulan laporan" in str(error.value)


def test_second_opening_day_on_the_same_date_is_refused(world, opening):
    opening()
    with pytest.raises(ValidationError, match="sudah ada"):
        opening()


def test_boy_of_twelve_months_at_the_who_median_weight_gets_z_zero(world, opening):
    boy = person(world.posyandu_a, "Ahmad", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2025, 3, 10))
    visit = record(world, boy, opening(), weight_kg=D("9.6"), height_cm=D("75.7"))
    assert visit.stage == LifeStage.BALITA
    assert visit.age_days == 365
    assert abs(visit.z_wfa) <= D("0.05")
    assert visit.cat_wfa == "normal"
    assert visit.position == "L"  # lying under 24 months
    assert visit.growth_code == "B"  # first weighing


def test_girl_of_24_months_80_cm_lying_is_at_minus_two_after_the_lying_correction(world, opening):
    girl = person(world.posyandu_a, "Siti", birth_date=datetime.date(2024, 3, 9))  # 731 days on 10 March 2026
    visit = record(world, girl, opening(), weight_kg=D("10.2"), height_cm=D("80.0"), position="L")
    # From 731 days WHO expects standing height: a lying length counts 0.7 cm less (WHO 2006).
    assert visit.height_adjusted_cm == D("79.3")
    assert abs(visit.z_lhfa + 2) <= D("0.05")
    shorter = person(world.posyandu_a, "Sari", birth_date=datetime.date(2024, 3, 9))
    stunted = record(world, shorter, visit.hari_buka, weight_kg=D("9.5"), height_cm=D("77.0"), position="L")
    assert stunted.cat_lhfa == "pendek" and stunted.stunted


def test_age_is_taken_at_the_measurement_date_not_today(world, opening):
    boy = person(world.posyandu_a, "Budi", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2025, 3, 10))
    march = record(world, boy, opening(date=datetime.date(2026, 3, 10)), weight_kg=D("9.6"))
    april = record(world, boy, opening(date=datetime.date(2026, 4, 10)), weight_kg=D("9.6"))
    assert (march.age_days, april.age_days) == (365, 396)
    assert april.z_wfa < march.z_wfa


def test_weight_gain_n_then_t_then_2t_and_o_after_a_missed_month(world, opening):
    boy = person(world.posyandu_a, "Candra", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2025, 5, 1))
    jan = record(world, boy, opening(date=datetime.date(2026, 1, 10)), weight_kg=D("8.00"))
    feb = record(world, boy, opening(date=datetime.date(2026, 2, 10)), weight_kg=D("8.30"))  # 9 months: KBM 300 g
    mar = record(world, boy, opening(date=datetime.date(2026, 3, 10)), weight_kg=D("8.50"))  # 10 months: 200 < 300
    apr = record(world, boy, opening(date=datetime.date(2026, 4, 10)), weight_kg=D("8.60"))  # 11 months: 100 < 200
    jun = record(world, boy, opening(date=datetime.date(2026, 6, 10)), weight_kg=D("9.00"))  # May missed
    assert [v.growth_code for v in (jan, feb, mar, apr, jun)] == ["B", "N", "T", "T", "O"]
    assert [v.two_t for v in (jan, feb, mar, apr, jun)] == [False, False, False, True, False]
    assert feb.weight_gain_g == 300 and mar.weight_gain_g == 200
    assert "2T" in apr.referral_reasons[0]


def test_correcting_a_weight_recomputes_next_months_n_t(world, opening):
    girl = person(world.posyandu_a, "Dewi", birth_date=datetime.date(2025, 5, 1))
    feb = record(world, girl, opening(date=datetime.date(2026, 2, 10)), weight_kg=D("8.00"))
    mar = record(world, girl, opening(date=datetime.date(2026, 3, 10)), weight_kg=D("8.10"))
    assert mar.growth_code == "T"
    services.kunjungan_record(warga=girl, user=world.users["kader_a"], instance=feb, values={"weight_kg": D("7.70")})
    mar.refresh_from_db()
    assert mar.growth_code == "N" and mar.weight_gain_g == 400


def test_implausible_weight_is_not_stored_until_the_kader_confirms(world, opening):
    baby = person(world.posyandu_a, "Eka", birth_date=datetime.date(2025, 9, 10))
    hari_buka = opening()
    with pytest.raises(services.ImplausibleMeasurement) as error:
        record(world, baby, hari_buka, weight_kg=D("25"))
    assert "25 kg tidak mungkin untuk anak 6 bulan" in str(error.value) and "BB/U" in str(error.value)
    assert not Kunjungan.objects.exists()
    visit = record(world, baby, hari_buka, weight_kg=D("25"), confirm_implausible=True)
    assert visit.implausible == ["wfa"]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"weight_kg": D("500")}, "weight_kg", "di luar batas wajar"),
        ({"weight_kg": D("9"), "height_cm": D("300")}, "height_cm", "di luar batas wajar"),
        ({"weight_kg": D("-1")}, "weight_kg", "di luar batas wajar"),
        ({}, "weight_kg", "Isi berat badan"),
    ],
)
def test_absurd_balita_values_are_refused_with_a_message_and_nothing_is_saved(world, opening, values, field, message):
    child = person(world.posyandu_a, "Fajar", sex=Sex.LAKI_LAKI)
    with pytest.raises(ValidationError) as error:
        record(world, child, opening(), **values)
    assert message in " ".join(error.value.message_dict[field])
    assert not Kunjungan.objects.exists()


def test_second_visit_in_the_same_month_links_to_the_first(world, opening):
    child = person(world.posyandu_a, "Gita")
    first = record(world, child, opening(date=datetime.date(2026, 3, 3)), weight_kg=D("9"))
    with pytest.raises(services.DuplicateVisit) as error:
        record(world, child, opening(date=datetime.date(2026, 3, 17)), weight_kg=D("9.1"))
    assert f"/kesehatan/kunjungan/{first.pk}/ubah/" in error.value.messages[0]
    assert "sudah dicatat" in error.value.messages[0]


def test_database_refuses_a_duplicate_visit_even_without_the_service(world, opening):
    child = person(world.posyandu_a, "Hana")
    first = record(world, child, opening(), weight_kg=D("9"))
    first.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        first.save()


def test_home_visit_in_the_same_month_is_a_different_kind_and_allowed(world, opening):
    child = person(world.posyandu_a, "Indah")
    record(world, child, opening(), weight_kg=D("9"))
    home = services.kunjungan_record(
        warga=child,
        user=world.users["kader_a"],
        visit_date=datetime.date(2026, 3, 20),
        values={"weight_kg": D("9.2")},
    )
    assert home.kind == Kunjungan.Kind.RUMAH and home.hari_buka is None
    assert home.reporting_month == datetime.date(2026, 3, 1)


def test_visit_before_birth_and_in_the_future_are_refused(world, opening):
    child = person(world.posyandu_a, "Joko", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2026, 3, 20))
    with pytest.raises(ValidationError, match="sebelum tanggal lahir"):
        record(world, child, opening(), weight_kg=D("3"))
    with pytest.raises(ValidationError, match="masa depan"):
        services.kunjungan_record(
            warga=child,
            user=world.users["kader_a"],
            visit_date=dates.today() + datetime.timedelta(days=3),
            values={"weight_kg": D("3")},
        )


def test_doses_given_at_the_visit_are_recorded_once_and_leave_the_due_list(world, opening):
    from layanan.selectors import person_due

    baby = person(world.posyandu_a, "Kiki", birth_date=datetime.date(2026, 1, 5))
    record(world, baby, opening(), weight_kg=D("5.5"), antigens=[Antigen.DPT_HB_HIB_1, Antigen.PCV_1])
    assert set(Imunisasi.objects.filter(warga=baby).values_list("antigen", flat=True)) == {"dpt_hb_hib_1", "pcv_1"}
    due = [item.label for item in person_due(warga=baby, on=datetime.date(2026, 3, 10))]
    assert "BCG" in due and "PCV 1" not in due


def test_vitamin_a_capsule_must_match_the_age(world, opening):
    baby = person(world.posyandu_a, "Lina", birth_date=datetime.date(2025, 6, 1))  # 8 months in February
    hari_buka = opening(date=datetime.date(2026, 2, 10))
    with pytest.raises(ValidationError) as error:
        record(world, baby, hari_buka, weight_kg=D("8"), vitamin_a="merah")
    assert "biru" in " ".join(error.value.message_dict["vitamin_a"]).lower()
    assert record(world, baby, hari_buka, weight_kg=D("8"), vitamin_a="biru").vitamin_a == "biru"


def test_pregnant_woman_with_small_lila_is_flagged_kek_and_suggested_for_referral(world, opening):
    mother = person(world.posyandu_a, "Mira", birth_date=datetime.date(2000, 1, 1))
    pregnancy = services.kehamilan_register(
        mother=mother, registered_on=datetime.date(2026, 1, 5), hpht=datetime.date(2025, 12, 1)
    )
    visit = record(world, mother, opening(), weight_kg=D("48"), muac_cm=D("22.5"), systolic=120, diastolic=80)
    assert visit.stage == LifeStage.IBU_HAMIL and visit.kehamilan == pregnancy
    assert visit.gestational_weeks == 14
    assert "kek" in visit.screening_flags
    assert any("KEK" in reason for reason in visit.referral_reasons)


def test_live_birth_creates_the_baby_linked_to_the_mother(world):
    mother = person(world.posyandu_a, "Nur", birth_date=datetime.date(1998, 1, 1))
    pregnancy = services.kehamilan_register(mother=mother, registered_on=datetime.date(2026, 1, 5))
    services.kehamilan_end(
        kehamilan=pregnancy,
        outcome="lahir_hidup",
        ended_on=datetime.date(2026, 6, 1),
        baby_name="Bayi Ny. Nur",
        baby_sex=Sex.LAKI_LAKI,
        birth_weight_kg=D("3.1"),
    )
    pregnancy.refresh_from_db()
    assert pregnancy.baby.mother == mother and pregnancy.baby.posyandu == world.posyandu_a
    assert pregnancy.baby.birth_date == datetime.date(2026, 6, 1)


def test_a_man_cannot_be_registered_pregnant(world):
    man = person(world.posyandu_a, "Oki", sex=Sex.LAKI_LAKI, birth_date=datetime.date(1990, 1, 1))
    with pytest.raises(ValidationError, match="perempuan"):
        services.kehamilan_register(mother=man, registered_on=datetime.date(2026, 1, 5))


def test_adult_screening_flags_hypertension_and_computes_bmi(world, opening):
    adult = person(world.posyandu_a, "Pak Rahman", sex=Sex.LAKI_LAKI, birth_date=datetime.date(1970, 1, 1))
    visit = record(world, adult, opening(), weight_kg=D("80"), height_cm=D("165"), systolic=150, diastolic=95)
    assert visit.stage == LifeStage.USIA_PRODUKTIF
    assert visit.bmi == D("29.4")
    assert "hipertensi" in visit.screening_flags


def test_blood_pressure_needs_both_numbers_and_systolic_above_diastolic(world, opening):
    adult = person(world.posyandu_a, "Bu Ratna", birth_date=datetime.date(1960, 1, 1))
    hari_buka = opening()
    with pytest.raises(ValidationError) as error:
        record(world, adult, hari_buka, systolic=120)
    assert "diastolic" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        record(world, adult, hari_buka, systolic=80, diastolic=120)
    assert "Sistolik harus lebih besar" in " ".join(error.value.message_dict["systolic"])
