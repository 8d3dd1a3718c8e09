"""Pages by role, for the roles that see only a few pages: an OPD officer.

An OPD officer (``Role.OPD``) works across their kabupaten but only on their fields: their field's
figures, the service requests forwarded to their OPD and the rakor decisions assigned to it.
``posyandu.scope`` limits the rows (a request or a decision only when it is addressed to their OPD); this
gate limits the pages: every page not listed here is a 403 for them, so a new page is closed to them until
someone decides otherwise (tests/test_scope_every_url.py checks every URL as an OPD officer). URL names
only: the foundation imports no other app.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from posyandu.models import Role

OPD_URLS = frozenset(
    {
        "login",
        "logout",
        "password_change",
        "password_change_done",
        "akun:password_set",
        "service_worker",
        "posyandu:home",  # their queue
        "laporan:dashboard",  # their fields' figures (laporan.views limits the field)
        "laporan:excel_indikator",
        "bidang:permintaan_list",  # the requests forwarded to their OPD (scope)
        "bidang:permintaan_detail",
        "bidang:permintaan_transition",
        "bidang:dokumen_download",
        "laporan:rakor_list",  # the rakor decisions assigned to their OPD (scope), not the meetings' pages
        "laporan:keputusan_detail",  # one of them, and its status update
    }
)


def allowed_page(user, view_name: str) -> bool:
    if getattr(user, "role", None) == Role.OPD and not user.is_admin_role:
        return view_name in OPD_URLS
    return True


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
        if not allowed_page(user, match.view_name):
            raise PermissionDenied(_("Halaman ini bukan untuk akun OPD."))
        return None
