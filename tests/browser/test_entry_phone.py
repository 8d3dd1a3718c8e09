"""The entry screen for a phone in a hand (issue 16): the roster's search, touch targets and contrast,
saves that fail online (server error, lost connection, timeout, expired session) keeping the values,
the KMS chart at 360 px, the overdue list and the home page at three widths."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright import sync_api

from layanan import services
from layanan.models import Kunjungan
from posyandu import dates
from posyandu.models import Keluarga, Sex
from tests.browser.helpers import PHONE, assert_no_horizontal_scroll, log_in, screenshot, sign_in
from tests.browser.phone_checks import assert_phone_friendly
from tests.layanan.conftest import person

expect = sync_api.expect

pytestmark = pytest.mark.browser

WIDTHS = (360, 1024, 1366)


def _viewport(width):
    return {"width": width, "height": 800}


@pytest.fixture
def opening_today(world):
    """Today's opening day at posyandu A with a mother and her child, another child done, a pregnant woman."""
    today = dates.today()
    keluarga = Keluarga.objects.create(posyandu=world.posyandu_a, head_name="Pak Baso", rt="002", address="Jl. Poros")
    mother = person(
        world.posyandu_a, "Siti Aminah", birth_date=datetime.date(1995, 4, 1), phone="0812777", keluarga=keluarga
    )
    services.kehamilan_register(mother=mother, registered_on=today, hpht=dates.add_months(today, -3))
    rahmat = person(
        world.posyandu_a, "Rahmat Hidayat", sex=Sex.LAKI_LAKI, birth_date=dates.add_months(today, -7), mother=mother
    )
    bunga = person(world.posyandu_a, "Bunga Lestari", birth_date=dates.add_months(today, -20), mother_name="Ibu Rina")
    person(
        world.posyandu_a,
        "Cahya Dewi",
        birth_date=dates.add_months(today, -30),
        mother_name="Ibu Wati",
        kia_number="KIA-0457",
    )
    hari_buka = services.hari_buka_open(posyandu=world.posyandu_a, date=today, user=world.users["kader_a"])
    services.kunjungan_record(warga=bunga, user=world.users["kader_a"], hari_buka=hari_buka, values={"weight_kg": 10})
    return hari_buka, rahmat, mother


def _names_shown(page):
    return [text.strip() for text in page.locator(".roster-row:visible .roster-name").all_inner_texts()]


def test_the_roster_search_finds_by_name_or_mothers_name_and_done_is_a_word(
    transactional_db, world, live_server, new_page, opening_today
):
    hari_buka, _rahmat, _mother = opening_today
    for width in WIDTHS:
        page = new_page(_viewport(width))
        sign_in(page, live_server.url, "kader_a")
        page.goto(live_server.url + hari_buka.get_absolute_url())
        expect(page.get_by_role("heading", name=world.posyandu_a.name)).to_be_visible()
        assert_no_horizontal_scroll(page, width)
        assert_phone_friendly(page)
        screenshot(page, f"entry_roster_{width}.png")
    search = page.get_by_label("Cari nama, nama ibu, atau nomor KIA")
    search.fill("rahmat")
    expect(page.locator(".roster-row:visible")).to_have_count(1)
    search.fill("siti")  # the mother's name finds her child, and herself
    expect(page.locator(".roster-row:visible")).to_have_count(2)
    assert sorted(_names_shown(page)) == ["Rahmat Hidayat", "Siti Aminah"]
    shown = page.locator(".roster-row:visible .roster-name")  # waited for: the list filters as typed
    search.fill("kia-0457")  # the number on the Buku KIA
    expect(shown).to_have_text(["Cahya Dewi"])
    search.fill("ibu rina")
    expect(shown).to_have_text(["Bunga Lestari"])
    expect(page.locator(".roster-row:visible .roster-status")).to_have_text(re.compile("Selesai"))
    search.fill("tidak ada orang ini")
    expect(page.get_by_text("Tidak ada yang cocok")).to_be_visible()
    search.fill("")
    expect(page.get_by_text("Belum").first).to_be_visible()


def test_name_and_home_visit_are_far_apart_on_a_phone(transactional_db, world, live_server, new_page, opening_today):
    hari_buka, rahmat, _mother = opening_today
    page = new_page(PHONE)
    sign_in(page, live_server.url, "kader_a")
    page.goto(live_server.url + hari_buka.get_absolute_url())
    row = page.locator(".roster-row", has_text=rahmat.name)
    name = row.locator(".roster-name").bounding_box()
    home = row.get_by_role("link", name=re.compile("kunjungan rumah", re.I)).bounding_box()
    assert name["height"] >= 44 and home["height"] >= 44 and home["width"] >= 44
    assert home["y"] - (name["y"] + name["height"]) >= 12, "a mis-tap on the name must not reach the home visit"
    row.locator(".roster-name").click()
    expect(page.get_by_role("heading", name=rahmat.name)).to_be_visible()


def test_entry_screen_on_three_widths_is_phone_friendly(transactional_db, world, live_server, new_page, opening_today):
    hari_buka, rahmat, mother = opening_today
    for width in WIDTHS:
        page = new_page(_viewport(width))
        log_in(page, live_server.url, "kader_a")
        for who in (rahmat, mother):
            page.goto(live_server.url + reverse("layanan:kunjungan_entry", args=[hari_buka.pk, who.pk]))
            expect(page.get_by_role("heading", name=who.name)).to_be_visible()
            assert_no_horizontal_scroll(page, width)
            assert_phone_friendly(page)
            screenshot(page, f"entry_{'balita' if who == rahmat else 'ibu_hamil'}_{width}.png")
    expect(page.get_by_label("Usia kehamilan (minggu)")).to_have_value(re.compile(r"1[23]"))


def _open_entry(page, live_server, hari_buka, warga):
    sign_in(page, live_server.url, "kader_a")
    page.goto(live_server.url + hari_buka.get_absolute_url())
    page.get_by_role("link", name=warga.name, exact=True).click()
    expect(page.get_by_role("heading", name=warga.name)).to_be_visible()
    page.get_by_label("Berat badan (kg)").fill("8,4")
    page.get_by_label(re.compile(r"Panjang badan")).fill("69,5")


def _assert_values_kept(page):
    expect(page.get_by_label("Berat badan (kg)")).to_have_value("8,4")
    expect(page.get_by_label(re.compile(r"Panjang badan"))).to_have_value("69,5")


@pytest.mark.parametrize(
    ("failure", "words"),
    [
        ("500", "server sedang bermasalah"),
        ("abort", "sambungan internet terputus"),
        ("timeout", "server terlalu lama menjawab"),
    ],
)
def test_a_failed_save_says_so_keeps_the_values_and_retries_in_one_tap(
    transactional_db, world, live_server, new_page, opening_today, failure, words
):
    hari_buka, rahmat, _mother = opening_today
    page = new_page(PHONE)
    _open_entry(page, live_server, hari_buka, rahmat)
    entry_path = re.compile(re.escape(reverse("layanan:kunjungan_entry", args=[hari_buka.pk, rahmat.pk])) + "$")

    def fail(route):
        if route.request.method != "POST":
            return route.continue_()
        if failure == "500":
            return route.fulfill(status=500, body="<h1>Server Error (500)</h1>", content_type="text/html")
        if failure == "abort":
            return route.abort("internetdisconnected")
        pending.append(route)  # never answered: the form's timeout (set to 1 s below) gives up
        return None

    pending = []
    page.route(entry_path, fail)
    if failure == "timeout":
        page.locator("[data-entry-form]").evaluate("(form) => form.setAttribute('hx-request', '{\"timeout\": 1000}')")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("alert")).to_contain_text(words)
    expect(page.get_by_role("alert")).to_contain_text("Isian Anda masih ada")
    _assert_values_kept(page)
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, f"entry_failed_{failure}_360.png")
    assert not Kunjungan.objects.filter(warga=rahmat).exists()
    page.unroute(entry_path)
    assert len(pending) == (1 if failure == "timeout" else 0)  # the browser gave up on it: already handled
    page.get_by_role("button", name="Coba simpan lagi").click()
    expect(page.get_by_text("Tersimpan")).to_be_visible()
    assert Kunjungan.objects.get(warga=rahmat).weight_kg == Decimal("8.4")


def test_an_expired_session_keeps_the_values_through_a_login_page(
    transactional_db, world, live_server, new_page, opening_today
):
    hari_buka, rahmat, _mother = opening_today
    page = new_page(PHONE)
    _open_entry(page, live_server, hari_buka, rahmat)
    page.get_by_role("checkbox").first.check()  # a dose due today, kept too
    page.context.clear_cookies(name="sessionid")  # the session expired while the form was open
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()  # a login page, not inside the form
    assert "/akun/masuk/" in page.url and page.locator("#entry").count() == 0
    screenshot(page, "entry_expired_login_360.png")
    log_in(page, live_server.url, "kader_a")
    expect(page.get_by_role("heading", name=rahmat.name)).to_be_visible()
    _assert_values_kept(page)
    expect(page.get_by_role("checkbox").first).to_be_checked()
    expect(page.get_by_text("Isian Anda sebelum masuk lagi sudah dikembalikan")).to_be_visible()
    assert not Kunjungan.objects.filter(warga=rahmat).exists()
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Tersimpan")).to_be_visible()
    assert Kunjungan.objects.get(warga=rahmat).weight_kg == Decimal("8.4")


def test_an_implausible_weight_is_explained_in_words_on_the_phone(
    transactional_db, world, live_server, new_page, opening_today
):
    hari_buka, rahmat, _mother = opening_today
    page = new_page(PHONE)
    _open_entry(page, live_server, hari_buka, rahmat)
    page.get_by_label("Berat badan (kg)").fill("30")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("30 kg tidak mungkin untuk anak 7 bulan")).to_be_visible()
    assert_no_horizontal_scroll(page, PHONE["width"])
    assert_phone_friendly(page)
    screenshot(page, "entry_implausible_360.png")


def test_the_kms_chart_is_readable_on_a_360_px_phone(transactional_db, world, live_server, new_page, opening_today):
    hari_buka, rahmat, _mother = opening_today
    services.kunjungan_record(warga=rahmat, user=world.users["kader_a"], hari_buka=hari_buka, values={"weight_kg": 8})
    for width in WIDTHS:
        page = new_page(_viewport(width))
        sign_in(page, live_server.url, "kader_a")
        page.goto(live_server.url + reverse("layanan:warga_health", args=[rahmat.pk]))
        expect(page.get_by_role("heading", name=re.compile(rahmat.name))).to_be_visible()
        assert_no_horizontal_scroll(page, width)
        smallest = page.evaluate(
            """() => Math.min(...[...document.querySelectorAll('.kms-chart text')].map((t) => {
                const svg = t.ownerSVGElement;
                const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                return parseFloat(t.getAttribute('font-size') || t.parentNode.getAttribute('font-size')) * scale;
            }))"""
        )
        assert smallest >= 12, f"a chart label is drawn at {smallest:.1f} px at {width} px"
        screenshot(page, f"warga_kms_{width}.png")
    ticks = (
        page.locator(".kms-chart")
        .first.locator("text[text-anchor=middle]")
        .evaluate_all("(texts) => texts.map((t) => t.textContent)")
    )
    assert "12" in ticks and "60" not in ticks  # a 7-month-old's months, not 0–60
    point = page.locator(".kms-point").first
    point.focus()
    expect(page.locator("[data-kms-readout]").first).to_have_text("7 bulan: 8 kg")
    assert point.get_attribute("aria-label") == "7 bulan: 8 kg"


def test_overdue_list_and_home_on_three_widths(transactional_db, world, live_server, new_page, opening_today):
    _hari_buka, rahmat, _mother = opening_today
    for width in WIDTHS:
        page = new_page(_viewport(width))
        log_in(page, live_server.url, "kader_a")
        expect(page.get_by_role("link", name="Hari buka sudah dibuka — lanjutkan")).to_be_visible()
        assert_no_horizontal_scroll(page, width)
        assert_phone_friendly(page)
        screenshot(page, f"home_kader_{width}.png")
        page.goto(live_server.url + reverse("layanan:imunisasi_overdue"))
        expect(page.get_by_role("heading", name="Imunisasi terlambat")).to_be_visible()
        expect(page.get_by_text(rahmat.name)).to_be_visible()
        expect(page.get_by_role("link", name="0812777")).to_be_visible()
        assert_no_horizontal_scroll(page, width)
        assert_phone_friendly(page)
        screenshot(page, f"imunisasi_terlambat_{width}.png")
