"""Forms of service requests (record, move along, attach, filter): they validate and convert types."""

from django import forms
from django.utils.translation import gettext_lazy as _

from layanan.forms.inputs import choice_field
from layanan.models import (
    BIDANG_CHOICES,
    DokumenPermintaan,
    PermintaanLayanan,
)
from layanan.permissions import visible_fields
from posyandu import dates
from posyandu.forms import AsciiDateField, DateInput, IdChoiceField
from posyandu.models import Keluarga, Warga
from posyandu.scope import scoped


class PermintaanForm(forms.Form):
    field = forms.ChoiceField(label=_("Bidang"), choices=BIDANG_CHOICES)
    kind = choice_field(_("Jenis layanan"), PermintaanLayanan.Kind.choices)
    keluarga = IdChoiceField(
        label=_("Keluarga"),
        queryset=Keluarga.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Pilih keluarga di wilayah tugas Anda.")},
    )
    warga = IdChoiceField(
        label=_("Warga (bila untuk satu orang)"),
        queryset=Warga.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Pilih warga di wilayah tugas Anda.")},
    )
    description = forms.CharField(
        label=_("Uraian kebutuhan"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, user, keluarga=None, warga=None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = visible_fields(user)
        self.fields["field"].choices = [c for c in BIDANG_CHOICES if c[0] in fields]
        if len(self.fields["field"].choices) == 1:
            self.fields["field"].initial = self.fields["field"].choices[0][0]
            self.fields["field"].widget = forms.HiddenInput()
        self.fields["keluarga"].queryset = scoped(Keluarga.objects.all(), user).order_by("head_name")
        self.fields["warga"].queryset = scoped(Warga.objects.filter(status=Warga.Status.AKTIF), user)
        if keluarga is not None:
            self.fields["keluarga"].initial = keluarga.pk
            self.fields["keluarga"].widget = forms.HiddenInput()
            self.fields["warga"].queryset = self.fields["warga"].queryset.filter(keluarga=keluarga)
        else:
            # Without a household chosen the person list could be thousands long: pick the household first.
            self.fields["warga"].queryset = self.fields["warga"].queryset.none()
            self.fields["warga"].widget = forms.HiddenInput()
        if warga is not None:
            self.fields["warga"].initial = warga.pk
        self.fields["keluarga"].label_from_instance = lambda obj: str(obj)

    def clean(self):
        data = super().clean()
        if not data.get("keluarga") and not data.get("warga") and not self.has_error("keluarga"):
            self.add_error("keluarga", _("Pilih keluarga atau warga yang dilayani."))
        return data


class TransitionForm(forms.Form):
    """One step of a request. Forwarding names where to: the kecamatan (``kecamatan``) or one of the OPD
    offered (``opd-<id>``: those of the posyandu's kabupaten that serve the request's field)."""

    to_status = forms.ChoiceField(choices=PermintaanLayanan.Status.choices, widget=forms.HiddenInput())
    on = AsciiDateField(label=_("Tanggal"), widget=DateInput())
    forwarded_to = forms.ChoiceField(label=_("Diteruskan ke"), choices=[], required=False)
    rejection_reason = forms.CharField(label=_("Alasan ditolak"), max_length=500, required=False)
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)

    def __init__(self, *args, destinations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = dates.today()
        self.destinations = {f"opd-{opd.pk}": opd for opd in destinations}
        self.fields["forwarded_to"].choices = [
            ("", "---------"),
            *((key, opd.name) for key, opd in self.destinations.items()),
            (PermintaanLayanan.Destination.KECAMATAN, PermintaanLayanan.Destination.KECAMATAN.label),
        ]

    def clean(self):
        data = super().clean()
        key = data.get("forwarded_to") or ""
        data["forwarded_opd"] = self.destinations.get(key)
        data["forwarded_to"] = PermintaanLayanan.Destination.OPD if data["forwarded_opd"] else key
        return data


class DokumenForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis dokumen"), choices=DokumenPermintaan.Kind.choices)
    file = forms.FileField(
        label=_("Berkas (PDF, JPG atau PNG, paling besar 5 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        error_messages={"required": _("Pilih berkas yang akan diunggah."), "empty": _("Berkas kosong.")},
    )


class PermintaanFilterForm(forms.Form):
    field = forms.ChoiceField(label=_("Bidang"), choices=[("", _("Semua bidang")), *BIDANG_CHOICES], required=False)
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Semua status")), *PermintaanLayanan.Status.choices], required=False
    )
    terlambat = forms.BooleanField(label=_("Hanya yang melewati batas waktu"), required=False)
