"""What a user sees of the month lock: the findings of the integrity issue, each refused or left untouched.

March 2026 of posyandu A (the hand-built month of ``conftest.march``) is approved; February is open."""

import datetime
import threading
import time
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from laporan import services
from layanan import services as health
from layanan.models import Kunjungan, Rujukan
from posyandu import monthlock
from posyandu import services as people
from posyandu.models import BulanTerkunci, Warga
from tests.layanan.conftest import person

FEBRUARY, MARCH = datetime.date(2026, 2, 1), datetime.date(2026, 3, 1)


def _approve(world, month=MARCH):
    laporan = services.laporan_get_or_create(posyandu=world.posyandu_a, month=month)
    for role, action in (("pengurus_a", "ajukan"), ("desa_a1", "verifikasi"), ("kecamatan_a", "setujui")):
        laporan = services.laporan_transition(laporan=laporan, action=action, user=world.users[role])
    return laporan


def test_correcting_an_open_month_leaves_the_locked_next_months_growth_code_untouched(world, march):
    ani = Warga.objects.get(name="Ani")
    march_visit = Kunjungan.objects.get(warga=ani, reporting_month=MARCH, hari_buka__isnull=False)
    before = (march_visit.growth_code, march_visit.weight_gain_g)
    assert before[0] == "N"
    _approve(world)
    february = Kunjungan.objects.get(warga=ani, reporting_month=FEBRUARY)
    # February's weight corrected upwards: March would become T if it were recomputed.
    health.kunjungan_record(warga=ani, user=world.users["kader_a"], instance=february, values={"weight_kg": D("9.0")})
    march_visit.refresh_from_db()
    assert (march_visit.growth_code, march_visit.weight_gain_g) == before
    assert Kunjungan.objects.get(pk=february.pk).weight_kg == D("9.0")


def test_a_home_visit_dated_in_the_locked_month_is_refused_though_its_reporting_month_is_open(world, march):
    _approve(world)
    child = person(world.posyandu_a, "Gilang", birth_date=datetime.date(2025, 6, 1))
    with pytest.raises(ValidationError, match="Maret 2026"):
        health.kunjungan_record(
            warga=child,
            user=world.users["kader_a"],
            visit_date=datetime.date(2026, 3, 2),
            reporting_month=FEBRUARY,  # open; the visit (and any dose given at it) is dated in March
            values={"weight_kg": D("8.0")},
        )
    assert not Kunjungan.objects.filter(warga=child).exists()


@pytest.mark.parametrize(
    "write",
    [
        pytest.param(lambda w, c: people.warga_set_status(warga=c, status="meninggal", status_date=datetime.date(2026, 3, 5)), id="death dated in the month"),  # noqa: E501
        pytest.param(lambda w, c: people.warga_create(posyandu=w.posyandu_a, name="Baru", sex="L", birth_date=datetime.date(2026, 3, 2)), id="born in the month"),  # noqa: E501
        pytest.param(lambda w, c: health.imunisasi_record(warga=c, antigen="mr_1", given_on=datetime.date(2026, 3, 3), user=w.users["kader_a"]), id="dose given in the month"),  # noqa: E501
    ],
)  # fmt: skip
def test_writes_dated_inside_the_locked_month_are_refused_with_its_name(world, march, write):
    child = person(world.posyandu_a, "Gilang", birth_date=datetime.date(2025, 6, 1))
    _approve(world)
    with pytest.raises(ValidationError, match="Maret 2026"):
        write(world, child)


def test_a_referral_follow_up_of_a_visit_of_the_locked_month_is_refused(world, march):
    budi = Warga.objects.get(name="Budi")
    visit = Kunjungan.objects.get(warga=budi, reporting_month=MARCH)
    rujukan = health.rujukan_create(
        kunjungan=visit, reasons="T", destination="puskesmas", referred_on=visit.visit_date, user=world.users["kader_a"]
    )
    _approve(world)
    with pytest.raises(ValidationError, match="Maret 2026"):
        health.rujukan_follow_up(
            rujukan=rujukan, status=Rujukan.Status.DILAYANI, follow_up_on=datetime.date(2026, 4, 2)
        )
    assert Rujukan.objects.get(pk=rujukan.pk).status == Rujukan.Status.DIRUJUK


def test_a_refusal_that_reaches_a_view_is_a_clear_409_page_not_a_500(world, march, login, client):
    _approve(world)
    client = login(world.users["kader_a"])
    budi = Warga.objects.get(name="Budi")
    march_visit = Kunjungan.objects.get(warga=budi, reporting_month=MARCH)

    middleware = monthlock.MonthLockedMiddleware(lambda request: None)
    with pytest.raises(DatabaseError) as refused, transaction.atomic():
        Kunjungan.objects.filter(pk=march_visit.pk).update(notes="diubah")  # a path with no check of its own
    exc = refused.value
    request = client.get(reverse("posyandu:home")).wsgi_request
    response = middleware.process_exception(request, exc)
    assert response.status_code == 409
    assert "Maret 2026" in response.content.decode()
    htmx_request = client.get(reverse("posyandu:home"), headers={"HX-Request": "true"}).wsgi_request
    fragment = middleware.process_exception(htmx_request, exc).content.decode()
    assert fragment.strip().startswith('<div class="alert') and "Maret 2026" in fragment


# ---------------------------------------------------------------------------------------------
# Approval and writes are serialised (real concurrent PostgreSQL transactions)
# ---------------------------------------------------------------------------------------------
def _in_thread(target, results, key):
    def run():
        try:
            results[key] = target()
        except Exception as exc:
            results[key] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _ready_for_approval(world):
    laporan = services.laporan_get_or_create(posyandu=world.posyandu_a, month=MARCH)
    for role, action in (("pengurus_a", "ajukan"), ("desa_a1", "verifikasi")):
        laporan = services.laporan_transition(laporan=laporan, action=action, user=world.users[role])
    return laporan


def test_a_write_in_flight_when_the_approval_starts_lands_before_it(transactional_db, world, march):
    laporan = _ready_for_approval(world)
    child = person(world.posyandu_a, "Gilang", birth_date=datetime.date(2025, 6, 1))
    written, release = threading.Event(), threading.Event()
    results = {}

    def write():
        with transaction.atomic():
            visit = health.kunjungan_record(
                warga=child, user=world.users["kader_a"], hari_buka=march[3], values={"weight_kg": D("8.0")}
            )
            written.set()
            release.wait(timeout=20)  # the kader's transaction is still open when the approval starts
        return visit

    writer = _in_thread(write, results, "write")
    assert written.wait(timeout=20)
    approver = _in_thread(
        lambda: services.laporan_transition(laporan=laporan, action="setujui", user=world.users["kecamatan_a"]),
        results,
        "approve",
    )
    time.sleep(1.0)
    assert approver.is_alive(), "the approval must wait for the write in flight"
    release.set()
    writer.join(timeout=30)
    approver.join(timeout=30)
    assert isinstance(results["write"], Kunjungan), results["write"]
    assert results["approve"].status == "disetujui", results["approve"]
    assert Kunjungan.objects.filter(warga=child, reporting_month=MARCH).exists()


def test_a_write_that_starts_while_the_approval_commits_is_refused(transactional_db, world, march, monkeypatch):
    laporan = _ready_for_approval(world)
    child = person(world.posyandu_a, "Gilang", birth_date=datetime.date(2025, 6, 1))
    locked, release = threading.Event(), threading.Event()
    results = {}
    approval_lock = monthlock.approval_lock

    def slow_lock(*, posyandu_id):
        approval_lock(posyandu_id=posyandu_id)
        locked.set()
        release.wait(timeout=20)  # the approval holds the lock, not yet committed

    monkeypatch.setattr(monthlock, "approval_lock", slow_lock)
    approver = _in_thread(
        lambda: services.laporan_transition(laporan=laporan, action="setujui", user=world.users["kecamatan_a"]),
        results,
        "approve",
    )
    assert locked.wait(timeout=20)
    writer = _in_thread(
        lambda: health.kunjungan_record(
            warga=child, user=world.users["kader_a"], hari_buka=march[3], values={"weight_kg": D("8.0")}
        ),
        results,
        "write",
    )
    time.sleep(1.0)
    assert writer.is_alive(), "the write must wait for the approval"
    release.set()
    approver.join(timeout=30)
    writer.join(timeout=30)
    assert results["approve"].status == "disetujui", results["approve"]
    assert isinstance(results["write"], ValidationError | DatabaseError), results["write"]
    assert "Maret 2026" in str(results["write"]) or monthlock.refused_month(results["write"]) == MARCH
    assert not Kunjungan.objects.filter(warga=child).exists()
    assert BulanTerkunci.objects.filter(posyandu=world.posyandu_a, month=MARCH).exists()
