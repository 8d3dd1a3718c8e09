"""The one helper that decides which rows a user may see.

Every view that returns people or data starts from ``scoped(queryset, user)`` or fetches one
object with ``get_object_for_user``; an object outside the user's area is a 404, never a 403,
so that a URL does not even reveal that the object exists.

Each scoped model declares ``SCOPE_PATHS = ScopePaths(posyandu=..., area=...)``: the lookup path
from the model to the posyandu id, and to the Kemendagri code of the desa it belongs to. A model
without it cannot be scoped, and asking to scope it fails loudly.

A Puskesmas officer's scope is the posyandu of the desa in the Puskesmas' working area as of today
(``WilayahKerjaPuskesmas``), and within it the health field only: ``PUSKESMAS_URLS`` lists the pages
the role may open (every other page is a 403, so a new page is closed to it until listed here), and
``limited_fields`` the SPM fields whose figures it sees. ``within_puskesmas`` narrows any user's scope
to one Puskesmas area the same way (a dashboard or export "by Puskesmas area").
"""

from dataclasses import dataclass, replace

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.db.models.functions import Substr
from django.shortcuts import get_object_or_404
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from posyandu import dates


@dataclass(frozen=True)
class ScopePaths:
    posyandu: str | None  # lookup to the posyandu id; None when the model is above posyandu level
    # Lookup to the Kemendagri code of the row's desa (or of the area itself). Several lookups (a
    # tuple) when a row hangs from one of several places, e.g. a user from a posyandu or an area.
    area: str | tuple[str, ...]
    # Lookup to the OPD a row is addressed to (a service request forwarded to it). An OPD officer sees
    # such rows only when they are addressed to their OPD; rows without it by area (their kabupaten).
    opd: str | None = None
    # Lookup to the Puskesmas id, for rows that belong to a Puskesmas itself (its record, its working
    # area, its officers' accounts): a Puskesmas officer sees those of their own Puskesmas.
    puskesmas: str | None = None


def _paths(model: type[Model]) -> ScopePaths:
    paths = getattr(model, "SCOPE_PATHS", None)
    if paths is None and hasattr(model, "instance_type"):
        # A django-simple-history model keeps its record's foreign keys: it is scoped like the record.
        paths = getattr(model.instance_type, "SCOPE_PATHS", None)
        if paths is not None and paths.posyandu == "pk":  # a posyandu's own history: its id is "id"
            paths = replace(paths, posyandu="id")
        if paths is not None and paths.puskesmas == "pk":  # a Puskesmas' own history: likewise
            paths = replace(paths, puskesmas="id")
    if not isinstance(paths, ScopePaths):
        raise ImproperlyConfigured(f"{model.__name__} has no SCOPE_PATHS: it cannot be scoped.")
    return paths


def area_filter(path: str | tuple[str, ...], code: str) -> Q:
    """Rows whose area code at ``path`` is ``code`` or lies inside it (codes nest by prefix)."""
    if isinstance(path, tuple):
        combined = area_filter(path[0], code)
        for one in path[1:]:
            combined |= area_filter(one, code)
        return combined
    return Q(**{path: code}) | Q(**{f"{path}__startswith": code + "."})


def puskesmas_desa_codes(puskesmas_id: int, on=None) -> QuerySet:
    """The codes of the desa in a Puskesmas' working area on ``on`` (today), as a subquery."""
    on = on or dates.today()
    rows = apps.get_model("posyandu", "WilayahKerjaPuskesmas").objects.filter(
        puskesmas_id=puskesmas_id, valid_from__lte=on
    )
    return rows.filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def _puskesmas_filter(paths: ScopePaths, puskesmas_id: int) -> Q:
    """Rows inside a Puskesmas area: of the posyandu of its desa; the areas themselves (its desa and
    the kecamatan, kabupaten and provinsi above them, to navigate); the Puskesmas' own rows."""
    working = puskesmas_desa_codes(puskesmas_id)
    if paths.puskesmas is not None:
        return Q(**{paths.puskesmas: puskesmas_id})
    area_paths = paths.area if isinstance(paths.area, tuple) else (paths.area,)
    combined = Q(pk__in=[])
    for path in area_paths:
        combined |= Q(**{f"{path}__in": working.values("desa_id")})
        if paths.posyandu is None and path == "code":  # Wilayah: the areas above the desa too
            for length in (2, 5, 8):
                combined |= Q(**{f"{path}__in": working.annotate(up=Substr("desa_id", 1, length)).values("up")})
    return combined


class PuskesmasLens:
    """A user seen through one Puskesmas area: their own scope, narrowed to that area."""

    def __init__(self, user, puskesmas_id: int):
        self._user = user
        self.scope_puskesmas_id = puskesmas_id

    def __getattr__(self, name):
        return getattr(self._user, name)


def within_puskesmas(user, puskesmas) -> "PuskesmasLens":
    """``user`` narrowed to ``puskesmas``' working area (which must lie in their scope)."""
    return PuskesmasLens(user, puskesmas.pk) if puskesmas is not None else user


def scoped(queryset: QuerySet, user, *, counting: bool = False) -> QuerySet:
    """Restrict ``queryset`` to what ``user`` may see. ``counting``: the rows only feed aggregate figures
    (laporan's indicators), never a list: an OPD officer then counts every row of their area (their
    field's figures across the kabupaten), not only the requests addressed to their OPD."""
    paths = _paths(queryset.model)
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    by_role = _scoped_by_role(queryset, user, paths, counting=counting)
    if puskesmas_id := getattr(user, "scope_puskesmas_id", None):
        return by_role.filter(_puskesmas_filter(paths, puskesmas_id))
    return by_role


def _scoped_by_role(queryset: QuerySet, user, paths: ScopePaths, *, counting: bool) -> QuerySet:
    if user.posyandu_id:
        if paths.posyandu is not None:
            return queryset.filter(**{paths.posyandu: user.posyandu_id})
        # Area-level rows (the areas themselves): only the posyandu's own desa. (The posyandu model is
        # reached through the user's field: posyandu.models imports this module, never the reverse.)
        posyandu_model = user._meta.get_field("posyandu").related_model
        own_desa = posyandu_model.objects.filter(pk=user.posyandu_id).values("desa")
        lookups = paths.area if isinstance(paths.area, tuple) else (paths.area,)
        in_own_desa = Q()
        for lookup in lookups:
            in_own_desa |= Q(**{f"{lookup}__in": own_desa})
        return queryset.filter(in_own_desa)
    if getattr(user, "opd_id", None) and paths.opd is not None and not counting:
        queryset = queryset.filter(**{paths.opd: user.opd_id})  # an OPD officer: what is addressed to their OPD
    if user.wilayah_id:
        return queryset.filter(area_filter(paths.area, user.wilayah_id))
    if user.is_admin_role or getattr(user, "scope_puskesmas_id", None):
        return queryset  # everything, or (a Puskesmas officer) what the Puskesmas area leaves
    return queryset.none()


def get_object_for_user(queryset_or_model, user, **lookup):
    """One object inside the user's scope, or 404."""
    queryset = queryset_or_model._default_manager.all() if isinstance(queryset_or_model, type) else queryset_or_model
    return get_object_or_404(scoped(queryset, user), **lookup)


# ---------------------------------------------------------------------------------------------
# The health field only: what a Puskesmas officer may open
# ---------------------------------------------------------------------------------------------
HEALTH_FIELD = "kesehatan"
# The pages of the health field, its registry and its reports (URL names). Every other page is
# refused (403) to a Puskesmas officer by ``FieldScopeMiddleware``; tests/test_scope_every_url.py
# checks each URL as this role.
PUSKESMAS_URLS = frozenset(
    {
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "service_worker",
        "akun:password_set",
        "posyandu:home",
        "posyandu:list",
        "posyandu:detail",
        "posyandu:warga_list",
        "posyandu:warga_detail",
        "posyandu:puskesmas_detail",
        "layanan:haribuka_list",
        "layanan:haribuka_detail",
        "layanan:kunjungan_result",
        "layanan:kunjungan_update",
        "layanan:rujukan_list",
        "layanan:rujukan_follow_up",
        "layanan:imunisasi_overdue",
        "layanan:warga_health",
        "layanan:imunisasi_create",
        "layanan_offline:session",
        "layanan_offline:who_tables",
        "laporan:dashboard",
        "laporan:peta_json",
        "laporan:rakor_pdf",
        "laporan:lembar_hari_buka",
        "laporan:laporan_posyandu",
        "laporan:laporan_pdf",
        "format:posyandu",
        "format:eppgbm_export",
        "format:sip_pdf",
        "format:sip_excel",
        "format:rekap_puskesmas_pdf",
        "format:rekap_puskesmas_excel",
    }
)


def is_health_only(user) -> bool:
    """A Puskesmas officer: the health field of their area, nothing else."""
    return getattr(user, "role", None) == "puskesmas" and not getattr(user, "is_superuser", False)


def limited_fields(user) -> tuple[str, ...] | None:
    """The SPM fields whose figures ``user`` sees; None for every field."""
    return (HEALTH_FIELD,) if is_health_only(user) else None


def may_open(user, url_name: str) -> bool:
    return not is_health_only(user) or url_name in PUSKESMAS_URLS


class FieldScopeMiddleware:
    """Refuses (403) a health-only user every page outside ``PUSKESMAS_URLS``, before its view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not is_health_only(getattr(request, "user", None)):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.namespace == "admin" or not may_open(request.user, match.view_name):
            raise PermissionDenied(_("Petugas Puskesmas hanya membuka halaman bidang kesehatan."))
        return None
