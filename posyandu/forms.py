"""Forms for posyandu, pengurus, households and people. They validate and convert types; services write."""

import re
import unicodedata
from decimal import Decimal

import django_filters
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from posyandu import login_protection, periods
from posyandu.concurrency import version_of
from posyandu.models import Keluarga, LifeStage, Pengurus, Posyandu, Sex, SpmField, Warga, Wilayah
from posyandu.params import has_other_digits, is_area_code, is_ascii_digits, is_id
from posyandu.scope import area_filter, scoped
from posyandu.services import POSYANDU_EDITABLE_FIELDS

OTHER_DIGITS_MESSAGE = _("Tulis angka dengan angka biasa 0–9 (angka lebar atau Arab tidak diterima).")
NOT_A_DECIMAL_MESSAGE = _("Masukkan angka, misalnya 8,5.")
EXPONENT_MESSAGE = _("Ada huruf e pada angka ini. Tulis angkanya saja, misalnya 8,5.")

# What a kader types as a number, ASCII digits only. Python's ``Decimal()`` and ``int()`` take more: an
# exponent (``1e2`` is 100), ``NaN``, ``Infinity``, underscores (``1_0`` is 10). A kader means none of
# them. The phone reads with the same grammar (static/js/offline/numbers.js; tests/typed_numbers.py).
DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")
EXPONENT_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+")
WHOLE_NUMBER_RE = re.compile(r"[+-]?[0-9]+(?:\.0*)?")  # Django's IntegerField takes a trailing ".0"


class IdChoiceField(forms.ModelChoiceField):
    """A choice of a row by its key, the key checked before any query: an id is ASCII digits within
    a bigint (``int()`` would turn ``٧`` into 7), an area's key a Kemendagri code."""

    def to_python(self, value):
        if value in self.empty_values or isinstance(value, self.queryset.model):
            return super().to_python(value)
        text = str(value)
        valid = is_area_code(text) if self.queryset.model is Wilayah else is_id(text)
        if not valid:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text})
        return super().to_python(value)


class AsciiDateField(forms.DateField):
    """A date typed with the digits 0–9 (``strptime`` would take ``٢٠٢٦`` silently), within the wide
    bound of ``posyandu.periods.date_problem`` (no ``0001-01-01``, no ``9999-12-31``)."""

    def to_python(self, value):
        if isinstance(value, str) and has_other_digits(value):
            raise ValidationError(OTHER_DIGITS_MESSAGE, code="invalid")
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        if value and (problem := periods.date_problem(value)):
            raise ValidationError(problem, code="out_of_range")


class AsciiIntegerField(forms.IntegerField):
    """A whole number typed with the digits 0–9 only: other scripts' digits are refused, not converted,
    and so is what ``int()`` alone would read (``1_0``)."""

    def to_python(self, value):
        if isinstance(value, str):
            if has_other_digits(value):
                raise ValidationError(OTHER_DIGITS_MESSAGE, code="invalid")
            if value.strip() and not WHOLE_NUMBER_RE.fullmatch(value.strip()):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


def ascii_formfield(model_field, **kwargs):
    """A ModelForm's ``formfield_callback``: its dates, whole numbers and row choices typed with ASCII
    digits only, checked as above."""
    if isinstance(model_field, models.ForeignKey):
        kwargs.setdefault("form_class", IdChoiceField)
    elif isinstance(model_field, models.DateField) and not isinstance(model_field, models.DateTimeField):
        kwargs.setdefault("form_class", AsciiDateField)
    elif isinstance(model_field, models.IntegerField) and not model_field.choices:
        kwargs.setdefault("form_class", AsciiIntegerField)
    return model_field.formfield(**kwargs)


class LocalDecimalField(forms.DecimalField):
    """A decimal typed the Indonesian way (``8,5``) or the other (``8.5``); opens a numeric keyboard.

    A text input with ``inputmode="decimal"``, not ``type=number``: browsers refuse a comma there.
    """

    widget = forms.TextInput

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
        if has_other_digits(text):
            raise ValidationError(OTHER_DIGITS_MESSAGE, code="invalid")
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        if DECIMAL_RE.fullmatch(text) is None:
            message = EXPONENT_MESSAGE if EXPONENT_RE.fullmatch(text) else NOT_A_DECIMAL_MESSAGE
            raise ValidationError(message, code="invalid")
        return Decimal(text)


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."),
        "inactive": _("Akun ini tidak aktif. Hubungi operator desa atau admin."),
    }
    USERNAME_MAX_LENGTH = 150  # the User model's; a longer one cannot exist and is refused before any lookup

    def clean_username(self):
        """Refuse what no account can be called before it reaches authentication, so a stranger's
        5,000-character or control-character "username" never reaches the lockout log (axes)."""
        username = self.cleaned_data.get("username") or ""
        if len(username) > self.USERNAME_MAX_LENGTH:
            raise ValidationError(
                _("Nama pengguna paling panjang %(limit)d karakter.") % {"limit": self.USERNAME_MAX_LENGTH},
                code="max_length",
            )
        if any(unicodedata.category(char) in {"Cc", "Cf"} for char in username):
            raise ValidationError(_("Nama pengguna berisi karakter yang tidak diizinkan."), code="invalid")
        return username


class PasswordChangeForm(DjangoPasswordChangeForm):
    """Django's form, with the old password counted like a login (posyandu/login_protection.py): a wrong
    one is a failed login of this username from this address, and while it is locked out the old
    password is not checked at all."""

    def __init__(self, user, *args, request, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        username = self.user.get_username()
        if not login_protection.password_check_allowed(self.request, username=username):
            raise ValidationError(_("Akun dikunci sementara."), code="locked_out")
        try:
            return super().clean_old_password()
        except ValidationError:
            login_protection.password_check_failed(self.request, username=username)
            raise


class DesaChoiceField(IdChoiceField):
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
        formfield_callback = ascii_formfield
        model = Posyandu
        fields = list(POSYANDU_EDITABLE_FIELDS)  # one list: the service saves exactly what the form edits
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
        formfield_callback = ascii_formfield
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


class OpdForm(forms.Form):
    """An OPD of the kabupaten: its name, short name and the SPM fields it is responsible for. The
    kabupaten is the team's own (an admin picks one)."""

    kabupaten = IdChoiceField(label=_("Kabupaten/kota"), queryset=Wilayah.objects.none())
    name = forms.CharField(label=_("Nama OPD"), max_length=120)
    short_name = forms.CharField(label=_("Singkatan"), max_length=30, help_text=_("Misalnya Dinsos, Disdik."))
    fields = forms.MultipleChoiceField(
        label=_("Bidang SPM yang diampu"),
        choices=SpmField.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Pilih sedikitnya satu bidang SPM.")},
    )

    def __init__(self, *args, kabupaten_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kabupaten_choices is None:
            del self.fields["kabupaten"]  # editing: the kabupaten stays
        else:
            self.fields["kabupaten"].queryset = kabupaten_choices
            if kabupaten_choices.count() == 1:
                self.fields["kabupaten"].initial = kabupaten_choices.first().pk

    def clean_name(self):
        return squash_spaces(self.cleaned_data["name"])

    def clean_short_name(self):
        return squash_spaces(self.cleaned_data["short_name"])


class PengurusEndForm(forms.Form):
    ended_on = AsciiDateField(label=_("Berhenti pada"), widget=DateInput())


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
        if kecamatan_code and is_area_code(kecamatan_code):  # a malformed one is the form's error
            desa = desa.filter(parent_id=kecamatan_code)
        self.filters["desa"].queryset = desa

    def search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(Q(name__icontains=value) | Q(registration_number__startswith=value)) if value else queryset
        )

    def in_area(self, queryset, name, value):
        code = value.strip()
        if not code:
            return queryset
        if not is_area_code(code):  # not a Kemendagri code: no posyandu lies there
            return queryset.none()
        return queryset.filter(area_filter("desa__code", code))

    def in_kecamatan(self, queryset, name, value):
        return queryset.filter(desa__parent=value) if value else queryset


# ---------------------------------------------------------------------------------------------
# Households and people
# ---------------------------------------------------------------------------------------------
class IdentityNumberField(forms.CharField):
    """A NIK or KK number: spaces, dots and dashes copied from a card are dropped; numeric keyboard.

    Whether the number is right (16 digits, kecamatan code, birth date) is the model's rule, so the
    message comes from one place.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"})
        return attrs

    def to_python(self, value):
        text = super().to_python(value)
        if has_other_digits(text):
            raise ValidationError(
                _("%(label)s ditulis dengan angka biasa 0–9 (angka lebar atau Arab tidak diterima).")
                % {"label": self.label},
                code="invalid",
            )
        return "".join(ch for ch in text if ch not in " .-") or None


def squash_spaces(text: str | None) -> str:
    return " ".join((text or "").split())


class PosyanduChoiceField(IdChoiceField):
    def label_from_instance(self, obj: Posyandu) -> str:
        return f"{obj.name} — {obj.desa.display_name}"


def _scoped_posyandu(user):
    return scoped(Posyandu.objects.all(), user).select_related("desa").order_by("desa__name", "name")


class PosyanduPickForm(forms.Form):
    """An area user first picks the posyandu a new person is registered at."""

    posyandu = PosyanduChoiceField(
        queryset=Posyandu.objects.none(),
        label=_("Posyandu"),
        empty_label=_("— Pilih posyandu —"),
        error_messages={"invalid_choice": _("Pilih posyandu di wilayah tugas Anda.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["posyandu"].queryset = _scoped_posyandu(user).filter(status=Posyandu.Status.AKTIF)


class KeluargaChoiceField(IdChoiceField):
    def label_from_instance(self, obj: Keluarga) -> str:
        where = " / ".join(
            part for part in (f"RW {obj.rw}" if obj.rw else "", f"RT {obj.rt}" if obj.rt else "") if part
        )
        return f"{where} — {obj.head_name}" if where else obj.head_name


class WargaForm(forms.ModelForm):
    """A person's data. The mother is picked from a name search (``mother``) or typed (``mother_name``)."""

    nik = IdentityNumberField(
        label=_("NIK"), help_text=_("16 digit dari KTP atau Kartu Keluarga. Kosongkan bila belum punya.")
    )
    birth_weight_kg = LocalDecimalField(
        label=_("Berat lahir (kg)"),
        required=False,
        max_digits=3,
        decimal_places=2,
        widget=forms.TextInput,
        help_text=_("Contoh: 3,2. Untuk bayi dan balita."),
    )
    mother = IdChoiceField(
        queryset=Warga.objects.none(),
        required=False,
        label=_("Ibu kandung terdaftar"),
        widget=forms.HiddenInput,  # rendered as the radio list of warga_mother_options.html
        error_messages={"invalid_choice": _("Pilih ibu kandung dari hasil pencarian.")},
    )
    keluarga = KeluargaChoiceField(
        queryset=Keluarga.objects.none(),
        required=False,
        label=_("Keluarga"),
        empty_label=_("— Belum dimasukkan ke keluarga —"),
        error_messages={"invalid_choice": _("Pilih keluarga dari posyandu ini.")},
    )
    confirm_different = forms.BooleanField(required=False, label=_("Saya sudah memeriksa: ini orang yang berbeda"))
    duplicates_seen = forms.CharField(required=False, widget=forms.HiddenInput)
    version = forms.CharField(required=False, widget=forms.HiddenInput)  # see posyandu.concurrency

    class Meta:
        formfield_callback = ascii_formfield
        model = Warga
        fields = [
            "name",
            "nik",
            "sex",
            "birth_date",
            "birth_weight_kg",
            "mother",
            "mother_name",
            "keluarga",
            "has_buku_kia",
            "kia_number",
            "phone",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "words"}),
            "sex": forms.RadioSelect,
            "birth_date": DateInput(),
            "mother_name": forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "words"}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
            "kia_number": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "mother_name": _(
                "Ketik nama ibu lalu pilih dari daftar bila sudah terdaftar; bila tidak ada, nama ini yang disimpan."
            ),
        }

    def __init__(self, *args, user, posyandu: Posyandu, **kwargs):
        super().__init__(*args, **kwargs)
        mothers = scoped(Warga.objects.all(), user)
        if self.instance.mother_id:  # keep a mother who has since moved out of the user's scope
            mothers = mothers | Warga.objects.filter(pk=self.instance.mother_id)
        self.fields["mother"].queryset = mothers
        self.fields["keluarga"].queryset = posyandu.keluarga_set.order_by("rw", "rt", "head_name", "pk")
        self.fields["sex"].choices = Sex.choices  # no blank radio
        self.fields["version"].initial = version_of(self.instance)
        search_url = reverse("posyandu:warga_search")
        if self.instance.pk:
            search_url += f"?warga={self.instance.pk}"
        # With JavaScript, htmx refreshes the mother choices while typing; without it, "Cari ibu" does.
        self.fields["mother_name"].widget.attrs.update(
            {
                "hx-get": search_url,
                "hx-trigger": "input changed delay:400ms, search",
                "hx-target": "#mother-options",
                "hx-include": "[name='mother']",
                "hx-sync": "this:replace",
            }
        )
        if self.instance.pk:
            del self.fields["confirm_different"]
            del self.fields["duplicates_seen"]
            if self.instance.mother_id and not self.is_bound:
                self.initial["mother_name"] = self.instance.mother.name

    def clean_name(self):
        return squash_spaces(self.cleaned_data["name"])

    def clean_mother_name(self):
        return squash_spaces(self.cleaned_data.get("mother_name"))

    def clean_duplicates_seen(self) -> set[int]:
        text = self.cleaned_data.get("duplicates_seen") or ""
        return {int(part) for part in (part.strip() for part in text.split(",")) if is_id(part)}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mother") is not None:
            cleaned["mother_name"] = ""
        return cleaned

    def _post_clean(self):
        # The model (NIK rules, mother, dates) is validated by the service, which also saves it.
        pass

    @property
    def warga_data(self) -> dict:
        """The cleaned values the services take (the confirmation fields left out)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}

    def show_without_errors(self) -> None:
        """Redisplay what was typed without validating it (after "Cari ibu" without JavaScript)."""
        self._errors = ErrorDict()
        self.cleaned_data = {}


class WargaMoveForm(forms.Form):
    to_posyandu = PosyanduChoiceField(
        queryset=Posyandu.objects.none(),
        label=_("Pindah ke posyandu"),
        empty_label=_("— Pilih posyandu tujuan —"),
        error_messages={"invalid_choice": _("Pilih posyandu tujuan dari daftar.")},
    )
    moved_on = AsciiDateField(label=_("Tanggal pindah"), widget=DateInput())
    reason = forms.CharField(label=_("Alasan"), max_length=255, required=False)

    def __init__(self, *args, destinations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_posyandu"].queryset = destinations


class WargaStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Warga.Status.choices, widget=forms.RadioSelect)
    status_date = AsciiDateField(
        label=_("Tanggal pindah atau meninggal"),
        required=False,
        widget=DateInput(),
        help_text=_("Kosongkan bila status Aktif."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") and cleaned["status"] != Warga.Status.AKTIF and not cleaned.get("status_date"):
            self.add_error("status_date", _("Isi tanggal pindah atau meninggal."))
        return cleaned


class NikSearchForm(forms.Form):
    """Find a person by NIK: sent by POST, so the number stays out of URLs and server logs."""

    nik = IdentityNumberField(label=_("Cari NIK"), required=True)


NAME_ONLY_PATTERN = r"[^0-9]*"


class _NameSearchFilterForm(forms.Form):
    """A register's filter: a name search (``q``, no digits) and, for a user above one posyandu, the
    posyandu of their scope. Always bound to ``request.GET``; invalid values filter nothing."""

    name_only_message = ""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.posyandu_id:
            del self.fields["posyandu"]
        else:
            self.fields["posyandu"].queryset = _scoped_posyandu(user)

    def clean_q(self):
        value = squash_spaces(self.cleaned_data.get("q"))
        if any(ch.isdigit() for ch in value):
            raise ValidationError(self.name_only_message)
        return value

    def valid_data(self) -> dict:
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if name not in self.errors}


class WargaFilterForm(_NameSearchFilterForm):
    ALL_STATUSES = "semua"

    q = forms.CharField(
        label=_("Cari nama"),
        required=False,
        max_length=120,
        # The browser refuses digits before sending: a NIK typed here never reaches a URL.
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "pattern": NAME_ONLY_PATTERN,
                "title": _("Cari dengan nama. Untuk NIK pakai kotak Cari NIK."),
                "autocomplete": "off",
            }
        ),
    )
    life_stage = forms.ChoiceField(
        label=_("Tahap kehidupan"),
        required=False,
        choices=[("", _("Semua umur"))]
        + [(value, label) for value, label in LifeStage.choices if value != LifeStage.IBU_HAMIL],
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[*Warga.Status.choices, (ALL_STATUSES, _("Semua status"))],
    )
    posyandu = PosyanduChoiceField(
        queryset=Posyandu.objects.none(), label=_("Posyandu"), required=False, empty_label=_("Semua posyandu")
    )

    name_only_message = _("Cari dengan nama saja. Untuk NIK pakai kotak Cari NIK.")

    def filters(self) -> dict:
        """Keyword arguments for ``selectors.warga_list``; invalid or missing values filter nothing."""
        data = self.valid_data()
        status = data.get("status") or Warga.Status.AKTIF
        return {
            "name": data.get("q", ""),
            "life_stage": data.get("life_stage", ""),
            "status": "" if status == self.ALL_STATUSES else status,
            "posyandu": data.get("posyandu"),
        }


class KeluargaFilterForm(_NameSearchFilterForm):
    q = forms.CharField(
        label=_("Cari nama kepala keluarga"),
        required=False,
        max_length=120,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "pattern": NAME_ONLY_PATTERN,
                "title": _("Cari dengan nama kepala keluarga."),
                "autocomplete": "off",
            }
        ),
    )
    posyandu = PosyanduChoiceField(
        queryset=Posyandu.objects.none(), label=_("Posyandu"), required=False, empty_label=_("Semua posyandu")
    )

    name_only_message = _("Cari dengan nama kepala keluarga saja.")

    def filters(self) -> dict:
        """Keyword arguments for ``selectors.keluarga_list``; invalid values filter nothing."""
        data = self.valid_data()
        return {"head_name": data.get("q", ""), "posyandu": data.get("posyandu")}


class KeluargaForm(forms.ModelForm):
    kk_number = IdentityNumberField(
        label=_("Nomor KK"), help_text=_("16 digit dari Kartu Keluarga. Kosongkan bila belum tahu.")
    )
    posyandu = PosyanduChoiceField(
        queryset=Posyandu.objects.none(),
        label=_("Posyandu"),
        empty_label=_("— Pilih posyandu —"),
        error_messages={"invalid_choice": _("Pilih posyandu di wilayah tugas Anda.")},
    )

    # RT/RW are typed as they come ("3", "03", "003") and stored as three digits, so they sort right.
    rt = forms.CharField(
        label=_("RT"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "001"}),
    )
    rw = forms.CharField(
        label=_("RW"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "placeholder": "001"}),
    )

    class Meta:
        formfield_callback = ascii_formfield
        model = Keluarga
        fields = ["posyandu", "kk_number", "head_name", "rt", "rw", "dusun", "address"]
        widgets = {
            "head_name": forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "words"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk or user.posyandu_id:
            del self.fields["posyandu"]  # a household's posyandu is fixed; a kader's is their own
        else:
            posyandu = _scoped_posyandu(user).filter(status=Posyandu.Status.AKTIF)
            self.fields["posyandu"].queryset = posyandu
            if not self.is_bound:
                only = list(posyandu[:2])
                if len(only) == 1:
                    self.initial["posyandu"] = only[0].pk

    def clean_head_name(self):
        return squash_spaces(self.cleaned_data["head_name"])

    def _clean_rt_rw(self, name: str, label: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            return ""
        if not is_ascii_digits(value) or not 0 < int(value) < 1000:
            raise ValidationError(_("%(label)s diisi angka 1 sampai 999, misalnya 003.") % {"label": label})
        return f"{int(value):03d}"

    def clean_rt(self):
        return self._clean_rt_rw("rt", "RT")

    def clean_rw(self):
        return self._clean_rt_rw("rw", "RW")

    def _post_clean(self):
        # The model (KK number, uniqueness) is validated by the service, which also saves it.
        pass


def whole_number_field(label, *, required=False, min_value=None, max_value=None, help_text=""):
    """A whole number typed on a phone: the numeric keyboard, ASCII digits 0–9, an Indonesian error."""
    return AsciiIntegerField(
        label=label,
        required=required,
        min_value=min_value,
        max_value=max_value,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]*"}),
        error_messages={"invalid": _("Masukkan bilangan bulat, misalnya 120.")},
    )
