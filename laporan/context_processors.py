"""Top-bar entries of the reports, after the fields' own."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from laporan import selectors
from laporan.audit import can_read_audit
from posyandu.models import Role
from posyandu.role_gate import menu


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items_laporan": []}
    items = [
        (_("Dasbor"), reverse("laporan:dashboard"), "dashboard"),
        (_("Kelengkapan laporan"), reverse("laporan:kelengkapan"), "kelengkapan"),
    ]
    if can_read_audit(user):  # the audit trail is for the desa, the Tim Pembina and admins
        items.append((_("Riwayat perubahan"), reverse("laporan:riwayat"), "riwayat"))
    if can_read_audit(user) or user.role == Role.OPD:  # an OPD officer: the decisions assigned to their OPD
        items.append((_("Tindak lanjut rakor"), reverse("laporan:rakor_list"), "rakor_list"))
    if user.is_admin_role or user.role in (Role.PEMBINA_KABUPATEN, Role.PEMBINA_KECAMATAN):
        items.append((_("Pengaturan kabupaten"), reverse("laporan:pengaturan"), "pengaturan"))
    # An OPD officer reads their fields' dashboard only; a Puskesmas officer the health field's (role_gate).
    items = menu(user, [(label, url, f"laporan:{key}", key) for label, url, key in items])
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match and match.namespace == "laporan" else ""
    return {"nav_items_laporan": [(label, url, key == current) for label, url, _name, key in items]}


def work_queue(request):
    """The reports and requests waiting for this user (the home page's "Menunggu tindakan Anda").

    Lazy: the queries run only on a page that shows it, so the home page (posyandu) shows laporan's
    queue without importing laporan (dependencies point one way)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role == Role.KADER:
        return {"work_queue": None}
    return {"work_queue": SimpleLazyObject(lambda: selectors.work_queue(user=user))}
