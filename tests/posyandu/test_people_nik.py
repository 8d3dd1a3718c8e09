"""NIK rules (Dukcapil structure) and who sees a full NIK (UU 27/2022 on personal data)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from posyandu.models import Sex, Warga, can_see_full_nik, mask_nik
from tests import factories

BOY_BIRTH = datetime.date(2023, 5, 17)
MOTHER_BIRTH = datetime.date(1995, 2, 3)
BOY_NIK = "7305011705230001"  # kecamatan 73.05.01, 17-05-23, serial 0001
MOTHER_NIK = "7305014302950002"  # a woman: day 03 + 40 = 43


def _nik_error(exc_info) -> str:
    return " ".join(exc_info.value.message_dict["nik"])


def test_a_well_formed_nik_of_a_registered_kecamatan_is_accepted(world):
    warga = factories.warga(posyandu=world.posyandu_a, nik=BOY_NIK, birth_date=BOY_BIRTH)
    assert warga.nik == BOY_NIK
    assert factories.nik(kecamatan="73.05.01", birth_date=BOY_BIRTH, sex=Sex.LAKI_LAKI) == BOY_NIK


def test_spaces_typed_from_the_card_do_not_make_an_empty_nik_unknown(world):
    warga = factories.warga(posyandu=world.posyandu_a, nik="  ")
    assert warga.nik is None


def test_a_womans_nik_carries_her_birth_day_plus_40(world):
    mother = factories.warga(
        posyandu=world.posyandu_a, name="Siti", sex=Sex.PEREMPUAN, birth_date=MOTHER_BIRTH, nik=MOTHER_NIK
    )
    assert mother.nik == MOTHER_NIK
    with pytest.raises(ValidationError) as exc_info:
        factories.warga(
            posyandu=world.posyandu_a, name="Nur", sex=Sex.PEREMPUAN, birth_date=MOTHER_BIRTH, nik="7305010302950003"
        )
    assert "tanggal lahir di NIK ditambah 40" in _nik_error(exc_info)


def test_a_man_cannot_have_a_womans_nik(world):
    with pytest.raises(ValidationError) as exc_info:
        factories.warga(posyandu=world.posyandu_a, birth_date=MOTHER_BIRTH, nik="7305014302950003")
    assert "NIK ini milik perempuan" in _nik_error(exc_info)


def test_a_nik_of_15_digits_is_refused(world):
    with pytest.raises(ValidationError) as exc_info:
        factories.warga(posyandu=world.posyandu_a, nik=BOY_NIK[:15])
    assert _nik_error(exc_info) == "NIK harus 16 digit angka."


def test_a_nik_whose_date_differs_from_the_birth_date_is_refused(world):
    with pytest.raises(ValidationError) as exc_info:
        factories.warga(posyandu=world.posyandu_a, nik=BOY_NIK, birth_date=datetime.date(2023, 5, 18))
    assert "tidak sama dengan tanggal lahir" in _nik_error(exc_info)


def test_a_nik_of_a_kecamatan_that_does_not_exist_is_refused(world):
    with pytest.raises(ValidationError) as exc_info:
        factories.warga(posyandu=world.posyandu_a, nik="7399991705230001")
    assert "739999" in _nik_error(exc_info) and "bukan kode kecamatan" in _nik_error(exc_info)
    assert not Warga.objects.exists()


def test_a_nik_from_another_registered_kecamatan_is_fine(world):
    # People keep the NIK of where they were registered first.
    warga = factories.warga(posyandu=world.posyandu_a, nik="7305021705230001")
    assert warga.nik.startswith("730502")


def test_a_nik_already_registered_is_refused_without_naming_the_other_person(world):
    factories.warga(posyandu=world.posyandu_b, name="Andi Saputra", nik=BOY_NIK)
    with pytest.raises(ValidationError) as exc_info:
        factories.warga(posyandu=world.posyandu_a, name="Rizky", nik=BOY_NIK)
    message = " ".join(exc_info.value.messages)
    assert message == "NIK ini sudah terdaftar untuk orang lain."
    assert "Andi" not in message and "Anggrek" not in message


def test_a_nik_race_at_the_database_becomes_the_same_indonesian_message(world, monkeypatch):
    factories.warga(posyandu=world.posyandu_b, nik=BOY_NIK)
    monkeypatch.setattr(Warga, "validate_unique", lambda self, exclude=None: None)
    with pytest.raises(ValidationError) as exc_info:
        factories.warga(posyandu=world.posyandu_a, nik=BOY_NIK)
    assert exc_info.value.messages == ["NIK ini sudah terdaftar untuk orang lain."]
    assert Warga.objects.count() == 1


def test_a_masked_nik_keeps_area_and_serial_but_hides_the_birth_date():
    assert mask_nik(MOTHER_NIK) == "730501••••••0002"
    assert "430295" not in mask_nik(MOTHER_NIK)
    assert mask_nik(None) == ""


@pytest.mark.parametrize(
    ("role", "sees_full"),
    [
        ("kader_a", True),
        ("pengurus_a", True),
        ("desa_a1", True),
        ("admin", True),
        ("kader_b", False),  # another posyandu
        ("kecamatan_a", False),  # Tim Pembina: supervise with masked numbers
        ("kabupaten", False),
    ],
)
def test_the_full_nik_is_for_the_keepers_of_the_persons_own_posyandu(world, role, sees_full):
    assert can_see_full_nik(world.users[role], world.posyandu_a) is sees_full


def test_the_desa_operator_of_another_desa_sees_the_nik_masked(world):
    assert can_see_full_nik(world.users["desa_a1"], world.posyandu_a2) is False


def _detail(login, user, warga) -> str:
    return login(user).get(reverse("posyandu:warga_detail", args=[warga.pk])).content.decode()


def test_tim_pembina_see_the_nik_masked_and_the_desa_operator_sees_it_in_full(world, login):
    warga = factories.warga(posyandu=world.posyandu_a, nik=BOY_NIK)
    for role in ("kecamatan_a", "kabupaten"):
        page = _detail(login, world.users[role], warga)
        assert "730501••••••0001" in page and BOY_NIK not in page, role
    for role in ("desa_a1", "kader_a", "pengurus_a", "admin"):
        assert BOY_NIK in _detail(login, world.users[role], warga), role


def test_the_warga_list_never_shows_a_nik_even_to_the_kader(world, login):
    factories.warga(posyandu=world.posyandu_a, nik=BOY_NIK)
    page = login(world.users["kader_a"]).get(reverse("posyandu:warga_list")).content.decode()
    assert "Muhammad Rizky" in page and BOY_NIK not in page


def test_a_name_search_with_digits_is_refused_so_a_nik_is_never_searched_by_url(world, login):
    factories.warga(posyandu=world.posyandu_a, nik=BOY_NIK)
    response = login(world.users["kader_a"]).get(reverse("posyandu:warga_list"), {"q": BOY_NIK})
    page = response.content.decode()
    assert "Cari dengan nama saja. Untuk NIK pakai kotak Cari NIK." in page
    assert 'pattern="[^0-9]*"' in page  # the browser refuses digits before sending the search


def test_finding_a_person_by_nik_is_a_post_that_leads_to_their_page(world, login):
    warga = factories.warga(posyandu=world.posyandu_a, nik=BOY_NIK)
    response = login(world.users["kader_a"]).post(reverse("posyandu:warga_find_nik"), {"nik": "7305 0117 0523 0001"})
    assert response.status_code == 302 and response["Location"] == warga.get_absolute_url()
    assert BOY_NIK not in response["Location"]
    assert response.wsgi_request.sensitive_post_parameters == ("nik",)  # hidden from error reports


def test_a_nik_outside_the_users_scope_reveals_nothing(world, login):
    factories.warga(posyandu=world.posyandu_b, nik=BOY_NIK)
    client = login(world.users["kader_a"])
    response = client.post(reverse("posyandu:warga_find_nik"), {"nik": BOY_NIK}, follow=True)
    page = response.content.decode()
    assert "Tidak ada warga dengan NIK itu di wilayah Anda." in page
    assert "Anggrek" not in page


def test_the_warga_forms_hide_the_nik_from_error_reports(world, login):
    response = login(world.users["kader_a"]).post(reverse("posyandu:warga_create"), {"nik": BOY_NIK})
    assert response.wsgi_request.sensitive_post_parameters == ("nik",)


def test_the_django_admin_lists_people_with_masked_nik_and_cannot_search_by_it(world, client):
    factories.warga(posyandu=world.posyandu_a, nik=BOY_NIK)
    factories.keluarga(posyandu=world.posyandu_a, kk_number="7305010101200001")
    admin = world.users["admin"]
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    page = client.get(reverse("admin:posyandu_warga_changelist")).content.decode()
    assert "730501••••••0001" in page and BOY_NIK not in page
    assert (
        "Muhammad Rizky" not in client.get(reverse("admin:posyandu_warga_changelist"), {"q": BOY_NIK}).content.decode()
    )
    page = client.get(reverse("admin:posyandu_keluarga_changelist")).content.decode()
    assert "730501••••••0001" in page and "7305010101200001" not in page
    assert client.get(reverse("admin:posyandu_wargapindah_changelist")).status_code == 200
