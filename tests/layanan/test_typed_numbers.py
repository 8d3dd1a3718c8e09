"""The server's side of tests/typed_numbers.py: each number typed on a phone, sent as the phone sends it,
judged by the online entry's form and the visit service (a newborn: the registration form and the
database's range). The phone's side of the same table: tests/browser/test_offline_numbers.py."""

import datetime
import uuid

import pytest

from layanan import services, sync
from layanan.forms import KunjunganForm
from layanan.models import Kunjungan
from posyandu.models import Warga
from tests.layanan.conftest import person
from tests.typed_numbers import CASES, STAGES, expected_text

DAY = datetime.date(2026, 3, 10)
BIRTHS = {
    "balita": datetime.date(2025, 3, 10),
    "ibu_hamil": datetime.date(1996, 1, 1),
    "usia_produktif": datetime.date(1980, 1, 1),
}


def _field(name):
    return (sync.NewPersonForm if name == "birth_weight_kg" else KunjunganForm).base_fields[name]


def _record(world, hari_buka, index: int, field: str, typed: str) -> dict:
    """One record of the phone's outbox holding ``typed`` in ``field``, for a person of its own."""
    record = {"id": str(uuid.uuid4()), "hari_buka": hari_buka.pk}
    stage = STAGES[field]
    if stage == "new_person":
        data = {"name": f"Bayi Nomor {index:03d}", "sex": "P", "birth_date": "2026-03-01", "confirm_new": "on"}
        return record | {"type": "warga", "data": data | {field: typed}}
    warga = person(world.posyandu_a, f"Warga Nomor {index:03d}", birth_date=BIRTHS[stage])
    if stage == "ibu_hamil":
        services.kehamilan_register(
            mother=warga, registered_on=datetime.date(2026, 1, 5), hpht=datetime.date(2025, 12, 1)
        )
    return record | {"warga": warga.pk, "data": {field: typed, "confirm_implausible": "on"}}


def _stored(field: str, record_id: str):
    if field == "birth_weight_kg":
        return Warga.objects.get(client_id=record_id).birth_weight_kg
    return getattr(Kunjungan.objects.get(client_id=record_id), field)


@pytest.mark.django_db
def test_each_number_a_kader_types_gets_the_servers_value_or_its_exact_words(world):
    hari_buka = services.hari_buka_open(posyandu=world.posyandu_a, date=DAY, user=world.users["kader_a"])
    records = [_record(world, hari_buka, index, field, typed) for index, (field, typed, _e) in enumerate(CASES)]
    answers = sync.kunjungan_sync(user=world.users["kader_a"], records=records)
    for (field, typed, expected), record, answer in zip(CASES, records, answers, strict=True):
        case = (field, typed, answer)
        if isinstance(expected, str):
            errors = answer.get("errors", {})
            assert answer["status"] == "refused", case
            assert (errors.get(field) or errors.get("__all__")) == [expected], case
        else:
            assert answer["status"] == "stored", case
            assert str(_field(field).clean(typed)) == expected_text(expected), case
            assert _stored(field, record["id"]) == expected, case
