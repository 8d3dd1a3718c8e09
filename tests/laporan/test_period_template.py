"""Each source's query is built once with symbolic dates and run for every period asked
(``laporan.indicators.PeriodTemplate``, ``posyandu.dates.SymbolicDay``). These tests hold it to the plain
way: the same sources built with each period's real dates and read through Django, for every measure,
grouping and kind of reader, on months with and without vitamin A, a quarter, a year and this month
(whose overdue requests are counted up to today)."""

import datetime

import pytest
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from laporan import indicators as ind
from posyandu import dates
from posyandu.models import Warga

PERIODS = [
    ind.Period.month(datetime.date(2026, 3, 1)),
    ind.Period.month(datetime.date(2026, 2, 1)),  # a vitamin A month
    ind.Period.month(datetime.date(2025, 8, 1)),  # the other
    ind.Period.quarter(2026, 1),
    ind.Period.year(2025),
]


def _built_with_real_dates(*, user, period, measures, group, area=None, posyandu_ids=None) -> dict:
    """The measures as the sources give them built with ``period``'s own dates, read through Django."""
    wanted: dict[str, list[ind.Measure]] = {}
    for code in measures:
        wanted.setdefault(ind.MEASURES[code].source, []).append(ind.MEASURES[code])
    result: dict = {}
    for code, source_measures in wanted.items():
        source = ind.SOURCES[code]
        rows = (
            ind.source_rows(code, user=user, period=period, area=area, posyandu_ids=posyandu_ids)
            .annotate(_key=ind._key_expression(source, group))
            .order_by()
            .values("_key")
            .annotate(**{measure.code: measure.aggregate(period) for measure in source_measures})
        )
        for row in rows:
            result.setdefault(row.pop("_key"), {}).update(row)
    for values in result.values():
        for code in measures:
            values.setdefault(code, 0)
    return result


@pytest.mark.parametrize(
    ("reader", "group", "area"),
    [
        ("kabupaten", ind.TOTAL, None),
        ("kabupaten", "child:8", "kabupaten"),
        ("kabupaten", ind.PUSKESMAS, "kabupaten"),
        ("kader_a", ind.POSYANDU, None),
        ("system", ind.POSYANDU, None),
    ],
)
def test_every_measure_built_once_equals_the_measure_built_for_each_period(world, march, reader, group, area):
    user = None if reader == "system" else world.users[reader]
    area = getattr(world, area) if area else None
    periods = [*PERIODS, ind.Period.month(dates.this_month())]
    measures = [code for code in ind.MEASURES if code not in ind.WITHOUT_CONFIDENTIAL or user is None]
    ids = [world.posyandu_a.pk, world.posyandu_b.pk] if user is None else None
    once = ind.compute_live_periods(user=user, periods=periods, measures=measures, group=group, area=area,
                                    posyandu_ids=ids)  # fmt: skip
    nonzero = set()
    for period, got in zip(periods, once, strict=True):
        expected = _built_with_real_dates(
            user=user, period=period, measures=measures, group=group, area=area, posyandu_ids=ids
        )
        assert got == expected, period
        nonzero |= {code for values in got.values() for code, value in values.items() if value}
    # The comparison is of figures, not of zeros: the cast's March reaches most kinds of source.
    assert {"balita_d", "balita_s", "stunted", "vitamin_a_target", "hari_buka", "posyandu_total"} <= nonzero


def test_a_trend_by_month_built_once_equals_each_month_built_alone(world, march):
    user, quarter = world.users["kabupaten"], ind.Period.quarter(2026, 1)
    month_measures = [code for code, m in ind.MEASURES.items() if ind.SOURCES[m.source].month_path]
    (once,) = ind.compute_live_periods(user=user, periods=[quarter], measures=month_measures, group=ind.MONTH)
    assert once == _built_with_real_dates(user=user, period=quarter, measures=month_measures, group=ind.MONTH)
    assert len(once) == 3


def test_a_builder_that_reads_or_computes_with_a_symbolic_day_fails_instead_of_reusing_one_months_date(world):
    template = ind.PeriodTemplate()
    for misuse in (
        lambda day: day.month in (2, 8),
        lambda day: day < datetime.date(2026, 1, 1),
        lambda day: day + datetime.timedelta(days=1),
        lambda day: day.replace(day=1),
        lambda day: f"{day:%Y-%m}",
    ):
        with pytest.raises(dates.SymbolicDayUsed):
            misuse(template.last_day)
    # A date made from a symbolic one some other way (its placeholder value leaked) is refused at the run.
    leaked = datetime.date.fromordinal(datetime.date(1000, 1, 1).toordinal() + 40)
    with pytest.raises(dates.SymbolicDayUsed, match="computed while the query was built"):
        list(template.run(Warga.objects.filter(birth_date__lte=leaked).values("pk"), PERIODS))
    # Inside a list a symbolic day would reach the database unbound: refused too.
    in_a_list = RawSQL("birth_date = ANY(%s)", [[template.last_day]], output_field=BooleanField())
    with pytest.raises(dates.SymbolicDayUsed, match="computed while the query was built"):
        list(template.run(Warga.objects.filter(in_a_list).values("pk"), PERIODS))
    # Derived through posyandu.dates it stays symbolic, and each run binds its own period's value.
    cutoff = dates.birth_date_cutoff(months=60, on=template.last_day)
    assert cutoff.resolve(PERIODS[0]) == datetime.date(2021, 3, 31)
    assert cutoff.resolve(PERIODS[1]) == datetime.date(2021, 2, 28)


def test_a_reader_with_nothing_in_scope_gets_no_rows_for_any_period(world, march):
    """A scope that is empty in SQL (an account switched off) compiles to nothing: every period answers
    with no rows, never an error and never another reader's rows."""
    user = world.users["kabupaten"]
    user.is_active = False
    measures = list(ind.MEASURES)
    assert ind.compute_live_periods(user=user, periods=PERIODS, measures=measures, group=ind.POSYANDU) == [
        {} for _period in PERIODS
    ]
    user.is_active = True
    assert any(ind.compute_live_periods(user=user, periods=PERIODS, measures=measures, group=ind.POSYANDU))


def test_vitamin_a_counts_only_in_periods_holding_february_or_august(world, march):
    user = world.users["kabupaten"]
    march_, february, _august, quarter, _year = (
        values[ind.TOTAL]
        for values in ind.compute_live_periods(
            user=user, periods=PERIODS, measures=["vitamin_a_target", "balita_s"], group=ind.TOTAL
        )
    )
    assert march_["vitamin_a_target"] == 0 < march_["balita_s"]  # March: no capsule month, no target
    assert 0 < february["vitamin_a_target"] <= february["balita_s"]
    assert quarter["vitamin_a_target"] > 0  # January–March holds February
