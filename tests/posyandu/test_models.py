import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from posyandu.models import Pengurus, Posyandu, Role, SpmField, User, Wilayah
from tests import factories


def test_six_spm_fields_are_the_regulation_fields():
    assert set(SpmField.values) == {
        "kesehatan",
        "pendidikan",
        "sosial",
        "perumahan_rakyat",
        "pekerjaan_umum",
        "trantibum_linmas",
    }


def test_desa_code_1xxx_is_a_kelurahan_and_2xxx_a_desa():
    assert Wilayah(code="73.05.01.1001", level=Wilayah.Level.DESA, name="Takalar").display_name == "Kel. Takalar"
    assert Wilayah(code="73.05.01.2001", level=Wilayah.Level.DESA, name="Lassang").display_name == "Desa Lassang"


def test_wilayah_code_must_match_its_level_in_the_database(db):
    factories.area("73.05")
    with pytest.raises(IntegrityError), transaction.atomic():
        Wilayah.objects.create(code="73.05.1", name="Salah", level=Wilayah.Level.KECAMATAN, parent_id="73.05")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("73.05.02.2001.001", "harus diawali kode desa 73.05.01.2001"),
        ("73.05.01.2001.1", "berformat PP.KK.KC.DDDD.NNN"),
        ("73-05-01-2001-001", "berformat PP.KK.KC.DDDD.NNN"),
        ("73.05.01.2001.000", "dimulai dari 001"),
    ],
)
def test_registration_number_is_checked_against_its_desa(world, number, message):
    world.posyandu_a.registration_number = number
    with pytest.raises(ValidationError) as error:
        world.posyandu_a.full_clean()
    assert message in " ".join(error.value.message_dict["registration_number"])


def test_registration_number_is_unique_in_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Posyandu.objects.filter(pk=world.posyandu_a2.pk).update(registration_number="73.05.01.2001.001")


def test_posyandu_name_is_unique_per_desa_ignoring_case(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Posyandu.objects.create(name="POSYANDU MAWAR", desa=world.desa_a1, schedule_day=3)


def test_inactive_posyandu_needs_a_reason_even_outside_forms(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Posyandu.objects.filter(pk=world.posyandu_a.pk).update(status=Posyandu.Status.NONAKTIF)


@pytest.mark.parametrize(
    ("kind", "values", "today", "expected"),
    [
        ("tanggal", {"schedule_day": 10}, datetime.date(2026, 11, 3), datetime.date(2026, 11, 10)),
        ("tanggal", {"schedule_day": 10}, datetime.date(2026, 11, 10), datetime.date(2026, 11, 10)),
        ("tanggal", {"schedule_day": 10}, datetime.date(2026, 12, 11), datetime.date(2027, 1, 10)),
        # Second Tuesday (weekday 1) of November 2026 is the 10th; of December the 8th.
        (
            "minggu_hari",
            {"schedule_week": 2, "schedule_weekday": 1},
            datetime.date(2026, 11, 1),
            datetime.date(2026, 11, 10),
        ),
        (
            "minggu_hari",
            {"schedule_week": 2, "schedule_weekday": 1},
            datetime.date(2026, 11, 11),
            datetime.date(2026, 12, 8),
        ),
    ],
)
def test_next_opening_date_follows_the_schedule(kind, values, today, expected):
    posyandu = Posyandu(schedule_kind=kind, **values)
    assert posyandu.next_opening_date(today) == expected


def test_posyandu_without_schedule_has_no_next_opening():
    assert Posyandu(schedule_kind="tanggal").next_opening_date(datetime.date(2026, 1, 1)) is None


def test_only_one_current_holder_per_position_in_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Pengurus.objects.create(
            posyandu=world.posyandu_a,
            position=Pengurus.Position.KETUA,
            name="Kedua",
            term_start=datetime.date(2025, 2, 1),
        )


def test_ketua_bidang_needs_a_field_in_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Pengurus.objects.create(
            posyandu=world.posyandu_a,
            position=Pengurus.Position.KETUA_BIDANG,
            name="Tanpa bidang",
            term_start=datetime.date(2025, 2, 1),
        )


def test_kader_without_posyandu_is_refused_by_the_database(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", role=Role.KADER, field=SpmField.KESEHATAN, wilayah=world.desa_a1)


def test_kecamatan_team_must_be_bound_to_a_kecamatan(world):
    user = User(username="salah", role=Role.PEMBINA_KECAMATAN, wilayah=world.desa_a1)
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "setingkat Kecamatan" in " ".join(error.value.message_dict["wilayah"])


def test_createsuperuser_makes_an_admin(db):
    user = User.objects.create_superuser("root", "root@example.org", "x-long-password-1")
    assert user.role == Role.ADMIN and user.is_admin_role
