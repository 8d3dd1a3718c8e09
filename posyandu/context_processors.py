"""Navigation by role: what each kind of user reaches from the top bar."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyandu.akun.permissions import can_manage_accounts
from posyandu.models import Role
from posyandu.role_gate import menu
from posyandu.scope import is_health_only


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [(_("Beranda"), reverse("posyandu:home"), "posyandu:home", "home")]
    if user.posyandu_id:
        items.append(
            (_("Posyandu saya"), reverse("posyandu:detail", args=[user.posyandu_id]), "posyandu:detail", "detail")
        )
    else:
        items.append((_("Daftar posyandu"), reverse("posyandu:list"), "posyandu:list", "list"))
    items.append((_("Warga"), reverse("posyandu:warga_list"), "posyandu:warga_list", "warga"))
    if user.keeps_kabupaten_registers:
        items.append((_("OPD pengampu"), reverse("posyandu:opd_list"), "posyandu:opd_list", "opd_list"))
    if user.role == Role.PUSKESMAS and user.puskesmas_id:
        url = reverse("posyandu:puskesmas_detail", args=[user.puskesmas_id])
        items.append((_("Puskesmas saya"), url, "posyandu:puskesmas_detail", "puskesmas"))
    elif user.keeps_kabupaten_registers:
        items.append((_("Puskesmas"), reverse("posyandu:puskesmas_list"), "posyandu:puskesmas_list", "puskesmas"))
    if user.is_admin_role and user.is_staff:
        items.append((_("Admin data induk"), reverse("admin:index"), "admin:index", "admin"))
    items = menu(user, items)  # an OPD officer: the home page only (posyandu.role_gate)
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match and match.namespace in ("posyandu", "admin") else ""
    if current.startswith("opd_"):
        current = "opd_list"
    if current.startswith(("warga_", "keluarga_")):
        current = "warga"  # the people register: persons and households
    elif current.startswith(("puskesmas_", "wilayah_kerja_")):
        current = "puskesmas"
    return {
        "nav_items": [(label, url, key == current) for label, url, _name, key in items],
        "manages_accounts": can_manage_accounts(user),  # "Kelola akun" in the user menu
        "health_only": is_health_only(user),  # a Puskesmas officer: links to other fields' pages hidden
    }
