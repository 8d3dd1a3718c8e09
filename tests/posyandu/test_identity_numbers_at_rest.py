"""NIK and nomor KK are encrypted at rest (UU 27/2022): what a copied database or dump would show.

The application sees plain numbers; PostgreSQL holds only AES-SIV ciphertext, refuses anything else,
and still refuses duplicates and finds a person by NIK (docs/personal-data.md)."""

import datetime
import io

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from kader import services as kader_services
from kader.models import Kader
from posyandu import crypto, selectors
from posyandu.models import Keluarga, SpmField, Warga
from tests import factories

BOY_BIRTH = datetime.date(2023, 5, 17)
BOY_NIK = "7305011705230001"
OTHER_NIK = "7305011705230002"
KK = "7305010101230007"
TABLES = [
    "posyandu_warga",
    "posyandu_historicalwarga",
    "posyandu_keluarga",
    "posyandu_historicalkeluarga",
    "kader_kader",
    "kader_historicalkader",
]


def _raw(table: str, column: str, pk: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608 (test constants)
        return cursor.fetchone()[0]


def _everything_stored_as_text() -> str:
    """Every column of the people, household and kader tables (history included), as one string."""
    with connection.cursor() as cursor:
        dumped = []
        for table in TABLES:
            cursor.execute(f"SELECT t::text FROM {table} t")  # noqa: S608 (test constants)
            dumped.extend(row[0] for row in cursor.fetchall())
    return "\n".join(dumped)


def test_the_database_never_holds_a_nik_or_kk_number_in_clear(world):
    keluarga = factories.keluarga(posyandu=world.posyandu_a, kk_number=KK)
    warga = factories.warga(posyandu=world.posyandu_a, nik=BOY_NIK, birth_date=BOY_BIRTH, keluarga=keluarga)
    kader = kader_services.kader_register(
        posyandu=world.posyandu_a,
        name="Sitti Aminah",
        field=SpmField.KESEHATAN,
        start_date=datetime.date(2024, 1, 1),
        nik=OTHER_NIK,
    )

    stored = _raw("posyandu_warga", "nik", warga.pk)
    assert crypto.is_ciphertext(stored) and stored.startswith("v1:")
    assert crypto.is_ciphertext(_raw("posyandu_keluarga", "kk_number", keluarga.pk))
    assert crypto.is_ciphertext(_raw("kader_kader", "nik", kader.pk))
    everything = _everything_stored_as_text()
    for number in (BOY_NIK, OTHER_NIK, KK):
        assert number not in everything  # not in the rows, not in their history
    # …while the application reads the numbers back as they were typed.
    assert Warga.objects.get(pk=warga.pk).nik == BOY_NIK
    assert Keluarga.objects.get(pk=keluarga.pk).kk_number == KK
    assert Kader.objects.get(pk=kader.pk).nik == OTHER_NIK
    assert Warga.history.filter(id=warga.pk).first().nik == BOY_NIK


def test_a_person_is_still_found_by_nik_and_duplicates_are_refused_by_the_database(world):
    warga = factories.warga(posyandu=world.posyandu_a, nik=BOY_NIK, birth_date=BOY_BIRTH)
    assert selectors.warga_find_by_nik(user=world.users["kader_a"], nik=BOY_NIK) == warga
    assert selectors.warga_find_by_nik(user=world.users["kader_b"], nik=BOY_NIK) is None  # scope holds
    assert list(Warga.objects.filter(nik__in=[BOY_NIK, OTHER_NIK])) == [warga]
    # The same number encrypts the same way, so the unique index bites even past the forms.
    duplicate = Warga(posyandu=world.posyandu_b, name="Orang Lain", sex="L", birth_date=BOY_BIRTH, nik=BOY_NIK)
    with pytest.raises(IntegrityError), transaction.atomic():
        Warga.objects.bulk_create([duplicate])


def test_plain_digits_written_past_the_application_are_refused_by_the_database(world):
    warga = factories.warga(posyandu=world.posyandu_a)
    with (
        pytest.raises(IntegrityError, match="warga_nik_encrypted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE posyandu_warga SET nik = %s WHERE id = %s", [BOY_NIK, warga.pk])


def test_searches_that_cannot_work_on_ciphertext_fail_loudly_instead_of_finding_nothing(world):
    with pytest.raises(FieldError):
        list(Warga.objects.filter(nik__startswith="7305"))


def test_a_number_cannot_be_read_with_another_key(world):
    warga = factories.warga(posyandu=world.posyandu_a, nik=BOY_NIK, birth_date=BOY_BIRTH)
    with override_settings(PERSONAL_DATA_KEY="ab" * 64), pytest.raises(ImproperlyConfigured, match="decrypted"):
        Warga.objects.get(pk=warga.pk)


def test_rotating_the_key_re_encrypts_every_number_and_lookups_keep_working(world):
    old_key = "00" * 32 + "11" * 32  # the development key the rows above were written with
    warga = factories.warga(posyandu=world.posyandu_a, nik=BOY_NIK, birth_date=BOY_BIRTH)
    factories.keluarga(posyandu=world.posyandu_a, kk_number=KK)
    before = _raw("posyandu_warga", "nik", warga.pk)
    new = {"PERSONAL_DATA_KEY": "cd" * 64, "PERSONAL_DATA_KEY_ID": 2, "PERSONAL_DATA_OLD_KEYS": [f"1:{old_key}"]}
    with override_settings(**new):
        assert Warga.objects.get(pk=warga.pk).nik == BOY_NIK  # old rows stay readable during the change
        out = io.StringIO()
        call_command("personal_data_rekey", stdout=out)
        assert "dienkripsi ulang dengan kunci v2" in out.getvalue()
        after = _raw("posyandu_warga", "nik", warga.pk)
        assert after.startswith("v2:") and after != before
        assert Warga.objects.get(nik=BOY_NIK) == warga
        assert Keluarga.objects.get().kk_number == KK
        assert "v1:" not in _everything_stored_as_text()
    with override_settings(PERSONAL_DATA_KEY="cd" * 64, PERSONAL_DATA_KEY_ID=2):
        assert Warga.objects.get(pk=warga.pk).nik == BOY_NIK  # the old key is no longer needed


def test_the_migration_encrypts_existing_plain_numbers_and_can_undo_it(db):
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE old_people (id int, nik varchar(64))")
        cursor.execute("INSERT INTO old_people VALUES (1, %s), (2, NULL), (3, %s)", [BOY_NIK, BOY_NIK])
    with connection.schema_editor() as editor:
        crypto.migrate_column(editor, table="old_people", column="nik", purpose="nik")
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik FROM old_people ORDER BY id")
        one, two, three = (row[0] for row in cursor.fetchall())
    assert crypto.is_ciphertext(one) and two is None and three == one
    assert crypto.decrypt(one, purpose="nik") == BOY_NIK
    with connection.schema_editor() as editor:
        crypto.migrate_column(editor, table="old_people", column="nik", purpose="nik", forward=False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nik FROM old_people WHERE id = 1")
        assert cursor.fetchone()[0] == BOY_NIK


def test_a_nik_and_a_kk_number_with_the_same_digits_encrypt_differently():
    # Bound to their kind: a KK ciphertext copied into a NIK column does not decrypt as a NIK.
    kk = crypto.encrypt(BOY_NIK, purpose="kk")
    assert kk != crypto.encrypt(BOY_NIK, purpose="nik")
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt(kk, purpose="nik")
