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

from posyandu.models import Posyandu, SpmField
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


class Rakor(models.Model):
    """A coordination meeting (rapat koordinasi) of a Tim Pembina: its area (a kabupaten or a
    kecamatan), its date and the period whose figures it discussed. Its decisions follow."""

    SCOPE_PATHS = ScopePaths(posyandu=None, area="wilayah__code")

    wilayah = models.ForeignKey(
        "posyandu.Wilayah", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="rakor"
    )
    held_on = models.DateField(_("tanggal rapat"))
    period = models.CharField(_("periode yang dibahas"), max_length=7)  # posyandu.periods param: 2026-03
    period_end = models.DateField(_("akhir periode yang dibahas"), editable=False)
    notes = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("rapat koordinasi")
        verbose_name_plural = _("rapat koordinasi")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["wilayah", "held_on"],
                name="rakor_one_per_area_day",
                violation_error_message=_("Rakor wilayah ini pada tanggal itu sudah dicatat."),
            ),
        ]

    def __str__(self) -> str:
        return f"Rakor {self.wilayah} {self.held_on:%d/%m/%Y}"

    @property
    def period_label(self) -> str:
        """The period discussed in words ("Februari 2026", "Triwulan 1 2026")."""
        from laporan import indicators  # the catalogue imports this module

        return str(indicators.parse_period(self.period, default=self.period_end).label)


class KeputusanRakor(models.Model):
    """One decision of a rakor: what, for which SPM field, who is responsible, by when, and where it stands.

    The responsible party is one of: an OPD pengampu of the meeting's kabupaten serving the decision's
    field (``opd``: its officers update the status), or an area inside the meeting's area (``wilayah_pj``:
    its desa operator or Tim Pembina updates it); ``responsible`` is a free-text note beside either, or
    the only party when it is neither (the meeting's team then follows it up). Each status change is a
    row of ``RiwayatKeputusan`` (from, to, note, date, who)."""

    class Status(models.TextChoices):
        BELUM = "belum", _("Belum dikerjakan")
        BERJALAN = "berjalan", _("Sedang berjalan")
        SELESAI = "selesai", _("Selesai")
        BATAL = "batal", _("Batal")

    OPEN = (Status.BELUM, Status.BERJALAN)
    KELEMBAGAAN = "kelembagaan"
    FIELD_CHOICES = [*SpmField.choices, (KELEMBAGAAN, _("Kelembagaan posyandu"))]

    # Seen by the meeting's area and by the responsible area (a kecamatan team sees the kabupaten's
    # decisions assigned to its kecamatan or to one of its desa; a desa operator those assigned to its desa);
    # an OPD officer sees those assigned to their OPD only.
    SCOPE_PATHS = ScopePaths(posyandu=None, area=("rakor__wilayah__code", "wilayah_pj__code"), opd="opd")

    rakor = models.ForeignKey(Rakor, verbose_name=_("rakor"), on_delete=models.CASCADE, related_name="keputusan")
    text = models.TextField(_("keputusan"), max_length=1000)
    field = models.CharField(_("bidang"), max_length=20, choices=FIELD_CHOICES)
    wilayah_pj = models.ForeignKey(
        "posyandu.Wilayah", verbose_name=_("wilayah penanggung jawab"), on_delete=models.PROTECT, null=True,
        blank=True, related_name="+",
    )  # fmt: skip
    opd = models.ForeignKey(
        "posyandu.Opd", verbose_name=_("OPD penanggung jawab"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="keputusan_rakor",
    )  # fmt: skip
    responsible = models.CharField(_("catatan penanggung jawab"), max_length=120, blank=True)
    deadline = models.DateField(_("batas waktu"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BELUM)
    status_note = models.TextField(_("catatan status"), blank=True)
    status_on = models.DateField(_("tanggal status"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("keputusan rakor")
        verbose_name_plural = _("keputusan rakor")
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wilayah_pj__isnull=False) | Q(opd__isnull=False) | ~Q(responsible=""),
                name="keputusan_has_responsible",
                violation_error_message=_("Pilih penanggung jawab: OPD atau wilayah."),
            ),
            models.CheckConstraint(
                condition=Q(wilayah_pj__isnull=True) | Q(opd__isnull=True),
                name="keputusan_one_responsible",
                violation_error_message=_("Pilih salah satu penanggung jawab: OPD atau wilayah, bukan keduanya."),
            ),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="keputusan_status_deadline_idx")]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def is_overdue(self, today) -> bool:
        return self.is_open and self.deadline < today

    @classmethod
    def opd_serves(cls, opd, field: str) -> bool:
        """An OPD answers for a decision of a field it serves; for kelembagaan (no OPD's own field), any."""
        return field == cls.KELEMBAGAAN or field in opd.fields

    @classmethod
    def opd_not_serving_message(cls, opd, field: str) -> str:
        label = dict(cls.FIELD_CHOICES).get(field, field)
        return _("%(opd)s tidak mengampu bidang %(field)s.") % {"opd": opd.short_name, "field": str(label).lower()}

    @property
    def responsible_party(self) -> str:
        """Who answers for it: the OPD's short name, the area's name, or (neither) the note."""
        if self.opd_id:
            return self.opd.short_name
        if self.wilayah_pj_id:
            return self.wilayah_pj.display_name
        return self.responsible

    @property
    def responsible_label(self) -> str:
        """The party and, beside an OPD or an area, the note ("Dinsos · bidang rehabilitasi")."""
        party = self.responsible_party
        note = self.responsible if (self.opd_id or self.wilayah_pj_id) else ""
        return " · ".join(part for part in (party, note) if part)


class RiwayatKeputusan(models.Model):
    """One step of a rakor decision: a status change with its note and date, or (``kind`` "ubah") an edit
    by the meeting's team of its text, field, deadline or responsible party, with the party before and
    after (as it was named then) and the other changes in words; the note is the reason."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Perubahan status")
        UBAH = "ubah", _("Keputusan diubah")

    SCOPE_PATHS = ScopePaths(
        posyandu=None, area=("keputusan__rakor__wilayah__code", "keputusan__wilayah_pj__code"), opd="keputusan__opd"
    )

    keputusan = models.ForeignKey(KeputusanRakor, on_delete=models.CASCADE, related_name="riwayat")
    from_status = models.CharField(_("dari status"), max_length=10, choices=KeputusanRakor.Status.choices)
    to_status = models.CharField(_("ke status"), max_length=10, choices=KeputusanRakor.Status.choices)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.STATUS)
    from_responsible = models.CharField(_("penanggung jawab sebelumnya"), max_length=200, blank=True)
    to_responsible = models.CharField(_("penanggung jawab baru"), max_length=200, blank=True)
    changes = models.TextField(_("perubahan lain"), blank=True)
    note = models.TextField(_("catatan"), blank=True)
    on = models.DateField(_("tanggal"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("riwayat keputusan rakor")
        verbose_name_plural = _("riwayat keputusan rakor")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        if self.kind == self.Kind.UBAH:
            return f"{self.keputusan_id}: {self.from_responsible} → {self.to_responsible}"
        return f"{self.keputusan_id}: {self.from_status} → {self.to_status}"

    @property
    def is_reassignment(self) -> bool:
        return self.kind == self.Kind.UBAH and self.from_responsible != self.to_responsible
