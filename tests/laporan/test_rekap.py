"""The monthly rollup gives exactly what the live computation gives — for every measure, grouped
every way the dashboards group — and stays exact as records of every kind are written."""

import datetime
from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kader import services as kader_services
from laporan import indicators as ind
from laporan import rekap, selectors
from laporan.models import RekapKotor
from layanan import services as bidang
from layanan import services as health
from posyandu import services as people
from tests import factories
from tests.laporan.test_indicators_spm_fields import _scenario
from tests.layanan.conftest import person

pytestmark = pytest.mark.rekap  # the dashboards as production reads them: from the monthly rollup

MARCH = datetime.date(2026, 3, 1)
GROUPS = ["total", "posyandu", "child:8", "child:13", ind.PUSKESMAS]


def _filled(values: dict, measures) -> dict:
    """Keys with every measure (a key with only zeros may be absent from one side)."""
    return {key: {code: row.get(code, 0) for code in measures} for key, row in values.items() if any(row.values())}


def _assert_same(world, months=(MARCH,), users=("kabupaten", "kecamatan_a", "kader_a"), groups=GROUPS):
    """The rollup read for each month equals the live figures (each source's query built once for the
    months: ``test_period_template`` holds that to the queries built month by month)."""
    measures = list(ind.MEASURES)
    periods = [ind.Period.month(month) for month in months]
    for username in users:
        user = world.users[username]
        for group in groups:
            live = ind.compute_live_periods(user=user, periods=periods, measures=measures, group=group)
            for period, live_values in zip(periods, live, strict=True):
                rolled = rekap.values(user=user, period=period, measures=measures, group=group)
                assert _filled(rolled, measures) == _filled(live_values, measures), (username, group, period)


def test_the_rollup_equals_the_live_figures_for_the_hand_built_month(world, march):
    _assert_same(world, months=[datetime.date(2026, 2, 1), MARCH])


def test_the_rollup_equals_the_live_figures_for_the_five_fields(world):
    _scenario(world)
    _assert_same(world)


def test_every_kind_of_write_keeps_the_rollup_exact(world, march):
    """After each write, the kabupaten team's figures in every grouping (every write is in its area, so a
    missed mark shows there); after the last, every user's (their scopes read the same stored rows)."""
    _assert_same(world)  # the month is now held; every write below must mark it stale
    kader_user = world.users["kader_a"]
    late = person(world.posyandu_a, "Baru Lahir", birth_date=datetime.date(2026, 3, 2))  # S grows
    day = health.hari_buka_open(posyandu=world.posyandu_a, date=datetime.date(2026, 3, 20), user=kader_user)
    health.kunjungan_record(warga=late, user=kader_user, hari_buka=day, values={"weight_kg": D("3.4")})
    _assert_same(world, users=("kabupaten",))
    kader = kader_services.kader_register(posyandu=world.posyandu_a, name="Kader Baru", field="sosial",
                                          start_date=datetime.date(2020, 1, 1))  # fmt: skip
    _assert_same(world, users=("kabupaten",))
    kader_services.kader_deactivate(kader=kader, end_date=datetime.date(2026, 3, 5), end_reason="Pindah")
    keluarga = factories.keluarga(posyandu=world.posyandu_a, head_name="Keluarga Baru")
    from tests.layanan.test_spm_fields_services import GOOD_HOUSE

    bidang.survei_keluarga_record(keluarga=keluarga, survey_date=datetime.date(2026, 3, 9), user=kader_user,
                                  values=GOOD_HOUSE)  # fmt: skip
    _assert_same(world, users=("kabupaten",))
    people.warga_move(warga=late, to_posyandu=world.posyandu_b, moved_on=datetime.date(2026, 3, 25),
                      user=world.users["admin"])  # fmt: skip
    _assert_same(world)


def test_a_refresh_of_more_months_than_one_batch_is_exact_in_each_batch(world, march):
    months = [ind.add_months(MARCH, -back) for back in range(rekap.MONTHS_PER_BATCH + 3)]
    rekap.refresh(months)  # two batches, oldest first: January – December 2025, then January – March 2026
    _assert_same(world, months=[months[-1], ind.add_months(MARCH, -12), MARCH], users=("kabupaten",))


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


MONTHS = [datetime.date(2026, 1, 1), datetime.date(2026, 2, 1), MARCH]


def _random_day(rng, first=datetime.date(2026, 1, 1), last=datetime.date(2026, 3, 31)) -> datetime.date:
    return first + datetime.timedelta(days=rng.randrange((last - first).days + 1))


def _random_edit(rng, world, step: int) -> str | None:
    """One write of a random kind through the services, at a random posyandu and date; returns its
    kind. Edits the services refuse (a visit twice in a month, a status before birth, ...) are
    skipped (None)."""
    from django.core.exceptions import ValidationError

    from kader.models import Kader
    from layanan.models import HariBuka
    from posyandu.models import Warga

    admin = world.users["admin"]
    units = [world.posyandu_a, world.posyandu_a2, world.posyandu_b]
    unit = rng.choice(units)
    people_here = list(Warga.objects.order_by("pk"))
    someone = rng.choice(people_here) if people_here else None
    kind = rng.choice(["born", "birth_date", "status", "visit", "kader", "kader_end", "move", "anonymise"])
    try:
        if kind == "born":
            person(unit, f"Anak Acak {step}", birth_date=_random_day(rng, datetime.date(2021, 4, 1)))
        elif kind == "birth_date" and someone:  # can move a child into or out of S in past months
            people.warga_update(warga=someone, birth_date=_random_day(rng, datetime.date(2021, 1, 1)))
        elif kind == "status" and someone:
            status = rng.choice([Warga.Status.PINDAH, Warga.Status.MENINGGAL, Warga.Status.AKTIF])
            people.warga_set_status(warga=someone, status=status, status_date=_random_day(rng))
        elif kind == "visit" and someone and someone.status == Warga.Status.AKTIF:
            month = rng.choice(MONTHS)
            day = HariBuka.objects.filter(posyandu_id=someone.posyandu_id, reporting_month=month).first()
            day = day or health.hari_buka_open(
                posyandu=someone.posyandu, date=month.replace(day=rng.randint(5, 25)), user=admin
            )
            values = {"weight_kg": D(rng.choice(["6.5", "9.0", "11.5", "14.0"])), "height_cm": D("80")}
            health.kunjungan_record(warga=someone, user=admin, hari_buka=day, values=values, confirm_implausible=True)
        elif kind == "kader":
            kader_services.kader_register(posyandu=unit, name=f"Kader Acak {step}", field="kesehatan",
                                          start_date=_random_day(rng, datetime.date(2025, 1, 1)))  # fmt: skip
        elif kind == "kader_end":
            kader = Kader.objects.filter(end_date__isnull=True).order_by("?").first()
            if kader and kader.start_date <= datetime.date(2026, 1, 1):
                kader_services.kader_deactivate(kader=kader, end_date=_random_day(rng), end_reason="Pindah")
        elif kind == "move" and someone and someone.status == Warga.Status.AKTIF:
            target = rng.choice([u for u in units if u.pk != someone.posyandu_id])
            people.warga_move(warga=someone, to_posyandu=target, moved_on=_random_day(rng), user=admin)
        elif kind == "anonymise" and someone:
            people.warga_anonymise(warga=someone, user=admin)
        else:
            return None
    except (ValidationError, health.DuplicateVisit):
        return None
    return kind


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_edits_keep_the_rollup_equal_to_the_live_figures(world, march, seed):
    import random

    rng = random.Random(seed)
    rekap.refresh(MONTHS)  # every month held before the edits, so each must be marked
    done = []
    for step in range(18):
        done.append(_random_edit(rng, world, step))
        # Every third edit the finest rows the rollup keeps, each posyandu's month (all edits are at
        # Takalar's posyandu): a stale or wrong mark shows there before a later edit can hide it. Every
        # sixth, every grouping for both users too (the kecamatan sums, the areas' sums). The live
        # computation is the costly side: 33 of its calls a seed, each for the three months at once.
        if step % 6 == 5:
            _assert_same(world, months=MONTHS, users=("kabupaten", "kecamatan_a"))
        elif step % 3 == 2:
            _assert_same(world, months=MONTHS, users=("kabupaten",), groups=["posyandu"])
    assert len({kind for kind in done if kind}) >= 4, done  # the edits were of several kinds, not all refused


def test_requests_become_overdue_and_reports_late_with_the_date_alone(world, march, pinned_clock, settings):
    """Nothing is written between the two days; the rollup still follows the calendar, once a day,
    and only the dated measures are computed again."""
    from laporan import services as laporan_services

    settings.LAPORAN_DEADLINE_DAY = 10
    april = datetime.date(2026, 4, 1)
    today = {"day": datetime.date(2026, 4, 6)}
    pinned_clock(today["day"])
    laporan_services.laporan_get_or_create(posyandu=world.posyandu_a, month=MARCH)  # still a draft
    keluarga = factories.keluarga(posyandu=world.posyandu_a, head_name="Keluarga Daeng Tika")
    request = bidang.permintaan_create(field="perumahan_rakyat", kind="rtlh", description="Atap bocor",
                                       keluarga=keluarga, user=world.users["pengurus_a"],
                                       recorded_on=datetime.date(2026, 4, 6))  # fmt: skip
    request = bidang.permintaan_transition(permintaan=request, to_status="diverifikasi", user=world.users["desa_a1"],
                                           on=datetime.date(2026, 4, 6))  # fmt: skip
    assert request.due_on > today["day"]
    user = world.users["kabupaten"]

    def rolled(month, code):
        return rekap.values(user=user, period=ind.Period.month(month), measures=[code]).get("total", {}).get(code, 0)

    assert rolled(MARCH, "laporan_late") == 0  # the deadline (10 April) has not passed
    assert rolled(april, "permintaan_overdue_perumahan_rakyat") == 0
    _assert_same(world, months=[MARCH, april], users=("kabupaten",))

    today["day"] = datetime.date(2026, 4, 20)  # past the deadline and the request's due date
    pinned_clock(today["day"])
    with CaptureQueriesContext(connection) as queries:
        assert rolled(MARCH, "laporan_late") == 1
    computed = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('DELETE FROM "laporan_rekapbulanan"')]
    assert computed and all("measure" in sql for sql in computed)  # only the dated measures, not whole months
    assert rolled(april, "permintaan_overdue_perumahan_rakyat") == 1
    _assert_same(world, months=[MARCH, april], users=("kabupaten", "kecamatan_a"))
    # brought up to today once: the next read the same day is the usual three queries
    with CaptureQueriesContext(connection) as queries:
        rolled(april, "permintaan_overdue_perumahan_rakyat")
    assert len(queries) == 3


def test_the_kecamatan_sums_answer_kabupaten_questions_and_follow_a_posyandu_that_moves(world, march):
    user = world.users["kabupaten"]
    period = ind.Period.month(MARCH)
    with CaptureQueriesContext(connection) as queries:
        rekap.values(user=user, period=period, measures=["balita_d"], group="child:8")
    assert any("laporan_rekapkecamatan" in q["sql"] for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:  # a kader's own posyandu: the posyandu rows
        rekap.values(user=world.users["kader_a"], period=period, measures=["balita_d"])
    assert not any("laporan_rekapkecamatan" in q["sql"] for q in queries.captured_queries)
    _assert_same(world)
    before = rekap.values(user=user, period=period, measures=list(ind.MEASURES), group="child:8")
    world.posyandu_a.desa = world.desa_b1  # Posyandu Mawar now belongs to the other kecamatan
    world.posyandu_a.save()
    after = rekap.values(user=user, period=period, measures=list(ind.MEASURES), group="child:8")
    assert after["73.05.02"]["balita_d"] == before["73.05.02"]["balita_d"] + before["73.05.01"]["balita_d"] > 0
    _assert_same(world)
