"""Shared pieces of the browser tests: Chromium settings, logging in, layout checks, screenshots."""

import time
from pathlib import Path

from django.conf import settings

from posyandu.models import User
from tests import factories
from tests.factories import PASSWORD

# Debian's Chromium in its headless build (package chromium-headless-shell: the same Blink and V8 and the
# same version, without the desktop browser's user interface layer; Playwright itself runs this build for
# headless tests). The 63 browser tests on 2 cores, 3 workers, 8 December, one run after the other: machine
# busy 367 -> 212 core-seconds, 192 -> 117 s, against the full `chromium` in its headless mode.
CHROMIUM = "/usr/bin/chromium-headless-shell"
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
WIDTHS = (360, 1024, 1366)  # a phone, a small laptop, the usual office screen
DESKTOP = {"width": 1280, "height": 900}
# Generous: CI shares two cores between pytest, the live server, PostgreSQL and Chromium.
TIMEOUT_MS = 15_000
SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"


def wait_until(page, async_condition: str, timeout_ms: int = TIMEOUT_MS) -> None:
    """Wait until an async JavaScript condition (a function returning a promise) is true.

    page.wait_for_function cannot do this: it takes the promise itself as its truthy answer and ends
    after one evaluation, whatever the promise resolves to. A draft test once reloaded the page before
    the phone had stored what it checked, and failed one run in many.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(async_condition):
        assert time.monotonic() < deadline, f"not true within {timeout_ms} ms: {async_condition}"
        page.wait_for_timeout(50)


def log_in(page, base_url: str, username: str) -> None:
    """Through the real login form, as a person would: for the tests of logging in and of the page it
    leads to. A test that goes elsewhere at once signs in with ``sign_in``."""
    if "/akun/masuk/" not in page.url:
        page.goto(base_url + "/akun/masuk/")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/akun/masuk/" not in url)


def sign_in(page, base_url: str, username: str) -> None:
    """Signed in without the login form: a session made on the server (as the form's POST makes it) and
    its cookie given to the browser. For a test that opens another page at once: the login form, its
    POST and the landing page cost Chromium and the live server about 0.6 core-seconds (measured on 8
    December). Logging in itself is ``log_in``'s. The offline tests log in through the form: the kader's
    landing page comes before the offline page, and with ``sign_in`` two of them failed."""
    key = factories.session_key(User.objects.get(username=username))
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": key, "url": base_url}])


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
    page.wait_for_load_state()  # measuring while a navigation replaces the document finds no documentElement
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"page is {scroll_width}px wide on a {width}px screen"
    content_width = page.evaluate(_WIDTH_WITHOUT_CLIPPING)
    assert content_width <= width, f"content is {content_width}px wide on a {width}px screen (clipped by CSS)"
    assert page.evaluate(_SCROLLING_TABLES) == [], "a table scrolls sideways on a phone"


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def fits_each_width(page, name: str) -> None:
    """The page at each of ``WIDTHS``: no sideways scrolling, and a screenshot ``name_<width>.png`` to
    look at; back to the phone's width after."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        assert_no_horizontal_scroll(page, width)
        screenshot(page, f"{name}_{width}.png")
    page.set_viewport_size({"width": PHONE["width"], "height": 800})
