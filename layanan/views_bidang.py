"""Views of the five other SPM fields. Thin: scope the object (404 outside), check the role, call one
service or selector, render. Mounted under ``bidang/`` with the ``bidang`` namespace."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from layanan import selectors_bidang as selectors
from layanan import services_bidang as services
from layanan.forms_bidang import (
    DokumenForm,
    KegiatanForm,
    KejadianForm,
    PendidikanForm,
    PermintaanFilterForm,
    PermintaanForm,
    SurveiKeluargaForm,
    TransitionForm,
)
from layanan.models_bidang import BIDANG_CHOICES, DokumenPermintaan, PendidikanAnak, PermintaanLayanan
from layanan.permissions_bidang import (
    can_attach_dokumen,
    can_record_kegiatan,
    can_record_kejadian,
    can_record_pendidikan,
    can_record_permintaan,
    can_record_survey,
    can_see_kejadian,
    next_statuses,
    require,
    visible_fields,
)
from posyandu import dates
from posyandu.models import Keluarga, Role, SpmField, Warga
from posyandu.params import query_id
from posyandu.scope import get_object_for_user
from posyandu.viewkit import form_add_errors, paginate

PAGE_SIZE = 25
Status = PermintaanLayanan.Status

# What each field's kader records, shown on their home page.
FIELD_TASKS = {
    SpmField.PENDIDIKAN: _(
        "Catat status sekolah anak 3–15 tahun (PAUD, putus sekolah), sesi parenting/BKB dan literasi."
    ),
    SpmField.SOSIAL: _(
        "Survei keluarga miskin, penerima bansos, disabilitas dan warga terlantar; ajukan permintaan bansos."
    ),
    SpmField.PERUMAHAN_RAKYAT: _("Survei kondisi rumah (RTLH) dan kerusakan bencana; ajukan perbaikan rumah."),
    SpmField.PEKERJAAN_UMUM: _("Survei air minum, jamban, air limbah dan sampah; catat bank sampah dan kerja bakti."),
    SpmField.TRANTIBUM_LINMAS: _("Catat kejadian (bencana, kebakaran, KDRT, ketertiban), patroli dan kegiatan Linmas."),
    SpmField.KESEHATAN: _("Data kesehatan dicatat di menu Hari buka; di sini Anda mencatat penyuluhan kesehatan."),
}


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
    for to_status in next_statuses(user, permintaan.status):
        bound = (
            transition_form
            if transition_form is not None and transition_form.data.get("to_status") == to_status
            else None
        )
        forms.append((to_status, Status(to_status).label, bound or TransitionForm(initial={"to_status": to_status})))
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
            # A refused change (illegal, not allowed) has no form of its own on the page: say why at the top.
            "transition_errors": transition_form.non_field_errors() if transition_form is not None else [],
        },
        status=status,
    )


def permintaan_detail(request, pk: int):
    return _detail(request, _permintaan(request, pk))


@require_POST
def permintaan_transition(request, pk: int):
    permintaan = _permintaan(request, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            permintaan = services.permintaan_transition(permintaan=permintaan, user=request.user, **data)
        except ValidationError as error:
            form_add_errors(form, error)
        else:
            messages.success(request, _("Status permintaan: %(status)s.") % {"status": permintaan.get_status_display()})
            return redirect(permintaan)
    if not next_statuses(request.user, permintaan.status):
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
