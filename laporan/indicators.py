"""The one indicator catalogue, computed in SQL for any area and period.

Three layers, each defined once:

* a **source** is one SQL query: a base queryset of one model for a period, grouped by a key (the
  whole area, its child areas, its posyandu, or the month) with conditional aggregates;
* a **measure** is one aggregate of one source (``balita_d``: children weighed);
* an **indicator** is a measure, or a numerator measure over a denominator measure, with its name,
  field, unit, target and good direction.

``compute_live()`` runs each needed source once (so the number of queries depends on the indicators asked
for, never on the number of posyandu) and returns the measures per key; ``evaluate()`` turns them
into indicator values. Dashboards, the PDF pack and the Excel export all call these two functions,
so they cannot disagree.

Counting rules (domain.md §3):

* a period's figures read the state **on its last day**, never today's: a person counts at the
  posyandu they belonged to then (from their moves, ``posyandu.selectors.members_on``), if alive and
  not moved out of the area then (``status_date``), at their age then; households, schooling and
  kader by their latest record dated on or before it. So a later write (a move, a death, a new
  survey) leaves an earlier month's figures alone;
* S is the number of registered balita (0–59 months) on the last day of the period: the register
  is the posyandu's own count of its target children (``sasaran``);
* D, N, T, O, B, 2T and BGM count the children of S who were weighed, each by **one weighing per
  month**: the one next month's N/T is computed from (``layanan.services.kesehatan._weighing``: the latest
  visit date, then the latest recorded). A child weighed at the posyandu and again at home in one
  month is one D with one code, so N + T + O + B = D, and D never exceeds S;
* N/D leaves B (first weighing) and O (not weighed last month) out of its denominator: the
  denominator is the children weighed whose growth code is N or T;
* nutrition prevalence uses each child's latest measurement in the period.
"""

import dataclasses
import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Substr
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from kader.models import Kader, KaderLevel, PesertaPelatihan
from kader.selectors import level_on
from laporan.models import LaporanBulanan
from layanan.models import (
    BIDANG_FIELDS,
    Damage,
    HariBuka,
    Imunisasi,
    Kegiatan,
    Kejadian,
    Kunjungan,
    PendidikanAnak,
    PermintaanLayanan,
    SurveiKeluarga,
)
from layanan.permissions import can_see_confidential
from layanan.schedule import BASIC_ANTIGENS
from layanan.screening import ScreeningFlag
from posyandu import dates, periods
from posyandu.models import BALITA_MAX_MONTHS, Keluarga, LifeStage, Posyandu, SpmField, Warga, Wilayah
from posyandu.pengaturan.selectors import deadline_in_force, in_force, kabupaten_settings
from posyandu.puskesmas.selectors import puskesmas_key
from posyandu.scope import area_filter, scoped
from posyandu.selectors import life_stage_q, members_on, warga_active_on


# ---------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------
def add_months(month: datetime.date, count: int) -> datetime.date:
    """The reporting month ``count`` months from ``month``'s (always a first day)."""
    return dates.add_months(dates.month_start(month), count)


@dataclass(frozen=True)
class Period:
    """Reporting months ``start`` … ``end`` (first days of months, inclusive)."""

    start: datetime.date
    end: datetime.date

    @classmethod
    def month(cls, month: datetime.date) -> "Period":
        month = month.replace(day=1)
        return cls(month, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        start = datetime.date(year, 3 * quarter - 2, 1)
        return cls(start, add_months(start, 2))

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 1))

    @property
    def months(self) -> list[datetime.date]:
        return dates.months_in(self.start, self.end)

    @property
    def last_day(self) -> datetime.date:
        return dates.month_end(self.end)

    @property
    def is_month(self) -> bool:
        return self.start == self.end

    @property
    def label(self) -> str:
        if self.is_month:
            return date_format(self.start, "F Y")
        if self.start.month % 3 == 1 and len(self.months) == 3:
            return _("Triwulan %(q)s %(year)s") % {"q": (self.start.month + 2) // 3, "year": self.start.year}
        if self.start.month == 1 and self.end.month == 12 and self.start.year == self.end.year:
            return _("Tahun %(year)s") % {"year": self.start.year}
        return f"{date_format(self.start, 'F Y')} – {date_format(self.end, 'F Y')}"

    @property
    def param(self) -> str:
        """The ``periode`` URL parameter that gives this period back (see ``parse_period``)."""
        if self.is_month:
            return f"{self.start:%Y-%m}"
        if self.start.month % 3 == 1 and len(self.months) == 3:
            return f"{self.start.year}-T{(self.start.month + 2) // 3}"
        return f"{self.start.year}"

    def previous(self) -> "Period":
        length = len(self.months)
        return Period(add_months(self.start, -length), add_months(self.end, -length))

    def derive(self, compute: Callable[["Period"], datetime.date]) -> datetime.date:
        """A date computed from the period (see ``PeriodTemplate.derive``)."""
        return compute(self)


class PeriodTemplate:
    """Any period, for building a source's query once and running it for each period asked.

    Its dates are symbolic (``posyandu.dates.SymbolicDay``): a builder passes them to the database as
    values, or derives others through ``posyandu.dates`` or ``derive()``; anything else (reading a
    month, comparing, ``months``) raises, so no builder can branch on the first period's dates and
    run every other period with them. ``run()`` compiles the query once, refuses one a placeholder
    leaked into as a plain date, and executes it once per period with that period's dates bound."""

    def __init__(self):
        self.start = dates.SymbolicDay(lambda period: period.start)
        self.end = dates.SymbolicDay(lambda period: period.end)
        self.last_day = dates.SymbolicDay(lambda period: period.last_day)

    def derive(self, compute: Callable[[Period], datetime.date]) -> dates.SymbolicDay:
        """A date computed from each period when its query runs."""
        return dates.SymbolicDay(compute)

    @staticmethod
    def run(queryset: QuerySet, periods: list[Period]) -> Iterator[list[dict]]:
        """The rows of the ``values()`` query ``queryset`` for each period in turn, as dicts by alias."""
        try:
            sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
        except EmptyResultSet:  # nothing in scope: no rows in any period
            yield from ([] for _period in periods)
            return
        for param in params:
            if dates.leaked(param):
                raise dates.SymbolicDayUsed(f"a period's date was computed while the query was built: {param!r}")
        with connections[queryset.db].cursor() as cursor:
            for period in periods:
                cursor.execute(sql, [p.resolve(period) if isinstance(p, dates.SymbolicDay) else p for p in params])
                names = [column.name for column in cursor.description]
                yield [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def parse_period(value: str | None, *, default: datetime.date, kinds: tuple[str, ...] = periods.ALL_KINDS) -> Period:
    """``2026-03`` (a month), ``2026-T1`` (a quarter) or ``2026`` (a year), read by the one parser
    (``posyandu.periods``); the default month when empty. Anything else, or a period outside the
    years the system holds, raises ``periods.PeriodError`` (the views answer 404)."""
    if value is None or value == "":
        return Period.month(default)
    parsed = periods.parse_period(value, kinds=kinds)
    return Period(parsed.start, parsed.end)


# ---------------------------------------------------------------------------------------------
# Grouping keys
# ---------------------------------------------------------------------------------------------
TOTAL = "total"
POSYANDU = "posyandu"
MONTH = "month"
# Per Puskesmas area: the Puskesmas of each row's desa as its working area stands today (the same desa
# as the Puskesmas lens, ``posyandu.scope.within_puskesmas``, so a kabupaten pack's row and the
# Puskesmas' own pack agree); the key is the Puskesmas id, None for desa in no working area.
PUSKESMAS = "puskesmas"
CHILD_CODE_LENGTH = {
    None: 5,  # a national view: kabupaten "PP.KK"
    Wilayah.Level.PROVINSI: 5,
    Wilayah.Level.KABUPATEN: 8,  # kecamatan "PP.KK.KC"
    Wilayah.Level.KECAMATAN: 13,  # desa "PP.KK.KC.DDDD"
}


def child_group(area: Wilayah | None) -> str | None:
    """The group for ``area``'s child areas, or None for a desa (whose children are posyandu)."""
    length = CHILD_CODE_LENGTH.get(area.level if area else None)
    return f"child:{length}" if length else None


# ---------------------------------------------------------------------------------------------
# Sources and measures
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Source:
    code: str
    queryset: Callable[[Period], QuerySet]
    desa_path: str  # lookup from the row to its desa code
    posyandu_path: str  # lookup from the row to its posyandu id
    month_path: str | None = None  # lookup to the reporting month, for trends
    # Rows of people (or of their records): the lookup to the person's id. Such rows count at the
    # posyandu the person belonged to on the period's last day, not where they are now nor where a
    # record was made (``members_on``); their posyandu and desa paths are then ``member_of`` and
    # ``member_desa``.
    member: str | None = None


@dataclass(frozen=True)
class Measure:
    code: str
    source: str
    aggregate: Callable[[Period], object]
    # True when the value changes with today's date alone (a request becomes overdue, a report late):
    # the rollup brings these up to date once a day (``laporan.rekap``).
    dated: bool = False


def _balita_visits(period: Period) -> QuerySet:
    return Kunjungan.objects.filter(
        stage=LifeStage.BALITA, reporting_month__gte=period.start, reporting_month__lte=period.end
    )


def _balita_on(day: datetime.date, prefix: str = "") -> Q:
    """Registered on ``day`` and 0–59 completed months old then: the children of S."""
    return warga_active_on(day, prefix=prefix) & Q(
        **{f"{prefix}birth_date__gt": dates.birth_date_cutoff(months=BALITA_MAX_MONTHS + 1, on=day)}
    )


def _balita_weighings(period: Period) -> QuerySet:
    """The month's weighing of each child of S, for each month of the period: of the child's weighed
    visits in a reporting month, the one ``layanan.services.kesehatan._weighing`` picks (the latest visit date,
    then the latest recorded) — the weighing next month's N/T is computed from. A child weighed at the
    posyandu and at home in one month has one row, so one growth code.

    "No later weighing that month" rather than DISTINCT ON: a check per row through the (warga, month)
    index, so a posyandu's figures read its own children's visits, not the whole month's first."""
    same_month = {"warga": OuterRef("warga"), "reporting_month": OuterRef("reporting_month")}
    weighed = {"stage": LifeStage.BALITA, "weight_kg__isnull": False}
    later = Kunjungan.objects.filter(_later("visit_date"), **weighed, **same_month)
    return (
        _balita_visits(period)
        .filter(_balita_on(period.last_day, "warga__"), weight_kg__isnull=False)
        .exclude(Exists(later))
    )


def _later(date_field: str, *, before: str | None = None) -> Q:
    """Rows later than the outer row in the order (``before``, ``date_field``, pk), for "no later row"."""
    later = Q(**{f"{date_field}__gt": OuterRef(date_field)}) | Q(
        **{date_field: OuterRef(date_field), "pk__gt": OuterRef("pk")}
    )
    if before is not None:
        later = Q(**{f"{before}__gt": OuterRef(before)}) | (Q(**{before: OuterRef(before)}) & later)
    return later


def _latest_balita(column: str) -> Callable[[Period], QuerySet]:
    """Each child's latest visit in the period that has ``column`` measured (the latest reporting
    month, visit date, then recorded): a visit with no later one, checked per row through the (warga,
    month) index, so one posyandu's figures read its own children's visits only."""

    def queryset(period: Period) -> QuerySet:
        measured = {f"{column}__isnull": False}
        later = _balita_visits(period).filter(_later("visit_date", before="reporting_month"), warga=OuterRef("warga"))
        return _balita_visits(period).filter(**measured).exclude(Exists(later.filter(**measured)))

    return queryset


def _registered(period: Period) -> QuerySet:
    return Warga.objects.filter(warga_active_on(period.last_day))


def _baduta(period: Period) -> QuerySet:
    """Registered children 12–23 months old on the period's last day, with their basic doses counted."""
    day = period.last_day
    basic_doses = (
        Imunisasi.objects.filter(warga=OuterRef("pk"), antigen__in=BASIC_ANTIGENS, given_on__lte=day)
        .order_by()
        .values("warga")
        .annotate(n=Count("antigen", distinct=True))
        .values("n")
    )
    return (
        _registered(period)
        .filter(
            birth_date__lte=dates.birth_date_cutoff(months=12, on=day),
            birth_date__gt=dates.birth_date_cutoff(months=24, on=day),
        )
        .annotate(basic_doses=Coalesce(Subquery(basic_doses, output_field=IntegerField()), Value(0)))
    )


def _other_visits(period: Period) -> QuerySet:
    return Kunjungan.objects.filter(reporting_month__gte=period.start, reporting_month__lte=period.end).exclude(
        stage=LifeStage.BALITA
    )


def _hari_buka(period: Period) -> QuerySet:
    return HariBuka.objects.filter(reporting_month__gte=period.start, reporting_month__lte=period.end)


OPEN_MONTHS_FOR_AKTIF = 8  # Posyandu Aktif: open at least 8 months of the 12 (Kemenkes 2023)


def _active_kader_on(day: datetime.date) -> Q:
    """Kader serving on ``day``: started by then, and not stopped before it."""
    return Q(start_date__lte=day) & (Q(status=Kader.Status.AKTIF) | Q(end_date__gt=day))


def _kader(period: Period) -> QuerySet:
    """Kader serving on the period's last day, with whether they had attended a training of their own
    field by then, and the level they held then (from the competencies passed by then)."""
    day = period.last_day
    trained = PesertaPelatihan.objects.filter(
        kader=OuterRef("pk"), attended=True, pelatihan__field=OuterRef("field"), pelatihan__end_date__lte=day
    )
    return Kader.objects.filter(_active_kader_on(day)).annotate(trained=Exists(trained), level_then=level_on(day))


def _posyandu_active_on(day: datetime.date) -> Q:
    """Active on ``day``: active now, or made inactive (``inactive_since``) only after it."""
    return Q(status=Posyandu.Status.AKTIF) | Q(inactive_since__gt=day)


def _posyandu(period: Period) -> QuerySet:
    window_start = add_months(period.end, -11)
    open_months = (
        HariBuka.objects.filter(
            posyandu=OuterRef("pk"), reporting_month__gte=window_start, reporting_month__lte=period.end
        )
        .order_by()
        .values("posyandu")
        .annotate(n=Count("reporting_month", distinct=True))
        .values("n")
    )
    kader_count = (
        Kader.objects.filter(_active_kader_on(period.last_day), posyandu=OuterRef("pk"))
        .order_by()
        .values("posyandu")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Posyandu.objects.annotate(
        open_months=Coalesce(Subquery(open_months, output_field=IntegerField()), Value(0)),
        kader_count=Coalesce(Subquery(kader_count, output_field=IntegerField()), Value(0)),
        active_then=ExpressionWrapper(_posyandu_active_on(period.last_day), output_field=BooleanField()),
        # The minimum its kabupaten had in force in the period's last month (``posyandu.pengaturan``).
        min_kader_then=in_force("min_kader", desa_path="desa_id", month=period.end),
    )


def _latest_per(model, key: str, date_field: str) -> Callable[[Period], QuerySet]:
    """Each ``key``'s latest ``model`` row dated on or before the period's last day (the state then):
    a row with no later one of the same ``key`` by then (by date, then recorded)."""

    def queryset(period: Period) -> QuerySet:
        by_then = {f"{date_field}__lte": period.last_day}
        later = model.objects.filter(_later(date_field), **by_then, **{key: OuterRef(key)})
        return model.objects.filter(**by_then).exclude(Exists(later))

    return queryset


def _pendidikan(period: Period) -> QuerySet:
    """Each registered child's latest schooling record dated on or before the period's last day."""
    latest = _latest_per(PendidikanAnak, "warga_id", "recorded_on")(period)
    return latest.filter(warga_active_on(period.last_day, prefix="warga__"))


def _keluarga(period: Period) -> QuerySet:
    """The households that existed on the period's last day: registered by then, or surveyed by then
    (a household entered later with an earlier survey, as a bulk import or the demo does, existed
    then). So the surveyed households (``survei``) are always among them: never "29742 / 0"."""
    day = period.last_day
    surveyed = SurveiKeluarga.objects.filter(keluarga=OuterRef("pk"), survey_date__lte=day)
    return Keluarga.objects.filter(Q(created_at__date__lte=day) | Exists(surveyed))


def _kegiatan(period: Period) -> QuerySet:
    return Kegiatan.objects.filter(reporting_month__gte=period.start, reporting_month__lte=period.end)


def _kejadian(period: Period) -> QuerySet:
    return Kejadian.objects.filter(occurred_on__gte=period.start, occurred_on__lte=period.last_day)


def _permintaan(period: Period) -> QuerySet:
    return PermintaanLayanan.objects.filter(recorded_on__lte=period.last_day)


def _laporan(period: Period) -> QuerySet:
    """The period's reports, each with its deadline: the day its kabupaten had in force for its month."""
    return LaporanBulanan.objects.filter(month__gte=period.start, month__lte=period.end).annotate(
        deadline=deadline_in_force(desa_path="posyandu__desa_id", month="month")
    )


MEMBER_PATHS = ("member_desa", "member_of")  # a people source's desa and posyandu (``members_on``)
SOURCES: dict[str, Source] = {
    source.code: source
    for source in (
        # People and their records: counted where the person belonged on the period's last day.
        Source("balita_weighing", _balita_weighings, *MEMBER_PATHS, member="warga_id"),
        Source("balita_height", _latest_balita("height_cm"), *MEMBER_PATHS, member="warga_id"),
        Source("balita_weight", _latest_balita("weight_kg"), *MEMBER_PATHS, member="warga_id"),
        Source("registered", _registered, *MEMBER_PATHS, member="pk"),
        Source("baduta", _baduta, *MEMBER_PATHS, member="pk"),
        Source("other_visits", _other_visits, *MEMBER_PATHS, member="warga_id"),
        Source("pendidikan", _pendidikan, *MEMBER_PATHS, member="warga_id"),
        Source("hari_buka", _hari_buka, "posyandu__desa__code", "posyandu_id", "reporting_month"),
        Source("posyandu", _posyandu, "desa__code", "pk"),
        Source("kader", _kader, "posyandu__desa__code", "posyandu_id"),
        Source("laporan", _laporan, "posyandu__desa__code", "posyandu_id", "month"),
        # The five other fields (layanan.models: survei, pendidikan, kegiatan, trantibum, permintaan)
        Source(
            "survei",
            _latest_per(SurveiKeluarga, "keluarga_id", "survey_date"),
            "keluarga__posyandu__desa__code",
            "keluarga__posyandu_id",
        ),
        Source("keluarga", _keluarga, "posyandu__desa__code", "posyandu_id"),
        Source("kegiatan", _kegiatan, "posyandu__desa__code", "posyandu_id", "reporting_month"),
        Source("kejadian", _kejadian, "posyandu__desa__code", "posyandu_id"),
        Source("permintaan", _permintaan, "posyandu__desa__code", "posyandu_id"),
    )
}


def _people(condition: Q) -> Callable[[Period], Count]:
    return lambda period: Count("warga", distinct=True, filter=condition)


def _rows(condition: Q | None = None) -> Callable[[Period], Count]:
    return lambda period: Count("pk", filter=condition) if condition is not None else Count("pk")


def _weighed(extra: Q | None = None) -> Callable[[Period], Count]:
    return _people(Q(weight_kg__isnull=False) & (extra or Q()))


def _age_on(day: datetime.date, min_months: int, max_months: int, prefix: str = "") -> Q:
    """Aged ``min_months``–``max_months`` completed months on ``day``."""
    return Q(**{f"{prefix}birth_date__lte": dates.birth_date_cutoff(months=min_months, on=day)}) & Q(
        **{f"{prefix}birth_date__gt": dates.birth_date_cutoff(months=max_months + 1, on=day)}
    )


def _registered_in_age(min_months: int, max_months: int, extra: Q | None = None) -> Callable[[Period], Count]:
    """Registered people aged ``min_months``–``max_months`` completed months on the period's last day."""

    def aggregate(period: Period) -> Count:
        return Count("pk", filter=_age_on(period.last_day, min_months, max_months) & (extra or Q()))

    return aggregate


def _registered_in_stage(stage: str) -> Callable[[Period], Count]:
    return lambda period: Count("pk", filter=life_stage_q(stage, on=period.last_day))


VITAMIN_A_MONTHS = (2, 8)  # February and August
_HAS_VITAMIN_A_MONTH = (  # the period's months (start, end) include one of the months given
    "EXISTS (SELECT 1 FROM generate_series(%s::date, %s::date, interval '1 month') AS period(month)"
    " WHERE EXTRACT(MONTH FROM period.month) = ANY(%s::int[]))"
)


def _vitamin_a_target(period: Period) -> Count:
    """Balita 6–59 months, counted only for periods with a vitamin A month (February, August)."""
    params = [period.start, period.end, list(VITAMIN_A_MONTHS)]
    has_vitamin_a_month = RawSQL(_HAS_VITAMIN_A_MONTH, params, output_field=BooleanField())  # noqa: S611 - constant
    return Count("pk", filter=_age_on(period.last_day, 6, BALITA_MAX_MONTHS) & Q(has_vitamin_a_month))


def _vitamin_a_given(period: Period) -> Count:
    """Of the vitamin A target, the children given a capsule at a visit of a vitamin A month."""
    given = Kunjungan.objects.filter(
        warga=OuterRef("pk"),
        reporting_month__gte=period.start,
        reporting_month__lte=period.end,
        reporting_month__month__in=VITAMIN_A_MONTHS,
    ).exclude(vitamin_a="")
    return Count("pk", filter=_age_on(period.last_day, 6, BALITA_MAX_MONTHS) & Q(Exists(given)))


def _schooling_in_age(min_months: int, max_months: int, condition: Q) -> Callable[[Period], Count]:
    """Children of that age on the period's last day whose schooling record then matches."""

    def aggregate(period: Period) -> Count:
        return Count("pk", filter=_age_on(period.last_day, min_months, max_months, "warga__") & condition)

    return aggregate


def _in_period(date_field: str, condition: Q | None = None) -> Callable[[Period], Count]:
    def aggregate(period: Period) -> Count:
        when = Q(**{f"{date_field}__gte": period.start, f"{date_field}__lte": period.last_day})
        return Count("pk", filter=when & (condition or Q()))

    return aggregate


def _overdue_at_end(condition: Q) -> Callable[[Period], Count]:
    """Requests past their 5-working-day deadline and still open on the period's last day (or today)."""

    def aggregate(period: Period) -> Count:
        day = period.derive(lambda period: min(period.last_day, dates.today()))
        still_open = Q(closed_on__isnull=True) | Q(closed_on__gt=day)
        return Count("pk", filter=Q(due_on__lt=day) & still_open & condition)

    return aggregate


def _laporan_late(period: Period) -> Count:
    """Reports submitted after their deadline, or still not submitted once it has passed (each report's
    deadline is its kabupaten's for its month: ``_laporan``)."""
    late = Q(submitted_at__date__gt=F("deadline")) | Q(submitted_at__isnull=True, deadline__lt=dates.today())
    return Count("pk", filter=late)


# Raised whenever a measure's definition changes: the rollup (``laporan.rekap``) computes again every
# month held under an older version.
MEASURES_VERSION = 3


MEASURES: dict[str, Measure] = {
    measure.code: measure
    for measure in (
        # SKDN and growth codes: the children of S, each by the month's one weighing
        Measure("balita_d", "balita_weighing", _weighed()),
        Measure("balita_n", "balita_weighing", _weighed(Q(growth_code="N"))),
        Measure("balita_t", "balita_weighing", _weighed(Q(growth_code="T"))),
        Measure("balita_o", "balita_weighing", _weighed(Q(growth_code="O"))),
        Measure("balita_b", "balita_weighing", _weighed(Q(growth_code="B"))),
        Measure("balita_nt", "balita_weighing", _weighed(Q(growth_code__in=["N", "T"]))),  # D without B and O
        Measure("balita_2t", "balita_weighing", _weighed(Q(two_t=True))),
        Measure("balita_bgm", "balita_weighing", _weighed(Q(bgm=True))),
        Measure("vitamin_a_given", "registered", _vitamin_a_given),
        # Nutrition status: each child's latest measurement in the period (of height, or of weight)
        Measure("measured_height", "balita_height", _rows(Q(z_lhfa__isnull=False))),
        Measure("stunted", "balita_height", _rows(Q(z_lhfa__lt=-2))),
        Measure("measured_wflh", "balita_height", _rows(Q(z_wflh__isnull=False))),
        Measure("wasted", "balita_height", _rows(Q(z_wflh__lt=-2))),
        Measure("gizi_buruk", "balita_height", _rows(Q(z_wflh__lt=-3))),
        Measure("measured_weight", "balita_weight", _rows(Q(z_wfa__isnull=False))),
        Measure("underweight", "balita_weight", _rows(Q(z_wfa__lt=-2))),
        # Register on the period's last day
        Measure("balita_s", "registered", _registered_in_age(0, BALITA_MAX_MONTHS)),
        Measure("balita_k", "registered", _registered_in_age(0, BALITA_MAX_MONTHS, Q(has_buku_kia=True))),
        Measure("vitamin_a_target", "registered", _vitamin_a_target),
        Measure("baduta_12_23", "baduta", _rows()),
        Measure("idl", "baduta", _rows(Q(basic_doses__gte=len(BASIC_ANTIGENS)))),
        Measure("remaja_registered", "registered", _registered_in_stage(LifeStage.REMAJA)),
        Measure("produktif_registered", "registered", _registered_in_stage(LifeStage.USIA_PRODUKTIF)),
        Measure("lansia_registered", "registered", _registered_in_stage(LifeStage.LANSIA)),
        # Pregnant women and the other life stages
        Measure("bumil_visited", "other_visits", _people(Q(stage=LifeStage.IBU_HAMIL))),
        Measure("bumil_muac", "other_visits", _people(Q(stage=LifeStage.IBU_HAMIL, muac_cm__isnull=False))),
        Measure("bumil_kek", "other_visits", _people(Q(stage=LifeStage.IBU_HAMIL, muac_cm__lt=Decimal("23.5")))),
        Measure("remaja_screened", "other_visits", _people(Q(stage=LifeStage.REMAJA))),
        Measure("produktif_screened", "other_visits", _people(Q(stage=LifeStage.USIA_PRODUKTIF))),
        Measure("lansia_screened", "other_visits", _people(Q(stage=LifeStage.LANSIA))),
        Measure(
            "hipertensi",
            "other_visits",
            _people(
                Q(stage__in=[LifeStage.USIA_PRODUKTIF, LifeStage.LANSIA])
                & Q(screening_flags__contains=[ScreeningFlag.HIPERTENSI])
            ),
        ),
        # Posyandu and their opening days
        Measure("posyandu_total", "posyandu", _rows()),
        Measure("posyandu_active", "posyandu", _rows(Q(active_then=True))),
        Measure("posyandu_open8", "posyandu", _rows(Q(open_months__gte=OPEN_MONTHS_FOR_AKTIF))),
        Measure("posyandu_min_kader", "posyandu", _rows(Q(kader_count__gte=F("min_kader_then")))),
        Measure(
            "posyandu_aktif",
            "posyandu",
            lambda period: Count(
                "pk",
                filter=Q(active_then=True, open_months__gte=OPEN_MONTHS_FOR_AKTIF)
                & Q(kader_count__gte=F("min_kader_then")),
            ),
        ),
        # Kader serving at the period's end
        Measure("kader_active", "kader", _rows()),
        Measure("kader_trained", "kader", _rows(Q(trained=True))),
        *[Measure(f"kader_{field}", "kader", _rows(Q(field=field))) for field in SpmField.values],
        *[Measure(f"kader_trained_{field}", "kader", _rows(Q(field=field, trained=True))) for field in SpmField.values],
        *[Measure(f"kader_{level}", "kader", _rows(Q(level_then=level))) for level in KaderLevel.values],
        Measure(
            "posyandu_opened",
            "hari_buka",
            lambda period: Count("posyandu", distinct=True),
        ),
        Measure("hari_buka", "hari_buka", _rows()),
        # Household status (latest survey of each household), schooling (latest record of each child)
        Measure("households", "keluarga", _rows()),
        Measure("households_surveyed", "survei", _rows()),
        Measure("safe_water", "survei", _rows(Q(has_safe_water=True))),
        Measure("proper_latrine", "survei", _rows(Q(has_proper_latrine=True))),
        Measure("rtlh", "survei", _rows(Q(is_rtlh=True))),
        Measure("disaster_damaged", "survei", _rows(~Q(disaster_damage=Damage.TIDAK))),
        Measure("poor", "survei", _rows(Q(is_poor=True))),
        Measure("poor_bansos", "survei", _rows(Q(is_poor=True, receives_bansos=True))),
        Measure("households_jkn", "survei", _rows(Q(has_jkn=True))),
        Measure("disabled_members", "survei", lambda period: Coalesce(Sum("disabled_members"), Value(0))),
        Measure(
            "neglected",
            "survei",
            lambda period: Coalesce(Sum(F("neglected_elderly") + F("neglected_children")), Value(0)),
        ),
        Measure("children_5_6", "registered", _registered_in_age(60, 83)),
        Measure("paud_5_6", "pendidikan", _schooling_in_age(60, 83, Q(status=PendidikanAnak.Status.PAUD))),
        Measure("children_7_15", "registered", _registered_in_age(84, 191)),
        Measure(
            "out_of_school_7_15",
            "pendidikan",
            _schooling_in_age(84, 191, Q(status__in=PendidikanAnak.OUT_OF_SCHOOL)),
        ),
        # Activities per field, incidents, requests
        *[Measure(f"kegiatan_{field}", "kegiatan", _rows(Q(field=field))) for field in SpmField.values],
        *[
            Measure(
                f"reached_{field}",
                "kegiatan",
                lambda period, field=field: Coalesce(
                    Sum(F("attendance_men") + F("attendance_women"), filter=Q(field=field)), Value(0)
                ),
            )
            for field in SpmField.values
        ],
        Measure("kejadian", "kejadian", _rows()),
        Measure("kejadian_people", "kejadian", lambda period: Coalesce(Sum("people_affected"), Value(0))),
        # The same without confidential incidents: what a role that may not open them is shown.
        Measure("kejadian_open", "kejadian", _rows(Q(confidential=False))),
        Measure(
            "kejadian_people_open",
            "kejadian",
            lambda period: Coalesce(Sum("people_affected", filter=Q(confidential=False)), Value(0)),
        ),
        Measure("permintaan_opened", "permintaan", _in_period("recorded_on")),
        Measure("permintaan_done", "permintaan", _in_period("closed_on", Q(status=PermintaanLayanan.Status.SELESAI))),
        Measure(
            "rtlh_repaired",
            "permintaan",
            _in_period("closed_on", Q(status=PermintaanLayanan.Status.SELESAI, kind=PermintaanLayanan.Kind.RTLH)),
        ),
        *[
            Measure(f"permintaan_overdue_{field}", "permintaan", _overdue_at_end(Q(field=field)), dated=True)
            for field in BIDANG_FIELDS
        ],
        # Monthly reports
        Measure("laporan_submitted", "laporan", _rows(~Q(status=LaporanBulanan.Status.DRAF))),
        Measure("laporan_approved", "laporan", _rows(Q(status=LaporanBulanan.Status.DISETUJUI))),
        Measure("laporan_late", "laporan", _laporan_late, dated=True),
    )
}


# Confidential incidents (KDRT always) count only for the roles that may open every one of them in
# their area (``layanan.permissions.roles.can_see_confidential``: the desa operator, the Tim Pembina,
# admins). For a kader or pengurus the incident measures are read without them, at every level — a
# posyandu's "1 incident" must not tell them of a report whose page is a 404 for them.
WITHOUT_CONFIDENTIAL = {"kejadian": "kejadian_open", "kejadian_people": "kejadian_people_open"}


def confidential_substitutes(user, measures: Iterable[str]) -> dict[str, str]:
    """The measures to read instead of ``measures`` for ``user`` (None: the system, which reads all)."""
    if user is None or can_see_confidential(user):
        return {}
    return {code: WITHOUT_CONFIDENTIAL[code] for code in measures if code in WITHOUT_CONFIDENTIAL}


def read_through(user, measures: Iterable[str], read: Callable[[list[str]], dict]) -> dict[object, dict[str, int]]:
    """``read(measures)`` with each measure the user may not see whole replaced by its substitute, and the
    values given back under the names asked for."""
    return read_through_all(user, measures, lambda asked: [read(asked)])[0]


def read_through_all(
    user, measures: Iterable[str], read: Callable[[list[str]], list[dict]]
) -> list[dict[object, dict[str, int]]]:
    """``read_through`` of a reader giving several results (one per period)."""
    measures = list(dict.fromkeys(measures))
    substitutes = confidential_substitutes(user, measures)
    if not substitutes:
        return read(measures)
    results = read(list(dict.fromkeys(substitutes.get(code, code) for code in measures)))
    for result in results:
        for values in result.values():
            for code, substitute in substitutes.items():
                values[code] = values.get(substitute, 0) if substitute in measures else values.pop(substitute, 0)
    return results


# ---------------------------------------------------------------------------------------------
# Indicators
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    field: str  # an SpmField value, or "kelembagaan" for the posyandu themselves
    numerator: str
    denominator: str | None = None
    unit: str = "%"  # "%" (numerator / denominator × 100) or "orang" / "posyandu" / "kali" (a count)
    target: float | None = None
    higher_is_better: bool = True
    note: str = ""
    months_only: tuple[int, ...] = ()  # only meaningful for periods containing these months

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None

    @property
    def measures(self) -> tuple[str, ...]:
        return (self.numerator, self.denominator) if self.denominator else (self.numerator,)

    def field_label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)

    @property
    def definition(self) -> str:
        """Numerator, denominator and source in one line (``laporan.definitions``)."""
        from laporan.definitions import definition  # the definitions read this catalogue

        return definition(self)


KELEMBAGAAN = "kelembagaan"
CONFIDENTIAL_NOTE = _(
    "Kejadian rahasia (KDRT selalu) dihitung hanya untuk operator desa, Tim Pembina dan admin; "
    "kader dan pengurus melihat jumlah tanpa kejadian rahasia."
)
FIELD_LABELS = {**dict(SpmField.choices), KELEMBAGAAN: _("Kelembagaan posyandu")}

CATALOGUE: tuple[Indicator, ...] = (
    # SKDN (Buku KIA / SIP): participation and success
    Indicator("skdn_ks", _("K/S — balita punya Buku KIA/KMS"), SpmField.KESEHATAN, "balita_k", "balita_s", target=100),
    Indicator("skdn_ds", _("D/S — partisipasi penimbangan"), SpmField.KESEHATAN, "balita_d", "balita_s", target=80),
    Indicator("skdn_dk", _("D/K — balita ber-KMS yang ditimbang"), SpmField.KESEHATAN, "balita_d", "balita_k"),
    Indicator(
        "skdn_nd",
        _("N/D — berat badan naik (tanpa B dan O)"),
        SpmField.KESEHATAN,
        "balita_n",
        "balita_nt",
        target=80,
        note=_("Penyebut: balita ditimbang dengan kode N atau T; B dan O tidak dihitung."),
    ),
    Indicator("skdn_ns", _("N/S — naik dibanding seluruh sasaran"), SpmField.KESEHATAN, "balita_n", "balita_s"),
    Indicator(
        "stunting",
        _("Prevalensi stunting (TB/U < −2 SD)"),
        SpmField.KESEHATAN,
        "stunted",
        "measured_height",
        target=14,
        higher_is_better=False,
        note=_("Pengukuran terakhir tiap balita dalam periode."),
    ),
    Indicator(
        "wasting",
        _("Prevalensi wasting (BB/TB < −2 SD)"),
        SpmField.KESEHATAN,
        "wasted",
        "measured_wflh",
        target=7,
        higher_is_better=False,
    ),
    Indicator(
        "underweight",
        _("Prevalensi berat badan kurang (BB/U < −2 SD)"),
        SpmField.KESEHATAN,
        "underweight",
        "measured_weight",
        higher_is_better=False,
    ),
    Indicator("bgm", _("Balita BGM"), SpmField.KESEHATAN, "balita_bgm", unit="orang", higher_is_better=False),
    Indicator(
        "two_t",
        _("Balita 2T (dua kali tidak naik)"),
        SpmField.KESEHATAN,
        "balita_2t",
        unit="orang",
        higher_is_better=False,
    ),
    Indicator(
        "gizi_buruk", _("Balita gizi buruk"), SpmField.KESEHATAN, "gizi_buruk", unit="orang", higher_is_better=False
    ),
    Indicator(
        "idl",
        _("Imunisasi dasar lengkap (anak 12–23 bulan)"),
        SpmField.KESEHATAN,
        "idl",
        "baduta_12_23",
        target=90,
    ),
    Indicator(
        "vitamin_a",
        _("Vitamin A (Februari/Agustus), balita 6–59 bulan"),
        SpmField.KESEHATAN,
        "vitamin_a_given",
        "vitamin_a_target",
        target=90,
        months_only=(2, 8),
    ),
    Indicator(
        "bumil_kek",
        _("Ibu hamil KEK (LiLA < 23,5 cm)"),
        SpmField.KESEHATAN,
        "bumil_kek",
        "bumil_muac",
        higher_is_better=False,
    ),
    Indicator("remaja_screened", _("Remaja diperiksa"), SpmField.KESEHATAN, "remaja_screened", "remaja_registered"),
    Indicator(
        "produktif_screened",
        _("Usia produktif diperiksa"),
        SpmField.KESEHATAN,
        "produktif_screened",
        "produktif_registered",
    ),
    Indicator("lansia_screened", _("Lansia diperiksa"), SpmField.KESEHATAN, "lansia_screened", "lansia_registered"),
    Indicator(
        "hipertensi",
        _("Usia produktif dan lansia dengan hipertensi"),
        SpmField.KESEHATAN,
        "hipertensi",
        unit="orang",
        higher_is_better=False,
    ),
    Indicator(
        "kegiatan_kesehatan", _("Penyuluhan (KIE) kesehatan"), SpmField.KESEHATAN, "kegiatan_kesehatan", unit="kegiatan"
    ),
    # Pendidikan
    Indicator(
        "paud_5_6",
        _("Anak 5–6 tahun ikut PAUD"),
        SpmField.PENDIDIKAN,
        "paud_5_6",
        "children_5_6",
        target=100,
        note=_("Penyebut: anak 5–6 tahun terdaftar; pembilang: status sekolah terakhirnya PAUD."),
    ),
    Indicator(
        "ats_7_15",
        _("Anak 7–15 tahun tidak sekolah"),
        SpmField.PENDIDIKAN,
        "out_of_school_7_15",
        unit="anak",
        higher_is_better=False,
    ),
    Indicator(
        "kegiatan_pendidikan",
        _("Kegiatan pendidikan (parenting, literasi, APE)"),
        SpmField.PENDIDIKAN,
        "kegiatan_pendidikan",
        unit="kegiatan",
    ),
    # Sosial
    Indicator("poor", _("Keluarga miskin"), SpmField.SOSIAL, "poor", unit="keluarga", higher_is_better=False),
    Indicator("bansos_reach", _("Keluarga miskin menerima bansos"), SpmField.SOSIAL, "poor_bansos", "poor", target=100),
    Indicator("disabled", _("Penyandang disabilitas"), SpmField.SOSIAL, "disabled_members", unit="orang"),
    Indicator(
        "neglected", _("Lansia dan anak terlantar"), SpmField.SOSIAL, "neglected", unit="orang", higher_is_better=False
    ),
    Indicator("kegiatan_sosial", _("Kegiatan sosial"), SpmField.SOSIAL, "kegiatan_sosial", unit="kegiatan"),
    # Perumahan rakyat
    Indicator(
        "rtlh_share",
        _("Rumah tidak layak huni (RTLH)"),
        SpmField.PERUMAHAN_RAKYAT,
        "rtlh",
        "households_surveyed",
        higher_is_better=False,
    ),
    Indicator(
        "rtlh_repaired",
        _("RTLH diperbaiki (permintaan selesai)"),
        SpmField.PERUMAHAN_RAKYAT,
        "rtlh_repaired",
        unit="rumah",
    ),
    Indicator(
        "disaster_damaged",
        _("Rumah rusak karena bencana"),
        SpmField.PERUMAHAN_RAKYAT,
        "disaster_damaged",
        unit="rumah",
        higher_is_better=False,
    ),
    # Pekerjaan umum
    Indicator(
        "safe_water",
        _("Rumah tangga dengan air minum layak dan cukup"),
        SpmField.PEKERJAAN_UMUM,
        "safe_water",
        "households_surveyed",
        target=100,
    ),
    Indicator(
        "proper_latrine",
        _("Rumah tangga dengan jamban layak"),
        SpmField.PEKERJAAN_UMUM,
        "proper_latrine",
        "households_surveyed",
        target=100,
    ),
    Indicator(
        "kegiatan_pekerjaan_umum",
        _("Kegiatan pekerjaan umum (bank sampah, kerja bakti)"),
        SpmField.PEKERJAAN_UMUM,
        "kegiatan_pekerjaan_umum",
        unit="kegiatan",
    ),
    # Trantibum linmas
    Indicator(
        "kejadian",
        _("Kejadian (bencana, kebakaran, ketertiban, KDRT)"),
        SpmField.TRANTIBUM_LINMAS,
        "kejadian",
        unit="kejadian",
        higher_is_better=False,
        note=CONFIDENTIAL_NOTE,
    ),
    Indicator(
        "kejadian_people",
        _("Orang terdampak kejadian"),
        SpmField.TRANTIBUM_LINMAS,
        "kejadian_people",
        unit="orang",
        higher_is_better=False,
        note=CONFIDENTIAL_NOTE,
    ),
    Indicator(
        "kegiatan_trantibum_linmas",
        _("Patroli dan kegiatan Linmas"),
        SpmField.TRANTIBUM_LINMAS,
        "kegiatan_trantibum_linmas",
        unit="kegiatan",
    ),
    # Requests overdue, per field
    *[
        Indicator(
            f"permintaan_overdue_{field}",
            format_lazy(_("Permintaan {} lewat batas 5 hari kerja"), FIELD_LABELS[field]),
            field,
            f"permintaan_overdue_{field}",
            unit="permintaan",
            higher_is_better=False,
        )
        for field in BIDANG_FIELDS
    ],
    # The posyandu themselves
    Indicator(
        "households_surveyed",
        _("Keluarga sudah disurvei"),
        KELEMBAGAAN,
        "households_surveyed",
        "households",
        target=100,
    ),
    Indicator("permintaan_opened", _("Permintaan layanan baru"), KELEMBAGAAN, "permintaan_opened", unit="permintaan"),
    Indicator("permintaan_done", _("Permintaan layanan selesai"), KELEMBAGAAN, "permintaan_done", unit="permintaan"),
    Indicator(
        "posyandu_opened",
        _("Posyandu yang buka"),
        KELEMBAGAAN,
        "posyandu_opened",
        "posyandu_active",
        target=100,
    ),
    Indicator(
        "laporan_submitted",
        _("Laporan bulanan diajukan"),
        KELEMBAGAAN,
        "laporan_submitted",
        "posyandu_active",
        target=100,
    ),
    Indicator(
        "laporan_approved",
        _("Laporan bulanan disetujui kecamatan"),
        KELEMBAGAAN,
        "laporan_approved",
        "posyandu_active",
        target=100,
    ),
    Indicator(
        "laporan_late", _("Laporan terlambat"), KELEMBAGAAN, "laporan_late", unit="posyandu", higher_is_better=False
    ),
    Indicator(
        "posyandu_aktif",
        _("Posyandu Aktif (buka ≥ 8 bulan setahun, kader cukup)"),
        KELEMBAGAAN,
        "posyandu_aktif",
        "posyandu_active",
        target=80,
        note=_(
            "Buka sedikitnya 8 dari 12 bulan terakhir dan punya kader aktif sebanyak minimal kabupaten "
            "(Pengaturan kabupaten)."
        ),
    ),
    Indicator(
        "posyandu_min_kader",
        _("Posyandu dengan kader cukup"),
        KELEMBAGAAN,
        "posyandu_min_kader",
        "posyandu_active",
        target=100,
    ),
    Indicator(
        "kader_trained", _("Kader terlatih di bidangnya"), KELEMBAGAAN, "kader_trained", "kader_active", target=100
    ),
    Indicator("kader_utama", _("Kader jenjang Utama"), KELEMBAGAAN, "kader_utama", unit="kader"),
    *[
        Indicator(
            f"kader_trained_{field}",
            format_lazy(_("Kader {} terlatih"), FIELD_LABELS[field]),
            field,
            f"kader_trained_{field}",
            f"kader_{field}",
            target=100,
        )
        for field in SpmField.values
    ],
    Indicator(
        "posyandu_open8",
        _("Posyandu buka ≥ 8 bulan dalam 12 bulan terakhir"),
        KELEMBAGAAN,
        "posyandu_open8",
        "posyandu_active",
        target=80,
    ),
)
INDICATORS: dict[str, Indicator] = {indicator.code: indicator for indicator in CATALOGUE}


def indicators_for(field: str | None = None) -> list[Indicator]:
    return [indicator for indicator in CATALOGUE if field is None or indicator.field == field]


def target_codes() -> list[str]:
    """The indicators a kabupaten may set a target for: the rates (a percentage of their denominator)."""
    return [indicator.code for indicator in CATALOGUE if indicator.is_ratio]


def with_targets(indicators: Iterable[Indicator], targets: dict[str, float]) -> list[Indicator]:
    """The indicators with a kabupaten's targets (``targets``: code -> percent) in place of the catalogue's."""
    return [
        dataclasses.replace(indicator, target=targets[indicator.code]) if indicator.code in targets else indicator
        for indicator in indicators
    ]


def catalogue_targets(area: Wilayah | str | None) -> bool:
    """Above a kabupaten (or no area: the whole country) the targets are the catalogue's: each kabupaten
    may set its own, and there is no one kabupaten to take them from."""
    code = area.code if isinstance(area, Wilayah) else area
    return not code or len(code) < len("73.05")


def kabupaten_indicators(
    indicators: Iterable[Indicator], *, area: Wilayah | str | None, month: datetime.date
) -> list[Indicator]:
    """``indicators`` with the targets the kabupaten of ``area`` had in force in ``month`` (an area above a
    kabupaten, or none, keeps the catalogue's). One query, none above a kabupaten."""
    code = area.code if isinstance(area, Wilayah) else area
    if catalogue_targets(code):
        return list(indicators)
    return with_targets(indicators, kabupaten_settings(kabupaten=code, month=month).targets)


# ---------------------------------------------------------------------------------------------
# Computing
# ---------------------------------------------------------------------------------------------
def _key_expression(source: Source, group: str):
    if group == TOTAL:
        return Value("total")
    if group == POSYANDU:
        return F(source.posyandu_path)
    if group == MONTH:
        return F(source.month_path)
    if group.startswith("child:"):
        return Substr(source.desa_path, 1, int(group.split(":", 1)[1]))
    if group == PUSKESMAS:
        return puskesmas_key(source.desa_path)
    raise ValueError(f"unknown group {group}")


def source_rows(
    code: str,
    *,
    user,
    period: "Period | PeriodTemplate",
    area: Wilayah | None = None,
    posyandu: Posyandu | None = None,
    posyandu_ids: list[int] | None = None,
) -> QuerySet:
    """The rows of one source for a period, in the user's scope (``user=None``: the system), of one
    posyandu, of an area, or of some posyandu ids. Every reader of a source starts here, so the
    dashboards, the rollup and the F2 table count the same rows.

    People sources keep the rows of the people who belonged then to a posyandu in reach."""
    source = SOURCES[code]
    queryset = source.queryset(period)
    if source.member is not None:
        units = Posyandu.objects.all() if user is None else scoped(Posyandu.objects.all(), user)
        if posyandu_ids is not None:
            units = units.filter(pk__in=posyandu_ids)
        if posyandu is not None:
            units = units.filter(pk=posyandu.pk)
        elif area is not None:
            units = units.filter(area_filter("desa__code", area.code))
        everywhere = user is None and posyandu_ids is None and posyandu is None and area is None
        return members_on(queryset, period.last_day, warga=source.member, posyandu=None if everywhere else units)
    if user is not None:
        queryset = scoped(queryset, user, counting=True)  # figures: the area's rows, whatever they are addressed to
    if posyandu_ids is not None:
        queryset = queryset.filter(**{f"{source.posyandu_path}__in": posyandu_ids})
    if posyandu is not None:
        queryset = queryset.filter(**{source.posyandu_path: posyandu.pk})
    elif area is not None:
        queryset = queryset.filter(area_filter(source.desa_path, area.code))
    return queryset


def compute_live(
    *,
    user,
    period: Period,
    measures: Iterable[str],
    group: str = TOTAL,
    area: Wilayah | None = None,
    posyandu: Posyandu | None = None,
    posyandu_ids: list[int] | None = None,
) -> dict[object, dict[str, int]]:
    """``compute`` from the records themselves: one query per source needed by ``measures``.

    ``user=None`` is the system (the rollup's refresh): no scope, optionally only ``posyandu_ids``.
    A user who may not open confidential incidents reads the incident measures without them."""
    scope = {"user": user, "group": group, "area": area, "posyandu": posyandu, "posyandu_ids": posyandu_ids}
    return compute_live_periods(periods=[period], measures=measures, **scope)[0]


def compute_live_periods(
    *,
    user,
    periods: Iterable[Period],
    measures: Iterable[str],
    group: str = TOTAL,
    area: Wilayah | None = None,
    posyandu: Posyandu | None = None,
    posyandu_ids: list[int] | None = None,
) -> list[dict[object, dict[str, int]]]:
    """``compute_live`` of each period, in order: each source's query is built once (``PeriodTemplate``)
    and run once per period, so twelve months cost one query's building, not twelve (a trend, the
    strata, the rollup's refresh)."""
    periods = list(periods)
    scope = {"user": user, "group": group, "area": area, "posyandu": posyandu, "posyandu_ids": posyandu_ids}
    return read_through_all(user, measures, lambda asked: _compute_live(periods=periods, measures=asked, **scope))


def _compute_live(*, user, periods, measures, group, area, posyandu, posyandu_ids) -> list[dict[object, dict]]:
    wanted: dict[str, list[Measure]] = {}
    for code in dict.fromkeys(measures):
        measure = MEASURES[code]
        wanted.setdefault(measure.source, []).append(measure)
    results: list[dict[object, dict[str, int]]] = [{} for _period in periods]
    template = PeriodTemplate()
    for source_code, source_measures in wanted.items():
        source = SOURCES[source_code]
        if group == MONTH and source.month_path is None:
            raise ValueError(f"{source_code} has no month: it cannot be a trend")
        queryset = source_rows(
            source_code, user=user, period=template, area=area, posyandu=posyandu, posyandu_ids=posyandu_ids
        )
        rows = (
            queryset.annotate(_key=_key_expression(source, group))
            .order_by()
            .values("_key")
            .annotate(**{measure.code: measure.aggregate(template) for measure in source_measures})
        )
        for result, period_rows in zip(results, template.run(rows, periods), strict=True):
            for row in period_rows:
                result.setdefault(row.pop("_key"), {}).update(row)
    for result in results:
        for values in result.values():
            for measures_of_source in wanted.values():
                for measure in measures_of_source:
                    values.setdefault(measure.code, 0)
    return results


NO_DATA = _("belum ada data")


@dataclass(frozen=True)
class Result:
    indicator: Indicator
    numerator: int
    denominator: int | None

    @property
    def value(self) -> float | None:
        if not self.indicator.is_ratio:
            return float(self.numerator)
        if not self.denominator:
            return None
        return 100.0 * self.numerator / self.denominator

    @property
    def meets_target(self) -> bool | None:
        target, value = self.indicator.target, self.value
        if target is None or value is None:
            return None
        return value >= target if self.indicator.higher_is_better else value <= target

    @property
    def has_data(self) -> bool:
        """False for a ratio without a denominator: shown as "belum ada data", never "– n / 0"."""
        return self.value is not None

    @property
    def display(self) -> str:
        value = self.value
        if value is None:
            return str(NO_DATA)
        if self.indicator.is_ratio:
            return f"{value:.1f}".replace(".", ",") + " %"
        return f"{int(value):,}".replace(",", ".")


def evaluate(indicators: Iterable[Indicator], values: dict[str, int]) -> list[Result]:
    """Indicator values from one key's measures."""
    return [
        Result(
            indicator,
            values.get(indicator.numerator, 0),
            values.get(indicator.denominator, 0) if indicator.denominator else None,
        )
        for indicator in indicators
    ]


def measures_of(indicators: Iterable[Indicator]) -> list[str]:
    return [code for indicator in indicators for code in indicator.measures]
