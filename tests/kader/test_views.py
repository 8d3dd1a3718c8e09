"""Screens: roster, profile, coverage (answers the Tim Pembina's question), PDFs, query budgets."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kader import services
from kader.models import Kompetensi, Pelatihan, PesertaPelatihan
from posyandu.models import Posyandu
from tests import factories
from tests.kader.conftest import make_kader, make_pelatihan, pass_groups
from tests.pdf import pdf_text


@pytest.fixture
def trained(world):
    """Kecamatan A: posyandu A has a trained sosial kader (Utama); posyandu A2 has an untrained one."""
    pelatihan = make_pelatihan(world.kecamatan_a)
    sosial_a = make_kader(world.posyandu_a, "Sitti Sosial", field="sosial")
    make_kader(world.posyandu_a2, "Nur Sosial", field="sosial")
    services.peserta_add_bulk(pelatihan=pelatihan, kader=[sosial_a], user=world.users["kecamatan_a"])
    pass_groups(sosial_a, ["pengelolaan", "ibu-hamil", "bayi-balita", "remaja", "dewasa-lansia"])
    return pelatihan


def test_coverage_answers_which_posyandu_have_no_trained_sosial_kader_and_how_many_are_utama(world, login, trained):
    client = login(world.users["kabupaten"])
    # the year of the training (June 2026): the page's default is this year, whatever today is
    response = client.get(
        reverse("kader:coverage"), {"kecamatan": world.kecamatan_a.code, "field": "sosial", "year": "2026"}
    )
    assert response.status_code == 200
    coverage = response.context["coverage"]
    assert [p.name for p in coverage.gaps] == ["Posyandu Melati"]
    assert {v: n for v, _label, n in coverage.levels}["utama"] == 1
    assert "Posyandu aktif tanpa kader terlatih bidang Sosial" in response.content.decode()
    assert [q["trainings"] for q in coverage.quarters] == [0, 1, 0, 0]


def test_coverage_pdf_lists_the_gaps_and_the_levels(world, login, trained):
    client = login(world.users["kabupaten"])
    response = client.get(reverse("laporan:kader_rekap"), {"kecamatan": world.kecamatan_a.code, "field": "sosial"})
    text = pdf_text(response.content)
    assert "Rekap cakupan kader — Kec. Mappakasunggu" in text
    assert "Posyandu aktif tanpa kader terlatih bidang Sosial (1)" in text
    assert "Posyandu Melati" in text
    assert "Kader Utama: 1" in text


def test_certificate_pdf_shows_level_competencies_and_trainings(world, login, trained):
    kader = PesertaPelatihan.objects.get().kader
    response = login(world.users["pengurus_a"]).get(reverse("laporan:kader_sertifikat", args=[kader.pk]))
    text = pdf_text(response.content)
    assert "Sertifikat kompetensi kader posyandu" in text
    assert "Sitti Sosial" in text and "Jenjang: Utama" in text
    assert "Bayi dan balita (7/7, lengkap)" in text
    assert "Bimtek kader sosial" in text


def test_a_kader_sees_their_own_profile_but_not_a_colleagues(world, login):
    own = make_kader(world.posyandu_a, "Kader A", user=world.users["kader_a"])
    colleague = make_kader(world.posyandu_a, "Kader Lain")
    client = login(world.users["kader_a"])
    assert client.get(reverse("kader:kader_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("kader:kader_detail", args=[colleague.pk])).status_code == 403
    roster = client.get(reverse("kader:roster", args=[world.posyandu_a.pk]))
    assert "Kader Lain" in roster.content.decode()


def test_roster_flags_fields_below_the_minimum(world, login, settings):
    settings.POSYANDU_MIN_KADER_PER_FIELD = 2
    make_kader(world.posyandu_a, "A", field="kesehatan")
    make_kader(world.posyandu_a, "B", field="kesehatan")
    make_kader(world.posyandu_a, "C", field="sosial")
    roster = login(world.users["pengurus_a"]).get(reverse("kader:roster", args=[world.posyandu_a.pk])).context["roster"]
    enough = {row.field: row.enough for row in roster.fields}
    assert enough["kesehatan"] and not enough["sosial"] and not enough["pendidikan"]
    assert roster.active_total == 3 and not roster.enough_total  # POSYANDU_MIN_KADER = 5


def test_training_form_keeps_input_when_dates_are_out_of_order(world, login):
    client = login(world.users["kecamatan_a"])
    response = client.post(
        reverse("kader:pelatihan_create"),
        {
            "title": "Bimtek PAUD",
            "organiser_level": "kecamatan",
            "organiser_opd": "Disdik",
            "field": "pendidikan",
            "wilayah": world.kecamatan_a.code,
            "start_date": "2026-06-10",
            "end_date": "2026-06-01",
        },
    )
    assert response.status_code == 200
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai." in response.content.decode()
    assert 'value="Bimtek PAUD"' in response.content.decode()
    assert not Pelatihan.objects.exists()


def test_assessment_screen_records_results_and_shows_the_new_level(world, login):
    kader = make_kader(world.posyandu_a)
    client = login(world.users["kecamatan_a"])
    data = {"assessed_on": "2026-05-02", "assessor": "Bidan Rina, Puskesmas"}
    for k in Kompetensi.objects.filter(group__code__in=["pengelolaan", "bayi-balita", "remaja"]):
        data[f"k{k.pk}"] = "lulus"
    response = client.post(reverse("kader:penilaian_create", args=[kader.pk]), data, follow=True)
    assert "Jenjang: belum berjenjang → Purwa." in response.content.decode()
    again = client.post(reverse("kader:penilaian_create", args=[kader.pk]), data)
    assert "Sudah dinilai pada tanggal ini" in again.content.decode()


def _extra_kader(world, count):
    """``count`` more kader over three posyandu of kecamatan A, half of them trained and assessed."""
    extra = [factories.posyandu(desa=world.desa_a2, name=f"Posyandu Ekstra {i}") for i in range(3)]
    pelatihan = make_pelatihan(world.kecamatan_a, field="kesehatan")
    rows = [make_kader(extra[i % 3], f"Kader {i}", field=["kesehatan", "sosial"][i % 2]) for i in range(count)]
    if rows:
        services.peserta_add_bulk(pelatihan=pelatihan, kader=rows[::2], user=world.users["kabupaten"])
        for kader in rows[:3]:
            pass_groups(kader, ["pengelolaan", "bayi-balita", "remaja"])


@pytest.mark.parametrize("extra", [0, 30])
def test_coverage_query_count_does_not_grow_with_kader(world, login, django_assert_num_queries, extra):
    _extra_kader(world, extra)
    client = login(world.users["kabupaten"])
    client.get(reverse("kader:coverage"))  # warm the session
    # session, user, kecamatan choices (filter form), then coverage: kader by area and level,
    # posyandu by area, area names, per field kader, per field posyandu, levels, gap list,
    # trainings per quarter, attending kader per quarter, service awards = 13.
    with django_assert_num_queries(13):
        response = client.get(reverse("kader:coverage"), {"field": "sosial"})
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 30])
def test_roster_query_count_does_not_grow_with_kader(world, login, django_assert_num_queries, extra):
    _extra_kader(world, extra)
    posyandu = Posyandu.objects.get(name="Posyandu Ekstra 0") if extra else world.posyandu_a2
    client = login(world.users["kabupaten"])
    # session, user, posyandu, kader list with trainings, per field counts, the kabupaten's settings = 6.
    with django_assert_num_queries(6):
        response = client.get(reverse("kader:roster", args=[posyandu.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 30])
def test_kader_list_query_count_does_not_grow(world, login, django_assert_num_queries, extra):
    make_kader(world.posyandu_a)
    _extra_kader(world, extra)
    client = login(world.users["kabupaten"])
    # session, user, kecamatan choices, count, page of kader = 5.
    with django_assert_num_queries(5):
        response = client.get(reverse("kader:kader_list"))
    assert response.status_code == 200


def test_bulk_add_from_a_posyandu_roster(world, login):
    pelatihan = make_pelatihan(world.kecamatan_a)
    a, b = make_kader(world.posyandu_a, "A"), make_kader(world.posyandu_a, "B")
    make_kader(world.posyandu_a2, "C")
    client = login(world.users["kecamatan_a"])
    page = client.get(reverse("kader:peserta_add", args=[pelatihan.pk]), {"posyandu": world.posyandu_a.pk})
    assert [k.name for k in page.context["candidates"]] == ["A", "B"]
    client.post(reverse("kader:peserta_add", args=[pelatihan.pk]), {"kader": [a.pk, b.pk]})
    assert set(pelatihan.peserta_set.values_list("kader__name", flat=True)) == {"A", "B"}
    again = client.post(reverse("kader:peserta_add", args=[pelatihan.pk]), {"kader": [a.pk]})
    assert "A sudah terdaftar sebagai peserta pelatihan ini." in again.content.decode()


def test_import_screen_previews_then_saves(world, login):
    from tests.kader.test_services import _sheet

    pelatihan = make_pelatihan(world.kecamatan_a)
    make_kader(world.posyandu_a, "Sitti Aminah")
    client = login(world.users["kecamatan_a"])
    url = reverse("kader:peserta_import", args=[pelatihan.pk])
    preview = client.post(url, {"file": _sheet([("Sitti Aminah", "", "S-1")])})
    assert "1 baris cocok, 0 bermasalah." in preview.content.decode()
    assert not PesertaPelatihan.objects.exists()
    client.post(url, {"token": preview.context["token"]})
    assert PesertaPelatihan.objects.get().certificate_number == "S-1"
    bad = client.post(url, {"file": _sheet([("Tidak Ada", "", "")])})
    assert "Perbaiki baris yang bermasalah" in bad.content.decode()
    assert not bad.context["token"]


def test_deactivating_a_kader_keeps_the_record(world, login):
    kader = make_kader(world.posyandu_a)
    client = login(world.users["pengurus_a"])
    response = client.post(
        reverse("kader:kader_deactivate", args=[kader.pk]), {"end_date": "2026-01-31", "end_reason": "Pindah domisili"}
    )
    assert response.status_code == 302
    kader.refresh_from_db()
    assert (kader.status, kader.end_date) == ("nonaktif", datetime.date(2026, 1, 31))


def test_pengurus_links_a_kader_to_their_login_so_they_see_their_profile(world, login):
    kader = make_kader(world.posyandu_a, "Kader A")
    client = login(world.users["pengurus_a"])
    form = client.get(reverse("kader:kader_update", args=[kader.pk])).context["form"]
    assert list(form.fields["user"].queryset) == [world.users["kader_a"]]  # kader_b is of another posyandu
    data = {
        "name": "Kader A",
        "posyandu": world.posyandu_a.pk,
        "field": "kesehatan",
        "start_date": "2016-01-04",
        "user": world.users["kader_a"].pk,
    }
    assert client.post(reverse("kader:kader_update", args=[kader.pk]), data).status_code == 302
    own = login(world.users["kader_a"]).get(reverse("kader:kader_detail", args=[kader.pk]))
    assert own.status_code == 200
    with pytest.raises(ValidationError):
        services.kader_update(kader=make_kader(world.posyandu_b, "B"), user=world.users["kader_a"])
