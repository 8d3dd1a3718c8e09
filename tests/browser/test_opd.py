"""An officer of Dinas Sosial signs in, sees the queue of requests forwarded to their OPD with its
deadlines, accepts one, closes another with a note, and cannot open another field's pages."""

import datetime

import pytest
from playwright import sync_api

from layanan import services
from layanan.models import PermintaanLayanan
from posyandu import dates
from tests import factories
from tests.browser.helpers import PHONE, assert_no_horizontal_scroll, log_in, screenshot

expect = sync_api.expect

pytestmark = pytest.mark.browser
WIDTHS = (PHONE["width"], 1024, 1366)


def _forwarded(world, opd, head_name: str, verified_days_ago: int) -> PermintaanLayanan:
    today = dates.today()
    keluarga = factories.keluarga(posyandu=world.posyandu_a, head_name=head_name)
    recorded = today - datetime.timedelta(days=verified_days_ago + 1)
    verified = today - datetime.timedelta(days=verified_days_ago)
    permintaan = services.permintaan_create(
        field="sosial",
        kind="bansos",
        description="Lansia tinggal sendiri",
        keluarga=keluarga,
        user=None,
        recorded_on=recorded,
    )
    permintaan = services.permintaan_transition(permintaan=permintaan, to_status="diverifikasi", user=None, on=verified)
    return services.permintaan_transition(
        permintaan=permintaan, to_status="diteruskan", user=None, on=verified, forwarded_opd=opd
    )


def test_opd_officer_works_through_the_queue(transactional_db, world, opd_cast, live_server, new_page):
    late = _forwarded(world, opd_cast.dinsos, "Baso Daeng Ngalle", verified_days_ago=20)
    fresh = _forwarded(world, opd_cast.dinsos, "Sitti Aminah", verified_days_ago=0)
    _forwarded(world, opd_cast.dukcapil, "Daeng Tiro", verified_days_ago=1)  # another OPD's: not shown
    problems = []
    page = new_page(PHONE)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    log_in(page, live_server.url, "opd_sosial")

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + "/")
        expect(page.get_by_role("heading", name="Dinas Sosial")).to_be_visible()
        assert_no_horizontal_scroll(page, width)
        screenshot(page, f"opd_home_{width}.png")
    rows = page.locator("#opd-queue tbody tr")
    expect(rows).to_have_count(2)
    assert rows.nth(0).get_attribute("data-permintaan") == str(late.pk)  # the late one on top
    expect(rows.nth(0).locator("[data-days-left]")).to_contain_text("terlambat")
    expect(rows.nth(1).locator("[data-days-left]")).to_contain_text("sisa 5 hari kerja")
    expect(page.get_by_text("Daeng Tiro")).to_have_count(0)

    page.set_viewport_size(PHONE)
    rows.nth(1).get_by_role("link", name="Buka").click()
    expect(page.get_by_role("heading", name="Bantuan sosial")).to_be_visible()
    page.get_by_text("Terima permintaan").click()
    page.locator("details[open]").get_by_role("button", name="Diterima OPD").click()
    expect(page.locator("[data-status]")).to_have_text("Diterima OPD")
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "opd_request_accepted_360.png")

    page.goto(live_server.url + late.get_absolute_url())
    expect(page.get_by_role("heading", name="Bantuan sosial")).to_be_visible()
    page.get_by_text("Tandai selesai").click()
    page.locator("details[open]").get_by_role(
        "button", name="Selesai"
    ).click()  # without a note: refused, the form says why
    expect(page.get_by_text("Tuliskan catatan apa yang sudah dilakukan.")).to_be_visible()
    page.locator("details[open] [name=note]").fill("Sudah masuk DTKS, bansos cair bulan ini")
    page.locator("details[open]").get_by_role("button", name="Selesai").click()
    expect(page.locator("[data-status]")).to_have_text("Selesai")
    expect(page.get_by_text("Sudah masuk DTKS, bansos cair bulan ini")).to_be_visible()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.reload()
        expect(page.get_by_role("heading", name="Bantuan sosial")).to_be_visible()
        assert_no_horizontal_scroll(page, width)
        screenshot(page, f"opd_request_done_{width}.png")
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert (late.status, fresh.status) == ("selesai", "diterima")

    response = page.goto(live_server.url + "/laporan/?bidang=kesehatan")  # another field's figures
    assert response.status == 404
    response = page.goto(live_server.url + "/bidang/")  # the fields' pages are the posyandu's
    assert response.status == 403
    response = page.goto(live_server.url + "/laporan/")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sosial")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        page.reload()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Sosial")
        if width > PHONE["width"]:  # on a phone the league table scrolls in its own box, as for every role
            assert_no_horizontal_scroll(page, width)
        screenshot(page, f"opd_dashboard_{width}.png")
    assert problems == []
