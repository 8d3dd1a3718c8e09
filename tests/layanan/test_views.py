"""The opening-day screens: roster, one-screen entry (htmx and plain), batch table, scope, budgets."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from layanan import selectors, services
from layanan.models import Kunjungan, Rujukan
from posyandu import dates
from posyandu.models import Sex, Warga
from tests.layanan.conftest import person
from tests.pdf import pdf_text

D = Decimal
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def day(world, opening):
    return opening()


def entry_url(hari_buka, warga):
    return reverse("layanan:kunjungan_entry", args=[hari_buka.pk, warga.pk])


def test_kader_records_a_balita_with_comma_decimals_and_sees_results_without_reload(world, day, login):
    boy = person(world.posyandu_a, "Ahmad", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2025, 3, 10))
    nextone = person(world.posyandu_a, "Zaki", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2025, 1, 1))
    client = login(world.users["kader_a"])
    response = client.post(entry_url(day, boy), {"weight_kg": "9,6", "height_cm": "75,7", "position": "L"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tersimpan" in html and "BB/U" in html and "Berat badan normal" in html
    assert "<html" not in html  # a fragment swapped into the page, not a full page
    visit = Kunjungan.objects.get(warga=boy)
    assert visit.weight_kg == D("9.6")
    assert response["HX-Push-Url"] == reverse("layanan:kunjungan_result", args=[visit.pk])
    assert f"Berikutnya: {nextone.name}" in html


def test_without_javascript_the_entry_posts_and_redirects_to_the_result(world, day, login):
    girl = person(world.posyandu_a, "Bunga")
    client = login(world.users["kader_a"])
    response = client.post(entry_url(day, girl), {"weight_kg": "8.5"})
    visit = Kunjungan.objects.get(warga=girl)
    assert response.status_code == 302 and response.url == reverse("layanan:kunjungan_result", args=[visit.pk])
    assert "Tersimpan" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("sembilan", "Masukkan angka"),
        ("500", "di luar batas wajar"),
        ("-3", "di luar batas wajar"),
        ("", "Masukkan angka"),  # with a length that is not a number either
    ],
)
def test_bad_weight_is_refused_in_indonesian_and_the_form_keeps_what_was_typed(world, day, login, typed, message):
    girl = person(world.posyandu_a, "Cici")
    client = login(world.users["kader_a"])
    height = "74,5" if typed else "tujuh"
    response = client.post(entry_url(day, girl), {"weight_kg": typed, "height_cm": height, "notes": "rewel"}, **HTMX)
    html = response.content.decode()
    assert message in html
    assert f'value="{height}"' in html and 'value="rewel"' in html
    assert not Kunjungan.objects.exists()


def test_nothing_measured_is_refused(world, day, login):
    girl = person(world.posyandu_a, "Cinta")
    html = login(world.users["kader_a"]).post(entry_url(day, girl), {"notes": "tidak mau ditimbang"}, **HTMX)
    assert "Isi berat badan atau panjang" in html.content.decode()
    assert not Kunjungan.objects.exists()


def test_implausible_value_asks_for_confirmation_then_saves(world, day, login):
    baby = person(world.posyandu_a, "Dodi", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2025, 9, 10))
    client = login(world.users["kader_a"])
    response = client.post(entry_url(day, baby), {"weight_kg": "25"}, **HTMX)
    html = response.content.decode()
    assert "25 kg tidak mungkin untuk anak 6 bulan" in html and "timbang ulang" in html
    assert "Untuk petugas: z-score BB/U" in html  # the z-score stays, after the words, for staff
    assert 'name="confirm_implausible"' in html and 'value="25"' in html
    assert not Kunjungan.objects.exists()
    client.post(entry_url(day, baby), {"weight_kg": "25", "confirm_implausible": "on"}, **HTMX)
    assert Kunjungan.objects.get(warga=baby).implausible == ["wfa"]


def test_double_submit_saves_once_and_the_second_gets_a_link_to_the_first(world, day, login):
    girl = person(world.posyandu_a, "Euis")
    client = login(world.users["kader_a"])
    client.post(entry_url(day, girl), {"weight_kg": "8,5"}, **HTMX)
    response = client.post(entry_url(day, girl), {"weight_kg": "8,5"}, **HTMX)
    visit = Kunjungan.objects.get(warga=girl)
    assert "sudah dicatat" in response.content.decode()
    assert reverse("layanan:kunjungan_update", args=[visit.pk]) in response.content.decode()


def test_kader_of_another_posyandu_gets_404_and_pembina_cannot_record(world, day, login):
    girl = person(world.posyandu_a, "Fani")
    assert login(world.users["kader_b"]).get(entry_url(day, girl)).status_code in (403, 404)
    assert login(world.users["kecamatan_a"]).post(entry_url(day, girl), {"weight_kg": "8"}).status_code == 403
    assert login(world.users["kecamatan_a"]).get(day.get_absolute_url()).status_code == 200
    other = person(world.posyandu_b, "Gina")
    assert login(world.users["kader_a"]).get(entry_url(day, other)).status_code == 404
    assert not Kunjungan.objects.exists()


def _people(posyandu, n, start=0):
    for i in range(n):
        mother = person(posyandu, f"Ibu {start + i:03d}", birth_date=datetime.date(1996, 5, 5)) if i % 2 == 0 else None
        child = person(
            posyandu, f"Anak {start + i:03d}", birth_date=datetime.date(2024, 1 + i % 12, 1 + i % 27), mother=mother
        )
        if i % 3 == 0:
            person(posyandu, f"Lansia {start + i:03d}", birth_date=datetime.date(1950, 1, 1))
        if i % 4 == 0:
            services.imunisasi_record(
                warga=child, antigen="bcg", given_on=child.birth_date + datetime.timedelta(days=30), user=None
            )


@pytest.mark.parametrize("extra", [0, 30])
def test_opening_day_roster_query_count_does_not_grow_with_people(world, day, login, django_assert_num_queries, extra):
    _people(world.posyandu_a, 3 + extra)
    services.kehamilan_register(
        mother=person(world.posyandu_a, "Ibu Hamil", birth_date=datetime.date(1999, 1, 1)),
        registered_on=datetime.date(2026, 2, 1),
    )
    client = login(world.users["kader_a"])
    url = day.get_absolute_url()
    # session, user (+posyandu/desa), hari buka with posyandu, people with pregnancy,
    # this month's visits, last month's weights, immunisations, navigation context
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200
    assert "Ibu Hamil" in response.content.decode()


@pytest.mark.parametrize("extra", [0, 30])
def test_entry_post_query_count_does_not_grow_with_people(world, day, login, django_assert_num_queries, extra):
    _people(world.posyandu_a, 3 + extra)
    child = person(world.posyandu_a, "Hadi", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2025, 3, 10))
    client = login(world.users["kader_a"])
    # session, user; hari buka; the child; doses given (form choices); atomic: duplicate check,
    # month not locked (approved report), latest earlier weighing (N/T), insert, its audit-trail row
    # (+3 savepoint statements), next month's weighing (its N/T follows this one); the result card:
    # the next person to see (one query), doses of this visit
    with django_assert_num_queries(17):
        client.post(entry_url(day, child), {"weight_kg": "9,6", "height_cm": "75"}, **HTMX)
    assert Kunjungan.objects.filter(warga=child).exists()


def test_batch_table_saves_all_rows_at_once_or_nothing_and_keeps_typed_values(world, day, login):
    a = person(world.posyandu_a, "Ani", birth_date=datetime.date(2025, 3, 1))
    b = person(world.posyandu_a, "Beni", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2024, 6, 1))
    client = login(world.users["kader_a"])
    url = reverse("layanan:haribuka_batch", args=[day.pk])
    page = client.get(url).content.decode()
    assert "Ani" in page and "Beni" in page
    bad = {"r0-warga": a.pk, "r0-weight_kg": "9,1", "r1-warga": b.pk, "r1-weight_kg": "abc"}
    response = client.post(url, bad)
    html = response.content.decode()
    assert "Masukkan angka" in html and 'value="9,1"' in html
    assert not Kunjungan.objects.exists()
    good = {"r0-warga": a.pk, "r0-weight_kg": "9,1", "r0-height_cm": "76", "r1-warga": b.pk, "r1-weight_kg": "11.2"}
    assert client.post(url, good).status_code == 302
    assert Kunjungan.objects.count() == 2


def test_referral_is_recorded_and_followed_up(world, day, login):
    boy = person(world.posyandu_a, "Iwan", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2025, 3, 10))
    visit = services.kunjungan_record(
        warga=boy, user=world.users["kader_a"], hari_buka=day, values={"weight_kg": D("6.5")}
    )
    assert visit.bgm
    client = login(world.users["kader_a"])
    page = client.get(reverse("layanan:kunjungan_result", args=[visit.pk])).content.decode()
    assert "Perlu dirujuk" in page and "BGM" in page
    response = client.post(
        reverse("layanan:rujukan_create", args=[visit.pk]),
        {"destination": "puskesmas", "referred_on": "2026-03-10", "reasons": "BGM"},
    )
    assert response.status_code == 302
    rujukan = Rujukan.objects.get()
    assert "Iwan" in client.get(reverse("layanan:rujukan_list")).content.decode()
    response = client.post(
        reverse("layanan:rujukan_follow_up", args=[rujukan.pk]),
        {"status": "dilayani", "follow_up_on": "2026-03-01", "notes": ""},
    )
    assert "tidak boleh sebelum" in response.content.decode()
    client.post(
        reverse("layanan:rujukan_follow_up", args=[rujukan.pk]),
        {"status": "dilayani", "follow_up_on": "2026-03-12", "notes": "diberi PMT"},
    )
    rujukan.refresh_from_db()
    assert rujukan.status == "dilayani"


def test_health_page_shows_the_kms_chart_with_the_childs_points(world, day, login):
    boy = person(world.posyandu_a, "Joni", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2025, 3, 10))
    services.kunjungan_record(warga=boy, user=world.users["kader_a"], hari_buka=day, values={"weight_kg": D("9.6")})
    html = login(world.users["kecamatan_a"]).get(reverse("layanan:warga_health", args=[boy.pk])).content.decode()
    assert "<svg" in html and "<circle" in html and "Joni" in html


def test_overdue_immunisation_list_shows_children_past_their_dose(world, login):
    late = person(world.posyandu_a, "Kurnia", birth_date=datetime.date(2025, 10, 1))
    person(world.posyandu_b, "Lain Posyandu", birth_date=datetime.date(2025, 10, 1))
    html = login(world.users["kader_a"]).get(reverse("layanan:imunisasi_overdue")).content.decode()
    assert late.name in html and "BCG" in html and "Lain Posyandu" not in html


def test_opening_day_sheet_pdf_lists_the_balita_and_what_is_due(world, day, login):
    person(world.posyandu_a, "Maya Lestari", birth_date=datetime.date(2025, 10, 1))
    response = login(world.users["kader_a"]).get(reverse("laporan:lembar_hari_buka", args=[day.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Maya Lestari" in text and "Posyandu Mawar" in text and "Halaman 1 dari 1" in text
    assert "BCG (terlambat)" in text and "5 bulan" in text  # age on the opening day, not today


def test_kader_opens_todays_opening_day_from_home_and_a_second_tap_reopens_it(world, login):
    client = login(world.users["kader_a"])
    home = client.get(reverse("posyandu:home")).content.decode()
    assert "Mulai hari buka hari ini" in home
    today = dates.today().isoformat()
    first = client.post(reverse("layanan:haribuka_create"), {"posyandu": world.posyandu_a.pk, "date": today})
    again = client.post(reverse("layanan:haribuka_create"), {"posyandu": world.posyandu_a.pk, "date": today})
    assert first.status_code == again.status_code == 302 and first.url == again.url
    hari_buka = world.posyandu_a.hari_buka.get()
    assert hari_buka.reporting_month == dates.this_month()


def test_opening_day_for_a_posyandu_outside_scope_or_in_the_future_is_refused(world, login):
    client = login(world.users["kader_a"])
    response = client.post(reverse("layanan:haribuka_create"), {"posyandu": world.posyandu_b.pk, "date": "2026-03-10"})
    assert response.status_code == 200 and "Pilih" in response.content.decode()
    future = (dates.today() + datetime.timedelta(days=2)).isoformat()
    response = client.post(reverse("layanan:haribuka_create"), {"posyandu": world.posyandu_a.pk, "date": future})
    assert "masa depan" in response.content.decode()
    assert not world.posyandu_a.hari_buka.exists() and not world.posyandu_b.hari_buka.exists()


def test_home_visit_for_an_absent_child_uses_its_own_date_and_month(world, login):
    girl = person(world.posyandu_a, "Nina", birth_date=datetime.date(2025, 1, 1))
    client = login(world.users["kader_a"])
    url = reverse("layanan:kunjungan_rumah", args=[girl.pk])
    assert "Tanggal kunjungan" in client.get(url).content.decode()
    response = client.post(url, {"visit_date": "2026-03-21", "reporting_month": "2026-03", "weight_kg": "9,2"})
    assert response.status_code == 302
    visit = Kunjungan.objects.get(warga=girl)
    assert (visit.kind, visit.visit_date, visit.reporting_month) == (
        "rumah",
        datetime.date(2026, 3, 21),
        datetime.date(2026, 3, 1),
    )


def test_correcting_a_visit_through_the_form_keeps_one_record(world, day, login):
    boy = person(world.posyandu_a, "Oman", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2025, 3, 10))
    visit = services.kunjungan_record(
        warga=boy, user=world.users["kader_a"], hari_buka=day, values={"weight_kg": D("9.0")}
    )
    client = login(world.users["pengurus_a"])
    url = reverse("layanan:kunjungan_update", args=[visit.pk])
    assert 'value="9' in client.get(url).content.decode()
    assert client.post(url, {"weight_kg": "9,6", "height_cm": "75,7", "position": "L"}).status_code == 302
    visit.refresh_from_db()
    assert visit.weight_kg == D("9.6") and visit.z_lhfa is not None
    assert Kunjungan.objects.count() == 1


def test_pregnancy_registered_then_birth_creates_the_baby_through_the_screens(world, login):
    mother = person(world.posyandu_a, "Putri", birth_date=datetime.date(1997, 5, 5))
    client = login(world.users["kader_a"])
    response = client.post(
        reverse("layanan:kehamilan_create", args=[mother.pk]), {"registered_on": "2026-01-10", "hpht": "2025-12-01"}
    )
    assert response.status_code == 302
    pregnancy = mother.kehamilan_set.get()
    assert pregnancy.due_date == datetime.date(2026, 9, 7)
    response = client.post(
        reverse("layanan:kehamilan_end", args=[pregnancy.pk]),
        {"outcome": "lahir_hidup", "ended_on": "2026-08-30", "baby_name": "", "baby_sex": ""},
    )
    assert "Isi nama bayi" in response.content.decode() and "Pilih jenis kelamin" in response.content.decode()
    response = client.post(
        reverse("layanan:kehamilan_end", args=[pregnancy.pk]),
        {"outcome": "lahir_hidup", "ended_on": "2026-08-30", "baby_name": "Bayi Ny. Putri", "baby_sex": "P"},
    )
    pregnancy.refresh_from_db()
    assert response.url == reverse("layanan:warga_health", args=[pregnancy.baby_id])
    assert pregnancy.baby.mother == mother


def test_past_dose_recorded_once_and_a_repeat_is_refused(world, login):
    baby = person(world.posyandu_a, "Rani", birth_date=datetime.date(2025, 12, 1))
    client = login(world.users["kader_a"])
    url = reverse("layanan:imunisasi_create", args=[baby.pk])
    client.post(url, {"antigen": "bcg", "given_on": "2026-01-02", "place": "Puskesmas"})
    response = client.post(url, {"antigen": "bcg", "given_on": "2026-01-05"})
    assert response.status_code == 200  # BCG is no longer offered: the choice is refused
    assert baby.imunisasi_set.count() == 1
    response = client.post(url, {"antigen": "polio_1", "given_on": "2025-11-01"})
    assert "sebelum tanggal lahir" in response.content.decode()


@pytest.mark.parametrize("extra_visits", [1, 12])
def test_health_record_query_count_does_not_grow_with_visits(world, login, django_assert_num_queries, extra_visits):
    boy = person(world.posyandu_a, "Sani", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2024, 1, 5))
    for month in range(extra_visits):
        services.kunjungan_record(
            warga=boy,
            user=world.users["kader_a"],
            visit_date=datetime.date(2025, 1 + month, 10),
            values={"weight_kg": D("9") + D(month) / 10},
        )
    client = login(world.users["kecamatan_a"])
    # session, user; the person; visits (with posyandu, referral); immunisations; pregnancies;
    # due list: doses given, this month's visit
    with django_assert_num_queries(8):
        assert client.get(reverse("layanan:warga_health", args=[boy.pk])).status_code == 200


def test_home_visit_and_correction_answer_htmx_with_fragments_not_whole_pages(world, day, login):
    girl = person(world.posyandu_a, "Tari", birth_date=datetime.date(2025, 1, 1))
    client = login(world.users["kader_a"])
    url = reverse("layanan:kunjungan_rumah", args=[girl.pk])
    bad = client.post(url, {"visit_date": "2026-03-21", "weight_kg": "x"}, **HTMX).content.decode()
    assert "Masukkan angka" in bad and "<html" not in bad
    saved = client.post(url, {"visit_date": "2026-03-21", "weight_kg": "9,2"}, **HTMX)
    assert "Tersimpan" in saved.content.decode() and "<html" not in saved.content.decode()
    visit = Kunjungan.objects.get(warga=girl)
    fixed = client.post(reverse("layanan:kunjungan_update", args=[visit.pk]), {"weight_kg": "9,3"}, **HTMX)
    assert "Tersimpan" in fixed.content.decode() and "<html" not in fixed.content.decode()
    assert fixed["HX-Push-Url"] == reverse("layanan:kunjungan_result", args=[visit.pk])


def test_the_next_person_after_a_save_is_the_rosters_next_balita_or_pregnant_woman_not_yet_seen(world, day):
    """``next_to_see`` (one query) gives what the whole roster's ``next_in_roster`` gives, after anyone."""
    _people(world.posyandu_a, 9)
    expecting = person(world.posyandu_a, "Ibu Hamil Daeng", birth_date=datetime.date(1999, 1, 1))
    services.kehamilan_register(mother=expecting, registered_on=datetime.date(2026, 2, 1))
    person(world.posyandu_a, "Anak Enam Tahun", birth_date=datetime.date(2020, 1, 1))  # no longer a balita
    moved = person(world.posyandu_a, "Anak Pindah", birth_date=datetime.date(2025, 6, 1))
    Warga.objects.filter(pk=moved.pk).update(status=Warga.Status.PINDAH, status_date=datetime.date(2026, 1, 1))
    everyone = list(Warga.objects.filter(posyandu=world.posyandu_a).order_by("name"))
    children = [w for w in everyone if w.name.startswith("Anak 0")]
    for seen in children[::3]:  # some already weighed this month
        services.kunjungan_record(
            warga=seen, user=world.users["kader_a"], hari_buka=day, values={"weight_kg": Decimal("9.1")}
        )
    compared = 0
    for after in everyone:
        sections = selectors.roster(posyandu=world.posyandu_a, on=day.date, month=day.reporting_month)
        expected = selectors.next_in_roster(sections, after)
        found = selectors.next_to_see(posyandu=world.posyandu_a, on=day.date, month=day.reporting_month, after=after)
        assert (found and found.pk) == (expected and expected.warga.pk), after.name
        compared += expected is not None
    assert compared == len(everyone)  # the comparison was never only "both None"
    # the pregnant woman comes after the balita; once everyone is seen there is nobody next
    assert selectors.next_to_see(posyandu=world.posyandu_a, on=day.date, month=day.reporting_month,
                                 after=children[-1]).pk in {expecting.pk, *[c.pk for c in children]}  # fmt: skip
    for warga in [*children, expecting]:
        if not Kunjungan.objects.filter(warga=warga).exists():
            weight = Decimal("60") if warga == expecting else Decimal("9.1")
            services.kunjungan_record(warga=warga, user=world.users["kader_a"], hari_buka=day,
                                      values={"weight_kg": weight})  # fmt: skip
    assert (
        selectors.next_to_see(posyandu=world.posyandu_a, on=day.date, month=day.reporting_month, after=expecting)
        is None
    )


@pytest.mark.parametrize(
    ("seen", "months"),
    [
        (datetime.date(2026, 7, 10), 5),  # a plain month difference says 6
        (datetime.date(2026, 7, 19), 5),
        (datetime.date(2026, 7, 20), 6),
    ],
)
def test_the_visit_form_asks_by_completed_months_of_age(seen, months):
    """Born 20 January and seen 10 July is 5 completed months: still asked about exclusive
    breastfeeding (under 6 months) and not yet given deworming (from 6 months)."""
    from layanan.forms import KunjunganForm
    from posyandu.models import LifeStage

    child = Warga(name="Dewi", sex=Sex.PEREMPUAN, birth_date=datetime.date(2026, 1, 20))
    assert dates.months_between(child.birth_date, seen) == months
    form = KunjunganForm(warga=child, stage=LifeStage.BALITA, on=seen)
    assert ("exclusive_breastfeeding" in form.fields) is (months < 6)
    assert ("deworming" in form.fields) is (months >= 6)
