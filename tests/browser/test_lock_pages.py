"""A page that says "no" fits every screen: the lockout page naming who can unlock the account."""

import pytest
from playwright import sync_api

from tests.browser.helpers import fits_each_width, sign_in

expect = sync_api.expect
pytestmark = pytest.mark.browser


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
    fits_each_width(page, "lockout")


def test_a_weight_typed_while_the_month_was_approved_is_refused_with_the_months_name_and_kept(
    transactional_db, world, live_server, new_page
):
    """The kader opens a child's entry; before Simpan, the kecamatan approves the month. The kader
    reads which month is locked and why, on every screen, with the weight still in the field."""
    import datetime

    from laporan import services as reports
    from layanan import services as health
    from layanan.models import Kunjungan
    from tests.layanan.conftest import person

    child = person(world.posyandu_a, "Ahmad Fauzi", birth_date=datetime.date(2025, 3, 10))
    hari_buka = health.hari_buka_open(posyandu=world.posyandu_a, date=datetime.date(2026, 3, 10),
                                      user=world.users["kader_a"])  # fmt: skip
    page = new_page({"width": 360, "height": 740})
    sign_in(page, live_server.url, "kader_a")
    page.goto(live_server.url + hari_buka.get_absolute_url())
    page.get_by_role("link", name=child.name, exact=True).click()
    expect(page.get_by_role("heading", name=child.name)).to_be_visible()

    laporan = reports.laporan_get_or_create(posyandu=world.posyandu_a, month=datetime.date(2026, 3, 1))
    for role, action in (("pengurus_a", "ajukan"), ("desa_a1", "verifikasi"), ("kecamatan_a", "setujui")):
        laporan = reports.laporan_transition(laporan=laporan, action=action, user=world.users[role])

    page.get_by_label("Berat badan (kg)").fill("9,6")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Maret 2026").first).to_be_visible()
    expect(page.get_by_text("dikunci").first).to_be_visible()
    assert page.get_by_label("Berat badan (kg)").input_value() == "9,6"
    assert not Kunjungan.objects.filter(warga=child).exists()
    fits_each_width(page, "month_locked_entry")
