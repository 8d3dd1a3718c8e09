"""Form of the household survey: it validates and converts types; the service saves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from layanan.forms.inputs import YesNoField, choice_field
from layanan.models import (
    Bansos,
    Condition,
    Damage,
    Floor,
    Latrine,
    Rubbish,
    WasteWater,
    WaterSource,
)
from posyandu import dates
from posyandu.forms import AsciiDateField, DateInput, LocalDecimalField, whole_number_field


class SurveiKeluargaForm(forms.Form):
    survey_date = AsciiDateField(label=_("Tanggal survei"), widget=DateInput())
    # Pekerjaan umum
    water_source = choice_field(_("Sumber air minum utama"), WaterSource.choices)
    water_sufficient = YesNoField(_("Air cukup untuk minum, masak, mandi (≥ 60 liter per orang per hari)?"))
    latrine = choice_field(_("Jamban"), Latrine.choices)
    waste_water = choice_field(_("Pembuangan air limbah rumah tangga"), WasteWater.choices)
    rubbish = choice_field(_("Pengelolaan sampah"), Rubbish.choices)
    # Perumahan rakyat
    roof = choice_field(_("Kondisi atap"), Condition.choices)
    walls = choice_field(_("Kondisi dinding"), Condition.choices)
    floor = choice_field(_("Lantai"), Floor.choices)
    floor_area_m2 = LocalDecimalField(
        label=_("Luas lantai rumah (m²)"),
        max_digits=6,
        decimal_places=1,
        min_value=1,
        max_value=2000,
        error_messages={
            "min_value": _("Luas lantai paling kecil 1 m²."),
            "max_value": _("Luas lantai paling besar 2.000 m²."),
            "max_decimal_places": _("Paling banyak 1 angka di belakang koma."),
        },
    )
    occupants = whole_number_field(_("Jumlah penghuni"), required=True, min_value=1, max_value=60)
    disaster_damage = forms.ChoiceField(
        label=_("Kerusakan akibat bencana"), choices=Damage.choices, initial=Damage.TIDAK
    )
    # Sosial
    is_poor = YesNoField(_("Keluarga miskin (terdaftar DTKS/DTSEN atau menurut musyawarah desa)?"))
    receives_bansos = YesNoField(_("Menerima bantuan sosial?"))
    bansos_programmes = forms.MultipleChoiceField(
        label=_("Program bansos yang diterima"),
        choices=Bansos.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Asked like the others (required): unanswered must not be stored as "tidak", it feeds the
    # Purnama/Mandiri strata (laporan, "keluarga peserta JKN/dana sehat").
    has_jkn = YesNoField(_("Anggota keluarga peserta JKN (BPJS Kesehatan) atau dana sehat?"))
    disabled_members = whole_number_field(_("Anggota penyandang disabilitas"), min_value=0, max_value=60)
    neglected_elderly = whole_number_field(_("Lansia terlantar"), min_value=0, max_value=60)
    neglected_children = whole_number_field(_("Anak terlantar"), min_value=0, max_value=60)
    notes = forms.CharField(
        label=_("Catatan"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survey_date"].initial = dates.today()
        if previous is not None:  # an update starts from the household's current state
            for name in self.fields:
                if name not in ("survey_date", "notes"):
                    value = getattr(previous, name)
                    self.fields[name].initial = ("1" if value else "0") if isinstance(value, bool) else value

    def clean(self):
        data = super().clean()
        if data.get("receives_bansos") and not data.get("bansos_programmes"):
            self.add_error("bansos_programmes", _("Pilih program bansos yang diterima."))
        return data

    def service_values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.fields if name != "survey_date"}
        for name in ("disabled_members", "neglected_elderly", "neglected_children"):
            values[name] = values[name] or 0
        return values
