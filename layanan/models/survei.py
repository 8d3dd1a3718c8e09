"""Household status surveys (pekerjaan umum, perumahan rakyat, sosial, trantibum linmas for disaster damage).

Everything the reports count is a typed column (choices, booleans, integers, dates), and the derived
indicators that matter (safe water, proper latrine, RTLH, floor area per person) are PostgreSQL
generated columns, so ``laporan`` aggregates them in SQL.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from posyandu.models import Keluarga
from posyandu.monthlock import MonthGuard, Watch
from posyandu.scope import ScopePaths

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
