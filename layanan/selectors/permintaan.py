"""Reads of service requests: lists, counts, overdue requests, and the one working-day calculation
behind every request deadline."""

import datetime
from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet

from layanan.models import (
    HariLibur,
    PermintaanLayanan,
)
from layanan.permissions import visible_fields
from posyandu import dates
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
