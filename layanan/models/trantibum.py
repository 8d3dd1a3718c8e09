"""Trantibum linmas incidents; domestic violence is always confidential."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from posyandu.models import Posyandu
from posyandu.monthlock import MonthGuard, Watch
from posyandu.scope import ScopePaths


# ---------------------------------------------------------------------------------------------
# Trantibum incidents
# ---------------------------------------------------------------------------------------------
class Kejadian(models.Model):
    """An incident reported at a posyandu. Confidential ones are seen only by whoever recorded
    them, the desa operator and above (see ``layanan.permissions.roles.can_see_confidential``)."""

    class Kind(models.TextChoices):
        BENCANA = "bencana", _("Bencana alam (banjir, longsor, angin)")
        KEBAKARAN = "kebakaran", _("Kebakaran")
        KETERTIBAN = "ketertiban", _("Gangguan ketertiban umum")
        KDRT = "kdrt", _("Laporan KDRT")
        KENAKALAN_REMAJA = "kenakalan_remaja", _("Kenakalan remaja")
        KRIMINAL = "kriminal", _("Pencurian / kriminalitas")
        LAINNYA = "lainnya", _("Lainnya")

    # Always confidential, whatever the kader ticks.
    ALWAYS_CONFIDENTIAL = (Kind.KDRT,)
    SCOPE_PATHS = ScopePaths(posyandu="posyandu", area="posyandu__desa__code")
    MONTH_GUARD = MonthGuard(posyandu=("posyandu",), watches=(Watch("occurred_on"),))  # posyandu.monthlock

    posyandu = models.ForeignKey(Posyandu, verbose_name=_("posyandu"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis kejadian"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("tanggal kejadian"))
    place = models.CharField(_("tempat"), max_length=200)
    people_affected = models.PositiveIntegerField(_("orang terdampak"), default=0)
    houses_damaged = models.PositiveIntegerField(_("rumah rusak"), default=0)
    description = models.TextField(_("uraian"), max_length=2000)
    action_taken = models.CharField(_("tindakan / tindak lanjut"), max_length=500, blank=True)
    confidential = models.BooleanField(_("rahasia"), default=False)
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
        verbose_name = _("kejadian")
        verbose_name_plural = _("kejadian")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="kdrt") | Q(confidential=True),
                name="kejadian_kdrt_confidential",
                violation_error_message=_("Laporan KDRT selalu rahasia."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.occurred_on:%d-%m-%Y}"

    def get_absolute_url(self) -> str:
        return reverse("bidang:kejadian_detail", kwargs={"pk": self.pk})
