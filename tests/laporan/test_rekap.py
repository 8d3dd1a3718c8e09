"""The monthly rollup gives exactly what the live computation gives — for every measure, grouped
every way the dashboards group — and stays exact as records of every kind are written."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection

from kader import services as kader_services
from laporan import indicators as ind
from laporan import rekap, selectors
from laporan.models import RekapKotor
from layanan import services as health
from layanan import services_bidang as bidang
from posyandu import services as people
from tests import factories
from tests.laporan.test_indicators_bidang import _scenario
from tests.layanan.conftest import person

pytestmark = pytest.mark.rekap  # the dashboards as production reads them: from the monthly rollup

MARCH = datetime.date(2026, 3, 1)
GROUPS = ["total", "posyandu", "child:8", "child:13"]


def _filled(values: dict, measures) -> dict:
    """Keys with every measure (a key with only zeros may be absent from one side)."""
    return {key: {code: row.get(code, 0) for code in measures} for key, row in values.items() if any(row.values())}


def _assert_same(world, month=MARCH, users=("kabupaten", "kecamatan_a", "kader_a")):
    measures = list(ind.MEASURES)
    period = ind.Period.month(month)
    for username in users:
        user = world.users[username]
        for group in GROUPS:
            live = ind.compute_live(user=user, period=period, measures=measures, group=group)
            rolled = rekap.values(user=user, period=period, measures=measures, group=group)
            assert _filled(rolled, measures) == _filled(live, measures), (username, group)


def test_the_rollup_equals_the_live_figures_for_the_hand_built_month(world, march):
    _assert_same(world)
    _assert_same(world, month=datetime.date(2026, 2, 1))


def test_the_rollup_equals_the_live_figures_for_the_five_fields(world):
    _scenario(world)
    _assert_same(world)


def test_every_kind_of_write_keeps_the_rollup_exact(world, march):
    _assert_same(world)  # the month is now held; every write below must mark it stale
    kader_user = world.users["kader_a"]
    late = person(world.posyandu_a, "Baru Lahir", birth_date=datetime.date(2026, 3, 2))  # S grows
    day = health.hari_buka_open(posyandu=world.posyandu_a, date=datetime.date(2026, 3, 20), user=kader_user)
    health.kunjungan_record(warga=late, user=kader_user, hari_buka=day, values={"weight_kg": D("3.4")})
    _assert_same(world)
    kader = kader_services.kader_register(posyandu=world.posyandu_a, name="Kader Baru", field="sosial",
                                          start_date=datetime.date(2020, 1, 1))  # fmt: skip
    _assert_same(world)
    kader_services.kader_deactivate(kader=kader, end_date=datetime.date(2026, 3, 5), end_reason="Pindah")
    keluarga = factories.keluarga(posyandu=world.posyandu_a, head_name="Keluarga Baru")
    from tests.layanan.test_bidang_services import GOOD_HOUSE

    bidang.survei_keluarga_record(keluarga=keluarga, survey_date=datetime.date(2026, 3, 9), user=kader_user,
                                  values=GOOD_HOUSE)  # fmt: skip
    _assert_same(world)
    people.warga_move(warga=late, to_posyandu=world.posyandu_b, moved_on=datetime.date(2026, 3, 25),
                      user=world.users["admin"])  # fmt: skip
    _assert_same(world)


def test_a_write_marks_only_its_posyandu_and_a_read_clears_the_mark(world, march):
    rekap.refresh([MARCH])
    assert not RekapKotor.objects.exists()
    person(world.posyandu_b, "Anak Anggrek", birth_date=datetime.date(2025, 12, 1))
    assert list(RekapKotor.objects.values_list("posyandu_id", "dirty_from")) == [
        (world.posyandu_b.pk, datetime.date(2025, 12, 1))
    ]
    selectors.dashboard(user=world.users["kabupaten"], area=world.kabupaten, period=ind.Period.month(MARCH))
    assert not RekapKotor.objects.exists()


def test_a_changed_setting_computes_the_month_again(world, march, settings):
    _assert_same(world, users=("kabupaten",))
    settings.POSYANDU_MIN_KADER = 1  # Posyandu Aktif depends on it, not on any record
    _assert_same(world, users=("kabupaten",))


@pytest.mark.parametrize("extra", [0, 30])
def test_reading_a_held_month_costs_the_same_queries_however_many_posyandu(
    world, march, django_assert_num_queries, extra
):
    for index in range(extra):
        factories.posyandu(desa=world.desa_a1, name=f"Posyandu Tambahan {index}")
    period = ind.Period.month(MARCH)
    rekap.values(user=world.users["kabupaten"], period=period, measures=list(ind.MEASURES))
    # nothing is stale: the months held, whether any posyandu is marked; then the grouped sum
    with django_assert_num_queries(3):
        rekap.values(user=world.users["kabupaten"], period=period, measures=list(ind.MEASURES))
    assert connection.vendor == "postgresql"
