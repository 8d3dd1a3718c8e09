"""e-PPGBM by-name data (the Ministry of Health's nutrition register): the layout, and the export.

The layout (``COLUMNS``) lives in ``layanan/eppgbm_layout.py``: the export writes its headers in order, and the
import (``layanan/eppgbm_import.py``) finds its columns by the same headers. The list is the columns
several public projects read from e-PPGBM's by-name downloads; e-PPGBM's own upload template could not
be confirmed (README, "e-PPGBM"), so a changed header or order is one edit here.

The Puskesmas column is the desa's Puskesmas on the month's last day (its working area, with history).
Columns we have no data for stay empty and say why in ``note``: TB Lahir (birth length is not
recorded), PMT Diterima (kg) (PMT is recorded as given, not weighed) and KPSP (development screening
is not recorded).
"""

import datetime
import io
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from laporan.excel import HEADER_FILL
from layanan.eppgbm_layout import COLUMNS, HEADERS, POSITION_WORDS, ExportRow, age_at_measurement  # noqa: F401
from layanan.growth import GrowthCode
from layanan.models import Kunjungan
from posyandu import dates
from posyandu.models import LifeStage, Posyandu, Wilayah, can_see_full_nik
from posyandu.puskesmas.selectors import puskesmas_names_of
from posyandu.scope import area_filter, scoped


def safe_text(value: str) -> str:
    """Text that a spreadsheet never reads as a formula (``=…`` gets a leading apostrophe)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def save(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GROWTH_CODES = set(GrowthCode.values)


def measurements(
    *, user, month: datetime.date, area: Wilayah | None = None, posyandu: Posyandu | None = None
) -> QuerySet:
    """The balita measurements (weight or length/height) of a reporting month in the user's scope,
    of one posyandu or of an area (desa, kecamatan …), one row per child and visit, each with how many
    vitamin A capsules the child had received up to that visit."""
    capsules = (
        Kunjungan.objects.filter(warga=OuterRef("warga"), visit_date__lte=OuterRef("visit_date"))
        .exclude(vitamin_a="")
        .order_by()
        .values("warga")
        .annotate(n=Count("pk"))
        .values("n")
    )
    visits = scoped(Kunjungan.objects.all(), user).filter(
        Q(weight_kg__isnull=False) | Q(height_cm__isnull=False), stage=LifeStage.BALITA, reporting_month=month
    )
    if posyandu is not None:
        visits = visits.filter(posyandu=posyandu)
    elif area is not None:
        visits = visits.filter(area_filter("posyandu__desa__code", area.code))
    return (
        visits.select_related("warga__keluarga", "warga__mother", "posyandu__desa__parent__parent__parent")
        .annotate(vitamin_a_count=Coalesce(Subquery(capsules, output_field=IntegerField()), 0))
        .order_by("posyandu__desa__code", "posyandu__name", "warga__name", "warga__birth_date", "visit_date", "pk")
    )


def workbook(visits, *, user, month: datetime.date | None = None) -> bytes:
    """The by-name sheet: ``COLUMNS`` as headers, one row per measurement; NIK in full only for those
    who may see a posyandu's numbers in bulk (``can_see_full_nik(bulk=True)``), masked otherwise."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Data"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    sheet.freeze_panes = "C2"
    allowed: dict[int, bool] = {}
    visits = list(visits)
    # Each desa's Puskesmas on the month's last day (one query): the working area with its history.
    on = dates.month_end(month) if month else dates.today()
    puskesmas = puskesmas_names_of(desa_codes={v.posyandu.desa_id for v in visits}, on=on)
    for visit in visits:
        if visit.posyandu_id not in allowed:
            allowed[visit.posyandu_id] = can_see_full_nik(user, visit.posyandu, bulk=True)
        row = ExportRow(
            visit=visit, show_nik=allowed[visit.posyandu_id], puskesmas=puskesmas.get(visit.posyandu.desa_id, "")
        )
        values = []
        for column in COLUMNS:
            value = column.value(row)
            if isinstance(value, Decimal):
                value = float(value)
            elif isinstance(value, str):
                value = safe_text(value)
            values.append(value)
        sheet.append(values)
        for index, column in enumerate(COLUMNS, start=1):
            if column.number_format:
                sheet.cell(row=sheet.max_row, column=index).number_format = column.number_format
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = column.width
    notes = book.create_sheet(_("Keterangan"))
    notes.append([_("Kolom"), _("Keterangan")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        if column.note:
            notes.append([column.header, column.note])
    notes.append(
        [
            "NIK",
            _("NIK lengkap hanya untuk pengurus, operator desa dan admin posyandu itu; selain itu disamarkan."),
        ]
    )
    layout = _("Kolom mengikuti unduhan by-name e-PPGBM; templat unggah resmi belum dikonfirmasi.")
    notes.append([_("Tata letak"), layout])
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["B"].width = 90
    return save(book)
