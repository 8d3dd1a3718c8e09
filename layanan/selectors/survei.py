"""Reads of the household survey: history, the current state of each household, who is not surveyed."""

from django.db.models import Count, Exists, JSONField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import JSONObject

from layanan.models import (
    SurveiKeluarga,
)
from posyandu.models import Keluarga
from posyandu.scope import scoped


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


def survei_latest_of(columns) -> Subquery:
    """For a household query: its latest survey (latest date, then latest recorded, as ``survei_latest``)
    as one JSON object of ``columns`` (a date as ISO text), or None. One index lookup per household
    (``survei_keluarga_latest_idx``) inside the household query itself, so a register of 100,000
    households is one query with no dictionary of every survey. The households are scoped by the caller;
    this reads only their own surveys."""
    latest = SurveiKeluarga.objects.filter(keluarga=OuterRef("pk")).order_by("-survey_date", "-pk")
    return Subquery(latest.values(survey=JSONObject(**{name: name for name in columns}))[:1], output_field=JSONField())


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
