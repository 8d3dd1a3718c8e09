"""Issue 17's path in a browser: a desa operator uploads 40 kader, confirms, prints the login slips;
a kader logs in with a slip's one-time password and must set their own. The new pages fit 360, 1024
and 1366 px without sideways scrolling, with touch targets of at least 44 px."""

import io
import re
import shutil
import subprocess

import pytest
from openpyxl import Workbook
from playwright import sync_api

from tests.browser.helpers import SCREENSHOTS, assert_no_horizontal_scroll, screenshot, sign_in
from tests.pdf import pdf_text

expect = sync_api.expect
pytestmark = pytest.mark.browser
WIDTHS = (360, 1024, 1366)
FIRST = ["Sitti", "Nur", "Rahma", "Andi", "Hasnah", "Darmawati", "Jumriah", "Kartini"]
LAST = ["Aminah", "Baso", "Daeng Ngai", "Ramlah", "Sanusi"]
# Visible controls in the page's content smaller than a thumb (the navbar is the base template's).
_SMALL_TARGETS = """() => [...document.querySelectorAll(
    "#main a, #main button, #main input:not([type=hidden]), #main select, #main textarea")]
    .filter((el) => el.offsetParent !== null && el.closest("p, td, li, dd, .small") === null
                    || el.matches("a.btn, button, a.tap"))
    .filter((el) => el.offsetParent !== null)
    .map((el) => [el.outerHTML.slice(0, 80), Math.round(el.getBoundingClientRect().height)])
    .filter(([, h]) => h < 44)"""


_OUTSIDE_MAIN = """() => [...document.querySelectorAll("#main *")]
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
    .map((el) => el.outerHTML.slice(0, 80))"""


def forty_kader(path) -> str:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nama", "NIK", "Nomor HP", "Nomor registrasi posyandu", "Bidang"])
    fields = ["Kesehatan", "Pendidikan", "Sosial", "Perumahan Rakyat", "Pekerjaan Umum", "Trantibum Linmas"]
    for i in range(40):
        name = f"{FIRST[i % 8]} {LAST[i // 8]}"
        sheet.append([name, "", f"08123{i:07d}", "73.05.01.2001.001", fields[i % 6]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    target = path / "kader-40.xlsx"
    target.write_bytes(buffer.getvalue())
    return str(target)


def check_fits(page, name: str) -> None:
    page.wait_for_load_state()  # a click's navigation may still be replacing the document
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        if width == 360:
            assert_no_horizontal_scroll(page, width)
        # Wider, the role's navbar (base template, being reworked elsewhere) can overflow before it
        # collapses; these pages' own content must not.
        assert page.evaluate(_OUTSIDE_MAIN) == [], (name, width)
        assert page.evaluate(_SMALL_TARGETS) == [], (name, width)
        screenshot(page, f"akun-{name}-{width}.png")
    page.set_viewport_size({"width": 360, "height": 740})


def test_desa_operator_imports_40_kader_prints_slips_and_a_kader_sets_a_password(
    transactional_db, world, live_server, new_page, tmp_path
):
    page = new_page({"width": 360, "height": 740})
    sign_in(page, live_server.url, "desa_a1")
    page.goto(live_server.url + "/pengguna/")
    check_fits(page, "daftar")
    page.get_by_role("link", name="Impor kader dari Excel").click()
    with page.expect_download() as template:
        page.get_by_role("link", name="Unduh contoh lembar Excel").click()
    assert template.value.suggested_filename == "contoh-impor-kader.xlsx"
    page.locator("input[type=file]").set_input_files(forty_kader(tmp_path))
    page.get_by_role("button", name="Unggah dan lihat pratinjau").click()
    expect(page.locator("#import-summary")).to_have_text("40 baris, 0 bermasalah.")
    check_fits(page, "pratinjau")
    page.get_by_role("button", name="Simpan 40 kader dan buat akunnya").click()
    expect(page.get_by_role("heading", name="40 kader dan akunnya tersimpan")).to_be_visible()
    check_fits(page, "tersimpan")
    with page.expect_download() as download:
        page.get_by_role("link", name="Cetak slip login (PDF)").click()
    pdf = download.value.path().read_bytes()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "akun-slips.pdf").write_bytes(pdf)
    slips_pdf = str(SCREENSHOTS / "akun-slips.pdf")
    subprocess.run(
        [shutil.which("pdftoppm"), "-png", "-r", "60", slips_pdf, str(SCREENSHOTS / "akun-slips")], check=True
    )
    text = pdf_text(pdf)  # (two columns of slips: read them in document order with -raw)
    raw = subprocess.run(
        [shutil.which("pdftotext"), "-raw", slips_pdf, "-"], capture_output=True, text=True, check=True
    )
    slips = re.findall(r"Nama pengguna\s+(\S+)\s+Kata sandi sementara\s+(\S+)", raw.stdout)
    assert len(slips) == 40
    assert "Posyandu Mawar" in text and live_server.url in text

    username, password = slips[0]
    kader_page = new_page({"width": 360, "height": 740})
    kader_page.goto(live_server.url + "/akun/masuk/")
    kader_page.locator("input[name=username]").fill(username)
    kader_page.locator("input[name=password]").fill(password)
    kader_page.get_by_role("button", name="Masuk").click()
    expect(kader_page.get_by_role("heading", name="Buat kata sandi Anda")).to_be_visible()
    check_fits(kader_page, "kata-sandi-baru")
    kader_page.goto(live_server.url + "/")  # anything else: back to setting the password
    expect(kader_page.get_by_role("heading", name="Buat kata sandi Anda")).to_be_visible()
    kader_page.locator("input[name=new_password1]").fill("Kebun-Mangga-2026")
    kader_page.locator("input[name=new_password2]").fill("Kebun-Mangga-2026")
    kader_page.get_by_role("button", name="Simpan kata sandi").click()
    expect(kader_page.get_by_text("Kata sandi baru tersimpan")).to_be_visible()

    page.goto(live_server.url + "/pengguna/?q=" + username)
    page.get_by_role("link", name=re.compile(FIRST[0])).first.click()
    expect(page.get_by_text("kata sandi baru diatur pemilik akun")).to_be_visible()
    check_fits(page, "rincian")
    page.get_by_role("link", name="Ubah").click()
    expect(page.get_by_role("heading", name=re.compile("Ubah akun"))).to_be_visible()
    check_fits(page, "ubah")
