"""A Tim Pembina member registers a training and its participants on a 360 px phone."""

import datetime

import pytest
from playwright import sync_api

from kader.models import Pelatihan, PesertaPelatihan
from tests.browser.helpers import PHONE, assert_no_horizontal_scroll, log_in, screenshot, sign_in
from tests.kader.conftest import make_kader

expect = sync_api.expect

pytestmark = pytest.mark.browser


def test_pembina_registers_a_training_with_participants_on_a_phone(transactional_db, world, live_server, new_page):
    make_kader(world.posyandu_a, "Sitti Aminah", field="sosial", start_date=datetime.date(2015, 1, 5))
    make_kader(world.posyandu_a, "Nurhayati", field="sosial", start_date=datetime.date(2019, 7, 1))
    make_kader(world.posyandu_a, "Hasnah", field="kesehatan", start_date=datetime.date(2020, 2, 1))
    page = new_page(PHONE)
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    sign_in(page, live_server.url, "kecamatan_a")
    page.goto(live_server.url + "/kader/pelatihan/baru/")
    page.get_by_label("Nama pelatihan").fill("Bimtek kader sosial")
    page.get_by_label("OPD penyelenggara").fill("Dinas Sosial")
    page.get_by_label("Bidang SPM").select_option("sosial")
    page.get_by_label("Tanggal mulai").fill("2026-06-10")
    page.get_by_label("Tanggal selesai").fill("2026-06-09")  # out of order first
    assert page.get_by_label("Jumlah jam (JPL)").get_attribute("inputmode") == "decimal"
    page.get_by_label("Jumlah jam (JPL)").fill("16")
    assert_no_horizontal_scroll(page, PHONE["width"])
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_text("Tanggal selesai tidak boleh sebelum tanggal mulai.").first).to_be_visible()
    assert page.get_by_label("Nama pelatihan").input_value() == "Bimtek kader sosial"  # kept
    page.get_by_label("Tanggal selesai").fill("2026-06-11")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("heading", name="Tambah peserta")).to_be_visible()

    page.get_by_label("Dari posyandu").select_option(label="Posyandu Mawar — Desa Lassang")
    page.get_by_label("Bidang kader").select_option("sosial")
    page.get_by_role("button", name="Tampilkan").click()
    expect(page.get_by_text("2 kader aktif belum terdaftar")).to_be_visible()
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "kader_peserta_add_360.png")
    page.get_by_role("button", name="Tambahkan yang dicentang").click()
    expect(page.get_by_text("2 peserta ditambahkan.")).to_be_visible()
    expect(page.locator("#peserta")).to_contain_text("Sitti Aminah")
    expect(page.locator("#peserta")).to_contain_text("Nurhayati")
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "kader_pelatihan_detail_360.png")

    pelatihan = Pelatihan.objects.get()
    assert pelatihan.organiser_level == "kecamatan" and pelatihan.wilayah_id == world.kecamatan_a.code
    assert PesertaPelatihan.objects.filter(pelatihan=pelatihan).count() == 2
    assert problems == []


def test_coverage_screen_fits_a_phone_and_answers_the_gap_question(transactional_db, world, live_server, new_page):
    from kader import services
    from tests.kader.conftest import make_pelatihan

    trained = make_kader(world.posyandu_a, "Sitti Aminah", field="sosial")
    make_kader(world.posyandu_a2, "Nurhayati", field="sosial")
    services.peserta_add_bulk(
        pelatihan=make_pelatihan(world.kecamatan_a), kader=[trained], user=world.users["kabupaten"]
    )
    page = new_page(PHONE)
    log_in(page, live_server.url, "kabupaten")
    page.get_by_role("button", name="Buka menu").click()
    # Opened, not still sliding open: a click on a link that is still moving can land beside it.
    expect(page.locator("#nav-main.show")).to_be_visible()
    menu_link = page.locator("#nav-main").get_by_role("link", name="Cakupan kader")
    expect(menu_link).to_be_visible()
    menu_link.click()
    expect(page.get_by_role("heading", name="Cakupan kader")).to_be_visible()
    page.get_by_label("Kecamatan").select_option(label="Kec. Mappakasunggu")
    page.get_by_label("Bidang").select_option("sosial")
    page.get_by_role("button", name="Terapkan").click()
    expect(page.locator("#gaps")).to_contain_text("Posyandu Melati")
    expect(page.locator("#gaps")).not_to_contain_text("Posyandu Mawar")
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "kader_coverage_360.png")
