"""Views of the household survey (the five fields other than kesehatan).
Thin: scope the object (404 outside), check the role, call one service or selector, render.
Mounted under ``bidang/`` with the ``bidang`` namespace."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from layanan import selectors, services
from layanan.forms import (
    SurveiKeluargaForm,
)
from layanan.permissions import (
    can_record_permintaan,
    can_record_survey,
    require,
)
from posyandu.models import Keluarga
from posyandu.scope import get_object_for_user
from posyandu.viewkit import form_add_errors


# ---------------------------------------------------------------------------------------------
# Household survey
# ---------------------------------------------------------------------------------------------
def _keluarga(request, pk) -> Keluarga:
    return get_object_for_user(Keluarga.objects.select_related("posyandu", "posyandu__desa"), request.user, pk=pk)


def keluarga_survei(request, pk: int):
    keluarga = _keluarga(request, pk)
    history = list(selectors.survei_history(keluarga=keluarga))
    return render(
        request,
        "layanan/bidang/keluarga_survei.html",
        {
            "keluarga": keluarga,
            "history": history,
            "current": history[0] if history else None,
            "can_survey": can_record_survey(request.user),
            "can_permintaan": can_record_permintaan(request.user),
        },
    )


SURVEY_SECTIONS = [
    (
        _("Air minum dan sanitasi (pekerjaan umum)"),
        ("water_source", "water_sufficient", "latrine", "waste_water", "rubbish"),
    ),
    (
        _("Kondisi rumah (perumahan rakyat)"),
        ("roof", "walls", "floor", "floor_area_m2", "occupants", "disaster_damage"),
    ),
    (
        _("Sosial"),
        (
            "is_poor",
            "receives_bansos",
            "bansos_programmes",
            "has_jkn",
            "disabled_members",
            "neglected_elderly",
            "neglected_children",
        ),
    ),
    (_("Lainnya"), ("notes",)),
]


def survei_create(request, pk: int):
    keluarga = _keluarga(request, pk)
    require(can_record_survey(request.user), _("Anda tidak berwenang mencatat survei keluarga."))
    previous = selectors.survei_history(keluarga=keluarga).first()
    form = SurveiKeluargaForm(request.POST or None, previous=previous)
    if request.method == "POST" and form.is_valid():
        try:
            survei = services.survei_keluarga_record(
                keluarga=keluarga,
                survey_date=form.cleaned_data["survey_date"],
                user=request.user,
                values=form.service_values(),
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            text = _("Survei disimpan.")
            if survei.is_rtlh:
                text += " " + _("Rumah ini tergolong tidak layak huni (RTLH): %(reasons)s.") % {
                    "reasons": ", ".join(survei.rtlh_reasons())
                }
            messages.success(request, text)
            return redirect("bidang:keluarga_survei", pk=keluarga.pk)
    sections = [(title, [form[name] for name in names]) for title, names in SURVEY_SECTIONS]
    return render(
        request,
        "layanan/bidang/survei_form.html",
        {"keluarga": keluarga, "form": form, "sections": sections, "previous": previous},
    )
