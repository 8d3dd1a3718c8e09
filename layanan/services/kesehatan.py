"""Writes of the health field: opening days, visits, immunisation, pregnancies, referrals.

Keyword-only, ``<noun>_<verb>`` names, ``full_clean()`` before save, user-facing
``ValidationError`` messages in Indonesian keyed by form field where there is one.
"""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from layanan import growth, screening
from layanan.models import (
    DangerSign,
    HariBuka,
    Imunisasi,
    Kehamilan,
    Kunjungan,
    Rujukan,
    reporting_month_problem,
)
from layanan.schedule import VITAMIN_A_MONTHS, Antigen, VitaminA, vitamin_a_capsule
from posyandu import dates, monthlock
from posyandu.concurrency import ensure_unchanged
from posyandu.models import LifeStage, Sex, Warga, life_stage_for_age
from posyandu.monthlock import month_ensure_open
from posyandu.saving import record_save

# Fields a visit form may set, per stage. Everything else is computed here.
STAGE_FIELDS = {
    LifeStage.BALITA: (
        "weight_kg",
        "height_cm",
        "position",
        "head_circumference_cm",
        "muac_cm",
        "vitamin_a",
        "deworming",
        "pmt",
        "exclusive_breastfeeding",
        "notes",
    ),
    LifeStage.IBU_HAMIL: (
        "weight_kg",
        "muac_cm",
        "systolic",
        "diastolic",
        "gestational_weeks",
        "ttd_tablets",
        "anc_visit",
        "danger_signs",
        "pmt",
        "kelas_ibu",
        "hb_g_dl",
        "notes",
    ),
    LifeStage.REMAJA: (
        "weight_kg",
        "height_cm",
        "waist_cm",
        "muac_cm",
        "systolic",
        "diastolic",
        "glucose_mg_dl",
        "glucose_fasting",
        "hb_g_dl",
        "ttd_tablets",
        "smoking",
        "notes",
    ),
    LifeStage.USIA_PRODUKTIF: (
        "weight_kg",
        "height_cm",
        "waist_cm",
        "systolic",
        "diastolic",
        "glucose_mg_dl",
        "glucose_fasting",
        "hb_g_dl",
        "smoking",
        "notes",
    ),
    LifeStage.LANSIA: (
        "weight_kg",
        "height_cm",
        "waist_cm",
        "systolic",
        "diastolic",
        "glucose_mg_dl",
        "glucose_fasting",
        "hb_g_dl",
        "smoking",
        "aks",
        "notes",
    ),
}

# Hard limits: values outside are typing mistakes, refused outright (the WHO plausibility flags
# handle the values in between). A balita weighs 0.5–40 kg and measures 35–130 cm.
BALITA_LIMITS = {
    "weight_kg": (Decimal("0.5"), Decimal("40")),
    "height_cm": (Decimal("35"), Decimal("130")),
    "head_circumference_cm": (Decimal("20"), Decimal("60")),
    "muac_cm": (Decimal("5"), Decimal("30")),
}
ADULT_LIMITS = {
    "weight_kg": (Decimal("10"), Decimal("250")),
    "height_cm": (Decimal("80"), Decimal("230")),
    "waist_cm": (Decimal("30"), Decimal("250")),
    "muac_cm": (Decimal("10"), Decimal("60")),
    "hb_g_dl": (Decimal("3"), Decimal("25")),
    "glucose_mg_dl": (20, 900),
    "gestational_weeks": (1, 45),
    "ttd_tablets": (0, 120),
    "anc_visit": (1, 12),
}


VISIT_FOREIGN_KEYS = ("warga", "posyandu", "hari_buka", "kehamilan", "recorded_by")
ONE_VISIT_CONSTRAINT = "kunjungan_one_per_person_month_kind"


def _visit_constraint_errors() -> dict[str, str]:
    """A visit's other constraints (a typed value out of range) as one message for ``record_save``."""
    message = _("Data tidak tersimpan: ada nilai yang tidak sah. Periksa lagi isian Anda.")
    return {c.name: message for c in Kunjungan._meta.constraints if c.name != ONE_VISIT_CONSTRAINT}


class ImplausibleMeasurement(ValidationError):
    """The WHO flags a z-score as implausible: the kader re-measures or confirms. The message leads
    with words a kader can act on (``growth.implausible_advice``); the z-scores follow for staff."""

    def __init__(self, result: growth.GrowthResult, *, advice: list[str] | tuple[str, ...] = ()):
        self.result = result
        self.advice = list(advice)
        self.z_text = growth.implausible_z_text(result)
        super().__init__(
            _("%(lead)s Bila sudah diukur ulang dan nilainya memang benar, centang konfirmasi. %(z)s")
            % {"lead": " ".join(self.sentences), "z": self.z_text}
        )

    @property
    def sentences(self) -> list[str]:
        """What the kader reads first: the advice, or the general words when no index has its own."""
        return self.advice or [str(growth.IMPLAUSIBLE_WORDS["fallback"])]

    @property
    def confirm_text(self) -> str:
        return str(growth.IMPLAUSIBLE_WORDS["confirm"])


def _implausible_advice(result: growth.GrowthResult, kunjungan: Kunjungan) -> list[str]:
    """``growth.implausible_advice`` for this visit's child and values."""
    warga = kunjungan.warga
    return growth.implausible_advice(
        result,
        sex=warga.sex,
        age_months=growth.completed_months(warga.birth_date, kunjungan.visit_date),
        weight_kg=kunjungan.weight_kg,
        height_cm=kunjungan.height_cm,
    )


class DuplicateVisit(ValidationError):
    """The person already has a visit of this kind in this reporting month."""

    def __init__(self, existing: Kunjungan):
        self.existing = existing
        super().__init__(
            format_html(
                '{} <a href="{}">{}</a>',
                _("%(name)s sudah dicatat pada bulan laporan %(month)s (%(date)s).")
                % {
                    "name": existing.warga.name,
                    "month": existing.reporting_month.strftime("%m/%Y"),
                    "date": existing.visit_date.strftime("%d-%m-%Y"),
                },
                reverse("layanan:kunjungan_update", kwargs={"pk": existing.pk}),
                _("Buka catatan itu untuk memperbaikinya."),
            )
        )


def value_limits(stage: str) -> dict:
    """The hard limits of the values typed at a visit of ``stage``: {field: (low, high)}."""
    return BALITA_LIMITS if stage == LifeStage.BALITA else ADULT_LIMITS


def out_of_limits_message(value, low, high) -> str:
    """The words for a typed value outside its hard limits. The phone is served them with ``value`` as
    ``%(value)s`` (layanan/offline.py) and fills in what was typed, as ``str()`` of the form's value."""
    return _("Nilai %(value)s di luar batas wajar (%(low)s–%(high)s). Periksa ketikan.") % {
        "value": str(value).replace(".", ","),
        "low": str(low).replace(".", ","),
        "high": str(high).replace(".", ","),
    }


def _check_limits(values: dict, limits: dict) -> dict:
    errors = {}
    for name, (low, high) in limits.items():
        value = values.get(name)
        if value is not None and not low <= value <= high:
            errors[name] = out_of_limits_message(value, low, high)
    return errors


# ---------------------------------------------------------------------------------------------
# Opening days
# ---------------------------------------------------------------------------------------------
def hari_buka_open(
    *,
    posyandu,
    date: datetime.date,
    user,
    reporting_month: datetime.date | None = None,
    place: str = "",
    kader_present: int | None = None,
    notes: str = "",
) -> HariBuka:
    """Open (register) an opening day. The reporting month defaults to the date's month."""
    hari_buka = HariBuka(
        posyandu=posyandu,
        date=date,
        reporting_month=dates.month_start(reporting_month or date),
        place=place,
        kader_present=kader_present,
        notes=notes,
        created_by=user,
    )
    month_ensure_open(posyandu=posyandu, month=hari_buka.reporting_month)
    record_save(
        hari_buka,
        constraint_errors={"hari_buka_one_per_posyandu_date": {"date": _("Hari buka untuk tanggal ini sudah ada.")}},
    )
    return hari_buka


# ---------------------------------------------------------------------------------------------
# Visits
# ---------------------------------------------------------------------------------------------
def ongoing_pregnancy(warga: Warga, on: datetime.date) -> Kehamilan | None:
    return (
        Kehamilan.objects.filter(mother=warga, outcome=Kehamilan.Outcome.BERLANGSUNG, registered_on__lte=on)
        .order_by("-registered_on")
        .first()
    )


def visit_stage(warga: Warga, on: datetime.date) -> tuple[str, Kehamilan | None]:
    """The stage a visit records (``visit_stage_rule``) and the ongoing pregnancy it belongs to."""
    pregnancy = ongoing_pregnancy(warga, on) if warga.sex == Sex.PEREMPUAN else None
    stage = visit_stage_rule(sex=warga.sex, age_months=warga.age_months(on), pregnant=pregnancy is not None)
    return stage, pregnancy if stage == LifeStage.IBU_HAMIL else None


def visit_stage_rule(*, sex: str, age_months: int, pregnant: bool) -> str:
    """The rule: ibu hamil while a pregnancy is ongoing, otherwise the life stage by age. The one place
    that decides it, for the visits typed in and for the demo generator (``demo.kesehatan``)."""
    if sex == Sex.PEREMPUAN and pregnant:
        return LifeStage.IBU_HAMIL
    return life_stage_for_age(age_months)


def _previous_month(month: datetime.date) -> datetime.date | None:
    """The reporting month before ``month``; None before year 1 (a row stored before months were bounded)."""
    try:
        return dates.add_months(dates.month_start(month), -1)
    except (OverflowError, ValueError):
        return None


def _next_month(month: datetime.date) -> datetime.date | None:
    """The reporting month after ``month``; None after year 9999 (a row stored before months were bounded)."""
    try:
        return dates.add_months(dates.month_start(month), 1)
    except (OverflowError, ValueError):
        return None


def _weighing(warga: Warga, month: datetime.date, exclude_pk=None) -> Kunjungan | None:
    """The person's weighing in a reporting month (the latest, if weighed at home and at the posyandu)."""
    return (
        Kunjungan.objects.filter(warga=warga, reporting_month=month, weight_kg__isnull=False)
        .exclude(pk=exclude_pk)
        .order_by("-visit_date", "-pk")
        .first()
    )


def _apply_weight_gain(kunjungan: Kunjungan, birth_date: datetime.date) -> None:
    """N / T / O / B and 2T against the previous reporting month (Buku KIA 2023). One query:
    the latest weighing before this month tells both "weighed last month" and "ever weighed"."""
    if kunjungan.stage != LifeStage.BALITA or kunjungan.weight_kg is None:
        kunjungan.growth_code, kunjungan.weight_gain_g, kunjungan.two_t = "", None, False
        return
    latest = (
        Kunjungan.objects.filter(
            warga=kunjungan.warga, reporting_month__lt=kunjungan.reporting_month, weight_kg__isnull=False
        )
        .exclude(pk=kunjungan.pk)
        .order_by("-reporting_month", "-visit_date", "-pk")
        .only("weight_kg", "growth_code", "reporting_month")
        .first()
    )
    previous = latest if latest and latest.reporting_month == _previous_month(kunjungan.reporting_month) else None
    code, gain, two_t = growth.weight_gain(
        age_months=growth.completed_months(birth_date, kunjungan.visit_date),
        weight_kg=kunjungan.weight_kg,
        previous_weight_kg=previous.weight_kg if previous else None,
        previous_code=(previous.growth_code or None) if previous else None,
        ever_weighed_before=latest is not None,
    )
    kunjungan.growth_code, kunjungan.weight_gain_g, kunjungan.two_t = code, gain, two_t


def _compute(kunjungan: Kunjungan, *, confirm_implausible: bool) -> None:
    """Fill the computed columns of a visit from its measurements."""
    warga = kunjungan.warga
    stage = kunjungan.stage
    if stage == LifeStage.BALITA:
        result = growth.balita_growth(
            sex=warga.sex,
            birth_date=warga.birth_date,
            measured_on=kunjungan.visit_date,
            weight_kg=kunjungan.weight_kg,
            height_cm=kunjungan.height_cm,
            position=kunjungan.position or None,
        )
        if result.implausible and not confirm_implausible:
            raise ImplausibleMeasurement(result, advice=_implausible_advice(result, kunjungan))
        kunjungan.position = result.position_used if kunjungan.height_cm is not None else ""
        kunjungan.height_adjusted_cm = result.height_adjusted_cm
        for index in ("wfa", "lhfa", "wflh", "bmi"):
            setattr(kunjungan, f"z_{index}", getattr(result, f"z_{index}"))
            setattr(kunjungan, f"cat_{index}", getattr(result, f"cat_{index}") or "")
        kunjungan.implausible = list(result.implausible)
        kunjungan.bgm = result.bgm
        _apply_weight_gain(kunjungan, warga.birth_date)
        return
    bmi = None
    if kunjungan.weight_kg is not None and kunjungan.height_cm is not None:
        bmi = (kunjungan.weight_kg / (kunjungan.height_cm / 100) ** 2).quantize(Decimal("0.1"))
    kunjungan.bmi = bmi
    bmi_z = None
    if stage == LifeStage.REMAJA and kunjungan.weight_kg is not None and kunjungan.height_cm is not None:
        bmi_z = screening.bmi_for_age_z_5_18(
            sex=warga.sex,
            birth_date=warga.birth_date,
            measured_on=kunjungan.visit_date,
            weight_kg=kunjungan.weight_kg,
            height_cm=kunjungan.height_cm,
        )
        kunjungan.z_bmi = bmi_z
    kunjungan.screening_flags = list(
        screening.screen(
            stage=stage,
            sex=warga.sex,
            age_years=growth.completed_months(warga.birth_date, kunjungan.visit_date) // 12,
            weight_kg=kunjungan.weight_kg,
            height_cm=kunjungan.height_cm,
            waist_cm=kunjungan.waist_cm,
            systolic=kunjungan.systolic,
            diastolic=kunjungan.diastolic,
            glucose_mg_dl=kunjungan.glucose_mg_dl,
            glucose_fasting=kunjungan.glucose_fasting,
            hb_g_dl=kunjungan.hb_g_dl,
            muac_cm=kunjungan.muac_cm,
            aks=kunjungan.aks or None,
            bmi_for_age_z=bmi_z,
        )
    )


def _validate_values(kunjungan: Kunjungan, values: dict) -> None:
    errors = {}
    warga = kunjungan.warga
    stage = kunjungan.stage
    errors.update(_check_limits(values, value_limits(stage)))
    if stage == LifeStage.BALITA and values.get("weight_kg") is None and values.get("height_cm") is None:
        errors["weight_kg"] = _("Isi berat badan atau panjang/tinggi badan.")
    if (values.get("systolic") is None) != (values.get("diastolic") is None):
        errors["diastolic" if values.get("diastolic") is None else "systolic"] = _(
            "Isi tekanan darah sistolik dan diastolik sekaligus."
        )
    elif values.get("systolic") is not None:
        if not 50 <= values["systolic"] <= 300 or not 30 <= values["diastolic"] <= 200:
            errors["systolic"] = _("Tekanan darah di luar batas wajar. Periksa ketikan.")
        elif values["systolic"] <= values["diastolic"]:
            errors["systolic"] = _("Sistolik harus lebih besar dari diastolik (misalnya 120/80).")
    if values.get("vitamin_a"):
        age_months = growth.completed_months(warga.birth_date, kunjungan.visit_date)
        capsule = vitamin_a_capsule(age_months)
        if capsule is None:
            errors["vitamin_a"] = _("Vitamin A diberikan untuk umur 6–59 bulan.")
        elif values["vitamin_a"] != capsule:
            errors["vitamin_a"] = _("Untuk umur %(months)s bulan kapsulnya %(capsule)s.") % {
                "months": age_months,
                "capsule": VitaminA(capsule).label,
            }
    if values.get("danger_signs"):
        unknown = set(values["danger_signs"]) - set(DangerSign.values)
        if unknown:
            errors["danger_signs"] = _("Tanda bahaya tidak dikenal.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def kunjungan_record(
    *,
    warga: Warga,
    user,
    values: dict,
    hari_buka: HariBuka | None = None,
    visit_date: datetime.date | None = None,
    reporting_month: datetime.date | None = None,
    antigens: list[str] | tuple = (),
    confirm_implausible: bool = False,
    instance: Kunjungan | None = None,
    version: str | None = None,
    client_id: uuid.UUID | None = None,
) -> Kunjungan:
    """Record (or correct, with ``instance``) one person's visit and the doses given at it.

    At the posyandu, ``hari_buka`` gives the date and reporting month; at home, ``visit_date``
    and ``reporting_month`` do. Raises ``DuplicateVisit`` when the person already has a visit of
    this kind in the month, ``ImplausibleMeasurement`` when the WHO flags a value and the kader
    has not confirmed it, ``ValidationError`` for anything else. Nothing is saved on error.
    ``client_id``: the phone's id of an offline record (``layanan.sync``), unique in the database.
    """
    if instance is not None:
        ensure_unchanged(instance, version, name=warga.name)
        kunjungan = instance
    else:
        kunjungan = _new_visit(
            warga=warga,
            user=user,
            values=values,
            hari_buka=hari_buka,
            visit_date=visit_date,
            reporting_month=reporting_month,
            client_id=client_id,
        )

    # (the doses given at the visit count in the visit date's month)
    month_ensure_open(posyandu=kunjungan.posyandu_id, month=kunjungan.reporting_month, also=kunjungan.visit_date)
    _set_values(kunjungan, values, confirm_implausible=confirm_implausible)
    _save_visit(kunjungan, warga)
    _record_doses(kunjungan, warga, antigens, user=user)
    if instance is not None or (kunjungan.stage == LifeStage.BALITA and kunjungan.weight_kg is not None):
        _refresh_next_month(kunjungan)
    return kunjungan


def _new_visit(
    *,
    warga: Warga,
    user,
    values: dict,
    hari_buka: HariBuka | None,
    visit_date: datetime.date | None,
    reporting_month: datetime.date | None,
    client_id: uuid.UUID | None = None,
) -> Kunjungan:
    """A new visit: where, when and for which month, checked; its stage and age at the visit set."""
    kunjungan = Kunjungan(warga=warga, recorded_by=user, client_id=client_id)
    if hari_buka is not None:
        kunjungan.kind = Kunjungan.Kind.POSYANDU
        kunjungan.hari_buka = hari_buka
        kunjungan.posyandu = hari_buka.posyandu
        kunjungan.visit_date = hari_buka.date
        kunjungan.reporting_month = hari_buka.reporting_month
    else:
        kunjungan.kind = Kunjungan.Kind.RUMAH
        kunjungan.posyandu = warga.posyandu
        if visit_date is None:
            raise ValidationError({"visit_date": _("Isi tanggal kunjungan rumah.")})
        kunjungan.visit_date = visit_date
        kunjungan.reporting_month = dates.month_start(reporting_month or visit_date)
    if kunjungan.visit_date > dates.today():
        raise ValidationError({"visit_date": _("Tanggal kunjungan tidak boleh di masa depan.")})
    if kunjungan.visit_date < warga.birth_date:
        raise ValidationError({"visit_date": _("Tanggal kunjungan sebelum tanggal lahir.")})
    if problem := reporting_month_problem(
        visit_date=kunjungan.visit_date, reporting_month=kunjungan.reporting_month, birth_date=warga.birth_date
    ):
        raise ValidationError({"reporting_month": problem})
    if warga.status != Warga.Status.AKTIF:
        raise ValidationError(
            _("%(name)s tidak aktif lagi (%(status)s).")
            % {
                "name": warga.name,
                "status": warga.get_status_display().lower(),
            }
        )
    existing = (
        Kunjungan.objects.select_related("warga")
        .filter(warga=warga, reporting_month=kunjungan.reporting_month, kind=kunjungan.kind)
        .first()
    )
    if existing is not None:
        raise DuplicateVisit(existing)
    kunjungan.stage, kunjungan.kehamilan = visit_stage(warga, kunjungan.visit_date)
    kunjungan.age_days = dates.age_in_days(warga.birth_date, kunjungan.visit_date)
    if kunjungan.stage == LifeStage.IBU_HAMIL and kunjungan.kehamilan.hpht:
        values.setdefault("gestational_weeks", kunjungan.kehamilan.gestational_weeks(kunjungan.visit_date))
    return kunjungan


def _set_values(kunjungan: Kunjungan, values: dict, *, confirm_implausible: bool) -> None:
    """Set the values allowed at the visit's stage, validated, and what is computed from them."""
    allowed = STAGE_FIELDS[kunjungan.stage]
    values = {key: value for key, value in values.items() if key in allowed}
    if kunjungan.stage == LifeStage.IBU_HAMIL and values.get("gestational_weeks") is None and kunjungan.kehamilan:
        values["gestational_weeks"] = kunjungan.kehamilan.gestational_weeks(kunjungan.visit_date)
    _validate_values(kunjungan, values)
    for key in allowed:
        if key in values:
            value = values[key]
            if value is None and key in ("danger_signs",):
                value = []
            if value is None and key in ("position", "vitamin_a", "aks", "notes"):
                value = ""
            if value is None and key in ("deworming", "pmt", "kelas_ibu", "glucose_fasting"):
                value = False
            setattr(kunjungan, key, value)
    try:
        _compute(kunjungan, confirm_implausible=confirm_implausible)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


def _save_visit(kunjungan: Kunjungan, warga: Warga) -> None:
    """Save through ``record_save``; the person's other visit of the month becomes ``DuplicateVisit``."""
    # The related rows are already loaded and in scope: skip the per-FK existence queries.
    kunjungan.full_clean(exclude=VISIT_FOREIGN_KEYS, validate_unique=False, validate_constraints=False)
    try:
        record_save(kunjungan, validate=False, constraint_errors=_visit_constraint_errors())
    except IntegrityError as exc:
        if ONE_VISIT_CONSTRAINT not in str(exc):
            raise
        # The one constraint whose message needs the existing row.
        existing = Kunjungan.objects.select_related("warga").get(
            warga=warga, reporting_month=kunjungan.reporting_month, kind=kunjungan.kind
        )
        raise DuplicateVisit(existing) from exc


def _record_doses(kunjungan: Kunjungan, warga: Warga, antigens, *, user) -> None:
    """The doses given at the visit, each once per person."""
    given = set(Imunisasi.objects.filter(warga=warga).values_list("antigen", flat=True)) if antigens else set()
    for antigen in antigens:
        if antigen not in Antigen.values:
            raise ValidationError({"antigens": _("Jenis imunisasi tidak dikenal.")})
        if antigen in given:
            continue
        Imunisasi.objects.create(
            warga=warga,
            antigen=antigen,
            given_on=kunjungan.visit_date,
            kunjungan=kunjungan,
            place=str(_("Posyandu")) if kunjungan.kind == Kunjungan.Kind.POSYANDU else str(_("Kunjungan rumah")),
            recorded_by=user,
        )


def _refresh_next_month(kunjungan: Kunjungan) -> None:
    """A corrected weight, or a weighing entered late (a home visit after the posyandu's, a month typed
    in after the next), changes next month's N/T: recompute it from this month's weighing, unless that
    month is locked (an approved month keeps the N/T it was approved with)."""
    next_month = _next_month(kunjungan.reporting_month)
    following = _weighing(kunjungan.warga, next_month) if next_month else None
    if following is not None and monthlock.is_locked(
        posyandu_id=following.posyandu_id, month=following.reporting_month
    ):
        return
    if following is not None and following.stage == LifeStage.BALITA:
        _apply_weight_gain(following, kunjungan.warga.birth_date)
        following.save(update_fields=["growth_code", "weight_gain_g", "two_t", "updated_at"])


def vitamin_a_due(*, age_months: int, month: datetime.date) -> str | None:
    """The capsule due at a visit in a vitamin A month (February, August), else None."""
    if month.month not in VITAMIN_A_MONTHS:
        return None
    return vitamin_a_capsule(age_months)


# ---------------------------------------------------------------------------------------------
# Immunisation recorded outside a visit (given at the Puskesmas, or before registration)
# ---------------------------------------------------------------------------------------------
def imunisasi_record(*, warga: Warga, antigen: str, given_on: datetime.date, place: str = "", user) -> Imunisasi:
    if given_on > dates.today():
        raise ValidationError({"given_on": _("Tanggal imunisasi tidak boleh di masa depan.")})
    if given_on < warga.birth_date:
        raise ValidationError({"given_on": _("Tanggal imunisasi sebelum tanggal lahir.")})
    month_ensure_open(posyandu=warga.posyandu_id, month=given_on)
    imunisasi = Imunisasi(warga=warga, antigen=antigen, given_on=given_on, place=place, recorded_by=user)
    imunisasi.full_clean(validate_constraints=False)
    record_save(
        imunisasi,
        validate=False,
        constraint_errors={
            "imunisasi_one_per_dose": {"antigen": _("Dosis imunisasi ini sudah tercatat untuk anak ini.")}
        },
    )
    return imunisasi


# ---------------------------------------------------------------------------------------------
# Pregnancy
# ---------------------------------------------------------------------------------------------
PREGNANCY_DAYS = 280


def kehamilan_register(
    *,
    mother: Warga,
    registered_on: datetime.date,
    hpht: datetime.date | None = None,
    due_date: datetime.date | None = None,
    gravida: int | None = None,
) -> Kehamilan:
    errors = {}
    today = dates.today()
    if mother.sex != Sex.PEREMPUAN:
        raise ValidationError(_("Hanya perempuan yang dapat dicatat hamil."))
    age_years = (
        growth.completed_months(mother.birth_date, registered_on) // 12 if registered_on >= mother.birth_date else 0
    )
    if not 10 <= age_years <= 55:
        raise ValidationError(_("Umur ibu %(age)s tahun tidak wajar untuk kehamilan.") % {"age": age_years})
    if registered_on > today:
        errors["registered_on"] = _("Tanggal didata tidak boleh di masa depan.")
    if hpht is not None:
        if hpht > registered_on:
            errors["hpht"] = _("HPHT tidak boleh sesudah tanggal didata.")
        elif dates.age_in_days(hpht, registered_on) > 45 * 7:
            errors["hpht"] = _("HPHT lebih dari 45 minggu yang lalu: periksa tanggalnya.")
        due_date = due_date or hpht + datetime.timedelta(days=PREGNANCY_DAYS)
    if errors:
        raise ValidationError(errors)
    kehamilan = Kehamilan(mother=mother, registered_on=registered_on, hpht=hpht, due_date=due_date, gravida=gravida)
    kehamilan.full_clean(validate_constraints=False)
    record_save(
        kehamilan,
        validate=False,
        constraint_errors={"kehamilan_one_ongoing_per_mother": _("Ibu ini sudah tercatat sedang hamil.")},
    )
    return kehamilan


@transaction.atomic
def kehamilan_end(
    *,
    kehamilan: Kehamilan,
    outcome: str,
    ended_on: datetime.date,
    baby_name: str = "",
    baby_sex: str = "",
    birth_weight_kg: Decimal | None = None,
) -> Kehamilan:
    """Record the outcome. A live birth creates the baby's record, linked to the mother."""
    if not kehamilan.is_ongoing:
        raise ValidationError(_("Kehamilan ini sudah selesai dicatat."))
    if outcome == Kehamilan.Outcome.BERLANGSUNG or outcome not in Kehamilan.Outcome.values:
        raise ValidationError({"outcome": _("Pilih hasil kehamilan.")})
    if ended_on > dates.today():
        raise ValidationError({"ended_on": _("Tanggal tidak boleh di masa depan.")})
    if ended_on < kehamilan.registered_on and (kehamilan.hpht is None or ended_on < kehamilan.hpht):
        raise ValidationError({"ended_on": _("Tanggal tidak boleh sebelum kehamilan didata.")})
    mother = kehamilan.mother
    if outcome == Kehamilan.Outcome.LAHIR_HIDUP:
        errors = {}
        if not baby_name.strip():
            errors["baby_name"] = _("Isi nama bayi (boleh 'Bayi Ny. %(name)s').") % {"name": mother.name}
        if baby_sex not in Sex.values:
            errors["baby_sex"] = _("Pilih jenis kelamin bayi.")
        if errors:
            raise ValidationError(errors)
        baby = Warga(
            name=baby_name,
            sex=baby_sex,
            birth_date=ended_on,
            birth_weight_kg=birth_weight_kg,
            mother=mother,
            keluarga=mother.keluarga,
            posyandu=mother.posyandu,
        )
        baby.full_clean()
        baby.save()
        kehamilan.baby = baby
    kehamilan.outcome = outcome
    kehamilan.ended_on = ended_on
    kehamilan.full_clean(validate_constraints=False)
    kehamilan.save()
    return kehamilan


# ---------------------------------------------------------------------------------------------
# Referral
# ---------------------------------------------------------------------------------------------
def rujukan_create(
    *, kunjungan: Kunjungan, destination: str, referred_on: datetime.date, reasons: str, user
) -> Rujukan:
    if referred_on < kunjungan.visit_date:
        raise ValidationError({"referred_on": _("Tanggal rujukan tidak boleh sebelum kunjungan.")})
    if referred_on > dates.today():
        raise ValidationError({"referred_on": _("Tanggal rujukan tidak boleh di masa depan.")})
    month_ensure_open(posyandu=kunjungan.posyandu_id, month=kunjungan.reporting_month)
    rujukan = Rujukan(
        kunjungan=kunjungan, destination=destination, referred_on=referred_on, reasons=reasons.strip(), created_by=user
    )
    rujukan.full_clean(validate_constraints=False, validate_unique=False)
    record_save(
        rujukan,
        validate=False,
        constraint_errors={"layanan_rujukan_kunjungan_id_key": _("Kunjungan ini sudah dirujuk.")},
    )
    return rujukan


def rujukan_follow_up(*, rujukan: Rujukan, status: str, follow_up_on: datetime.date, notes: str = "") -> Rujukan:
    if status == Rujukan.Status.DIRUJUK:
        raise ValidationError({"status": _("Pilih hasil tindak lanjut.")})
    if follow_up_on < rujukan.referred_on:
        raise ValidationError({"follow_up_on": _("Tanggal tindak lanjut tidak boleh sebelum tanggal dirujuk.")})
    if follow_up_on > dates.today():
        raise ValidationError({"follow_up_on": _("Tanggal tidak boleh di masa depan.")})
    # A follow-up counts in the month of the visit that referred, and in its own month.
    month_ensure_open(
        posyandu=rujukan.kunjungan.posyandu_id, month=rujukan.kunjungan.reporting_month, also=follow_up_on
    )
    rujukan.status = status
    rujukan.follow_up_on = follow_up_on
    rujukan.follow_up_notes = notes.strip()
    rujukan.full_clean()
    rujukan.save()
    return rujukan
