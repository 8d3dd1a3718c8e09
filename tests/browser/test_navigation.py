"""The top bar fits a 360 px phone, a 1024 px and a 1366 px laptop for every role, on every page
its menu leads to, and logout is always reachable (issue 19: it was off-screen at 1366 px)."""

import pytest
from playwright import sync_api

from tests.browser.helpers import log_in, screenshot

expect = sync_api.expect

pytestmark = pytest.mark.browser

WIDTHS = (360, 1024, 1366)
ROLES = ("kader_a", "pengurus_a", "desa_a1", "kecamatan_a", "kabupaten")
COLLAPSED_BELOW = 992  # Bootstrap's lg breakpoint: navbar-expand-lg

_OVERFLOW = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def _menu_urls(page) -> list[str]:
    hrefs = page.locator("#nav-main a.dropdown-item[href^='/']").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    return [href for href in dict.fromkeys(hrefs) if not href.startswith("/admin/")]


def _assert_logout_reachable(page, width: int) -> None:
    if width < COLLAPSED_BELOW:
        page.get_by_role("button", name="Buka menu").click()
        expect(page.locator("#nav-main.show")).to_be_visible()  # opened, not still sliding open
    else:
        page.locator(".nav-user").click()
    logout = page.get_by_role("button", name="Keluar")
    expect(logout).to_be_visible()
    expect(page.get_by_role("link", name="Ganti kata sandi")).to_be_visible()
    box = logout.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"logout at {box} on a {width}px screen"
    assert box["height"] >= 44, "logout is a touch target of at least 44 px"


@pytest.mark.parametrize("username", ROLES)
def test_every_menu_page_fits_each_width_and_logout_is_reachable(
    transactional_db, world, live_server, new_page, username
):
    page = new_page({"width": WIDTHS[0], "height": 800})
    log_in(page, live_server.url, username)
    urls = _menu_urls(page)
    assert len(urls) >= 5, urls
    too_wide = []
    for url in urls:
        page.set_viewport_size({"width": WIDTHS[0], "height": 800})
        page.goto(live_server.url + url)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            scroll_width, inner_width = page.evaluate(_OVERFLOW)
            if scroll_width > inner_width:
                too_wide.append(f"{url} is {scroll_width}px wide at {width}px")
    assert too_wide == [], "\n".join(too_wide)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + "/")
        _assert_logout_reachable(page, width)
        screenshot(page, f"nav_{username}_{width}.png")
