"""Views of the kader app. Thin: scope, authorise, call one service or selector, render."""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kader import selectors, services
from kader.forms import (
    CoverageFilterForm,
    KaderDeactivateForm,
    KaderFilterForm,
    KaderForm,
    PelatihanForm,
    PenilaianForm,
    PesertaFormSet,
    PesertaImportForm,
    PesertaPickForm,
    PesertaSourceForm,
)
from kader.models import Kader, Pelatihan
from kader.permissions import (
    can_manage_kader,
    can_manage_pelatihan,
    can_record_penilaian,
    can_view_kader_profile,
    require,
)
from posyandu import dates, periods
from posyandu.akun.slips import one_time_password_page
from posyandu.models import Posyandu
from posyandu.params import query_id
from posyandu.scope import area_filter, get_object_for_user
from posyandu.viewkit import form_add_errors, paginate

PAGE_SIZE = 50
IMPORT_SALT = "kader.peserta_import"
IMPORT_MAX_AGE = 60 * 60  # seconds a preview stays valid


# ---------------------------------------------------------------------------------------------
# Kader
# ---------------------------------------------------------------------------------------------
def kader_list(request):
    form = KaderFilterForm(request.GET or None, user=request.user)
    queryset = selectors.kader_list(user=request.user, **form.selector_filters())
    page, query = paginate(request, queryset, PAGE_SIZE)
    return render(
        request,
        "kader/kader_list.html",
        {"form": form, "page": page, "query": query, "can_manage": can_manage_kader(request.user)},
    )


def roster(request, pk: int):
    """A posyandu's kader and whether every SPM field has its minimum."""
    posyandu = get_object_for_user(Posyandu.objects.select_related("desa__parent"), request.user, pk=pk)
    return render(
        request,
        "kader/roster.html",
        {
            "roster": selectors.posyandu_roster(posyandu=posyandu, user=request.user),
            "can_manage": can_manage_kader(request.user),
        },
    )


def _kader(request, pk: int) -> Kader:
    return get_object_for_user(Kader.objects.select_related("posyandu__desa__parent", "warga"), request.user, pk=pk)


def kader_detail(request, pk: int):
    kader = _kader(request, pk)
    require(can_view_kader_profile(request.user, kader), _("Kader hanya dapat membuka profilnya sendiri."))
    groups = selectors.kader_competencies(kader=kader)
    today = dates.today()
    return render(
        request,
        "kader/kader_detail.html",
        {
            "kader": kader,
            "groups": groups,
            "next_levels": selectors.next_level_gap(kader=kader, groups=groups),
            "trainings": selectors.kader_trainings(kader=kader),
            "years": kader.years_of_service(today),
            "awards": kader.service_awards(today),
            "can_manage": can_manage_kader(request.user),
            "can_assess": can_record_penilaian(request.user),
        },
    )


def kader_create(request):
    require(can_manage_kader(request.user), _("Kader didaftarkan oleh pengurus posyandu atau operator desa."))
    initial = {}
    if posyandu_pk := query_id(request, "posyandu"):
        initial["posyandu"] = posyandu_pk
    form = KaderForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        with_account = data.pop("create_account", False)
        try:
            if with_account:  # the kader and their login account at once (posyandu.akun.services)
                kader, password = services.kader_register_with_account(by=request.user, **data)
                return one_time_password_page(request, account=kader.user, password=password, created=True)
            kader = services.kader_register(**data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Kader %(name)s terdaftar.") % {"name": kader.name})
            return redirect("kader:roster", pk=kader.posyandu_id)
    return render(request, "kader/kader_form.html", {"form": form})


def kader_update(request, pk: int):
    kader = _kader(request, pk)
    require(can_manage_kader(request.user), _("Data kader diubah oleh pengurus posyandu atau operator desa."))
    form = KaderForm(request.POST or None, instance=kader, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.kader_update(kader=kader, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Perubahan data %(name)s tersimpan.") % {"name": kader.name})
            return redirect(kader)
    return render(request, "kader/kader_form.html", {"form": form, "kader": kader})


def kader_deactivate(request, pk: int):
    kader = _kader(request, pk)
    require(can_manage_kader(request.user), _("Kader diberhentikan oleh pengurus posyandu atau operator desa."))
    form = KaderDeactivateForm(request.POST or None, initial={"end_date": dates.today()})
    if request.method == "POST" and form.is_valid():
        try:
            # Ending the service also deactivates the kader's login account (posyandu.akun.services).
            services.kader_end_service(by=request.user, kader=kader, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("%(name)s tercatat berhenti sebagai kader.") % {"name": kader.name})
            return redirect(kader)
    return render(request, "kader/kader_deactivate.html", {"form": form, "kader": kader})


def penilaian_create(request, pk: int):
    kader = _kader(request, pk)
    require(can_record_penilaian(request.user), _("Anda tidak berwenang mencatat penilaian kompetensi."))
    form = PenilaianForm(request.POST or None, initial={"assessed_on": dates.today()})
    if request.method == "POST" and form.is_valid():
        before = kader.get_level_display() or _("belum berjenjang")
        try:
            services.penilaian_record(
                kader=kader,
                assessed_on=form.cleaned_data["assessed_on"],
                assessor=form.cleaned_data["assessor"],
                results=form.results(),
                user=request.user,
            )
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            after = kader.get_level_display() or _("belum berjenjang")
            messages.success(
                request, _("Penilaian tersimpan. Jenjang: %(before)s → %(after)s.") % {"before": before, "after": after}
            )
            return redirect(kader)
    return render(request, "kader/penilaian_form.html", {"form": form, "kader": kader})


# ---------------------------------------------------------------------------------------------
# Trainings
# ---------------------------------------------------------------------------------------------
def pelatihan_list(request):
    year = periods.year_or_404(request.GET.get("tahun"))  # a year the system holds, else 404
    queryset = selectors.pelatihan_list(user=request.user, year=year)
    page, query = paginate(request, queryset, PAGE_SIZE)
    return render(
        request,
        "kader/pelatihan_list.html",
        {"page": page, "query": query, "year": year or "", "can_manage": can_manage_pelatihan(request.user)},
    )


def pelatihan_create(request):
    require(can_manage_pelatihan(request.user), _("Pelatihan dicatat oleh Tim Pembina."))
    form = PelatihanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            pelatihan = services.pelatihan_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Pelatihan tersimpan. Tambahkan pesertanya."))
            return redirect("kader:peserta_add", pk=pelatihan.pk)
    return render(request, "kader/pelatihan_form.html", {"form": form})


def _pelatihan(request, pk: int) -> Pelatihan:
    return get_object_for_user(Pelatihan.objects.select_related("wilayah"), request.user, pk=pk)


def pelatihan_update(request, pk: int):
    pelatihan = _pelatihan(request, pk)
    require(can_manage_pelatihan(request.user), _("Pelatihan dicatat oleh Tim Pembina."))
    form = PelatihanForm(request.POST or None, instance=pelatihan, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.pelatihan_update(pelatihan=pelatihan, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Perubahan pelatihan tersimpan."))
            return redirect(pelatihan)
    return render(request, "kader/pelatihan_form.html", {"form": form, "pelatihan": pelatihan})


def pelatihan_detail(request, pk: int):
    pelatihan = _pelatihan(request, pk)
    peserta = list(selectors.pelatihan_peserta(pelatihan=pelatihan, user=request.user))
    return render(
        request,
        "kader/pelatihan_detail.html",
        {
            "pelatihan": pelatihan,
            "peserta": peserta,
            "attended": sum(1 for row in peserta if row.attended),
            "can_manage": can_manage_pelatihan(request.user),
        },
    )


def peserta_add(request, pk: int):
    """Add participants from a posyandu's or a kecamatan's roster (ticked, then saved at once)."""
    pelatihan = _pelatihan(request, pk)
    require(can_manage_pelatihan(request.user), _("Peserta pelatihan dicatat oleh Tim Pembina."))
    source = PesertaSourceForm(request.GET or None, user=request.user, pelatihan=pelatihan)
    candidates = Kader.objects.none()
    chosen = False
    if source.is_valid() and (source.cleaned_data["posyandu"] or source.cleaned_data["kecamatan"]):
        chosen = True
        candidates = (
            services.eligible_kader(pelatihan=pelatihan, user=request.user)
            .filter(status=Kader.Status.AKTIF)
            .exclude(peserta_set__pelatihan=pelatihan)
            .select_related("posyandu")
            .order_by("posyandu__name", "field", "name")
        )
        if source.cleaned_data["posyandu"]:
            candidates = candidates.filter(posyandu=source.cleaned_data["posyandu"])
        else:
            candidates = candidates.filter(area_filter("posyandu__desa__code", source.cleaned_data["kecamatan"].code))
        if source.cleaned_data["field"]:
            candidates = candidates.filter(field=source.cleaned_data["field"])
    pick = PesertaPickForm(request.POST or None, candidates=candidates)
    if request.method == "POST":
        # The candidates of a POST are every eligible kader: the ticked ones are checked by the service.
        pick = PesertaPickForm(request.POST, candidates=services.eligible_kader(pelatihan=pelatihan, user=request.user))
        if pick.is_valid():
            try:
                added = services.peserta_add_bulk(
                    pelatihan=pelatihan, kader=list(pick.cleaned_data["kader"]), user=request.user
                )
            except ValidationError as exc:
                form_add_errors(pick, exc)
            else:
                messages.success(request, _("%(n)s peserta ditambahkan.") % {"n": len(added)})
                return redirect(pelatihan)
    candidate_list = list(candidates) if chosen else []
    return render(
        request,
        "kader/peserta_add.html",
        {"pelatihan": pelatihan, "source": source, "pick": pick, "candidates": candidate_list, "chosen": chosen},
    )


def peserta_import(request, pk: int):
    """Upload a sheet of names / NIK, see every row matched or its problem, then save all at once."""
    pelatihan = _pelatihan(request, pk)
    require(can_manage_pelatihan(request.user), _("Peserta pelatihan dicatat oleh Tim Pembina."))
    form = PesertaImportForm()
    preview = None
    token = ""
    if request.method == "POST" and "token" in request.POST:
        try:
            data = signing.loads(request.POST["token"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
            if data["pelatihan"] != pelatihan.pk or data["user"] != request.user.pk:
                raise signing.BadSignature
            added = services.peserta_import(pelatihan=pelatihan, payload=data["rows"], user=request.user)
        except signing.BadSignature:
            messages.error(request, _("Pratinjau sudah kedaluwarsa; unggah berkas sekali lagi."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("%(n)s peserta dari berkas Excel tersimpan.") % {"n": len(added)})
            return redirect(pelatihan)
    elif request.method == "POST":
        form = PesertaImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                preview = services.peserta_import_preview(
                    pelatihan=pelatihan, file=form.cleaned_data["file"], user=request.user
                )
            except ValidationError as exc:
                form_add_errors(form, exc)
            else:
                if preview.can_save:
                    token = signing.dumps(
                        {"pelatihan": pelatihan.pk, "user": request.user.pk, "rows": preview.payload()},
                        salt=IMPORT_SALT,
                    )
    return render(
        request,
        "kader/peserta_import.html",
        {"pelatihan": pelatihan, "form": form, "preview": preview, "token": token},
    )


def peserta_template(request):
    """The empty Excel sheet for the participants import."""
    response = HttpResponse(
        services.import_template(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="contoh-peserta-pelatihan.xlsx"'
    return response


def peserta_update(request, pk: int):
    """Attendance and certificate numbers of the participants, on one screen."""
    pelatihan = _pelatihan(request, pk)
    require(can_manage_pelatihan(request.user), _("Peserta pelatihan dicatat oleh Tim Pembina."))
    peserta = list(selectors.pelatihan_peserta(pelatihan=pelatihan, user=request.user))
    initial = [{"attended": row.attended, "certificate_number": row.certificate_number} for row in peserta]
    formset = PesertaFormSet(request.POST or None, initial=initial)
    if request.method == "POST" and formset.is_valid():
        rows = {
            row.pk: (form.cleaned_data.get("attended", False), form.cleaned_data.get("certificate_number", ""))
            for row, form in zip(peserta, formset.forms, strict=False)
        }
        try:
            services.peserta_update_bulk(pelatihan=pelatihan, rows=rows)
        except ValidationError as exc:
            formset._non_form_errors = formset.error_class(exc.messages)
        else:
            messages.success(request, _("Kehadiran dan nomor sertifikat tersimpan."))
            return redirect(pelatihan)
    return render(
        request,
        "kader/peserta_update.html",
        {"pelatihan": pelatihan, "formset": formset, "rows": list(zip(peserta, formset.forms, strict=False))},
    )


# ---------------------------------------------------------------------------------------------
# Coverage and gaps
# ---------------------------------------------------------------------------------------------
def coverage(request):
    form = CoverageFilterForm(request.GET or None, user=request.user)
    filters = form.selector_filters()
    return render(
        request,
        "kader/coverage.html",
        {
            "form": form,
            "coverage": selectors.coverage(user=request.user, **filters),
            "query": request.GET.urlencode(),
        },
    )
