"""The SIP books of a posyandu and year: the cells from the records, the PDF and the workbook."""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from laporan import sip
from layanan import services as health
from posyandu.models import Sex
from tests import factories
from tests.pdf import pdf_text

YEAR = 2026


@pytest.fixture
def year_2026(world, march):
    """The March scenario of tests/laporan/conftest.py, plus a pregnancy ending in a live birth, a
    vitamin A capsule in February and a dose of BCG."""
    p = world.posyandu_a
    kader = world.users["kader_a"]
    mother = factories.warga(posyandu=p, name="Nurhayati", sex=Sex.PEREMPUAN, birth_date=datetime.date(1998, 7, 1))
    pregnancy = health.kehamilan_register(
        mother=mother, registered_on=datetime.date(2026, 1, 5), hpht=datetime.date(2025, 9, 1), gravida=2
    )
    health.kunjungan_record(
        warga=mother, user=kader, hari_buka=march[1], values={"weight_kg": D("58"), "muac_cm": D("22.5"),
                                                              "ttd_tablets": 30},
    )  # fmt: skip
    health.kehamilan_end(
        kehamilan=pregnancy, outcome="lahir_hidup", ended_on=datetime.date(2026, 2, 20), baby_name="Bayi Nurhayati",
        baby_sex=Sex.LAKI_LAKI, birth_weight_kg=D("3.2"),
    )  # fmt: skip
    budi = p.warga_set.get(name="Budi")
    health.imunisasi_record(warga=budi, antigen="bcg", given_on=datetime.date(2024, 4, 10), user=kader)
    return {"pregnancy": pregnancy, "mother": mother}


def test_books_read_the_records(world, year_2026):
    f1, f2, f4, f5, f6 = sip.books(world.posyandu_a, YEAR, user=world.users["admin"])
    assert [b.code for b in (f1, f2, f4, f5, f6)] == ["F1", "F2", "F4", "F5", "F6"]
    (row,) = f1.rows
    assert row[1] == "Nurhayati" and row[9] == "Lahir hidup" and row[11] == "Bayi Nurhayati" and row[13] == "3,20"
    names = [r[1] for r in f2.rows]
    assert {"Ani", "Budi", "Citra", "Dodi", "Eka", "Bayi Nurhayati"} <= set(names)
    ani = f2.rows[names.index("Ani")]
    assert ani[6 + 1] == "8,0 B"  # February: weighed for the first time
    assert ani[6 + 2].startswith("8,6 ")  # March: the later weighing (at home, 20 March)
    assert "BCG" in f2.rows[names.index("Budi")][-2]
    (pregnant,) = f4.rows
    assert pregnant[6] == "18mg 58,0 L22,5"  # January: gestational weeks, weight, LiLA
    assert pregnant[-6] == "30" and pregnant[-5] == "Ya"  # TTD tablets, KEK (LiLA < 23.5)
    march = f5.rows[2]
    assert march[0] == "Maret" and march[1] == "1"
    march_f6 = dict(zip([c.label for c in f6.columns], f6.rows[2], strict=True))
    assert (march_f6["S"], march_f6["D"], march_f6["N"], march_f6["T"], march_f6["O"], march_f6["B"]) == (
        "6", "4", "1", "1", "1", "1",
    )  # the scenario's five and the baby born in February  # fmt: skip


def test_sip_pdf_is_landscape_and_says_what_f3_needs(world, client, year_2026):
    client.force_login(world.users["pengurus_a"])
    response = client.get(reverse("format:sip_pdf", kwargs={"pk": world.posyandu_a.pk}), {"tahun": YEAR})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for phrase in ("F1 — Register ibu hamil", "F2 — Register bayi dan balita", "F4 — Register ibu hamil dan ibu nifas",
                   "F5 — Data pengunjung", "F6 — Hasil kegiatan posyandu", "F3 — Register WUS/PUS",
                   "Alat/cara kontrasepsi", "Nurhayati"):  # fmt: skip
        assert phrase in text, phrase
    one = client.get(reverse("format:sip_pdf", kwargs={"pk": world.posyandu_a.pk}), {"tahun": YEAR, "buku": "F2"})
    assert "F2 — Register bayi dan balita" in pdf_text(one.content)
    assert "F1 — " not in pdf_text(one.content)


def test_sip_workbook_has_a_sheet_per_book(world, client, year_2026):
    client.force_login(world.users["kecamatan_a"])
    response = client.get(reverse("format:sip_excel", kwargs={"pk": world.posyandu_a.pk}), {"tahun": YEAR})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["F1", "F2", "F4", "F5", "F6", "F3"]
    assert book["F6"]["A4"].value == "Bulan" and book["F6"]["B5"].value == "S"
    assert book["F6"]["B8"].value == 6  # S in March, typed as a number


def test_sip_of_another_kecamatans_posyandu_is_not_found(world, client, year_2026):
    client.force_login(world.users["kecamatan_a"])
    assert client.get(reverse("format:sip_pdf", kwargs={"pk": world.posyandu_b.pk})).status_code == 404


def test_puskesmas_recap_of_a_kecamatan(world, client, march):
    from laporan import rekap_puskesmas

    data = rekap_puskesmas.recap(
        user=world.users["kecamatan_a"], area=world.kecamatan_a, month=datetime.date(2026, 3, 1)
    )
    assert [row.name for row in data["rows"]] == [world.desa_a1.name, world.desa_a2.name]
    desa_a1 = data["rows"][0]
    assert (desa_a1.values["balita_s"], desa_a1.values["balita_d"], desa_a1.values["balita_n"]) == (5, 4, 1)
    assert data["totals"].values["balita_d"] == 4 and data["skdn"]["grand"]["D"] == 4
    assert sum(v for k, v in desa_a1.extra.items() if k.startswith("cat_wfa:")) == 4  # each weighed child once
    client.force_login(world.users["kecamatan_a"])
    response = client.get(reverse("format:rekap_puskesmas_pdf"), {"bulan": "2026-03"})
    text = pdf_text(response.content)
    assert "Rekapitulasi bulanan kegiatan posyandu untuk Puskesmas" in text and world.desa_a1.name in text


def test_puskesmas_recap_of_a_working_area_as_pdf_and_excel(world, client, march):
    """Puskesmas A's area is desa A1 alone: one row, the same figures as desa A1's row of the kecamatan's
    recap; a child weighed at posyandu A2 (desa A2, same kecamatan) is not in it."""
    from laporan import rekap_puskesmas

    other = factories.warga(posyandu=world.posyandu_a2, name="Rahma", birth_date=datetime.date(2025, 6, 1))
    health.kunjungan_record(
        warga=other, user=None, visit_date=datetime.date(2026, 3, 12), values={"weight_kg": D("7.9")}
    )
    month = datetime.date(2026, 3, 1)
    data = rekap_puskesmas.recap(user=world.users["kabupaten"], area=None, month=month, puskesmas=world.puskesmas_a)
    assert [row.name for row in data["rows"]] == [world.desa_a1.name]
    whole = rekap_puskesmas.recap(user=world.users["kabupaten"], area=world.kecamatan_a, month=month)
    assert data["rows"][0].values == whole["rows"][0].values and data["totals"].values["balita_d"] == 4
    assert whole["totals"].values["balita_d"] == 5  # Rahma is in the kecamatan's recap
    assert data["skdn"]["grand"]["D"] == 4

    client.force_login(world.users["puskesmas_a"])  # the officer's own Puskesmas by default
    response = client.get(reverse("format:rekap_puskesmas_pdf"), {"bulan": "2026-03"})
    text = pdf_text(response.content)
    assert "Wilayah kerja Puskesmas Mappakasunggu" in text and "P7305010101" in text
    response = client.get(reverse("format:rekap_puskesmas_excel"), {"bulan": "2026-03"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["SKDN", "Per wilayah", "Status gizi"]
    rows = list(book["Per wilayah"].values)
    assert [r[0] for r in rows[1:]] == [world.desa_a1.name, "Jumlah"]
    d_column = rows[0].index("D")
    assert rows[1][d_column] == 4 and isinstance(rows[1][d_column], int)
    # Another kabupaten's Puskesmas, or a made-up one, is not found.
    assert client.get(reverse("format:rekap_puskesmas_excel"), {"puskesmas": "999999"}).status_code == 404


def test_eppgbm_export_of_a_puskesmas_area(world, client, march):
    other = factories.warga(posyandu=world.posyandu_a2, name="Rahma", birth_date=datetime.date(2025, 6, 1))
    health.kunjungan_record(
        warga=other, user=None, visit_date=datetime.date(2026, 3, 12), values={"weight_kg": D("7.9")}
    )
    client.force_login(world.users["kabupaten"])
    response = client.get(reverse("format:eppgbm_export"), {"bulan": "2026-03", "puskesmas": world.puskesmas_a.pk})
    rows = list(load_workbook(io.BytesIO(response.content))["Data"].values)
    data = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert data and {r["Posyandu"] for r in data} == {"Posyandu Mawar"}
    assert {r["Puskesmas"] for r in data} == {"Puskesmas Mappakasunggu"}
    response = client.get(reverse("format:eppgbm_export"), {"bulan": "2026-03", "wilayah": world.kecamatan_a.code})
    names = {row[1] for row in list(load_workbook(io.BytesIO(response.content))["Data"].values)[1:]}
    assert "Rahma" in names  # by administrative area: desa A2 too, with no Puskesmas (none holds it)
