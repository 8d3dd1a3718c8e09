"""Forms of the reporting app: the rakor follow-up (a meeting, its decisions several rows at once, a status
change) and the kabupaten's settings (minimum kader, report deadline, targets)."""

import json
from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from laporan import indicators as ind
from laporan.models import KeputusanRakor
from layanan.forms.kesehatan import MonthField
from posyandu import dates
from posyandu.concurrency import version_of
from posyandu.forms import AsciiDateField, AsciiIntegerField, DateInput, IdChoiceField, LocalDecimalField
from posyandu.models import Opd, Posyandu, SpmField, Wilayah
from posyandu.pengaturan.models import DEADLINE_DAY_MAX, MIN_KADER_MAX, MIN_KADER_PER_FIELD_MAX, TARGET_MAX
from posyandu.pengaturan.selectors import kabupaten_code
from posyandu.scope import area_filter

TEXT_MAX = 1000


class AreaChoiceField(IdChoiceField):
    def label_from_instance(self, obj: Wilayah) -> str:
        return obj.display_name


class RakorForm(forms.Form):
    wilayah = AreaChoiceField(label=_("Wilayah rakor"), queryset=Wilayah.objects.none())
    held_on = AsciiDateField(label=_("Tanggal rapat"), widget=DateInput())
    period = forms.ChoiceField(label=_("Periode yang dibahas"), choices=())
    notes = forms.CharField(
        label=_("Catatan"), required=False, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user, period_choices, **kwargs):
        super().__init__(*args, **kwargs)
        levels = [Wilayah.Level.KABUPATEN, Wilayah.Level.KECAMATAN]
        areas = Wilayah.objects.filter(level__in=levels)
        if user.wilayah_id:
            areas = areas.filter(area_filter("code", user.wilayah_id))
        else:  # an admin: the areas that have posyandu (not the whole country)
            areas = areas.filter(
                Q(code__in=Posyandu.objects.values("desa__parent"))
                | Q(code__in=Posyandu.objects.values("desa__parent__parent"))
            )
        self.fields["wilayah"].queryset = areas.order_by("code")
        self.fields["period"].choices = period_choices
        if not self.is_bound:
            self.fields["wilayah"].initial = user.wilayah_id
            self.fields["held_on"].initial = dates.today()
            self.fields["period"].initial = period_choices[1][0] if len(period_choices) > 1 else None


class OpdChoiceField(IdChoiceField):
    def label_from_instance(self, obj: Opd) -> str:
        return f"{obj.short_name} — {obj.name}" if obj.short_name != obj.name else obj.name


def opd_choices_of(kabupaten: str) -> tuple[QuerySet, list, dict]:
    """The kabupaten's OPD, their choices grouped by the SPM field each serves (an OPD of several fields
    under each), so the one serving the decision's field is found under that field, and the OPD ids by
    field for ``static/js/keputusan_opd.js``, which narrows the choice to them as the field is chosen
    (one query)."""
    queryset = Opd.objects.filter(kabupaten_id=kabupaten).order_by("short_name")
    opds, label = list(queryset), OpdChoiceField.label_from_instance
    groups, by_field = [], {}
    for value, field_label in SpmField.choices:
        serving = [(opd.pk, label(None, opd)) for opd in opds if value in opd.fields]
        by_field[value] = [pk for pk, _label in serving]
        if serving:
            groups.append((field_label, serving))
    return queryset, [("", "—"), *groups], by_field


class KeputusanRowForm(forms.Form):
    """One decision; a row left empty is skipped (the page offers several). Its party: an OPD of the
    meeting's kabupaten or an area inside the meeting's area; the note stands alone only for another party."""

    text = forms.CharField(label=_("Keputusan"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    field = forms.ChoiceField(label=_("Bidang"), choices=[("", "—"), *KeputusanRakor.FIELD_CHOICES])
    opd = OpdChoiceField(
        label=_("OPD penanggung jawab"),
        queryset=Opd.objects.none(),
        required=False,
        help_text=_("Pilih OPD yang mengampu bidang keputusan ini; petugasnya memperbarui status."),
        error_messages={"invalid_choice": _("Pilih OPD dari kabupaten tempat rakor diadakan.")},
    )
    wilayah_pj = AreaChoiceField(
        label=_("atau wilayah penanggung jawab"), queryset=Wilayah.objects.none(), required=False
    )
    responsible = forms.CharField(
        label=_("Catatan penanggung jawab"),
        max_length=120,
        required=False,
        help_text=_("Misalnya bidang atau seksi yang menangani; pihak lain (bukan OPD atau wilayah) ditulis di sini."),
    )
    deadline = AsciiDateField(label=_("Batas waktu"), widget=DateInput())

    def __init__(self, *args, rakor, opd_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wilayah_pj"].queryset = Wilayah.objects.filter(code__startswith=rakor.wilayah_id + ".").order_by(
            "code"
        )
        queryset, choices, by_field = opd_choices or opd_choices_of(kabupaten_code(rakor.wilayah_id))
        self.fields["opd"].queryset = queryset
        self.fields["opd"].choices = choices  # after the queryset: grouped by field, not the flat list
        # static/js/keputusan_opd.js: as the field is chosen, only the OPD serving it (kelembagaan: any).
        # Without the script the grouped list stays, and clean() (and the service) refuse a wrong pair.
        self.fields["opd"].widget.attrs.update(
            {"data-opd-by-field": json.dumps(by_field), "data-field-input": self["field"].auto_id,
             "data-none": _("— tidak ada OPD yang mengampu bidang ini —")}
        )  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        opd, area = cleaned.get("opd"), cleaned.get("wilayah_pj")
        if opd and area:
            self.add_error("opd", _("Pilih salah satu penanggung jawab: OPD atau wilayah, bukan keduanya."))
        elif not opd and not area and not (cleaned.get("responsible") or "").strip():
            self.add_error("opd", _("Pilih penanggung jawab: OPD atau wilayah."))
        elif opd and not KeputusanRakor.opd_serves(opd, cleaned["field"]):
            self.add_error("opd", KeputusanRakor.opd_not_serving_message(opd, cleaned["field"]))
        return cleaned


class BaseKeputusanFormSet(forms.BaseFormSet):
    def __init__(self, *args, rakor, **kwargs):
        self.rakor = rakor
        self.opd_choices = opd_choices_of(kabupaten_code(rakor.wilayah_id))  # one query for every row
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "rakor": self.rakor, "opd_choices": self.opd_choices}

    @property
    def empty_form(self):
        return self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), empty_permitted=True,
                         use_required_attribute=False, rakor=self.rakor, opd_choices=self.opd_choices)  # fmt: skip

    def clean(self):
        if any(self.errors):
            return
        if not any(form.has_changed() for form in self.forms):
            raise forms.ValidationError(_("Tulis sedikitnya satu keputusan."))


KeputusanFormSet = forms.formset_factory(KeputusanRowForm, formset=BaseKeputusanFormSet, extra=3, max_num=20)


class KeputusanStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status baru"), choices=())
    note = forms.CharField(label=_("Catatan"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    on = AsciiDateField(label=_("Tanggal"), widget=DateInput())

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = choices
        if not self.is_bound:
            self.fields["on"].initial = dates.today()


class KeputusanEditForm(KeputusanRowForm):
    """A recorded decision corrected or handed to another party by the meeting's team, with the reason."""

    note = forms.CharField(
        label=_("Alasan perubahan"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Dicatat di riwayat keputusan bersama nama Anda dan tanggal hari ini."),
        error_messages={"required": _("Tuliskan alasan perubahan: mengapa diubah atau dialihkan.")},
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)  # see posyandu.concurrency

    def __init__(self, *args, keputusan, **kwargs):
        initial = {name: getattr(keputusan, name) for name in ("text", "field", "responsible", "deadline")}
        initial |= {"opd": keputusan.opd_id, "wilayah_pj": keputusan.wilayah_pj_id}
        initial["version"] = version_of(keputusan)
        super().__init__(*args, rakor=keputusan.rakor, initial=initial, **kwargs)
        self.fields["opd"].label = _("OPD penanggung jawab")
        self.fields["opd"].help_text = _(
            "Pilih OPD lain untuk mengalihkan keputusan; petugas OPD lama tidak lagi melihatnya."
        )


TARGET_PREFIX = "target_"


def _whole(label, help_text, low: int, high: int) -> AsciiIntegerField:
    range_message = _("Isi angka bulat %(low)s sampai %(high)s.") % {"low": low, "high": high}
    return AsciiIntegerField(
        label=label,
        help_text=help_text,
        validators=[MinValueValidator(low, range_message), MaxValueValidator(high, range_message)],
        error_messages={"invalid": _("Isi angka bulat, misalnya 5."), "required": _("Isi kolom ini.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class PengaturanKabupatenForm(forms.Form):
    """A new version of the kabupaten's settings: the numbers, a target per rate indicator (empty: the
    catalogue's), the month it takes effect and why. Starts from the version in force."""

    valid_from = MonthField(
        label=_("Berlaku mulai bulan"),
        help_text=_(
            "Angka bulan ini dan sesudahnya dihitung dengan pengaturan baru. Bulan yang laporannya sudah "
            "disetujui tetap memakai angka saat disetujui."
        ),
        error_messages={"required": _("Pilih bulan mulai berlaku.")},
    )
    min_kader = _whole(
        _("Jumlah kader aktif minimal per posyandu"),
        _("Dipakai untuk Posyandu Aktif dan strata (Pratama bila kurang)."),
        1,
        MIN_KADER_MAX,
    )
    min_kader_per_field = _whole(
        _("Jumlah kader aktif minimal per bidang SPM"),
        _("Posyandu dengan kader bidang lebih sedikit ditandai kurang di daftar kader."),
        0,
        MIN_KADER_PER_FIELD_MAX,
    )
    deadline_day = _whole(
        _("Batas tanggal laporan bulanan"),
        _("Tanggal di bulan berikutnya; laporan yang diajukan sesudahnya terlambat (1 sampai 28)."),
        1,
        DEADLINE_DAY_MAX,
    )
    reason = forms.CharField(
        label=_("Alasan perubahan"),
        max_length=255,
        help_text=_("Misalnya nomor Perbup atau hasil rapat Tim Pembina."),
        error_messages={"required": _("Tuliskan alasan perubahan.")},
    )

    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = [ind.INDICATORS[code] for code in ind.target_codes()]
        for indicator in self.indicators:
            default = indicator.target
            self.fields[TARGET_PREFIX + indicator.code] = LocalDecimalField(
                label=indicator.name,
                required=False,
                max_digits=5,
                decimal_places=1,
                min_value=Decimal(0),
                max_value=Decimal(TARGET_MAX),
                help_text=(
                    _("Kosongkan untuk target bawaan (%(target)s %%).") % {"target": f"{default:g}".replace(".", ",")}
                    if default is not None
                    else _("Kosongkan bila tanpa target.")
                ),
                error_messages={
                    "min_value": _("Target antara 0 dan 100 %%."),
                    "max_value": _("Target antara 0 dan 100 %%."),
                    "max_digits": _("Target antara 0 dan 100 %%."),
                    "max_decimal_places": _("Paling banyak 1 angka di belakang koma."),
                },
            )
        if current is not None and not self.is_bound:
            self.initial.update(
                min_kader=current.min_kader,
                min_kader_per_field=current.min_kader_per_field,
                deadline_day=current.deadline_day,
            )
            for code, value in current.targets.items():
                self.initial[TARGET_PREFIX + code] = f"{value:g}".replace(".", ",")

    def target_fields(self) -> list[tuple[str, list]]:
        """The target fields grouped by SPM field, in the catalogue's order, for the template."""
        groups: dict[str, list] = {}
        for indicator in self.indicators:
            groups.setdefault(indicator.field_label(), []).append(self[TARGET_PREFIX + indicator.code])
        return list(groups.items())

    def targets(self) -> dict[str, Decimal]:
        """The typed targets (code -> percent) that differ from the catalogue's."""
        chosen = {}
        for indicator in self.indicators:
            value = self.cleaned_data.get(TARGET_PREFIX + indicator.code)
            if value is not None and (indicator.target is None or value != Decimal(str(indicator.target))):
                chosen[indicator.code] = value
        return chosen
