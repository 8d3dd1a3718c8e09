"""The kabupaten's settings page (``/laporan/pengaturan/``): the values in force, the form of a new
version and the history of versions. The kabupaten's Tim Pembina and admins change them, the Tim
Pembina of its kecamatan read them, nobody else sees the page (``posyandu.pengaturan.permissions``)."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from laporan import indicators as ind
from laporan.forms import TARGET_PREFIX, PengaturanKabupatenForm
from posyandu import dates
from posyandu.models import Posyandu, Wilayah
from posyandu.params import query_area_code
from posyandu.pengaturan import selectors as pengaturan
from posyandu.pengaturan.permissions import can_edit_settings, can_view_settings
from posyandu.pengaturan.services import pengaturan_kabupaten_ubah

HISTORY_LIMIT = 100


def _kabupaten_with_posyandu():
    codes = {desa[:5] for desa in Posyandu.objects.values_list("desa_id", flat=True).distinct()}
    return Wilayah.objects.filter(level=Wilayah.Level.KABUPATEN, code__in=codes).order_by("name")


def _kabupaten_code(request) -> str | None:
    """The kabupaten the page is about: the user's own (a kabupaten or kecamatan team), or for an admin
    the one asked (``?wilayah=73.05``), else the first kabupaten with posyandu (a list offers the others)."""
    if request.user.is_admin_role and not request.user.wilayah_id:
        code = pengaturan.kabupaten_code(query_area_code(request, "wilayah"))
        if code is None:
            first = _kabupaten_with_posyandu().first()
            code = first.code if first else None
        return code
    return pengaturan.kabupaten_code(request.user.wilayah_id)


def pengaturan_kabupaten(request):
    """Show the settings in force, the history, and (for the kabupaten team) the form of a new version."""
    code = _kabupaten_code(request)
    if code is None or not can_view_settings(request.user, code):
        raise PermissionDenied(_("Pengaturan kabupaten hanya untuk Tim Pembina kabupaten dan kecamatan serta admin."))
    kabupaten = Wilayah.objects.filter(code=code, level=Wilayah.Level.KABUPATEN).first()
    if kabupaten is None:
        raise Http404("no such kabupaten")
    can_edit = can_edit_settings(request.user, code)
    current = pengaturan.kabupaten_settings(kabupaten=code, month=dates.this_month())
    form = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("Pengaturan kabupaten hanya dapat diubah Tim Pembina kabupaten dan admin."))
        form = PengaturanKabupatenForm(request.POST, current=current)
        if form.is_valid():
            try:
                pengaturan_kabupaten_ubah(
                    by=request.user,
                    kabupaten=kabupaten,
                    valid_from=form.cleaned_data["valid_from"],
                    min_kader=form.cleaned_data["min_kader"],
                    min_kader_per_field=form.cleaned_data["min_kader_per_field"],
                    deadline_day=form.cleaned_data["deadline_day"],
                    targets=form.targets(),
                    reason=form.cleaned_data["reason"],
                    target_codes=ind.target_codes(),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(request, _("Pengaturan kabupaten disimpan sebagai versi baru."))
                url = reverse("laporan:pengaturan")
                return redirect(f"{url}?wilayah={code}" if request.user.is_admin_role else url)
    elif can_edit:
        form = PengaturanKabupatenForm(current=current, initial={"valid_from": dates.this_month()})
    context = _context(kabupaten, current, form, can_edit)
    if request.user.is_admin_role and not request.user.wilayah_id:
        context["choices"] = _kabupaten_with_posyandu()
    return render(request, "laporan/pengaturan.html", context)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _context(kabupaten, current, form, can_edit) -> dict:
    targets = [
        (indicator, current.target(indicator.code, indicator.target))
        for indicator in (ind.INDICATORS[code] for code in ind.target_codes())
    ]
    history = list(pengaturan.versions(kabupaten.code).select_related("changed_by")[:HISTORY_LIMIT])
    names = {indicator.code: indicator.name for indicator, _target in targets}
    changes = [
        (version, [(names.get(code, code), Decimal(value)) for code, value in version.targets.items()])
        for version in history
    ]
    return {
        "kabupaten": kabupaten,
        "current": current,
        "targets": targets,
        "changed_targets": set(current.targets),
        "form": form,
        "can_edit": can_edit,
        "history": changes,
        "target_prefix": TARGET_PREFIX,
        "defaults": pengaturan.defaults(),
    }
