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
from posyandu.role_gate import menu


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
    items = [
        (_("Hari buka"), reverse("layanan:haribuka_list"), "layanan:haribuka_list"),
        (_("Rujukan"), reverse("layanan:rujukan_list"), "layanan:rujukan_list"),
        (_("Imunisasi terlambat"), reverse("layanan:imunisasi_overdue"), "layanan:imunisasi_overdue"),
    ]
    if user.posyandu_id and not can_record_health(user):
        del items[1]  # referrals: the health kader of a posyandu, and the levels above
    # The five other fields (layanan/urls/bidang.py), a menu of their own: their home, the requests.
    label = _("Beranda bidang lain")
    if user.role == Role.KADER and user.field and user.field != SpmField.KESEHATAN:
        label = SpmField(user.field).label  # a kader of another field: their own field's home
    bidang = [
        (label, reverse("bidang:home"), "bidang:home"),
        (_("Permintaan layanan"), reverse("bidang:permintaan_list"), "bidang:permintaan_list"),
    ]
    # An OPD officer: the requests forwarded to their OPD; a Puskesmas officer: the health field only.
    items, bidang = menu(user, items), menu(user, bidang)
    match = getattr(request, "resolver_match", None)
    current = match.view_name if match and match.namespace in ("layanan", "bidang") else ""
    return {
        "nav_items_layanan": [(label, url, key == current) for label, url, key in items],
        "nav_items_fields": [(label, url, key == current) for label, url, key in bidang],
        "can_record_health": can_record_health(user),
        # For the posyandu home (which cannot import layanan): lazy, so only that page queries it.
        "todays_hari_buka": SimpleLazyObject(lambda: _todays_hari_buka(user)),
        "field_task": FIELD_TASKS.get(user.field, "") if user.role == Role.KADER and user.field else "",
        # An OPD officer's queue on their home page, lazily (the queries run only on a page that shows it).
        "opd_queue": SimpleLazyObject(lambda: opd_queue(user=user)) if user.role == Role.OPD else None,
    }


def _todays_hari_buka(user) -> HariBuka | None:
    """Today's opening day at the user's own posyandu, if it has been opened (one query)."""
    if not user.posyandu_id:
        return None
    return HariBuka.objects.filter(posyandu_id=user.posyandu_id, date=dates.today()).order_by("pk").first()
