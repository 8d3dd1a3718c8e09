"""Views of monthly activities (the five fields other than kesehatan).
Thin: scope the object (404 outside), check the role, call one service or selector, render.
Mounted under ``bidang/`` with the ``bidang`` namespace."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from layanan import selectors, services
from layanan.forms import (
    KegiatanForm,
)
from layanan.permissions import (
    can_record_kegiatan,
    require,
    visible_fields,
)
from posyandu.models import SpmField
from posyandu.viewkit import form_add_errors, paginate

PAGE_SIZE = 25


# ---------------------------------------------------------------------------------------------
# Activities
# ---------------------------------------------------------------------------------------------
def kegiatan_list(request):
    field = request.GET.get("bidang", "")
    rows = selectors.kegiatan_list(user=request.user, field=field if field in SpmField.values else "")
    return render(
        request,
        "layanan/bidang/kegiatan_list.html",
        {
            "page": paginate(request, rows, PAGE_SIZE)[0],
            "field": field,
            "fields": [c for c in SpmField.choices if c[0] in visible_fields(request.user)],
            "can_write": can_record_kegiatan(request.user),
        },
    )


def kegiatan_create(request):
    require(can_record_kegiatan(request.user), _("Anda tidak berwenang mencatat kegiatan."))
    form = KegiatanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.kegiatan_record(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Kegiatan disimpan."))
            return redirect("bidang:kegiatan_list")
    return render(
        request,
        "layanan/bidang/form.html",
        {"form": form, "title": _("Catat kegiatan"), "submit": _("Simpan kegiatan"), "back": "bidang:kegiatan_list"},
    )
