"""Top-bar entries of the health field, added after the foundation's own."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from layanan.models import HariBuka
from layanan.permissions import can_record_health
from layanan.selectors import opd_queue
from layanan.tasks import FIELD_TASKS
from posyandu import dates
from posyandu.models import Role, SpmField
from posyandu.scope import is_health_only


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {
            "nav_items_layanan": [],
            "nav_items_fields": [],
            "can_record_health": False,
            "todays_hari_buka": None,
            "field_task": "",
        }
    if user.role == Role.OPD:
        # An OPD officer: the requests forwarded to their OPD (posyandu.role_gate), and on the home page
        # their queue, lazily (the queries run only on a page that shows it).
        url = reverse("bidang:permintaan_list")
        match = getattr(request, "resolver_match", None)
        current = bool(match and match.namespace == "bidang")
        return {
            "nav_items_layanan": [],
            "nav_items_fields": [(_("Permintaan layanan"), url, current)],
            "can_record_health": False,
            "opd_queue": SimpleLazyObject(lambda: opd_queue(user=user)),
            "todays_hari_buka": None,
            "field_task": "",
        }
    items = [(_("Hari buka"), reverse("layanan:haribuka_list"), "haribuka_list")]
    if can_record_health(user) or not user.posyandu_id:
        items.append((_("Rujukan"), reverse("layanan:rujukan_list"), "rujukan_list"))
    items.append((_("Imunisasi terlambat"), reverse("layanan:imunisasi_overdue"), "imunisasi_overdue"))
    # The five other fields (layanan/urls/bidang.py), a menu of their own: their home, the requests.
    label = _("Beranda bidang lain")
    if user.role == Role.KADER and user.field and user.field != SpmField.KESEHATAN:
        label = SpmField(user.field).label  # a kader of another field: their own field's home
    bidang = [
        (label, reverse("bidang:home"), "bidang:home"),
        (_("Permintaan layanan"), reverse("bidang:permintaan_list"), "bidang:permintaan_list"),
    ]
    if is_health_only(user):
        bidang = []  # a Puskesmas officer: the health field only
    match = getattr(request, "resolver_match", None)
    current = ""
    if match and match.namespace == "layanan":
        current = match.url_name
    elif match and match.namespace == "bidang":
        current = f"bidang:{match.url_name}"
    return {
        "nav_items_layanan": [(label, url, key == current) for label, url, key in items],
        "nav_items_fields": [(label, url, key == current) for label, url, key in bidang],
        "can_record_health": can_record_health(user),
        # For the posyandu home (which cannot import layanan): lazy, so only that page queries it.
        "todays_hari_buka": SimpleLazyObject(lambda: _todays_hari_buka(user)),
        "field_task": FIELD_TASKS.get(user.field, "") if user.role == Role.KADER and user.field else "",
    }


def _todays_hari_buka(user) -> HariBuka | None:
    """Today's opening day at the user's own posyandu, if it has been opened (one query)."""
    if not user.posyandu_id:
        return None
    return HariBuka.objects.filter(posyandu_id=user.posyandu_id, date=dates.today()).order_by("pk").first()
