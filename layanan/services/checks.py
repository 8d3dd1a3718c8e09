"""Checks shared by the writes of the five fields other than kesehatan."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from posyandu import dates


def ensure_not_future(day: datetime.date | None, field: str, label: str) -> None:
    if day and day > dates.today():
        raise ValidationError({field: _("%(label)s tidak boleh di masa depan.") % {"label": label}})


def save_unique(obj, *, duplicate_message: str, duplicate_field: str | None = None) -> None:
    """full_clean, then save inside a savepoint; a race on a unique constraint becomes the same message."""
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        raise ValidationError({duplicate_field: duplicate_message} if duplicate_field else duplicate_message) from error
