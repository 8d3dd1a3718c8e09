"""Health field (kesehatan): opening days, visits with typed measurements, immunisation,
pregnancies and referrals. Measurements are typed columns so reports aggregate them in SQL."""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from layanan.growth import GrowthCode, LhfaCategory, Position, WfaCategory, WflhCategory, ZScoreFlags
from layanan.schedule import Antigen, VitaminA
from layanan.screening import Aks, ScreeningFlag
from posyandu import dates, periods
from posyandu.models import LifeStage, Posyandu, Warga
from posyandu.monthlock import MonthGuard, Watch
from posyandu.scope import ScopePaths


def first_of_month(value):
    return value.replace(day=1)


def reporting_month_problem(
    *, visit_date: datetime.date, reporting_month: datetime.date, birth_date: datetime.date | None
) -> str | None:
    """Why a visit cannot be reported in ``reporting_month``, or None. The month is the visit date's
    month or the one before (a visit early in a month may close the previous month's report), one of
    the months the system holds, and never before the person's birth month."""
    month = first_of_month(reporting_month)
    if problem := periods.month_problem(month):
        return problem
    months_apart = dates.calendar_months_apart(month, visit_date)
    if not 0 <= months_apart <= 1:
        return str(_("Bulan laporan harus bulan tanggal kunjungan atau bulan sebelumnya."))
    if birth_date is not None and month < first_of_month(birth_date):
        return str(_("Bulan laporan tidak boleh sebelum bulan lahir (%(month)s).")) % {
            "month": date_format(birth_date, "F Y")
        }
    return None


class HariBuka(models.Model):
    """One opening day of a posyandu. The reporting month is chosen, not derived from the date:
    a posyandu that opens on 2 March for February's round reports it in February."""

    SCOPE_PATHS = ScopePaths(posyandu="posyandu", area="posyandu__desa__code")
    MONTH_GUARD = MonthGuard(
        posyandu=("posyandu",), watches=(Watch("reporting_month"), Watch("date"))
    )  # posyandu.monthlock

    posyandu = models.ForeignKey(
        Posyandu, verbose_name=_("posyandu"), on_delete=models.PROTECT, related_name="hari_buka"
    )
    date = models.DateField(_("tanggal buka"))
    reporting_month = models.DateField(_("bulan laporan"), help_text=_("Bulan yang dilaporkan untuk hari buka ini."))
    place = models.CharField(_("tempat"), max_length=120, blank=True)
    kader_present = models.PositiveSmallIntegerField(_("jumlah kader hadir"), null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuka oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    history = HistoricalRecords()  # audit trail: who changed what, when

    class Meta:
        verbose_name = _("hari buka")
        verbose_name_plural = _("hari buka")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["posyandu", "date"],
                name="hari_buka_one_per_posyandu_date",
                violation_error_message=_("Hari buka untuk tanggal ini sudah ada."),
            ),
            models.CheckConstraint(
                condition=Q(reporting_month__day=1),
                name="hari_buka_reporting_month_first_day",
                violation_error_message=_("Bulan laporan disimpan sebagai tanggal 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.posyandu} — {self.date:%d-%m-%Y}"

    def get_absolute_url(self) -> str:
        return reverse("layanan:haribuka_detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.reporting_month:
            self.reporting_month = dates.month_start(self.reporting_month)
        if self.date and self.date > dates.today():
            errors["date"] = _("Tanggal buka tidak boleh di masa depan.")
        if self.date and self.reporting_month:
            months_apart = dates.calendar_months_apart(self.reporting_month, self.date)
            if not 0 <= months_apart <= 1:
                errors["reporting_month"] = _("Bulan laporan harus bulan tanggal buka atau bulan sebelumnya.")
        if errors:
            raise ValidationError(errors)


class Kehamilan(models.Model):
    """A pregnancy, from registration to its outcome. A live birth links the baby's record."""

    class Outcome(models.TextChoices):
        BERLANGSUNG = "berlangsung", _("Sedang hamil")
        LAHIR_HIDUP = "lahir_hidup", _("Lahir hidup")
        LAHIR_MATI = "lahir_mati", _("Lahir mati")
        KEGUGURAN = "keguguran", _("Keguguran")

    SCOPE_PATHS = ScopePaths(posyandu="mother__posyandu", area="mother__posyandu__desa__code")
    MONTH_GUARD = MonthGuard(
        posyandu=("mother__posyandu",),
        watches=(
            Watch("registered_on", fields=("mother", "hpht", "due_date", "gravida", "registered_on")),
            Watch("ended_on", fields=("outcome", "ended_on", "baby")),
        ),
    )  # posyandu.monthlock
    NIFAS_DAYS = 42

    mother = models.ForeignKey(Warga, verbose_name=_("ibu"), on_delete=models.PROTECT, related_name="kehamilan_set")
    hpht = models.DateField(_("HPHT (hari pertama haid terakhir)"), null=True, blank=True)
    due_date = models.DateField(_("perkiraan lahir (HPL)"), null=True, blank=True)
    gravida = models.PositiveSmallIntegerField(_("kehamilan ke-"), null=True, blank=True)
    registered_on = models.DateField(_("tanggal didata"))
    outcome = models.CharField(_("hasil"), max_length=12, choices=Outcome.choices, default=Outcome.BERLANGSUNG)
    ended_on = models.DateField(_("tanggal persalinan/berakhir"), null=True, blank=True)
    baby = models.ForeignKey(
        Warga, verbose_name=_("bayi"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    history = HistoricalRecords()  # audit trail: who changed what, when

    class Meta:
        verbose_name = _("kehamilan")
        verbose_name_plural = _("kehamilan")
        ordering = ["-registered_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["mother"],
                condition=Q(outcome="berlangsung"),
                name="kehamilan_one_ongoing_per_mother",
                violation_error_message=_("Ibu ini sudah tercatat sedang hamil."),
            ),
            models.CheckConstraint(
                condition=Q(outcome="berlangsung", ended_on__isnull=True)
                | (~Q(outcome="berlangsung") & Q(ended_on__isnull=False)),
                name="kehamilan_ended_on_with_outcome",
                violation_error_message=_("Isi tanggal persalinan atau berakhirnya kehamilan."),
            ),
            models.CheckConstraint(
                condition=Q(hpht__isnull=True) | Q(registered_on__gte=F("hpht")),
                name="kehamilan_registered_after_hpht",
                violation_error_message=_("Tanggal didata tidak boleh sebelum HPHT."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mother} ({self.get_outcome_display()})"

    def gestational_weeks(self, on) -> int | None:
        """Completed weeks on a date, from the HPHT, or from the HPL when only that is known (HPL − 280 days)."""
        start = self.hpht or (self.due_date - datetime.timedelta(days=280) if self.due_date else None)
        if start is None or on < start:
            return None
        return dates.completed_weeks(start, on)

    @property
    def is_ongoing(self) -> bool:
        return self.outcome == self.Outcome.BERLANGSUNG


class DangerSign(models.TextChoices):
    """Tanda bahaya kehamilan (Buku KIA 2023)."""

    PERDARAHAN = "perdarahan", _("Perdarahan dari jalan lahir")
    BENGKAK_KEJANG = "bengkak_kejang", _("Bengkak kaki/tangan/wajah, sakit kepala, kejang")
    DEMAM = "demam", _("Demam tinggi")
    KETUBAN = "ketuban", _("Air ketuban keluar sebelum waktunya")
    GERAK_JANIN = "gerak_janin", _("Gerakan janin berkurang")
    MUNTAH = "muntah", _("Muntah terus dan tidak mau makan")
    PANDANGAN_KABUR = "pandangan_kabur", _("Pandangan kabur")


class Kunjungan(ZScoreFlags, models.Model):
    """One person's visit in one reporting month: at the posyandu on an opening day, or at home.

    A person has at most one visit per reporting month and kind (database constraint). The
    life stage is stored as it was on the visit date, and so are the age and the z-scores.
    """

    class Kind(models.TextChoices):
        POSYANDU = "posyandu", _("Hari buka posyandu")
        RUMAH = "rumah", _("Kunjungan rumah")

    SCOPE_PATHS = ScopePaths(posyandu="posyandu", area="posyandu__desa__code")
    MONTH_GUARD = MonthGuard(
        posyandu=("posyandu",), watches=(Watch("reporting_month"), Watch("visit_date"))
    )  # posyandu.monthlock

    warga = models.ForeignKey(Warga, verbose_name=_("warga"), on_delete=models.PROTECT, related_name="kunjungan_set")
    posyandu = models.ForeignKey(Posyandu, verbose_name=_("posyandu"), on_delete=models.PROTECT, related_name="+")
    hari_buka = models.ForeignKey(
        HariBuka, verbose_name=_("hari buka"), on_delete=models.PROTECT, null=True, blank=True, related_name="kunjungan"
    )
    kind = models.CharField(_("jenis kunjungan"), max_length=8, choices=Kind.choices, default=Kind.POSYANDU)
    stage = models.CharField(_("tahap kehidupan"), max_length=16, choices=LifeStage.choices)
    visit_date = models.DateField(_("tanggal kunjungan"))
    reporting_month = models.DateField(_("bulan laporan"))
    age_days = models.PositiveIntegerField(_("umur (hari)"))

    # Every stage
    weight_kg = models.DecimalField(_("berat badan (kg)"), max_digits=5, decimal_places=2, null=True, blank=True)
    height_cm = models.DecimalField(
        _("panjang/tinggi badan (cm)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    muac_cm = models.DecimalField(_("LiLA (cm)"), max_digits=3, decimal_places=1, null=True, blank=True)

    # Balita
    position = models.CharField(_("cara ukur"), max_length=1, choices=Position.choices, blank=True)
    height_adjusted_cm = models.DecimalField(
        _("panjang/tinggi terkoreksi (cm)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    head_circumference_cm = models.DecimalField(
        _("lingkar kepala (cm)"), max_digits=3, decimal_places=1, null=True, blank=True
    )
    z_wfa = models.DecimalField(_("z BB/U"), max_digits=5, decimal_places=2, null=True, blank=True)
    z_lhfa = models.DecimalField(_("z PB/U atau TB/U"), max_digits=5, decimal_places=2, null=True, blank=True)
    z_wflh = models.DecimalField(_("z BB/PB atau BB/TB"), max_digits=5, decimal_places=2, null=True, blank=True)
    z_bmi = models.DecimalField(_("z IMT/U"), max_digits=5, decimal_places=2, null=True, blank=True)
    cat_wfa = models.CharField(_("status BB/U"), max_length=16, choices=WfaCategory.choices, blank=True)
    cat_lhfa = models.CharField(_("status PB/U atau TB/U"), max_length=16, choices=LhfaCategory.choices, blank=True)
    cat_wflh = models.CharField(_("status BB/PB atau BB/TB"), max_length=20, choices=WflhCategory.choices, blank=True)
    cat_bmi = models.CharField(_("status IMT/U"), max_length=20, choices=WflhCategory.choices, blank=True)
    implausible = ArrayField(
        models.CharField(max_length=8), verbose_name=_("nilai tidak wajar (dikonfirmasi)"), default=list, blank=True
    )
    growth_code = models.CharField(_("N/T"), max_length=1, choices=GrowthCode.choices, blank=True)
    weight_gain_g = models.IntegerField(_("kenaikan berat (gram)"), null=True, blank=True)
    two_t = models.BooleanField(_("2T (dua kali tidak naik)"), default=False)
    bgm = models.BooleanField(_("BGM (di bawah garis merah)"), default=False)
    vitamin_a = models.CharField(_("vitamin A"), max_length=6, choices=VitaminA.choices, blank=True)
    deworming = models.BooleanField(_("obat cacing"), default=False)
    pmt = models.BooleanField(_("PMT"), default=False)
    exclusive_breastfeeding = models.BooleanField(_("ASI eksklusif"), null=True, blank=True)

    # Ibu hamil
    kehamilan = models.ForeignKey(
        Kehamilan,
        verbose_name=_("kehamilan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="kunjungan",
    )
    gestational_weeks = models.PositiveSmallIntegerField(_("usia kehamilan (minggu)"), null=True, blank=True)
    ttd_tablets = models.PositiveSmallIntegerField(_("tablet tambah darah diberikan"), null=True, blank=True)
    anc_visit = models.PositiveSmallIntegerField(_("pemeriksaan kehamilan ke- (K1–K6)"), null=True, blank=True)
    danger_signs = ArrayField(
        models.CharField(max_length=16, choices=DangerSign.choices),
        verbose_name=_("tanda bahaya"),
        default=list,
        blank=True,
    )
    kelas_ibu = models.BooleanField(_("ikut kelas ibu hamil"), default=False)

    # Remaja, usia produktif, lansia (and blood pressure / Hb for ibu hamil)
    systolic = models.PositiveSmallIntegerField(_("tekanan darah sistolik"), null=True, blank=True)
    diastolic = models.PositiveSmallIntegerField(_("tekanan darah diastolik"), null=True, blank=True)
    waist_cm = models.DecimalField(_("lingkar perut (cm)"), max_digits=4, decimal_places=1, null=True, blank=True)
    bmi = models.DecimalField(_("IMT"), max_digits=4, decimal_places=1, null=True, blank=True)
    glucose_mg_dl = models.PositiveSmallIntegerField(_("gula darah (mg/dL)"), null=True, blank=True)
    glucose_fasting = models.BooleanField(_("gula darah puasa"), default=False)
    hb_g_dl = models.DecimalField(_("Hb (g/dL)"), max_digits=3, decimal_places=1, null=True, blank=True)
    smoking = models.BooleanField(_("merokok"), null=True, blank=True)
    aks = models.CharField(_("kemandirian (AKS)"), max_length=8, choices=Aks.choices, blank=True)
    screening_flags = ArrayField(
        models.CharField(max_length=24, choices=ScreeningFlag.choices),
        verbose_name=_("hasil skrining"),
        default=list,
        blank=True,
    )

    notes = models.CharField(_("catatan"), max_length=500, blank=True)
    # The id the phone gave the record in its outbox (layanan/sync.py): sending it twice stores it once.
    client_id = models.UUIDField(_("id dari HP"), null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dicatat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)

    history = HistoricalRecords()  # audit trail: who changed what, when

    class Meta:
        verbose_name = _("kunjungan")
        verbose_name_plural = _("kunjungan")
        ordering = ["-visit_date", "warga__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["warga", "reporting_month", "kind"],
                name="kunjungan_one_per_person_month_kind",
                violation_error_message=_("Warga ini sudah punya kunjungan jenis ini pada bulan laporan tersebut."),
            ),
            models.UniqueConstraint(
                fields=["client_id"],
                name="kunjungan_client_id_unique",
                violation_error_message=_("Catatan dari HP ini sudah tersimpan."),
            ),
            models.CheckConstraint(
                condition=Q(reporting_month__day=1),
                name="kunjungan_reporting_month_first_day",
            ),
            models.CheckConstraint(
                condition=Q(kind="rumah", hari_buka__isnull=True) | Q(kind="posyandu", hari_buka__isnull=False),
                name="kunjungan_hari_buka_only_for_posyandu_kind",
            ),
            models.CheckConstraint(
                condition=Q(weight_kg__isnull=True) | Q(weight_kg__gte=0.5, weight_kg__lte=250),
                name="kunjungan_weight_range",
                violation_error_message=_("Berat badan harus antara 0,5 dan 250 kg."),
            ),
            models.CheckConstraint(
                condition=Q(height_cm__isnull=True) | Q(height_cm__gte=35, height_cm__lte=230),
                name="kunjungan_height_range",
                violation_error_message=_("Panjang/tinggi badan harus antara 35 dan 230 cm."),
            ),
            models.CheckConstraint(
                condition=Q(muac_cm__isnull=True) | Q(muac_cm__gte=5, muac_cm__lte=60),
                name="kunjungan_muac_range",
                violation_error_message=_("LiLA harus antara 5 dan 60 cm."),
            ),
            models.CheckConstraint(
                condition=Q(systolic__isnull=True, diastolic__isnull=True)
                | Q(
                    systolic__gte=50,
                    systolic__lte=300,
                    diastolic__gte=30,
                    diastolic__lte=200,
                    systolic__gt=F("diastolic"),
                ),
                name="kunjungan_blood_pressure_range",
                violation_error_message=_("Tekanan darah tidak masuk akal."),
            ),
            models.CheckConstraint(
                condition=~Q(stage="balita") | Q(age_days__lte=1856),
                name="kunjungan_balita_under_61_months",
            ),
            models.CheckConstraint(
                condition=Q(stage="ibu_hamil") | Q(kehamilan__isnull=True),
                name="kunjungan_kehamilan_only_for_ibu_hamil",
            ),
        ]
        indexes = [
            models.Index(fields=["posyandu", "reporting_month"], name="kunjungan_posyandu_month_idx"),
            models.Index(fields=["warga", "reporting_month"], name="kunjungan_warga_month_idx"),
            models.Index(fields=["reporting_month", "stage"], name="kunjungan_month_stage_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.warga} — {self.reporting_month:%m/%Y} ({self.get_kind_display()})"

    def get_absolute_url(self) -> str:
        return reverse("layanan:kunjungan_update", kwargs={"pk": self.pk})

    @property
    def age_display(self) -> str:
        """Age on the visit date."""
        return dates.format_age(dates.months_between(self.warga.birth_date, self.visit_date))

    @property
    def growth_display(self) -> str:
        if self.two_t:
            return "2T"
        return self.growth_code

    @property
    def screening_flag_labels(self) -> list[str]:
        return [str(ScreeningFlag(flag).label) for flag in self.screening_flags if flag in ScreeningFlag.values]

    @property
    def danger_sign_labels(self) -> list[str]:
        return [str(DangerSign(sign).label) for sign in self.danger_signs if sign in DangerSign.values]

    @property
    def referral_reasons(self) -> list[str]:
        """Why this visit suggests a referral to the Pustu/Puskesmas (empty: no referral)."""
        reasons = []
        if self.two_t:
            reasons.append(str(_("2T: dua bulan berturut-turut tidak naik")))
        elif self.growth_code == GrowthCode.T:
            reasons.append(str(_("T: berat badan tidak naik")))
        if self.bgm:
            reasons.append(str(_("BGM: di bawah garis merah")))
        if self.cat_wflh == WflhCategory.GIZI_BURUK:
            reasons.append(str(_("Gizi buruk")))
        if self.cat_lhfa == LhfaCategory.SANGAT_PENDEK:
            reasons.append(str(_("Sangat pendek")))
        if self.danger_signs:
            reasons.append(str(_("Tanda bahaya kehamilan")))
        urgent_flags = {
            ScreeningFlag.KEK,
            ScreeningFlag.HIPERTENSI,
            ScreeningFlag.GULA_DARAH_TINGGI,
            ScreeningFlag.ANEMIA,
        }
        reasons += [str(ScreeningFlag(flag).label) for flag in self.screening_flags if flag in urgent_flags]
        return reasons


class Imunisasi(models.Model):
    """One dose of one antigen given to one person. Each dose is recorded once."""

    SCOPE_PATHS = ScopePaths(posyandu="warga__posyandu", area="warga__posyandu__desa__code")
    MONTH_GUARD = MonthGuard(posyandu=("warga__posyandu",), watches=(Watch("given_on"),))  # posyandu.monthlock

    warga = models.ForeignKey(Warga, verbose_name=_("warga"), on_delete=models.PROTECT, related_name="imunisasi_set")
    antigen = models.CharField(_("imunisasi"), max_length=24, choices=Antigen.choices)
    given_on = models.DateField(_("tanggal diberikan"))
    kunjungan = models.ForeignKey(
        Kunjungan,
        verbose_name=_("kunjungan"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="imunisasi",
    )
    place = models.CharField(
        _("tempat"), max_length=80, blank=True, help_text=_("Mis. posyandu, Puskesmas, bidan desa.")
    )
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
        verbose_name = _("imunisasi")
        verbose_name_plural = _("imunisasi")
        ordering = ["warga_id", "given_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["warga", "antigen"],
                name="imunisasi_one_per_dose",
                violation_error_message=_("Dosis imunisasi ini sudah tercatat untuk anak ini."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.warga} — {self.get_antigen_display()} ({self.given_on})"


class Rujukan(models.Model):
    """A referral to the Pustu / Puskesmas, and its follow-up."""

    class Destination(models.TextChoices):
        PUSTU = "pustu", _("Pustu / Poskesdes")
        PUSKESMAS = "puskesmas", _("Puskesmas")
        RUMAH_SAKIT = "rumah_sakit", _("Rumah sakit")

    class Status(models.TextChoices):
        DIRUJUK = "dirujuk", _("Dirujuk, belum ada kabar")
        DILAYANI = "dilayani", _("Sudah dilayani")
        TIDAK_DATANG = "tidak_datang", _("Tidak datang ke tempat rujukan")

    SCOPE_PATHS = ScopePaths(posyandu="kunjungan__posyandu", area="kunjungan__posyandu__desa__code")
    MONTH_GUARD = MonthGuard(
        posyandu=("kunjungan__posyandu",),
        # A follow-up counts in the month of the visit that referred (and in its own month).
        watches=(Watch("kunjungan__reporting_month"), Watch("referred_on"), Watch("follow_up_on")),
    )  # posyandu.monthlock

    kunjungan = models.OneToOneField(
        Kunjungan, verbose_name=_("kunjungan"), on_delete=models.PROTECT, related_name="rujukan"
    )
    reasons = models.CharField(_("alasan rujukan"), max_length=500)
    destination = models.CharField(_("dirujuk ke"), max_length=12, choices=Destination.choices)
    referred_on = models.DateField(_("tanggal dirujuk"))
    status = models.CharField(_("tindak lanjut"), max_length=12, choices=Status.choices, default=Status.DIRUJUK)
    follow_up_on = models.DateField(_("tanggal tindak lanjut"), null=True, blank=True)
    follow_up_notes = models.CharField(_("catatan tindak lanjut"), max_length=500, blank=True)
    created_by = models.ForeignKey(
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
        verbose_name = _("rujukan")
        verbose_name_plural = _("rujukan")
        ordering = ["-referred_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="dirujuk", follow_up_on__isnull=True)
                | (~Q(status="dirujuk") & Q(follow_up_on__gte=F("referred_on"))),
                name="rujukan_follow_up_date_with_status",
                violation_error_message=_("Isi tanggal tindak lanjut (tidak sebelum tanggal dirujuk)."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kunjungan.warga} → {self.get_destination_display()}"
