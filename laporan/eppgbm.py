"""e-PPGBM by-name data (the Ministry of Health's nutrition register): the layout, and the export.

``COLUMNS`` is the one place the layout lives: the export writes these headers in this order, and the
import (``layanan/eppgbm_import.py``) finds its columns by the same headers. The list is the columns
several public projects read from e-PPGBM's by-name downloads; e-PPGBM's own upload template could not
be confirmed (README, "e-PPGBM"), so a changed header or order is one edit here.

Columns we have no data for stay empty and say why in ``note``: Puskesmas (Puskesmas areas are not in
the system yet), TB Lahir (birth length is not recorded), PMT Diterima (kg) (PMT is recorded as given,
not weighed) and KPSP (development screening is not recorded).
"""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from laporan.excel import HEADER_FILL
from layanan.growth import GrowthCode, LhfaCategory, Position, WfaCategory, WflhCategory
from layanan.models import Kunjungan
from posyandu import dates
from posyandu.models import LifeStage, Posyandu, Wilayah, can_see_full_nik, mask_nik
from posyandu.scope import area_filter, scoped

# How e-PPGBM spells the measuring position (the import also accepts the KMS words and L/H).
POSITION_WORDS = {Position.TERLENTANG: "Terlentang", Position.BERDIRI: "Berdiri"}
YES, NO = "Ya", "Tidak"


@dataclass(frozen=True)
class Column:
    header: str  # as in e-PPGBM's by-name download
    key: str  # the import's name for it
    value: Callable  # (row: ExportRow) -> cell value
    width: int = 12
    number_format: str | None = None
    note: str = ""  # why a column is always empty


@dataclass
class ExportRow:
    visit: Kunjungan
    show_nik: bool

    @property
    def warga(self):
        return self.visit.warga

    @property
    def area(self) -> dict[str, Wilayah | None]:
        desa = self.visit.posyandu.desa
        kecamatan = desa.parent
        kabupaten = kecamatan.parent if kecamatan else None
        return {"desa": desa, "kec": kecamatan, "kab": kabupaten, "prov": kabupaten.parent if kabupaten else None}

    @property
    def keluarga(self):
        return self.warga.keluarga


def age_at_measurement(birth_date: datetime.date, on: datetime.date) -> str:
    """e-PPGBM's "Usia Saat Ukur": ``1 Tahun - 2 Bulan - 5 Hari``."""
    months = dates.months_between(birth_date, on)
    days = dates.age_in_days(dates.add_months(birth_date, months), on)
    return f"{months // 12} Tahun - {months % 12} Bulan - {days} Hari"


def _name(area: Wilayah | None) -> str:
    return area.name if area else ""


def _label(choices, value) -> str:
    return str(choices(value).label) if value else ""


COLUMNS: tuple[Column, ...] = (
    Column("NIK", "nik", lambda r: r.warga.nik if r.show_nik else mask_nik(r.warga.nik), 19),
    Column("Nama", "nama", lambda r: r.warga.name, 24),
    Column("JK", "jk", lambda r: r.warga.sex, 4),
    Column("Tgl Lahir", "tgl_lahir", lambda r: r.warga.birth_date, 11, "dd-mm-yyyy"),
    Column("BB Lahir", "bb_lahir", lambda r: r.warga.birth_weight_kg, 8),
    Column("TB Lahir", "tb_lahir", lambda r: None, 8, note="Panjang lahir tidak dicatat."),
    Column("Nama Ortu", "nama_ortu", lambda r: r.warga.mother_display, 22),
    Column("Prov", "prov", lambda r: _name(r.area["prov"]), 16),
    Column("Kab/Kota", "kab", lambda r: _name(r.area["kab"]), 16),
    Column("Kec", "kec", lambda r: _name(r.area["kec"]), 16),
    Column("Puskesmas", "puskesmas", lambda r: None, 14, note="Wilayah kerja Puskesmas belum ada di sistem."),
    Column("Desa/Kel", "desa", lambda r: _name(r.area["desa"]), 16),
    Column("Posyandu", "posyandu", lambda r: r.visit.posyandu.name, 18),
    Column("RT", "rt", lambda r: r.keluarga.rt if r.keluarga else "", 5),
    Column("RW", "rw", lambda r: r.keluarga.rw if r.keluarga else "", 5),
    Column("Alamat", "alamat", lambda r: r.keluarga.address if r.keluarga else "", 24),
    Column("Usia Saat Ukur", "usia", lambda r: age_at_measurement(r.warga.birth_date, r.visit.visit_date), 22),
    Column("Tanggal Pengukuran", "tgl_ukur", lambda r: r.visit.visit_date, 12, "dd-mm-yyyy"),
    Column("Berat", "berat", lambda r: r.visit.weight_kg, 7),
    Column("Tinggi", "tinggi", lambda r: r.visit.height_cm, 7),
    Column("Cara Ukur", "cara_ukur", lambda r: POSITION_WORDS.get(r.visit.position, ""), 11),
    Column("LiLA", "lila", lambda r: r.visit.muac_cm, 6),
    Column("BB/U", "bbu", lambda r: _label(WfaCategory, r.visit.cat_wfa), 22),
    Column("ZS BB/U", "zs_bbu", lambda r: r.visit.z_wfa, 8),
    Column("TB/U", "tbu", lambda r: _label(LhfaCategory, r.visit.cat_lhfa), 14),
    Column("ZS TB/U", "zs_tbu", lambda r: r.visit.z_lhfa, 8),
    Column("BB/TB", "bbtb", lambda r: _label(WflhCategory, r.visit.cat_wflh), 18),
    Column("ZS BB/TB", "zs_bbtb", lambda r: r.visit.z_wflh, 8),
    Column("Naik Berat Badan", "naik_bb", lambda r: r.visit.growth_code, 8),
    Column("PMT Diterima (kg)", "pmt_kg", lambda r: None, 9, note="PMT dicatat diberi/tidak, tanpa berat."),
    Column("Jml Vit A", "jml_vit_a", lambda r: r.visit.vitamin_a_count, 7),
    Column("KPSP", "kpsp", lambda r: None, 6, note="Skrining perkembangan (KPSP) belum dicatat."),
    Column("KIA", "kia", lambda r: YES if r.warga.has_buku_kia else NO, 6),
)
HEADERS = tuple(column.header for column in COLUMNS)


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


def workbook(visits, *, user) -> bytes:
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
    for visit in visits:
        if visit.posyandu_id not in allowed:
            allowed[visit.posyandu_id] = can_see_full_nik(user, visit.posyandu, bulk=True)
        row = ExportRow(visit=visit, show_nik=allowed[visit.posyandu_id])
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
