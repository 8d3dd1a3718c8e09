"""make backup / make restore: a round trip keeps every row of every table."""

import datetime
import os
import uuid
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from layanan import services as health
from posyandu import backup
from tests.layanan.conftest import person


def _counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 - names from the catalogue
        counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def scratch_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restored_into_an_empty_database_has_the_same_rows_in_every_table(
    transactional_db, world, tmp_path, scratch_database
):
    child = person(world.posyandu_a, "Ani", birth_date=datetime.date(2025, 3, 15))
    day = health.hari_buka_open(posyandu=world.posyandu_a, date=datetime.date(2026, 3, 10), user=world.users["kader_a"])
    health.kunjungan_record(warga=child, user=world.users["kader_a"], hari_buka=day, values={"weight_kg": D("8.5")})
    archive = tmp_path / "posyandu.dump"
    call_command("backup_database", str(archive))
    assert archive.stat().st_size > 0
    with connection.cursor() as cursor:
        before = _counts(cursor)
    assert before["layanan_kunjungan"] > 0 and before["posyandu_warga"] > 0

    backup.restore(archive, database=scratch_database)
    import psycopg

    db = settings.DATABASES["default"]
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], password=db.get("PASSWORD") or None,
                         dbname=scratch_database) as other, other.cursor() as cursor:  # fmt: skip
        after = _counts(cursor)
    assert after == before


def test_restoring_a_missing_or_broken_file_fails_and_changes_nothing(transactional_db, world, tmp_path):
    with pytest.raises(CommandError, match="Pemulihan gagal"):
        call_command("restore_database", str(tmp_path / "nothing.dump"), "--yes")
    broken = tmp_path / "broken.dump"
    broken.write_bytes(b"not a pg_dump archive")
    with pytest.raises(CommandError, match="Pemulihan gagal"):
        call_command("restore_database", str(broken), "--yes")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM posyandu_posyandu")
        assert cursor.fetchone()[0] == 4


def _restore_fails_and_changes_nothing(path, match):
    with pytest.raises(CommandError, match="Pemulihan gagal") as caught:
        call_command("restore_database", str(path), "--yes")
    assert match in str(caught.value)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM posyandu_posyandu")
        assert cursor.fetchone()[0] == 4


def test_a_backup_file_is_sealed_and_a_changed_truncated_or_foreign_one_is_refused(transactional_db, world, tmp_path):
    archive = tmp_path / "posyandu.dump"
    call_command("backup_database", str(archive))
    data = archive.read_bytes()
    # Not a pg_dump archive anyone could open: the names and birth dates inside are sealed too.
    assert data.startswith(b"POSYANDU-BACKUP-1\n") and b"PGDMP" not in data
    assert b"Posyandu Mawar" not in data

    changed = tmp_path / "changed.dump"
    changed.write_bytes(data[: len(data) // 2] + bytes([data[len(data) // 2] ^ 1]) + data[len(data) // 2 + 1 :])
    _restore_fails_and_changes_nothing(changed, "changed or the key is wrong")
    truncated = tmp_path / "truncated.dump"
    truncated.write_bytes(data[:-10])
    _restore_fails_and_changes_nothing(truncated, "changed or the key is wrong")
    with override_settings(PERSONAL_DATA_KEY="ab" * 64):
        _restore_fails_and_changes_nothing(archive, "changed or the key is wrong")


def test_sealing_streams_in_chunks_and_only_the_marked_last_chunk_ends_it():
    import io

    from posyandu import crypto

    payload = os.urandom(crypto._CHUNK * 2 + 123)  # three chunks
    sealed = io.BytesIO()
    crypto.seal_stream(io.BytesIO(payload), sealed)
    opened = io.BytesIO()
    crypto.open_stream(io.BytesIO(sealed.getvalue()), opened)
    assert opened.getvalue() == payload
    # Cut after the second chunk: what is left looks complete chunk by chunk but lacks the last mark.
    header = len(crypto.BACKUP_MAGIC) + 2 + 8
    first = int.from_bytes(sealed.getvalue()[header : header + 4], "big")
    second_at = header + 4 + first
    second = int.from_bytes(sealed.getvalue()[second_at : second_at + 4], "big")
    cut = sealed.getvalue()[: second_at + 4 + second]
    with pytest.raises(ValueError, match="truncated"):
        crypto.open_stream(io.BytesIO(cut), io.BytesIO())


def test_a_plain_pg_dump_archive_from_before_sealing_still_restores(
    transactional_db, world, tmp_path, scratch_database
):
    archive = backup.backup(tmp_path / "plain.dump", sealed=False)
    assert archive.read_bytes().startswith(b"PGDMP")
    backup.restore(archive, database=scratch_database)
