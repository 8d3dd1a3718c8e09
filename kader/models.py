"""Kader (cadres), their trainings (bimtek), competencies and levels (domain.md §5).

The level (Purwa / Madya / Utama) is computed from rules kept as data (``LevelRule``), never from
branches on the level's name; the result is stored on the kader so that coverage views count it in
SQL, and refreshed by the services whenever an assessment or a rule changes.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from posyandu import dates
from posyandu.fields import EncryptedIdentityField
from posyandu.models import NIK_RE, Posyandu, SpmField, Warga, Wilayah, mask_nik
from posyandu.monthlock import MonthGuard, Watch
from posyandu.params import ascii_digits_problem
from posyandu.scope import ScopePaths

# Service awards (domain.md §5): after 10, 20 and 30 years of service.
SERVICE_AWARD_YEARS = (10, 20, 30)


class KaderLevel(models.TextChoices):
    PURWA = "purwa", _("Purwa")
    MADYA = "madya", _("Madya")
    UTAMA = "utama", _("Utama")


class Kader(models.Model):
    """A kader serving one SPM field at one posyandu, from the SK that appointed them."""

    class Status(models.TextChoices):
        AKTIF = "aktif", _("Aktif")
        NONAKTIF = "nonaktif", _("Tidak aktif")

    SCOPE_PATHS = ScopePaths(posyandu="posyandu", area="posyandu__desa__code")
    MONTH_GUARD = MonthGuard(
        posyandu=("posyandu",),
        watches=(
            # (the level is recomputed from assessments, each guarded in the month it was made)
            Watch("start_date", fields=("warga", "posyandu", "field", "start_date")),
            Watch("end_date", fields=("status", "end_date")),
        ),
    )  # posyandu.monthlock

    warga = models.ForeignKey(
        Warga,
        verbose_name=_("data warga"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kader_set",
        help_text=_("Bila kader terdaftar di data warga."),
    )
    name = models.CharField(_("nama lengkap"), max_length=120)
    nik = EncryptedIdentityField(  # encrypted at rest (posyandu/crypto.py)
        _("NIK"),
        purpose="nik",
        null=True,
        blank=True,
        unique=True,
        error_messages={"unique": _("NIK ini sudah terdaftar untuk kader lain.")},
    )
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    posyandu = models.ForeignKey(
        Posyandu, verbose_name=_("posyandu"), on_delete=models.PROTECT, related_name="kader_set"
    )
    field = models.CharField(_("bidang SPM"), max_length=20, choices=SpmField.choices)
    sk_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    sk_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    start_date = models.DateField(_("mulai bertugas"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.AKTIF)
    end_date = models.DateField(_("berhenti pada"), null=True, blank=True)
    end_reason = models.CharField(_("alasan berhenti"), max_length=255, blank=True)
    level = models.CharField(
        _("jenjang"),
        max_length=10,
        choices=KaderLevel.choices,
        blank=True,
        help_text=_("Dihitung dari kompetensi yang lulus menurut aturan jenjang."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun login"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kader_profile",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords()  # audit trail: who changed what, when

    class Meta:
        verbose_name = _("kader")
        verbose_name_plural = _("kader")
        ordering = ["posyandu_id", "field", "name"]
        constraints = [
            models.CheckConstraint(
                # 16 digits is checked in clean(); the database sees only ciphertext and insists on it.
                condition=Q(nik__isnull=True) | Q(nik__ciphertext=True),
                name="kader_nik_encrypted",
                violation_error_message=_("NIK harus disimpan terenkripsi."),
            ),
            models.CheckConstraint(
                condition=Q(status="aktif", end_date__isnull=True, end_reason="")
                | (Q(status="nonaktif", end_date__isnull=False) & ~Q(end_reason="")),
                name="kader_inactive_needs_end_date_and_reason",
                violation_error_message=_("Kader tidak aktif harus diberi tanggal dan alasan berhenti."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="kader_end_after_start",
                violation_error_message=_("Tanggal berhenti tidak boleh sebelum mulai bertugas."),
            ),
            models.UniqueConstraint(
                fields=["warga"],
                condition=Q(warga__isnull=False, status="aktif"),
                name="kader_one_active_per_warga",
                violation_error_message=_("Warga ini sudah tercatat sebagai kader aktif."),
            ),
        ]
        indexes = [models.Index(fields=["posyandu", "status", "field"], name="kader_posyandu_status_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("kader:kader_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        self.name = " ".join((self.name or "").split())
        if self.nik == "":
            self.nik = None
        if self.nik and (problem := ascii_digits_problem(self.nik, label=_("NIK"))):
            errors["nik"] = problem
        elif self.nik and not NIK_RE.match(self.nik):
            errors["nik"] = _("NIK harus 16 digit angka.")
        today = dates.today()
        if self.start_date and self.start_date > today:
            errors["start_date"] = _("Tanggal mulai bertugas tidak boleh di masa depan.")
        if self.sk_date and self.sk_date > today:
            errors["sk_date"] = _("Tanggal SK tidak boleh di masa depan.")
        if self.status == self.Status.AKTIF:
            self.end_date = None
            self.end_reason = ""
        else:
            if not self.end_date:
                errors["end_date"] = _("Isi tanggal berhenti.")
            elif self.start_date and self.end_date < self.start_date:
                errors["end_date"] = _("Tanggal berhenti tidak boleh sebelum mulai bertugas.")
            if not (self.end_reason or "").strip():
                errors["end_reason"] = _("Isi alasan berhenti.")
        if self.user_id and (self.user.role != "kader" or self.user.posyandu_id != self.posyandu_id):
            errors["user"] = _("Akun login harus akun kader di posyandu yang sama.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.AKTIF

    @property
    def nik_masked(self) -> str:
        return mask_nik(self.nik)

    def years_of_service(self, on: datetime.date | None = None) -> int:
        end = self.end_date or on or dates.today()
        return max(dates.years_between(self.start_date, end), 0)

    def service_awards(self, on: datetime.date | None = None) -> list[dict]:
        """The 10/20/30-year awards: reached (with the date) or the next one ahead."""
        on = on or dates.today()
        rows = []
        for years in SERVICE_AWARD_YEARS:
            due = dates.add_years(self.start_date, years)
            reached = due <= (self.end_date or on)
            rows.append({"years": years, "date": due, "reached": reached, "this_year": due.year == on.year})
        return rows


class Pelatihan(models.Model):
    """A training event (bimtek, pelatihan): who organised it, in which field, when and where.

    It belongs to the area of its organiser (``wilayah``): the Tim Pembina of that area and above
    see it; a provinsi or pusat training is recorded under the kabupaten that sent its kader.
    """

    class OrganiserLevel(models.TextChoices):
        DESA = "desa", _("Desa/Kelurahan")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KABUPATEN = "kabupaten", _("Kabupaten/Kota")
        PROVINSI = "provinsi", _("Provinsi")
        PUSAT = "pusat", _("Pusat")

    # The area level a training of each organiser level is recorded under (None: any area).
    LEVEL_AREA = {
        OrganiserLevel.DESA: Wilayah.Level.DESA,
        OrganiserLevel.KECAMATAN: Wilayah.Level.KECAMATAN,
        OrganiserLevel.KABUPATEN: Wilayah.Level.KABUPATEN,
    }

    SCOPE_PATHS = ScopePaths(posyandu=None, area="wilayah__code")
    MONTH_GUARD = MonthGuard(
        posyandu=("peserta_set__kader__posyandu",),
        watches=(Watch("start_date", fields=("field", "start_date", "hours")), Watch("end_date", fields=("end_date",))),
    )  # posyandu.monthlock

    title = models.CharField(_("nama pelatihan"), max_length=200)
    organiser_level = models.CharField(_("tingkat penyelenggara"), max_length=10, choices=OrganiserLevel.choices)
    organiser_opd = models.CharField(
        _("OPD penyelenggara"), max_length=120, help_text=_("Misalnya Dinas Kesehatan, Dinas PMD, Dinas Sosial.")
    )
    field = models.CharField(_("bidang SPM"), max_length=20, choices=SpmField.choices)
    wilayah = models.ForeignKey(
        Wilayah, verbose_name=_("wilayah penyelenggara"), on_delete=models.PROTECT, related_name="pelatihan_set"
    )
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    hours = models.DecimalField(_("jumlah jam (JPL)"), max_digits=5, decimal_places=1, null=True, blank=True)
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
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
        verbose_name = _("pelatihan")
        verbose_name_plural = _("pelatihan")
        ordering = ["-start_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="pelatihan_end_after_start",
                violation_error_message=_("Tanggal selesai tidak boleh sebelum tanggal mulai."),
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gt=0, hours__lte=500),
                name="pelatihan_hours_positive",
                violation_error_message=_("Jumlah jam harus lebih dari 0 dan paling banyak 500."),
            ),
        ]
        indexes = [models.Index(fields=["wilayah", "start_date"], name="pelatihan_wilayah_start_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%d-%m-%Y})"

    def get_absolute_url(self) -> str:
        return reverse("kader:pelatihan_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
        if self.start_date and self.start_date > dates.today() + datetime.timedelta(days=366):
            errors["start_date"] = _("Tanggal mulai terlalu jauh di masa depan.")
        level = self.LEVEL_AREA.get(self.organiser_level)
        if level and self.wilayah_id and self.wilayah.level != level:
            errors["wilayah"] = _("Pelatihan tingkat %(level)s dicatat pada wilayah setingkat %(area)s.") % {
                "level": self.get_organiser_level_display(),
                "area": Wilayah.Level(level).label,
            }
        if errors:
            raise ValidationError(errors)

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def quarter(self) -> int:
        return (self.start_date.month - 1) // 3 + 1


class PesertaPelatihan(models.Model):
    """A kader taking part in a training: attendance and the certificate they received."""

    SCOPE_PATHS = ScopePaths(posyandu="kader__posyandu", area="kader__posyandu__desa__code")
    MONTH_GUARD = MonthGuard(
        posyandu=("kader__posyandu",), watches=(Watch("pelatihan__start_date"), Watch("pelatihan__end_date"))
    )  # posyandu.monthlock

    pelatihan = models.ForeignKey(
        Pelatihan, verbose_name=_("pelatihan"), on_delete=models.CASCADE, related_name="peserta_set"
    )
    kader = models.ForeignKey(Kader, verbose_name=_("kader"), on_delete=models.PROTECT, related_name="peserta_set")
    attended = models.BooleanField(_("hadir"), default=True)
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=80, blank=True)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    history = HistoricalRecords()  # audit trail: who changed what, when

    class Meta:
        verbose_name = _("peserta pelatihan")
        verbose_name_plural = _("peserta pelatihan")
        ordering = ["pelatihan_id", "kader__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["pelatihan", "kader"],
                name="peserta_one_per_kader_per_pelatihan",
                violation_error_message=_("Kader ini sudah terdaftar sebagai peserta pelatihan ini."),
            ),
            models.UniqueConstraint(
                fields=["pelatihan", "certificate_number"],
                condition=~Q(certificate_number=""),
                name="peserta_certificate_unique_per_pelatihan",
                violation_error_message=_("Nomor sertifikat ini sudah dipakai peserta lain."),
            ),
            models.CheckConstraint(
                condition=Q(attended=True) | Q(certificate_number=""),
                name="peserta_certificate_only_when_attended",
                violation_error_message=_("Sertifikat hanya untuk peserta yang hadir."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kader} — {self.pelatihan}"

    def clean(self) -> None:
        self.certificate_number = (self.certificate_number or "").strip()
        if self.certificate_number and not self.attended:
            raise ValidationError({"certificate_number": _("Sertifikat hanya untuk peserta yang hadir.")})


class KompetensiGroup(models.Model):
    """A group of competencies, e.g. "Bayi dan balita". The five basic health groups count for the level."""

    code = models.SlugField(_("kode"), max_length=30, unique=True)
    name = models.CharField(_("nama kelompok"), max_length=120)
    field = models.CharField(_("bidang SPM"), max_length=20, choices=SpmField.choices, default=SpmField.KESEHATAN)
    counts_for_level = models.BooleanField(
        _("dihitung untuk jenjang"), default=False, help_text=_("Kelompok kompetensi dasar kesehatan (Kemenkes 2023).")
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("kelompok kompetensi")
        verbose_name_plural = _("kelompok kompetensi")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class Kompetensi(models.Model):
    """One competency a kader is assessed on (and earns a badge, tanda kecakapan, for)."""

    group = models.ForeignKey(
        KompetensiGroup, verbose_name=_("kelompok"), on_delete=models.PROTECT, related_name="kompetensi_set"
    )
    code = models.CharField(_("kode"), max_length=12, unique=True)
    name = models.CharField(_("kompetensi"), max_length=255)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("dipakai"), default=True)

    class Meta:
        verbose_name = _("kompetensi")
        verbose_name_plural = _("kompetensi")
        ordering = ["group__order", "order", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PenilaianKompetensi(models.Model):
    """An assessment of one kader on one competency (by the Puskesmas or a trainer)."""

    class Result(models.TextChoices):
        LULUS = "lulus", _("Lulus")
        BELUM = "belum", _("Belum lulus")

    SCOPE_PATHS = ScopePaths(posyandu="kader__posyandu", area="kader__posyandu__desa__code")
    MONTH_GUARD = MonthGuard(posyandu=("kader__posyandu",), watches=(Watch("assessed_on"),))  # posyandu.monthlock

    kader = models.ForeignKey(Kader, verbose_name=_("kader"), on_delete=models.CASCADE, related_name="penilaian_set")
    kompetensi = models.ForeignKey(
        Kompetensi, verbose_name=_("kompetensi"), on_delete=models.PROTECT, related_name="penilaian_set"
    )
    assessed_on = models.DateField(_("tanggal penilaian"))
    assessor = models.CharField(
        _("penilai"), max_length=120, help_text=_("Nama dan instansi, misalnya Bidan Puskesmas.")
    )
    result = models.CharField(_("hasil"), max_length=6, choices=Result.choices)
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
        verbose_name = _("penilaian kompetensi")
        verbose_name_plural = _("penilaian kompetensi")
        ordering = ["kader_id", "-assessed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["kader", "kompetensi", "assessed_on"],
                name="penilaian_one_per_day",
                violation_error_message=_("Kompetensi ini sudah dinilai pada tanggal tersebut."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kader} — {self.kompetensi.code}: {self.get_result_display()}"

    def clean(self) -> None:
        if self.assessed_on and self.assessed_on > dates.today():
            raise ValidationError({"assessed_on": _("Tanggal penilaian tidak boleh di masa depan.")})


class LevelRule(models.Model):
    """What a level requires, as data. A kader holds the highest-ranked level whose rule they meet:

    every group in ``required_groups`` complete, at least ``min_complete_groups`` complete groups
    among those that count for the level, and at least ``min_competencies`` competencies passed.
    """

    level = models.CharField(_("jenjang"), max_length=10, choices=KaderLevel.choices, unique=True)
    rank = models.PositiveSmallIntegerField(_("peringkat"), unique=True, help_text=_("Makin besar makin tinggi."))
    required_groups = models.ManyToManyField(
        KompetensiGroup, verbose_name=_("kelompok wajib lengkap"), blank=True, related_name="+"
    )
    min_complete_groups = models.PositiveSmallIntegerField(_("minimal kelompok lengkap"), default=0)
    min_competencies = models.PositiveSmallIntegerField(_("minimal kompetensi lulus"), default=0)
    description = models.CharField(_("keterangan"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("aturan jenjang")
        verbose_name_plural = _("aturan jenjang")
        ordering = ["rank"]

    def __str__(self) -> str:
        return self.get_level_display()
