"""The entry screen for a phone in a hand: last weighing beside the weight, gestational age filled
in, implausible values in words a kader can act on, the roster's search data."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from layanan import growth, services
from posyandu import dates
from posyandu.models import Sex, SpmField
from tests.layanan.conftest import person

D = Decimal
HTMX = {"HTTP_HX_REQUEST": "true"}
BOY_BORN = datetime.date(2025, 3, 10)  # 12 months on the opening day, 10 March 2026


@pytest.fixture
def day(world, opening):
    return opening()


def advice(weight=None, height=None, *, sex=Sex.LAKI_LAKI, born=BOY_BORN, on=datetime.date(2026, 3, 10)):
    weight = None if weight is None else D(weight)
    height = None if height is None else D(height)
    result = growth.balita_growth(sex=sex, birth_date=born, measured_on=on, weight_kg=weight, height_cm=height)
    months = growth.completed_months(born, on)
    return growth.implausible_advice(result, sex=sex, age_months=months, weight_kg=weight, height_cm=height)


def test_a_heavy_one_year_old_is_explained_in_words_with_the_usual_range():
    assert advice("30") == ["30 kg tidak mungkin untuk anak 12 bulan (biasanya 6,9–13,3 kg) — timbang ulang."]


def test_a_light_weight_asks_to_check_the_scale_first():
    (sentence,) = advice("2")
    assert sentence.startswith("2 kg terlalu ringan untuk anak 12 bulan") and "timbangan di angka nol" in sentence


def test_a_length_out_of_range_names_length_and_what_to_do():
    sentences = advice("9", "40")
    assert sentences[0].startswith("Panjang 40 cm terlalu pendek untuk anak 12 bulan") and "ukur ulang" in sentences[0]
    assert (
        sentences[1]
        == "Berat 9 kg tidak cocok dengan panjang 40 cm — timbang dan ukur ulang, periksa angka yang diketik."
    )


def test_a_standing_child_is_told_tinggi_not_panjang():
    sentences = advice("13", "160", born=datetime.date(2023, 3, 10))
    assert sentences[0].startswith("Tinggi 160 cm tidak mungkin untuk anak 3 th 0 bln")


def test_a_plausible_value_has_no_advice():
    assert advice("9,6".replace(",", "."), "75") == []


def test_the_entry_screen_shows_the_last_weighing_beside_the_weight(world, login, opening):
    boy = person(world.posyandu_a, "Ahmad", sex=Sex.LAKI_LAKI, birth_date=BOY_BORN)
    february = opening(date=datetime.date(2026, 2, 10))
    services.kunjungan_record(
        warga=boy, user=world.users["kader_a"], hari_buka=february, values={"weight_kg": D("9.20")}
    )
    march = opening()
    html = (
        login(world.users["kader_a"]).get(reverse("layanan:kunjungan_entry", args=[march.pk, boy.pk])).content.decode()
    )
    assert "Terakhir: 9,2 kg, 10 Feb 2026" in html


def test_the_entry_screen_for_a_first_weighing_shows_no_last_weight(world, login, day):
    girl = person(world.posyandu_a, "Bunga")
    html = (
        login(world.users["kader_a"]).get(reverse("layanan:kunjungan_entry", args=[day.pk, girl.pk])).content.decode()
    )
    assert "Terakhir:" not in html


def test_gestational_age_is_filled_in_from_the_pregnancy_on_the_visit_date(world, login, day):
    mother = person(world.posyandu_a, "Sari", birth_date=datetime.date(1996, 5, 1))
    services.kehamilan_register(mother=mother, registered_on=datetime.date(2026, 1, 5), hpht=datetime.date(2025, 12, 1))
    html = (
        login(world.users["kader_a"]).get(reverse("layanan:kunjungan_entry", args=[day.pk, mother.pk])).content.decode()
    )
    # 1 December 2025 to 10 March 2026 is 99 days: 14 completed weeks
    assert 'name="gestational_weeks" value="14"' in html and "Dihitung dari HPHT/HPL" in html


def test_gestational_age_from_the_hpl_when_no_hpht(world, login, day):
    mother = person(world.posyandu_a, "Rina", birth_date=datetime.date(1994, 5, 1))
    services.kehamilan_register(
        mother=mother, registered_on=datetime.date(2026, 1, 5), due_date=datetime.date(2026, 9, 7)
    )
    html = (
        login(world.users["kader_a"]).get(reverse("layanan:kunjungan_entry", args=[day.pk, mother.pk])).content.decode()
    )
    # HPL 7 Sep 2026 − 280 days = 1 Dec 2025: the same 14 weeks
    assert 'name="gestational_weeks" value="14"' in html


def test_an_implausible_entry_leads_with_words_and_keeps_what_was_typed(world, login, day):
    boy = person(world.posyandu_a, "Ahmad", sex=Sex.LAKI_LAKI, birth_date=BOY_BORN)
    response = login(world.users["kader_a"]).post(
        reverse("layanan:kunjungan_entry", args=[day.pk, boy.pk]), {"weight_kg": "30", "height_cm": "75,5"}, **HTMX
    )
    html = response.content.decode()
    words = html.index("30 kg tidak mungkin untuk anak 12 bulan")
    assert words < html.index("Untuk petugas: z-score BB/U")
    assert 'value="30"' in html and 'value="75,5"' in html and 'name="confirm_implausible"' in html


def test_the_roster_carries_name_and_mothers_name_for_the_search(world, login, day):
    mother = person(world.posyandu_a, "Siti Aminah", birth_date=datetime.date(1995, 1, 1))
    person(world.posyandu_a, "Rahmat", sex=Sex.LAKI_LAKI, mother=mother, kia_number="KIA 12/2025")
    html = login(world.users["kader_a"]).get(day.get_absolute_url()).content.decode()
    assert 'data-search="rahmat siti aminah kia 12/2025"' in html
    assert "Belum" in html and "Kunjungan rumah" in html


def test_home_says_continue_once_todays_opening_day_is_open(world, login, opening):
    client = login(world.users["kader_a"])
    assert "Mulai hari buka hari ini" in client.get(reverse("posyandu:home")).content.decode()
    today = opening(date=dates.today())
    home = client.get(reverse("posyandu:home")).content.decode()
    assert "Hari buka sudah dibuka — lanjutkan" in home and today.get_absolute_url() in home
    assert "Mulai hari buka hari ini" not in home


def test_a_housing_kader_sees_their_fields_task_first_not_scales_and_buku_kia(world, login, bidang_kader):
    home = login(bidang_kader[SpmField.PERUMAHAN_RAKYAT]).get(reverse("posyandu:home")).content.decode()
    assert "Survei kondisi rumah (RTLH)" in home and "Buka tugas bidang saya" in home
    assert "Buku KIA" not in home and "Mulai hari buka" not in home
    assert home.index("Tugas bidang") < home.index("Pengurus saat ini")


def test_a_kaders_home_keeps_the_pengurus_list_folded_and_last(world, login):
    home = login(world.users["kader_a"]).get(reverse("posyandu:home")).content.decode()
    assert "<details" in home and home.index("Hari buka") < home.index("Pengurus saat ini")
    assert home.index("Siapkan timbangan") < home.index("Jabatan pengurus yang kosong")  # own task first
