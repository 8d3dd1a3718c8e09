"""Edits against a record someone else changed since the form was opened are detected, not lost.

The form carries the record's ``updated_at`` as a hidden ``version``; the write service locks the row
(``SELECT … FOR UPDATE``) and compares. On a mismatch it raises ``StaleEdit``: the view shows the
message and the typed values, with the newer version in the form, so that saving again is a
deliberate choice to overwrite the other person's change.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


class StaleEdit(ValidationError):
    def __init__(self, *, name: str, changed_at: datetime.datetime):
        self.current_version = changed_at.isoformat()
        super().__init__(
            _(
                "Data %(name)s baru saja diubah orang lain (%(time)s) setelah formulir ini dibuka. Isian Anda "
                "belum disimpan: periksa data terbaru di halamannya, atau tekan Simpan sekali lagi untuk "
                "menimpanya dengan isian Anda."
            )
            % {"name": name, "time": timezone.localtime(changed_at).strftime("%H:%M:%S")}
        )


def version_of(instance) -> str:
    return instance.updated_at.isoformat() if getattr(instance, "updated_at", None) else ""


def ensure_unchanged(instance, version: str | None, *, name: str) -> None:
    """Lock ``instance``'s row and refuse if it changed since ``version`` (no version: no check).

    Call inside ``transaction.atomic``."""
    if not version:
        return
    try:
        expected = datetime.datetime.fromisoformat(version)
    except ValueError:
        return  # a tampered token is no reason to refuse; the row lock still serialises the writes
    current = type(instance).objects.select_for_update().filter(pk=instance.pk).values_list("updated_at", flat=True)
    current = current.first()
    if current is not None and current != expected:
        raise StaleEdit(name=name, changed_at=current)
