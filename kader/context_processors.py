"""Top-bar entries of the kader app, after the foundation's and the health field's."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyandu.role_gate import menu


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items_kader": []}
    if user.posyandu_id:
        # No query here: the kader finds their own profile on the roster.
        items = [(_("Kader"), reverse("kader:roster", args=[user.posyandu_id]), "kader:roster")]
    else:
        items = [
            (_("Kader"), reverse("kader:kader_list"), "kader:kader_list"),
            (_("Pelatihan"), reverse("kader:pelatihan_list"), "kader:pelatihan_list"),
            (_("Cakupan kader"), reverse("kader:coverage"), "kader:coverage"),
        ]
    items = menu(user, items)  # none for an OPD or a Puskesmas officer (posyandu.role_gate)
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match and match.namespace == "kader" else ""
    if current.startswith(("kader:pelatihan_", "kader:peserta_")):
        current = "kader:pelatihan_list"
    return {"nav_items_kader": [(label, url, key == current) for label, url, key in items]}
