"""Writes of trantibum incidents. Keyword-only, ``<noun>_<verb>``, Indonesian ``ValidationError`` messages."""

import datetime

from django.utils.translation import gettext as _

from layanan.models import (
    Kejadian,
)
from layanan.services.checks import ensure_not_future
from posyandu.models import Posyandu
from posyandu.monthlock import month_ensure_open
from posyandu.saving import record_save


def kejadian_record(
    *,
    posyandu: Posyandu,
    kind: str,
    occurred_on: datetime.date,
    place: str,
    description: str,
    user,
    people_affected: int = 0,
    houses_damaged: int = 0,
    action_taken: str = "",
    confidential: bool = False,
) -> Kejadian:
    """Record an incident. Domestic-violence reports are always confidential."""
    ensure_not_future(occurred_on, "occurred_on", _("Tanggal kejadian"))
    month_ensure_open(posyandu=posyandu, month=occurred_on)
    kejadian = Kejadian(
        posyandu=posyandu,
        kind=kind,
        occurred_on=occurred_on,
        place=place.strip(),
        description=description.strip(),
        people_affected=people_affected,
        houses_damaged=houses_damaged,
        action_taken=action_taken.strip(),
        confidential=confidential or kind in Kejadian.ALWAYS_CONFIDENTIAL,
        recorded_by=user,
    )
    record_save(kejadian)
    return kejadian
