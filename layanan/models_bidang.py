"""The five other SPM fields: household status surveys, schooling of children, monthly activities,
trantibum incidents and cross-sector service requests with their 5-working-day deadline.

Everything the reports count is a typed column (choices, booleans, integers, dates), and the derived
indicators that matter (safe water, proper latrine, RTLH, floor area per person) are PostgreSQL
generated columns, so ``laporan`` aggregates them in SQL. Imported at the end of ``layanan.models``.
"""

import os
import uuid
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from posyandu.models import Keluarga, Posyandu, SpmField, Warga
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

# RTLH: a floor area under 7.2 m² per person is unfit (SPM perumahan, Permen PUPR 29/2018 —
# unverified; kabupaten using SNI 9 m² change this constant and add a migration).
RTLH_MIN_AREA_PER_PERSON = Decimal("7.2")


# ---------------------------------------------------------------------------------------------
# Household status survey
# ---------------------------------------------------------------------------------------------
class WaterSource(models.TextChoices):
    LEDENG = "ledeng", _("Air ledeng / PDAM / SPAM desa")
    SUMUR_BOR = "sumur_bor", _("Sumur bor / pompa")
    SUMUR_TERLINDUNG = "sumur_terlindung", _("Sumur gali terlindung")
    MATA_AIR_TERLINDUNG = "mata_air_terlindung", _("Mata air terlindung")
    AIR_HUJAN = "air_hujan", _("Penampungan air hujan")
    KEMASAN = "kemasan", _("Air kemasan / isi ulang")
    SUMUR_TIDAK_TERLINDUNG = "sumur_tidak_terlindung", _("Sumur gali tidak terlindung")
    MATA_AIR_TIDAK_TERLINDUNG = "mata_air_tidak_terlindung", _("Mata air tidak terlindung")
    SUNGAI = "sungai", _("Sungai / danau / irigasi")


# Improved sources (WHO/UNICEF JMP "layak"): with ≥ 60 l per person per day this is safe water.
IMPROVED_WATER_SOURCES = (
    WaterSource.LEDENG,
    WaterSource.SUMUR_BOR,
    WaterSource.SUMUR_TERLINDUNG,
    WaterSource.MATA_AIR_TERLINDUNG,
    WaterSource.AIR_HUJAN,
    WaterSource.KEMASAN,
)


class Latrine(models.TextChoices):
    SENDIRI_SEPTIK = "sendiri_septik", _("Jamban sendiri, leher angsa, tangki septik")
    BERSAMA_SEPTIK = "bersama_septik", _("Jamban bersama, leher angsa, tangki septik")
    TANPA_SEPTIK = "tanpa_septik", _("Jamban tanpa tangki septik (dibuang ke kolam/sungai)")
    CEMPLUNG = "cemplung", _("Jamban cemplung / cubluk")
    TIDAK_ADA = "tidak_ada", _("Tidak ada (buang air besar sembarangan)")


PROPER_LATRINES = (Latrine.SENDIRI_SEPTIK, Latrine.BERSAMA_SEPTIK)


class WasteWater(models.TextChoices):
    SPAL_TERTUTUP = "spal_tertutup", _("Saluran tertutup / SPAL")
    RESAPAN = "resapan", _("Lubang resapan")
    GOT_TERBUKA = "got_terbuka", _("Got terbuka")
    TANAH_SUNGAI = "tanah_sungai", _("Dibuang ke tanah / sungai")


class Rubbish(models.TextChoices):
    DIANGKUT = "diangkut", _("Diangkut petugas")
    BANK_SAMPAH = "bank_sampah", _("Dipilah / bank sampah")
    KOMPOS = "kompos", _("Dikubur / dikompos")
    DIBAKAR = "dibakar", _("Dibakar")
    DIBUANG = "dibuang", _("Dibuang ke sungai / lahan kosong")


class Condition(models.TextChoices):
    BAIK = "baik", _("Baik")
    RUSAK_RINGAN = "rusak_ringan", _("Rusak ringan")
    RUSAK_BERAT = "rusak_berat", _("Rusak berat")


class Floor(models.TextChoices):
    BAIK = "baik", _("Baik (keramik, semen, papan)")
    RUSAK = "rusak", _("Rusak")
    TANAH = "tanah", _("Tanah")


class Damage(models.TextChoices):
    TIDAK = "tidak", _("Tidak rusak")
    RINGAN = "ringan", _("Rusak ringan")
    SEDANG = "sedang", _("Rusak sedang")
    BERAT = "berat", _("Rusak berat")


class Bansos(models.TextChoices):
    PKH = "pkh", _("PKH")
    BPNT = "bpnt", _("BPNT / Sembako")
    PBI_JK = "pbi_jk", _("PBI-JK (BPJS Kesehatan)")
    BLT_DD = "blt_dd", _("BLT Dana Desa")
    PIP = "pip", _("PIP / KIP")
    LAINNYA = "lainnya", _("Lainnya")


_AREA_PER_PERSON = Cast(F("floor_area_m2"), models.DecimalField(max_digits=8, decimal_places=2)) / F("occupants")


class SurveiKeluarga(models.Model):
    """A household's status on one survey date. History is kept: the latest survey is the current state."""

    SCOPE_PATHS = ScopePaths(posyandu="keluarga__posyandu", area="keluarga__posyandu__desa__code")
    MONTH_GUARD = MonthGuard(posyandu=("keluarga__posyandu",), watches=(Watch("survey_date"),))  # posyandu.monthlock

    keluarga = models.ForeignKey(
        Keluarga, verbose_name=_("keluarga"), on_delete=models.PROTECT, related_name="survei_set"
    )
    survey_date = models.DateField(_("tanggal survei"))
    surveyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("disurvei oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Pekerjaan umum: water and sanitation
    water_source = models.CharField(_("sumber air minum"), max_length=30, choices=WaterSource.choices)
    water_sufficient = models.BooleanField(_("air cukup (≥ 60 liter/orang/hari)"))
    latrine = models.CharField(_("jamban"), max_length=20, choices=Latrine.choices)
    waste_water = models.CharField(_("pembuangan air limbah"), max_length=20, choices=WasteWater.choices)
    rubbish = models.CharField(_("pengelolaan sampah"), max_length=20, choices=Rubbish.choices)
    # Perumahan rakyat: the RTLH criteria and disaster damage
    roof = models.CharField(_("kondisi atap"), max_length=20, choices=Condition.choices)
    walls = models.CharField(_("kondisi dinding"), max_length=20, choices=Condition.choices)
    floor = models.CharField(_("kondisi lantai"), max_length=20, choices=Floor.choices)
    floor_area_m2 = models.DecimalField(_("luas lantai (m²)"), max_digits=6, decimal_places=1)
    occupants = models.PositiveSmallIntegerField(_("jumlah penghuni"))
    disaster_damage = models.CharField(
        _("kerusakan akibat bencana"), max_length=10, choices=Damage.choices, default=Damage.TIDAK
    )
    # Sosial
    is_poor = models.BooleanField(_("keluarga miskin"), default=False)
    receives_bansos = models.BooleanField(_("menerima bansos"), default=False)
    bansos_programmes = ArrayField(
        models.CharField(max_length=10, choices=Bansos.choices),
        verbose_name=_("program bansos"),
        default=list,
        blank=True,
    )
    # Kemenkes strata: "dana sehat" — today a health fund means JKN (BPJS Kesehatan, PBI or paid)
    has_jkn = models.BooleanField(_("peserta JKN / dana sehat"), default=False)
    disabled_members = models.PositiveSmallIntegerField(_("anggota penyandang disabilitas"), default=0)
    neglected_elderly = models.PositiveSmallIntegerField(_("lansia terlantar"), default=0)
    neglected_children = models.PositiveSmallIntegerField(_("anak terlantar"), default=0)
    notes = models.CharField(_("catatan"), max_length=500, blank=True)
    # Derived indicators, computed by PostgreSQL on every write.
    has_safe_water = models.GeneratedField(
        expression=Q(water_source__in=IMPROVED_WATER_SOURCES, water_sufficient=True),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("air minum layak"),
    )
    has_proper_latrine = models.GeneratedField(
        expression=Q(latrine__in=PROPER_LATRINES),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("jamban layak"),
    )
    area_per_person_m2 = models.GeneratedField(
        expression=_AREA_PER_PERSON,
        output_field=models.DecimalField(max_digits=8, decimal_places=2),
        db_persist=True,
        verbose_name=_("luas lantai per orang (m²)"),
    )
    is_rtlh = models.GeneratedField(
        expression=Q(roof=Condition.RUSAK_BERAT)
        | Q(walls=Condition.RUSAK_BERAT)
        | Q(floor__in=(Floor.RUSAK, Floor.TANAH))
        | Q(floor_area_m2__lt=F("occupants") * RTLH_MIN_AREA_PER_PERSON),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("rumah tidak layak huni (RTLH)"),
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    history = HistoricalRecords(
        excluded_fields=["has_safe_water", "has_proper_latrine", "area_per_person_m2", "is_rtlh"]
    )  # audit trail: who changed what, when

    class Meta:
        verbose_name = _("survei keluarga")
        verbose_name_plural = _("survei keluarga")
        ordering = ["keluarga_id", "-survey_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["keluarga", "survey_date"],
                name="survei_keluarga_one_per_date",
                violation_error_message=_("Keluarga ini sudah disurvei pada tanggal tersebut."),
            ),
            models.CheckConstraint(
                condition=Q(occupants__gte=1, occupants__lte=60),
                name="survei_keluarga_occupants_range",
                violation_error_message=_("Jumlah penghuni antara 1 dan 60 orang."),
            ),
            models.CheckConstraint(
                condition=Q(floor_area_m2__gte=1, floor_area_m2__lte=2000),
                name="survei_keluarga_floor_area_range",
                violation_error_message=_("Luas lantai antara 1 dan 2.000 m²."),
            ),
            models.CheckConstraint(
                condition=Q(receives_bansos=True, bansos_programmes__len__gt=0)
                | Q(receives_bansos=False, bansos_programmes=[]),
                name="survei_keluarga_bansos_programmes",
                violation_error_message=_("Pilih program bansos yang diterima (dan hanya bila menerima bansos)."),
            ),
        ]
        indexes = [models.Index(fields=["keluarga", "-survey_date"], name="survei_keluarga_latest_idx")]

    def __str__(self) -> str:
        return f"{self.keluarga} — {self.survey_date:%d-%m-%Y}"

    def bansos_labels(self) -> list[str]:
        return [str(Bansos(value).label) for value in self.bansos_programmes]

    def rtlh_reasons(self) -> list[str]:
        """Why the house is unfit (the same rules as the generated ``is_rtlh`` column)."""
        reasons = []
        if self.roof == Condition.RUSAK_BERAT:
            reasons.append(str(_("atap rusak berat")))
        if self.walls == Condition.RUSAK_BERAT:
            reasons.append(str(_("dinding rusak berat")))
        if self.floor in (Floor.RUSAK, Floor.TANAH):
            reasons.append(str(_("lantai %(floor)s")) % {"floor": self.get_floor_display().lower()})
        if (
            self.floor_area_m2 is not None
            and self.occupants
            and self.floor_area_m2 < self.occupants * RTLH_MIN_AREA_PER_PERSON
        ):
            minimum = str(RTLH_MIN_AREA_PER_PERSON).replace(".", ",")
            reasons.append(str(_("luas lantai kurang dari %(min)s m² per orang")) % {"min": minimum})
        return reasons


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


# ---------------------------------------------------------------------------------------------
# Trantibum incidents
# ---------------------------------------------------------------------------------------------
class Kejadian(models.Model):
    """An incident reported at a posyandu. Confidential ones are seen only by whoever recorded
    them, the desa operator and above (see ``layanan.permissions_bidang.can_see_confidential``)."""

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
    dicatat → diverifikasi (home visit by the desa) → diteruskan (to the OPD or kecamatan) →
    selesai, or ditolak with a reason. Due 5 working days after verification."""

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
        SELESAI = "selesai", _("Selesai")
        DITOLAK = "ditolak", _("Ditolak")

    class Destination(models.TextChoices):
        KECAMATAN = "kecamatan", _("Kecamatan")
        DINSOS = "dinsos", _("Dinas Sosial")
        DISDIK = "disdik", _("Dinas Pendidikan")
        PU = "pu", _("Dinas PU")
        PERKIM = "perkim", _("Dinas Perkim")
        SATPOL_BPBD = "satpol_bpbd", _("Satpol PP / BPBD")
        DUKCAPIL = "dukcapil", _("Dukcapil")
        LAINNYA = "lainnya", _("OPD lain")

    OPEN = (Status.DICATAT, Status.DIVERIFIKASI, Status.DITERUSKAN)
    SCOPE_PATHS = ScopePaths(posyandu="posyandu", area="posyandu__desa__code")
    MONTH_GUARD = MonthGuard(
        posyandu=("posyandu",),
        # Each step counts in the month it was taken; the request itself in the month it was recorded.
        watches=(
            Watch(
                "recorded_on", fields=("posyandu", "field", "kind", "keluarga", "warga", "description", "recorded_on")
            ),
            Watch("verified_on", fields=("verified_on", "due_on")),
            Watch("forwarded_on", fields=("forwarded_to", "forwarded_on")),
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
    forwarded_on = models.DateField(_("tanggal diteruskan"), null=True, blank=True)
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
        ]
        indexes = [
            models.Index(fields=["posyandu", "status", "due_on"], name="permintaan_status_due_idx"),
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


class RiwayatStatusPermintaan(models.Model):
    """One change of a request's status: who, when, and a note."""

    SCOPE_PATHS = ScopePaths(posyandu="permintaan__posyandu", area="permintaan__posyandu__desa__code")
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
    SCOPE_PATHS = ScopePaths(posyandu="permintaan__posyandu", area="permintaan__posyandu__desa__code")
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
