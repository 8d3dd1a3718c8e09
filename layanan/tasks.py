"""What each field's kader does, in one sentence: shown on their field's home and on the posyandu home."""

from django.utils.translation import gettext_lazy as _

from posyandu.models import SpmField

# What each field's kader records, shown on their home page.
FIELD_TASKS = {
    SpmField.PENDIDIKAN: _(
        "Catat status sekolah anak 3–15 tahun (PAUD, putus sekolah), sesi parenting/BKB dan literasi."
    ),
    SpmField.SOSIAL: _(
        "Survei keluarga miskin, penerima bansos, disabilitas dan warga terlantar; ajukan permintaan bansos."
    ),
    SpmField.PERUMAHAN_RAKYAT: _("Survei kondisi rumah (RTLH) dan kerusakan bencana; ajukan perbaikan rumah."),
    SpmField.PEKERJAAN_UMUM: _("Survei air minum, jamban, air limbah dan sampah; catat bank sampah dan kerja bakti."),
    SpmField.TRANTIBUM_LINMAS: _("Catat kejadian (bencana, kebakaran, KDRT, ketertiban), patroli dan kegiatan Linmas."),
    SpmField.KESEHATAN: _("Data kesehatan dicatat di menu Hari buka; di sini Anda mencatat penyuluhan kesehatan."),
}
