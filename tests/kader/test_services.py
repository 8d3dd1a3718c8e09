"""Bad input is refused with a clear message and nothing half-saved."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from openpyxl import Workbook

from kader import services
from kader.models import Kader, Pelatihan, PesertaPelatihan
from tests import factories
from tests.kader.conftest import make_kader, make_pelatihan


def _sheet(rows, header=("Nama", "NIK", "Nomor sertifikat")):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Daftar hadir bimtek kader"])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "peserta.xlsx"
    return buffer


def test_training_ending_before_it_starts_is_refused(world):
    with pytest.raises(ValidationError) as error:
        make_pelatihan(world.kecamatan_a, start_date=datetime.date(2026, 6, 10), end_date=datetime.date(2026, 6, 9))
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in error.value.messages
    assert not Pelatihan.objects.exists()
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it too
        Pelatihan.objects.create(
            title="x",
            organiser_level="kecamatan",
            organiser_opd="x",
            field="sosial",
            wilayah=world.kecamatan_a,
            start_date=datetime.date(2026, 6, 10),
            end_date=datetime.date(2026, 6, 9),
        )


def test_a_kecamatan_training_must_be_recorded_under_a_kecamatan(world):
    with pytest.raises(ValidationError) as error:
        make_pelatihan(world.desa_a1)
    assert "wilayah" in error.value.error_dict


def test_duplicate_participants_are_refused_and_nothing_is_saved(world):
    pelatihan = make_pelatihan(world.kecamatan_a)
    first, second = make_kader(world.posyandu_a, "Sitti"), make_kader(world.posyandu_a2, "Nurhayati")
    user = world.users["kecamatan_a"]
    services.peserta_add_bulk(pelatihan=pelatihan, kader=[first], user=user)
    with pytest.raises(ValidationError) as error:
        services.peserta_add_bulk(pelatihan=pelatihan, kader=[second, first], user=user)
    assert "Sitti sudah terdaftar sebagai peserta pelatihan ini." in error.value.messages
    assert PesertaPelatihan.objects.filter(pelatihan=pelatihan).count() == 1  # Nurhayati not half-added
    with pytest.raises(IntegrityError), transaction.atomic():
        PesertaPelatihan.objects.create(pelatihan=pelatihan, kader=first)


def test_kader_outside_the_training_area_cannot_take_part(world):
    pelatihan = make_pelatihan(world.kecamatan_a)
    outsider = make_kader(world.posyandu_b, "Hasnah")
    with pytest.raises(ValidationError) as error:
        services.peserta_add_bulk(pelatihan=pelatihan, kader=[outsider], user=world.users["kabupaten"])
    assert "Hasnah bukan kader di wilayah pelatihan ini." in error.value.messages


def test_inactive_kader_needs_end_date_and_reason(world):
    kader = make_kader(world.posyandu_a)
    with pytest.raises(ValidationError):
        services.kader_deactivate(kader=kader, end_date=datetime.date(2026, 1, 1), end_reason=" ")
    with pytest.raises(ValidationError):
        services.kader_deactivate(
            kader=Kader.objects.get(pk=kader.pk), end_date=datetime.date(2010, 1, 1), end_reason="x"
        )
    kader = services.kader_deactivate(
        kader=Kader.objects.get(pk=kader.pk), end_date=datetime.date(2026, 1, 1), end_reason="Pindah"
    )
    assert kader.status == "nonaktif"


def test_registering_with_the_nik_of_a_person_links_the_people_register(world):
    nik = factories.nik(kecamatan="73.05.01", birth_date=datetime.date(1990, 4, 5), sex="P")
    warga = factories.warga(
        posyandu=world.posyandu_a, name="Sitti Aminah", sex="P", birth_date=datetime.date(1990, 4, 5), nik=nik
    )
    kader = make_kader(world.posyandu_a, nik=nik)
    assert kader.warga == warga


def _import_world(world):
    pelatihan = make_pelatihan(world.kecamatan_a)
    nik = "7305014505900001"
    sitti = make_kader(world.posyandu_a, "Sitti Aminah", nik=nik)
    nur = make_kader(world.posyandu_a2, "Nurhayati")
    make_kader(world.posyandu_a, "Hasna")
    make_kader(world.posyandu_a2, "Hasna")
    make_kader(world.posyandu_b, "Rahmawati")  # another kecamatan
    return pelatihan, sitti, nur


def test_import_preview_shows_matches_and_every_problem_and_saves_nothing(world):
    pelatihan, sitti, nur = _import_world(world)
    sheet = _sheet(
        [
            ("Siti Aminah", "7305014505900001", "SRT-001"),  # matched by NIK, name spelled differently
            ("nurhayati", "", "SRT-002"),  # matched by name
            ("Hasna", "", ""),  # two kader of this name
            ("Rahmawati", "", ""),  # not in the training's area
            ("Orang Lain", "7305019999990001", ""),  # unknown NIK
            ("Nurhayati", "", ""),  # repeats row 4
            ("Salah", "12345", ""),  # malformed NIK
        ]
    )
    preview = services.peserta_import_preview(pelatihan=pelatihan, file=sheet, user=world.users["kecamatan_a"])
    by_line = {row.line: row for row in preview.rows}
    assert by_line[3].kader == sitti and by_line[3].ok and "Siti Aminah" in by_line[3].note
    assert by_line[4].kader == nur and by_line[4].ok
    assert "Ada 2 kader bernama ini" in by_line[5].problem
    assert "Nama tidak ditemukan" in by_line[6].problem
    assert by_line[7].problem == "NIK tidak terdaftar sebagai kader di wilayah pelatihan ini."
    assert by_line[8].problem == "Kader yang sama dengan baris 4."
    assert by_line[9].problem == "NIK harus 16 digit angka."
    assert not preview.can_save
    assert not PesertaPelatihan.objects.exists()


def test_a_clean_import_saves_every_row_with_its_certificate(world):
    pelatihan, _sitti, _nur = _import_world(world)
    sheet = _sheet([("Sitti Aminah", "7305014505900001", "SRT-001"), ("Nurhayati", "", "SRT-002")])
    user = world.users["kecamatan_a"]
    preview = services.peserta_import_preview(pelatihan=pelatihan, file=sheet, user=user)
    assert preview.can_save
    services.peserta_import(pelatihan=pelatihan, payload=preview.payload(), user=user)
    assert dict(PesertaPelatihan.objects.values_list("kader__name", "certificate_number")) == {
        "Sitti Aminah": "SRT-001",
        "Nurhayati": "SRT-002",
    }


def test_a_file_that_is_not_excel_is_refused(world):
    pelatihan = make_pelatihan(world.kecamatan_a)
    upload = io.BytesIO(b"nama,nik\nSitti,123")
    with pytest.raises(ValidationError) as error:
        services.peserta_import_preview(pelatihan=pelatihan, file=upload, user=world.users["kecamatan_a"])
    assert "Unggah lembar Excel (.xlsx)" in error.value.messages[0]


def test_duplicate_certificate_numbers_are_refused(world):
    pelatihan = make_pelatihan(world.kecamatan_a)
    a, b = make_kader(world.posyandu_a, "A"), make_kader(world.posyandu_a, "B")
    rows = services.peserta_add_bulk(pelatihan=pelatihan, kader=[a, b], user=world.users["kecamatan_a"])
    with pytest.raises(ValidationError):
        services.peserta_update_bulk(pelatihan=pelatihan, rows={rows[0].pk: (True, "X1"), rows[1].pk: (True, "X1")})
    assert not PesertaPelatihan.objects.exclude(certificate_number="").exists()


def test_the_template_sheet_reads_back_as_an_import(world):
    pelatihan = make_pelatihan(world.kecamatan_a)
    sheet = io.BytesIO(services.import_template())
    preview = services.peserta_import_preview(pelatihan=pelatihan, file=sheet, user=world.users["kecamatan_a"])
    assert [row.line for row in preview.rows] == [2]  # the example row, not found: nothing to save
    assert not preview.can_save


def test_kader_records_dated_in_an_approved_month_are_refused_with_its_name(world):
    """The kader app never checked the lock: a participant of a June training and an assessment
    dated in June are refused once June is approved for the kader's posyandu (nothing saved)."""
    from kader.models import Kompetensi, PenilaianKompetensi
    from posyandu.models import BulanTerkunci

    pelatihan = make_pelatihan(world.kecamatan_a)  # 10-11 June 2026
    sitti = make_kader(world.posyandu_a, "Sitti")
    BulanTerkunci.objects.create(posyandu=world.posyandu_a, month=datetime.date(2026, 6, 1))
    with pytest.raises(ValidationError, match="Juni 2026"):
        services.peserta_add_bulk(pelatihan=pelatihan, kader=[sitti], user=world.users["kecamatan_a"])
    assert not PesertaPelatihan.objects.exists()
    results = dict.fromkeys(Kompetensi.objects.all()[:2], "lulus")
    with pytest.raises(ValidationError, match="Juni 2026"):
        services.penilaian_record(
            kader=sitti, assessed_on=datetime.date(2026, 6, 12), assessor="Bidan", results=results
        )
    assert not PenilaianKompetensi.objects.exists()
    # July is open
    services.penilaian_record(kader=sitti, assessed_on=datetime.date(2026, 7, 2), assessor="Bidan", results=results)
