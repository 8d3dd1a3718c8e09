"""Data-migration tests move their worker's test database to an older state and back.

Back means the latest state of every app (the leaf of each app's migrations), not the state the test
looked at: migrating back to ``posyandu 0011`` also unapplies ``posyandu 0012``, and a test that then
migrates forward to another app's migration alone leaves it out, so every later test in that worker ran
without the exclusion constraint of 0012. The ``migrate_to`` fixture (tests/conftest.py) does this after
each such test, whatever the test did."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Move the database to ``targets`` (``[(app, migration), ...]``); the models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate(leaves)
    executor.loader.build_graph()
    unapplied = [node for node in executor.loader.graph.nodes if node not in executor.loader.applied_migrations]
    assert not unapplied, f"still not applied: {unapplied}"
