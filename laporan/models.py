"""The monthly report of a posyandu and its lifecycle.

pengurus submit (diajukan) → the desa verifies (diverifikasi) → the kecamatan approves (disetujui),
or either returns it with a comment (dikembalikan) to be corrected and submitted again. An approved
month is locked (``posyandu.models.BulanTerkunci``); an admin may reopen it. Every step is a row of
``RiwayatLaporan`` (who, when, from which status to which, the comment).

The figures themselves are not copied into the report: they are computed from the month's records
by ``laporan.indicators`` whenever they are shown, so a report can never disagree with its data
(and the lock guarantees the data of an approved month do not change).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from posyandu.models import Posyandu
from posyandu.scope import ScopePaths


class LaporanBulanan(models.Model):
    class Status(models.TextChoices):
        DRAF = "draf", _("Belum diajukan")
        DIAJUKAN = "diajukan", _("Diajukan")
        DIVERIFIKASI = "diverifikasi", _("Diverifikasi desa")
        DISETUJUI = "disetujui", _("Disetujui kecamatan")
        DIKEMBALIKAN = "dikembalikan", _("Dikembalikan")

    SCOPE_PATHS = ScopePaths(posyandu="posyandu", area="posyandu__desa__code")

    posyandu = models.ForeignKey(
        Posyandu, verbose_name=_("posyandu"), on_delete=models.PROTECT, related_name="laporan_bulanan"
    )
    month = models.DateField(_("bulan laporan"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAF)
    submitted_at = models.DateTimeField(_("diajukan pada"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diajukan oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("diverifikasi pada"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diverifikasi oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("disetujui pada"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disetujui oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.TextField(_("catatan terakhir"), blank=True)
    notes = models.TextField(_("catatan posyandu"), blank=True)
    # The F2 table (S, K, D … by age band and sex) as it was approved, shown while the month stays
    # approved: the records can still change what a live count of that month says (laporan.rekap.freeze).
    approved_skdn = models.JSONField(_("tabel SKDN yang disetujui"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords()  # audit trail: who changed what, when

    class Meta:
        verbose_name = _("laporan bulanan")
        verbose_name_plural = _("laporan bulanan")
        ordering = ["-month", "posyandu__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["posyandu", "month"],
                name="laporan_one_per_posyandu_month",
                violation_error_message=_("Laporan bulan ini untuk posyandu ini sudah ada."),
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="laporan_month_first_day"),
            models.CheckConstraint(
                condition=Q(status="draf") | Q(submitted_at__isnull=False),
                name="laporan_submitted_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="disetujui") | Q(approved_at__isnull=False),
                name="laporan_approved_has_date",
            ),
        ]
        indexes = [models.Index(fields=["month", "status"], name="laporan_month_status_idx")]

    def __str__(self) -> str:
        return f"{self.posyandu} — {self.month:%m/%Y}"

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.DISETUJUI


class RiwayatLaporan(models.Model):
    """One step of a report's lifecycle."""

    class Action(models.TextChoices):
        AJUKAN = "ajukan", _("Diajukan")
        VERIFIKASI = "verifikasi", _("Diverifikasi")
        SETUJUI = "setujui", _("Disetujui")
        KEMBALIKAN = "kembalikan", _("Dikembalikan")
        BUKA_KEMBALI = "buka_kembali", _("Dibuka kembali oleh admin")

    SCOPE_PATHS = ScopePaths(posyandu="laporan__posyandu", area="laporan__posyandu__desa__code")

    laporan = models.ForeignKey(LaporanBulanan, on_delete=models.CASCADE, related_name="riwayat")
    action = models.CharField(_("tindakan"), max_length=12, choices=Action.choices)
    from_status = models.CharField(_("dari status"), max_length=12, choices=LaporanBulanan.Status.choices)
    to_status = models.CharField(_("ke status"), max_length=12, choices=LaporanBulanan.Status.choices)
    comment = models.TextField(_("catatan"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat laporan")
        verbose_name_plural = _("riwayat laporan")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.laporan}: {self.get_action_display()}"


class RekapBulanan(models.Model):
    """The monthly rollup: each measure of ``laporan.indicators`` for one posyandu and month, as the
    live computation gives it (``compute(group=POSYANDU, period=Period.month(month))``).

    Maintained by ``laporan.rekap``: writes mark their posyandu dirty from the month they touch (same
    transaction, ``RekapKotor``), readers refresh what is dirty in their area before reading. A
    month's value for any area is the sum over its posyandu, so dashboards read a few thousand rows
    instead of aggregating a year of visits."""

    # The posyandu's desa, copied so that scope, area filters and grouping by kecamatan need no join
    # (a posyandu moved to another desa is marked stale from the beginning and rewritten).
    SCOPE_PATHS = ScopePaths(posyandu="posyandu", area="desa_code")

    posyandu = models.ForeignKey(Posyandu, on_delete=models.CASCADE, related_name="+")
    desa_code = models.CharField(max_length=13)
    month = models.DateField()
    measure = models.CharField(max_length=40)
    value = models.IntegerField()
    computed_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "posyandu", "measure"], name="rekap_one_value_per_measure")
        ]
        # Dashboards ask for some measures over some months in an area, summed by area, month or
        # posyandu (strata, red flags): an index-only scan (docs/scaling.md has the EXPLAIN ANALYZE).
        indexes = [
            models.Index(
                fields=["measure", "month", "desa_code"],
                include=["value", "posyandu"],
                name="rekap_measure_month_area_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.posyandu_id} {self.month:%Y-%m} {self.measure}={self.value}"


class RekapKecamatan(models.Model):
    """The monthly rollup summed per kecamatan: what ``RekapBulanan`` holds for the kecamatan's
    posyandu, added up. Kept by ``laporan.rekap`` in the same transaction as the posyandu rows it sums;
    a kabupaten's trend and league table read a dozen kecamatan instead of a thousand posyandu."""

    # Area-level rows: scoped by the kecamatan code (read only for users whose area is a kecamatan or
    # larger; a desa or posyandu user reads the posyandu rows).
    SCOPE_PATHS = ScopePaths(posyandu=None, area="kecamatan_code")

    kecamatan_code = models.CharField(max_length=8)
    month = models.DateField()
    measure = models.CharField(max_length=40)
    value = models.IntegerField()  # counts: SUM over it reads back as an int, not a Decimal

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "kecamatan_code", "measure"], name="rekap_kecamatan_one_value_per_measure"
            )
        ]
        indexes = [
            models.Index(
                fields=["measure", "month", "kecamatan_code"], include=["value"], name="rekap_kec_measure_month_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kecamatan_code} {self.month:%Y-%m} {self.measure}={self.value}"


class RekapBulan(models.Model):
    """A month held in the rollup for every posyandu, and the settings its values were computed with
    (minimum kader, report deadline): when those change, the month is computed again."""

    month = models.DateField(primary_key=True)
    fingerprint = models.CharField(max_length=60)
    # The day the measures that change with the date alone (overdue requests, late reports) were last
    # brought up to that day; null for a month computed before this was kept.
    dated_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} ({self.fingerprint})"


class RekapKotor(models.Model):
    """A posyandu whose rollup is stale from ``dirty_from`` onwards. ``version`` grows with every mark,
    so a refresh clears only the mark it read (a write during the refresh stays marked)."""

    posyandu = models.OneToOneField(Posyandu, on_delete=models.CASCADE, primary_key=True, related_name="+")
    dirty_from = models.DateField()
    version = models.BigIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.posyandu_id} since {self.dirty_from:%Y-%m}"
