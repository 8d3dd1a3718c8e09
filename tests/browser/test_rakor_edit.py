"""A rakor decision's OPD choice narrowed to the chosen field, and a decision handed to another OPD, in a browser.

Takalar has Dinas Sosial and Dukcapil (sosial) and Dinas Kesehatan (kesehatan). On the meeting's page the
kabupaten team picks a field and the OPD choice shows only the OPD serving it (all, grouped, for
kelembagaan); an OPD chosen for another field is let go. Then the team hands the decision from Dinsos to
Dukcapil on its edit page; the history says so, Dinsos's officer no longer sees it and Dukcapil's does.
Without JavaScript the grouped list stays and the server refuses a wrong pair. Every page changed fits
360, 1024 and 1366 px."""

import re

import pytest
from playwright import sync_api

from laporan import services as report_services
from laporan.models import KeputusanRakor
from posyandu import dates
from posyandu import services as posyandu_services
from tests.browser.helpers import fits_each_width, sign_in

expect = sync_api.expect

pytestmark = pytest.mark.browser

TEXT = "Padankan data lansia terlantar dengan DTKS"


@pytest.fixture
def meeting(world, opd_cast):
    dinkes = posyandu_services.opd_create(
        by=None, kabupaten=world.kabupaten, name="Dinas Kesehatan", short_name="Dinkes", fields=["kesehatan"]
    )
    rakor = report_services.rakor_create(
        wilayah=world.kabupaten, held_on=dates.today(), period="2026-02", user=world.users["kabupaten"]
    )
    return {"rakor": rakor, "dinkes": dinkes}


def _offered(select) -> list[str]:
    return select.locator("option").evaluate_all("(options) => options.map((o) => o.textContent.trim())")


def test_the_opd_choice_follows_the_field_and_the_team_hands_a_decision_to_another_opd(
    transactional_db, world, opd_cast, meeting, live_server, new_page
):
    problems = []
    page = new_page({"width": 360, "height": 800})
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    sign_in(page, live_server.url, "kabupaten")
    page.goto(f"{live_server.url}/laporan/rakor/{meeting['rakor'].pk}/")
    field, opd = page.locator("#id_k-0-field"), page.locator("#id_k-0-opd")
    grouped = _offered(opd)
    assert grouped == ["—", "Dinkes — Dinas Kesehatan", "Dinsos — Dinas Sosial", "Dukcapil"]
    field.select_option("kesehatan")
    assert _offered(opd) == ["—", "Dinkes — Dinas Kesehatan"]
    expect(opd.locator("optgroup")).to_have_count(0)
    field.select_option("sosial")
    assert _offered(opd) == ["—", "Dinsos — Dinas Sosial", "Dukcapil"]
    opd.select_option(label="Dinsos — Dinas Sosial")
    field.select_option("pendidikan")  # nobody serves it here: Dinsos is let go, and the list says why
    assert _offered(opd) == ["— tidak ada OPD yang mengampu bidang ini —"]
    expect(opd).to_have_value("")
    field.select_option("kelembagaan")  # any OPD: the grouped list again
    assert _offered(opd) == grouped
    expect(opd.locator("optgroup")).to_have_count(2)
    expect(page.locator("#id_k-1-opd option")).to_have_count(4)  # the other rows are left alone
    field.select_option("sosial")
    opd.select_option(label="Dinsos — Dinas Sosial")
    field.select_option("kelembagaan")  # Dinsos may take a kelembagaan decision: kept
    expect(opd).to_have_value(str(opd_cast.dinsos.pk))
    field.select_option("sosial")
    expect(opd).to_have_value(str(opd_cast.dinsos.pk))
    page.locator("#id_k-0-text").fill(TEXT)
    page.locator("#id_k-0-deadline").fill("2099-06-30")
    fits_each_width(page, "rakor_edit_form_narrowed")
    page.get_by_role("button", name="Simpan keputusan").click()
    expect(page.get_by_text("1 keputusan dicatat.")).to_be_visible()

    page.get_by_role("link", name=TEXT).click()
    page.get_by_role("link", name="Ubah atau alihkan").click()
    expect(page.get_by_role("heading", name="Ubah atau alihkan keputusan")).to_be_visible()
    assert _offered(page.locator("#id_opd")) == ["—", "Dinsos — Dinas Sosial", "Dukcapil"]  # narrowed on opening
    expect(page.locator("#id_opd")).to_have_value(str(opd_cast.dinsos.pk))
    page.locator("#id_opd").select_option(label="Dukcapil")
    page.locator("#id_note").fill("Data kependudukan lansia ada di Dukcapil")
    fits_each_width(page, "rakor_edit_keputusan_form")
    page.get_by_role("button", name="Simpan perubahan").click()
    expect(page.get_by_text("Keputusan diperbarui dan dicatat di riwayatnya.")).to_be_visible()
    expect(page.get_by_text("Dialihkan: Dinsos → Dukcapil")).to_be_visible()
    expect(page.get_by_text("Data kependudukan lansia ada di Dukcapil")).to_be_visible()
    fits_each_width(page, "rakor_edit_keputusan_history")
    decision = KeputusanRakor.objects.get(text=TEXT)
    assert decision.opd == opd_cast.dukcapil

    page.context.clear_cookies()
    sign_in(page, live_server.url, "opd_sosial")
    page.goto(live_server.url + "/laporan/rakor/")
    expect(page.get_by_text(TEXT)).to_have_count(0)
    page.context.clear_cookies()
    sign_in(page, live_server.url, "opd_dukcapil")
    page.goto(live_server.url + "/laporan/rakor/")
    page.get_by_role("link", name=TEXT).click()
    page.locator("#id_status").select_option("selesai")
    page.locator("#id_note").fill("Dipadankan bersama Dinsos")
    page.get_by_role("button", name="Simpan status").click()
    expect(page.get_by_text("Status keputusan diperbarui.")).to_be_visible()

    page.context.clear_cookies()  # done: the team no longer offers to edit it, and the page says why
    sign_in(page, live_server.url, "kabupaten")
    page.goto(f"{live_server.url}/laporan/rakor/keputusan/{decision.pk}/")
    expect(page.get_by_role("link", name="Ubah atau alihkan")).to_have_count(0)
    page.goto(f"{live_server.url}/laporan/rakor/keputusan/{decision.pk}/ubah/")
    expect(page.get_by_text(re.compile("sudah selesai, jadi tidak dapat diubah atau dialihkan"))).to_be_visible()
    expect(page.locator("#id_opd")).to_have_count(0)
    fits_each_width(page, "rakor_edit_keputusan_closed")
    assert problems == []


def test_without_javascript_the_grouped_list_stays_and_the_server_refuses_a_wrong_pair(
    transactional_db, world, opd_cast, meeting, live_server, browser
):
    context = browser.new_context(viewport={"width": 360, "height": 800}, locale="id-ID", java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server.url, "kabupaten")
        page.goto(f"{live_server.url}/laporan/rakor/{meeting['rakor'].pk}/")
        page.locator("#id_k-0-field").select_option("kesehatan")
        opd = page.locator("#id_k-0-opd")
        assert _offered(opd) == ["—", "Dinkes — Dinas Kesehatan", "Dinsos — Dinas Sosial", "Dukcapil"]
        opd.select_option(label="Dinsos — Dinas Sosial")
        page.locator("#id_k-0-text").fill(TEXT)
        page.locator("#id_k-0-deadline").fill("2099-06-30")
        page.get_by_role("button", name="Simpan keputusan").click()
        expect(page.get_by_text(re.compile("Dinsos tidak mengampu bidang kesehatan"))).to_be_visible()
        assert not KeputusanRakor.objects.filter(text=TEXT).exists()
    finally:
        context.close()
