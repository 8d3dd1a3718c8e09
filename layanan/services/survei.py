"""Writes of the household survey. Keyword-only, ``<noun>_<verb>``, Indonesian ``ValidationError`` messages."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from layanan.models import (
    SurveiKeluarga,
)
from layanan.services.checks import ensure_not_future
from posyandu.models import Keluarga
from posyandu.monthlock import month_ensure_open
from posyandu.saving import record_save

DUPLICATE = gettext_lazy("Keluarga ini sudah disurvei pada tanggal tersebut.")
SURVEY_FIELDS = (
    "water_source",
    "water_sufficient",
    "latrine",
    "waste_water",
    "rubbish",
    "roof",
    "walls",
    "floor",
    "floor_area_m2",
    "occupants",
    "disaster_damage",
    "is_poor",
    "receives_bansos",
    "bansos_programmes",
    "has_jkn",
    "disabled_members",
    "neglected_elderly",
    "neglected_children",
    "notes",
)


# ---------------------------------------------------------------------------------------------
# Household survey and schooling
# ---------------------------------------------------------------------------------------------
def survei_keluarga_record(*, keluarga: Keluarga, survey_date: datetime.date, user, values: dict) -> SurveiKeluarga:
    """Record a household's status on ``survey_date``; earlier surveys stay as history."""
    ensure_not_future(survey_date, "survey_date", _("Tanggal survei"))
    unknown = set(values) - set(SURVEY_FIELDS)
    if unknown:
        raise ValueError(f"unknown survey fields: {sorted(unknown)}")
    values = dict(values)
    if not values.get("receives_bansos"):
        values["bansos_programmes"] = []
    elif not values.get("bansos_programmes"):
        raise ValidationError({"bansos_programmes": _("Pilih program bansos yang diterima.")})
    if (
        values.get("disabled_members", 0)
        and values.get("occupants")
        and values["disabled_members"] > values["occupants"]
    ):
        raise ValidationError({"disabled_members": _("Tidak boleh lebih dari jumlah penghuni.")})
    month_ensure_open(posyandu=keluarga.posyandu_id, month=survey_date)
    if SurveiKeluarga.objects.filter(keluarga=keluarga, survey_date=survey_date).exists():
        raise ValidationError({"survey_date": DUPLICATE})
    survei = SurveiKeluarga(keluarga=keluarga, survey_date=survey_date, surveyed_by=user, **values)
    record_save(survei, constraint_errors={"survei_keluarga_one_per_date": {"survey_date": DUPLICATE}})
    survei.refresh_from_db(fields=["has_safe_water", "has_proper_latrine", "area_per_person_m2", "is_rtlh"])
    return survei
