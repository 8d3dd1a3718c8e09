"""A lint rule, run as a test: one clock and one module for dates and ages (``posyandu/dates.py``).

Everything that reads the clock or does age and month arithmetic goes through ``posyandu.dates``,
so tests can pin the clock in one place and the suite can run on any day
(``POSYANDU_TEST_TODAY=2028-02-29``, ``make test-dates``). This scans the source with ``ast`` (so
comments and docstrings never count) and fails naming ``file:line`` for:

* a clock reading: ``timezone.now()``, ``timezone.localdate()``, ``timezone.localtime()`` without a
  value, ``date.today()``, ``datetime.now()`` / ``today()`` / ``utcnow()``, ``time.time()``, the
  database clock ``Now()``, or importing ``now`` / ``localdate`` / ``localtime`` by name;
* an age by date subtraction: ``something - birth_date`` (or ``hpht``), a plain month difference
  ``(a.year - b.year) * 12 + …`` or any ``a.year - b.year``;
* the WHO day-count literals ``30.4375`` and ``365.25``;
* ``.replace(year=...)``, which raises on 29 February: ``dates.add_years``;
* ``calendar.monthrange``: ``dates.days_in_month`` / ``dates.month_end``.

In ``tests/`` only the clock rules apply (tests compute expected ages their own way on purpose):
a test reads the clock through ``posyandu.dates`` or pins it with the ``pinned_clock`` fixture.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("posyandu", "layanan", "kader", "laporan", "demo", "config")
THE_MODULE = ROOT / "posyandu" / "dates.py"

CLOCK_CALLS = {
    "timezone.now": "timezone.now()",
    "timezone.localdate": "timezone.localdate()",
    "date.today": "date.today()",
    "datetime.now": "datetime.now()",
    "datetime.today": "datetime.today()",
    "datetime.utcnow": "datetime.utcnow()",
    "time.time": "time.time()",
    "time.time_ns": "time.time_ns()",
}
CLOCK_CALLS_WITHOUT_ARGUMENT = {"timezone.localtime": "timezone.localtime()", "time.localtime": "time.localtime()"}
CLOCK_NAMES = {"now", "localdate", "localtime", "Now"}
AGE_NAMES = ("birth", "hpht")
DAY_COUNT_LITERALS = {30.4375, 365.25}
HINT = "use posyandu.dates"


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


def _matches(dotted: str, names) -> str | None:
    for name in names:
        if dotted == name or dotted.endswith("." + name):
            return name
    return None


def _mentions_age(node: ast.AST) -> bool:
    """An operand naming a birth date or an HPHT (``warga.birth_date``, ``birth``, ``person.pregnancy_hpht``)."""
    if isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Attribute):
        return any(word in node.attr for word in AGE_NAMES)
    if isinstance(node, ast.Name):
        return any(word in node.id for word in AGE_NAMES)
    return False


def _is_timedelta(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and _dotted(node.func).endswith("timedelta")


def _is_year(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "year"


def problems_in(path: Path, *, clock_only: bool = False) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name
    found = []

    def report(node, message):
        found.append((node.lineno, f"{where}:{node.lineno}: {message} ({HINT})"))

    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in ("django.utils.timezone", "django.db.models.functions"):
            for alias in node.names:
                if alias.name in CLOCK_NAMES:
                    report(node, f"imports the clock {node.module}.{alias.name}")
        elif isinstance(node, ast.Call):
            dotted = _dotted(node.func)
            if name := _matches(dotted, CLOCK_CALLS):
                report(node, f"reads the clock with {CLOCK_CALLS[name]}")
            elif (name := _matches(dotted, CLOCK_CALLS_WITHOUT_ARGUMENT)) and not node.args:
                report(node, f"reads the clock with {CLOCK_CALLS_WITHOUT_ARGUMENT[name]}")
            elif dotted in ("Now", "functions.Now", "models.functions.Now"):
                report(node, "reads the database clock with Now()")
            elif clock_only:
                continue
            elif isinstance(node.func, ast.Attribute) and node.func.attr == "replace":
                if any(keyword.arg == "year" for keyword in node.keywords):
                    report(node, ".replace(year=...) fails on 29 February: dates.add_years")
            elif _matches(dotted, ["calendar.monthrange"]):
                report(node, "month arithmetic with calendar.monthrange: dates.days_in_month / dates.month_end")
        elif clock_only:
            continue
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Sub):
            if _is_year(node.left) and _is_year(node.right):
                report(node, "a year difference (a.year - b.year) is age or month arithmetic: dates.months_between")
            elif (_mentions_age(node.left) or _mentions_age(node.right)) and not (
                _is_timedelta(node.left) or _is_timedelta(node.right)
            ):
                report(node, "an age by subtracting dates: dates.age_in_days / dates.months_between")
        elif isinstance(node, ast.Constant) and isinstance(node.value, float) and node.value in DAY_COUNT_LITERALS:
            report(node, f"the day-count literal {node.value}: dates.DAYS_PER_MONTH / dates.DAYS_PER_YEAR")
    return [message for _line, message in sorted(found)]


def _sources(top: str):
    for path in sorted((ROOT / top).rglob("*.py")):
        if "migrations" not in path.parts and path != THE_MODULE:
            yield path


def test_only_posyandu_dates_reads_the_clock_or_computes_ages():
    found = [problem for top in APPS for path in _sources(top) for problem in problems_in(path)]
    assert not found, "Clock or age arithmetic outside posyandu/dates.py:\n" + "\n".join(found)


def test_tests_read_the_clock_through_posyandu_dates_or_the_pinned_clock():
    found = [problem for path in _sources("tests") for problem in problems_in(path, clock_only=True)]
    assert not found, "Tests reading the real clock:\n" + "\n".join(found)


def test_the_rule_catches_what_it_is_for(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime\n"
        "from django.utils import timezone\n"
        "from django.utils.timezone import localdate\n"
        "today = timezone.localdate()\n"
        "stamp = datetime.datetime.now()\n"
        "printed = timezone.localtime()\n"
        "converted = timezone.localtime(stamp)\n"
        "days = (today - warga.birth_date).days\n"
        "months = (on.year - birth.year) * 12 + on.month - birth.month\n"
        "weeks = (on - hpht).days // 7\n"
        "ago = today - datetime.timedelta(days=3)\n"
        "born = warga.birth_date - datetime.timedelta(days=1)\n"
        "per_month = 30.4375\n"
        "five_years_ago = today.replace(year=today.year - 5)\n"
        '"""timezone.now() in a docstring does not count"""  # nor date.today() here\n'
    )
    found = [line.split(":")[1] for line in problems_in(sample)]
    # 3: import, 4: localdate, 5: now, 6: localtime(); 7 converts a value; 8-10 ages; 11-12 date shifts.
    assert found == ["3", "4", "5", "6", "8", "9", "10", "13", "14"], found
    assert [line.split(":")[1] for line in problems_in(sample, clock_only=True)] == ["3", "4", "5", "6"]
