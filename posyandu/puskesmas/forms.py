"""Forms of the Puskesmas pages: the Puskesmas itself, and a desa put into or taken out of its area."""

from django import forms
from django.utils.translation import gettext_lazy as _

from posyandu import dates
from posyandu.forms import AsciiDateField, DateInput, DesaChoiceField, IdChoiceField, ascii_formfield
from posyandu.models import Puskesmas, Wilayah
from posyandu.params import has_other_digits
from posyandu.puskesmas import selectors
from posyandu.scope import scoped


class PuskesmasForm(forms.ModelForm):
    kabupaten = IdChoiceField(
        queryset=Wilayah.objects.none(),
        label=_("Kabupaten/kota"),
        error_messages={"invalid_choice": _("Pilih kabupaten/kota di wilayah tugas Anda.")},
    )

    class Meta:
        formfield_callback = ascii_formfield
        model = Puskesmas
        fields = ["code", "name", "kabupaten", "address"]
        widgets = {"code": forms.TextInput(attrs={"autocapitalize": "characters", "placeholder": "P7305010101"})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas = scoped(Wilayah.objects.filter(level=Wilayah.Level.KABUPATEN), user).order_by("name")
        self.fields["kabupaten"].queryset = areas
        if len(areas) == 1 and not self.instance.pk:
            self.fields["kabupaten"].initial = areas[0].pk

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if has_other_digits(code):
            raise forms.ValidationError(_("Kode Puskesmas ditulis dengan angka biasa 0–9."))
        return code

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def _post_clean(self):
        # The model is validated by the service (puskesmas_create / puskesmas_update).
        pass


class WilayahKerjaAssignForm(forms.Form):
    desa = DesaChoiceField(
        queryset=Wilayah.objects.none(),
        label=_("Desa/kelurahan"),
        empty_label=_("— Pilih desa/kelurahan —"),
        error_messages={"invalid_choice": _("Pilih desa/kelurahan di kabupaten Puskesmas ini.")},
    )
    since = AsciiDateField(
        label=_("Berlaku sejak"),
        widget=DateInput(),
        help_text=_("Bila desa ini masuk wilayah kerja Puskesmas lain, di sana ia berakhir sehari sebelumnya."),
    )

    def __init__(self, *args, puskesmas: Puskesmas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa"].queryset = selectors.assignable_desa(puskesmas=puskesmas)
        self.fields["since"].initial = dates.today()


class WilayahKerjaReleaseForm(forms.Form):
    desa = IdChoiceField(queryset=Wilayah.objects.none(), label=_("Desa/kelurahan"))
    on = AsciiDateField(label=_("Keluar sejak"), widget=DateInput())

    def __init__(self, *args, puskesmas: Puskesmas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["desa"].queryset = selectors.working_area(puskesmas=puskesmas)
