"""The dashboard's map of the posyandu in headless Chromium, with no tile server and nothing fetched from
outside this machine: points drawn, recoloured by another indicator, a point's popup leads to its posyandu;
map above the table on a phone, beside it on a laptop."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from playwright import sync_api

from posyandu import services as registry
from tests.browser.helpers import SCREENSHOTS, assert_no_horizontal_scroll, screenshot, sign_in
from tests.laporan import conftest as report_fixtures

expect = sync_api.expect

pytestmark = pytest.mark.browser

march = report_fixtures.march  # the hand-built March of the report tests (tests/laporan/conftest.py)
_march_snapshot = report_fixtures._march_snapshot

WIDTHS = (360, 1024, 1366)
SIDE_BY_SIDE_FROM = 992  # Bootstrap's lg breakpoint

_FILLS = "els => els.map(e => e.getAttribute('fill'))"


def _boxes(page):
    return page.locator("#peta").bounding_box(), page.locator(".peta-tabel").bounding_box()


def test_the_map_draws_the_posyandu_without_tiles_recolours_and_links_to_a_posyandu(
    transactional_db, world, march, live_server, new_page, settings
):
    settings.PETA_TILE_URL = ""  # a district network without the internet: no base map
    registry.posyandu_update(posyandu=world.posyandu_a, latitude=Decimal("-5.416700"), longitude=Decimal("119.450000"))
    registry.posyandu_update(posyandu=world.posyandu_b, latitude=Decimal("-5.500000"), longitude=Decimal("119.500000"))
    page = new_page({"width": 1366, "height": 900})
    outside, problems = [], []
    here = urlsplit(live_server.url).netloc
    page.on("request", lambda request: outside.append(request.url) if urlsplit(request.url).netloc != here else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server.url, "kabupaten")
    page.goto(live_server.url + "/laporan/?periode=2026-03")
    expect(page.get_by_role("heading", name="Peta posyandu")).to_be_visible()

    markers = page.locator("#peta path.peta-titik")
    expect(markers).to_have_count(2)  # Mawar and Anggrek; Melati has no coordinates (table only)
    expect(page.locator("#peta .leaflet-tile")).to_have_count(0)
    before = markers.evaluate_all(_FILLS)
    assert sorted(before) == ["#440154", "#fde725"], before  # D/S 80 % the darker, 100 % the lighter
    expect(page.locator("#peta-tabel-isi tr")).to_have_count(3)

    page.locator("#peta-indikator").select_option("stunting")
    expect(page.locator("#peta")).to_have_attribute("data-indicator", "stunting")
    after = markers.evaluate_all(_FILLS)
    assert after != before and "#fff" in after, after  # Anggrek's child was not measured: no data
    expect(page.locator("#peta-tabel-indikator")).to_have_text(re.compile("stunting", re.IGNORECASE))
    expect(page.locator("#peta-tabel-isi tr").first).to_contain_text("Posyandu Mawar")
    expect(page.locator("#peta-legenda li")).to_have_count(2)  # one class (50 %) and "no data"
    expect(page.locator("#peta-legenda li").first).to_have_text("50 %")
    assert "peta=stunting" in page.url

    markers.first.click()
    link = page.locator(".leaflet-popup-content a")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    assert href in (f"/posyandu/{world.posyandu_a.pk}/", f"/posyandu/{world.posyandu_b.pk}/"), href
    expect(page.locator(".leaflet-popup-content")).to_contain_text(re.compile("Posyandu (Mawar|Anggrek)"))
    expect(page.locator(".leaflet-popup-content")).to_contain_text(re.compile("stunting", re.IGNORECASE))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)  # the map resizes on the window's resize event
        assert_no_horizontal_scroll(page, width)
        table_scroll = page.locator(".peta-tabel").evaluate("el => [el.scrollWidth, el.clientWidth]")
        assert table_scroll[0] <= table_scroll[1], f"the table beside the map scrolls sideways at {width}px"
        map_box, table_box = _boxes(page)
        if width < SIDE_BY_SIDE_FROM:
            assert map_box["y"] + map_box["height"] <= table_box["y"], (width, map_box, table_box)
        else:
            assert map_box["x"] + map_box["width"] <= table_box["x"], (width, map_box, table_box)
            assert abs(map_box["y"] - table_box["y"]) < 60, (width, map_box, table_box)
        page.locator("#peta").scroll_into_view_if_needed()
        screenshot(page, f"dashboard_map_{width}.png")
        page.locator("section[aria-labelledby=peta-judul]").screenshot(path=str(SCREENSHOTS / f"map_{width}.png"))
    link = page.locator(".leaflet-popup-content a")
    if not link.is_visible():
        markers.first.click()
    link.click()
    expect(page.get_by_role("heading", name=re.compile("Posyandu (Mawar|Anggrek)"))).to_be_visible()
    assert outside == [], outside  # nothing fetched from outside this machine
    assert not problems, problems
