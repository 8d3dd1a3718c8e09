"""Forms of account management. Choices are limited to the manager's reach (posyandu.akun.selectors)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from posyandu.akun import selectors
from posyandu.akun.permissions import assignable_roles
from posyandu.models import POSYANDU_ROLES, ROLE_AREA_LEVEL, Role, SpmField, User
from posyandu.params import ascii_digits_problem

PHONE_HELP = _("Angka 0–9, boleh diawali +.")


def clean_phone(value: str) -> str:
    phone = "".join(value.split()).replace("-", "")
    if not phone:
        return ""
    if problem := ascii_digits_problem(phone, label=_("Nomor HP")):
        raise forms.ValidationError(problem)
    digits = phone[1:] if phone.startswith("+") else phone
    if not digits.isascii() or not digits.isdigit() or not 8 <= len(digits) <= 15:
        raise forms.ValidationError(_("Nomor HP 8–15 angka, boleh diawali +."))
    return phone


class AccountForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "role", "posyandu", "wilayah", "puskesmas", "position", "field", "opd", "phone"]
        labels = {"first_name": _("Nama lengkap")}
        widgets = {"phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"})}
        help_texts = {"phone": PHONE_HELP}

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        roles = assignable_roles(manager)
        self.fields["first_name"].required = True
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        self.fields["posyandu"].queryset = selectors.assignable_posyandu(user=manager)
        self.fields["posyandu"].required = False
        self.fields["posyandu"].help_text = _("Untuk kader dan pengurus.")
        self.fields["wilayah"].queryset = selectors.assignable_areas(user=manager)
        self.fields["wilayah"].required = False
        self.fields["wilayah"].help_text = _("Untuk operator desa (sebuah desa) dan Tim Pembina (kecamatan/kabupaten).")
        self.fields["field"].choices = [("", "—"), *SpmField.choices]
        self.fields["field"].help_text = _("Wajib untuk kader.")
        if not any(r in ROLE_AREA_LEVEL for r in roles):
            del self.fields["wilayah"]
        if Role.OPD in roles:
            self.fields["opd"].queryset = selectors.assignable_opd(user=manager)
            self.fields["opd"].required = False
            self.fields["opd"].help_text = _("Untuk akun OPD pengampu.")
        else:
            del self.fields["opd"]
        if Role.PUSKESMAS in roles:
            self.fields["puskesmas"].queryset = selectors.assignable_puskesmas(user=manager)
            self.fields["puskesmas"].required = False
            self.fields["puskesmas"].help_text = _("Untuk petugas Puskesmas.")
            self.fields["position"].help_text = _("Untuk petugas Puskesmas: bidan desa atau tenaga gizi.")
        else:
            del self.fields["puskesmas"], self.fields["position"]
        if roles == [Role.KADER] and self.fields["posyandu"].queryset.count() == 1:
            self.fields["posyandu"].initial = self.fields["posyandu"].queryset.first()

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in POSYANDU_ROLES and not data.get("posyandu"):
            self.add_error("posyandu", _("Pilih posyandu tempat pengguna bertugas."))
        if role in ROLE_AREA_LEVEL and not data.get("wilayah"):
            self.add_error("wilayah" if "wilayah" in self.fields else None, _("Pilih wilayah tugas pengguna."))
        if role == Role.OPD and not data.get("opd"):
            self.add_error("opd" if "opd" in self.fields else None, _("Pilih OPD tempat pengguna bertugas."))
        if role == Role.KADER and not data.get("field"):
            self.add_error("field", _("Pilih bidang SPM kader."))
        if role == Role.PUSKESMAS:
            if not data.get("puskesmas"):
                self.add_error("puskesmas" if "puskesmas" in self.fields else None, _("Pilih Puskesmas petugas."))
            if not data.get("position"):
                self.add_error("position" if "position" in self.fields else None, _("Pilih jabatan petugas."))
        return data

    def _post_clean(self):
        """The service validates the model (and the manager's reach); the form only converts types."""


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("Cari nama atau nama pengguna"), required=False, max_length=60)
