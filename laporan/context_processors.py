"""Top-bar entries of the reports, after the fields' own."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from laporan.audit import can_read_audit


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
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match and match.namespace == "laporan" else ""
    return {"nav_items_laporan": [(label, url, key == current) for label, url, key in items]}
