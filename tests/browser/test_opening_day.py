"""A kader runs an opening day on a 360 px phone: three balita, results at once, no reloads."""

import datetime
import re
import time

import pytest
from playwright import sync_api

from layanan import services
from layanan.models import Kunjungan
from posyandu.models import Sex
from tests.browser.helpers import PHONE, assert_no_horizontal_scroll, screenshot, sign_in
from tests.layanan.conftest import person

expect = sync_api.expect

pytestmark = pytest.mark.browser


def test_kader_records_three_balita_on_a_phone_and_sees_their_results(transactional_db, world, live_server, new_page):
    ahmad = person(world.posyandu_a, "Ahmad Fauzi", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2025, 3, 10))
    person(world.posyandu_a, "Bunga Citra", birth_date=datetime.date(2024, 9, 2))
    person(world.posyandu_a, "Cahya Dewi", birth_date=datetime.date(2023, 12, 20))
    hari_buka = services.hari_buka_open(
        posyandu=world.posyandu_a, date=datetime.date(2026, 3, 10), user=world.users["kader_a"]
    )
    page = new_page(PHONE)
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server.url, "kader_a")
    page.goto(live_server.url + hari_buka.get_absolute_url())
    expect(page.get_by_text("0 sudah dicatat")).to_be_visible()
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "hari_buka_roster_360.png")

    page.get_by_role("link", name=ahmad.name, exact=True).click()
    expect(page.get_by_role("heading", name=ahmad.name)).to_be_visible()
    weight = page.get_by_label("Berat badan (kg)")
    assert weight.get_attribute("inputmode") == "decimal"
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "hari_buka_entry_360.png")
    loads = []
    page.on("load", lambda _page: loads.append(1))

    timings = []
    entries = [("9,6", "75,7"), ("9.1", "78.2"), ("12,4", "91")]
    for index, (kg, cm) in enumerate(entries):
        started = time.perf_counter()
        page.get_by_label("Berat badan (kg)").fill(kg)
        page.get_by_label(re.compile(r"(Panjang|Tinggi) badan")).fill(cm)
        page.get_by_role("button", name="Simpan").click()
        expect(page.get_by_text("Tersimpan")).to_be_visible()
        timings.append(time.perf_counter() - started)
        expect(page.get_by_text("BB/U")).to_be_visible()
        if index == 0:
            expect(page.get_by_text("Berat badan normal")).to_be_visible()
            screenshot(page, "hari_buka_result_360.png")
            assert_no_horizontal_scroll(page, PHONE["width"])
        if index < 2:
            page.get_by_role("link", name=re.compile("^Berikutnya")).click()
            expect(page.get_by_role("button", name="Simpan")).to_be_visible()

    assert loads == [], "the entry reloaded the page instead of swapping the form"
    assert Kunjungan.objects.filter(hari_buka=hari_buka).count() == 3
    assert not problems, problems
    # Machine time for one balita (fill, save, results shown): the kader's own typing comes on top.
    print(f"balita entry round trips (s): {', '.join(f'{t:.2f}' for t in timings)}")
    assert max(timings) < 15

    page.get_by_role("link", name="Kembali ke daftar hari buka").click()
    expect(page.get_by_text("3 sudah dicatat")).to_be_visible()

    page.get_by_role("link", name=ahmad.name, exact=True).click()  # done: opens the result card
    page.get_by_role("link", name="Riwayat & KMS").click()
    expect(page.get_by_role("heading", name="Grafik pertumbuhan (standar WHO 2006)")).to_be_visible()
    expect(page.locator("svg.kms-chart")).to_have_count(2)  # two KMS charts, each a group of focusable points
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "warga_health_kms_360.png")
