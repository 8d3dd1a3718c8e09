"""Two kader saving the same child's visit at the same moment: exactly one record, a clear message for the other.

Real concurrent transactions on PostgreSQL: two threads, each with its own connection, released
together by a barrier right before the write."""

import datetime
import threading
from decimal import Decimal as D

from django.db import connection

from layanan.models import Kunjungan
from layanan.services import kesehatan as services
from tests.layanan.conftest import person


def test_two_simultaneous_saves_of_one_visit_give_one_record_and_one_duplicate_message(
    transactional_db, world, monkeypatch
):
    # Hold both transactions after their duplicate check (neither sees the other's row yet), so both
    # really race for the insert: the unique constraint, not the check, must decide.
    both_checked = threading.Barrier(2)
    compute = services._compute

    def compute_then_wait(*args, **kwargs):
        compute(*args, **kwargs)
        both_checked.wait(timeout=10)

    monkeypatch.setattr(services, "_compute", compute_then_wait)
    child = person(world.posyandu_a, "Ani", birth_date=datetime.date(2025, 3, 15))
    day = services.hari_buka_open(
        posyandu=world.posyandu_a, date=datetime.date(2026, 3, 10), user=world.users["kader_a"]
    )
    barrier = threading.Barrier(2)
    outcomes: list[object] = []
    lock = threading.Lock()

    def save(kg: str, user_key: str):
        try:
            barrier.wait(timeout=10)
            visit = services.kunjungan_record(
                warga=child, user=world.users[user_key], hari_buka=day, values={"weight_kg": D(kg)}
            )
            result = visit
        except services.DuplicateVisit as exc:
            result = exc
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [
        threading.Thread(target=save, args=("8.5", "kader_a")),
        threading.Thread(target=save, args=("8.6", "pengurus_a")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert Kunjungan.objects.filter(warga=child).count() == 1
    saved = [o for o in outcomes if isinstance(o, Kunjungan)]
    refused = [o for o in outcomes if isinstance(o, services.DuplicateVisit)]
    assert len(saved) == 1 and len(refused) == 1, outcomes
    message = " ".join(refused[0].messages)
    assert "sudah dicatat" in message
