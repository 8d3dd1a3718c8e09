"""The phone's outbox arrives: each record stored once through the online service, or refused with a reason."""

import datetime
import json
import threading
import uuid
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from layanan import services, sync
from layanan.models import Kunjungan
from layanan.services import kesehatan as visits
from posyandu import services as posyandu_services
from posyandu.models import BulanTerkunci, Sex, Warga
from tests.layanan.conftest import person

URL = "/kesehatan/offline/kirim/"


@pytest.fixture
def day(world):
    return services.hari_buka_open(
        posyandu=world.posyandu_a, date=datetime.date(2026, 3, 10), user=world.users["kader_a"]
    )


@pytest.fixture
def child(world):
    return person(world.posyandu_a, "Ahmad", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2025, 3, 10))


def rec(day, warga, record_id=None, **data):
    return {"id": str(record_id or uuid.uuid4()), "hari_buka": day.pk, "warga": warga.pk, "data": data}


def send(client, records):
    response = client.post(URL, json.dumps({"records": records}), content_type="application/json")
    return response, response.json()


def test_a_record_is_stored_through_the_online_service_with_the_servers_result(world, login, day, child):
    record = rec(day, child, weight_kg="9,6", height_cm="75.7")
    response, body = send(login(world.users["kader_a"]), [record])
    assert response.status_code == 200
    [answer] = body["results"]
    assert answer["status"] == "stored", answer
    visit = Kunjungan.objects.get(warga=child)
    assert str(visit.client_id) == record["id"]
    assert visit.recorded_by == world.users["kader_a"]
    assert answer["result"]["z_wfa"] == str(visit.z_wfa)
    assert answer["result"]["cat_wfa"] == "normal"
    assert answer["result"]["growth_code"] == "B"


def test_the_same_batch_sent_twice_stores_each_record_once_and_gives_the_same_answer(world, login, day, child):
    other = person(world.posyandu_a, "Bunga", birth_date=datetime.date(2024, 9, 2))
    batch = [rec(day, child, weight_kg="9.6"), rec(day, other, weight_kg="9.1", height_cm="78.2")]
    client = login(world.users["kader_a"])
    _response, first = send(client, batch)
    _response, second = send(client, batch)
    assert [a["status"] for a in first["results"]] == ["stored", "stored"]
    assert [a["status"] for a in second["results"]] == ["already", "already"]
    assert [a["result"] for a in first["results"]] == [a["result"] for a in second["results"]]
    assert Kunjungan.objects.filter(hari_buka=day).count() == 2


def test_the_phones_id_is_unique_in_the_database(world, day, child):
    record_id = uuid.uuid4()
    other = person(world.posyandu_a, "Bunga", birth_date=datetime.date(2024, 9, 2))
    services.kunjungan_record(
        warga=child, user=world.users["kader_a"], hari_buka=day, values={"weight_kg": D("9.6")}, client_id=record_id
    )
    with pytest.raises(ValidationError, match="tidak sah"):
        services.kunjungan_record(
            warga=other, user=world.users["kader_a"], hari_buka=day, values={"weight_kg": D("9")}, client_id=record_id
        )
    assert Kunjungan.objects.filter(client_id=record_id).count() == 1


def test_a_batch_sent_twice_at_the_same_moment_stores_each_record_once(transactional_db, world, monkeypatch):
    both_checked = threading.Barrier(2)
    compute = visits._compute

    def compute_then_wait(*args, **kwargs):
        compute(*args, **kwargs)
        both_checked.wait(timeout=10)

    monkeypatch.setattr(visits, "_compute", compute_then_wait)
    child = person(world.posyandu_a, "Ani", birth_date=datetime.date(2025, 3, 15))
    day = services.hari_buka_open(
        posyandu=world.posyandu_a, date=datetime.date(2026, 3, 10), user=world.users["kader_a"]
    )
    batch = [rec(day, child, weight_kg="8,5")]
    answers, lock = [], threading.Lock()

    def post():
        try:
            client = Client()
            client.force_login(world.users["kader_a"])
            _response, body = send(client, batch)
            with lock:
                answers.extend(body["results"])
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert Kunjungan.objects.filter(warga=child).count() == 1
    assert sorted(a["status"] for a in answers) == ["already", "stored"], answers
    assert answers[0]["result"] == answers[1]["result"]


def test_a_child_already_recorded_this_month_by_another_kader_is_refused_with_a_reason(world, login, day, child):
    services.kunjungan_record(
        warga=child, user=world.users["pengurus_a"], hari_buka=day, values={"weight_kg": D("9.6")}
    )
    _response, body = send(login(world.users["kader_a"]), [rec(day, child, weight_kg="9.7")])
    [answer] = body["results"]
    assert answer["status"] == "refused" and answer["code"] == sync.Code.DUPLICATE
    assert "Ahmad sudah dicatat bulan Maret 2026 oleh pengurus_a" in answer["message"]
    assert Kunjungan.objects.filter(warga=child).count() == 1


def test_a_month_approved_meanwhile_refuses_the_record_naming_the_month(world, login, day, child):
    BulanTerkunci.objects.create(posyandu=world.posyandu_a, month=datetime.date(2026, 3, 1))
    _response, body = send(login(world.users["kader_a"]), [rec(day, child, weight_kg="9.6")])
    [answer] = body["results"]
    assert answer["code"] == sync.Code.MONTH_LOCKED
    assert "Maret 2026" in answer["message"]
    assert not Kunjungan.objects.filter(warga=child).exists()


def test_the_databases_month_lock_refusal_is_answered_as_month_locked(world, login, day, child, monkeypatch):
    # The early check passes (the month is approved between it and the insert): the trigger refuses.
    monkeypatch.setattr(sync, "_locked_month", lambda record, hari_buka: None)
    monkeypatch.setattr(visits, "month_ensure_open", lambda **kwargs: None)
    BulanTerkunci.objects.create(posyandu=world.posyandu_a, month=datetime.date(2026, 3, 1))
    _response, body = send(login(world.users["kader_a"]), [rec(day, child, weight_kg="9.6")])
    assert body["results"][0]["code"] == sync.Code.MONTH_LOCKED


def test_an_implausible_value_is_refused_until_confirmed(world, login, day, child):
    client = login(world.users["kader_a"])
    record = rec(day, child, weight_kg="30")
    _response, body = send(client, [record])
    assert body["results"][0]["code"] == sync.Code.IMPLAUSIBLE
    assert "30 kg tidak mungkin untuk anak 12 bulan" in body["results"][0]["message"]
    record["data"]["confirm_implausible"] = "on"
    _response, body = send(client, [record])
    assert body["results"][0]["status"] == "stored"
    assert Kunjungan.objects.get(warga=child).implausible == ["wfa"]  # 30 kg at one year; no height given


def test_a_person_who_moved_away_is_refused_as_moved(world, login, day, child):
    posyandu_services.warga_move(
        warga=child, to_posyandu=world.posyandu_a2, moved_on=datetime.date(2026, 3, 1), user=world.users["desa_a1"]
    )
    _response, body = send(login(world.users["kader_a"]), [rec(day, child, weight_kg="9.6")])
    [answer] = body["results"]
    assert answer["code"] == sync.Code.MOVED and "pindah" in answer["message"]


def test_a_person_marked_moved_out_is_refused_as_moved(world, login, day, child):
    Warga.objects.filter(pk=child.pk).update(status=Warga.Status.PINDAH, status_date=datetime.date(2026, 3, 1))
    _response, body = send(login(world.users["kader_a"]), [rec(day, child, weight_kg="9.6")])
    assert body["results"][0]["code"] == sync.Code.MOVED


def test_form_errors_come_back_per_field_and_the_other_records_are_stored(world, login, day, child):
    other = person(world.posyandu_a, "Bunga", birth_date=datetime.date(2024, 9, 2))
    _response, body = send(
        login(world.users["kader_a"]),
        [rec(day, child, weight_kg="sembilan"), rec(day, other, weight_kg="9.1"), {"id": "x"}],
    )
    bad, good, malformed = body["results"]
    assert bad["code"] == sync.Code.INVALID and "weight_kg" in bad["errors"]
    assert good["status"] == "stored"
    assert malformed["code"] == sync.Code.MALFORMED


def test_a_service_refusal_comes_back_per_field(world, login, day, child):
    _response, body = send(login(world.users["kader_a"]), [rec(day, child, weight_kg="45")])
    [answer] = body["results"]
    assert answer["code"] == sync.Code.INVALID and "weight_kg" in answer["errors"]


def test_another_posyandus_day_or_person_is_not_found(world, login, day, child):
    other_day = services.hari_buka_open(
        posyandu=world.posyandu_b, date=datetime.date(2026, 3, 10), user=world.users["admin"]
    )
    stranger = person(world.posyandu_b, "Orang lain")
    _response, body = send(
        login(world.users["kader_a"]), [rec(other_day, stranger, weight_kg="9"), rec(day, stranger, weight_kg="9")]
    )
    assert [a["code"] for a in body["results"]] == [sync.Code.NOT_FOUND, sync.Code.NOT_FOUND]


def test_an_expired_session_is_401_json_never_the_login_page(world, day, child):
    response, body = send(Client(), [rec(day, child, weight_kg="9.6")])
    assert response.status_code == 401 and body["error"] == "login"
    response = Client().get(reverse("layanan_offline:day_data", args=[day.pk]))
    assert response.status_code == 401 and response.json()["error"] == "login"
    assert not Kunjungan.objects.exists()


def test_a_missing_or_stale_csrf_token_is_403_json_and_a_fresh_token_works(world, day, child):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["kader_a"])
    batch = [rec(day, child, weight_kg="9.6")]
    response, body = send(client, batch)
    assert response.status_code == 403 and body["error"] == "csrf"
    token = client.get(reverse("layanan_offline:session")).json()["csrf"]
    response = client.post(
        URL, json.dumps({"records": batch}), content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert response.json()["results"][0]["status"] == "stored"


def test_tim_pembina_may_not_send(world, login, day, child):
    response, body = send(login(world.users["kecamatan_a"]), [rec(day, child, weight_kg="9.6")])
    assert response.status_code == 403 and body["error"] == "forbidden"


def test_a_newborn_registered_offline_arrives_once_with_its_first_visit(world, login, day):
    mother = person(world.posyandu_a, "Ibu Sari", birth_date=datetime.date(1996, 4, 4))
    baby_id = str(uuid.uuid4())
    registration = {
        "type": "warga",
        "id": baby_id,
        "hari_buka": day.pk,
        "data": {
            "name": "Bayi Ny. Sari",
            "sex": "P",
            "birth_date": "2026-03-01",
            "mother": str(mother.pk),
            "birth_weight_kg": "3,2",
        },
    }
    visit = {"id": str(uuid.uuid4()), "hari_buka": day.pk, "warga_client": baby_id, "data": {"weight_kg": "3,3"}}
    client = login(world.users["kader_a"])
    _response, first = send(client, [registration, visit])
    _response, second = send(client, [registration, visit])
    assert [a["status"] for a in first["results"]] == ["stored", "stored"], first
    assert [a["status"] for a in second["results"]] == ["already", "already"]
    baby = Warga.objects.get(client_id=baby_id)
    assert baby.mother == mother and baby.posyandu == world.posyandu_a and baby.birth_weight_kg == D("3.2")
    assert Kunjungan.objects.get(warga=baby).growth_code == "B"


def test_a_person_registered_offline_who_may_be_known_is_asked_about_first(world, login, day):
    mother = person(world.posyandu_a, "Ibu Sari", birth_date=datetime.date(1996, 4, 4))
    person(world.posyandu_a, "Bayi Ny. Sari", birth_date=datetime.date(2026, 3, 1), mother=mother)
    registration = {
        "type": "warga",
        "id": str(uuid.uuid4()),
        "hari_buka": day.pk,
        "data": {"name": "bayi ny. sari", "sex": "P", "birth_date": "2026-03-01", "mother": str(mother.pk)},
    }
    client = login(world.users["kader_a"])
    _response, body = send(client, [registration])
    assert body["results"][0]["code"] == sync.Code.POSSIBLE_DUPLICATE
    assert "Bayi Ny. Sari (Posyandu Mawar)" in body["results"][0]["message"]
    registration["data"]["confirm_new"] = "on"
    _response, body = send(client, [registration])
    assert body["results"][0]["status"] == "stored"
