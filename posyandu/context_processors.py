"""Navigation by role: what each kind of user reaches from the top bar."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyandu.models import Role
from posyandu.scope import is_health_only


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("Beranda"), reverse("posyandu:home"), "home")]
    match = getattr(request, "resolver_match", None)
    if user.role == Role.OPD:  # an OPD officer: their queue, requests and figures (posyandu.role_gate)
        on_home = bool(match and match.view_name == "posyandu:home")
        return {"nav_items": [(label, url, on_home) for label, url, _key in items]}
    if user.posyandu_id:
        items.append((_("Posyandu saya"), reverse("posyandu:detail", args=[user.posyandu_id]), "detail"))
    else:
        items.append((_("Daftar posyandu"), reverse("posyandu:list"), "list"))
    items.append((_("Warga"), reverse("posyandu:warga_list"), "warga"))
    if user.keeps_kabupaten_registers:
        items.append((_("OPD pengampu"), reverse("posyandu:opd_list"), "opd_list"))
    if user.role == Role.PUSKESMAS and user.puskesmas_id:
        items.append((_("Puskesmas saya"), reverse("posyandu:puskesmas_detail", args=[user.puskesmas_id]), "puskesmas"))
    elif user.keeps_kabupaten_registers:
        items.append((_("Puskesmas"), reverse("posyandu:puskesmas_list"), "puskesmas"))
    if user.is_admin_role and user.is_staff:
        items.append((_("Admin data induk"), reverse("admin:index"), "admin"))
    current = match.url_name if match and match.namespace in ("posyandu", "admin") else ""
    if current.startswith("opd_"):
        current = "opd_list"
    if current.startswith(("warga_", "keluarga_")):
        current = "warga"  # the people register: persons and households
    elif current.startswith(("puskesmas_", "wilayah_kerja_")):
        current = "puskesmas"
    return {
        "nav_items": [(label, url, key == current) for label, url, key in items],
        "health_only": is_health_only(user),  # a Puskesmas officer: links to other fields' pages hidden
    }
