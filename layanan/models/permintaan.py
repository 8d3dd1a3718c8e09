"""Cross-sector service requests of the five fields other than kesehatan: their status history, their
documents, and the holidays behind their 5-working-day deadline."""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from posyandu.models import Keluarga, Opd, Posyandu, SpmField, Warga
from posyandu.monthlock import MonthGuard, Watch
from posyandu.scope import ScopePaths

# The fields this module serves (kesehatan has its own models above).
BIDANG_FIELDS = (
    SpmField.PENDIDIKAN,
    SpmField.SOSIAL,
    SpmField.PERUMAHAN_RAKYAT,
    SpmField.PEKERJAAN_UMUM,
    SpmField.TRANTIBUM_LINMAS,
)
BIDANG_CHOICES = [(value, label) for value, label in SpmField.choices if value in BIDANG_FIELDS]


# ---------------------------------------------------------------------------------------------
# Service requests
# ---------------------------------------------------------------------------------------------
class HariLibur(models.Model):
    """A public holiday or collective leave day (cuti bersama): not a working day. Admins edit it."""

    date = models.DateField(_("tanggal"), unique=True, error_messages={"unique": _("Tanggal ini sudah ada.")})
    name = models.CharField(_("keterangan"), max_length=120)

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.name}"


class PermintaanLayanan(models.Model):
    """A request for a service to a household or person, following the official case flow:
    dicatat → diverifikasi (home visit by the desa) → diteruskan (to a named OPD or the kecamatan) →
    [diterima by the OPD →] selesai, or ditolak with a reason. Due 5 working days after verification."""

    class Kind(models.TextChoices):
        RTLH = "rtlh", _("Perbaikan rumah (RTLH)")
        BANSOS = "bansos", _("Bantuan sosial")
        PAUD = "paud", _("Penempatan PAUD / sekolah")
        AIR_SANITASI = "air_sanitasi", _("Air bersih / sanitasi / jamban")
        TRAUMA = "trauma", _("Pendampingan trauma / korban")
        DISABILITAS = "disabilitas", _("Bantuan penyandang disabilitas")
        BENCANA = "bencana", _("Bantuan korban bencana")
        ADMINDUK = "adminduk", _("Dokumen kependudukan")
        LAINNYA = "lainnya", _("Lainnya")

    class Status(models.TextChoices):
        DICATAT = "dicatat", _("Dicatat")
        DIVERIFIKASI = "diverifikasi", _("Diverifikasi desa")
        DITERUSKAN = "diteruskan", _("Diteruskan")
        DITERIMA = "diterima", _("Diterima OPD")
        SELESAI = "selesai", _("Selesai")
        DITOLAK = "ditolak", _("Ditolak")

    class Destination(models.TextChoices):
        KECAMATAN = "kecamatan", _("Kecamatan")
        OPD = "opd", _("OPD pengampu")
        # Before OPD were named (forwarded_opd), a forward named only the kind of agency: kept readable.
        DINSOS = "dinsos", _("Dinas Sosial")
        DISDIK = "disdik", _("Dinas Pendidikan")
        PU = "pu", _("Dinas PU")
        PERKIM = "perkim", _("Dinas Perkim")
        SATPOL_BPBD = "satpol_bpbd", _("Satpol PP / BPBD")
        DUKCAPIL = "dukcapil", _("Dukcapil")
        LAINNYA = "lainnya", _("OPD lain")

    OPEN = (Status.DICATAT, Status.DIVERIFIKASI, Status.DITERUSKAN, Status.DITERIMA)
    LEGACY_DESTINATIONS = (
        Destination.DINSOS,
        Destination.DISDIK,
        Destination.PU,
        Destination.PERKIM,
        Destination.SATPOL_BPBD,
        Destination.DUKCAPIL,
        Destination.LAINNYA,
    )
    SCOPE_PATHS = ScopePaths(posyandu="posyandu", area="posyandu__desa__code", opd="forwarded_opd")
    MONTH_GUARD = MonthGuard(
        posyandu=("posyandu",),
        # Each step counts in the month it was taken; the request itself in the month it was recorded.
        watches=(
            Watch(
                "recorded_on", fields=("posyandu", "field", "kind", "keluarga", "warga", "description", "recorded_on")
            ),
            Watch("verified_on", fields=("verified_on", "due_on")),
            Watch("forwarded_on", fields=("forwarded_to", "forwarded_opd", "forwarded_on")),
            Watch("accepted_on", fields=("accepted_on",)),
            Watch("closed_on", fields=("closed_on", "rejection_reason")),
        ),
    )  # posyandu.monthlock

    posyandu = models.ForeignKey(Posyandu, verbose_name=_("posyandu"), on_delete=models.PROTECT, related_name="+")
    field = models.CharField(_("bidang"), max_length=20, choices=BIDANG_CHOICES)
    kind = models.CharField(_("jenis layanan"), max_length=20, choices=Kind.choices)
    keluarga = models.ForeignKey(
        Keluarga, verbose_name=_("keluarga"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    warga = models.ForeignKey(
        Warga, verbose_name=_("warga"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    description = models.TextField(_("uraian kebutuhan"), max_length=2000)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.DICATAT)
    recorded_on = models.DateField(_("tanggal dicatat"))
    verified_on = models.DateField(_("tanggal verifikasi"), null=True, blank=True)
    due_on = models.DateField(_("batas waktu"), null=True, blank=True)
    forwarded_to = models.CharField(_("diteruskan ke"), max_length=15, choices=Destination.choices, blank=True)
    forwarded_opd = models.ForeignKey(
        Opd, verbose_name=_("OPD tujuan"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    forwarded_on = models.DateField(_("tanggal diteruskan"), null=True, blank=True)
    accepted_on = models.DateField(_("tanggal diterima OPD"), null=True, blank=True)
    closed_on = models.DateField(_("tanggal selesai/ditolak"), null=True, blank=True)
    rejection_reason = models.CharField(_("alasan ditolak"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    history = HistoricalRecords()  # audit trail: who changed what, when

    class Meta:
        verbose_name = _("permintaan layanan")
        verbose_name_plural = _("permintaan layanan")
        ordering = ["-recorded_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(keluarga__isnull=False) | Q(warga__isnull=False),
                name="permintaan_for_household_or_person",
                violation_error_message=_("Pilih keluarga atau warga yang dilayani."),
            ),
            models.CheckConstraint(
                condition=Q(status="dicatat", verified_on__isnull=True, due_on__isnull=True)
                | Q(status="ditolak", verified_on__isnull=True, due_on__isnull=True)
                | (~Q(status="dicatat") & Q(verified_on__isnull=False, due_on__gt=F("verified_on"))),
                name="permintaan_verified_has_deadline",
                violation_error_message=_(
                    "Permintaan yang diverifikasi harus punya tanggal verifikasi dan batas waktu."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(status="ditolak") & ~Q(rejection_reason=""))
                | (~Q(status="ditolak") & Q(rejection_reason="")),
                name="permintaan_rejection_reason",
                violation_error_message=_("Permintaan yang ditolak wajib diberi alasan."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["selesai", "ditolak"], closed_on__isnull=False)
                | (~Q(status__in=["selesai", "ditolak"]) & Q(closed_on__isnull=True)),
                name="permintaan_closed_on_when_closed",
                violation_error_message=_("Tanggal selesai diisi tepat ketika permintaan selesai atau ditolak."),
            ),
            models.CheckConstraint(
                condition=(Q(forwarded_on__isnull=True) & Q(forwarded_to=""))
                | (Q(forwarded_on__isnull=False) & ~Q(forwarded_to="")),
                name="permintaan_forwarded_together",
                violation_error_message=_("Isi tujuan dan tanggal diteruskan bersama-sama."),
            ),
            models.CheckConstraint(
                condition=(Q(forwarded_to="opd") & Q(forwarded_opd__isnull=False))
                | (~Q(forwarded_to="opd") & Q(forwarded_opd__isnull=True)),
                name="permintaan_forwarded_opd_named",
                violation_error_message=_("Permintaan yang diteruskan ke OPD harus menyebut OPD-nya."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["diteruskan", "diterima"]) | Q(forwarded_on__isnull=False),
                name="permintaan_forwarded_has_date",
                violation_error_message=_("Permintaan yang diteruskan harus punya tujuan dan tanggal diteruskan."),
            ),
            models.CheckConstraint(
                condition=(Q(status="diterima") & Q(accepted_on__isnull=False, forwarded_opd__isnull=False))
                | (~Q(status="diterima") & Q(accepted_on__isnull=True))
                | (Q(status__in=["selesai", "ditolak"]) & Q(forwarded_opd__isnull=False)),
                name="permintaan_accepted_by_opd",
                violation_error_message=_("Hanya permintaan yang diteruskan ke OPD yang dapat diterima OPD."),
            ),
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | Q(accepted_on__gte=F("forwarded_on")),
                name="permintaan_accepted_after_forwarded",
                violation_error_message=_("Tanggal diterima tidak boleh sebelum tanggal diteruskan."),
            ),
        ]
        indexes = [
            models.Index(fields=["posyandu", "status", "due_on"], name="permintaan_status_due_idx"),
            models.Index(fields=["forwarded_opd", "status", "due_on"], name="permintaan_opd_queue_idx"),
            models.Index(fields=["field", "recorded_on"], name="permintaan_field_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.subject_name}"

    def get_absolute_url(self) -> str:
        return reverse("bidang:permintaan_detail", kwargs={"pk": self.pk})

    @property
    def subject_name(self) -> str:
        if self.warga_id:
            return self.warga.name
        return self.keluarga.head_name if self.keluarga_id else ""

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    def is_overdue(self, today) -> bool:
        return self.is_open and self.due_on is not None and today > self.due_on

    @property
    def destination_display(self) -> str:
        """Where it was forwarded: the OPD by name, the kecamatan, or an old-style kind of agency."""
        if self.forwarded_opd_id:
            return self.forwarded_opd.name
        return self.get_forwarded_to_display()


class RiwayatStatusPermintaan(models.Model):
    """One change of a request's status: who, when, and a note."""

    SCOPE_PATHS = ScopePaths(
        posyandu="permintaan__posyandu", area="permintaan__posyandu__desa__code", opd="permintaan__forwarded_opd"
    )
    MONTH_GUARD = MonthGuard(posyandu=("permintaan__posyandu",), watches=(Watch("changed_at"),))  # posyandu.monthlock

    permintaan = models.ForeignKey(
        PermintaanLayanan, verbose_name=_("permintaan"), on_delete=models.CASCADE, related_name="riwayat"
    )
    from_status = models.CharField(
        _("dari status"), max_length=15, choices=PermintaanLayanan.Status.choices, blank=True
    )
    to_status = models.CharField(_("ke status"), max_length=15, choices=PermintaanLayanan.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("waktu"), auto_now_add=True)
    note = models.CharField(_("catatan"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("riwayat status permintaan")
        verbose_name_plural = _("riwayat status permintaan")
        ordering = ["permintaan_id", "changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"


def _dokumen_path(instance: "DokumenPermintaan", filename: str) -> str:
    extension = os.path.splitext(filename)[1].lower()
    return f"permintaan/{instance.permintaan_id}/{uuid.uuid4().hex}{extension}"


class DokumenPermintaan(models.Model):
    """A document attached to a request (KTP/KK copy, photo of the house, letter). Stored under
    MEDIA_ROOT, which no web server serves: it is downloaded only through a scoped view."""

    class Kind(models.TextChoices):
        KTP_KK = "ktp_kk", _("KTP / KK")
        FOTO = "foto", _("Foto kondisi")
        SURAT = "surat", _("Surat keterangan / pengantar")
        BERITA_ACARA = "berita_acara", _("Berita acara kunjungan")
        LAINNYA = "lainnya", _("Lainnya")

    CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}
    SCOPE_PATHS = ScopePaths(
        posyandu="permintaan__posyandu", area="permintaan__posyandu__desa__code", opd="permintaan__forwarded_opd"
    )
    MONTH_GUARD = MonthGuard(posyandu=("permintaan__posyandu",), watches=(Watch("uploaded_at"),))  # posyandu.monthlock

    permintaan = models.ForeignKey(
        PermintaanLayanan, verbose_name=_("permintaan"), on_delete=models.CASCADE, related_name="dokumen"
    )
    kind = models.CharField(_("jenis dokumen"), max_length=15, choices=Kind.choices)
    file = models.FileField(_("berkas"), upload_to=_dokumen_path, max_length=200)
    original_name = models.CharField(_("nama berkas"), max_length=200)
    content_type = models.CharField(_("jenis berkas"), max_length=40)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diunggah oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        verbose_name = _("dokumen permintaan")
        verbose_name_plural = _("dokumen permintaan")
        ordering = ["permintaan_id", "uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="dokumen_permintaan_content_type",
                violation_error_message=_("Hanya berkas PDF, JPG atau PNG."),
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
