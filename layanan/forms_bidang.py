"""Forms of the five other SPM fields: they validate and convert types; the services save."""

from django import forms
from django.utils.translation import gettext_lazy as _

from layanan.forms import MonthField
from layanan.models_bidang import (
    BIDANG_CHOICES,
    Bansos,
    Condition,
    Damage,
    DokumenPermintaan,
    Floor,
    Kegiatan,
    Kejadian,
    Latrine,
    PendidikanAnak,
    PermintaanLayanan,
    Rubbish,
    WasteWater,
    WaterSource,
)
from layanan.permissions_bidang import visible_fields
from posyandu import dates
from posyandu.forms import AsciiDateField, DateInput, IdChoiceField, LocalDecimalField, whole_number_field
from posyandu.models import Keluarga, Posyandu, SpmField, Warga
from posyandu.scope import scoped

YES_NO = [("1", _("Ya")), ("0", _("Tidak"))]


class YesNoField(forms.TypedChoiceField):
    """A yes/no question as two big radio buttons (a checkbox is easy to miss on a phone)."""

    def __init__(self, label, **kwargs):
        super().__init__(
            label=label,
            choices=YES_NO,
            coerce=lambda value: value == "1",
            widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
            error_messages={"required": _("Pilih ya atau tidak.")},
            **kwargs,
        )


def _choice(label, choices):
    return forms.ChoiceField(label=label, choices=[("", "---------"), *choices])


class PosyanduMixin:
    """A posyandu field limited to the user's scope; hidden for users bound to one posyandu."""

    def _setup_posyandu(self, user):
        field = self.fields["posyandu"]
        field.queryset = scoped(Posyandu.objects.select_related("desa"), user).order_by("name")
        if user.posyandu_id:
            field.initial = user.posyandu_id
            field.widget = forms.HiddenInput()


class SurveiKeluargaForm(forms.Form):
    survey_date = AsciiDateField(label=_("Tanggal survei"), widget=DateInput())
    # Pekerjaan umum
    water_source = _choice(_("Sumber air minum utama"), WaterSource.choices)
    water_sufficient = YesNoField(_("Air cukup untuk minum, masak, mandi (≥ 60 liter per orang per hari)?"))
    latrine = _choice(_("Jamban"), Latrine.choices)
    waste_water = _choice(_("Pembuangan air limbah rumah tangga"), WasteWater.choices)
    rubbish = _choice(_("Pengelolaan sampah"), Rubbish.choices)
    # Perumahan rakyat
    roof = _choice(_("Kondisi atap"), Condition.choices)
    walls = _choice(_("Kondisi dinding"), Condition.choices)
    floor = _choice(_("Lantai"), Floor.choices)
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


class PendidikanForm(forms.Form):
    recorded_on = AsciiDateField(label=_("Tanggal didata"), widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status sekolah"), choices=PendidikanAnak.Status.choices, widget=forms.RadioSelect
    )
    school_name = forms.CharField(label=_("Nama sekolah / PAUD"), max_length=120, required=False)
    reason = forms.ChoiceField(
        label=_("Alasan tidak sekolah"), choices=[("", "---------"), *PendidikanAnak.Reason.choices], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = dates.today()

    def clean(self):
        data = super().clean()
        if data.get("status") in PendidikanAnak.OUT_OF_SCHOOL and not data.get("reason"):
            self.add_error("reason", _("Pilih alasan anak tidak sekolah."))
        return data


class KegiatanForm(PosyanduMixin, forms.Form):
    posyandu = IdChoiceField(
        label=_("Posyandu"),
        queryset=Posyandu.objects.none(),
        error_messages={"invalid_choice": _("Pilih posyandu di wilayah tugas Anda.")},
    )
    field = forms.ChoiceField(label=_("Bidang"), choices=SpmField.choices)
    kind = _choice(_("Jenis kegiatan"), Kegiatan.Kind.choices)
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


class KejadianForm(PosyanduMixin, forms.Form):
    posyandu = IdChoiceField(
        label=_("Posyandu"),
        queryset=Posyandu.objects.none(),
        error_messages={"invalid_choice": _("Pilih posyandu di wilayah tugas Anda.")},
    )
    kind = _choice(_("Jenis kejadian"), Kejadian.Kind.choices)
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


class PermintaanForm(forms.Form):
    field = forms.ChoiceField(label=_("Bidang"), choices=BIDANG_CHOICES)
    kind = _choice(_("Jenis layanan"), PermintaanLayanan.Kind.choices)
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
    to_status = forms.ChoiceField(choices=PermintaanLayanan.Status.choices, widget=forms.HiddenInput())
    on = AsciiDateField(label=_("Tanggal"), widget=DateInput())
    forwarded_to = forms.ChoiceField(
        label=_("Diteruskan ke"), choices=[("", "---------"), *PermintaanLayanan.Destination.choices], required=False
    )
    rejection_reason = forms.CharField(label=_("Alasan ditolak"), max_length=500, required=False)
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = dates.today()


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
