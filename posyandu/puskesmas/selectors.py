"""Reads of Puskesmas and their working areas."""

import datetime
from itertools import groupby
from operator import attrgetter

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from posyandu import dates
from posyandu.models import Posyandu, Puskesmas, Wilayah, WilayahKerjaPuskesmas
from posyandu.scope import get_object_for_user, puskesmas_desa_codes, scoped


def current_on(on: datetime.date) -> Q:
    """Working-area rows in force on ``on``."""
    return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def puskesmas_key(desa_path: str, on: datetime.date | None = None) -> Subquery:
    """An SQL expression for a row's Puskesmas id: of the desa at ``desa_path`` on ``on`` (today), NULL for
    a desa in no working area. Grouping by it sums figures per Puskesmas area in the database (the
    exclusion constraint leaves at most one row in force per desa and day)."""
    rows = WilayahKerjaPuskesmas.objects.filter(current_on(on or dates.today()), desa_id=OuterRef(desa_path))
    return Subquery(rows.values("puskesmas_id")[:1])


def puskesmas_of(*, desa: Wilayah | str, on: datetime.date | None = None) -> Puskesmas | None:
    """The Puskesmas whose working area held ``desa`` on ``on`` (today), or None."""
    code = desa if isinstance(desa, str) else desa.code
    row = (
        WilayahKerjaPuskesmas.objects.filter(current_on(on or dates.today()), desa_id=code)
        .select_related("puskesmas")
        .first()
    )
    return row.puskesmas if row else None


def puskesmas_names_of(*, desa_codes, on: datetime.date) -> dict[str, str]:
    """Each desa's Puskesmas name on ``on`` (one query), for exports."""
    rows = WilayahKerjaPuskesmas.objects.filter(current_on(on), desa_id__in=list(desa_codes))
    return dict(rows.values_list("desa_id", "puskesmas__name"))


def puskesmas_list(*, user) -> QuerySet[Puskesmas]:
    """The Puskesmas in ``user``'s scope, with the number of desa in their working area today."""
    today = dates.today()
    in_force = Q(wilayah_kerja__valid_from__lte=today) & (
        Q(wilayah_kerja__valid_to__isnull=True) | Q(wilayah_kerja__valid_to__gt=today)
    )
    return (
        scoped(Puskesmas.objects.select_related("kabupaten"), user)
        .annotate(desa_count=Count("wilayah_kerja", filter=in_force))
        .order_by("kabupaten_id", "name")
    )


def working_area(*, puskesmas: Puskesmas, on: datetime.date | None = None) -> QuerySet[Wilayah]:
    """The desa of ``puskesmas``' working area on ``on`` (today)."""
    codes = puskesmas_desa_codes(puskesmas.pk, on).values("desa_id")
    return Wilayah.objects.filter(code__in=codes).select_related("parent").order_by("code")


def working_area_history(*, puskesmas: Puskesmas) -> QuerySet[WilayahKerjaPuskesmas]:
    return puskesmas.wilayah_kerja.select_related("desa__parent").order_by("-valid_from", "desa_id")


def working_area_posyandu(*, puskesmas: Puskesmas, on: datetime.date | None = None) -> QuerySet[Posyandu]:
    """The posyandu of the desa in the working area on ``on`` (today)."""
    return Posyandu.objects.filter(desa__in=puskesmas_desa_codes(puskesmas.pk, on).values("desa_id"))


def assignable_desa(*, puskesmas: Puskesmas) -> QuerySet[Wilayah]:
    """Desa of the Puskesmas' kabupaten (outside its working area today), for the assign form."""
    inside = puskesmas_desa_codes(puskesmas.pk).values("desa_id")
    return (
        Wilayah.objects.filter(level=Wilayah.Level.DESA, code__startswith=puskesmas.kabupaten_id + ".")
        .exclude(code__in=inside)
        .select_related("parent")
        .order_by("parent__name", "name")
    )


def home_area(*, puskesmas: Puskesmas) -> Wilayah:
    """The smallest area holding the whole working area today (its kecamatan, most often)."""
    codes = list(puskesmas_desa_codes(puskesmas.pk).values_list("desa_id", flat=True))
    for length in (8, 5):
        prefixes = {code[:length] for code in codes}
        if len(prefixes) == 1:
            return Wilayah.objects.get(code=prefixes.pop())
    return puskesmas.kabupaten


def puskesmas_for_user(*, user, pk: int | None) -> Puskesmas | None:
    """``?puskesmas=<id>``: that Puskesmas if in scope (else 404 through the caller), or None."""
    if pk is None:
        return None
    return get_object_for_user(Puskesmas, user, pk=pk)


def overlapping_periods() -> list[tuple[WilayahKerjaPuskesmas, WilayahKerjaPuskesmas]]:
    """Pairs of rows of one desa whose periods overlap, the earlier start first, by desa code: what the
    exclusion constraint refuses (``daterange(valid_from, valid_to, '[)')``), found in rows written before it
    existed (an older service, the admin). ``manage.py wilayah_kerja_overlaps`` lists them for the fix;
    migration posyandu 0012 stops on them with the same list."""
    shared = WilayahKerjaPuskesmas.objects.values("desa").annotate(rows=Count("pk")).filter(rows__gt=1)
    rows = (
        WilayahKerjaPuskesmas.objects.filter(desa__in=shared.values("desa"))
        .select_related("desa", "puskesmas")
        .order_by("desa_id", "valid_from", "pk")
    )
    pairs = []
    for _desa, periods in groupby(rows, key=attrgetter("desa_id")):
        periods = list(periods)
        for index, earlier in enumerate(periods):
            pairs += [
                (earlier, later)
                for later in periods[index + 1 :]
                if earlier.valid_to is None or earlier.valid_to > later.valid_from
            ]
    return pairs
