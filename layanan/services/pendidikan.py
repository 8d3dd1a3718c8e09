"""Writes of children's schooling. Keyword-only, ``<noun>_<verb>``, Indonesian ``ValidationError`` messages."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from layanan.models import (
    PendidikanAnak,
)
from layanan.services.checks import ensure_not_future
from posyandu import dates
from posyandu.models import Warga
from posyandu.monthlock import month_ensure_open
from posyandu.saving import record_save

DUPLICATE = gettext_lazy("Status sekolah anak ini sudah dicatat pada tanggal tersebut.")


def pendidikan_record(
    *, warga: Warga, recorded_on: datetime.date, status: str, user, school_name: str = "", reason: str = ""
) -> PendidikanAnak:
    """Record a child's schooling on a date (PAUD, school level, or out of school with a reason)."""
    ensure_not_future(recorded_on, "recorded_on", _("Tanggal didata"))
    if warga.birth_date and warga.birth_date > dates.add_years(recorded_on, -2):
        raise ValidationError({"status": _("Anak belum berumur 2 tahun pada tanggal ini.")})
    if status in PendidikanAnak.OUT_OF_SCHOOL:
        if not reason:
            raise ValidationError({"reason": _("Pilih alasan anak tidak sekolah.")})
    else:
        reason = ""
    month_ensure_open(posyandu=warga.posyandu_id, month=recorded_on)
    if PendidikanAnak.objects.filter(warga=warga, recorded_on=recorded_on).exists():
        raise ValidationError({"recorded_on": DUPLICATE})
    record = PendidikanAnak(
        warga=warga,
        recorded_on=recorded_on,
        status=status,
        school_name=school_name.strip(),
        reason=reason,
        recorded_by=user,
    )
    record_save(record, constraint_errors={"pendidikan_anak_one_per_date": {"recorded_on": DUPLICATE}})
    return record
