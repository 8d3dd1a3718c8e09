"""The settings in force for a kabupaten in a month: the one answer every reader asks.

``kabupaten_settings`` answers for one kabupaten and month in Python (one query); ``in_force`` is the
same answer as an SQL expression per row (a posyandu's, a report's), for the indicator queries that
count every posyandu of several kabupaten at once without a query more.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import DateField, F, Func, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Substr

from posyandu import dates
from posyandu.models import Posyandu, Wilayah
from posyandu.pengaturan.models import PengaturanKabupaten

KABUPATEN_CODE_LENGTH = len("73.05")
NUMBER_SETTINGS = ("min_kader", "min_kader_per_field", "deadline_day")


def defaults() -> dict[str, int]:
    """The installation's defaults (environment), for a kabupaten without a version of its own."""
    return {
        "min_kader": settings.POSYANDU_MIN_KADER,
        "min_kader_per_field": getattr(settings, "POSYANDU_MIN_KADER_PER_FIELD", 1),
        "deadline_day": settings.LAPORAN_DEADLINE_DAY,
    }


@dataclass(frozen=True)
class KabupatenSettings:
    min_kader: int
    min_kader_per_field: int
    deadline_day: int
    targets: dict[str, float] = field(default_factory=dict)  # only those that differ from the catalogue
    version: PengaturanKabupaten | None = None  # None: the installation's defaults

    def target(self, code: str, default: float | None) -> float | None:
        return self.targets.get(code, default)


def kabupaten_code(code: str | None) -> str | None:
    """The kabupaten of an area code (a kabupaten, kecamatan or desa), or None above a kabupaten."""
    if not code or len(code) < KABUPATEN_CODE_LENGTH:
        return None
    return code[:KABUPATEN_CODE_LENGTH]


def kabupaten_settings(
    *, kabupaten: str | Wilayah | None = None, month: datetime.date, posyandu_id: int | None = None
) -> KabupatenSettings:
    """The settings in force in ``month`` for ``kabupaten`` (a code, an area inside it, or None), or for
    the kabupaten of the posyandu ``posyandu_id``. One query (none for None: the defaults)."""
    code = kabupaten_code(kabupaten.code if isinstance(kabupaten, Wilayah) else kabupaten)
    version = None
    if posyandu_id is not None:
        desa = Posyandu.objects.filter(pk=posyandu_id).values("desa_id")[:1]
        version = (
            PengaturanKabupaten.objects.filter(
                kabupaten_id=Substr(Subquery(desa), 1, KABUPATEN_CODE_LENGTH),
                valid_from__lte=dates.month_start(month),
            )
            .order_by("-valid_from", "-pk")
            .first()
        )
    elif code is not None:
        version = versions(code).filter(valid_from__lte=dates.month_start(month)).first()
    if version is None:
        return KabupatenSettings(**defaults())
    return KabupatenSettings(
        min_kader=version.min_kader,
        min_kader_per_field=version.min_kader_per_field,
        deadline_day=version.deadline_day,
        targets={code: float(value) for code, value in version.targets.items()},
        version=version,
    )


def versions(code: str) -> QuerySet:
    """Every version of a kabupaten's settings, the one in force latest first (then the latest made)."""
    return PengaturanKabupaten.objects.filter(kabupaten_id=code).order_by("-valid_from", "-pk")


def in_force(name: str, *, desa_path: str, month) -> Coalesce:
    """The setting ``name`` (of ``NUMBER_SETTINGS``) in force in ``month`` for the kabupaten of the row's
    desa (the outer row's lookup ``desa_path`` to its desa code), as an SQL expression: the latest
    version from that month or before, else the installation's default. ``month`` is a date or an
    ``OuterRef`` to the row's own month."""
    if name not in NUMBER_SETTINGS:
        raise ValueError(f"unknown setting {name}")
    version = (
        PengaturanKabupaten.objects.filter(
            kabupaten_id=Substr(OuterRef(desa_path), 1, KABUPATEN_CODE_LENGTH), valid_from__lte=month
        )
        .order_by("-valid_from", "-pk")
        .values(name)[:1]
    )
    return Coalesce(Subquery(version, output_field=IntegerField()), Value(defaults()[name]))


def latest_deadline_day(month: datetime.date) -> int:
    """The latest report deadline day any kabupaten has in force for ``month`` (or the default): until
    then some month's report may still become late. One query."""
    month = dates.month_start(month)
    latest = defaults()["deadline_day"]
    days = (
        PengaturanKabupaten.objects.filter(valid_from__lte=month)
        .order_by("kabupaten_id", "-valid_from", "-pk")
        .distinct("kabupaten_id")
        .values_list("deadline_day", flat=True)
    )
    return max([latest, *days])


class DeadlineDate(Func):
    """SQL: day ``day`` (an integer expression) of the month after ``month`` (a first-of-month date
    expression): a month's report deadline."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra_context):
        month_sql, month_params = compiler.compile(self.source_expressions[0])
        day_sql, day_params = compiler.compile(self.source_expressions[1])
        sql = f"(({month_sql})::date + interval '1 month' + (({day_sql}) - 1) * interval '1 day')::date"
        return sql, [*month_params, *day_params]


def deadline_in_force(*, desa_path: str, month: datetime.date | str) -> DeadlineDate:
    """The report deadline of ``month`` (a date, or the name of the row's own month field) for the
    kabupaten of the row's desa, as an SQL expression (``in_force`` of the deadline day)."""
    if isinstance(month, str):
        return DeadlineDate(F(month), in_force("deadline_day", desa_path=desa_path, month=OuterRef(month)))
    return DeadlineDate(
        Value(month, output_field=DateField()), in_force("deadline_day", desa_path=desa_path, month=month)
    )
