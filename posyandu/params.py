"""Query parameters and typed codes, validated before use: ASCII only, no NUL, bounded.

Python's ``str.isdigit()`` and ``int()`` accept any script's digits (``７``, ``٧``) and ``\\d`` matches
them too unless ``re.ASCII``: an id, an area code, a NIK or a year typed with them would be converted
silently, or reach the database and fail there. Here every such value is checked as ASCII first:

* ``query_id``: an object id (``?posyandu=12``): ASCII digits within the database's bigint;
* ``query_area_code``: a Kemendagri code (``73.05.01``): digits and dots in the code's shape;
* ``query_choice``: one of a fixed list of values;
* ``ascii_digits_problem``: the message for a NIK, KK or registration number typed with other digits.

A query parameter that fails is a 404 (a URL that names nothing), never a 500.
"""

import re
import unicodedata

from django.http import Http404
from django.utils.translation import gettext as _

ASCII_DIGITS_RE = re.compile(r"[0-9]+", re.ASCII)
AREA_CODE_RE = re.compile(r"[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{2}(?:\.[0-9]{4})?)?)?", re.ASCII)
MAX_ID = 2**63 - 1  # PostgreSQL bigint


def is_ascii_digits(value) -> bool:
    return isinstance(value, str) and ASCII_DIGITS_RE.fullmatch(value) is not None


def is_id(value) -> bool:
    """An object id: ASCII digits, within a bigint."""
    return is_ascii_digits(value) and len(value) <= 19 and 0 < int(value) <= MAX_ID


def is_area_code(value) -> bool:
    return isinstance(value, str) and AREA_CODE_RE.fullmatch(value) is not None


def has_other_digits(value: str) -> bool:
    """True when ``value`` holds a decimal digit of another script (fullwidth, Arabic-Indic …)."""
    return any(unicodedata.category(ch) == "Nd" and not ("0" <= ch <= "9") for ch in value)


def ascii_digits_problem(value: str, *, label: str) -> str | None:
    """The message for a number (NIK, KK, registration number) typed with other scripts' digits."""
    if has_other_digits(value):
        return _("%(label)s ditulis dengan angka biasa 0–9 (angka lebar atau Arab tidak diterima).") % {"label": label}
    return None


def query_id(request, name: str) -> int | None:
    """``?name=12``: None when absent or empty, 404 unless ASCII digits within a bigint."""
    value = request.GET.get(name, "")
    if value == "":
        return None
    if not is_id(value):
        raise Http404(f"{name}: not an id")
    return int(value)


def query_area_code(request, name: str) -> str | None:
    """``?name=73.05``: None when absent or empty, 404 unless a Kemendagri code's shape."""
    value = request.GET.get(name, "")
    if value == "":
        return None
    if not is_area_code(value):
        raise Http404(f"{name}: not an area code")
    return value


def query_choice(request, name: str, choices) -> str:
    """``?name=value`` among ``choices``: "" when absent or empty, 404 for anything else."""
    value = request.GET.get(name, "")
    if value == "":
        return ""
    if value not in set(choices):
        raise Http404(f"{name}: not a choice")
    return value
