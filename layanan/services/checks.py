"""Checks shared by the writes of the five fields other than kesehatan."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from posyandu import dates


def ensure_not_future(day: datetime.date | None, field: str, label: str) -> None:
    if day and day > dates.today():
        raise ValidationError({field: _("%(label)s tidak boleh di masa depan.") % {"label": label}})
