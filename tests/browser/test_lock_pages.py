"""A page that says "no" fits every screen: the lockout page naming who can unlock the account."""

import pytest
from playwright import sync_api

from tests.browser.helpers import assert_no_horizontal_scroll, screenshot

expect = sync_api.expect
pytestmark = pytest.mark.browser
WIDTHS = (360, 1024, 1366)


def test_the_lockout_page_names_who_can_unlock_and_fits_every_screen(
    transactional_db, world, live_server, new_page, settings
):
    settings.AXES_FAILURE_LIMIT = 3
    page = new_page({"width": 360, "height": 740})
    page.goto(live_server.url + "/akun/masuk/")
    for _attempt in range(3):
        page.locator("input[name=username]").fill("kader_a")
        page.locator("input[name=password]").fill("salah-sekali")
        page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_text("Ketua Posyandu Mawar").first).to_be_visible()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        assert_no_horizontal_scroll(page, width)
        screenshot(page, f"lockout-{width}.png")
