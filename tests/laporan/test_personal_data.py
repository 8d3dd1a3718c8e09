"""UU 27/2022: a person's data on request (right of access) and an admin-only anonymisation that keeps
the aggregate numbers intact."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from laporan import indicators as ind
from laporan import rekap
from posyandu import services
from posyandu.models import Warga
from tests.laporan.test_indicators import MARCH


def _totals(world):
    values = rekap.compute(user=world.users["kabupaten"], period=MARCH, measures=ind.measures_of(ind.CATALOGUE))
    return {r.indicator.code: (r.numerator, r.denominator) for r in ind.evaluate(ind.CATALOGUE, values["total"])}


def test_a_keeper_downloads_everything_held_about_a_person_and_tim_pembina_cannot(world, march, login):
    ani = Warga.objects.get(name="Ani")
    url = reverse("laporan:warga_data", args=[ani.pk])
    response = login(world.users["kader_a"]).get(url)
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["warga"]["name"] == "Ani" and data["warga"]["birth_date"] == "2025-03-15"
    assert sorted(v["weight_kg"] for v in data["kunjungan"]) == ["8.00", "8.50", "8.60"]
    assert login(world.users["kecamatan_a"]).get(url).status_code == 403


def test_anonymising_erases_the_name_everywhere_and_keeps_every_indicator(world, march, login):
    ani = Warga.objects.get(name="Ani")
    services.warga_update(warga=ani, nik="7305015503250001", phone="0812")
    before = _totals(world)
    response = login(world.users["admin"]).post(reverse("posyandu:warga_anonymise", args=[ani.pk]), follow=True)
    assert "sudah dihapus" in response.content.decode()
    ani.refresh_from_db()
    assert (ani.name, ani.nik, ani.phone) == ("Anonim", None, "")
    assert not ani.history.filter(name="Ani").exists() and not ani.history.exclude(nik=None).exists()
    assert _totals(world) == before


def test_only_an_admin_may_anonymise(world, march):
    ani = Warga.objects.get(name="Ani")
    with pytest.raises(PermissionDenied):
        services.warga_anonymise(warga=ani, user=world.users["desa_a1"])
    assert Warga.objects.filter(name="Ani").exists()
