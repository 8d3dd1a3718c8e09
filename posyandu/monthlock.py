"""The month lock: an approved month's data cannot change, whatever code path writes it.

When the kecamatan approves a posyandu's monthly report, ``laporan.services`` writes a
``BulanTerkunci`` row. From then on no row that feeds that posyandu's figures of that month may be
inserted, changed or deleted. The rule lives in the database, so a new write path cannot forget it:

- Every model whose rows feed a month's figures declares ``MONTH_GUARD`` (like ``SCOPE_PATHS``):
  which posyandu the row belongs to and which of its dates decide the month(s) it touches, each with
  the fields whose change touches that month.
- ``install()`` (run after every ``migrate``) writes one ``BEFORE INSERT OR UPDATE OR DELETE``
  trigger per such table from those declarations. For the old and the new version of the row it
  checks every month the write touches; a locked one raises ``MONTH_LOCKED`` and the whole
  transaction is rolled back.
- Approval and writes are serialised per posyandu with a transaction-scoped advisory lock: each
  guarded write takes it shared, the approval exclusively. A write that races an approval either
  commits before the approval reads (and is in the approved figures) or waits for it and is refused.
- ``tests/posyandu/test_month_lock.py`` enumerates every model with a date field and fails for one
  that neither declares a guard nor says in ``EXEMPT`` why its dates feed no month's figure.

Python keeps one friendly early check (``month_ensure_open``) so a form can say which month is locked
before any work is done; ``as_validation_error`` turns the database's refusal into the same message,
and ``MonthLockedMiddleware`` answers any refusal that reaches a view with that message (409), never a 500.

Bulk seeding of synthetic data (demo, benchmark) may switch the guard off for its own transaction
with ``guard_disabled()``; nothing that serves a request does.
"""

import contextlib
import datetime
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, connections, models
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _

ADVISORY_NAMESPACE = 7305_0002  # first key of pg_advisory_xact_lock(int, int); the second is the posyandu id
MESSAGE = "MONTH_LOCKED"
_SETTING = "posyandu.monthlock"


@dataclass(frozen=True)
class Watch:
    """A date of the row (a lookup path, ``__`` through foreign keys) whose month a write touches.

    ``fields``: the fields whose change on UPDATE touches that month (``None``: any field but the
    ignored ones). INSERT and DELETE always touch the month of every watched date."""

    date: str
    fields: tuple[str, ...] | None = None


@dataclass(frozen=True)
class MonthGuard:
    posyandu: tuple[str, ...]  # lookup paths to the posyandu id(s) whose months the row feeds
    watches: tuple[Watch, ...]
    ignore: tuple[str, ...] = ("updated_at",)  # fields that never touch a month (bookkeeping)


def _path_sql(model: type[models.Model], path: str, row: str) -> str:
    """``ARRAY(SELECT …)`` of the values reached from ``row`` (NEW or OLD) by ``path``.

    Forward foreign keys and reverse relations (one-to-many) are followed; the last part is a
    field (a foreign key gives its id). A datetime becomes the project's local date."""
    alias, current, parts = row, model, path.split("__")
    joins: list[str] = []
    where: list[str] = []
    for index, name in enumerate(parts):
        last = index == len(parts) - 1
        fld = current._meta.get_field(name)
        if (fld.is_relation and fld.many_to_one) or (fld.is_relation and fld.one_to_one and fld.concrete):
            if last:
                expr = f"{alias}.{fld.column}"
                break
            target = fld.related_model
            nxt = f"t{index}"
            joins.append(f"{target._meta.db_table} {nxt}")
            where.append(f"{nxt}.{target._meta.pk.column} = {alias}.{fld.column}")
            alias, current = nxt, target
        elif fld.is_relation and (fld.one_to_many or fld.one_to_one):  # reverse relation
            target = fld.related_model
            nxt = f"t{index}"
            joins.append(f"{target._meta.db_table} {nxt}")
            where.append(f"{nxt}.{fld.field.column} = {alias}.{current._meta.pk.column}")
            alias, current = nxt, target
            if last:
                expr = f"{alias}.{target._meta.pk.column}"
                break
        else:
            if not last:
                raise ValueError(f"{model.__name__}.MONTH_GUARD: {path!r} goes through a plain field")
            expr = f"{alias}.{fld.column}"
            if isinstance(fld, models.DateTimeField):
                expr = f"({expr} AT TIME ZONE '{settings.TIME_ZONE}')::date"
            break
    sql = f"SELECT {expr}"
    if joins:
        sql += " FROM " + ", ".join(joins) + " WHERE " + " AND ".join(where)
    return f"ARRAY({sql})"


def _columns(model, names) -> list[str]:
    return [model._meta.get_field(name).column for name in names]


def _changed(model, guard: MonthGuard, watch: Watch) -> str:
    if watch.fields is None:
        names = [f.name for f in model._meta.concrete_fields if f.name not in guard.ignore and not f.primary_key]
    else:
        names = list(watch.fields)
    return " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in _columns(model, names))


def guarded_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if isinstance(getattr(m, "MONTH_GUARD", None), MonthGuard)]


def _trigger_sql(model) -> str:
    guard: MonthGuard = model.MONTH_GUARD
    table = model._meta.db_table
    function = f"monthlock_{table}"

    def checks(row: str) -> str:
        posyandu = " || ".join(_path_sql(model, path, row) for path in guard.posyandu)
        lines = []
        for watch in guard.watches:
            condition = f"TG_OP <> 'UPDATE' OR ({_changed(model, guard, watch)})"
            lines.append(
                f"    IF {condition} THEN\n"
                f"      PERFORM monthlock_check({posyandu}, {_path_sql(model, watch.date, row)}, TG_TABLE_NAME);\n"
                f"    END IF;"
            )
        return "\n".join(lines)

    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF current_setting('{_SETTING}', true) = 'off' THEN
    RETURN COALESCE(NEW, OLD);
  END IF;
  IF TG_OP <> 'INSERT' THEN
{checks("OLD")}
  END IF;
  IF TG_OP <> 'DELETE' THEN
{checks("NEW")}
    RETURN NEW;
  END IF;
  RETURN OLD;
END
$f$;
DROP TRIGGER IF EXISTS monthlock ON {table};
CREATE TRIGGER monthlock BEFORE INSERT OR UPDATE OR DELETE ON {table}
  FOR EACH ROW EXECUTE FUNCTION {function}();
"""


_CHECK_SQL = f"""
CREATE OR REPLACE FUNCTION monthlock_check(posyandu_ids bigint[], days date[], source text) RETURNS void
LANGUAGE plpgsql AS $f$
DECLARE
  pid bigint;
  day date;
BEGIN
  FOREACH pid IN ARRAY ARRAY(SELECT DISTINCT p FROM unnest(posyandu_ids) p WHERE p IS NOT NULL ORDER BY p) LOOP
    -- Shared: writes of one posyandu run side by side; an approval takes it exclusively.
    PERFORM pg_advisory_xact_lock_shared({ADVISORY_NAMESPACE}, pid::int);
    FOREACH day IN ARRAY days LOOP
      CONTINUE WHEN day IS NULL;
      IF EXISTS (SELECT 1 FROM posyandu_bulanterkunci
                 WHERE posyandu_id = pid AND month = date_trunc('month', day)::date) THEN
        RAISE EXCEPTION '{MESSAGE}'
          USING DETAIL = pid::text || ' ' || to_char(date_trunc('month', day), 'YYYY-MM-DD'),
                HINT = source;
      END IF;
    END LOOP;
  END LOOP;
END
$f$;
"""  # noqa: S608 (constants only)


def install(using: str = "default") -> list[str]:
    """Create or replace the lock's check function and one trigger per guarded table; idempotent."""
    tables = []
    with connections[using].cursor() as cursor:
        cursor.execute(_CHECK_SQL)
        for model in guarded_models():
            cursor.execute(_trigger_sql(model))
            tables.append(model._meta.db_table)
    return tables


def install_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate handler: (re)install once per ``migrate`` (the signal comes once per app, after all
    migrations ran), when every guarded table exists (a partial migrate may lack some)."""
    if sender.name == "posyandu" and _all_tables_exist(using):
        install(using)


def _all_tables_exist(using: str) -> bool:
    existing = set(connections[using].introspection.table_names())
    needed = {"posyandu_bulanterkunci"} | {m._meta.db_table for m in guarded_models()}
    return needed <= existing


# ---------------------------------------------------------------------------------------------
# Python side: the early check, the lock taken by approval, the database's refusal as a message
# ---------------------------------------------------------------------------------------------
def locked_message(month: datetime.date) -> str:
    return _(
        "Laporan bulan %(month)s posyandu ini sudah disetujui dan dikunci: datanya tidak dapat diubah. "
        "Minta admin membuka kembali laporan itu bila ada yang harus dibetulkan."
    ) % {"month": date_format(month, "F Y")}


def _locks():
    """``BulanTerkunci``'s rows (through the app registry: posyandu.models imports this module)."""
    return apps.get_model("posyandu", "BulanTerkunci").objects


def is_locked(*, posyandu_id: int, month: datetime.date) -> bool:
    return _locks().filter(posyandu_id=posyandu_id, month=month.replace(day=1)).exists()


def month_ensure_open(*, posyandu, month: datetime.date, also: datetime.date | None = None) -> None:
    """Refuse early, with the month's name, a write into a locked month (the trigger is the guarantee).

    ``also``: a second date of the same record whose month must be open too (one query for both)."""
    posyandu_id = posyandu if isinstance(posyandu, int) else posyandu.pk
    months = {month.replace(day=1)} | ({also.replace(day=1)} if also else set())
    locked = (
        _locks()
        .filter(posyandu_id=posyandu_id, month__in=months)
        .order_by("month")
        .values_list("month", flat=True)
        .first()
    )
    if locked is not None:
        raise ValidationError(locked_message(locked))


def approval_lock(*, posyandu_id: int) -> None:
    """Taken by the approval before it locks a month: waits for the posyandu's writes in flight."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_NAMESPACE, posyandu_id])


def refused_month(exc: BaseException) -> datetime.date | None:
    """The locked month named by a database refusal, or None when ``exc`` is something else."""
    cause = exc
    while cause is not None:
        diag = getattr(cause, "diag", None)
        if diag is not None and diag.message_primary == MESSAGE and diag.message_detail:
            return datetime.date.fromisoformat(diag.message_detail.split()[1])
        cause = cause.__cause__
    return None


def as_validation_error(exc: BaseException) -> ValidationError | None:
    month = refused_month(exc)
    return None if month is None else ValidationError(locked_message(month))


@contextlib.contextmanager
def guard_disabled():
    """Seeding synthetic data only (``demo_load``): the guard is off on this connection until the end.

    Seeding writes before any month is approved; the triggers would only cost time (1.5 M rows)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT set_config('{_SETTING}', 'off', false)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT set_config('{_SETTING}', 'on', false)")


def guard_off_for_transaction() -> None:
    """For a write proven to change no month's figure (anonymising keeps the birth month): off until commit."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT set_config('{_SETTING}', 'off', true)")


class MonthLockedMiddleware:
    """A refusal by the lock that no service turned into a form error: a clear page (409), not a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DatabaseError):
            return None
        month = refused_month(exception)
        if month is None:
            return None
        # htmx swaps a 409 into the form's target (base.html's htmx-config): the alert alone.
        template = "includes/month_locked_alert.html" if request.headers.get("HX-Request") else "month_locked.html"
        body = render_to_string(template, {"message": locked_message(month)}, request=request)
        return HttpResponse(body, status=409)
