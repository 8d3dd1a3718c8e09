"""Rakor follow-up in a browser: a kecamatan team records a meeting and its decisions on a phone; the
desa operator updates the decision assigned to its desa; every page fits 360, 1024 and 1366 px."""

import re

import pytest
from playwright import sync_api

from laporan.models import KeputusanRakor
from tests.browser.helpers import assert_no_horizontal_scroll, screenshot, sign_in

expect = sync_api.expect

pytestmark = pytest.mark.browser

WIDTHS = (360, 1024, 1366)


def _fits_each_width(page, name: str) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        assert_no_horizontal_scroll(page, width)
        screenshot(page, f"{name}_{width}.png")


def test_a_team_records_a_rakor_and_the_desa_follows_up(transactional_db, world, live_server, new_page):
    page = new_page({"width": 360, "height": 800})
    sign_in(page, live_server.url, "kecamatan_a")
    page.goto(live_server.url + "/laporan/rakor/")
    expect(page.get_by_role("heading", name="Tindak lanjut rakor")).to_be_visible()
    page.get_by_role("link", name="Catat rakor baru").click()
    expect(page.get_by_role("heading", name="Catat rakor")).to_be_visible()
    _fits_each_width(page, "rakor_form")
    page.get_by_role("button", name="Simpan lalu tulis keputusan").click()
    expect(page.get_by_role("heading", name=re.compile("Rakor Kec. Mappakasunggu"))).to_be_visible()
    page.locator("#id_k-0-text").fill("Kelas ibu hamil di Lassang tiap bulan")
    page.locator("#id_k-0-field").select_option("kesehatan")
    page.locator("#id_k-0-wilayah_pj").select_option("73.05.01.2001")
    page.locator("#id_k-0-deadline").fill("2020-01-31")  # before the meeting: refused, the row kept
    page.locator("#id_k-1-text").fill("Data RTLH ke Perkim")
    page.locator("#id_k-1-field").select_option("perumahan_rakyat")
    page.locator("#id_k-1-responsible").fill("Dinas Perkim")
    page.locator("#id_k-1-deadline").fill("2099-12-31")
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_text("Batas waktu tidak boleh sebelum tanggal rapat.")).to_be_visible()
    assert page.locator("#id_k-1-text").input_value() == "Data RTLH ke Perkim"
    page.locator("#id_k-0-deadline").fill("2099-06-30")
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_text("2 keputusan dicatat.")).to_be_visible()
    _fits_each_width(page, "rakor_detail")

    page.context.clear_cookies()
    page.set_viewport_size({"width": 360, "height": 800})
    sign_in(page, live_server.url, "desa_a1")
    page.goto(live_server.url + "/laporan/rakor/?untuk_saya=1")
    _fits_each_width(page, "rakor_list_desa")
    page.set_viewport_size({"width": 360, "height": 800})
    page.get_by_role("link", name=re.compile("Kelas ibu hamil")).click()
    expect(page.get_by_role("heading", name="Keputusan rakor")).to_be_visible()
    page.locator("#id_status").select_option("berjalan")
    page.locator("#id_note").fill("Kelas pertama sudah berjalan")
    page.get_by_role("button", name="Simpan status").click()
    expect(page.get_by_text("Status keputusan diperbarui.")).to_be_visible()
    expect(page.get_by_text("Kelas pertama sudah berjalan").first).to_be_visible()
    _fits_each_width(page, "keputusan_detail")
    decision = KeputusanRakor.objects.get(text__startswith="Kelas ibu hamil")
    assert decision.status == "berjalan" and decision.riwayat.count() == 1
