"""Pages of the five other fields as their users meet them: recording, bad input kept with Indonesian
messages, uploads refused when too big or of the wrong type, scoped downloads, confidential incidents,
the request flow through its buttons, and query budgets that do not grow with the rows."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from layanan import services as services
from layanan.models import DokumenPermintaan, Kegiatan, PermintaanLayanan, SurveiKeluarga
from tests import factories

PNG = factories.image_bytes("PNG")

SURVEY_POST = {
    "survey_date": "2026-03-02",
    "water_source": "sumur_bor",
    "water_sufficient": "1",
    "latrine": "sendiri_septik",
    "waste_water": "resapan",
    "rubbish": "bank_sampah",
    "roof": "baik",
    "walls": "rusak_ringan",
    "floor": "tanah",
    "floor_area_m2": "36,5",
    "occupants": "5",
    "disaster_damage": "tidak",
    "is_poor": "1",
    "receives_bansos": "1",
    "bansos_programmes": ["pkh", "pbi_jk"],
    "has_jkn": "1",
    "disabled_members": "1",
    "neglected_elderly": "",
    "neglected_children": "",
    "notes": "",
}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def keluarga(world):
    return factories.keluarga(posyandu=world.posyandu_a, head_name="Baso Daeng Ngalle", rt="002", rw="001")


@pytest.fixture
def permintaan(world, keluarga):
    return services.permintaan_create(
        field="perumahan_rakyat",
        kind="rtlh",
        description="Atap bocor",
        keluarga=keluarga,
        user=world.users["pengurus_a"],
        recorded_on=datetime.date(2026, 3, 2),
    )


def test_kader_records_a_household_survey_typed_the_indonesian_way(login, world, bidang_kader, keluarga):
    client = login(bidang_kader["perumahan_rakyat"])
    response = client.post(reverse("bidang:survei_create", args=[keluarga.pk]), SURVEY_POST, follow=True)
    assert response.status_code == 200
    survei = SurveiKeluarga.objects.get(keluarga=keluarga)
    assert str(survei.floor_area_m2) == "36.5"
    assert survei.bansos_programmes == ["pkh", "pbi_jk"]
    assert survei.is_rtlh and survei.has_safe_water and survei.has_proper_latrine
    text = response.content.decode()
    assert "tidak layak huni (RTLH)" in text and "lantai tanah" in text
    assert "PKH, PBI-JK (BPJS Kesehatan)" in text


def test_a_second_survey_starts_from_the_current_state(login, world, bidang_kader, keluarga):
    client = login(bidang_kader["sosial"])
    client.post(reverse("bidang:survei_create", args=[keluarga.pk]), SURVEY_POST)
    response = client.get(reverse("bidang:survei_create", args=[keluarga.pk]))
    assert response.context["form"]["water_source"].value() == "sumur_bor"
    assert response.context["form"]["floor_area_m2"].value() == SurveiKeluarga.objects.get().floor_area_m2


def test_bad_survey_input_is_explained_and_kept(login, world, bidang_kader, keluarga):
    client = login(bidang_kader["pekerjaan_umum"])
    data = {**SURVEY_POST, "floor_area_m2": "tiga puluh", "occupants": "0", "bansos_programmes": [], "water_source": ""}
    response = client.post(reverse("bidang:survei_create", args=[keluarga.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["floor_area_m2"] == ["Masukkan angka, misalnya 8,5."]
    assert "occupants" in errors and "water_source" in errors
    assert errors["bansos_programmes"] == ["Pilih program bansos yang diterima."]
    assert 'value="tiga puluh"' in response.content.decode()
    assert not SurveiKeluarga.objects.exists()


def test_duplicate_survey_date_is_refused_with_a_message(login, world, bidang_kader, keluarga):
    client = login(bidang_kader["sosial"])
    client.post(reverse("bidang:survei_create", args=[keluarga.pk]), SURVEY_POST)
    response = client.post(reverse("bidang:survei_create", args=[keluarga.pk]), SURVEY_POST)
    assert response.context["form"].errors["survey_date"] == ["Keluarga ini sudah disurvei pada tanggal tersebut."]
    assert SurveiKeluarga.objects.count() == 1


def test_kader_of_health_cannot_record_a_survey(login, world, keluarga):
    response = login(world.users["kader_a"]).post(reverse("bidang:survei_create", args=[keluarga.pk]), SURVEY_POST)
    assert response.status_code == 403
    assert not SurveiKeluarga.objects.exists()


def test_kader_records_an_activity_of_their_own_field_only(login, world, bidang_kader):
    client = login(bidang_kader["pendidikan"])
    form = client.get(reverse("bidang:kegiatan_create")).context["form"]
    assert [value for value, _label in form.fields["field"].choices] == ["pendidikan"]
    data = {
        "posyandu": world.posyandu_a.pk,
        "field": "sosial",  # not theirs: refused
        "kind": "literasi",
        "topic": "Membaca bersama",
        "date": "2026-03-03",
        "attendance_women": "12",
    }
    response = client.post(reverse("bidang:kegiatan_create"), data)
    assert "field" in response.context["form"].errors
    response = client.post(reverse("bidang:kegiatan_create"), {**data, "field": "pendidikan"})
    assert response.status_code == 302
    assert Kegiatan.objects.get().reporting_month == datetime.date(2026, 3, 1)


def test_confidential_incident_hidden_from_other_kader_and_pengurus(login, world, bidang_kader):
    from posyandu import services as posyandu_services
    from posyandu.models import Role

    secret = services.kejadian_record(
        posyandu=world.posyandu_a,
        kind="kdrt",
        occurred_on=datetime.date(2026, 2, 1),
        place="RT 01",
        description="Laporan KDRT",
        user=bidang_kader["trantibum_linmas"],
    )
    other = posyandu_services.user_create(
        username="trantibum_lain",
        password="rahasia-uji-123",
        role=Role.KADER,
        posyandu=world.posyandu_a,
        field="trantibum_linmas",
    )
    url = reverse("bidang:kejadian_detail", args=[secret.pk])
    for user in (other, world.users["pengurus_a"]):
        client = login(user)
        assert client.get(url).status_code == 404
        assert "Laporan KDRT" not in client.get(reverse("bidang:kejadian_list")).content.decode()
    for user in (bidang_kader["trantibum_linmas"], world.users["desa_a1"], world.users["kecamatan_a"]):
        assert login(user).get(url).status_code == 200


def test_kader_opens_a_request_for_a_household(login, world, bidang_kader, keluarga):
    client = login(bidang_kader["perumahan_rakyat"])
    response = client.get(reverse("bidang:permintaan_create") + f"?keluarga={keluarga.pk}")
    assert response.status_code == 200
    data = {"field": "perumahan_rakyat", "kind": "rtlh", "keluarga": keluarga.pk, "description": "Atap bocor"}
    response = client.post(reverse("bidang:permintaan_create") + f"?keluarga={keluarga.pk}", data)
    permintaan = PermintaanLayanan.objects.get()
    assert response["Location"] == permintaan.get_absolute_url()
    assert permintaan.recorded_by == bidang_kader["perumahan_rakyat"]


def test_request_for_a_household_outside_the_scope_is_refused(login, world, bidang_kader):
    outside = factories.keluarga(posyandu=world.posyandu_b, head_name="Orang lain")
    client = login(bidang_kader["sosial"])
    data = {"field": "sosial", "kind": "bansos", "keluarga": outside.pk, "description": "x"}
    response = client.post(reverse("bidang:permintaan_create"), data)
    assert response.context["form"].errors["keluarga"] == ["Pilih keluarga di wilayah tugas Anda."]
    assert client.get(reverse("bidang:permintaan_create") + f"?keluarga={outside.pk}").status_code == 404
    assert not PermintaanLayanan.objects.exists()


def test_desa_verifies_and_the_deadline_shows(login, world, permintaan):
    client = login(world.users["desa_a1"])
    page = client.get(permintaan.get_absolute_url()).content.decode()
    assert "Verifikasi (sudah kunjungan rumah)" in page
    response = client.post(
        reverse("bidang:permintaan_transition", args=[permintaan.pk]),
        {"to_status": "diverifikasi", "on": "2026-03-04", "note": "Sudah dikunjungi"},
        follow=True,
    )
    assert "Batas waktu Rabu, 11 Mar 2026" in response.content.decode()
    permintaan.refresh_from_db()
    assert permintaan.status == "diverifikasi"


def test_illegal_transition_through_the_page_is_refused_and_the_note_kept(login, world, permintaan):
    client = login(world.users["admin"])
    response = client.post(
        reverse("bidang:permintaan_transition", args=[permintaan.pk]),
        {"to_status": "selesai", "on": "2026-03-04", "note": "catatan saya"},
    )
    assert response.status_code == 400
    assert "tidak bisa diubah menjadi selesai" in response.content.decode()
    response = client.post(
        reverse("bidang:permintaan_transition", args=[permintaan.pk]),
        {"to_status": "ditolak", "on": "2026-03-04", "note": "catatan saya"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Tuliskan alasan permintaan ditolak." in text and 'value="catatan saya"' in text
    permintaan.refresh_from_db()
    assert permintaan.status == "dicatat"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("surat.exe", b"MZ\x90\x00", "Hanya berkas PDF, JPG atau PNG yang dapat diunggah."),
        ("foto.png", b"GIF89a...", "Isi berkas bukan PNG yang sah."),
        ("besar.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "Berkas terlalu besar (5.0 MB); paling besar 5 MB."),
    ],
)
def test_bad_uploads_are_refused(login, world, permintaan, name, content, message):
    client = login(world.users["pengurus_a"])
    response = client.post(
        reverse("bidang:dokumen_upload", args=[permintaan.pk]),
        {"kind": "foto", "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DokumenPermintaan.objects.exists()


def test_upload_and_scoped_download(login, world, permintaan, tmp_path):
    client = login(world.users["pengurus_a"])
    response = client.post(
        reverse("bidang:dokumen_upload", args=[permintaan.pk]),
        {"kind": "foto", "file": SimpleUploadedFile("rumah.png", PNG, content_type="image/png")},
    )
    assert response.status_code == 302
    dokumen = DokumenPermintaan.objects.get()
    assert dokumen.file.path.startswith(str(tmp_path))  # under MEDIA_ROOT, never under a served URL
    url = reverse("bidang:dokumen_download", args=[dokumen.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    assert download["Content-Type"] == "image/png"
    assert "attachment" in download["Content-Disposition"]
    assert login(world.users["kader_b"]).get(url).status_code == 404  # another kecamatan
    assert login(world.users["kader_a"]).get(url).status_code == 404  # another field (kesehatan)


def test_overdue_requests_are_highlighted(login, world, permintaan):
    services.permintaan_transition(
        permintaan=permintaan, to_status="diverifikasi", user=world.users["desa_a1"], on=datetime.date(2026, 3, 4)
    )
    client = login(world.users["kecamatan_a"])
    response = client.get(reverse("bidang:permintaan_list") + "?terlambat=on")
    text = response.content.decode()
    assert "melewati batas 5 hari kerja" in text and "terlambat" in text
    assert list(response.context["page"].object_list) == [permintaan]
    assert "melewati batas waktu" in client.get(reverse("bidang:home")).content.decode()


# ---------------------------------------------------------------------------------------------
# Query budgets: the same number of queries for 0 and 30 rows.
# ---------------------------------------------------------------------------------------------
def _many(world, count):
    keluarga = factories.keluarga(posyandu=world.posyandu_a, head_name="Banyak")
    for i in range(count):
        child = factories.warga(
            posyandu=world.posyandu_a, name=f"Anak {i}", birth_date=datetime.date(2016, 1, 1 + i % 28)
        )
        services.pendidikan_record(warga=child, recorded_on=datetime.date(2026, 1, 5), status="sd", user=None)
        services.kegiatan_record(
            posyandu=world.posyandu_a,
            field="sosial",
            kind="kie",
            topic=f"T{i}",
            date=datetime.date(2026, 1, 5),
            attendance_women=3,
            user=None,
        )
        services.kejadian_record(
            posyandu=world.posyandu_a,
            kind="kebakaran",
            occurred_on=datetime.date(2026, 1, 5),
            place="x",
            description="x",
            user=None,
        )
        services.permintaan_create(
            field="sosial",
            kind="bansos",
            description="x",
            keluarga=keluarga,
            warga=child if i % 2 else None,
            user=None,
            recorded_on=datetime.date(2026, 1, 5),
        )


# Each list: session + user (2), the count for the paginator (1), the page's rows (1) — plus:
BUDGETS = {
    "bidang:permintaan_list": 5,  # + the open/overdue counts
    "bidang:kegiatan_list": 4,
    "bidang:kejadian_list": 4,
    "bidang:pendidikan_list": 4,
    # session, user, request counts, survey summary, unsurveyed count, next households to survey, open requests
    "bidang:home": 7,
}


@pytest.mark.parametrize("rows", [0, 30])
@pytest.mark.parametrize("url_name", sorted(BUDGETS))
def test_list_query_budget_does_not_grow(login, world, django_assert_num_queries, url_name, rows):
    _many(world, rows)
    client = login(world.users["pengurus_a"])
    with django_assert_num_queries(BUDGETS[url_name] - (1 if rows == 0 and url_name != "bidang:home" else 0)):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_kader_of_pendidikan_records_an_out_of_school_child(login, world, bidang_kader):
    child = factories.warga(posyandu=world.posyandu_a, name="Rahmat", birth_date=datetime.date(2014, 7, 1))
    client = login(bidang_kader["pendidikan"])
    url = reverse("bidang:pendidikan_create", args=[child.pk])
    response = client.post(url, {"recorded_on": "2026-03-02", "status": "putus_sekolah", "reason": ""})
    assert response.context["form"].errors["reason"] == ["Pilih alasan anak tidak sekolah."]
    response = client.post(url, {"recorded_on": "2026-03-02", "status": "putus_sekolah", "reason": "bekerja"})
    assert response.status_code == 302
    listing = client.get(reverse("bidang:pendidikan_list") + "?tampil=ats").content.decode()
    assert "Rahmat" in listing and "Bekerja / membantu orang tua" in listing


def test_kader_of_trantibum_records_an_incident_and_future_dates_are_refused(login, world, bidang_kader):
    client = login(bidang_kader["trantibum_linmas"])
    data = {
        "posyandu": world.posyandu_a.pk,
        "kind": "bencana",
        "occurred_on": "2099-01-01",
        "place": "Dusun Bontoa",
        "people_affected": "12",
        "description": "Banjir",
    }
    response = client.post(reverse("bidang:kejadian_create"), data)
    assert response.context["form"].errors["occurred_on"] == ["Tanggal kejadian tidak boleh di masa depan."]
    assert 'value="Dusun Bontoa"' in response.content.decode()
    response = client.post(reverse("bidang:kejadian_create"), {**data, "occurred_on": "2026-02-10"}, follow=True)
    assert "Banjir" in response.content.decode()
    assert login(bidang_kader["sosial"]).get(reverse("bidang:kejadian_list")).status_code == 403


def test_nav_names_the_field_of_a_kader(login, bidang_kader):
    page = login(bidang_kader["sosial"]).get(reverse("bidang:home")).content.decode()
    assert ">Sosial</a>" in page and "Bidang Sosial" in page


@pytest.mark.parametrize("documents", [0, 30])
def test_request_page_query_budget_does_not_grow_with_documents(
    login, world, permintaan, django_assert_num_queries, documents
):
    for i in range(documents):
        services.dokumen_attach(
            permintaan=permintaan,
            kind="foto",
            upload=SimpleUploadedFile(f"foto{i}.png", PNG, content_type="image/png"),
            user=world.users["pengurus_a"],
        )
    client = login(world.users["desa_a1"])
    # session, user, the request (with posyandu, desa, household, person), its history (with who), its documents
    with django_assert_num_queries(5):
        response = client.get(permintaan.get_absolute_url())
    assert response.content.decode().count("foto") >= documents


@pytest.mark.parametrize(
    ("roof", "walls", "floor", "area", "occupants"),
    [
        (roof, walls, floor, area, occupants)
        for roof in ("baik", "rusak_berat")
        for walls in ("rusak_ringan", "rusak_berat")
        for floor in ("baik", "rusak", "tanah")
        for area, occupants in (("36", "5"), ("35.9", "5"), ("7.2", "1"))
    ],
)
def test_generated_rtlh_column_agrees_with_the_reasons_shown(world, roof, walls, floor, area, occupants):
    from decimal import Decimal

    from tests.layanan.test_spm_fields_services import GOOD_HOUSE

    keluarga = factories.keluarga(posyandu=world.posyandu_a, head_name="Uji")
    values = {**GOOD_HOUSE, "roof": roof, "walls": walls, "floor": floor}
    values.update(floor_area_m2=Decimal(area), occupants=int(occupants))
    survei = services.survei_keluarga_record(
        keluarga=keluarga, survey_date=datetime.date(2026, 1, 5), user=None, values=values
    )
    assert survei.is_rtlh == bool(survei.rtlh_reasons())


def test_the_survey_asks_about_jkn_among_the_social_questions_and_keeps_the_answer(
    login, world, bidang_kader, keluarga
):
    client = login(bidang_kader["sosial"])
    url = reverse("bidang:survei_create", args=[keluarga.pk])
    page = client.get(url).content.decode()
    assert "peserta JKN (BPJS Kesehatan) atau dana sehat?" in page
    # in the Sosial fieldset: after the bansos programmes, before the counts of vulnerable members
    assert page.index('name="bansos_programmes"') < page.index('name="has_jkn"') < page.index('name="disabled_members"')
    client.post(url, {**SURVEY_POST, "has_jkn": "1"})
    assert SurveiKeluarga.objects.get(keluarga=keluarga).has_jkn is True


def test_an_unanswered_jkn_question_is_asked_again_not_stored_as_no(login, world, bidang_kader, keluarga):
    client = login(bidang_kader["sosial"])
    data = {key: value for key, value in SURVEY_POST.items() if key != "has_jkn"}
    response = client.post(reverse("bidang:survei_create", args=[keluarga.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["has_jkn"] == ["Pilih ya atau tidak."]
    assert not SurveiKeluarga.objects.exists()
