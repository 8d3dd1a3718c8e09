"""Views of the formats in and out (``laporan/urls_format.py``): each authorises, calls one module
(``laporan.eppgbm``, ``layanan.eppgbm_import``, ``laporan.sip``) and renders or wraps bytes."""

import base64
import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from laporan import eppgbm, excel, rekap_puskesmas, selectors, sip
from laporan import indicators as ind
from laporan.pdf import render_pdf
from layanan import eppgbm_import as importer
from posyandu import dates, periods
from posyandu.models import Posyandu, Role
from posyandu.params import query_area_code, query_choice, query_id
from posyandu.puskesmas import selectors as puskesmas_selectors
from posyandu.scope import get_object_for_user, within_puskesmas

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
SESSION_KEY = "eppgbm_import"


def can_import(user) -> bool:
    """Who starts a posyandu's register from an e-PPGBM file: the desa operator and admins (the
    posyandu itself is fetched within their scope first)."""
    return user.is_admin_role or user.role == Role.OPERATOR_DESA


def _posyandu(request, pk: int) -> Posyandu:
    return get_object_for_user(
        Posyandu.objects.select_related("desa", "desa__parent", "desa__parent__parent"), request.user, pk=pk
    )


def _month(request):
    """``?bulan=2026-03``: the previous month by default, 404 for a month the system does not hold."""
    value = request.GET.get("bulan")
    return periods.month_or_404(value) if value else selectors.default_month()


def posyandu_formats(request, pk: int):
    """One posyandu's exchange page: e-PPGBM export and import, SIP books."""
    posyandu = _posyandu(request, pk)
    this_year = dates.today().year
    return render(
        request,
        "laporan/format/posyandu.html",
        {
            "posyandu": posyandu,
            "month": selectors.default_month(),
            "years": [this_year, this_year - 1],
            "can_import": can_import(request.user),
            "columns": eppgbm.COLUMNS,
        },
    )


def eppgbm_export(request):
    """e-PPGBM by-name xlsx of a month: ``?posyandu=<id>``, ``?puskesmas=<id>`` (its working area) or
    ``?wilayah=<code>`` (desa, kecamatan … inside the user's scope; the user's own area by default),
    ``?bulan=2026-03``."""
    month = _month(request)
    posyandu_pk = query_id(request, "posyandu")
    posyandu = _posyandu(request, posyandu_pk) if posyandu_pk else None
    puskesmas = (
        None
        if posyandu
        else puskesmas_selectors.puskesmas_for_user(user=request.user, pk=query_id(request, "puskesmas"))
    )
    reader = within_puskesmas(request.user, puskesmas)  # ?puskesmas=<id>: its working area
    area = None if posyandu or puskesmas else selectors.area_for_user(request.user, query_area_code(request, "wilayah"))
    visits = eppgbm.measurements(user=reader, month=month, area=area, posyandu=posyandu)
    content = eppgbm.workbook(visits, user=request.user, month=month)
    where = (
        f"posyandu-{posyandu.pk}" if posyandu else (puskesmas.code if puskesmas else (area.code if area else "semua"))
    )
    return excel.response(content, f"eppgbm-{where}-{month:%Y-%m}.xlsx")


class EppgbmUploadForm(forms.Form):
    berkas = forms.FileField(
        label=gettext_lazy("Berkas e-PPGBM (by name)"),
        help_text=gettext_lazy("xlsx, atau .xls unduhan e-PPGBM (tabel HTML). Paling besar 5 MB."),
    )

    def clean_berkas(self) -> bytes:
        upload = self.cleaned_data["berkas"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("Berkas lebih dari 5 MB."))
        return upload.read()


def _require_importer(request) -> None:
    if not can_import(request.user):
        raise PermissionDenied(_("Impor e-PPGBM dilakukan operator desa."))


def eppgbm_import(request, pk: int):
    """Upload, then the preview: every row's outcome, nothing saved yet."""
    posyandu = _posyandu(request, pk)
    _require_importer(request)
    form = EppgbmUploadForm(request.POST or None, request.FILES or None)
    context = {"posyandu": posyandu, "form": form}
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["berkas"]
        try:
            rows = importer.parse(content, request.FILES["berkas"].name)
        except importer.FileRefused as error:
            context["file_problems"] = error.messages
        else:
            result = importer.eppgbm_import(posyandu=posyandu, user=request.user, rows=rows, commit=False)
            digest = hashlib.sha256(content).hexdigest()
            if result.ok:
                request.session[SESSION_KEY] = {
                    "posyandu": posyandu.pk,
                    "content": base64.b64encode(content).decode(),
                    "digest": digest,
                }
            context.update(result=result, digest=digest)
        status = 200 if context.get("result") and context["result"].ok else 400
        return render(request, "laporan/format/eppgbm_import.html", context, status=status)
    return render(request, "laporan/format/eppgbm_import.html", context, status=400 if form.is_bound else 200)


@require_POST
def eppgbm_import_confirm(request, pk: int):
    """Import the previewed file: all rows in one transaction, or nothing."""
    posyandu = _posyandu(request, pk)
    _require_importer(request)
    stored = request.session.get(SESSION_KEY) or {}
    if stored.get("posyandu") != posyandu.pk or stored.get("digest") != request.POST.get("digest"):
        messages.error(request, _("Pratinjau impor sudah tidak berlaku: unggah berkasnya lagi."))
        return redirect("format:eppgbm_import", pk=posyandu.pk)
    content = base64.b64decode(stored["content"])
    try:
        rows = importer.parse(content)
    except importer.FileRefused as error:  # the stored file was read before: a changed reader
        raise Http404(str(error)) from error
    result = importer.eppgbm_import(posyandu=posyandu, user=request.user, rows=rows, commit=True)
    del request.session[SESSION_KEY]
    if not result.committed:
        messages.error(request, _("Impor dibatalkan, tidak ada yang disimpan: ada baris yang ditolak."))
        return redirect("format:eppgbm_import", pk=posyandu.pk)
    messages.success(
        request,
        _("Impor selesai: %(people)s anak baru, %(visits)s pengukuran baru.")
        % {"people": result.new_people, "visits": result.new_visits},
    )
    return redirect(reverse("format:posyandu", kwargs={"pk": posyandu.pk}))


def _sip_params(request, pk: int):
    posyandu = _posyandu(request, pk)
    year = periods.year_or_404(request.GET.get("tahun"), default=dates.today().year)
    only = query_choice(request, "buku", sip.BOOK_CODES) or None
    return posyandu, year, only


def sip_pdf(request, pk: int):
    """The SIP books F1, F2, F4, F5, F6 (and what F3 would need) of a posyandu and year, landscape;
    ``?buku=F2`` for one book."""
    posyandu, year, only = _sip_params(request, pk)
    books = [] if only == "F3" else sip.books(posyandu, year, user=request.user, only=only)
    content = render_pdf(
        "laporan/sip/buku.html",
        {
            "posyandu": posyandu,
            "year": year,
            "books": books,
            "with_f3": only in (None, "F3"),
            "f3_needs": sip.F3_NEEDS,
            "printed_at": dates.localtime(),
        },
    )
    response = HttpResponse(content, content_type="application/pdf")
    name = f"sip-{(only or 'semua').lower()}-{posyandu.pk}-{year}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def sip_excel(request, pk: int):
    posyandu, year, only = _sip_params(request, pk)
    books = [] if only == "F3" else sip.books(posyandu, year, user=request.user, only=only)
    return excel.response(sip.workbook(posyandu, year, books), f"sip-{posyandu.pk}-{year}.xlsx")


def _puskesmas_param(request):
    """``?puskesmas=<id>`` in the user's scope (404 outside); a Puskesmas officer's own by default."""
    puskesmas = puskesmas_selectors.puskesmas_for_user(user=request.user, pk=query_id(request, "puskesmas"))
    if puskesmas is None and request.user.role == Role.PUSKESMAS:
        puskesmas = request.user.puskesmas
    return puskesmas


def _recap(request) -> tuple[dict, str]:
    """The recap's context and file name: of ``?puskesmas=`` (its working area, one row per desa), or of
    ``?wilayah=`` (a kecamatan, or any area in the user's scope; the user's own by default), ``?bulan=``."""
    month = _month(request)
    puskesmas = _puskesmas_param(request)
    area = None if puskesmas else selectors.area_for_user(request.user, query_area_code(request, "wilayah"))
    context = rekap_puskesmas.recap(user=request.user, area=area, month=month, puskesmas=puskesmas)
    if puskesmas is not None:
        area_name = _("Wilayah kerja %(name)s") % {"name": puskesmas.name}
        where = puskesmas.code
    else:
        area_name = area.display_name if area else _("Seluruh wilayah")
        where = area.code if area else "semua"
    context.update(
        area_name=area_name,
        row_kind=_("posyandu") if area is not None and ind.child_group(area) is None else _("desa"),
        printed_at=dates.localtime(),
    )
    return context, f"rekap-puskesmas-{where}-{month:%Y-%m}"


def rekap_puskesmas_pdf(request):
    """The monthly recap a Puskesmas sends on, landscape (``_recap``)."""
    context, name = _recap(request)
    content = render_pdf("laporan/sip/rekap_puskesmas.html", context)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def rekap_puskesmas_excel(request):
    """The same recap as Excel."""
    context, name = _recap(request)
    return excel.response(rekap_puskesmas.workbook(context), f"{name}.xlsx")
