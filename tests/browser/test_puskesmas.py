"""A Puskesmas officer in a browser (issue 18): signs in, sees the health dashboard of the working area,
opens a posyandu's visit, corrects a weight (audited with who), and cannot open a page of another field
nor a posyandu outside the area. Every page fits 360, 1024 and 1366 px; screenshots in var/screenshots."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright import sync_api

from layanan import services as health_services
from layanan.models import Kunjungan
from tests import factories
from tests.browser.helpers import assert_no_horizontal_scroll, screenshot, sign_in

expect = sync_api.expect
pytestmark = pytest.mark.browser
WIDTHS = (360, 1024, 1366)
# Outside the screen, not counting a wide table inside its own scrolling box (the dashboard's league
# table of a field has a column per indicator; on a phone it stacks, checked at 360 px).
_OUTSIDE_MAIN = """() => [...document.querySelectorAll("#main *")]
    .filter((el) => el.closest(".table-responsive") === null)
    .filter((el) => el.closest(".leaflet-container") === null)  // the map clips its own panes
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
    .map((el) => el.outerHTML.slice(0, 80))"""
_SMALL_BUTTONS = """() => [...document.querySelectorAll("#main a.btn, #main button, #main select")]
    .filter((el) => el.offsetParent !== null)
    .map((el) => [el.outerHTML.slice(0, 80), Math.round(el.getBoundingClientRect().height)])
    .filter(([, h]) => h < 44)"""


def check_fits(page, name: str) -> None:
    page.wait_for_load_state()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        if width == 360:
            assert_no_horizontal_scroll(page, width)
        assert page.evaluate(_OUTSIDE_MAIN) == [], (name, width)
        assert page.evaluate(_SMALL_BUTTONS) == [], (name, width)
        screenshot(page, f"puskesmas-{name}-{width}.png")
    page.set_viewport_size({"width": 360, "height": 740})


def test_puskesmas_officer_corrects_a_weight_in_the_area_and_sees_nothing_else(
    transactional_db, world, live_server, new_page, pinned_clock
):
    pinned_clock("2026-03-20")
    child = factories.warga(posyandu=world.posyandu_a, name="Andi Baso", birth_date=datetime.date(2025, 1, 5))
    visit = health_services.kunjungan_record(
        warga=child, user=world.users["kader_a"], visit_date=datetime.date(2026, 3, 10),
        values={"weight_kg": Decimal("8.1")},
    )  # fmt: skip
    other = factories.warga(posyandu=world.posyandu_a2, name="Rahma Daeng", birth_date=datetime.date(2025, 2, 1))
    page = new_page({"width": 360, "height": 740})
    sign_in(page, live_server.url, "puskesmas_a")

    page.goto(live_server.url + "/laporan/?periode=2026-03")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kesehatan")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mappakasunggu")
    nav = page.locator("nav.navbar").inner_text()
    assert "Bidang lain" not in nav and "Pelatihan" not in nav
    check_fits(page, "dasbor")

    page.goto(live_server.url + f"/kesehatan/warga/{child.pk}/kesehatan/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Andi Baso")
    check_fits(page, "riwayat")
    page.get_by_role("link", name="Perbaiki").first.click()
    expect(page.locator("input[name=weight_kg]")).to_be_visible()
    check_fits(page, "perbaiki")
    page.locator("input[name=weight_kg]").fill("8,4")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("8,40 kg")).to_be_visible()  # the result page, with the corrected weight
    visit.refresh_from_db()
    assert visit.weight_kg == Decimal("8.4")
    latest = Kunjungan.history.filter(id=visit.pk).order_by("-history_date").first()
    assert latest.history_user == world.users["puskesmas_a"] and latest.weight_kg == Decimal("8.4")

    response = page.goto(live_server.url + "/bidang/")
    assert response.status == 403
    response = page.goto(live_server.url + "/kader/")
    assert response.status == 403
    response = page.goto(live_server.url + f"/kesehatan/warga/{other.pk}/kesehatan/")
    assert response.status == 404
    response = page.goto(live_server.url + f"/posyandu/{world.posyandu_a2.pk}/")
    assert response.status == 404
    page.goto(live_server.url + f"/puskesmas/{world.puskesmas_a.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Puskesmas Mappakasunggu"))
    check_fits(page, "puskesmas")


def test_kabupaten_team_sees_the_puskesmas_pages_and_the_dashboard_by_puskesmas_area(
    transactional_db, world, live_server, new_page
):
    page = new_page({"width": 360, "height": 740})
    sign_in(page, live_server.url, "kabupaten")
    page.goto(live_server.url + "/puskesmas/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Puskesmas")
    check_fits(page, "daftar")
    page.get_by_role("link", name="Puskesmas Mappakasunggu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Puskesmas Mappakasunggu")
    check_fits(page, "detail-kabupaten")
    page.get_by_role("link", name="Tambah desa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tambah desa ke wilayah kerja")
    check_fits(page, "tambah-desa")
    page.goto(live_server.url + f"/laporan/?puskesmas={world.puskesmas_a.pk}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wilayah kerja Puskesmas Mappakasunggu")
    check_fits(page, "dasbor-kabupaten")
