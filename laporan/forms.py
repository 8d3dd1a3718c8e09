"""Forms of the rakor follow-up: a meeting, its decisions (several rows at once), a status change."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from laporan.models import KeputusanRakor
from posyandu import dates
from posyandu.forms import AsciiDateField, DateInput, IdChoiceField
from posyandu.models import Posyandu, Wilayah
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


class KeputusanRowForm(forms.Form):
    """One decision; a row left empty is skipped (the page offers several)."""

    text = forms.CharField(label=_("Keputusan"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 2}))
    field = forms.ChoiceField(label=_("Bidang"), choices=[("", "—"), *KeputusanRakor.FIELD_CHOICES])
    wilayah_pj = AreaChoiceField(label=_("Wilayah penanggung jawab"), queryset=Wilayah.objects.none(), required=False)
    responsible = forms.CharField(label=_("OPD / pihak penanggung jawab"), max_length=120, required=False)
    deadline = AsciiDateField(label=_("Batas waktu"), widget=DateInput())

    def __init__(self, *args, rakor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wilayah_pj"].queryset = Wilayah.objects.filter(code__startswith=rakor.wilayah_id + ".").order_by(
            "code"
        )

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("wilayah_pj") and not (cleaned.get("responsible") or "").strip():
            self.add_error("responsible", _("Isi penanggung jawab: wilayah atau OPD/pihak."))
        return cleaned


class BaseKeputusanFormSet(forms.BaseFormSet):
    def __init__(self, *args, rakor, **kwargs):
        self.rakor = rakor
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "rakor": self.rakor}

    @property
    def empty_form(self):
        return self.form(auto_id=self.auto_id, prefix=self.add_prefix("__prefix__"), empty_permitted=True,
                         use_required_attribute=False, rakor=self.rakor)  # fmt: skip

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
