"""The people register in headless Chromium on a 360 px phone: the mother search through htmx under
the CSP, the duplicate warning, and pages that never scroll sideways."""

import datetime
import re

import pytest
from playwright import sync_api

from posyandu.models import Sex, Warga
from tests import factories
from tests.browser.helpers import PHONE, assert_no_horizontal_scroll, log_in, screenshot, sign_in

expect = sync_api.expect

pytestmark = pytest.mark.browser


def _watch_console(page) -> list[str]:
    """Console errors, CSP violations included (an inline script or style would show up here)."""
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def _fill_person(page, *, name: str, mother: str) -> None:
    page.locator("input[name=name]").fill(name)
    page.get_by_label("Laki-laki").check()
    page.locator("input[name=birth_date]").fill("2023-05-17")
    page.locator("input[name=birth_weight_kg]").fill("3,2")
    page.locator("input[name=mother_name]").fill(mother)


def test_a_kader_registers_a_baby_picking_the_mother_from_the_live_search(
    transactional_db, world, live_server, new_page
):
    keluarga = factories.keluarga(posyandu=world.posyandu_a, head_name="Ahmad Daeng Sibali", rt="001", rw="002")
    siti = factories.warga(
        posyandu=world.posyandu_a,
        name="Siti Aminah Daeng Kanang",
        sex=Sex.PEREMPUAN,
        birth_date=datetime.date(1995, 2, 3),
        keluarga=keluarga,
    )
    page = new_page(PHONE)
    problems = _watch_console(page)
    sign_in(page, live_server.url, "kader_a")

    page.goto(live_server.url + "/warga/")
    expect(page.get_by_role("heading", name="Daftar warga")).to_be_visible()
    assert_no_horizontal_scroll(page, PHONE["width"])
    page.get_by_role("link", name="Tambah warga").click()

    _fill_person(page, name="Muhammad Rizky Pratama", mother="aminah")
    option = page.get_by_label(re.compile("Siti Aminah Daeng Kanang"))
    expect(option).to_be_visible()  # htmx fetched the choices while typing
    option.check()
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "warga_form_360.png")
    page.get_by_role("button", name="Simpan", exact=True).last.click()

    page.wait_for_url(re.compile(r"/warga/\d+/$"))
    expect(page.get_by_role("heading", name="Muhammad Rizky Pratama")).to_be_visible()
    expect(page.get_by_role("link", name="Siti Aminah Daeng Kanang")).to_be_visible()
    assert Warga.objects.get(name="Muhammad Rizky Pratama").mother == siti
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "warga_detail_360.png")
    assert problems == []


def test_a_possible_duplicate_is_shown_and_saved_after_ticking_on_a_phone(
    transactional_db, world, live_server, new_page
):
    existing = factories.warga(posyandu=world.posyandu_a, name="Muhammad Rizky", mother_name="Siti Aminah")
    page = new_page(PHONE)
    problems = _watch_console(page)
    sign_in(page, live_server.url, "kader_a")
    page.goto(live_server.url + "/warga/baru/")

    _fill_person(page, name="muhammad rizky", mother="Siti Aminah")
    page.get_by_role("button", name="Simpan", exact=True).last.click()
    expect(page.get_by_text("Mungkin orang ini sudah terdaftar")).to_be_visible()
    expect(page.get_by_role("link", name="Muhammad Rizky")).to_have_attribute("href", existing.get_absolute_url())
    expect(page.locator("input[name=name]")).to_have_value("muhammad rizky")
    expect(page.locator("input[name=birth_weight_kg]")).to_have_value("3,2")
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "warga_duplicate_360.png")

    page.get_by_label("Saya sudah memeriksa: ini orang yang berbeda").check()
    page.get_by_role("button", name="Simpan", exact=True).last.click()
    page.wait_for_url(re.compile(r"/warga/\d+/$"))
    assert Warga.objects.count() == 2
    assert problems == []


def test_the_register_fits_a_phone_for_a_kecamatan_team(transactional_db, world, live_server, new_page):
    keluarga = factories.keluarga(
        posyandu=world.posyandu_a2, head_name="Andi Muhammad Fadhlurrahman Daeng", kk_number="7305010101200001"
    )
    mother = factories.warga(
        posyandu=world.posyandu_a2,
        name="Sitti Nurhaliza Binti Abdurrahman",
        sex=Sex.PEREMPUAN,
        birth_date=datetime.date(1992, 8, 9),
        keluarga=keluarga,
    )
    factories.warga(posyandu=world.posyandu_a2, name="Andi Ahmad Fadhlurrahman", mother=mother, keluarga=keluarga)
    page = new_page(PHONE)
    problems = _watch_console(page)
    log_in(page, live_server.url, "kecamatan_a")
    for path, heading in (
        ("/warga/", "Daftar warga"),
        ("/keluarga/", "Daftar keluarga"),
        (mother.get_absolute_url(), mother.name),
        (keluarga.get_absolute_url(), f"Keluarga {keluarga.head_name}"),
    ):
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        assert_no_horizontal_scroll(page, PHONE["width"])
        screenshot(page, f"people_kecamatan_{path.strip('/').replace('/', '_')}_360.png")
    expect(page.get_by_text("730501••••••0001")).to_be_visible()  # Tim Pembina: masked
    assert problems == []
