import datetime

import pytest
from django.urls import reverse

from posyandu.models import Pengurus, Posyandu
from tests import factories


def _form_data(world, **overrides):
    data = {
        "name": "Posyandu Dahlia",
        "desa": world.desa_a1.code,
        "address": "Dusun Bontoa",
        "latitude": "-5,4167",
        "longitude": "119.45",
        "registration_number": "73.05.01.2001.002",
        "sk_number": "12/SK/2025",
        "sk_date": "2025-03-01",
        "formed_on": "2010-05-02",
        "schedule_kind": "tanggal",
        "schedule_day": "12",
        "status": "aktif",
    }
    data.update(overrides)
    return data


def test_desa_operator_registers_a_posyandu_typing_coordinates_indonesian_style(world, login):
    client = login(world.users["desa_a1"])
    response = client.post(reverse("posyandu:create"), _form_data(world))
    posyandu = Posyandu.objects.get(name="Posyandu Dahlia")
    assert response.status_code == 302 and response["Location"] == posyandu.get_absolute_url()
    assert str(posyandu.latitude) == "-5.416700" and str(posyandu.longitude) == "119.450000"
    page = client.get(posyandu.get_absolute_url()).content.decode()
    assert "Posyandu Dahlia tersimpan." in page and "Setiap tanggal 12" in page


def test_wrong_registration_number_shows_an_indonesian_error_and_keeps_the_input(world, login):
    client = login(world.users["desa_a1"])
    response = client.post(reverse("posyandu:create"), _form_data(world, registration_number="73.05.02.2001.001"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nomor registrasi harus diawali kode desa 73.05.01.2001." in page
    assert 'value="Posyandu Dahlia"' in page and 'value="-5,4167"' in page
    assert not Posyandu.objects.filter(name="Posyandu Dahlia").exists()


def test_registration_number_taken_by_another_posyandu_is_refused(world, login):
    client = login(world.users["desa_a1"])
    response = client.post(reverse("posyandu:create"), _form_data(world, registration_number="73.05.01.2001.001"))
    assert "Nomor registrasi ini sudah dipakai posyandu lain." in response.content.decode()
    assert not Posyandu.objects.filter(name="Posyandu Dahlia").exists()


def test_inactive_without_reason_is_refused_with_a_message(world, login):
    client = login(world.users["kecamatan_a"])
    response = client.post(
        reverse("posyandu:update", args=[world.posyandu_a.pk]),
        _form_data(world, name="Posyandu Mawar", registration_number="73.05.01.2001.001", status="nonaktif"),
    )
    assert "Isi alasan posyandu tidak aktif." in response.content.decode()
    world.posyandu_a.refresh_from_db()
    assert world.posyandu_a.is_active


def test_desa_operator_cannot_register_a_posyandu_in_another_desa(world, login):
    client = login(world.users["desa_a1"])
    response = client.post(
        reverse("posyandu:create"), _form_data(world, desa=world.desa_b1.code, registration_number="")
    )
    assert response.status_code == 200
    assert "Pilih desa/kelurahan di wilayah tugas Anda." in response.content.decode()
    assert not Posyandu.objects.filter(name="Posyandu Dahlia").exists()


def test_appointing_a_ketua_through_the_form_keeps_the_previous_one_in_history(world, login):
    client = login(world.users["desa_a1"])
    response = client.post(
        reverse("posyandu:pengurus_create", args=[world.posyandu_a.pk]),
        {"position": "ketua", "name": "  Sitti   Daeng Caya ", "term_start": "2026-01-01", "phone": "081234567890"},
    )
    assert response.status_code == 302
    page = client.get(world.posyandu_a.get_absolute_url()).content.decode()
    assert "Sitti Daeng Caya tercatat sebagai Ketua." in page
    assert "Riwayat pengurus" in page and "Ketua Posyandu Mawar" in page


def test_ketua_bidang_without_field_gets_a_clear_error(world, login):
    client = login(world.users["desa_a1"])
    response = client.post(
        reverse("posyandu:pengurus_create", args=[world.posyandu_a.pk]),
        {"position": "ketua_bidang", "name": "Rahmawati", "term_start": "2026-01-01"},
    )
    assert "Pilih bidang untuk ketua bidang." in response.content.decode()
    assert 'value="Rahmawati"' in response.content.decode()


def test_ending_a_term_leaves_the_position_vacant(world, login):
    client = login(world.users["desa_a1"])
    client.post(reverse("posyandu:pengurus_end", args=[world.pengurus_a.pk]), {"ended_on": "2025-06-30"})
    page = client.get(world.posyandu_a.get_absolute_url()).content.decode()
    assert "Jabatan kosong" in page and "Masa bakti Ketua Posyandu Mawar diakhiri." in page
    assert Pengurus.objects.get(pk=world.pengurus_a.pk).ended_on == datetime.date(2025, 6, 30)


def test_list_search_and_filters(world, login):
    client = login(world.users["kabupaten"])
    url = reverse("posyandu:list")
    assert "Posyandu Anggrek" not in client.get(url, {"kecamatan": world.kecamatan_a.code}).content.decode()
    page = client.get(url, {"q": "melati"}).content.decode()
    assert "Posyandu Melati" in page and "Posyandu Mawar" not in page
    page = client.get(url, {"q": "73.05.01.2001"}).content.decode()
    assert "Posyandu Mawar" in page and "Posyandu Melati" not in page
    page = client.get(url, {"wilayah": world.kecamatan_b.code}).content.decode()
    assert "Posyandu Anggrek" in page and "Posyandu Mawar" not in page
    assert "Posyandu Kenanga" not in client.get(url).content.decode()  # another kabupaten


def test_kader_home_shows_next_opening_day_and_vacant_positions(world, login):
    page = login(world.users["kader_a"]).get(reverse("posyandu:home")).content.decode()
    assert "Posyandu Mawar" in page and "Hari buka berikutnya" in page and "Setiap tanggal 10" in page
    assert "Jabatan pengurus yang kosong" in page and "Sekretaris" in page


def test_kabupaten_home_counts_posyandu_per_kecamatan(world, login):
    factories.full_pengurus(world.posyandu_a2)
    response = login(world.users["kabupaten"]).get(reverse("posyandu:home"))
    rows = {row.code: row for row in response.context["rows"]}
    assert (rows["73.05.01"].total, rows["73.05.01"].registered, rows["73.05.01"].pengurus_complete) == (2, 1, 1)
    assert rows["73.05.02"].total == 1
    attention = [p.name for p in response.context["attention"]]
    assert "Posyandu Mawar" in attention and "Posyandu Melati" in attention  # Melati lacks a registration no.


def test_desa_home_lists_its_posyandu(world, login):
    page = login(world.users["desa_a1"]).get(reverse("posyandu:home")).content.decode()
    assert "Posyandu di desa ini" in page and "Posyandu Mawar" in page and "Posyandu Melati" not in page


def _many_posyandu(world, count):
    for index in range(count):
        factories.posyandu(desa=world.desa_a2 if index % 2 else world.desa_b1, name=f"Posyandu Tambahan {index}")


@pytest.mark.parametrize("extra", [0, 30])
def test_posyandu_list_query_budget_does_not_grow(world, login, django_assert_num_queries, extra):
    _many_posyandu(world, extra)
    client = login(world.users["kabupaten"])
    # 1 session, 2 user with scope (one join), 3 kecamatan choices, 4 desa choices,
    # 5 paginator count, 6 page rows with desa, kecamatan and pengurus count (subquery)
    with django_assert_num_queries(6):
        response = client.get(reverse("posyandu:list"))
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [0, 30])
def test_area_home_query_budget_does_not_grow(world, login, django_assert_num_queries, extra):
    _many_posyandu(world, extra)
    client = login(world.users["kabupaten"])
    # 1 session, 2 user with scope, 3 grouped counts per kecamatan, 4 kecamatan names,
    # 5 posyandu needing attention (with desa, kecamatan, pengurus count); the work queue
    # (laporan.selectors.work_queue): 6 rakor decisions past their deadline waiting for this team,
    # 7 reports to approve per month, 8 late posyandu, 9 overdue requests per field
    with django_assert_num_queries(9):
        response = client.get(reverse("posyandu:home"))
    assert response.status_code == 200


def test_posyandu_detail_query_budget(world, login, django_assert_num_queries):
    factories.full_pengurus(world.posyandu_a2)
    client = login(world.users["kecamatan_a"])
    # 1 session, 2 user with scope, 3 posyandu with desa, kecamatan, kabupaten, 4 all its pengurus
    with django_assert_num_queries(4):
        response = client.get(reverse("posyandu:detail", args=[world.posyandu_a2.pk]))
    assert response.status_code == 200


def test_only_admins_reach_django_admin(world, client):
    client.force_login(world.users["kabupaten"])
    assert client.get("/admin/").status_code == 302  # to the admin login: not staff
    admin = world.users["admin"]
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    assert client.get("/admin/posyandu/posyandu/").status_code == 200


def test_not_found_page_is_indonesian(world, login):
    response = login(world.users["kader_a"]).get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_login_page_is_indonesian_and_logs_in(world, client):
    page = client.get(reverse("login")).content.decode()
    assert "Masuk" in page and "Nama pengguna" in page
    response = client.post(reverse("login"), {"username": "kader_a", "password": "salah"})
    assert "Nama pengguna atau kata sandi salah." in response.content.decode()
    from tests.conftest import PASSWORD

    response = client.post(reverse("login"), {"username": "kader_a", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("posyandu:home")
