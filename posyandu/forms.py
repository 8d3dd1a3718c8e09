"""Forms for posyandu and pengurus. They validate and convert types; services do the writing."""

from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from posyandu.models import Pengurus, Posyandu, Wilayah
from posyandu.scope import area_filter, scoped


class LocalDecimalField(forms.DecimalField):
    """A decimal typed the Indonesian way (``8,5``) or the other (``8.5``); opens a numeric keyboard."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("localize", False)
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("step", None)
        attrs.update({"inputmode": "decimal", "autocomplete": "off"})
        return attrs

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().replace(" ", "")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(_("Masukkan angka, misalnya 8,5."), code="invalid") from None
        if not number.is_finite():
            raise ValidationError(_("Masukkan angka, misalnya 8,5."), code="invalid")
        return number


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."),
        "inactive": _("Akun ini tidak aktif. Hubungi operator desa atau admin."),
    }


class DesaChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Wilayah) -> str:
        return f"{obj.parent.display_name} — {obj.display_name}"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PosyanduForm(forms.ModelForm):
    desa = DesaChoiceField(
        queryset=Wilayah.objects.none(),
        label=_("Desa/kelurahan"),
        empty_label=_("— Pilih desa/kelurahan —"),
        error_messages={"invalid_choice": _("Pilih desa/kelurahan di wilayah tugas Anda.")},
    )
    latitude = LocalDecimalField(
        label=_("Lintang"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        widget=forms.TextInput,
        help_text=_("Contoh: -5,416700"),
    )
    longitude = LocalDecimalField(
        label=_("Bujur"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        widget=forms.TextInput,
        help_text=_("Contoh: 119,450000"),
    )

    class Meta:
        model = Posyandu
        fields = [
            "name",
            "desa",
            "address",
            "latitude",
            "longitude",
            "registration_number",
            "sk_number",
            "sk_date",
            "formed_on",
            "schedule_kind",
            "schedule_day",
            "schedule_week",
            "schedule_weekday",
            "status",
            "inactive_reason",
            "inactive_since",
        ]
        widgets = {
            "sk_date": DateInput(),
            "formed_on": DateInput(),
            "inactive_since": DateInput(),
            "schedule_day": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 28}),
            "schedule_week": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 4}),
            "registration_number": forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "73.05.01.2001.001"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa"].queryset = (
            scoped(Wilayah.objects.filter(level=Wilayah.Level.DESA), user)
            .select_related("parent")
            .order_by("parent__name", "name")
        )
        if not self.instance.pk and not self.is_bound:
            only = list(self.fields["desa"].queryset[:2])
            if len(only) == 1:  # a desa operator has exactly one desa: choose it for them
                self.initial["desa"] = only[0].pk

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_registration_number(self):
        return (self.cleaned_data.get("registration_number") or "").strip() or None

    def validate_unique(self):
        # Uniqueness is checked by the service's full_clean and, finally, by the database.
        pass


class PengurusForm(forms.ModelForm):
    class Meta:
        model = Pengurus
        fields = ["position", "field", "name", "phone", "sk_number", "sk_date", "term_start", "term_end"]
        widgets = {
            "sk_date": DateInput(),
            "term_start": DateInput(),
            "term_end": DateInput(),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("position") == Pengurus.Position.KETUA_BIDANG and not cleaned.get("field"):
            self.add_error("field", _("Pilih bidang untuk ketua bidang."))
        if cleaned.get("position") and cleaned.get("position") != Pengurus.Position.KETUA_BIDANG:
            cleaned["field"] = ""
        return cleaned

    def _post_clean(self):
        # The model is validated by the service (pengurus_appoint), which also ends the old term.
        pass


class PengurusEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Berhenti pada"), widget=DateInput())


class PosyanduFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nama atau nomor registrasi"))
    wilayah = django_filters.CharFilter(method="in_area", label=_("Kode wilayah"), widget=forms.HiddenInput)
    kecamatan = django_filters.ModelChoiceFilter(
        queryset=Wilayah.objects.none(),
        method="in_kecamatan",
        label=_("Kecamatan"),
        empty_label=_("Semua kecamatan"),
    )
    desa = django_filters.ModelChoiceFilter(
        queryset=Wilayah.objects.none(), field_name="desa", label=_("Desa"), empty_label=_("Semua desa")
    )
    status = django_filters.ChoiceFilter(
        choices=Posyandu.Status.choices, label=_("Status"), empty_label=_("Semua status")
    )

    class Meta:
        model = Posyandu
        fields = ["q", "wilayah", "kecamatan", "desa", "status"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas = scoped(Wilayah.objects.all(), user)
        self.filters["kecamatan"].queryset = areas.filter(level=Wilayah.Level.KECAMATAN).order_by("name")
        desa = areas.filter(level=Wilayah.Level.DESA).order_by("name")
        kecamatan_code = self.data.get("kecamatan")
        if kecamatan_code:
            desa = desa.filter(parent_id=kecamatan_code)
        self.filters["desa"].queryset = desa

    def search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(name__icontains=value) | Q(registration_number__startswith=value)) if value else queryset
        )

    def in_area(self, queryset, name, value):
        return queryset.filter(area_filter("desa__code", value.strip())) if value.strip() else queryset

    def in_kecamatan(self, queryset, name, value):
        return queryset.filter(desa__parent=value) if value else queryset
