"""Views of children's schooling (the five fields other than kesehatan).
Thin: scope the object (404 outside), check the role, call one service or selector, render.
Mounted under ``bidang/`` with the ``bidang`` namespace."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from layanan import selectors, services
from layanan.forms import (
    PendidikanForm,
)
from layanan.models import PendidikanAnak
from layanan.permissions import (
    can_record_pendidikan,
    require,
)
from posyandu.models import Warga
from posyandu.scope import get_object_for_user
from posyandu.viewkit import form_add_errors, paginate

PAGE_SIZE = 25


# ---------------------------------------------------------------------------------------------
# Schooling
# ---------------------------------------------------------------------------------------------
def pendidikan_list(request):
    rows = selectors.children_schooling(user=request.user)
    shown = request.GET.get("tampil", "")
    if shown == "ats":
        rows = rows.filter(school_status__in=PendidikanAnak.OUT_OF_SCHOOL)
    elif shown == "belum":
        rows = rows.filter(school_status__isnull=True)
    return render(
        request,
        "layanan/bidang/pendidikan_list.html",
        {
            "page": paginate(request, rows, PAGE_SIZE)[0],
            "shown": shown,
            "statuses": dict(PendidikanAnak.Status.choices),
            "reasons": dict(PendidikanAnak.Reason.choices),
            "can_write": can_record_pendidikan(request.user),
        },
    )


def pendidikan_create(request, pk: int):
    warga = get_object_for_user(Warga.objects.select_related("posyandu"), request.user, pk=pk)
    require(can_record_pendidikan(request.user), _("Anda tidak berwenang mencatat data pendidikan."))
    form = PendidikanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pendidikan_record(warga=warga, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Status sekolah %(name)s disimpan.") % {"name": warga.name})
            return redirect("bidang:pendidikan_list")
    history = PendidikanAnak.objects.filter(warga=warga).order_by("-recorded_on")
    return render(request, "layanan/bidang/pendidikan_form.html", {"warga": warga, "form": form, "history": history})
