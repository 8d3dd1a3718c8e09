"""Households and people: the services (keluarga_*, warga_*), built and checked through them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from posyandu import dates, services
from posyandu.models import Keluarga, Sex, Warga, WargaPindah
from tests import factories

BIRTH = datetime.date(2023, 5, 17)


def _messages(exc_info) -> str:
    return " ".join(exc_info.value.messages)


# ---------------------------------------------------------------------------------------------
# Keluarga
# ---------------------------------------------------------------------------------------------
def test_keluarga_create_saves_a_household_with_its_kk_number(world):
    keluarga = services.keluarga_create(
        posyandu=world.posyandu_a, kk_number="7305010101200001", head_name="  Ahmad   Daeng ", rt="001", rw="002"
    )
    keluarga.refresh_from_db()
    assert keluarga.head_name == "Ahmad Daeng"
    assert keluarga.kk_number == "7305010101200001"
    assert keluarga.kk_number_masked == "730501••••••0001"


def test_an_empty_kk_number_is_stored_as_unknown_so_many_households_may_lack_one(world):
    first = services.keluarga_create(posyandu=world.posyandu_a, kk_number="", head_name="Ahmad", rt="001")
    second = services.keluarga_create(posyandu=world.posyandu_a, kk_number="", head_name="Basri", rt="001")
    assert first.kk_number is None and second.kk_number is None


def test_a_kk_number_already_registered_is_refused_in_indonesian(world):
    services.keluarga_create(posyandu=world.posyandu_a, kk_number="7305010101200001", head_name="Ahmad")
    with pytest.raises(ValidationError) as exc_info:
        services.keluarga_create(posyandu=world.posyandu_b, kk_number="7305010101200001", head_name="Basri")
    assert "Nomor KK ini sudah terdaftar." in _messages(exc_info)
    assert "Ahmad" not in _messages(exc_info)
    assert Keluarga.objects.count() == 1


def test_a_kk_number_race_at_the_database_becomes_the_same_indonesian_message(world, monkeypatch):
    services.keluarga_create(posyandu=world.posyandu_a, kk_number="7305010101200001", head_name="Ahmad")
    # The other request's row was not yet visible when this one validated: only the database sees it.
    monkeypatch.setattr(Keluarga, "validate_unique", lambda self, exclude=None: None)
    with pytest.raises(ValidationError) as exc_info:
        services.keluarga_create(posyandu=world.posyandu_a, kk_number="7305010101200001", head_name="Ahmad")
    assert _messages(exc_info) == "Nomor KK ini sudah terdaftar."


def test_a_kk_number_of_15_digits_is_refused(world):
    with pytest.raises(ValidationError) as exc_info:
        services.keluarga_create(posyandu=world.posyandu_a, kk_number="730501010120000", head_name="Ahmad")
    assert "Nomor KK harus 16 digit angka." in _messages(exc_info)


def test_the_same_household_without_kk_number_is_not_registered_twice(world):
    services.keluarga_create(posyandu=world.posyandu_a, head_name="Ahmad Daeng", rt="001", rw="002")
    with pytest.raises(ValidationError) as exc_info:
        services.keluarga_create(posyandu=world.posyandu_a, head_name="ahmad  daeng", rt="001", rw="002")
    assert "sudah terdaftar" in _messages(exc_info)
    assert Keluarga.objects.count() == 1


def test_keluarga_update_changes_the_address_but_not_the_posyandu(world):
    keluarga = factories.keluarga(posyandu=world.posyandu_a)
    services.keluarga_update(keluarga=keluarga, rt="004", dusun="Bontoa", posyandu=world.posyandu_b)
    keluarga.refresh_from_db()
    assert keluarga.rt == "004" and keluarga.dusun == "Bontoa"
    assert keluarga.posyandu == world.posyandu_a


# ---------------------------------------------------------------------------------------------
# Warga
# ---------------------------------------------------------------------------------------------
def test_warga_create_tidies_the_names_and_keeps_the_person_at_the_posyandu(world):
    warga = services.warga_create(
        posyandu=world.posyandu_a,
        name="  muhammad   rizky ",
        sex=Sex.LAKI_LAKI,
        birth_date=BIRTH,
        mother_name=" Siti  Aminah ",
    )
    warga.refresh_from_db()
    assert warga.name == "muhammad rizky"
    assert warga.mother_name == "Siti Aminah"
    assert warga.posyandu == world.posyandu_a and warga.status == Warga.Status.AKTIF


def test_a_registered_mother_replaces_the_typed_mother_name(world):
    mother = factories.warga(
        posyandu=world.posyandu_a, name="Siti Aminah", sex=Sex.PEREMPUAN, birth_date=datetime.date(1995, 2, 3)
    )
    child = factories.warga(posyandu=world.posyandu_a, mother=mother, mother_name="siti")
    assert child.mother == mother and child.mother_name == ""
    assert child.mother_display == "Siti Aminah"


def test_a_man_cannot_be_registered_as_mother(world):
    father = factories.warga(posyandu=world.posyandu_a, name="Basri", birth_date=datetime.date(1990, 1, 1))
    with pytest.raises(ValidationError) as exc_info:
        factories.warga(posyandu=world.posyandu_a, mother=father)
    assert exc_info.value.message_dict["mother"] == ["Ibu kandung harus perempuan."]
    assert Warga.objects.count() == 1


def test_a_mother_must_be_born_before_her_child(world):
    young = factories.warga(
        posyandu=world.posyandu_a, name="Nur", sex=Sex.PEREMPUAN, birth_date=datetime.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as exc_info:
        factories.warga(posyandu=world.posyandu_a, mother=young, birth_date=datetime.date(2023, 1, 1))
    assert "Ibu kandung harus lahir sebelum anaknya." in exc_info.value.message_dict["mother"]


def test_a_household_of_another_posyandu_is_refused_together_with_the_other_errors(world):
    other = factories.keluarga(posyandu=world.posyandu_b)
    with pytest.raises(ValidationError) as exc_info:
        services.warga_create(posyandu=world.posyandu_a, name="", sex=Sex.LAKI_LAKI, birth_date=BIRTH, keluarga=other)
    errors = exc_info.value.message_dict
    assert errors["keluarga"] == ["Keluarga ini terdaftar di posyandu lain."]
    assert "name" in errors  # the model's errors come in the same answer
    assert not Warga.objects.exists()


def test_a_birth_date_in_the_future_is_refused(world):
    with pytest.raises(ValidationError) as exc_info:
        factories.warga(posyandu=world.posyandu_a, birth_date=dates.today() + datetime.timedelta(days=1))
    assert exc_info.value.message_dict["birth_date"] == ["Tanggal lahir tidak boleh di masa depan."]


def test_warga_update_corrects_data_but_never_the_posyandu_or_status(world):
    warga = factories.warga(posyandu=world.posyandu_a)
    services.warga_update(warga=warga, name="Muhammad Rizki", posyandu=world.posyandu_b, status="meninggal")
    warga.refresh_from_db()
    assert warga.name == "Muhammad Rizki"
    assert warga.posyandu == world.posyandu_a and warga.status == Warga.Status.AKTIF


# ---------------------------------------------------------------------------------------------
# Moving and status
# ---------------------------------------------------------------------------------------------
def test_moving_a_person_records_the_move_and_keeps_the_old_posyandu_in_history(world):
    warga = factories.warga(posyandu=world.posyandu_a)
    move = services.warga_move(
        warga=warga,
        to_posyandu=world.posyandu_a2,
        moved_on=datetime.date(2025, 3, 1),
        reason=" ikut orang tua ",
        user=world.users["kader_a"],
    )
    assert warga.posyandu == world.posyandu_a2  # the caller's object is up to date
    warga.refresh_from_db()
    assert warga.posyandu == world.posyandu_a2
    assert (move.from_posyandu, move.to_posyandu, move.reason) == (
        world.posyandu_a,
        world.posyandu_a2,
        "ikut orang tua",
    )
    assert move.recorded_by == world.users["kader_a"]
    assert list(warga.moves.all()) == [move]


def test_a_second_identical_move_is_refused_and_writes_nothing(world):
    warga = factories.warga(posyandu=world.posyandu_a)
    kwargs = {"to_posyandu": world.posyandu_a2, "moved_on": datetime.date(2025, 3, 1), "user": world.users["admin"]}
    services.warga_move(warga=warga, **kwargs)
    with pytest.raises(ValidationError) as exc_info:
        services.warga_move(warga=warga, **kwargs)
    assert exc_info.value.message_dict["to_posyandu"] == ["Warga ini sudah terdaftar di posyandu tersebut."]
    assert WargaPindah.objects.count() == 1


def test_a_failed_move_changes_nothing(world):
    warga = factories.warga(posyandu=world.posyandu_a)
    with pytest.raises(ValidationError) as exc_info:
        services.warga_move(
            warga=warga,
            to_posyandu=world.posyandu_a2,
            moved_on=dates.today() + datetime.timedelta(days=3),
            user=world.users["kader_a"],
        )
    assert exc_info.value.message_dict["moved_on"] == ["Tanggal pindah tidak boleh di masa depan."]
    warga.refresh_from_db()
    assert warga.posyandu == world.posyandu_a and not WargaPindah.objects.exists()


def test_a_kader_may_hand_a_person_to_another_kecamatan_only_through_an_admin(world):
    warga = factories.warga(posyandu=world.posyandu_a)
    with pytest.raises(ValidationError) as exc_info:
        services.warga_move(
            warga=warga, to_posyandu=world.posyandu_b, moved_on=datetime.date(2025, 3, 1), user=world.users["kader_a"]
        )
    assert exc_info.value.message_dict["to_posyandu"] == ["Anda tidak bisa memindahkan warga ke posyandu tersebut."]
    services.warga_move(
        warga=warga, to_posyandu=world.posyandu_b, moved_on=datetime.date(2025, 3, 1), user=world.users["admin"]
    )
    assert warga.posyandu == world.posyandu_b


def test_tim_pembina_cannot_move_people(world):
    warga = factories.warga(posyandu=world.posyandu_a)
    with pytest.raises(ValidationError):
        services.warga_move(
            warga=warga,
            to_posyandu=world.posyandu_a2,
            moved_on=datetime.date(2025, 3, 1),
            user=world.users["kecamatan_a"],
        )
    assert not WargaPindah.objects.exists()


def test_moving_leaves_the_household_of_the_old_posyandu(world):
    keluarga = factories.keluarga(posyandu=world.posyandu_a)
    warga = factories.warga(posyandu=world.posyandu_a, keluarga=keluarga)
    services.warga_move(
        warga=warga, to_posyandu=world.posyandu_a2, moved_on=datetime.date(2025, 3, 1), user=world.users["admin"]
    )
    assert warga.keluarga is None
    assert not keluarga.members.exists()


def test_a_move_cannot_be_dated_before_the_previous_one(world):
    warga = factories.warga(posyandu=world.posyandu_a)
    admin = world.users["admin"]
    services.warga_move(warga=warga, to_posyandu=world.posyandu_a2, moved_on=datetime.date(2025, 3, 1), user=admin)
    with pytest.raises(ValidationError) as exc_info:
        services.warga_move(warga=warga, to_posyandu=world.posyandu_a, moved_on=datetime.date(2025, 2, 1), user=admin)
    assert "sebelum perpindahan terakhir (01-03-2025)" in exc_info.value.message_dict["moved_on"][0]


def test_a_deceased_person_cannot_be_moved(world):
    warga = factories.warga(posyandu=world.posyandu_a)
    services.warga_set_status(warga=warga, status=Warga.Status.MENINGGAL, status_date=datetime.date(2025, 1, 5))
    with pytest.raises(ValidationError) as exc_info:
        services.warga_move(
            warga=warga, to_posyandu=world.posyandu_a2, moved_on=datetime.date(2025, 3, 1), user=world.users["admin"]
        )
    assert "sudah meninggal" in _messages(exc_info)


def test_someone_marked_moved_away_who_turns_up_at_another_posyandu_is_active_again(world):
    warga = factories.warga(posyandu=world.posyandu_a)
    services.warga_set_status(warga=warga, status=Warga.Status.PINDAH, status_date=datetime.date(2025, 1, 5))
    services.warga_move(
        warga=warga, to_posyandu=world.posyandu_a2, moved_on=datetime.date(2025, 3, 1), user=world.users["kader_a"]
    )
    assert warga.status == Warga.Status.AKTIF and warga.status_date is None


def test_marking_a_death_needs_a_date_not_in_the_future(world):
    warga = factories.warga(posyandu=world.posyandu_a)
    with pytest.raises(ValidationError) as exc_info:
        services.warga_set_status(warga=warga, status=Warga.Status.MENINGGAL, status_date=None)
    assert "Isi tanggal pindah atau meninggal." in exc_info.value.message_dict["status_date"]
    with pytest.raises(ValidationError) as exc_info:
        services.warga_set_status(
            warga=warga,
            status=Warga.Status.MENINGGAL,
            status_date=dates.today() + datetime.timedelta(days=1),
        )
    assert exc_info.value.message_dict["status_date"] == ["Tanggal status tidak boleh di masa depan."]
    warga.refresh_from_db()
    assert warga.status == Warga.Status.AKTIF


def test_a_mistaken_status_can_be_set_back_to_active(world):
    warga = factories.warga(posyandu=world.posyandu_a)
    services.warga_set_status(warga=warga, status=Warga.Status.PINDAH, status_date=datetime.date(2025, 1, 5))
    services.warga_set_status(warga=warga, status=Warga.Status.AKTIF, status_date=datetime.date(2025, 1, 5))
    warga.refresh_from_db()
    assert warga.status == Warga.Status.AKTIF and warga.status_date is None
