"""A Tim Pembina member reviews the district on the dashboard; a pengurus submits the month."""

import re

import pytest
from playwright import sync_api

from laporan.models import LaporanBulanan
from tests.browser.helpers import DESKTOP, PHONE, assert_no_horizontal_scroll, screenshot, sign_in

expect = sync_api.expect

pytestmark = pytest.mark.browser


def test_kabupaten_team_sees_the_trend_chart_and_drills_down_to_a_posyandu(transactional_db, world, march,
                                                                            live_server, new_page):  # fmt: skip
    page = new_page(DESKTOP)
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server.url, "kabupaten")
    page.goto(live_server.url + "/laporan/?periode=2026-03")
    expect(page.get_by_role("heading", name=re.compile("Kabupaten Takalar"))).to_be_visible()
    # Chart.js (vendored) drew the trend under the site's CSP
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('trend-chart'))")
    assert not problems, problems
    screenshot(page, "dashboard_kabupaten_desktop.png")

    page.get_by_role("link", name="Kec. Mappakasunggu").click()
    expect(page.get_by_role("heading", name=re.compile("Mappakasunggu"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Lassang")).first.click()
    expect(page.get_by_role("heading", name="Peringkat posyandu")).to_be_visible()
    page.get_by_role("link", name="Posyandu Mawar").first.click()
    expect(page.get_by_role("heading", name=re.compile("Laporan bulanan — Posyandu Mawar"))).to_be_visible()
    expect(page.get_by_text("80,0 %").first).to_be_visible()  # D/S of the hand-built March


def test_pengurus_submits_the_month_on_a_phone(transactional_db, world, march, live_server, new_page):
    page = new_page(PHONE)
    sign_in(page, live_server.url, "pengurus_a")
    page.goto(live_server.url + f"/laporan/posyandu/{world.posyandu_a.pk}/2026-03/")
    assert_no_horizontal_scroll(page, PHONE["width"])
    page.get_by_role("button", name="Ajukan laporan").click()
    expect(page.get_by_text("Laporan Maret 2026: Diajukan.")).to_be_visible()
    assert LaporanBulanan.objects.get(posyandu=world.posyandu_a).status == LaporanBulanan.Status.DIAJUKAN
    page.goto(live_server.url + "/laporan/?periode=2026-03")
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "dashboard_pengurus_360.png")
