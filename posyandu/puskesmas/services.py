"""Writes of Puskesmas and their working areas. Keyword-only; every write through ``record_save``.

A desa moves between Puskesmas with history: the open row of its current Puskesmas ends on the day
the new one starts (``valid_to`` is the first day it no longer belongs there). Periods of one desa never
overlap: the database refuses it (``wilayah_kerja_no_overlap_per_desa``), also for a period in the past."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from posyandu.models import OVERLAP_MESSAGE, Puskesmas, Wilayah, WilayahKerjaPuskesmas
from posyandu.saving import record_save, record_update

PUSKESMAS_FIELDS = ("code", "name", "kabupaten", "address")
CONSTRAINT_ERRORS = {
    "posyandu_puskesmas_code_key": {"code": _("Kode Puskesmas ini sudah dipakai.")},
    "puskesmas_unique_name_per_kabupaten": {"name": _("Sudah ada Puskesmas dengan nama ini di kabupaten tersebut.")},
}
AREA_ERRORS = {
    "wilayah_kerja_one_open_per_desa": _("Desa ini baru saja dimasukkan ke wilayah kerja Puskesmas lain; muat ulang."),
    "wilayah_kerja_one_start_per_desa_day": _("Desa ini sudah berpindah Puskesmas pada tanggal tersebut."),
    "wilayah_kerja_no_overlap_per_desa": OVERLAP_MESSAGE,
}


def puskesmas_create(*, code: str, name: str, kabupaten: Wilayah, address: str = "") -> Puskesmas:
    puskesmas = Puskesmas(code=code, name=" ".join(name.split()), kabupaten=kabupaten, address=address)
    return record_save(puskesmas, constraint_errors=CONSTRAINT_ERRORS)


def puskesmas_update(*, puskesmas: Puskesmas, **data) -> Puskesmas:
    if "kabupaten" in data and data["kabupaten"] != puskesmas.kabupaten and puskesmas.wilayah_kerja.exists():
        raise ValidationError(
            {"kabupaten": _("Puskesmas yang sudah punya wilayah kerja tidak dapat pindah kabupaten.")}
        )
    if "name" in data:
        data["name"] = " ".join(data["name"].split())
    return record_update(puskesmas, data=data, fields=PUSKESMAS_FIELDS, constraint_errors=CONSTRAINT_ERRORS)


def _open_row(desa: Wilayah) -> WilayahKerjaPuskesmas | None:
    return WilayahKerjaPuskesmas.objects.select_for_update().filter(desa=desa, valid_to__isnull=True).first()


def _close(row: WilayahKerjaPuskesmas, on: datetime.date) -> None:
    if on <= row.valid_from:
        raise ValidationError(
            {"valid_from": _("%(desa)s masuk %(puskesmas)s sejak %(since)s: tanggal pindah harus sesudahnya.")
             % {"desa": row.desa.display_name, "puskesmas": row.puskesmas.name, "since": f"{row.valid_from:%d-%m-%Y}"}}
        )  # fmt: skip
    row.valid_to = on
    record_save(row, constraint_errors=AREA_ERRORS)


@transaction.atomic
def wilayah_kerja_assign(*, puskesmas: Puskesmas, desa: Wilayah, since: datetime.date) -> WilayahKerjaPuskesmas:
    """Put ``desa`` in ``puskesmas``' working area from ``since`` on; its current Puskesmas' row ends then."""
    current = _open_row(desa)
    if current is not None and current.puskesmas_id == puskesmas.pk:
        raise ValidationError({"desa": _("%(desa)s sudah masuk wilayah kerja %(puskesmas)s.")
                               % {"desa": desa.display_name, "puskesmas": puskesmas.name}})  # fmt: skip
    later = WilayahKerjaPuskesmas.objects.filter(desa=desa, valid_from__gte=since)
    if current is None and later.exists():
        raise ValidationError({"valid_from": _("Desa ini punya riwayat Puskesmas sesudah tanggal tersebut.")})
    if current is not None:
        _close(current, since)
    row = WilayahKerjaPuskesmas(puskesmas=puskesmas, desa=desa, valid_from=since)
    return record_save(row, constraint_errors=AREA_ERRORS)


@transaction.atomic
def wilayah_kerja_release(*, puskesmas: Puskesmas, desa: Wilayah, on: datetime.date) -> WilayahKerjaPuskesmas:
    """Take ``desa`` out of ``puskesmas``' working area from ``on`` (it belongs to no Puskesmas then)."""
    current = _open_row(desa)
    if current is None or current.puskesmas_id != puskesmas.pk:
        raise ValidationError({"desa": _("Desa ini tidak sedang masuk wilayah kerja %(puskesmas)s.")
                               % {"puskesmas": puskesmas.name}})  # fmt: skip
    _close(current, on)
    return current


@transaction.atomic
def wilayah_kerja_end(*, row: WilayahKerjaPuskesmas, on: datetime.date) -> WilayahKerjaPuskesmas:
    """Correct the day ``row``'s period ends (``valid_to = on``, after its start), also of a past period:
    the fix for periods of one desa that overlap (``manage.py wilayah_kerja_overlaps``). The period may
    not overlap another of its desa afterwards."""
    row = WilayahKerjaPuskesmas.objects.select_for_update().select_related("desa", "puskesmas").get(pk=row.pk)
    _close(row, on)
    return row


@transaction.atomic
def wilayah_kerja_delete(*, row: WilayahKerjaPuskesmas) -> None:
    """Remove a period recorded by mistake (the audit history keeps the removed row)."""
    row.delete()
