"""Display helpers for health results: colour of a category, z-scores with a real minus sign."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()

# Bootstrap contextual colour per category code (growth categories and N/T codes).
CATEGORY_CLASS = {
    "sangat_kurang": "danger",
    "kurang": "warning",
    "risiko_lebih": "warning",
    "sangat_pendek": "danger",
    "pendek": "warning",
    "tinggi": "info",
    "gizi_buruk": "danger",
    "gizi_kurang": "warning",
    "berisiko_gizi_lebih": "warning",
    "gizi_lebih": "warning",
    "obesitas": "danger",
    "normal": "success",
    "gizi_baik": "success",
    "N": "success",
    "T": "warning",
    "2T": "danger",
    "O": "secondary",
    "B": "info",
}


@register.filter
def category_class(code: str) -> str:
    return CATEGORY_CLASS.get(code or "", "secondary")


@register.filter
def zscore(value) -> str:
    """``-2.31`` → ``−2,31`` (Indonesian decimal comma, typographic minus); empty for None."""
    if value is None or value == "":
        return "—"
    text = number_format(Decimal(value), decimal_pos=2)
    if text.startswith("-"):
        return "\u2212" + text[1:]
    if Decimal(value) > 0:
        return "+" + text
    return text
