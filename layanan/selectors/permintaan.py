"""Reads of service requests: lists, counts, overdue requests, and the one working-day calculation
behind every request deadline."""

import datetime
from collections.abc import Iterable

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from layanan.models import (
    HariLibur,
    PermintaanLayanan,
)
from layanan.permissions import visible_fields
from posyandu import dates
from posyandu.models import Opd, Role
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


def working_days_left(today: datetime.date, due: datetime.date, *, holidays: Iterable[datetime.date]) -> int:
    """Working days from ``today`` to ``due``: 0 when due today, negative (working days late) when past.
    Saturdays, Sundays and ``holidays`` do not count."""
    holidays = set(holidays)
    step = datetime.timedelta(days=1 if due >= today else -1)
    day, count = today, 0
    while day != due:
        day += step
        if day.weekday() < 5 and day not in holidays:
            count += 1
    return count if due >= today else -count


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
    if user.role == Role.OPD:  # an OPD's list: the open ones first, the most urgent on top
        is_open = Case(When(status__in=PermintaanLayanan.OPEN, then=Value(0)), default=Value(1))
        return rows.annotate(closed=is_open).order_by("closed", "due_on", "-recorded_on", "-pk")
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


def forward_destinations(*, permintaan: PermintaanLayanan) -> QuerySet:
    """The OPD a request may be forwarded to: those of its posyandu's kabupaten that serve its field."""
    kabupaten = permintaan.posyandu.desa.code.rsplit(".", 2)[0]
    return Opd.objects.filter(kabupaten_id=kabupaten, fields__contains=[permintaan.field]).order_by("name")


def opd_queue(*, user, today=None) -> list[PermintaanLayanan]:
    """An OPD officer's queue: the open requests forwarded to their OPD, most urgent first (overdue, then
    by deadline; not yet accepted before accepted on the same day), each with ``days_left`` in working
    days (negative: days late). Queries: the requests (with posyandu, desa, household, person) and the
    holidays between the earliest deadline and today."""
    today = today or dates.today()
    if user.role != Role.OPD or not user.opd_id:
        return []
    rows = list(
        scoped(PermintaanLayanan.objects.select_related("posyandu__desa", "keluarga", "warga"), user)
        .filter(status__in=PermintaanLayanan.OPEN)
        .annotate(
            step=Case(
                When(status=PermintaanLayanan.Status.DITERUSKAN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("due_on", "step", "forwarded_on", "pk")
    )
    due_dates = [row.due_on for row in rows if row.due_on]
    if not due_dates:
        return rows
    holidays = holidays_between(min(*due_dates, today), max(*due_dates, today))
    for row in rows:
        row.days_left = working_days_left(today, row.due_on, holidays=holidays) if row.due_on else None
    return rows


def permintaan_overdue(*, user, today=None) -> QuerySet:
    return permintaan_list(user=user, overdue=True, today=today)
