"""Reads of monthly activities."""

import datetime

from django.db.models import QuerySet

from layanan.models import (
    Kegiatan,
)
from layanan.permissions import visible_fields
from posyandu.scope import scoped


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
