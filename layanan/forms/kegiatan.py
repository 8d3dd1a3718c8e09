"""Form of a monthly activity: it validates and converts types; the service saves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from layanan.forms.inputs import PosyanduMixin, choice_field
from layanan.forms.kesehatan import MonthField
from layanan.models import (
    Kegiatan,
)
from layanan.permissions import visible_fields
from posyandu import dates
from posyandu.forms import AsciiDateField, DateInput, IdChoiceField, whole_number_field
from posyandu.models import Posyandu, SpmField


class KegiatanForm(PosyanduMixin, forms.Form):
    posyandu = IdChoiceField(
        label=_("Posyandu"),
        queryset=Posyandu.objects.none(),
        error_messages={"invalid_choice": _("Pilih posyandu di wilayah tugas Anda.")},
    )
    field = forms.ChoiceField(label=_("Bidang"), choices=SpmField.choices)
    kind = choice_field(_("Jenis kegiatan"), Kegiatan.Kind.choices)
    topic = forms.CharField(label=_("Topik / judul"), max_length=200)
    date = AsciiDateField(label=_("Tanggal"), widget=DateInput())
    reporting_month = MonthField(
        label=_("Bulan laporan"), required=False, help_text=_("Kosongkan: bulan tanggal kegiatan.")
    )
    attendance_men = whole_number_field(_("Peserta laki-laki"), min_value=0, max_value=5000)
    attendance_women = whole_number_field(_("Peserta perempuan"), min_value=0, max_value=5000)
    place = forms.CharField(label=_("Tempat"), max_length=120, required=False)
    notes = forms.CharField(
        label=_("Catatan"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_posyandu(user)
        fields = visible_fields(user)
        self.fields["field"].choices = [c for c in SpmField.choices if c[0] in fields]
        if len(fields) == 1:
            self.fields["field"].initial = fields[0]
            self.fields["field"].widget = forms.HiddenInput()
        self.fields["date"].initial = dates.today()

    def clean(self):
        data = super().clean()
        if (data.get("attendance_men") or 0) + (data.get("attendance_women") or 0) == 0 and not self.has_error(
            "attendance_women"
        ):
            self.add_error("attendance_women", _("Isi jumlah peserta (laki-laki dan/atau perempuan)."))
        for name in ("attendance_men", "attendance_women"):
            if name in data:
                data[name] = data[name] or 0
        return data
