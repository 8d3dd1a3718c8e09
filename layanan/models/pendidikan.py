"""Schooling of children (pendidikan): one dated status per child."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from posyandu.models import Warga
from posyandu.monthlock import MonthGuard, Watch
from posyandu.scope import ScopePaths


# ---------------------------------------------------------------------------------------------
# Schooling of children (PAUD participation, out-of-school children)
# ---------------------------------------------------------------------------------------------
class PendidikanAnak(models.Model):
    """A child's schooling on a date. The latest record per child is current."""

    class Status(models.TextChoices):
        PAUD = "paud", _("PAUD (TK/KB/TPA/SPS)")
        SD = "sd", _("SD / MI")
        SMP = "smp", _("SMP / MTs")
        SMA = "sma", _("SMA / SMK / MA")
        BELUM_SEKOLAH = "belum_sekolah", _("Belum ikut PAUD / belum sekolah")
        PUTUS_SEKOLAH = "putus_sekolah", _("Putus sekolah")
        TIDAK_PERNAH = "tidak_pernah", _("Tidak pernah sekolah")

    class Reason(models.TextChoices):
        BIAYA = "biaya", _("Biaya")
        BEKERJA = "bekerja", _("Bekerja / membantu orang tua")
        JARAK = "jarak", _("Sekolah jauh")
        DISABILITAS = "disabilitas", _("Disabilitas")
        MENIKAH = "menikah", _("Menikah")
        TIDAK_MAU = "tidak_mau", _("Tidak mau sekolah")
        LAINNYA = "lainnya", _("Lainnya")

    OUT_OF_SCHOOL = (Status.PUTUS_SEKOLAH, Status.TIDAK_PERNAH)
    SCOPE_PATHS = ScopePaths(posyandu="warga__posyandu", area="warga__posyandu__desa__code")
    MONTH_GUARD = MonthGuard(posyandu=("warga__posyandu",), watches=(Watch("recorded_on"),))  # posyandu.monthlock

    warga = models.ForeignKey(Warga, verbose_name=_("anak"), on_delete=models.PROTECT, related_name="pendidikan_set")
    recorded_on = models.DateField(_("tanggal didata"))
    status = models.CharField(_("status sekolah"), max_length=20, choices=Status.choices)
    school_name = models.CharField(_("nama sekolah / PAUD"), max_length=120, blank=True)
    reason = models.CharField(_("alasan tidak sekolah"), max_length=20, choices=Reason.choices, blank=True)
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
        verbose_name = _("pendidikan anak")
        verbose_name_plural = _("pendidikan anak")
        ordering = ["warga_id", "-recorded_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["warga", "recorded_on"],
                name="pendidikan_anak_one_per_date",
                violation_error_message=_("Status sekolah anak ini sudah dicatat pada tanggal tersebut."),
            ),
            models.CheckConstraint(
                condition=(Q(status__in=["putus_sekolah", "tidak_pernah"]) & ~Q(reason=""))
                | (~Q(status__in=["putus_sekolah", "tidak_pernah"]) & Q(reason="")),
                name="pendidikan_anak_reason_when_out_of_school",
                violation_error_message=_("Alasan diisi hanya untuk anak yang tidak sekolah, dan wajib untuknya."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.warga} — {self.get_status_display()} ({self.recorded_on:%d-%m-%Y})"
