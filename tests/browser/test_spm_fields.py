"""A kader of perumahan rakyat surveys a household and opens a request for it, on a 360 px phone."""

import pytest
from playwright import sync_api

from layanan.models import PermintaanLayanan, SurveiKeluarga
from posyandu import services as posyandu_services
from posyandu.models import Role, SpmField
from tests import factories
from tests.browser.helpers import PHONE, assert_no_horizontal_scroll, screenshot, sign_in
from tests.conftest import PASSWORD

expect = sync_api.expect

pytestmark = pytest.mark.browser


def test_kader_surveys_a_household_and_opens_a_request_on_a_phone(transactional_db, world, live_server, new_page):
    posyandu_services.user_create(
        username="kader_rumah",
        password=PASSWORD,
        role=Role.KADER,
        posyandu=world.posyandu_a,
        field=SpmField.PERUMAHAN_RAKYAT,
        first_name="Syamsuddin",
    )
    keluarga = factories.keluarga(posyandu=world.posyandu_a, head_name="Baso Daeng Ngalle", rt="002", rw="001")
    page = new_page(PHONE)
    problems = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server.url, "kader_rumah")

    page.goto(live_server.url + "/bidang/")
    expect(page.get_by_role("heading", name="Bidang Perumahan Rakyat")).to_be_visible()
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "bidang_home_360.png")

    page.goto(live_server.url + keluarga.get_absolute_url())
    page.get_by_role("link", name="Status rumah tangga (survei) dan permintaan layanan").click()
    expect(page.get_by_text("Keluarga ini belum pernah disurvei.")).to_be_visible()
    page.get_by_role("link", name="Survei keluarga ini").click()

    page.get_by_label("Sumber air minum utama").select_option(label="Sumur bor / pompa")
    page.locator("input[name=water_sufficient][value='1']").check()
    page.get_by_label("Jamban").select_option(label="Jamban cemplung / cubluk")
    page.get_by_label("Pembuangan air limbah rumah tangga").select_option(label="Got terbuka")
    page.get_by_label("Pengelolaan sampah").select_option(label="Dibakar")
    page.get_by_label("Kondisi atap").select_option(label="Rusak berat")
    page.get_by_label("Kondisi dinding").select_option(label="Rusak ringan")
    page.get_by_label("Lantai*", exact=True).select_option(label="Tanah")
    area = page.get_by_label("Luas lantai rumah (m²)*", exact=True)
    assert area.get_attribute("inputmode") == "decimal"
    area.fill("24,5")
    page.get_by_label("Jumlah penghuni").fill("5")
    page.locator("input[name=is_poor][value='1']").check()
    page.locator("input[name=receives_bansos][value='0']").check()
    page.locator("input[name=has_jkn][value='1']").check()
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "bidang_survei_form_360.png")
    page.get_by_role("button", name="Simpan survei").click()

    expect(page.get_by_text("Survei disimpan.")).to_be_visible()
    expect(page.locator(".badge", has_text="RTLH")).to_be_visible()
    survei = SurveiKeluarga.objects.get(keluarga=keluarga)
    assert survei.is_rtlh and not survei.has_proper_latrine and str(survei.floor_area_m2) == "24.5"
    assert survei.has_jkn
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "bidang_keluarga_survei_360.png")

    page.get_by_role("link", name="Ajukan permintaan layanan").click()
    page.get_by_label("Jenis layanan").select_option(label="Perbaikan rumah (RTLH)")
    page.get_by_label("Uraian kebutuhan").fill("Atap rusak berat dan lantai tanah; lima penghuni.")
    page.get_by_role("button", name="Catat permintaan").click()

    expect(page.get_by_role("heading", name="Perbaikan rumah (RTLH)")).to_be_visible()
    expect(page.get_by_text("Dicatat", exact=True).first).to_be_visible()
    permintaan = PermintaanLayanan.objects.get()
    assert (permintaan.keluarga, permintaan.field, permintaan.status) == (keluarga, "perumahan_rakyat", "dicatat")
    assert_no_horizontal_scroll(page, PHONE["width"])
    screenshot(page, "bidang_permintaan_360.png")
    assert problems == []
