"""Pages of the Puskesmas and their working areas. The kabupaten team (and admins) manage them; every
role reads those in its scope (a Puskesmas officer: their own)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyandu import dates
from posyandu.models import Puskesmas
from posyandu.puskesmas import selectors, services
from posyandu.puskesmas.forms import PuskesmasForm, WilayahKerjaAssignForm, WilayahKerjaReleaseForm
from posyandu.scope import get_object_for_user
from posyandu.viewkit import form_add_errors


def can_manage_puskesmas(user) -> bool:
    return user.keeps_kabupaten_registers


def _require_manager(user) -> None:
    if not can_manage_puskesmas(user):
        raise PermissionDenied(_("Puskesmas dikelola oleh Tim Pembina kabupaten."))


def puskesmas_list(request):
    return render(
        request,
        "posyandu/puskesmas_list.html",
        {"rows": selectors.puskesmas_list(user=request.user), "can_manage": can_manage_puskesmas(request.user)},
    )


def puskesmas_detail(request, pk: int):
    puskesmas = get_object_for_user(Puskesmas.objects.select_related("kabupaten"), request.user, pk=pk)
    can_manage = can_manage_puskesmas(request.user)
    return render(
        request,
        "posyandu/puskesmas_detail.html",
        {
            "puskesmas": puskesmas,
            "area": selectors.working_area(puskesmas=puskesmas),
            "history": selectors.working_area_history(puskesmas=puskesmas),
            "can_manage": can_manage,
            "today": dates.today(),
        },
    )


def puskesmas_create(request):
    _require_manager(request.user)
    form = PuskesmasForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            puskesmas = services.puskesmas_create(**form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Puskesmas %(name)s tersimpan.") % {"name": puskesmas.name})
            return redirect(puskesmas)
    return render(request, "posyandu/puskesmas_form.html", {"form": form})


def puskesmas_update(request, pk: int):
    puskesmas = get_object_for_user(Puskesmas, request.user, pk=pk)
    _require_manager(request.user)
    form = PuskesmasForm(request.POST or None, instance=puskesmas, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.puskesmas_update(puskesmas=puskesmas, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Perubahan %(name)s tersimpan.") % {"name": puskesmas.name})
            return redirect(puskesmas)
    return render(request, "posyandu/puskesmas_form.html", {"form": form, "puskesmas": puskesmas})


def wilayah_kerja_assign(request, pk: int):
    """Put a desa into the working area (moving it from its current Puskesmas, with history)."""
    puskesmas = get_object_for_user(Puskesmas.objects.select_related("kabupaten"), request.user, pk=pk)
    _require_manager(request.user)
    form = WilayahKerjaAssignForm(request.POST or None, puskesmas=puskesmas)
    if request.method == "POST" and form.is_valid():
        desa = form.cleaned_data["desa"]
        try:
            services.wilayah_kerja_assign(puskesmas=puskesmas, desa=desa, since=form.cleaned_data["since"])
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(desa)s masuk wilayah kerja %(puskesmas)s.") % {"desa": desa.display_name, "puskesmas": puskesmas},
            )
            return redirect(puskesmas)
    return render(request, "posyandu/wilayah_kerja_form.html", {"form": form, "puskesmas": puskesmas})


@require_POST
def wilayah_kerja_release(request, pk: int):
    """Take a desa out of the working area from a date (it then belongs to no Puskesmas)."""
    puskesmas = get_object_for_user(Puskesmas, request.user, pk=pk)
    _require_manager(request.user)
    form = WilayahKerjaReleaseForm(request.POST, puskesmas=puskesmas)
    if form.is_valid():
        try:
            services.wilayah_kerja_release(
                puskesmas=puskesmas, desa=form.cleaned_data["desa"], on=form.cleaned_data["on"]
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, _("%(desa)s keluar dari wilayah kerja.") % {"desa": form.cleaned_data["desa"].display_name}
            )
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect(puskesmas)
