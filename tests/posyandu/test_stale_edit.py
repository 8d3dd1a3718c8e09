"""Editing a record someone else changed since you opened it is detected, not silently overwritten."""

import datetime
import re
from decimal import Decimal as D

from django.core.exceptions import ValidationError
from django.urls import reverse

from layanan import services as health
from posyandu import services
from posyandu.models import Warga
from tests.layanan.conftest import person


def test_a_second_editor_is_told_the_person_changed_and_loses_nothing(world, client, login):
    warga = person(world.posyandu_a, "Siti Aminah", birth_date=datetime.date(2024, 1, 5), phone="0811")
    url = reverse("posyandu:warga_update", args=[warga.pk])
    # The pengurus opens the form; meanwhile the kader corrects the phone number.
    page = login(world.users["pengurus_a"]).get(url).content.decode()
    version = re.search(r'name="version" value="([^"]+)"', page).group(1)
    services.warga_update(warga=Warga.objects.get(pk=warga.pk), phone="0822")  # the kader's save
    data = {
        "name": "Siti Aminah Putri",
        "sex": "P",
        "birth_date": "2024-01-05",
        "has_buku_kia": "on",
        "phone": "0811",
        "version": version,
    }
    response = login(world.users["pengurus_a"]).post(url, data)
    page = response.content.decode()
    assert response.status_code == 200 and "baru saja diubah orang lain" in page
    assert 'value="Siti Aminah Putri"' in page  # what was typed is kept
    warga.refresh_from_db()
    assert warga.name == "Siti Aminah" and warga.phone == "0822"  # the other change stands
    # Saving again with the newer version in the form overwrites, knowingly.
    data["version"] = re.search(r'name="version" value="([^"]+)"', page).group(1)
    assert login(world.users["pengurus_a"]).post(url, data).status_code == 302
    warga.refresh_from_db()
    assert warga.name == "Siti Aminah Putri"


def test_a_visit_correction_against_a_newer_correction_is_refused(world):
    child = person(world.posyandu_a, "Ani", birth_date=datetime.date(2025, 3, 15))
    day = health.hari_buka_open(posyandu=world.posyandu_a, date=datetime.date(2026, 3, 10), user=world.users["kader_a"])
    visit = health.kunjungan_record(warga=child, user=world.users["kader_a"], hari_buka=day,
                                    values={"weight_kg": D("8.5")})  # fmt: skip
    opened = visit.updated_at.isoformat()
    health.kunjungan_record(warga=child, user=world.users["pengurus_a"], instance=visit, values={"weight_kg": D("8.7")},
                            version=opened)  # fmt: skip
    stale = type(visit).objects.get(pk=visit.pk)
    try:
        health.kunjungan_record(warga=child, user=world.users["kader_a"], instance=stale,
                                values={"weight_kg": D("8.4")}, version=opened)  # fmt: skip
    except ValidationError as error:
        assert "baru saja diubah orang lain" in " ".join(error.messages)
    else:
        raise AssertionError("the stale correction was saved")
    assert type(visit).objects.get(pk=visit.pk).weight_kg == D("8.70")
