"""Writes of monthly activities. Keyword-only, ``<noun>_<verb>``, Indonesian ``ValidationError`` messages."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from layanan.models import (
    Kegiatan,
)
from layanan.services.checks import ensure_not_future
from posyandu import dates
from posyandu.models import Posyandu
from posyandu.monthlock import month_ensure_open
from posyandu.saving import record_save


# ---------------------------------------------------------------------------------------------
# Activities and incidents
# ---------------------------------------------------------------------------------------------
def kegiatan_record(
    *,
    posyandu: Posyandu,
    field: str,
    kind: str,
    topic: str,
    date: datetime.date,
    user,
    reporting_month: datetime.date | None = None,
    attendance_men: int = 0,
    attendance_women: int = 0,
    place: str = "",
    notes: str = "",
) -> Kegiatan:
    """Record an activity; the reporting month defaults to the month of its date."""
    ensure_not_future(date, "date", _("Tanggal kegiatan"))
    month = dates.month_start(reporting_month or date)
    months_apart = dates.calendar_months_apart(month, date)
    if not 0 <= months_apart <= 1:
        raise ValidationError({"reporting_month": _("Bulan laporan harus bulan kegiatan atau bulan sebelumnya.")})
    month_ensure_open(posyandu=posyandu, month=month)
    if attendance_men + attendance_women == 0:
        raise ValidationError({"attendance_women": _("Isi jumlah peserta (laki-laki dan/atau perempuan).")})
    kegiatan = Kegiatan(
        posyandu=posyandu,
        field=field,
        kind=kind,
        topic=" ".join(topic.split()),
        date=date,
        reporting_month=month,
        attendance_men=attendance_men,
        attendance_women=attendance_women,
        place=place.strip(),
        notes=notes.strip(),
        recorded_by=user,
    )
    record_save(kegiatan)
    return kegiatan
