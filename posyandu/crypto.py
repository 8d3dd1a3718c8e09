"""Identity numbers (NIK, nomor KK) encrypted at rest: deterministic AES-SIV (RFC 5297).

Why deterministic: the database must still refuse a second person with the same NIK (a unique
constraint) and find a person by NIK (an index), without ever holding the number in clear. AES-SIV
gives the same ciphertext for the same number under the same key, so equality, uniqueness and
lookups work on the ciphertext; it reveals only that two rows hold the same number — exactly what a
"blind index" (HMAC lookup hash) next to a randomly encrypted column would reveal, in one column
instead of two. The key (``PERSONAL_DATA_KEY``) lives in the server's environment, never in the
database or its backups, so a copied database, dump or disk shows ``v1:…`` strings only.
See docs/personal-data.md for the whole design (birth dates, masking, rotation).

Stored form: ``v<key id>:<base64url of tag + ciphertext>`` (46 characters for a 16-digit number).
"""

import base64
import binascii
import functools
import os
import re

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Only what matches this can be stored (a database check constraint uses it too).
CIPHERTEXT_RE = r"^v[0-9]+:[A-Za-z0-9_-]{22,}$"
_CIPHERTEXT = re.compile(CIPHERTEXT_RE)


def _parse_key(text: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise ImproperlyConfigured("PERSONAL_DATA_KEY must be 128 hex characters (64 random bytes).") from None
    if len(key) != 64:
        raise ImproperlyConfigured("PERSONAL_DATA_KEY must be 128 hex characters (64 random bytes).")
    return key


@functools.cache
def _cipher(key_text: str) -> AESSIV:
    return AESSIV(_parse_key(key_text))


def _keys() -> dict[str, str]:
    """Key id → key: the current key and any retired ones still needed to read old rows."""
    keys = {str(settings.PERSONAL_DATA_KEY_ID): settings.PERSONAL_DATA_KEY}
    for entry in settings.PERSONAL_DATA_OLD_KEYS:
        key_id, _, key = entry.partition(":")
        keys.setdefault(key_id.lstrip("v"), key)
    return keys


def is_ciphertext(value: str) -> bool:
    return bool(_CIPHERTEXT.match(value))


def encrypt(value: str, *, purpose: str) -> str:
    """The stored form of an identity number; ``purpose`` (e.g. "nik", "kk") binds it to its kind."""
    key_id = str(settings.PERSONAL_DATA_KEY_ID)
    sealed = _cipher(settings.PERSONAL_DATA_KEY).encrypt(value.encode(), [purpose.encode()])
    return f"v{key_id}:{base64.urlsafe_b64encode(sealed).rstrip(b'=').decode()}"


def decrypt(stored: str, *, purpose: str) -> str:
    key_id, _, body = stored.partition(":")
    key = _keys().get(key_id.lstrip("v"))
    if not stored.startswith("v") or key is None:
        raise ImproperlyConfigured(f"No PERSONAL_DATA_KEY for stored key id {key_id!r}.")
    try:
        sealed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        return _cipher(key).decrypt(sealed, [purpose.encode()]).decode()
    except (binascii.Error, ValueError, InvalidTag) as exc:
        raise ImproperlyConfigured("An identity number cannot be decrypted with the configured key.") from exc


def current_key_id() -> str:
    return f"v{settings.PERSONAL_DATA_KEY_ID}"


def needs_rekey(stored: str) -> bool:
    """Written under a retired key: `manage.py personal_data_rekey` re-encrypts it."""
    return not stored.startswith(f"v{settings.PERSONAL_DATA_KEY_ID}:")


def migrate_column(schema_editor, *, table: str, column: str, purpose: str, forward: bool = True) -> None:
    """For migrations: encrypt a column's plain numbers in place (or decrypt them, backwards)."""
    _rewrite_column(schema_editor.connection, table=table, column=column, purpose=purpose, forward=forward)


def rekey_column(connection, *, table: str, column: str, purpose: str) -> int:
    """Re-encrypt a column's numbers written under a retired key with the current key; how many."""
    return _rewrite_column(connection, table=table, column=column, purpose=purpose, forward=True, rekey=True)


def _rewrite_column(connection, *, table: str, column: str, purpose: str, forward: bool, rekey: bool = False) -> int:
    """One UPDATE per distinct value: what a kabupaten holds (tens of thousands) takes seconds."""
    quote = connection.ops.quote_name  # table and column come from model metadata, quoted
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT {quote(column)} FROM {quote(table)} WHERE {quote(column)} IS NOT NULL")  # noqa: S608
        values = [row[0] for row in cursor.fetchall()]
        pairs = []
        for value in values:
            if rekey:
                if is_ciphertext(value) and needs_rekey(value):
                    pairs.append((encrypt(decrypt(value, purpose=purpose), purpose=purpose), value))
            elif forward and not is_ciphertext(value):
                pairs.append((encrypt(value, purpose=purpose), value))
            elif not forward and is_ciphertext(value):
                pairs.append((decrypt(value, purpose=purpose), value))
        cursor.executemany(
            f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE {quote(column)} = %s",  # noqa: S608
            pairs,
        )
    return len(pairs)


# ---------------------------------------------------------------------------------------------
# Backup files: the whole dump (names, birth dates, everything) sealed with AES-256-GCM
# ---------------------------------------------------------------------------------------------
BACKUP_MAGIC = b"POSYANDU-BACKUP-1\n"
_CHUNK = 1 << 20  # 1 MiB: a dump of any size streams through in constant memory


def _backup_key(key_text: str) -> AESGCM:
    """A key of its own for backups, derived from PERSONAL_DATA_KEY (one secret to keep, two uses)."""
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"posyandu backup v1").derive(
        _parse_key(key_text)
    )
    return AESGCM(derived)


def is_sealed_backup(path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(len(BACKUP_MAGIC)) == BACKUP_MAGIC


def seal_stream(src, out) -> None:
    """Encrypt the binary stream ``src`` into ``out``: header, then chunks (length, ciphertext), each chunk's nonce
    counting up and the last one marked, so reordering, truncation or any change fails to open."""
    key_id = str(settings.PERSONAL_DATA_KEY_ID).encode()
    aead = _backup_key(settings.PERSONAL_DATA_KEY)
    prefix = os.urandom(8)
    out.write(BACKUP_MAGIC + key_id + b"\n" + prefix)
    counter = 0
    chunk = _read_full(src)
    while True:
        following = _read_full(src)
        last = not following
        nonce = prefix + counter.to_bytes(4, "big")
        sealed = aead.encrypt(nonce, chunk, b"last" if last else b"more")
        out.write(len(sealed).to_bytes(4, "big") + sealed)
        if last:
            return
        chunk, counter = following, counter + 1


def _read_full(src) -> bytes:
    """Up to one chunk (a pipe may return less per read)."""
    parts, size = [], 0
    while size < _CHUNK:
        part = src.read(_CHUNK - size)
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)


def open_stream(src, out) -> None:
    """Decrypt a stream written by ``seal_stream`` (with the current or a retired key) into ``out``."""
    if src.read(len(BACKUP_MAGIC)) != BACKUP_MAGIC:
        raise ValueError("not a sealed backup")
    key_id = src.readline().strip().decode()
    key = _keys().get(key_id)
    if key is None:
        raise ImproperlyConfigured(f"No PERSONAL_DATA_KEY for backup key id {key_id!r}.")
    aead = _backup_key(key)
    prefix = src.read(8)
    counter = 0
    while True:
        size = src.read(4)
        if len(size) < 4:
            raise ValueError("the backup is truncated")
        sealed = src.read(int.from_bytes(size, "big"))
        nonce = prefix + counter.to_bytes(4, "big")
        plain, last = _open_chunk(aead, nonce, sealed)
        out.write(plain)
        if last:
            if src.read(1):
                raise ValueError("data after the last part of the backup")
            return
        counter += 1


def _open_chunk(aead: AESGCM, nonce: bytes, sealed: bytes) -> tuple[bytes, bool]:
    """A chunk's plain bytes and whether it is the last one (the mark is authenticated)."""
    for mark in (b"more", b"last"):
        try:
            return aead.decrypt(nonce, sealed, mark), mark == b"last"
        except InvalidTag:
            continue
    raise ValueError("the backup was changed or the key is wrong")
