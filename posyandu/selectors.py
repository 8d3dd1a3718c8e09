"""Reads and aggregates for areas, posyandu and pengurus. All start from the user's scope."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, Substr

from posyandu.models import Pengurus, Posyandu, SpmField, Wilayah
from posyandu.scope import scoped

# ketua, sekretaris, bendahara + one ketua bidang per SPM field
PENGURUS_POSITIONS_REQUIRED = 3 + len(SpmField.choices)

CHILD_CODE_LENGTH = {
    Wilayah.Level.PROVINSI: 5,  # -> kabupaten "PP.KK"
    Wilayah.Level.KABUPATEN: 8,  # -> kecamatan "PP.KK.KC"
    Wilayah.Level.KECAMATAN: 13,  # -> desa "PP.KK.KC.DDDD"
}


def _current_pengurus_count() -> Subquery:
    return Subquery(
        Pengurus.objects.filter(posyandu=OuterRef("pk"), ended_on__isnull=True)
        .order_by()
        .values("posyandu")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def posyandu_list(*, user) -> QuerySet[Posyandu]:
    """Posyandu the user may see, with their desa and kecamatan and the number of filled positions."""
    return (
        scoped(Posyandu.objects.all(), user)
        .select_related("desa", "desa__parent")
        .annotate(pengurus_count=Coalesce(_current_pengurus_count(), Value(0)))
        .order_by("desa__parent__name", "desa__name", "name")
    )


def posyandu_pengurus(*, posyandu: Posyandu) -> tuple[list[Pengurus], list[Pengurus], list[str]]:
    """Current pengurus in position order, past pengurus newest first, and the vacant positions."""
    rows = list(posyandu.pengurus_set.order_by("-term_start"))
    current = [row for row in rows if row.ended_on is None]
    past = [row for row in rows if row.ended_on is not None]
    order = {value: index for index, value in enumerate(Pengurus.Position.values)}
    field_order = {value: index for index, value in enumerate(SpmField.values)}
    current.sort(key=lambda row: (order[row.position], field_order.get(row.field, -1)))
    filled = {(row.position, row.field) for row in current}
    vacant = [
        str(Pengurus.Position(position).label)
        for position in (Pengurus.Position.KETUA, Pengurus.Position.SEKRETARIS, Pengurus.Position.BENDAHARA)
        if (position, "") not in filled
    ] + [
        str(Pengurus(position=Pengurus.Position.KETUA_BIDANG, field=field).position_label)
        for field in SpmField.values
        if (Pengurus.Position.KETUA_BIDANG, field) not in filled
    ]
    return current, past, vacant


@dataclass
class AreaRow:
    code: str
    name: str
    total: int
    active: int
    registered: int
    pengurus_complete: int
    scheduled: int


def area_summary(*, user, area: Wilayah | None) -> list[AreaRow]:
    """Posyandu counts per child area of ``area`` (kecamatan of a kabupaten, desa of a kecamatan...).

    Without an area (a national admin) the rows are the kabupaten that have posyandu. One grouped
    SQL query plus one for the child names: the count does not grow with the number of posyandu.
    """
    length = CHILD_CODE_LENGTH.get(area.level) if area else CHILD_CODE_LENGTH[Wilayah.Level.PROVINSI]
    if length is None:
        return []
    posyandu = scoped(Posyandu.objects.all(), user)
    if area is not None:
        posyandu = posyandu.filter(desa__code__startswith=area.code + ".")
    posyandu = (
        posyandu.annotate(child=Substr("desa_id", 1, length), pengurus_count=_current_pengurus_count())
        .order_by()
        .values("child")
        .annotate(
            total=Count("pk"),
            active=Count("pk", filter=Q(status=Posyandu.Status.AKTIF)),
            registered=Count("pk", filter=Q(registration_number__isnull=False)),
            pengurus_complete=Count("pk", filter=Q(pengurus_count__gte=PENGURUS_POSITIONS_REQUIRED)),
            scheduled=Count("pk", filter=Q(schedule_day__isnull=False) | Q(schedule_weekday__isnull=False)),
        )
    )
    counts = {row.pop("child"): row for row in posyandu}
    children = Wilayah.objects.filter(parent=area) if area else Wilayah.objects.filter(code__in=list(counts))
    children = scoped(children, user).order_by("name")
    empty = {"total": 0, "active": 0, "registered": 0, "pengurus_complete": 0, "scheduled": 0}
    return [AreaRow(code=child.code, name=child.display_name, **counts.get(child.code, empty)) for child in children]


def posyandu_needing_attention(*, user, limit: int = 10) -> QuerySet[Posyandu]:
    """Active posyandu missing a registration number, a schedule or some pengurus, worst first."""
    return (
        posyandu_list(user=user)
        .filter(status=Posyandu.Status.AKTIF)
        .filter(
            Q(registration_number__isnull=True)
            | Q(schedule_day__isnull=True, schedule_weekday__isnull=True)
            | Q(pengurus_count__lt=PENGURUS_POSITIONS_REQUIRED)
        )
        .order_by("pengurus_count", "desa__name", "name")[:limit]
    )
