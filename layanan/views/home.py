"""Views of the home page (the five fields other than kesehatan).
Thin: scope the object (404 outside), check the role, call one service or selector, render.
Mounted under ``bidang/`` with the ``bidang`` namespace."""

from django.shortcuts import render

from layanan import selectors
from layanan.models import BIDANG_CHOICES, PermintaanLayanan
from layanan.permissions import (
    can_record_kegiatan,
    can_record_kejadian,
    can_record_pendidikan,
    can_record_permintaan,
    can_record_survey,
    can_see_kejadian,
    visible_fields,
)
from layanan.tasks import FIELD_TASKS
from posyandu import dates
from posyandu.models import SpmField


# ---------------------------------------------------------------------------------------------
# Home
# ---------------------------------------------------------------------------------------------
def home(request):
    user = request.user
    today = dates.today()
    fields = visible_fields(user)
    requested = request.GET.get("bidang", "")
    field = fields[0] if len(fields) == 1 else (requested if requested in dict(BIDANG_CHOICES) else "")
    requests = selectors.permintaan_list(user=user, field=field, today=today).filter(status__in=PermintaanLayanan.OPEN)
    return render(
        request,
        "layanan/bidang/home.html",
        {
            "field": field,
            "field_label": SpmField(field).label if field else "",
            "task": FIELD_TASKS.get(field, ""),
            "fields": [(value, label) for value, label in BIDANG_CHOICES if value in fields],
            "counts": selectors.permintaan_counts(user=user, today=today),
            "summary": selectors.survei_summary(user=user),
            "unsurveyed": selectors.keluarga_unsurveyed(user=user).count(),
            # The next households to visit (for whoever records surveys).
            "to_survey": list(selectors.keluarga_unsurveyed(user=user)[:5]) if can_record_survey(user) else [],
            "open_requests": list(requests[:10]),
            "today": today,
            "can_survey": can_record_survey(user),
            "can_pendidikan": can_record_pendidikan(user),
            "can_kegiatan": can_record_kegiatan(user),
            "can_kejadian": can_record_kejadian(user),
            "can_see_kejadian": can_see_kejadian(user),
            "can_permintaan": can_record_permintaan(user),
        },
    )
