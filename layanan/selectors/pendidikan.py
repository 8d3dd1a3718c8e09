"""Reads of children's schooling."""

import datetime

from django.db.models import OuterRef, QuerySet, Subquery

from layanan.models import (
    PendidikanAnak,
)
from posyandu import dates
from posyandu.models import Warga
from posyandu.scope import scoped


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
