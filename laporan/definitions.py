"""One-line definitions of the catalogue's indicators: numerator, denominator and source, in words.

Shown on the dashboard (hover or tap on an indicator) and in the rakor pack, so a reader knows what
a figure counts without asking. Every measure an indicator reads has a label here
(``tests/laporan/test_definitions.py``)."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from laporan import indicators as ind
from posyandu.models import SpmField

SOURCE_LABELS = {
    "balita_weighing": _("penimbangan bulanan balita (satu per anak per bulan)"),
    "balita_height": _("pengukuran panjang/tinggi terakhir tiap balita dalam periode"),
    "balita_weight": _("penimbangan terakhir tiap balita dalam periode"),
    "registered": _("register warga pada hari terakhir periode"),
    "baduta": _("register anak 12–23 bulan dan catatan imunisasinya"),
    "other_visits": _("kunjungan ibu hamil, remaja, usia produktif dan lansia"),
    "pendidikan": _("status sekolah terakhir tiap anak"),
    "hari_buka": _("hari buka posyandu"),
    "posyandu": _("data posyandu, hari buka 12 bulan terakhir dan kader aktif"),
    "kader": _("kader aktif pada akhir periode dan pelatihannya"),
    "laporan": _("laporan bulanan posyandu"),
    "survei": _("survei keluarga terakhir tiap keluarga"),
    "keluarga": _("keluarga terdaftar atau sudah disurvei pada akhir periode"),
    "kegiatan": _("kegiatan bidang yang dicatat posyandu"),
    "kejadian": _("kejadian yang dicatat posyandu"),
    "permintaan": _("permintaan layanan warga"),
}

MEASURE_LABELS = {
    "balita_s": _("balita 0–59 bulan terdaftar (S)"),
    "balita_k": _("balita terdaftar yang punya Buku KIA/KMS (K)"),
    "balita_d": _("balita ditimbang bulan itu (D)"),
    "balita_n": _("balita yang berat badannya naik (N)"),
    "balita_nt": _("balita ditimbang dengan kode N atau T (tanpa B dan O)"),
    "balita_2t": _("balita dua kali berturut-turut tidak naik (2T)"),
    "balita_bgm": _("balita di bawah garis merah (BB/U < −3 SD)"),
    "measured_height": _("balita diukur panjang/tinggi badannya"),
    "stunted": _("balita dengan TB/U < −2 SD"),
    "measured_wflh": _("balita dengan BB/TB terukur"),
    "wasted": _("balita dengan BB/TB < −2 SD"),
    "gizi_buruk": _("balita dengan BB/TB < −3 SD"),
    "measured_weight": _("balita dengan BB/U terukur"),
    "underweight": _("balita dengan BB/U < −2 SD"),
    "baduta_12_23": _("anak 12–23 bulan terdaftar"),
    "idl": _("anak 12–23 bulan yang sudah menerima semua dosis imunisasi dasar"),
    "vitamin_a_target": _("balita 6–59 bulan terdaftar (hanya periode Februari/Agustus)"),
    "vitamin_a_given": _("balita 6–59 bulan yang menerima kapsul vitamin A"),
    "bumil_muac": _("ibu hamil yang diukur LiLA-nya"),
    "bumil_kek": _("ibu hamil dengan LiLA < 23,5 cm"),
    "remaja_registered": _("remaja terdaftar"),
    "remaja_screened": _("remaja yang diperiksa"),
    "produktif_registered": _("warga usia produktif terdaftar"),
    "produktif_screened": _("warga usia produktif yang diperiksa"),
    "lansia_registered": _("lansia terdaftar"),
    "lansia_screened": _("lansia yang diperiksa"),
    "hipertensi": _("usia produktif dan lansia dengan tanda hipertensi"),
    "children_5_6": _("anak 5–6 tahun terdaftar"),
    "paud_5_6": _("anak 5–6 tahun yang status sekolah terakhirnya PAUD"),
    "out_of_school_7_15": _("anak 7–15 tahun yang tidak/putus sekolah"),
    "households": _("keluarga yang ada pada akhir periode"),
    "households_surveyed": _("keluarga yang sudah disurvei"),
    "safe_water": _("keluarga dengan air minum layak dan cukup"),
    "proper_latrine": _("keluarga dengan jamban layak"),
    "rtlh": _("keluarga yang rumahnya tidak layak huni"),
    "disaster_damaged": _("keluarga yang rumahnya rusak karena bencana"),
    "poor": _("keluarga miskin"),
    "poor_bansos": _("keluarga miskin yang menerima bansos"),
    "disabled_members": _("anggota keluarga penyandang disabilitas"),
    "neglected": _("lansia dan anak terlantar"),
    "kejadian": _("kejadian dalam periode"),
    "kejadian_people": _("orang terdampak kejadian dalam periode"),
    "permintaan_opened": _("permintaan layanan yang dicatat dalam periode"),
    "permintaan_done": _("permintaan layanan yang selesai dalam periode"),
    "rtlh_repaired": _("permintaan perbaikan RTLH yang selesai dalam periode"),
    "posyandu_active": _("posyandu aktif pada akhir periode"),
    "posyandu_opened": _("posyandu yang membuka hari buka dalam periode"),
    "posyandu_open8": _("posyandu yang buka sedikitnya 8 dari 12 bulan terakhir"),
    "posyandu_min_kader": _("posyandu dengan kader aktif sebanyak minimal kabupaten"),
    "posyandu_aktif": _("posyandu yang buka ≥ 8 dari 12 bulan dan kadernya cukup"),
    "laporan_submitted": _("posyandu yang sudah mengajukan laporan bulanan"),
    "laporan_approved": _("posyandu yang laporannya disetujui kecamatan"),
    "laporan_late": _("posyandu yang laporannya terlambat atau belum masuk setelah batas"),
    "kader_active": _("kader aktif"),
    "kader_trained": _("kader aktif yang pernah dilatih di bidangnya"),
    "kader_utama": _("kader jenjang Utama"),
}
for _field, _label in SpmField.choices:
    MEASURE_LABELS[f"kader_{_field}"] = format_lazy(_("kader aktif bidang {}"), _label)
    MEASURE_LABELS[f"kader_trained_{_field}"] = format_lazy(_("kader aktif bidang {} yang sudah dilatih"), _label)
    MEASURE_LABELS[f"kegiatan_{_field}"] = format_lazy(_("kegiatan bidang {} dalam periode"), _label)
    MEASURE_LABELS[f"permintaan_overdue_{_field}"] = format_lazy(
        _("permintaan bidang {} yang masih terbuka melewati 5 hari kerja"), _label
    )


def definition(indicator: "ind.Indicator") -> str:
    """``Pembilang: … · Penyebut: … · Sumber: …`` (a count: ``Jumlah: … · Sumber: …``)."""
    sources = dict.fromkeys(str(SOURCE_LABELS[ind.MEASURES[code].source]) for code in indicator.measures)
    source = "; ".join(sources)
    if indicator.is_ratio:
        text = _("Pembilang: %(num)s. Penyebut: %(den)s. Sumber: %(source)s.") % {
            "num": MEASURE_LABELS[indicator.numerator],
            "den": MEASURE_LABELS[indicator.denominator],
            "source": source,
        }
    else:
        text = _("Jumlah %(num)s. Sumber: %(source)s.") % {"num": MEASURE_LABELS[indicator.numerator], "source": source}
    return f"{text} {indicator.note}".strip() if indicator.note else str(text)
