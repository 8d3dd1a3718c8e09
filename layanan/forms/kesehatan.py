"""Forms of the health field: they validate and convert types; the services compute and save."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from layanan.growth import Position, expected_position
from layanan.models import DangerSign, Kehamilan, Rujukan, reporting_month_problem
from layanan.schedule import SCHEDULE, Antigen, VitaminA
from layanan.screening import Aks
from layanan.services import STAGE_FIELDS as RECORDED_FIELDS
from posyandu import dates, periods
from posyandu.forms import (
    AsciiDateField,
    AsciiIntegerField,
    DateInput,
    IdChoiceField,
    LocalDecimalField,
    whole_number_field,
)
from posyandu.models import LifeStage, Sex
from posyandu.params import has_other_digits
from posyandu.scope import scoped


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


class MonthField(forms.DateField):
    """A reporting month typed as ``2026-11`` (or picked); stored as its first day. ASCII digits only,
    and only the months the system holds (``posyandu.periods``): ``0001-01`` or ``9999-12`` is an error."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%m/%Y", "%m-%Y", "%Y-%m-%d"]
    default_error_messages = {"invalid": _("Masukkan bulan, misalnya 2026-11.")}

    def to_python(self, value):
        if isinstance(value, str) and has_other_digits(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        value = super().to_python(value)
        return dates.month_start(value) if value else value

    def validate(self, value):
        super().validate(value)
        if value and (problem := periods.month_problem(value)):
            raise ValidationError(problem, code="out_of_range")


def _decimal(label, *, places=1, help_text=""):
    return LocalDecimalField(
        label=label,
        required=False,
        max_digits=5,
        decimal_places=places,
        help_text=help_text,
        error_messages={"max_decimal_places": _("Paling banyak %(max)s angka di belakang koma.")},
    )


class HariBukaForm(forms.Form):
    posyandu = IdChoiceField(
        label=_("Posyandu"),
        queryset=None,
        error_messages={"invalid_choice": _("Pilih posyandu di wilayah tugas Anda.")},
    )
    date = AsciiDateField(label=_("Tanggal buka"), widget=DateInput())
    reporting_month = MonthField(
        label=_("Bulan laporan"),
        required=False,
        help_text=_("Kosongkan bila sama dengan bulan tanggal buka."),
    )
    place = forms.CharField(label=_("Tempat"), required=False, max_length=120)
    kader_present = whole_number_field(_("Jumlah kader hadir"), min_value=0, max_value=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from posyandu.models import Posyandu

        queryset = scoped(Posyandu.objects.filter(status=Posyandu.Status.AKTIF), user).select_related("desa")
        self.fields["posyandu"].queryset = queryset.order_by("name")
        if user.posyandu_id:
            self.fields["posyandu"].initial = user.posyandu_id
            self.fields["posyandu"].widget = forms.HiddenInput()
        self.fields["date"].initial = dates.today()

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > dates.today():
            raise ValidationError(_("Tanggal buka tidak boleh di masa depan."))
        return date


class KunjunganForm(forms.Form):
    """One person's visit. The fields depend on the life stage of the person on the visit date."""

    visit_date = AsciiDateField(label=_("Tanggal kunjungan"), widget=DateInput())
    reporting_month = MonthField(label=_("Bulan laporan"), required=False)
    # measurements
    weight_kg = LocalDecimalField(
        label=_("Berat badan (kg)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        error_messages={"max_decimal_places": _("Paling banyak 2 angka di belakang koma.")},
    )
    height_cm = _decimal(_("Panjang/tinggi badan (cm)"))
    position = forms.ChoiceField(
        label=_("Cara ukur"), choices=Position.choices, required=False, widget=forms.RadioSelect
    )
    head_circumference_cm = _decimal(_("Lingkar kepala (cm)"))
    muac_cm = _decimal(_("LiLA (cm)"))
    waist_cm = _decimal(_("Lingkar perut (cm)"))
    systolic = whole_number_field(_("Tekanan darah sistolik"), help_text=_("Angka atas, mis. 120."))
    diastolic = whole_number_field(_("Diastolik"), help_text=_("Angka bawah, mis. 80."))
    glucose_mg_dl = whole_number_field(_("Gula darah (mg/dL)"))
    glucose_fasting = forms.BooleanField(label=_("Gula darah puasa"), required=False)
    hb_g_dl = _decimal(_("Hb (g/dL)"))
    gestational_weeks = whole_number_field(_("Usia kehamilan (minggu)"), min_value=1, max_value=45)
    anc_visit = whole_number_field(_("Periksa kehamilan ke- (K1–K6)"), min_value=1, max_value=12)
    ttd_tablets = whole_number_field(_("Tablet tambah darah diberikan"), min_value=0, max_value=120)
    danger_signs = forms.MultipleChoiceField(
        label=_("Tanda bahaya"), choices=DangerSign.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    kelas_ibu = forms.BooleanField(label=_("Ikut kelas ibu hamil"), required=False)
    smoking = forms.NullBooleanField(
        label=_("Merokok"),
        required=False,
        widget=forms.RadioSelect(choices=[("", _("Tidak ditanya")), ("true", _("Ya")), ("false", _("Tidak"))]),
    )
    aks = forms.ChoiceField(label=_("Kemandirian (AKS)"), choices=[("", "—"), *Aks.choices], required=False)
    # services
    vitamin_a = forms.BooleanField(label=_("Diberi vitamin A"), required=False)
    deworming = forms.BooleanField(label=_("Obat cacing"), required=False)
    pmt = forms.BooleanField(label=_("PMT"), required=False)
    exclusive_breastfeeding = forms.BooleanField(label=_("Masih ASI saja (eksklusif)"), required=False)
    antigens = forms.MultipleChoiceField(
        label=_("Imunisasi hari ini"),
        choices=Antigen.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    notes = forms.CharField(label=_("Catatan"), required=False, max_length=500)
    confirm_implausible = forms.BooleanField(label=_("Sudah diukur ulang: nilainya memang benar"), required=False)
    version = forms.CharField(required=False, widget=forms.HiddenInput)  # corrections: posyandu.concurrency

    # The fields each stage records: the service's list (one source), plus the doses given at the visit.
    STAGE_FIELDS = {
        stage: (*fields, "antigens") if stage == LifeStage.BALITA else fields
        for stage, fields in RECORDED_FIELDS.items()
    }

    def __init__(
        self,
        *args,
        warga,
        stage: str,
        on: datetime.date,
        given: set[str] = frozenset(),
        due: tuple[str, ...] = (),
        overdue: frozenset[str] = frozenset(),
        vitamin_a_capsule: str | None = None,
        home_visit: bool = False,
        editing: bool = False,
        pregnancy=None,
        **kwargs,
    ):
        # long: which fields each life stage records, decided in one place
        super().__init__(*args, **kwargs)
        self.warga, self.stage, self.on = warga, stage, on
        self.vitamin_a_capsule = vitamin_a_capsule
        keep = set(self.STAGE_FIELDS[stage]) | {"confirm_implausible"} | ({"version"} if editing else set())
        first = next(name for name in self.STAGE_FIELDS[stage] if name in self.fields)
        self.fields[first].widget.attrs["autofocus"] = True
        if home_visit and not editing:
            keep |= {"visit_date", "reporting_month"}
            self.fields["visit_date"].initial = dates.today()
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        age_days = dates.age_in_days(warga.birth_date, on)
        age_months = dates.months_between(warga.birth_date, on)  # completed: born 20 Jan, 10 Jul → 5
        if stage == LifeStage.BALITA:
            expected = expected_position(age_days)
            self.fields["position"].initial = expected
            lying = expected == Position.TERLENTANG
            self.fields["height_cm"].label = _("Panjang badan (cm)") if lying else _("Tinggi badan (cm)")
            if vitamin_a_capsule is None:
                del self.fields["vitamin_a"]
            else:
                self.fields["vitamin_a"].label = _("Diberi vitamin A — %(capsule)s") % {
                    "capsule": VitaminA(vitamin_a_capsule).label
                }
            if age_months >= 6:
                del self.fields["exclusive_breastfeeding"]
            if age_months < 6 or age_months > 59:
                del self.fields["deworming"]
            if editing:
                del self.fields["antigens"]
            else:
                # Due doses first, then the rest not yet given (catch-up, or given early).
                due_set = set(due)
                order = [d.antigen for d in SCHEDULE if d.antigen in due_set] + [
                    d.antigen for d in SCHEDULE if d.antigen not in due_set and d.antigen not in given
                ]
                self.fields["antigens"].choices = [(code, Antigen(code).label) for code in order]
                self.due_antigens = due_set
                self.overdue_antigens = overdue
                if not order:
                    del self.fields["antigens"]
        self._prefill_gestational_age(pregnancy=pregnancy, editing=editing)
        if "hb_g_dl" in self.fields and warga.sex == Sex.LAKI_LAKI and stage == LifeStage.REMAJA:
            del self.fields["hb_g_dl"]
        if "ttd_tablets" in self.fields and warga.sex == Sex.LAKI_LAKI:
            del self.fields["ttd_tablets"]

    def show_last_weighing(self, weighing) -> None:
        """The last weighing (a Kunjungan or None) beside the weight field: "Terakhir: 9,2 kg, 10 Feb 2026"."""
        if weighing is not None and "weight_kg" in self.fields:
            self.fields["weight_kg"].help_text = _("Terakhir: %(kg)s kg, %(date)s") % {
                "kg": f"{weighing.weight_kg:f}".rstrip("0").rstrip(".").replace(".", ","),
                "date": date_format(weighing.visit_date, "j M Y"),
            }

    def _prefill_gestational_age(self, *, pregnancy, editing: bool) -> None:
        """Gestational age from the pregnancy (HPHT, or HPL) on the visit date; the kader may change it."""
        if pregnancy is not None and not editing and "gestational_weeks" in self.fields:
            weeks = pregnancy.gestational_weeks(self.on)
            if weeks is not None and 1 <= weeks <= 45:
                self.fields["gestational_weeks"].initial = weeks
                self.fields["gestational_weeks"].help_text = _("Dihitung dari HPHT/HPL; ubah bila berbeda.")

    @property
    def measurement_fields(self):
        return [
            self[name]
            for name in ("weight_kg", "height_cm", "muac_cm", "head_circumference_cm", "waist_cm")
            if name in self.fields
        ]

    def clean_visit_date(self):
        value = self.cleaned_data["visit_date"]
        if value > dates.today():
            raise ValidationError(_("Tanggal kunjungan tidak boleh di masa depan."))
        if value < self.warga.birth_date:
            raise ValidationError(_("Tanggal kunjungan sebelum tanggal lahir."))
        return value

    def clean(self):
        cleaned = super().clean()
        visit_date, month = cleaned.get("visit_date"), cleaned.get("reporting_month")
        if visit_date and month:
            problem = reporting_month_problem(
                visit_date=visit_date, reporting_month=month, birth_date=self.warga.birth_date
            )
            if problem:
                self.add_error("reporting_month", problem)
        return cleaned

    def service_values(self) -> dict:
        """The cleaned values the visit service takes (vitamin A as the capsule for the age)."""
        data = dict(self.cleaned_data)
        for name in ("visit_date", "reporting_month", "antigens", "confirm_implausible"):
            data.pop(name, None)
        if "vitamin_a" in data:
            data["vitamin_a"] = self.vitamin_a_capsule if data["vitamin_a"] else ""
        if "exclusive_breastfeeding" in self.fields:
            data["exclusive_breastfeeding"] = bool(data.get("exclusive_breastfeeding"))
        return data


class BatchRowForm(forms.Form):
    """One row of the batch-entry table typed from the paper sheet: a balita's weighing."""

    warga = AsciiIntegerField(widget=forms.HiddenInput)
    weight_kg = LocalDecimalField(label=_("BB (kg)"), required=False, max_digits=5, decimal_places=2)
    height_cm = _decimal(_("PB/TB (cm)"))
    position = forms.ChoiceField(label=_("Cara ukur"), choices=[("", "—"), *Position.choices], required=False)
    muac_cm = _decimal(_("LiLA (cm)"))
    vitamin_a = forms.BooleanField(label=_("Vit. A"), required=False)
    confirm_implausible = forms.BooleanField(label=_("Benar"), required=False)

    @property
    def has_values(self) -> bool:
        data = self.cleaned_data
        return any(data.get(name) is not None for name in ("weight_kg", "height_cm", "muac_cm"))


class ImunisasiForm(forms.Form):
    antigen = forms.ChoiceField(label=_("Imunisasi"), choices=Antigen.choices)
    given_on = AsciiDateField(label=_("Tanggal diberikan"), widget=DateInput())
    place = forms.CharField(label=_("Tempat"), max_length=80, required=False)

    def __init__(self, *args, given: set[str] = frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["antigen"].choices = [
            (d.antigen, Antigen(d.antigen).label) for d in SCHEDULE if d.antigen not in given
        ]


class KehamilanForm(forms.Form):
    registered_on = AsciiDateField(label=_("Tanggal didata"), widget=DateInput())
    hpht = AsciiDateField(label=_("HPHT (hari pertama haid terakhir)"), required=False, widget=DateInput())
    due_date = AsciiDateField(
        label=_("Perkiraan lahir (HPL)"),
        required=False,
        widget=DateInput(),
        help_text=_("Kosongkan: dihitung dari HPHT (+280 hari)."),
    )
    gravida = whole_number_field(_("Kehamilan ke-"), min_value=1, max_value=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registered_on"].initial = dates.today()


class KehamilanEndForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Hasil"),
        choices=[c for c in Kehamilan.Outcome.choices if c[0] != Kehamilan.Outcome.BERLANGSUNG],
        widget=forms.RadioSelect,
    )
    ended_on = AsciiDateField(label=_("Tanggal persalinan/berakhir"), widget=DateInput())
    baby_name = forms.CharField(label=_("Nama bayi"), required=False, max_length=120)
    baby_sex = forms.ChoiceField(label=_("Jenis kelamin bayi"), choices=[("", "—"), *Sex.choices], required=False)
    birth_weight_kg = LocalDecimalField(label=_("Berat lahir (kg)"), required=False, max_digits=3, decimal_places=2)


class RujukanForm(forms.Form):
    destination = forms.ChoiceField(label=_("Dirujuk ke"), choices=Rujukan.Destination.choices)
    referred_on = AsciiDateField(label=_("Tanggal dirujuk"), widget=DateInput())
    reasons = forms.CharField(label=_("Alasan"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class RujukanFollowUpForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Hasil tindak lanjut"),
        choices=[c for c in Rujukan.Status.choices if c[0] != Rujukan.Status.DIRUJUK],
        widget=forms.RadioSelect,
    )
    follow_up_on = AsciiDateField(label=_("Tanggal"), widget=DateInput())
    notes = forms.CharField(label=_("Catatan"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up_on"].initial = dates.today()
