"""Data built once per test session and copied into each test that asks for it, in a few statements.

``take(build)`` runs ``build()`` (through the real services, as a test would) inside a transaction that
is rolled back, and keeps the rows it added, table by table, as JSON. ``Snapshot.restore()`` inserts
those rows again (one ``INSERT ... SELECT FROM json_populate_recordset`` per table, with the same
primary keys) and returns a fresh copy (unpickled) of what ``build()`` returned. A test thus starts from the
very rows the builder wrote, for about a tenth of the cost of building them. Their moments
(``created_at``, the audit trail's ``history_date``: every ``timestamp with time zone``) are moved by
the time between the end of the build and the restore, so they read as made just before the test starts, under its
pinned clock too (the session's clock may be another day: ``POSYANDU_TEST_TODAY``, or midnight).

The sequences keep the values the builder drew (PostgreSQL never rolls a sequence back), so the rows a
test adds get higher keys and never collide with the copied ones; a flush by a ``transactional_db``
test does not reset them either (``TransactionTestCase.reset_sequences`` is off).
"""

import pickle
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import override_settings

from posyandu import dates

# Real hashing (Argon2) costs ~0.3 s per user; tests/conftest.py sets this for every test too.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class _RollBack(Exception):
    pass


def _rows(cursor, table: str) -> list[str]:
    cursor.execute(f"SELECT row_to_json(t)::text FROM {connection.ops.quote_name(table)} t")  # noqa: S608
    return [row[0] for row in cursor.fetchall()]


def _insertable_columns(cursor, table: str) -> list[str]:
    """Every column but generated ones (PostgreSQL computes those itself)."""
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
        " AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
        [connection.ops.quote_name(table)],
    )
    return [row[0] for row in cursor.fetchall()]


def _moment_columns(cursor, table: str) -> set[str]:
    cursor.execute(
        "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0"
        " AND NOT attisdropped AND atttypid = 'timestamptz'::regtype",
        [connection.ops.quote_name(table)],
    )
    return {row[0] for row in cursor.fetchall()}


@dataclass
class Snapshot:
    value: Any
    tables: dict[str, tuple[list[str], str]]  # table -> (columns, its added rows as a JSON array)
    moments: dict[str, set[str]]  # table -> its timestamp-with-time-zone columns
    taken_at: Any  # the clock when the rows were built

    def __post_init__(self):
        # Each restore hands out a fresh copy of the value: unpickled, a fifth of a deep copy's time.
        self._pickled = pickle.dumps(self.value, pickle.HIGHEST_PROTOCOL)

    def fresh_value(self):
        return pickle.loads(self._pickled)  # noqa: S301 - our own objects, pickled above

    def restore(self):
        quote = connection.ops.quote_name
        shift = dates.now() - self.taken_at
        # One transaction: the foreign keys are DEFERRABLE INITIALLY DEFERRED, so the tables' order does
        # not matter (a transactional_db test runs in autocommit).
        with transaction.atomic(), connection.cursor() as cursor:
            for table, (columns, rows) in self.tables.items():
                names = ", ".join(quote(c) for c in columns)
                moments = self.moments.get(table, set())
                values = ", ".join(f"{quote(c)} + %(shift)s" if c in moments else quote(c) for c in columns)
                cursor.execute(
                    f"INSERT INTO {quote(table)} ({names}) OVERRIDING SYSTEM VALUE "  # noqa: S608 - catalogue names
                    f"SELECT {values} FROM json_populate_recordset(NULL::{quote(table)}, %(rows)s)",
                    {"rows": rows, "shift": shift},
                )
        return self.fresh_value()


def take(build, *bases: Snapshot) -> Snapshot:
    """Run ``build(*values of bases)`` in a transaction that is rolled back; keep what it returned and
    the rows it added. ``bases``: snapshots restored first (the fixtures this one depends on); a test
    restores them, then this one.

    The builder may only add rows: one that changes or deletes an existing row (the migrations' data)
    could not be replayed by inserts, and is refused."""
    tables = connection.introspection.table_names()
    added: dict[str, tuple[list[str], str]] = {}
    moments: dict[str, set[str]] = {}
    try:
        with transaction.atomic():
            base_values = [base.restore() for base in bases]
            with connection.cursor() as cursor:
                before = {table: set(_rows(cursor, table)) for table in tables}
            value = build(*base_values)
            # The end of the build: restored, its last row reads as made the moment the test starts, never
            # after what the test itself then writes (a history would otherwise run backwards).
            taken_at = dates.now()
            with connection.cursor() as cursor:
                for table in tables:
                    now = _rows(cursor, table)
                    if not before[table] <= set(now):
                        raise AssertionError(f"the snapshot's builder changed or deleted rows of {table}")
                    new = [row for row in now if row not in before[table]]
                    if new:
                        added[table] = (_insertable_columns(cursor, table), "[" + ",".join(new) + "]")
                        moments[table] = _moment_columns(cursor, table)
            raise _RollBack
    except _RollBack:
        pass
    # Content types the builder created are gone with the rollback: forget their cached ids.
    ContentType.objects.clear_cache()
    return Snapshot(value=value, tables=added, moments=moments, taken_at=taken_at)


def of_tables(tables) -> Snapshot:
    """The rows ``tables`` hold now, to be inserted again later (``restore``): the migrations' own data,
    read before any test ran, which the wipe after a transactional test puts back."""
    kept: dict[str, tuple[list[str], str]] = {}
    moments: dict[str, set[str]] = {}
    with connection.cursor() as cursor:
        for table in tables:
            if rows := _rows(cursor, table):
                kept[table] = (_insertable_columns(cursor, table), "[" + ",".join(rows) + "]")
                moments[table] = _moment_columns(cursor, table)
    return Snapshot(value=None, tables=kept, moments=moments, taken_at=dates.now())


def for_session(django_db_blocker, build, *bases: Snapshot) -> Snapshot:
    """``take`` from a session-scoped fixture (database access unblocked, fast password hashing)."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        return take(build, *bases)
