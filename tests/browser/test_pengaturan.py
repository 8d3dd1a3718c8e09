"""The kabupaten's settings page on a phone and on desktops: the values in force, the form, the history."""

import datetime

import pytest
from playwright import sync_api

from laporan import indicators as ind
from posyandu.pengaturan.models import PengaturanKabupaten
from posyandu.pengaturan.services import pengaturan_kabupaten_ubah
from tests.browser.helpers import assert_no_horizontal_scroll, screenshot, sign_in

expect = sync_api.expect
pytestmark = pytest.mark.browser
WIDTHS = (360, 1024, 1366)


def test_the_kabupaten_team_changes_a_setting_and_sees_it_in_force_on_every_screen(
    transactional_db, world, live_server, new_page
):
    pengaturan_kabupaten_ubah(
        by=world.users["kabupaten"], kabupaten=world.kabupaten, valid_from=datetime.date(2026, 1, 1), min_kader=6,
        min_kader_per_field=1, deadline_day=12, targets={"skdn_ds": 85}, reason="Perbup Takalar 4/2026",
        target_codes=ind.target_codes(),
    )  # fmt: skip
    page = new_page({"width": 360, "height": 740})
    sign_in(page, live_server.url, "kabupaten")
    page.goto(live_server.url + "/laporan/pengaturan/")
    expect(page.get_by_role("heading", name="Pengaturan kabupaten")).to_be_visible()
    page.get_by_label("Batas tanggal laporan bulanan").fill("32")
    page.get_by_label("Alasan perubahan").fill("Rapat Tim Pembina")
    page.get_by_role("button", name="Simpan versi baru").click()
    expect(page.get_by_text("1 sampai 28").first).to_be_visible()
    assert page.get_by_label("Alasan perubahan").input_value() == "Rapat Tim Pembina"
    page.get_by_label("Batas tanggal laporan bulanan").fill("15")
    page.get_by_role("button", name="Simpan versi baru").click()
    expect(page.get_by_text("Pengaturan kabupaten disimpan")).to_be_visible()
    assert PengaturanKabupaten.objects.count() == 2
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        expect(page.get_by_role("heading", name="Riwayat pengaturan")).to_be_visible()
        assert_no_horizontal_scroll(page, width)
        screenshot(page, f"pengaturan-{width}.png")
    for name in ("Simpan versi baru",):
        assert page.get_by_role("button", name=name).bounding_box()["height"] >= 44
    assert page.get_by_label("Alasan perubahan").bounding_box()["height"] >= 44
