"""The people register through its pages: forms that keep what was typed, the duplicate warning,
the mother search with and without JavaScript, moving, status, households, and scope."""

import datetime

import pytest
from django.urls import reverse

from posyandu import dates, services
from posyandu.models import Keluarga, Sex, Warga, WargaPindah
from tests import factories

BIRTH = datetime.date(2023, 5, 17)


def _warga_data(**overrides) -> dict:
    data = {
        "name": "Muhammad Rizky",
        "nik": "",
        "sex": Sex.LAKI_LAKI,
        "birth_date": BIRTH.isoformat(),
        "birth_weight_kg": "3,2",
        "mother": "",
        "mother_name": "Siti Aminah",
        "keluarga": "",
        "has_buku_kia": "on",
        "phone": "081234567890",
    }
    data.update(overrides)
    return data


def _page(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------------------------------------
# Registering a person
# ---------------------------------------------------------------------------------------------
def test_a_kader_registers_a_baby_typing_the_birth_weight_indonesian_style(world, login):
    client = login(world.users["kader_a"])
    response = client.post(reverse("posyandu:warga_create"), _warga_data())
    warga = Warga.objects.get()
    assert response.status_code == 302 and response["Location"] == warga.get_absolute_url()
    assert warga.posyandu == world.posyandu_a and str(warga.birth_weight_kg) == "3.20"
    page = _page(client.get(warga.get_absolute_url()))
    assert "Muhammad Rizky tercatat sebagai warga." in page and "Siti Aminah" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": "   "}, "Bidang ini tidak boleh kosong."),
        ({"birth_date": "2999-01-01"}, "Tanggal lahir tidak boleh di masa depan."),
        ({"nik": "730501170523000"}, "NIK harus 16 digit angka."),
        ({"nik": "7305011805230001"}, "tidak sama dengan tanggal lahir"),
        ({"nik": "7399991705230001"}, "bukan kode kecamatan yang terdaftar"),
        ({"birth_weight_kg": "tiga"}, "Masukkan angka, misalnya 8,5."),
    ],
)
def test_bad_input_is_refused_in_indonesian_keeping_what_was_typed(world, login, overrides, message):
    response = login(world.users["kader_a"]).post(reverse("posyandu:warga_create"), _warga_data(**overrides))
    page = _page(response)
    assert response.status_code == 200
    assert message in page
    assert 'value="Siti Aminah"' in page and 'value="081234567890"' in page
    assert not Warga.objects.exists()


def test_a_male_mother_is_refused_in_words_a_cadre_understands(world, login):
    father = factories.warga(posyandu=world.posyandu_a, name="Basri", birth_date=datetime.date(1990, 1, 1))
    response = login(world.users["kader_a"]).post(
        reverse("posyandu:warga_create"), _warga_data(mother=str(father.pk), mother_name="Basri")
    )
    page = _page(response)
    assert "Ibu kandung harus perempuan." in page and "bukan pilihan sah" not in page
    assert Warga.objects.count() == 1


def test_a_mother_outside_the_users_scope_cannot_be_picked(world, login):
    other = factories.warga(
        posyandu=world.posyandu_b, name="Siti Aminah", sex=Sex.PEREMPUAN, birth_date=datetime.date(1995, 2, 3)
    )
    response = login(world.users["kader_a"]).post(reverse("posyandu:warga_create"), _warga_data(mother=str(other.pk)))
    assert "Pilih ibu kandung dari hasil pencarian." in _page(response)
    assert Warga.objects.count() == 1


def test_a_nik_already_registered_elsewhere_is_refused_naming_nobody(world, login):
    factories.warga(posyandu=world.posyandu_b, name="Andi Saputra", nik="7305011705230001")
    response = login(world.users["kader_a"]).post(reverse("posyandu:warga_create"), _warga_data(nik="7305011705230001"))
    page = _page(response)
    assert "NIK ini sudah terdaftar untuk orang lain." in page
    assert "Andi Saputra" not in page and "Posyandu Anggrek" not in page
    assert Warga.objects.count() == 1


def test_a_desa_operator_first_picks_the_posyandu_of_the_new_person(world, login):
    client = login(world.users["desa_a1"])
    page = _page(client.get(reverse("posyandu:warga_create")))
    assert "Pilih dulu posyandu tempat warga ini dilayani." in page
    url = f"{reverse('posyandu:warga_create')}?posyandu={world.posyandu_a.pk}"
    assert "Posyandu Mawar" in _page(client.get(url))
    response = client.post(url, _warga_data())
    assert response.status_code == 302 and Warga.objects.get().posyandu == world.posyandu_a


def test_a_posyandu_outside_the_operators_desa_cannot_be_picked(world, login):
    url = f"{reverse('posyandu:warga_create')}?posyandu={world.posyandu_b.pk}"
    response = login(world.users["desa_a1"]).post(url, _warga_data())
    assert "Pilih posyandu di wilayah tugas Anda." in _page(response)
    assert not Warga.objects.exists()


# ---------------------------------------------------------------------------------------------
# The duplicate warning
# ---------------------------------------------------------------------------------------------
def test_a_possible_duplicate_is_shown_first_and_saved_only_after_ticking_the_box(world, login):
    existing = factories.warga(posyandu=world.posyandu_a, mother_name="Siti Aminah")
    client = login(world.users["kader_a"])
    url = reverse("posyandu:warga_create")

    # Same person typed differently: case and spaces do not matter.
    typed = _warga_data(name="muhammad  RIZKY", mother_name="siti aminah")
    response = client.post(url, typed)
    page = _page(response)
    assert response.status_code == 200
    assert "Mungkin orang ini sudah terdaftar" in page
    assert f'href="{existing.get_absolute_url()}"' in page
    assert "Saya sudah memeriksa: ini orang yang berbeda" in page
    assert 'value="muhammad  RIZKY"' in page and 'value="081234567890"' in page
    assert f'name="duplicates_seen" value="{existing.pk}"' in page
    assert Warga.objects.count() == 1

    # Ticking without having been shown the matches (an old tab) does not skip the warning.
    response = client.post(url, {**typed, "confirm_different": "on"})
    assert "Mungkin orang ini sudah terdaftar" in _page(response) and Warga.objects.count() == 1

    response = client.post(url, {**typed, "confirm_different": "on", "duplicates_seen": str(existing.pk)})
    assert response.status_code == 302
    assert Warga.objects.count() == 2


def test_a_double_submit_after_confirming_is_caught_by_the_warning(world, login):
    existing = factories.warga(posyandu=world.posyandu_a, mother_name="Siti Aminah")
    client = login(world.users["kader_a"])
    data = {**_warga_data(), "confirm_different": "on", "duplicates_seen": str(existing.pk)}
    assert client.post(reverse("posyandu:warga_create"), data).status_code == 302
    response = client.post(reverse("posyandu:warga_create"), data)
    assert "Mungkin orang ini sudah terdaftar" in _page(response)
    assert Warga.objects.count() == 2


def test_a_different_mother_means_a_different_person(world, login):
    factories.warga(posyandu=world.posyandu_a, mother_name="Nurhaeda")
    response = login(world.users["kader_a"]).post(reverse("posyandu:warga_create"), _warga_data())
    assert response.status_code == 302 and Warga.objects.count() == 2


def test_a_duplicate_at_another_posyandu_of_the_desa_is_named_but_not_linked(world, login):
    kamboja = factories.posyandu(desa=world.desa_a1, name="Posyandu Kamboja")
    existing = factories.warga(posyandu=kamboja, mother_name="Siti Aminah")
    response = login(world.users["kader_a"]).post(reverse("posyandu:warga_create"), _warga_data())
    page = _page(response)
    assert "Mungkin orang ini sudah terdaftar" in page
    assert "Posyandu Kamboja" in page and "di luar wilayah Anda" in page
    assert existing.get_absolute_url() not in page


def test_duplicates_match_a_registered_mother_by_link_or_by_name(world):
    from posyandu.selectors import warga_possible_duplicates

    mother = factories.warga(
        posyandu=world.posyandu_a, name="Siti Aminah", sex=Sex.PEREMPUAN, birth_date=datetime.date(1995, 2, 3)
    )
    linked = factories.warga(posyandu=world.posyandu_a, mother=mother)
    typed = factories.warga(posyandu=world.posyandu_a2, mother_name="SITI AMINAH")  # desa A2: not the same desa
    orphan = factories.warga(posyandu=world.posyandu_a)

    def matches(**kwargs):
        return set(warga_possible_duplicates(name="Muhammad Rizky", birth_date=BIRTH, desa=world.desa_a1, **kwargs))

    assert matches(mother=mother) == {linked}
    assert matches(mother_name="siti aminah") == {linked}
    assert matches() == {orphan}  # no mother on either side
    assert typed not in matches(mother_name="Siti Aminah")


# ---------------------------------------------------------------------------------------------
# The mother picker
# ---------------------------------------------------------------------------------------------
def test_the_mother_search_offers_only_women_of_the_users_scope(world, login):
    siti = factories.warga(
        posyandu=world.posyandu_a, name="Siti Aminah", sex=Sex.PEREMPUAN, birth_date=datetime.date(1995, 2, 3)
    )
    factories.warga(posyandu=world.posyandu_a, name="Siti Basri", birth_date=datetime.date(1990, 1, 1))  # a man
    factories.warga(
        posyandu=world.posyandu_b, name="Siti Rahma", sex=Sex.PEREMPUAN, birth_date=datetime.date(1996, 1, 1)
    )
    factories.warga(posyandu=world.posyandu_a, name="Siti Kecil", sex=Sex.PEREMPUAN, birth_date=BIRTH)  # a child
    response = login(world.users["kader_a"]).get(
        reverse("posyandu:warga_search"), {"mother_name": "siti"}, headers={"HX-Request": "true"}
    )
    page = _page(response)
    assert f'value="{siti.pk}"' in page and "Siti Aminah" in page
    assert "Siti Basri" not in page and "Siti Rahma" not in page and "Siti Kecil" not in page
    assert "<html" not in page  # a fragment for htmx


def test_without_javascript_the_search_button_shows_the_mothers_and_saves_nothing(world, login):
    siti = factories.warga(
        posyandu=world.posyandu_a, name="Siti Aminah", sex=Sex.PEREMPUAN, birth_date=datetime.date(1995, 2, 3)
    )
    client = login(world.users["kader_a"])
    response = client.post(reverse("posyandu:warga_create"), _warga_data(name="", mother_name="aminah", cari_ibu="1"))
    page = _page(response)
    assert f'value="{siti.pk}"' in page
    assert "tidak boleh kosong" not in page  # the unfinished form is not judged yet
    assert Warga.objects.count() == 1

    response = client.post(reverse("posyandu:warga_create"), _warga_data(mother=str(siti.pk), mother_name="aminah"))
    child = Warga.objects.get(name="Muhammad Rizky")
    assert response.status_code == 302 and child.mother == siti and child.mother_name == ""


def test_editing_a_child_keeps_a_mother_who_moved_out_of_the_kaders_scope(world, login):
    mother = factories.warga(
        posyandu=world.posyandu_a, name="Siti Aminah", sex=Sex.PEREMPUAN, birth_date=datetime.date(1995, 2, 3)
    )
    child = factories.warga(posyandu=world.posyandu_a, mother=mother)
    services.warga_move(
        warga=mother, to_posyandu=world.posyandu_a2, moved_on=datetime.date(2025, 3, 1), user=world.users["admin"]
    )
    client = login(world.users["kader_a"])
    page = _page(client.get(reverse("posyandu:warga_update", args=[child.pk])))
    assert f'value="{mother.pk}" checked' in page
    response = client.post(
        reverse("posyandu:warga_update", args=[child.pk]),
        _warga_data(name="Muhammad Rizki", mother=str(mother.pk), mother_name="Siti Aminah"),
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.name == "Muhammad Rizki" and child.mother == mother


# ---------------------------------------------------------------------------------------------
# Detail, moving, status
# ---------------------------------------------------------------------------------------------
def test_the_person_page_links_mother_children_and_household(world, login):
    keluarga = factories.keluarga(posyandu=world.posyandu_a, rt="001", rw="002")
    mother = factories.warga(
        posyandu=world.posyandu_a,
        name="Siti Aminah",
        sex=Sex.PEREMPUAN,
        birth_date=datetime.date(1995, 2, 3),
        keluarga=keluarga,
    )
    child = factories.warga(posyandu=world.posyandu_a, mother=mother, keluarga=keluarga)
    client = login(world.users["kader_a"])
    page = _page(client.get(mother.get_absolute_url()))
    assert f'href="{child.get_absolute_url()}"' in page and f'href="{keluarga.get_absolute_url()}"' in page
    page = _page(client.get(child.get_absolute_url()))
    assert f'href="{mother.get_absolute_url()}"' in page
    assert "Bayi dan balita" in page


def test_a_kader_hands_a_person_to_a_posyandu_of_the_kecamatan_and_the_history_stays(world, login):
    warga = factories.warga(posyandu=world.posyandu_a)
    client = login(world.users["kader_a"])
    url = reverse("posyandu:warga_move", args=[warga.pk])
    page = _page(client.get(url))
    assert "Posyandu Melati" in page and "Posyandu Anggrek" not in page  # same kecamatan only

    response = client.post(url, {"to_posyandu": world.posyandu_a2.pk, "moved_on": "2025-03-01", "reason": "menikah"})
    assert response.status_code == 302 and response["Location"] == reverse("posyandu:warga_list")
    assert client.get(warga.get_absolute_url()).status_code == 404  # now the other posyandu's person

    assert login(world.users["desa_a1"]).get(warga.get_absolute_url()).status_code == 404  # desa A2's now
    page = _page(login(world.users["admin"]).get(warga.get_absolute_url()))
    assert "Riwayat pindah posyandu" in page and "menikah" in page and "Posyandu Mawar" in page
    assert WargaPindah.objects.get().from_posyandu == world.posyandu_a


def test_a_move_to_another_kecamatan_posted_by_hand_is_refused(world, login):
    warga = factories.warga(posyandu=world.posyandu_a)
    response = login(world.users["kader_a"]).post(
        reverse("posyandu:warga_move", args=[warga.pk]),
        {"to_posyandu": world.posyandu_b.pk, "moved_on": "2025-03-01"},
    )
    assert "Pilih posyandu tujuan dari daftar." in _page(response)
    warga.refresh_from_db()
    assert warga.posyandu == world.posyandu_a


def test_marking_a_death_shows_on_the_page_and_in_the_list_filter(world, login):
    warga = factories.warga(posyandu=world.posyandu_a)
    client = login(world.users["pengurus_a"])
    response = client.post(
        reverse("posyandu:warga_status", args=[warga.pk]), {"status": "meninggal", "status_date": "2025-01-05"}
    )
    assert response.status_code == 302
    assert "Meninggal" in _page(client.get(warga.get_absolute_url()))
    assert "Muhammad Rizky" not in _page(client.get(reverse("posyandu:warga_list")))  # active people by default
    assert "Muhammad Rizky" in _page(client.get(reverse("posyandu:warga_list"), {"status": "meninggal"}))


def test_a_death_without_a_date_is_refused(world, login):
    warga = factories.warga(posyandu=world.posyandu_a)
    response = login(world.users["kader_a"]).post(
        reverse("posyandu:warga_status", args=[warga.pk]), {"status": "meninggal", "status_date": ""}
    )
    assert "Isi tanggal pindah atau meninggal." in _page(response)
    warga.refresh_from_db()
    assert warga.status == Warga.Status.AKTIF


# ---------------------------------------------------------------------------------------------
# Scope and roles
# ---------------------------------------------------------------------------------------------
def test_a_kader_of_another_posyandu_gets_404_for_a_person_and_their_forms(world, login):
    warga = factories.warga(posyandu=world.posyandu_a)
    client = login(world.users["kader_b"])
    for name in ("warga_detail", "warga_update", "warga_move", "warga_status"):
        assert client.get(reverse(f"posyandu:{name}", args=[warga.pk])).status_code == 404, name
    response = client.post(reverse("posyandu:warga_update", args=[warga.pk]), _warga_data(name="Diubah"))
    assert response.status_code == 404
    warga.refresh_from_db()
    assert warga.name == "Muhammad Rizky"


def test_tim_pembina_read_the_register_but_cannot_write_it(world, login):
    warga = factories.warga(posyandu=world.posyandu_a)
    client = login(world.users["kecamatan_a"])
    page = _page(client.get(reverse("posyandu:warga_list")))
    assert "Muhammad Rizky" in page and "Tambah warga" not in page
    assert client.post(reverse("posyandu:warga_update", args=[warga.pk]), _warga_data()).status_code == 403
    assert client.post(reverse("posyandu:warga_create"), _warga_data()).status_code == 403


def test_area_users_see_the_posyandu_column_and_kader_do_not(world, login):
    factories.warga(posyandu=world.posyandu_a)
    factories.warga(posyandu=world.posyandu_a2, name="Andi")
    page = _page(login(world.users["kecamatan_a"]).get(reverse("posyandu:warga_list")))
    assert "Posyandu Melati" in page and 'data-label="Posyandu"' in page
    page = _page(login(world.users["kader_a"]).get(reverse("posyandu:warga_list")))
    assert "Andi" not in page and 'data-label="Posyandu"' not in page


def test_the_list_filters_by_life_stage_in_sql(world, login):
    today = dates.today()
    factories.warga(posyandu=world.posyandu_a, name="Bayi Baru", birth_date=today - datetime.timedelta(days=30))
    factories.warga(
        posyandu=world.posyandu_a, name="Nenek Tua", sex=Sex.PEREMPUAN, birth_date=datetime.date(1950, 1, 1)
    )
    client = login(world.users["kader_a"])
    page = _page(client.get(reverse("posyandu:warga_list"), {"life_stage": "balita"}))
    assert "Bayi Baru" in page and "Nenek Tua" not in page
    page = _page(client.get(reverse("posyandu:warga_list"), {"life_stage": "lansia"}))
    assert "Nenek Tua" in page and "Bayi Baru" not in page and "Lansia" in page


# ---------------------------------------------------------------------------------------------
# Households
# ---------------------------------------------------------------------------------------------
def test_a_kader_registers_a_household_and_adds_a_member_from_its_page(world, login):
    client = login(world.users["kader_a"])
    response = client.post(
        reverse("posyandu:keluarga_create"),
        {"head_name": "Ahmad Daeng", "kk_number": "7305 0101 0120 0001", "rt": "1", "rw": "2", "dusun": "Bontoa"},
    )
    keluarga = Keluarga.objects.get()
    assert response.status_code == 302 and response["Location"] == keluarga.get_absolute_url()
    assert (keluarga.kk_number, keluarga.rt, keluarga.rw) == ("7305010101200001", "001", "002")
    assert keluarga.posyandu == world.posyandu_a

    page = _page(client.get(keluarga.get_absolute_url()))
    add_url = f"{reverse('posyandu:warga_create')}?keluarga={keluarga.pk}"
    assert add_url in page and "7305010101200001" in page
    page = _page(client.get(add_url))
    assert f'<option value="{keluarga.pk}" selected>' in page
    response = client.post(add_url, _warga_data(keluarga=str(keluarga.pk)))
    assert response.status_code == 302
    assert Warga.objects.get().keluarga == keluarga


def test_a_duplicate_kk_number_is_refused_keeping_what_was_typed(world, login):
    factories.keluarga(posyandu=world.posyandu_b, kk_number="7305010101200001", head_name="Basri")
    response = login(world.users["kader_a"]).post(
        reverse("posyandu:keluarga_create"), {"head_name": "Ahmad Daeng", "kk_number": "7305010101200001", "rt": "1"}
    )
    page = _page(response)
    assert "Nomor KK ini sudah terdaftar." in page and 'value="Ahmad Daeng"' in page
    assert "Basri" not in page
    assert Keluarga.objects.count() == 1


def test_a_double_submitted_household_is_saved_once(world, login):
    client = login(world.users["kader_a"])
    data = {"head_name": "Ahmad Daeng", "rt": "1", "rw": "2"}
    assert client.post(reverse("posyandu:keluarga_create"), data).status_code == 302
    response = client.post(reverse("posyandu:keluarga_create"), data)
    assert "sudah terdaftar" in _page(response)
    assert Keluarga.objects.count() == 1


def test_rt_must_be_a_number(world, login):
    response = login(world.users["kader_a"]).post(
        reverse("posyandu:keluarga_create"), {"head_name": "Ahmad", "rt": "satu"}
    )
    assert "RT diisi angka 1 sampai 999, misalnya 003." in _page(response)


def test_tim_pembina_see_the_kk_number_masked(world, login):
    keluarga = factories.keluarga(posyandu=world.posyandu_a, kk_number="7305010101200001")
    page = _page(login(world.users["kabupaten"]).get(keluarga.get_absolute_url()))
    assert "730501••••••0001" in page and "7305010101200001" not in page
    page = _page(login(world.users["kabupaten"]).get(reverse("posyandu:keluarga_list")))
    assert "730501••••••0001" in page and "7305010101200001" not in page


def test_a_desa_operator_registers_a_household_at_a_posyandu_of_the_desa(world, login):
    response = login(world.users["desa_a1"]).post(
        reverse("posyandu:keluarga_create"), {"posyandu": world.posyandu_a.pk, "head_name": "Ahmad"}
    )
    assert response.status_code == 302 and Keluarga.objects.get().posyandu == world.posyandu_a
