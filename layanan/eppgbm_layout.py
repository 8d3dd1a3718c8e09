"""e-PPGBM's by-name layout: the columns, in order, and how each cell is read from a visit.

The one place the layout lives (it could not be confirmed against e-PPGBM's own upload template:
README): the export (``laporan.eppgbm``) writes these columns, the import (``layanan.eppgbm_import``)
finds its columns by the same headers. Here, in layanan, so that both can use it and dependencies
still point one way."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from layanan.growth import LhfaCategory, Position, WfaCategory, WflhCategory
from layanan.models import Kunjungan
from posyandu import dates
from posyandu.models import Wilayah, mask_nik

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
    puskesmas: str = ""  # the desa's Puskesmas on the month's last day (laporan.eppgbm)

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
    Column("Puskesmas", "puskesmas", lambda r: r.puskesmas or None, 14),
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
