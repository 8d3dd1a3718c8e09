"""Top-bar entries of the kader app, after the foundation's and the health field's."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyandu.models import Role
from posyandu.scope import is_health_only


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or is_health_only(user):
        return {"nav_items_kader": []}
    if user.role == Role.OPD:  # an OPD officer does not see the kader register (posyandu.role_gate)
        return {"nav_items_kader": []}
    if user.posyandu_id:
        # No query here: the kader finds their own profile on the roster.
        items = [(_("Kader"), reverse("kader:roster", args=[user.posyandu_id]), "roster")]
    else:
        items = [
            (_("Kader"), reverse("kader:kader_list"), "kader_list"),
            (_("Pelatihan"), reverse("kader:pelatihan_list"), "pelatihan_list"),
            (_("Cakupan kader"), reverse("kader:coverage"), "coverage"),
        ]
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match and match.namespace == "kader" else ""
    if current.startswith(("pelatihan_", "peserta_")):
        current = "pelatihan_list"
    return {"nav_items_kader": [(label, url, key == current) for label, url, key in items]}
