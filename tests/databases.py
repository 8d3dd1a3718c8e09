"""The test databases of a parallel run, migrated once.

Each pytest-xdist worker has its own test database. Migrating it costs about 11 s of one core (Django
renders the models' states of every migration); on two cores three workers migrating at once took
20 s before the first test. Here the first worker migrates its database and copies it as a template
(``CREATE DATABASE ... TEMPLATE``, a file copy in PostgreSQL); the others create theirs from that
template, which takes about a second. The template is named after the run, dropped when a worker
finishes, and a template of an earlier run that was interrupted is dropped by the next run.

``make test`` migrates the template before pytest starts (``python -m tests.databases <token>``), on the
other core while the first run of a checkout compiles the suite; the run then finds it by the token in
``POSYANDU_TEST_TEMPLATE``, and no worker waits for another to migrate.
"""

import contextlib
import fcntl
import os
import sys
from pathlib import Path

from django.conf import settings
from django.db import connections

# The token naming a template made before the run (``prepare``); without it the run's id names it.
TEMPLATE_TOKEN = "POSYANDU_TEST_TEMPLATE"


@contextlib.contextmanager
def _locked(path: Path):
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _quote(name: str) -> str:
    return connections["default"].ops.quote_name(name)


def _template_prefix(test_name: str) -> str:
    """``test_<name>_template_``: the run's template is this prefix and its token (``_template``)."""
    return test_name.rsplit("_gw", 1)[0] + "_template_"


def _template(test_name: str, run_id: str) -> str:
    return _template_prefix(test_name) + (os.environ.get(TEMPLATE_TOKEN) or run_id[:12])


def _drop_templates(cursor, prefix: str, *, keep: str | None = None) -> bool:
    """Drop the templates named ``prefix...`` (an interrupted run's) but ``keep``; whether ``keep`` exists."""
    cursor.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [prefix])
    existing = [name for (name,) in cursor.fetchall()]
    for stale in set(existing) - {keep}:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(stale)}")
    return keep in existing


def setup_worker(*, run_id: str, lock_path: Path, verbosity: int) -> str:
    """This worker's test database, migrated or copied from the run's template; returns the database name
    the settings held before (for ``teardown_worker``)."""
    connection = connections["default"]
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    test_name = creation._get_test_db_name()  # test_<name>_gw<n> (pytest-django's xdist suffix)
    template = _template(test_name, run_id)
    with _locked(lock_path):
        with creation._nodb_cursor() as cursor:
            exists = _drop_templates(cursor, _template_prefix(test_name), keep=template)
        if not exists:
            creation.create_test_db(verbosity=verbosity, autoclobber=True)  # migrates; the settings name it
            connection.close()  # a database being copied must have no connection
            with creation._nodb_cursor() as cursor:
                cursor.execute(f"CREATE DATABASE {_quote(template)} TEMPLATE {_quote(test_name)}")
            return old_name
        with creation._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {_quote(test_name)}")
            cursor.execute(f"CREATE DATABASE {_quote(test_name)} TEMPLATE {_quote(template)}")
    connection.close()
    connection.settings_dict["NAME"] = test_name
    settings.DATABASES[connection.alias]["NAME"] = test_name
    return old_name


def teardown_worker(*, old_name: str, run_id: str, lock_path: Path, verbosity: int) -> None:
    connection = connections["default"]
    template = _template(connection.settings_dict["NAME"], run_id)
    connection.creation.destroy_test_db(old_name, verbosity=verbosity)
    with _locked(lock_path), connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {_quote(template)}")


def prepare(token: str) -> None:
    """The run's template, migrated, named by ``token`` (any template left by an earlier run dropped)."""
    connection = connections["default"]
    creation = connection.creation
    templates = _template_prefix(creation._get_test_db_name())
    with creation._nodb_cursor() as cursor:
        _drop_templates(cursor, templates)
    connection.settings_dict["TEST"] = {**connection.settings_dict.get("TEST", {}), "NAME": templates + token}
    creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)  # migrates
    connection.close()  # a database being copied must have no connection


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    prepare(sys.argv[1])
