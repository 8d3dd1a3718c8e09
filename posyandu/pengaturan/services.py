"""Writes of the kabupaten's settings: every change is a new version (``PengaturanKabupaten``)."""

import datetime
from collections.abc import Collection
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from posyandu import dates
from posyandu.models import Posyandu, Wilayah
from posyandu.pengaturan.models import PengaturanKabupaten
from posyandu.pengaturan.permissions import require_settings_editor
from posyandu.saving import record_save
from posyandu.signals import data_changed


def pengaturan_kabupaten_ubah(
    *,
    by,
    kabupaten: Wilayah,
    valid_from: datetime.date,
    min_kader: int,
    min_kader_per_field: int,
    deadline_day: int,
    targets: dict[str, Decimal | float | None],
    reason: str,
    target_codes: Collection[str],
) -> PengaturanKabupaten:
    """Record a new version of ``kabupaten``'s settings, in force from ``valid_from``'s month.

    ``targets``: indicator code -> target in percent (None: the catalogue's); ``target_codes`` are the
    codes of the catalogue that take a target (the caller's, which reads the catalogue). The figures of
    every posyandu of the kabupaten are computed again from that month (an approved month keeps the
    figures frozen at its approval: ``laporan.rekap.freeze``)."""
    require_settings_editor(by, kabupaten.code)
    unknown = sorted(code for code in targets if code not in target_codes)
    if unknown:
        raise ValidationError({"targets": _("Indikator tidak dikenal: %(codes)s.") % {"codes": ", ".join(unknown)}})
    version = PengaturanKabupaten(
        kabupaten=kabupaten,
        valid_from=dates.month_start(valid_from),
        min_kader=min_kader,
        min_kader_per_field=min_kader_per_field,
        deadline_day=deadline_day,
        targets={code: str(value) for code, value in targets.items() if value is not None},
        reason=(reason or "").strip(),
        changed_by=by,
    )
    with transaction.atomic():
        record_save(version)
        ids = Posyandu.objects.filter(desa__code__startswith=kabupaten.code + ".").values_list("pk", flat=True)
        data_changed.send(sender=PengaturanKabupaten, posyandu_ids=list(ids), since=version.valid_from)
    return version
