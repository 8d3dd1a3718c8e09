"""Reads of the five other SPM fields: lists, the current state of each household, overdue requests,
and the one working-day calculation behind every request deadline."""

import datetime
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum

from layanan.models_bidang import (
    HariLibur,
    Kegiatan,
    Kejadian,
    PendidikanAnak,
    PermintaanLayanan,
    SurveiKeluarga,
)
from layanan.permissions_bidang import can_see_confidential, can_see_kejadian, visible_fields
from posyandu import dates
from posyandu.models import Keluarga, Warga
from posyandu.scope import scoped

DEADLINE_WORKING_DAYS = 5


# ---------------------------------------------------------------------------------------------
# Working days
# ---------------------------------------------------------------------------------------------
def holidays_between(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """Holidays from the admin-edited calendar in [start, end] (one query)."""
    return set(HariLibur.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True))


def add_working_days(
    start: datetime.date, days: int, *, holidays: Iterable[datetime.date] | None = None
) -> datetime.date:
    """The date ``days`` working days after ``start``: Saturdays, Sundays and holidays do not count.

    Verified on Friday 2 January 2026 → due Friday 9 January; a holiday in between moves it a day on.
    ``holidays`` defaults to the ``HariLibur`` table (read once for the whole span).
    """
    if days < 0:
        raise ValueError("days must be ≥ 0")
    if holidays is None:
        # Generous span: 5 working days never need more than a few weeks, even around Lebaran.
        holidays = holidays_between(start, start + datetime.timedelta(days=days * 3 + 30))
    holidays = set(holidays)
    day, left = start, days
    while left:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return day


def request_deadline(verified_on: datetime.date) -> datetime.date:
    return add_working_days(verified_on, DEADLINE_WORKING_DAYS)


# ---------------------------------------------------------------------------------------------
# Households and children
# ---------------------------------------------------------------------------------------------
def survei_history(*, keluarga: Keluarga) -> QuerySet:
    return SurveiKeluarga.objects.filter(keluarga=keluarga).select_related("surveyed_by").order_by("-survey_date")


def survei_latest(*, user) -> QuerySet:
    """The current status of every household in scope: its latest survey (PostgreSQL DISTINCT ON)."""
    return (
        scoped(SurveiKeluarga.objects.all(), user)
        .order_by("keluarga_id", "-survey_date", "-pk")
        .distinct("keluarga_id")
    )


def survei_summary(*, user) -> dict:
    """Counts over the current status of each household in scope, in one aggregate query."""
    latest = survei_latest(user=user).values("pk")
    return SurveiKeluarga.objects.filter(pk__in=latest).aggregate(
        households=Count("pk"),
        safe_water=Count("pk", filter=Q(has_safe_water=True)),
        proper_latrine=Count("pk", filter=Q(has_proper_latrine=True)),
        rtlh=Count("pk", filter=Q(is_rtlh=True)),
        poor=Count("pk", filter=Q(is_poor=True)),
        poor_with_bansos=Count("pk", filter=Q(is_poor=True, receives_bansos=True)),
        disabled=Sum("disabled_members", default=0),
    )


def keluarga_unsurveyed(*, user) -> QuerySet:
    """Households in scope without any survey yet (what the kader still has to visit)."""
    return (
        scoped(Keluarga.objects.all(), user)
        .filter(~Exists(SurveiKeluarga.objects.filter(keluarga=OuterRef("pk"))))
        .order_by("rw", "rt", "head_name")
    )


def children_schooling(*, user, on: datetime.date | None = None) -> QuerySet:
    """Active children aged 3–15 in scope with their latest schooling status (one query)."""
    on = on or dates.today()
    oldest = dates.add_years(on, -16) + datetime.timedelta(days=1)
    youngest = dates.add_years(on, -3)
    latest = PendidikanAnak.objects.filter(warga=OuterRef("pk")).order_by("-recorded_on", "-pk")
    return (
        scoped(Warga.objects.filter(status=Warga.Status.AKTIF), user)
        .filter(birth_date__gte=oldest, birth_date__lte=youngest)
        .annotate(
            school_status=Subquery(latest.values("status")[:1]),
            school_reason=Subquery(latest.values("reason")[:1]),
            school_recorded_on=Subquery(latest.values("recorded_on")[:1]),
        )
        .select_related("posyandu")
        .order_by("birth_date", "name")
    )


# ---------------------------------------------------------------------------------------------
# Activities and incidents
# ---------------------------------------------------------------------------------------------
def kegiatan_list(*, user, field: str = "", month: datetime.date | None = None) -> QuerySet:
    rows = scoped(Kegiatan.objects.select_related("posyandu"), user).filter(field__in=visible_fields(user))
    if field:
        rows = rows.filter(field=field)
    if month:
        rows = rows.filter(reporting_month=month)
    return rows.order_by("-date", "-pk")


def kejadian_visible(*, user) -> QuerySet:
    """Incidents in scope the user may see: confidential ones only for their recorder and the desa and above."""
    rows = scoped(Kejadian.objects.select_related("posyandu"), user)
    if not can_see_confidential(user):
        rows = rows.filter(Q(confidential=False) | Q(recorded_by=user))
    return rows.order_by("-occurred_on", "-pk")


def kejadian_history_visible(rows: QuerySet, *, user) -> QuerySet:
    """Of ``rows`` (historical incident rows), those of incidents the user may open: the rule of the
    incident's page (``can_see_kejadian``, then ``kejadian_visible``). An incident that was confidential
    in any version, or deleted while confidential, is left out unless that rule lets the user open it now."""
    if not can_see_kejadian(user):
        return rows.none()
    if can_see_confidential(user):
        return rows
    was_confidential = Kejadian.history.filter(confidential=True).values("id")
    may_open = kejadian_visible(user=user).values("pk")
    return rows.exclude(Q(id__in=was_confidential) & ~Q(id__in=may_open))


# ---------------------------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------------------------
def overdue_q(today: datetime.date) -> Q:
    return Q(status__in=PermintaanLayanan.OPEN, due_on__lt=today)


def permintaan_list(*, user, field: str = "", status: str = "", overdue: bool = False, today=None) -> QuerySet:
    today = today or dates.today()
    rows = scoped(
        PermintaanLayanan.objects.select_related("posyandu", "posyandu__desa", "keluarga", "warga"), user
    ).filter(field__in=visible_fields(user))
    if field:
        rows = rows.filter(field=field)
    if status:
        rows = rows.filter(status=status)
    if overdue:
        rows = rows.filter(overdue_q(today))
    return rows.order_by("-recorded_on", "-pk")


def permintaan_counts(*, user, today=None) -> dict:
    """Open and overdue requests in the user's scope and fields (one query)."""
    today = today or dates.today()
    return (
        scoped(PermintaanLayanan.objects.all(), user)
        .filter(field__in=visible_fields(user))
        .aggregate(
            open=Count("pk", filter=Q(status__in=PermintaanLayanan.OPEN)),
            to_verify=Count("pk", filter=Q(status=PermintaanLayanan.Status.DICATAT)),
            overdue=Count("pk", filter=overdue_q(today)),
        )
    )


def permintaan_overdue(*, user, today=None) -> QuerySet:
    return permintaan_list(user=user, overdue=True, today=today)
