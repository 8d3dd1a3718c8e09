"""Upper age limits of the immunisation schedule: a dose past its last age is not "terlambat"."""

import datetime

import pytest
from django.urls import reverse

from layanan import selectors
from layanan.schedule import Antigen, doses_due
from posyandu import dates
from posyandu.models import Keluarga, Sex
from tests.layanan.conftest import person

DAY = datetime.date(2026, 3, 10)


def due(birth_date, on=DAY, given=()):
    age_months = dates.months_between(birth_date, on)
    pairs = doses_due(age_months=age_months, age_days=dates.age_in_days(birth_date, on), given=set(given))
    return {str(dose.antigen): late for dose, late in pairs}


def test_hb0_is_due_in_the_first_week_only():
    assert due(DAY - datetime.timedelta(days=2)) == {Antigen.HB0: False}
    assert Antigen.HB0 not in due(DAY - datetime.timedelta(days=7))
    assert Antigen.HB0 not in due(DAY - datetime.timedelta(days=40))


@pytest.mark.parametrize("months", [12, 25])
def test_hb0_is_never_overdue_at_one_or_two_years(months):
    assert Antigen.HB0 not in due(dates.add_months(DAY, -months))


def test_bcg_is_overdue_before_the_first_birthday_and_not_given_after():
    assert due(dates.add_months(DAY, -11))[Antigen.BCG] is True
    assert Antigen.BCG not in due(dates.add_months(DAY, -12))


def test_rotavirus_stops_at_eight_months_but_dpt_catches_up():
    seven = due(dates.add_months(DAY, -7))
    assert seven[Antigen.RV_1] and seven[Antigen.RV_3]
    eight = due(dates.add_months(DAY, -8))
    assert not {Antigen.RV_1, Antigen.RV_2, Antigen.RV_3} & eight.keys()
    assert eight[Antigen.DPT_HB_HIB_1] is True


def test_pcv_primary_doses_stop_at_twelve_months_the_booster_stays():
    year = due(dates.add_months(DAY, -12))
    assert Antigen.PCV_1 not in year and Antigen.PCV_2 not in year
    assert year[Antigen.PCV_3] is False  # due this month, not yet late


def test_mr_and_polio_catch_up_until_59_months():
    old = due(dates.add_months(DAY, -59))
    assert old[Antigen.MR] and old[Antigen.POLIO_1] and old[Antigen.IPV_2]
    assert due(dates.add_months(DAY, -60)) == {}


def test_overdue_list_at_25_months_names_no_hb0_bcg_or_rotavirus(world, login, pinned_clock):
    pinned_clock(DAY)
    child = person(world.posyandu_a, "Dua Tahun", birth_date=dates.add_months(DAY, -25))
    row = next(r for r in selectors.immunisation_overdue(user=world.users["kader_a"], on=DAY) if r.warga == child)
    names = " ".join(row.doses)
    assert "HB0" not in names and "BCG" not in names and "Rotavirus" not in names and "PCV 1" not in names
    assert "DPT-HB-Hib 1" in names and "Campak-Rubela (MR)" in names
    html = login(world.users["kader_a"]).get(reverse("layanan:imunisasi_overdue")).content.decode()
    assert "Hepatitis B (HB0" not in html and "Dua Tahun" in html


def test_overdue_list_shows_whom_to_contact(world, login, pinned_clock):
    pinned_clock(DAY)
    keluarga = Keluarga.objects.create(
        posyandu=world.posyandu_a, head_name="Pak Rahman", rt="003", rw="001", address="Jl. Mawar 7"
    )
    mother = person(
        world.posyandu_a, "Siti Aminah", birth_date=datetime.date(1995, 1, 1), phone="081234567890", keluarga=keluarga
    )
    child = person(world.posyandu_a, "Rahmat", sex=Sex.LAKI_LAKI, birth_date=dates.add_months(DAY, -5), mother=mother)
    person(world.posyandu_a, "Tanpa Ibu", birth_date=dates.add_months(DAY, -5), mother_name="Ibu Rina")
    html = login(world.users["kader_a"]).get(reverse("layanan:imunisasi_overdue")).content.decode()
    assert child.name in html and "Siti Aminah" in html
    assert 'href="tel:081234567890"' in html and "Jl. Mawar 7, RT 003, RW 001" in html
    assert "Ibu Rina" in html and "Nomor HP belum dicatat" in html


def test_overdue_list_reads_in_two_queries_whatever_the_children(world, django_assert_num_queries, pinned_clock):
    pinned_clock(DAY)
    for index in range(5):
        mother = person(world.posyandu_a, f"Ibu {index}", birth_date=datetime.date(1995, 1, 1))
        person(world.posyandu_a, f"Anak {index}", birth_date=dates.add_months(DAY, -5), mother=mother)
    # 1: the children with posyandu, household, mother and mother's household; 2: their immunisations
    with django_assert_num_queries(2):
        rows = selectors.immunisation_overdue(user=world.users["kader_a"], on=DAY)
        assert [row.contact_address for row in rows] and [row.contact_phone for row in rows]
