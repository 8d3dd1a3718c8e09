"""Reads of trantibum incidents: confidential ones only for whoever may see them."""

from django.db.models import Q, QuerySet

from layanan.models import (
    Kejadian,
)
from layanan.permissions import can_see_confidential, can_see_kejadian
from posyandu.scope import scoped


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
