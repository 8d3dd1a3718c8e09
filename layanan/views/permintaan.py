"""Views of service requests and their documents (the five fields other than kesehatan).
Thin: scope the object (404 outside), check the role, call one service or selector, render.
Mounted under ``bidang/`` with the ``bidang`` namespace."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layanan import selectors, services
from layanan.forms import (
    DokumenForm,
    PermintaanFilterForm,
    PermintaanForm,
    TransitionForm,
)
from layanan.models import DokumenPermintaan, PermintaanLayanan
from layanan.permissions import (
    can_attach_dokumen,
    can_record_permintaan,
    next_statuses,
    require,
    visible_fields,
)
from posyandu import dates
from posyandu.models import Keluarga, Role
from posyandu.params import query_id
from posyandu.scope import get_object_for_user
from posyandu.viewkit import form_add_errors, paginate

PAGE_SIZE = 25
Status = PermintaanLayanan.Status


# ---------------------------------------------------------------------------------------------
# Household survey
# ---------------------------------------------------------------------------------------------
def _keluarga(request, pk) -> Keluarga:
    return get_object_for_user(Keluarga.objects.select_related("posyandu", "posyandu__desa"), request.user, pk=pk)


# ---------------------------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------------------------
def permintaan_list(request):
    filters = PermintaanFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    today = dates.today()
    rows = selectors.permintaan_list(
        user=request.user,
        field=data.get("field", ""),
        status=data.get("status", ""),
        overdue=bool(data.get("terlambat")),
        today=today,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "layanan/bidang/permintaan_list.html",
        {
            "page": paginate(request, rows, PAGE_SIZE)[0],
            "filters": filters,
            "query": query.urlencode(),
            "today": today,
            "counts": selectors.permintaan_counts(user=request.user, today=today),
            "can_write": can_record_permintaan(request.user),
        },
    )


def permintaan_create(request):
    require(can_record_permintaan(request.user), _("Anda tidak berwenang mencatat permintaan layanan."))
    keluarga = None
    if keluarga_pk := query_id(request, "keluarga"):
        keluarga = _keluarga(request, keluarga_pk)
    form = PermintaanForm(request.POST or None, user=request.user, keluarga=keluarga)
    if request.method == "POST" and form.is_valid():
        try:
            permintaan = services.permintaan_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Permintaan dicatat. Unggah dokumen pendukungnya di bawah."))
            return redirect(permintaan)
    return render(request, "layanan/bidang/permintaan_form.html", {"form": form, "keluarga": keluarga})


def _permintaan(request, pk) -> PermintaanLayanan:
    return get_object_for_user(selectors.permintaan_list(user=request.user), request.user, pk=pk)


def _detail(request, permintaan, *, transition_form=None, dokumen_form=None, status=200):
    user = request.user
    today = dates.today()
    forms = []
    for to_status in next_statuses(user, permintaan.status, permintaan):
        bound = (
            transition_form
            if transition_form is not None and transition_form.data.get("to_status") == to_status
            else None
        )
        fresh = TransitionForm(initial={"to_status": to_status}, destinations=_destinations(permintaan, to_status))
        forms.append((to_status, Status(to_status).label, bound or fresh))
    return render(
        request,
        "layanan/bidang/permintaan_detail.html",
        {
            "permintaan": permintaan,
            "history": permintaan.riwayat.select_related("changed_by"),
            "dokumen": permintaan.dokumen.all(),
            "transitions": forms,
            "dokumen_form": dokumen_form or DokumenForm(),
            "can_upload": can_attach_dokumen(user, permintaan),
            "overdue": permintaan.is_overdue(today),
            "today": today,
            "is_desa": user.role == Role.OPERATOR_DESA,
            "days_left": _days_left(permintaan, today),
            # A refused change (illegal, not allowed) has no form of its own on the page: say why at the top.
            "transition_errors": transition_form.non_field_errors() if transition_form is not None else [],
        },
        status=status,
    )


def _destinations(permintaan: PermintaanLayanan, to_status: str):
    if to_status != Status.DITERUSKAN:
        return ()
    return list(selectors.forward_destinations(permintaan=permintaan))


def _days_left(permintaan: PermintaanLayanan, today) -> int | None:
    if not permintaan.is_open or permintaan.due_on is None:
        return None
    holidays = selectors.holidays_between(min(today, permintaan.due_on), max(today, permintaan.due_on))
    return selectors.working_days_left(today, permintaan.due_on, holidays=holidays)


def permintaan_detail(request, pk: int):
    return _detail(request, _permintaan(request, pk))


@require_POST
def permintaan_transition(request, pk: int):
    permintaan = _permintaan(request, pk)
    form = TransitionForm(request.POST, destinations=_destinations(permintaan, request.POST.get("to_status")))
    if form.is_valid():
        data = form.cleaned_data
        try:
            permintaan = services.permintaan_transition(permintaan=permintaan, user=request.user, **data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Status permintaan: %(status)s.") % {"status": permintaan.get_status_display()})
            return redirect(permintaan)
    if not next_statuses(request.user, permintaan.status, permintaan):
        require(False, _("Anda tidak berwenang mengubah status permintaan ini."))
    return _detail(request, permintaan, transition_form=form, status=400)


@require_POST
def dokumen_upload(request, pk: int):
    """Attach a document: by whoever handles the request at the posyandu or desa (403 for the Tim Pembina),
    while it is open (a closed one answers 400 with the reason, nothing written)."""
    permintaan = _permintaan(request, pk)
    require(
        can_attach_dokumen(request.user, permintaan),
        _("Dokumen diunggah oleh kader bidangnya, pengurus atau operator desa."),
    )
    form = DokumenForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.dokumen_attach(
                permintaan=permintaan,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                user=request.user,
            )
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Dokumen diunggah."))
            return redirect(permintaan)
    return _detail(request, permintaan, dokumen_form=form, status=400)


def dokumen_download(request, pk: int):
    """The only way to a document: scoped like its request (404 outside), never a public URL."""
    dokumen = get_object_for_user(
        DokumenPermintaan.objects.filter(permintaan__field__in=visible_fields(request.user)), request.user, pk=pk
    )
    try:
        handle = dokumen.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Berkas tidak ditemukan.")) from None
    response = FileResponse(
        handle, as_attachment=True, filename=dokumen.original_name, content_type=dokumen.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
