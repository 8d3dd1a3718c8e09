"""Pages by role, for the roles that see only a few pages: an OPD officer and a Puskesmas officer.

``posyandu.scope`` limits the rows a user sees; this gate limits the pages. A role listed in
``PAGES_BY_ROLE`` opens only its listed pages (URL names): every other page is a 403 before its view
runs, so a new page is closed to the role until someone decides otherwise, and the menus offer only what
``may_open`` allows (the context processors filter their items through it). tests/test_scope_every_url.py
checks every URL as each of these roles. URL names only: the foundation imports no other app.

- An OPD officer (``Role.OPD``) works across their kabupaten but only on their fields: their field's
  figures, the service requests forwarded to their OPD and the rakor decisions assigned to it.
- A Puskesmas officer (``Role.PUSKESMAS``) works on the health field of the posyandu in their
  Puskesmas' working area (``posyandu.scope.limited_fields`` limits the figures).

A superuser is never gated.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from posyandu.models import Role

# Every page: signing in and out, one's own password, the offline app's service worker, the home page.
_EVERYONE = frozenset(
    {
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "akun:password_set",
        "service_worker",
        "posyandu:home",  # for an OPD officer, their queue
    }
)

OPD_URLS = _EVERYONE | {
    "laporan:dashboard",  # their fields' figures (laporan.views limits the field)
    "laporan:excel_indikator",
    "bidang:permintaan_list",  # the requests forwarded to their OPD (scope)
    "bidang:permintaan_detail",
    "bidang:permintaan_transition",
    "bidang:dokumen_download",
    "laporan:rakor_list",  # the rakor decisions assigned to their OPD (scope), not the meetings' pages
    "laporan:keputusan_detail",  # one of them, and its status update
}

# The pages of the health field, its registry and its reports.
PUSKESMAS_URLS = _EVERYONE | {
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
    "laporan:peta_json",  # the dashboard's map (health indicators only)
    "laporan:rakor_pdf",  # their area's rakor pack (the health field)
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

PAGES_BY_ROLE: dict[str, frozenset[str]] = {Role.OPD: OPD_URLS, Role.PUSKESMAS: PUSKESMAS_URLS}
_REFUSAL = {
    Role.OPD: _("Halaman ini bukan untuk akun OPD."),
    Role.PUSKESMAS: _("Petugas Puskesmas hanya membuka halaman bidang kesehatan."),
}


def pages_of(user) -> frozenset[str] | None:
    """The only pages ``user`` may open; None when their role is not gated."""
    if getattr(user, "is_superuser", False):
        return None
    return PAGES_BY_ROLE.get(getattr(user, "role", None))


def may_open(user, view_name: str) -> bool:
    """``view_name`` is a namespaced URL name (``"laporan:dashboard"``)."""
    pages = pages_of(user)
    return pages is None or view_name in pages


def menu(user, items):
    """The menu ``items`` (``(label, url, view_name, ...)``) that ``user`` may open, in order."""
    return [item for item in items if may_open(user, item[2])]


class RoleGateMiddleware:
    """403 for a page outside the role's pages (after authentication; signed-out users go to login)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        if user is None or not user.is_authenticated or match is None:
            return None
        if not may_open(user, match.view_name):
            raise PermissionDenied(str(_REFUSAL[user.role]))
        return None
