"""The one parser of reporting periods typed in URLs and forms, bounded to the years the system holds.

A period is a month ``2026-03``, a quarter ``2026-T1`` (``t1`` too) or a year ``2026``; the digits
are ASCII only (``str.isdigit()``, ``int()`` and ``\\d`` would take ``２０２６`` or ``٢٠٢٦`` and turn them
into a year silently). Years run from ``FIRST_YEAR`` to next year: a month outside that range (``0001-01``,
``9999-12``) is refused here, so no page computes a month before year 1 or after year 9999 and fails.

Every page that takes ``periode``, ``tahun`` or a month in its URL goes through ``parse_period`` /
``parse_month`` / ``parse_year`` (the ``*_or_404`` helpers for URLs), and every form field of a month
or a year through ``month_problem`` / ``year_problem``.
"""

import datetime
import re
from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from posyandu import dates

# The first year the system holds data for (posyandu records and the ILP began long after).
FIRST_YEAR = 2000

MONTH_RE = re.compile(r"([0-9]{4})-([0-9]{2})", re.ASCII)
QUARTER_RE = re.compile(r"([0-9]{4})-[Tt]([1-4])", re.ASCII)
YEAR_RE = re.compile(r"[0-9]{4}", re.ASCII)

MONTH, QUARTER, YEAR = "month", "quarter", "year"
ALL_KINDS = (MONTH, QUARTER, YEAR)


def _today() -> datetime.date:
    return dates.today()


def year_bounds() -> tuple[int, int]:
    """The first and the last year a period may fall in: ``FIRST_YEAR`` .. next year."""
    return FIRST_YEAR, _today().year + 1


def month_bounds() -> tuple[datetime.date, datetime.date]:
    """The first and the last reporting month (first days) the system holds."""
    first, last = year_bounds()
    return datetime.date(first, 1, 1), datetime.date(last, 12, 1)


class PeriodError(ValueError):
    """A period that is not one, or lies outside the years the system holds (message in Indonesian)."""


@dataclass(frozen=True)
class ParsedPeriod:
    kind: str  # MONTH, QUARTER or YEAR
    year: int
    number: int | None = None  # the month (1-12) or the quarter (1-4)

    @property
    def start(self) -> datetime.date:
        """The first reporting month of the period."""
        if self.kind == MONTH:
            return datetime.date(self.year, self.number, 1)
        if self.kind == QUARTER:
            return datetime.date(self.year, 3 * self.number - 2, 1)
        return datetime.date(self.year, 1, 1)

    @property
    def end(self) -> datetime.date:
        """The last reporting month of the period."""
        if self.kind == MONTH:
            return self.start
        if self.kind == QUARTER:
            return datetime.date(self.year, 3 * self.number, 1)
        return datetime.date(self.year, 12, 1)


def _out_of_range() -> PeriodError:
    first, last = year_bounds()
    return PeriodError(_("Periode harus antara tahun %(first)s dan %(last)s.") % {"first": first, "last": last})


def _check_year(year: int) -> int:
    first, last = year_bounds()
    if not first <= year <= last:
        raise _out_of_range()
    return year


def parse_period(value: str | None, *, kinds: tuple[str, ...] = ALL_KINDS) -> ParsedPeriod:
    """``2026-03``, ``2026-T1`` or ``2026`` (only the ``kinds`` asked for); ``PeriodError`` otherwise."""
    text = value.strip() if isinstance(value, str) else ""
    if MONTH in kinds and (match := MONTH_RE.fullmatch(text)):
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(_("Bulan harus 01 sampai 12, misalnya 2026-03."))
        return ParsedPeriod(MONTH, _check_year(year), month)
    if QUARTER in kinds and (match := QUARTER_RE.fullmatch(text)):
        return ParsedPeriod(QUARTER, _check_year(int(match.group(1))), int(match.group(2)))
    if YEAR in kinds and YEAR_RE.fullmatch(text):
        return ParsedPeriod(YEAR, _check_year(int(text)))
    examples = {MONTH: "2026-03", QUARTER: "2026-T1", YEAR: "2026"}
    raise PeriodError(
        _("Periode tidak dikenal: tulis seperti %(examples)s.")
        % {"examples": ", ".join(examples[kind] for kind in kinds)}
    )


def parse_month(value: str | None) -> datetime.date:
    """A reporting month ``2026-03`` → ``date(2026, 3, 1)``; ``PeriodError`` otherwise."""
    return parse_period(value, kinds=(MONTH,)).start


def parse_year(value: str | None) -> int:
    """A year ``2026``; ``PeriodError`` otherwise."""
    return parse_period(value, kinds=(YEAR,)).year


def period_or_404(value: str | None, *, default: ParsedPeriod | None = None, kinds=ALL_KINDS) -> ParsedPeriod | None:
    """A period from a URL: ``default`` when absent or empty, 404 for anything that is not a period held."""
    if value is None or value == "":
        return default
    try:
        return parse_period(value, kinds=kinds)
    except PeriodError as error:
        raise Http404(str(error)) from error


def month_or_404(value: str | None) -> datetime.date:
    """The month in a URL path (a monthly report): 404 unless it is a month the system holds."""
    try:
        return parse_month(value)
    except PeriodError as error:
        raise Http404(str(error)) from error


def year_or_404(value: str | None, *, default: int | None = None) -> int | None:
    """A year from a URL (``?tahun=``): ``default`` when absent or empty, 404 unless a year held."""
    parsed = period_or_404(value, kinds=(YEAR,))
    return default if parsed is None else parsed.year


def month_problem(month: datetime.date) -> str | None:
    """Why a month typed in a form is not one the system holds, or None."""
    first, last = month_bounds()
    if not first <= month.replace(day=1) <= last:
        return str(_out_of_range())
    return None


# Any date typed in a form (a lansia's birth date, a term ending in years to come): a wide sanity bound,
# so ``0001-01-01`` or ``9999-12-31`` never reaches date arithmetic (a day later than 9999-12-31 is an
# error in Python). Closer rules ("not in the future", "after the start") are the forms' and models' own
# and speak first for any date inside this range.
DATE_FIRST_YEAR = 1900
DATE_LAST_YEAR = 2999


def date_problem(day: datetime.date) -> str | None:
    """Why a date typed in a form is not one the system takes, or None."""
    if not DATE_FIRST_YEAR <= day.year <= DATE_LAST_YEAR:
        return _("Tanggal harus antara tahun %(first)s dan %(last)s.") % {
            "first": DATE_FIRST_YEAR,
            "last": DATE_LAST_YEAR,
        }
    return None


def year_problem(year: int) -> str | None:
    """Why a year typed in a form is not one the system holds, or None."""
    first, last = year_bounds()
    if not first <= year <= last:
        return _("Tahun harus antara %(first)s dan %(last)s.") % {"first": first, "last": last}
    return None
