"""A rakor decision for an OPD in a browser: the kabupaten team records a meeting with a decision assigned
to Dinas Sosial; the Dinas Sosial officer (``opd_sosial``) signs in, finds it on the home page, marks it
done with a note; the kabupaten team sees the new status. Every page changed fits 360, 1024 and 1366 px."""

import re

import pytest
from playwright import sync_api

from laporan.models import KeputusanRakor
from tests.browser.helpers import fits_each_width, sign_in

expect = sync_api.expect

pytestmark = pytest.mark.browser

TEXT = "Padankan data lansia terlantar dengan DTKS"


def test_the_kabupaten_assigns_a_decision_to_dinsos_and_its_officer_closes_it(
    transactional_db, world, opd_cast, live_server, new_page
):
    problems = []
    page = new_page({"width": 360, "height": 800})
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    sign_in(page, live_server.url, "kabupaten")
    page.goto(live_server.url + "/laporan/rakor/")
    page.get_by_role("link", name="Catat rakor baru").click()
    page.get_by_role("button", name="Simpan lalu tulis keputusan").click()
    expect(page.get_by_role("heading", name=re.compile("Rakor Kabupaten Takalar"))).to_be_visible()
    page.locator("#id_k-0-text").fill(TEXT)
    page.locator("#id_k-0-field").select_option("sosial")
    page.locator("#id_k-0-opd").select_option(label="Dinsos — Dinas Sosial")
    page.locator("#id_k-0-deadline").fill("2099-06-30")
    fits_each_width(page, "rakor_opd_form")
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_text("1 keputusan dicatat.")).to_be_visible()
    row = page.locator("tr", has_text=TEXT)
    expect(row).to_contain_text("Dinsos")
    expect(row).to_contain_text("Belum dikerjakan")
    fits_each_width(page, "rakor_opd_detail")

    page.context.clear_cookies()
    sign_in(page, live_server.url, "opd_sosial")
    page.goto(live_server.url + "/")
    queue = page.locator("#work-queue")
    expect(queue).to_contain_text("Keputusan rakor untuk OPD Anda, belum selesai")
    expect(queue.locator("li", has_text="Keputusan rakor")).to_contain_text("1")
    fits_each_width(page, "rakor_opd_home")
    queue.get_by_role("link", name=re.compile("Keputusan rakor untuk OPD Anda")).click()
    expect(page.get_by_role("heading", name=re.compile("Keputusan rakor — menunggu Anda"))).to_be_visible()
    expect(page.get_by_role("link", name="Rakor Kabupaten Takalar")).to_have_count(0)  # the team's page
    fits_each_width(page, "rakor_opd_list")
    page.get_by_role("link", name=TEXT).click()
    expect(page.get_by_role("heading", name="Keputusan rakor")).to_be_visible()
    expect(page.get_by_text("Dinas Sosial (Dinsos)")).to_be_visible()
    page.locator("#id_status").select_option("selesai")
    page.locator("#id_note").fill("312 lansia dipadankan, 40 diusulkan masuk DTKS")
    page.get_by_role("button", name="Simpan status").click()
    expect(page.get_by_text("Status keputusan diperbarui.")).to_be_visible()
    expect(page.locator("#id_status")).to_have_count(0)  # done: nothing more for the officer to set
    fits_each_width(page, "rakor_opd_keputusan_done")
    page.goto(live_server.url + "/")
    expect(page.locator("#work-queue")).not_to_contain_text("Keputusan rakor")

    page.context.clear_cookies()
    sign_in(page, live_server.url, "kabupaten")
    page.goto(live_server.url + "/laporan/rakor/")
    row = page.locator("tr", has_text=TEXT)
    expect(row).to_contain_text("Selesai")
    expect(row).to_contain_text("312 lansia dipadankan")
    fits_each_width(page, "rakor_opd_list_kabupaten")
    decision = KeputusanRakor.objects.get(text=TEXT)
    assert (decision.opd, decision.status) == (opd_cast.dinsos, "selesai")
    assert decision.riwayat.get().user == opd_cast.officer
    assert problems == []
