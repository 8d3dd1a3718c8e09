"""The settings a kabupaten decides for itself, kept as dated versions (``PengaturanKabupaten``).

Each change is a new row: the values from its month (``valid_from``) on, who made it and why. A month's
figures read the version in force for that month (``posyandu.pengaturan.selectors``), so changing the
minimum kader from next month leaves this year's figures alone; a kabupaten without any version uses
the installation's defaults (``POSYANDU_MIN_KADER``, ``POSYANDU_MIN_KADER_PER_FIELD``,
``LAPORAN_DEADLINE_DAY``, and each indicator's target in ``laporan.indicators``).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from posyandu.scope import ScopePaths

MIN_KADER_MAX = 50
MIN_KADER_PER_FIELD_MAX = 20
DEADLINE_DAY_MAX = 28  # every month has the day: the deadline of a February report is never missing
TARGET_MAX = 100


class PengaturanKabupaten(models.Model):
    """One version of a kabupaten's settings, in force from ``valid_from`` until a later version's month."""

    # Scoped by the kabupaten's code: the kabupaten team (and admins) see it in the audit trail.
    SCOPE_PATHS = ScopePaths(posyandu=None, area="kabupaten__code")

    kabupaten = models.ForeignKey(
        "posyandu.Wilayah",
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="settings_versions",
        limit_choices_to={"level": 2},
    )
    valid_from = models.DateField(_("berlaku mulai bulan"))
    min_kader = models.PositiveSmallIntegerField(
        _("jumlah kader minimal per posyandu"), validators=[MinValueValidator(1), MaxValueValidator(MIN_KADER_MAX)]
    )
    min_kader_per_field = models.PositiveSmallIntegerField(
        _("jumlah kader minimal per bidang SPM"),
        validators=[MinValueValidator(0), MaxValueValidator(MIN_KADER_PER_FIELD_MAX)],
    )
    deadline_day = models.PositiveSmallIntegerField(
        _("batas tanggal laporan bulanan"), validators=[MinValueValidator(1), MaxValueValidator(DEADLINE_DAY_MAX)]
    )
    # Indicator code -> target in percent, as text ("82.5"); only the targets that differ from the
    # catalogue's are kept. The codes are checked against the catalogue by the service's caller.
    targets = models.JSONField(_("target indikator"), default=dict, blank=True)
    reason = models.CharField(_("alasan perubahan"), max_length=255)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    history = HistoricalRecords()  # audit trail: who changed what, when

    class Meta:
        verbose_name = _("pengaturan kabupaten")
        verbose_name_plural = _("pengaturan kabupaten")
        ordering = ["kabupaten", "-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_from__day=1), name="pengaturan_valid_from_first_of_month"),
            models.CheckConstraint(
                condition=Q(deadline_day__gte=1, deadline_day__lte=DEADLINE_DAY_MAX),
                name="pengaturan_deadline_day_in_month",
            ),
            models.CheckConstraint(condition=Q(min_kader__gte=1), name="pengaturan_min_kader_positive"),
        ]
        indexes = [models.Index(fields=["kabupaten", "valid_from"], name="pengaturan_kab_month_idx")]

    def __str__(self) -> str:
        return f"{self.kabupaten_id} {self.valid_from:%Y-%m}"

    def clean(self) -> None:
        errors = {}
        if self.valid_from and self.valid_from.day != 1:
            errors["valid_from"] = _("Pilih bulan mulai berlaku.")
        if self.kabupaten_id and self.kabupaten.level != 2:
            errors["kabupaten"] = _("Pengaturan hanya untuk kabupaten/kota.")
        if not isinstance(self.targets, dict):
            errors["targets"] = _("Target indikator tidak terbaca.")
        else:
            for code, value in self.targets.items():
                try:
                    number = Decimal(str(value))
                except ArithmeticError:
                    number = None
                if number is None or not number.is_finite() or not 0 <= number <= TARGET_MAX:
                    errors["targets"] = _("Target %(code)s harus antara 0 dan 100 %%.") % {"code": code}
        if errors:
            raise ValidationError(errors)

    def target(self, code: str) -> float | None:
        """This version's target for the indicator ``code``, or None when it keeps the catalogue's."""
        value = self.targets.get(code) if isinstance(self.targets, dict) else None
        return None if value is None else float(value)
