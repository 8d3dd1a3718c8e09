"""Real browser tests: headless Chromium (Debian's) driven by Playwright against ``live_server``.

What a kader on a 360 px phone or a desa operator at a desk actually sees: Indonesian text, no
horizontal scroll, forms that keep what was typed, and Bootstrap's JS working under the CSP.
Screenshots land in var/screenshots/ (git-ignored) for a human to look at.
"""

import re

import pytest
from playwright import sync_api

from tests.browser.helpers import DESKTOP, PHONE, assert_no_horizontal_scroll, log_in, screenshot, sign_in

expect = sync_api.expect

pytestmark = pytest.mark.browser


def test_kader_logs_in_and_sees_their_posyandu_on_a_phone(transactional_db, world, live_server, new_page):
    page = new_page(PHONE)

    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/akun/masuk/"))
    expect(page.get_by_role("heading", name="Masuk")).to_be_visible()

    log_in(page, live_server.url, "kader_a")

    expect(page.get_by_role("heading", name="Posyandu Mawar")).to_be_visible()
    expect(page.get_by_text("Hari buka berikutnya")).to_be_visible()
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "kader_home_360.png")


def test_kabupaten_team_drills_down_from_home_to_posyandu_list(transactional_db, world, live_server, new_page):
    page = new_page(PHONE)
    log_in(page, live_server.url, "kabupaten")

    link = page.get_by_role("link", name="Kec. Mappakasunggu")
    expect(link).to_be_visible()
    assert_no_horizontal_scroll(page, PHONE["width"])
    link.click()

    page.wait_for_url(lambda url: "/posyandu/" in url)
    expect(page.get_by_role("heading", name="Daftar posyandu")).to_be_visible()
    results = page.locator("table")
    expect(results.get_by_role("link", name="Posyandu Mawar")).to_be_visible()
    expect(results.get_by_role("link", name="Posyandu Melati")).to_be_visible()
    expect(page.get_by_text("Posyandu Anggrek")).to_have_count(0)
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "kabupaten_list_360.png")


def test_desa_operator_registers_a_posyandu_with_indonesian_decimal_coordinates(
    transactional_db, world, live_server, new_page
):
    page = new_page(DESKTOP)
    sign_in(page, live_server.url, "desa_a1")
    page.goto(live_server.url + "/posyandu/baru/")

    def fill_form(registration_number: str) -> None:
        page.locator("input[name=name]").fill("Posyandu Dahlia")
        page.locator("select[name=desa]").select_option(value="73.05.01.2001")
        page.locator("input[name=latitude]").fill("-5,4167")
        page.locator("input[name=longitude]").fill("119,45")
        page.locator("input[name=registration_number]").fill(registration_number)
        page.locator("input[name=schedule_day]").fill("12")
        page.get_by_role("button", name="Simpan").click()

    # A registration number from another desa: refused in Indonesian, and nothing typed is lost.
    fill_form("73.05.02.2001.001")
    expect(page.get_by_text("harus diawali kode desa")).to_be_visible()
    expect(page.locator("input[name=name]")).to_have_value("Posyandu Dahlia")
    expect(page.locator("select[name=desa]")).to_have_value("73.05.01.2001")
    expect(page.locator("input[name=latitude]")).to_have_value("-5,4167")
    expect(page.locator("input[name=longitude]")).to_have_value("119,45")
    expect(page.locator("input[name=schedule_day]")).to_have_value("12")
    screenshot(page, "posyandu_form_error.png")

    fill_form("73.05.01.2001.009")
    page.wait_for_url(lambda url: "/baru/" not in url)
    expect(page.get_by_role("heading", name="Posyandu Dahlia")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("tersimpan")


def test_navbar_menu_opens_on_a_phone(transactional_db, world, live_server, new_page):
    page = new_page(PHONE)
    problems = []
    page.on(
        "console",
        lambda msg: (
            problems.append(f"console: {msg.text} ({msg.location.get('url')})") if msg.type == "error" else None
        ),
    )
    page.on("pageerror", lambda exc: problems.append(f"pageerror: {exc}"))
    log_in(page, live_server.url, "kabupaten")

    menu_link = page.locator("#nav-main").get_by_role("link", name="Daftar posyandu")
    expect(menu_link).to_be_hidden()
    page.locator(".navbar-toggler").click()
    expect(menu_link).to_be_visible()
    expect(page.locator(".navbar-toggler")).to_have_attribute("aria-expanded", "true")
    page.wait_for_load_state("networkidle")  # let late console messages arrive
    assert problems == []
