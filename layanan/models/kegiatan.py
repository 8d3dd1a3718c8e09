"""Monthly activities of every SPM field (penyuluhan, kerja bakti, ...), counted by the reports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from posyandu.models import Posyandu, SpmField
from posyandu.monthlock import MonthGuard, Watch
from posyandu.scope import ScopePaths


# ---------------------------------------------------------------------------------------------
# Monthly activities
# ---------------------------------------------------------------------------------------------
class Kegiatan(models.Model):
    """An activity held by a posyandu in one field, counted in an explicit reporting month."""

    class Kind(models.TextChoices):
        KIE = "kie", _("KIE / penyuluhan")
        PARENTING = "parenting", _("Parenting / BKB")
        LITERASI = "literasi", _("Perpustakaan / literasi")
        APE = "ape", _("Alat permainan edukatif (APE)")
        BANK_SAMPAH = "bank_sampah", _("Bank sampah")
        KERJA_BAKTI = "kerja_bakti", _("Kerja bakti / sanitasi")
        PHBS = "phbs", _("PHBS / pekarangan / biopori")
        PATROLI = "patroli", _("Patroli / ronda")
        LINMAS = "linmas", _("Kegiatan Linmas / siaga bencana")
        BANSOS = "bansos", _("Penyaluran bansos")
        INKLUSI = "inklusi", _("Edukasi gender / disabilitas / inklusi")
        LAINNYA = "lainnya", _("Lainnya")

    SCOPE_PATHS = ScopePaths(posyandu="posyandu", area="posyandu__desa__code")
    MONTH_GUARD = MonthGuard(
        posyandu=("posyandu",), watches=(Watch("reporting_month"), Watch("date"))
    )  # posyandu.monthlock

    posyandu = models.ForeignKey(Posyandu, verbose_name=_("posyandu"), on_delete=models.PROTECT, related_name="+")
    field = models.CharField(_("bidang"), max_length=20, choices=SpmField.choices)
    kind = models.CharField(_("jenis kegiatan"), max_length=20, choices=Kind.choices)
    topic = models.CharField(_("topik"), max_length=200)
    date = models.DateField(_("tanggal"))
    reporting_month = models.DateField(_("bulan laporan"))
    attendance_men = models.PositiveIntegerField(_("peserta laki-laki"), default=0)
    attendance_women = models.PositiveIntegerField(_("peserta perempuan"), default=0)
    place = models.CharField(_("tempat"), max_length=120, blank=True)
    notes = models.CharField(_("catatan"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    history = HistoricalRecords()  # audit trail: who changed what, when

    class Meta:
        verbose_name = _("kegiatan")
        verbose_name_plural = _("kegiatan")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reporting_month__day=1),
                name="kegiatan_reporting_month_first_day",
                violation_error_message=_("Bulan laporan disimpan sebagai tanggal 1."),
            ),
            models.CheckConstraint(
                condition=Q(attendance_men__lte=5000, attendance_women__lte=5000),
                name="kegiatan_attendance_plausible",
                violation_error_message=_("Jumlah peserta paling banyak 5.000."),
            ),
        ]
        indexes = [models.Index(fields=["posyandu", "reporting_month", "field"], name="kegiatan_month_field_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.topic} ({self.date:%d-%m-%Y})"

    @property
    def attendance(self) -> int:
        return self.attendance_men + self.attendance_women
