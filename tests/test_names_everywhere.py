"""Names as villages write them — apostrophes, diacritics, and even HTML — arrive intact everywhere:
on pages (as text, never as markup), in the PDFs, in Excel and in the personal-data export."""

import datetime
import io
import json
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kader import services as kader_services
from layanan import services as health
from posyandu.models import SpmField
from tests.layanan.conftest import person
from tests.pdf import pdf_text

CHILD = "Nur'aini Ṣalsabila Daéng"  # Arabic-derived apostrophe, dot below, e acute
MOTHER = "Andi Bau' Massépé"
MARKUP = "<b>Budi</b> & <i>Co</i>"
KADER = "St. Hajrah Dg. Ma'gau Çelik"


@pytest.fixture
def families(world):
    mother = person(world.posyandu_a, MOTHER, birth_date=datetime.date(1996, 4, 2))
    child = person(world.posyandu_a, CHILD, birth_date=datetime.date(2025, 10, 1), mother=mother)
    markup = person(world.posyandu_a, MARKUP, sex="L", birth_date=datetime.date(2025, 9, 1))
    day = health.hari_buka_open(posyandu=world.posyandu_a, date=datetime.date(2026, 3, 10), user=world.users["kader_a"])
    kader = kader_services.kader_register(
        posyandu=world.posyandu_a, name=KADER, field=SpmField.KESEHATAN, start_date=datetime.date(2016, 1, 4)
    )
    return {"mother": mother, "child": child, "markup": markup, "day": day, "kader": kader}


def test_pages_show_the_names_as_text_and_html_in_a_name_is_never_markup(world, login, families):
    client = login(world.users["kader_a"])
    child_page = client.get(reverse("posyandu:warga_detail", args=[families["child"].pk])).content.decode()
    assert "Nur&#x27;aini Ṣalsabila Daéng" in child_page and "Andi Bau&#x27; Massépé" in child_page
    for url, lists_everyone in (
        (reverse("posyandu:warga_detail", args=[families["markup"].pk]), False),
        (reverse("posyandu:warga_list"), True),
        (reverse("layanan:haribuka_detail", args=[families["day"].pk]), True),
    ):
        html = client.get(url).content.decode()
        assert "&lt;b&gt;Budi&lt;/b&gt; &amp; &lt;i&gt;Co&lt;/i&gt;" in html, url
        assert "<b>Budi</b>" not in html, url
        assert ("Nur&#x27;aini Ṣalsabila Daéng" in html) == lists_everyone, url
    html = login(world.users["pengurus_a"]).get(reverse("kader:kader_detail", args=[families["kader"].pk]))
    html = html.content.decode()
    assert "St. Hajrah Dg. Ma&#x27;gau Çelik" in html


def test_the_pdfs_print_the_names_letter_for_letter(world, login, families, tmp_path):
    client = login(world.users["kader_a"])
    sheet = client.get(reverse("laporan:lembar_hari_buka", args=[families["day"].pk]))
    text = pdf_text(sheet.content)
    assert CHILD in text and MOTHER in text
    assert MARKUP in text  # printed as the characters typed, not interpreted
    certificate = login(world.users["pengurus_a"]).get(reverse("laporan:kader_sertifikat", args=[families["kader"].pk]))
    printed = pdf_text(certificate.content)
    # On the page and in the running footer of every page, never as an HTML entity.
    assert printed.count(KADER) >= 3 and "&#x27;" not in printed and "&amp;" not in text
    # Every letter has a glyph: no character fell back to an empty box in the embedded fonts.
    if pdffonts := shutil.which("pdffonts"):
        path = tmp_path / "lembar.pdf"
        path.write_bytes(sheet.content)
        fonts = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True).stdout
        assert "Type 3" not in fonts and fonts.count("yes") >= 1  # embedded TrueType/CID fonts


def test_excel_and_the_personal_data_export_keep_the_names_exactly(world, login, families):
    client = login(world.users["kader_a"])
    sheet = load_workbook(io.BytesIO(client.get(reverse("laporan:excel_warga")).getvalue())).active
    names = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert {CHILD, MOTHER, MARKUP} <= names
    exported = client.get(reverse("laporan:warga_data", args=[families["child"].pk])).content.decode()
    assert json.loads(exported)["warga"]["name"] == CHILD
    assert CHILD in exported  # readable UTF-8, not \\u escapes
