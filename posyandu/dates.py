"""The one clock, and the month and age arithmetic of every app.

Nothing else in ``posyandu``, ``layanan``, ``kader``, ``laporan`` or ``config`` reads the clock
(``timezone.now()``, ``timezone.localdate()``, ``date.today()``, ``datetime.now()``) or subtracts
dates to get an age: ``tests/test_one_clock.py`` fails, naming file and line, if anything does.
Tests pin the clock with the ``pinned_clock`` fixture of ``tests/conftest.py`` (time-machine under
``now()``, so ``auto_now`` fields and the audit history agree with ``today()``), and
``POSYANDU_TEST_TODAY=2027-01-01`` runs the whole suite on another day (``make test-dates``).

Rules, each written once:

* *today* is the local date of the project's time zone (``TIME_ZONE``, Asia/Jakarta), not UTC;
* *completed months* are calendar months, a birthday past the end of a shorter month falling on
  that month's last day (born 31 January: one month old on 28 February) — ``months_between``;
* a *reporting month* is the first day of its month — ``month_start``;
* a year shift keeps 29 February on 28 February in other years — ``add_years``;
* WHO converts days to months with 365.25 / 12 = 30.4375 days per month — ``DAYS_PER_MONTH``.
"""

import calendar
import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12  # WHO igrowup / R anthro: 30.4375


# ---------------------------------------------------------------------------------------------
# The clock
# ---------------------------------------------------------------------------------------------
def now() -> datetime.datetime:
    """The current moment, time-zone aware (UTC). Every other clock reading goes through here."""
    return timezone.now()


def localtime() -> datetime.datetime:
    """The current moment in the project's time zone (for "printed at" stamps and file names)."""
    return timezone.localtime(now())


def today() -> datetime.date:
    """Today in the project's time zone."""
    return timezone.localdate(now())


def this_month() -> datetime.date:
    """The first day of the current month."""
    return month_start(today())


# ---------------------------------------------------------------------------------------------
# Symbolic days: a query built once for any month
# ---------------------------------------------------------------------------------------------
class SymbolicDayUsed(TypeError):
    """A symbolic day was read or computed with as a date while a query was being built."""


# A symbolic day's value as a date is a placeholder in the eleventh century: no record is dated there, so
# a date a builder computed from one (an age cutoff: decades earlier) is caught before the query runs
# (``leaked``). Symbolic days are told apart by identity, never by that value.
_PLACEHOLDER = datetime.date(1000, 1, 1)
_LEAKED_YEARS = range(800, 1200)


class SymbolicDay(datetime.date):
    """A day known only when the query runs: ``recipe(context)`` gives it (always a date).

    The laporan indicators build each source's query once with symbolic days for the period's dates
    and run it for every month asked (``laporan.indicators.PeriodTemplate``). Everything a query
    builder may do with such a day is to pass it to the database as a value, or to these functions
    (``add_months``, ``month_start``, ``month_end``, ``birth_date_cutoff``), which derive a new
    symbolic day; reading its year, month or day, comparing or adding to it raises
    ``SymbolicDayUsed``, so a builder that branched on a date, or computed one Python-side, fails
    instead of running every month with the first month's value."""

    def __new__(cls, recipe):
        self = super().__new__(cls, _PLACEHOLDER.year, _PLACEHOLDER.month, _PLACEHOLDER.day)
        self.recipe = recipe
        return self

    def resolve(self, context) -> datetime.date:
        value = self.recipe(context)
        if not isinstance(value, datetime.date):
            # Never None: Django decides from the value it was built with whether an expression can be
            # NULL (``Value(day) IS NULL`` is folded away), so a recipe giving NULL would run wrong SQL.
            raise SymbolicDayUsed(f"a symbolic day's recipe gave {value!r}, not a date")
        return value

    def _refuse(self, *args, **kwargs):
        raise SymbolicDayUsed(
            "a symbolic day (laporan.indicators.PeriodTemplate) has no value while the query is built: "
            "derive it with posyandu.dates (dates.derive) or the period's derive()"
        )

    year = month = day = property(_refuse)
    __lt__ = __le__ = __gt__ = __ge__ = __add__ = __radd__ = __sub__ = __rsub__ = _refuse
    replace = isoformat = strftime = __format__ = __str__ = timetuple = toordinal = weekday = _refuse

    def __repr__(self) -> str:
        return f"SymbolicDay({self.recipe!r})"

    __hash__ = object.__hash__

    def __copy__(self):
        return self  # immutable: a cloned query keeps the same symbolic day

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        raise SymbolicDayUsed("a symbolic day cannot be pickled")

    def __eq__(self, other) -> bool:
        return self is other


def derive(day, compute):
    """``compute(day)``, or for a symbolic day a symbolic day of that, computed when the query runs."""
    if isinstance(day, SymbolicDay):
        return SymbolicDay(lambda context: compute(day.resolve(context)))
    return compute(day)


def leaked(param, *, nested: bool = False) -> bool:
    """A query parameter a symbolic day leaked into: a plain date (or its text) in the placeholders'
    century, or a symbolic day inside a list (only a parameter itself is bound when the query runs)."""
    if isinstance(param, SymbolicDay):
        return nested
    if isinstance(param, datetime.date):
        return param.year in _LEAKED_YEARS
    if isinstance(param, str):
        return len(param) >= 10 and param[4:5] == "-" and param[:4].isdigit() and int(param[:4]) in _LEAKED_YEARS
    if isinstance(param, (list, tuple, set, frozenset)):
        return any(leaked(item, nested=True) for item in param)
    return False


# ---------------------------------------------------------------------------------------------
# Months
# ---------------------------------------------------------------------------------------------
def month_start(day: datetime.date) -> datetime.date:
    """The first day of the month of ``day`` (a reporting month)."""
    if isinstance(day, SymbolicDay):
        return derive(day, month_start)
    return day.replace(day=1)


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def month_end(day: datetime.date) -> datetime.date:
    """The last day of the month of ``day``."""
    if isinstance(day, SymbolicDay):
        return derive(day, month_end)
    return day.replace(day=days_in_month(day.year, day.month))


def is_month_end(day: datetime.date) -> bool:
    return day.day == days_in_month(day.year, day.month)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by ``months`` calendar months, past a shorter month's end kept on its last day
    (31 January + 1 → 28 or 29 February). On a reporting month it gives a reporting month."""
    if isinstance(day, SymbolicDay):
        return derive(day, lambda value: add_months(value, months))
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return datetime.date(year, month0 + 1, min(day.day, days_in_month(year, month0 + 1)))


def add_years(day: datetime.date, years: int) -> datetime.date:
    """``day`` moved by ``years``; 29 February falls on 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def calendar_months_apart(start: datetime.date, end: datetime.date) -> int:
    """How many month boundaries lie from ``start``'s month to ``end``'s month, days ignored
    (5 March → 2 April: 1). For reporting months, never for ages: see ``months_between``."""
    return (end.year - start.year) * 12 + end.month - start.month


def months_in(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The reporting months from ``start``'s month to ``end``'s month, both included."""
    first = month_start(start)
    return [add_months(first, index) for index in range(calendar_months_apart(start, end) + 1)]


# ---------------------------------------------------------------------------------------------
# Ages
# ---------------------------------------------------------------------------------------------
def months_between(start: datetime.date, end: datetime.date) -> int:
    """Completed calendar months from ``start`` to ``end`` (born 15 Jan: 14 Feb → 0, 15 Feb → 1).

    A birthday past the end of a shorter month falls on that month's last day (born 31 Jan:
    1 month on 28 Feb). Born 20 January, seen 10 July: 5, not the 6 of a plain month difference.
    """
    months = calendar_months_apart(start, end)
    if end.day < start.day and not is_month_end(end):
        months -= 1
    return months


def years_between(start: datetime.date, end: datetime.date) -> int:
    """Completed years from ``start`` to ``end`` (born 29 February: a year on 1 March)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def age_in_days(birth_date: datetime.date, on: datetime.date) -> int:
    """Whole days from ``birth_date`` (or any start) to ``on``; negative when ``on`` is earlier."""
    return (on - birth_date).days


def age_in_years(birth_date: datetime.date, on: datetime.date) -> float:
    """Age in fractional years (days / 365.25), as the demo generators use it."""
    return age_in_days(birth_date, on) / DAYS_PER_YEAR


def completed_weeks(start: datetime.date, on: datetime.date) -> int:
    """Whole weeks from ``start`` to ``on`` (gestational age from the HPHT)."""
    return age_in_days(start, on) // 7


def birth_date_cutoff(*, months: int, on: datetime.date) -> datetime.date:
    """The latest birth date of someone at least ``months`` completed months old on ``on``.

    ``birth_date <= cutoff`` exactly when ``months_between(birth_date, on) >= months``: the same rule,
    month ends included (born on the 31st, a month is complete on the last day of a shorter month),
    so a filter in SQL and ``Warga.life_stage()`` in Python always agree.
    """
    if isinstance(on, SymbolicDay):
        return derive(on, lambda value: birth_date_cutoff(months=months, on=value))
    year, month0 = divmod(on.year * 12 + on.month - 1 - months, 12)
    last_day = days_in_month(year, month0 + 1)
    return datetime.date(year, month0 + 1, last_day if is_month_end(on) else min(on.day, last_day))


# The words of ``format_age``; the phone's offline entry is served them (layanan/offline.py).
AGE_WORDS = {"months": _("%(n)s bulan"), "years_months": _("%(y)s th %(m)s bln"), "years": _("%(y)s tahun")}


def format_age(months: int) -> str:
    """Age as people say it: "7 bulan", "2 th 3 bln", "34 tahun"."""
    if months < 24:
        return str(AGE_WORDS["months"]) % {"n": months}
    if months < 60:
        return str(AGE_WORDS["years_months"]) % {"y": months // 12, "m": months % 12}
    return str(AGE_WORDS["years"]) % {"y": months // 12}
