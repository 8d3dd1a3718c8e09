"""Inputs shared by the forms of the five fields other than kesehatan."""

from django import forms
from django.utils.translation import gettext_lazy as _

from posyandu.models import Posyandu
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


def choice_field(label, choices):
    return forms.ChoiceField(label=label, choices=[("", "---------"), *choices])


class PosyanduMixin:
    """A posyandu field limited to the user's scope; hidden for users bound to one posyandu."""

    def _setup_posyandu(self, user):
        field = self.fields["posyandu"]
        field.queryset = scoped(Posyandu.objects.select_related("desa"), user).order_by("name")
        if user.posyandu_id:
            field.initial = user.posyandu_id
            field.widget = forms.HiddenInput()
