"""Form of a child's schooling: it validates and converts types; the service saves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from layanan.models import (
    PendidikanAnak,
)
from posyandu import dates
from posyandu.forms import AsciiDateField, DateInput


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
