"""The kader registry and the login accounts are one person."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kader import services as kader_services
from kader.models import Kader
from posyandu.akun.models import RiwayatAkun


def test_registering_a_kader_can_create_their_account(world, login):
    client = login(world.users["pengurus_a"])
    response = client.post(
        reverse("kader:kader_create"),
        {"name": "Rahmawati Daeng Ngai", "posyandu": world.posyandu_a.pk, "field": "pendidikan",
         "start_date": "2026-01-05", "phone": "081234567890", "create_account": "on"},
    )  # fmt: skip
    assert response.status_code == 200
    kader = Kader.objects.get(name="Rahmawati Daeng Ngai")
    assert kader.user.username == "rahmawati.daeng"
    assert (kader.user.role, kader.user.field, kader.user.posyandu) == ("kader", "pendidikan", world.posyandu_a)
    assert kader.user.check_password(response.context["password"])


def test_ending_a_kaders_service_deactivates_their_account(world, login):
    kader = kader_services.kader_register(
        posyandu=world.posyandu_a, name="kader_a", field="kesehatan", start_date=datetime.date(2020, 1, 1),
        user=world.users["kader_a"],
    )  # fmt: skip
    client = login(world.users["desa_a1"])
    response = client.post(
        reverse("kader:kader_deactivate", args=[kader.pk]), {"end_date": "2026-01-31", "end_reason": "Pindah domisili"}
    )
    assert response.status_code == 302
    account = world.users["kader_a"]
    account.refresh_from_db()
    assert not account.is_active
    assert RiwayatAkun.objects.filter(account=account, action="nonaktifkan", actor=world.users["desa_a1"]).exists()


def test_one_account_is_never_two_kader_and_one_nik_never_two_kader(world):
    start = datetime.date(2020, 1, 1)
    kader_services.kader_register(
        posyandu=world.posyandu_a, name="Satu", field="kesehatan", start_date=start, user=world.users["kader_a"],
        nik="7305011705230001",
    )  # fmt: skip
    with pytest.raises(ValidationError):
        kader_services.kader_register(
            posyandu=world.posyandu_a, name="Dua", field="kesehatan", start_date=start, user=world.users["kader_a"]
        )
    with pytest.raises(ValidationError):
        kader_services.kader_register(
            posyandu=world.posyandu_a, name="Tiga", field="sosial", start_date=start, nik="7305011705230001"
        )
    assert Kader.objects.count() == 1


def test_an_account_of_an_active_kader_keeps_the_kaders_role_and_posyandu(world):
    from posyandu.akun import services

    kader_services.kader_register(
        posyandu=world.posyandu_a, name="kader_a", field="kesehatan", start_date=datetime.date(2020, 1, 1),
        user=world.users["kader_a"],
    )  # fmt: skip
    with pytest.raises(ValidationError, match="mengikuti data kader"):
        services.account_update(by=world.users["desa_a1"], account=world.users["kader_a"], data={"role": "pengurus"})
