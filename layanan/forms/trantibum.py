"""Form of a trantibum incident: it validates and converts types; the service saves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from layanan.forms.inputs import PosyanduMixin, choice_field
from layanan.models import (
    Kejadian,
)
from posyandu import dates
from posyandu.forms import AsciiDateField, DateInput, IdChoiceField, whole_number_field
from posyandu.models import Posyandu


class KejadianForm(PosyanduMixin, forms.Form):
    posyandu = IdChoiceField(
        label=_("Posyandu"),
        queryset=Posyandu.objects.none(),
        error_messages={"invalid_choice": _("Pilih posyandu di wilayah tugas Anda.")},
    )
    kind = choice_field(_("Jenis kejadian"), Kejadian.Kind.choices)
    occurred_on = AsciiDateField(label=_("Tanggal kejadian"), widget=DateInput())
    place = forms.CharField(label=_("Tempat (dusun, RT/RW)"), max_length=200)
    people_affected = whole_number_field(_("Orang terdampak"), min_value=0, max_value=100000)
    houses_damaged = whole_number_field(_("Rumah rusak"), min_value=0, max_value=100000)
    description = forms.CharField(label=_("Uraian"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    action_taken = forms.CharField(label=_("Tindakan / tindak lanjut"), max_length=500, required=False)
    confidential = forms.BooleanField(
        label=_("Rahasia (hanya pencatat, operator desa dan Tim Pembina yang melihat)"),
        required=False,
        help_text=_("Laporan KDRT selalu rahasia."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_posyandu(user)
        self.fields["occurred_on"].initial = dates.today()

    def clean(self):
        data = super().clean()
        for name in ("people_affected", "houses_damaged"):
            if name in data:
                data[name] = data[name] or 0
        return data
