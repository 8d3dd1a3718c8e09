"""Forms of the kader app: they validate and convert types; services write."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kader.models import Kader, KaderLevel, Kompetensi, Pelatihan, PenilaianKompetensi
from kader.selectors import kecamatan_choices
from kader.services import PELATIHAN_FIELDS
from posyandu import dates, periods
from posyandu.forms import (
    AsciiDateField,
    AsciiIntegerField,
    DateInput,
    IdChoiceField,
    LocalDecimalField,
    ascii_formfield,
)
from posyandu.models import Posyandu, Role, SpmField, User, Wilayah
from posyandu.scope import area_filter, scoped


class PosyanduChoiceField(IdChoiceField):
    def label_from_instance(self, obj: Posyandu) -> str:
        return f"{obj.name} — {obj.desa.display_name}"


class AreaChoiceField(IdChoiceField):
    def label_from_instance(self, obj: Wilayah) -> str:
        return obj.display_name


class UserChoiceField(IdChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.username})"


class KaderForm(forms.ModelForm):
    posyandu = PosyanduChoiceField(label=_("Posyandu"), queryset=Posyandu.objects.none())
    user = UserChoiceField(
        label=_("Akun login"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Akun kader di posyandu ini, agar kader dapat membuka profilnya sendiri."),
    )

    class Meta:
        formfield_callback = ascii_formfield
        model = Kader
        fields = ["name", "nik", "phone", "posyandu", "field", "sk_number", "sk_date", "start_date", "user"]
        widgets = {
            "sk_date": DateInput(),
            "start_date": DateInput(),
            "nik": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": 16}),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }
        help_texts = {"nik": _("Boleh dikosongkan. Bila ada di data warga desa ini, kader ditautkan otomatis.")}

    create_account = forms.BooleanField(
        label=_("Buat akun login untuk kader ini"),
        required=False,
        help_text=_("Nama pengguna dibuat dari nama; kata sandi sementara tampil sekali untuk dicetak."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # an existing kader links an existing account (or gets one in Kelola akun)
            del self.fields["create_account"]
        self.fields["posyandu"].queryset = scoped(Posyandu.objects.select_related("desa"), user).order_by(
            "desa__name", "name"
        )
        if user.posyandu_id:
            self.fields["posyandu"].initial = user.posyandu_id
        taken = Kader.objects.filter(user__isnull=False).exclude(pk=self.instance.pk).values("user")
        self.fields["user"].queryset = (
            User.objects.filter(role=Role.KADER, posyandu__in=scoped(Posyandu.objects.all(), user))
            .exclude(pk__in=taken)
            .order_by("username")
        )

    def clean(self):
        cleaned = super().clean()
        account, posyandu = cleaned.get("user"), cleaned.get("posyandu")
        if account and posyandu and account.posyandu_id != posyandu.pk:
            self.add_error("user", _("Akun login harus akun kader di posyandu yang sama."))
        if account and cleaned.get("create_account"):
            self.add_error("create_account", _("Pilih akun yang ada atau buat akun baru, bukan keduanya."))
        return cleaned

    def clean_nik(self):
        value = "".join((self.cleaned_data.get("nik") or "").split())
        return value or None


class KaderDeactivateForm(forms.Form):
    end_date = AsciiDateField(label=_("Berhenti pada"), widget=DateInput())
    end_reason = forms.CharField(
        label=_("Alasan berhenti"), max_length=255, help_text=_("Misalnya pindah domisili, bekerja, mengundurkan diri.")
    )

    def clean_end_date(self):
        value = self.cleaned_data["end_date"]
        if value > dates.today():
            raise forms.ValidationError(_("Tanggal berhenti tidak boleh di masa depan."))
        return value


class KaderFilterForm(forms.Form):
    q = forms.CharField(label=_("Nama"), required=False)
    kecamatan = AreaChoiceField(label=_("Kecamatan"), queryset=Wilayah.objects.none(), required=False)
    field = forms.ChoiceField(label=_("Bidang"), choices=[("", _("Semua bidang")), *SpmField.choices], required=False)
    level = forms.ChoiceField(
        label=_("Jenjang"),
        choices=[("", _("Semua jenjang")), *KaderLevel.choices, ("none", _("Belum berjenjang"))],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("aktif", _("Aktif")), ("nonaktif", _("Tidak aktif")), ("", _("Semua"))],
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.posyandu_id or (user.wilayah_id and user.wilayah.level >= Wilayah.Level.KECAMATAN):
            del self.fields["kecamatan"]
        else:
            self.fields["kecamatan"].queryset = kecamatan_choices(user=user)

    def selector_filters(self) -> dict:
        """The filters for ``selectors.kader_list``: what was chosen, or the active kader when nothing
        (or something invalid) was asked for. The list page and its Excel export share them."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {"status": "aktif"}
        kecamatan = data.get("kecamatan")
        return {
            "kecamatan": kecamatan.code if kecamatan else None,
            "field_value": data.get("field", ""),
            "status": data.get("status", "aktif") if self.is_bound else "aktif",
            "level": data.get("level", ""),
            "q": data.get("q", ""),
        }


class PelatihanForm(forms.ModelForm):
    wilayah = AreaChoiceField(label=_("Wilayah penyelenggara"), queryset=Wilayah.objects.none())
    hours = LocalDecimalField(label=_("Jumlah jam (JPL)"), required=False, max_digits=5, decimal_places=1)

    class Meta:
        formfield_callback = ascii_formfield
        model = Pelatihan
        fields = list(PELATIHAN_FIELDS)  # the service saves exactly what the form edits
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        areas = Wilayah.objects.filter(level__in=[Wilayah.Level.KABUPATEN, Wilayah.Level.KECAMATAN, Wilayah.Level.DESA])
        if user.wilayah_id:
            areas = areas.filter(area_filter("code", user.wilayah_id))
        else:  # an admin: the areas that have posyandu (not the whole country's villages)
            desa = Posyandu.objects.values("desa")
            areas = areas.filter(
                Q(level=Wilayah.Level.DESA, code__in=desa)
                | Q(level=Wilayah.Level.KECAMATAN, code__in=Posyandu.objects.values("desa__parent"))
                | Q(level=Wilayah.Level.KABUPATEN, code__in=Posyandu.objects.values("desa__parent__parent"))
            )
        self.fields["wilayah"].queryset = areas.order_by("code")
        if user.wilayah_id and not self.instance.pk:
            self.fields["wilayah"].initial = user.wilayah_id
            self.fields["organiser_level"].initial = {
                Wilayah.Level.DESA: Pelatihan.OrganiserLevel.DESA,
                Wilayah.Level.KECAMATAN: Pelatihan.OrganiserLevel.KECAMATAN,
                Wilayah.Level.KABUPATEN: Pelatihan.OrganiserLevel.KABUPATEN,
            }.get(user.wilayah.level)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        return cleaned


class PesertaSourceForm(forms.Form):
    """Where to pick participants from: one posyandu's roster, or a kecamatan's."""

    posyandu = PosyanduChoiceField(label=_("Dari posyandu"), queryset=Posyandu.objects.none(), required=False)
    kecamatan = AreaChoiceField(label=_("atau seluruh kecamatan"), queryset=Wilayah.objects.none(), required=False)
    field = forms.ChoiceField(
        label=_("Bidang kader"), choices=[("", _("Semua bidang")), *SpmField.choices], required=False
    )

    def __init__(self, *args, user, pelatihan: Pelatihan, **kwargs):
        super().__init__(*args, **kwargs)
        inside = area_filter("desa__code", pelatihan.wilayah_id)
        self.fields["posyandu"].queryset = (
            scoped(Posyandu.objects.select_related("desa"), user).filter(inside).order_by("desa__name", "name")
        )
        self.fields["kecamatan"].queryset = kecamatan_choices(user=user).filter(
            area_filter("code", pelatihan.wilayah_id) | Q(code=pelatihan.wilayah_id[:8])
        )


class PesertaPickForm(forms.Form):
    kader = forms.ModelMultipleChoiceField(
        label=_("Kader"), queryset=Kader.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kader"].queryset = candidates
        self.fields["kader"].label_from_instance = lambda k: f"{k.name} — {k.get_field_display()}, {k.posyandu.name}"
        self.fields["kader"].error_messages["invalid_choice"] = _(
            "Kader %(value)s tidak bisa dipilih (sudah peserta atau di luar wilayah)."
        )


class PesertaImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas Excel (.xlsx)"),
        help_text=_("Baris judul: Nama, NIK, Nomor sertifikat, Hadir (ya/tidak). NIK dipakai bila ada."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Berkas terlalu besar (paling besar 5 MB)."))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Unggah lembar Excel (.xlsx)."))
        return upload


class PesertaRowForm(forms.Form):
    attended = forms.BooleanField(label=_("Hadir"), required=False)
    certificate_number = forms.CharField(label=_("Nomor sertifikat"), max_length=80, required=False)


PesertaFormSet = forms.formset_factory(PesertaRowForm, extra=0)


RESULT_CHOICES = [("", _("—")), *PenilaianKompetensi.Result.choices]


class PenilaianForm(forms.Form):
    assessed_on = AsciiDateField(label=_("Tanggal penilaian"), widget=DateInput())
    assessor = forms.CharField(
        label=_("Penilai"), max_length=120, help_text=_("Nama dan instansi, misalnya Bidan Rina, Puskesmas Takalar.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kompetensi = list(Kompetensi.objects.filter(is_active=True).select_related("group"))
        for kompetensi in self.kompetensi:
            self.fields[f"k{kompetensi.pk}"] = forms.ChoiceField(
                label=f"{kompetensi.code} {kompetensi.name}",
                choices=RESULT_CHOICES,
                required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def clean_assessed_on(self):
        value = self.cleaned_data["assessed_on"]
        if value > dates.today():
            raise forms.ValidationError(_("Tanggal penilaian tidak boleh di masa depan."))
        return value

    def grouped(self):
        """(group name, [bound fields]) for the template."""
        groups: dict[str, list] = {}
        for kompetensi in self.kompetensi:
            groups.setdefault(kompetensi.group.name, []).append(self[f"k{kompetensi.pk}"])
        return list(groups.items())

    def results(self) -> dict:
        return {
            kompetensi: self.cleaned_data[f"k{kompetensi.pk}"]
            for kompetensi in self.kompetensi
            if self.cleaned_data.get(f"k{kompetensi.pk}")
        }


class CoverageFilterForm(forms.Form):
    kecamatan = AreaChoiceField(
        label=_("Kecamatan"), queryset=Wilayah.objects.none(), required=False, empty_label=_("Semua kecamatan")
    )
    field = forms.ChoiceField(label=_("Bidang"), choices=[("", _("Semua bidang")), *SpmField.choices], required=False)
    year = AsciiIntegerField(
        label=_("Tahun"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.posyandu_id or (user.wilayah_id and user.wilayah.level >= Wilayah.Level.KECAMATAN):
            del self.fields["kecamatan"]
        else:
            self.fields["kecamatan"].queryset = kecamatan_choices(user=user)

    def clean_year(self):
        year = self.cleaned_data.get("year")
        if year is not None and (problem := periods.year_problem(year)):
            raise forms.ValidationError(problem)
        return year

    def selector_filters(self) -> dict:
        """The keyword arguments of ``kader.selectors.coverage`` (this year, all areas when unfiltered)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "kecamatan": data.get("kecamatan"),
            "field_value": data.get("field") or "",
            "year": data.get("year") or dates.today().year,
        }


class KaderImportForm(forms.Form):
    file = forms.FileField(
        label=_("Berkas Excel (.xlsx)"),
        help_text=_(
            "Kolom: Nama, NIK (boleh kosong), Nomor HP, Nomor registrasi posyandu, Bidang. Paling banyak 2.000 baris."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Berkas terlalu besar (paling besar 5 MB)."))
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Unggah lembar Excel (.xlsx)."))
        return upload
