"""Views of trantibum incidents (the five fields other than kesehatan).
Thin: scope the object (404 outside), check the role, call one service or selector, render.
Mounted under ``bidang/`` with the ``bidang`` namespace."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from layanan import selectors, services
from layanan.forms import (
    KejadianForm,
)
from layanan.permissions import (
    can_record_kejadian,
    can_see_kejadian,
    require,
)
from posyandu.scope import get_object_for_user
from posyandu.viewkit import form_add_errors, paginate

PAGE_SIZE = 25


# ---------------------------------------------------------------------------------------------
# Incidents
# ---------------------------------------------------------------------------------------------
def kejadian_list(request):
    require(can_see_kejadian(request.user), _("Kejadian dicatat oleh kader bidang trantibum linmas."))
    rows = selectors.kejadian_visible(user=request.user)
    return render(
        request,
        "layanan/bidang/kejadian_list.html",
        {"page": paginate(request, rows, PAGE_SIZE)[0], "can_write": can_record_kejadian(request.user)},
    )


def kejadian_create(request):
    require(can_record_kejadian(request.user), _("Anda tidak berwenang mencatat kejadian."))
    form = KejadianForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            kejadian = services.kejadian_record(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Kejadian disimpan."))
            return redirect(kejadian)
    return render(
        request,
        "layanan/bidang/form.html",
        {"form": form, "title": _("Catat kejadian"), "submit": _("Simpan kejadian"), "back": "bidang:kejadian_list"},
    )


def kejadian_detail(request, pk: int):
    # A confidential incident the user may not see is a 404, like one outside the area.
    kejadian = get_object_for_user(selectors.kejadian_visible(user=request.user), request.user, pk=pk)
    require(can_see_kejadian(request.user), _("Kejadian dicatat oleh kader bidang trantibum linmas."))
    return render(request, "layanan/bidang/kejadian_detail.html", {"kejadian": kejadian})
