"""Real browser tests: headless Chromium (Debian's) driven by Playwright against ``live_server``.

What a kader on a 360 px phone or a desa operator at a desk actually sees: Indonesian text, no
horizontal scroll, forms that keep what was typed, and Bootstrap's JS working under the CSP.
Screenshots land in var/screenshots/ (git-ignored) for a human to look at.
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import PASSWORD

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 5_000
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def _allow_async_unsafe():
    """Playwright's sync API keeps an event loop in this thread; let the ORM (flush, fixtures) run anyway."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(_allow_async_unsafe):
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI must run the browser tests)")
        pytest.skip(message)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser):
    """``new_page(viewport)``: a page in a fresh context (no shared cookies), closed after the test."""
    contexts = []

    def _new_page(viewport=PHONE):
        context = browser.new_context(viewport=viewport, locale="id-ID")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


def log_in(page, base_url: str, username: str) -> None:
    """Through the real login form, as a person would."""
    if "/akun/masuk/" not in page.url:
        page.goto(base_url + "/akun/masuk/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)


# A page could clip what is too wide (overflow-x: hidden) instead of letting it scroll, so
# documentElement.scrollWidth alone might never exceed the viewport. Measure again with
# the clipping lifted: too-wide content would be cut off (unreadable) for the user.
_WIDTH_WITHOUT_CLIPPING = """() => {
    const roots = [document.documentElement, document.body];
    const saved = roots.map((el) => el.style.overflowX);
    roots.forEach((el) => { el.style.overflowX = "visible"; });
    const width = document.documentElement.scrollWidth;
    roots.forEach((el, i) => { el.style.overflowX = saved[i]; });
    return width;
}"""
# The stacked tables (.table-stack) must fit a phone without their own horizontal scroll bar.
_SCROLLING_TABLES = """() => [...document.querySelectorAll(".table-responsive")]
    .filter((el) => el.scrollWidth > el.clientWidth)
    .map((el) => el.scrollWidth)"""


def assert_no_horizontal_scroll(page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"page is {scroll_width}px wide on a {width}px screen"
    content_width = page.evaluate(_WIDTH_WITHOUT_CLIPPING)
    assert content_width <= width, f"content is {content_width}px wide on a {width}px screen (clipped by CSS)"
    assert page.evaluate(_SCROLLING_TABLES) == [], "a table scrolls sideways on a phone"


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


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
    log_in(page, live_server.url, "desa_a1")
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
