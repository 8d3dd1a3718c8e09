"""Migration posyandu 0012 adds the exclusion constraint that keeps a desa in one Puskesmas at a time. A
database whose rows already overlap (written by the older service or the admin's inline) is stopped before
it with a message naming each desa, both Puskesmas and periods, and the fix; ``manage.py
wilayah_kerja_overlaps`` lists the same pairs and fixes them; then the migration goes through."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, ManagementUtility, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from posyandu.models import WilayahKerjaPuskesmas
from posyandu.puskesmas import services

BEFORE = [("posyandu", "0011_warga_kia_number")]
CONSTRAINT = "wilayah_kerja_no_overlap_per_desa"
day = datetime.date


def _constraint_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_constraint WHERE conname = %s", [CONSTRAINT])
        return cursor.fetchone() is not None


def _0012_applied() -> bool:
    return MigrationRecorder(connection).migration_qs.filter(app="posyandu", name__startswith="0012_").exists()


def _overlapping_rows(apps) -> dict[str, int]:
    """Three desa of Takalar as 0011 could hold them: Lassang in Puskesmas A until March 2025 and in B since
    June 2024 (the older service let B into A's closed period); Bontoa in A since 2020 and in B for 2021 (two
    rows typed in the admin's inline); Punaga moved from A to B on one day (touching, no overlap)."""
    Wilayah, Puskesmas = apps.get_model("posyandu", "Wilayah"), apps.get_model("posyandu", "Puskesmas")
    Area = apps.get_model("posyandu", "WilayahKerjaPuskesmas")
    sulsel = Wilayah.objects.create(code="73", name="Sulawesi Selatan", level=1)
    takalar = Wilayah.objects.create(code="73.05", name="Takalar", level=2, parent=sulsel)
    kecamatan = Wilayah.objects.create(code="73.05.01", name="Mappakasunggu", level=3, parent=takalar)
    lassang, bontoa, punaga = (
        Wilayah.objects.create(code=f"73.05.01.200{n}", name=name, level=4, parent=kecamatan)
        for n, name in ((1, "Lassang"), (2, "Bontoa"), (3, "Punaga"))
    )
    a = Puskesmas.objects.create(code="P7305010101", name="Puskesmas Mappakasunggu", kabupaten=takalar)
    b = Puskesmas.objects.create(code="P7305010102", name="Puskesmas Bulukunyi", kabupaten=takalar)

    def period(puskesmas, desa, since, until=None):
        return Area.objects.create(puskesmas=puskesmas, desa=desa, valid_from=since, valid_to=until).pk

    return {
        "lassang_a": period(a, lassang, day(2020, 1, 1), day(2025, 3, 1)),
        "lassang_b": period(b, lassang, day(2024, 6, 1)),
        "bontoa_a": period(a, bontoa, day(2020, 1, 1)),
        "bontoa_b": period(b, bontoa, day(2021, 1, 1), day(2022, 1, 1)),
        "punaga_a": period(a, punaga, day(2020, 1, 1), day(2023, 1, 1)),
        "punaga_b": period(b, punaga, day(2023, 1, 1)),
    }


def _migrate_as_an_operator(capsys) -> str:
    """``manage.py migrate`` as typed on the server: what it printed to stderr (it exits with 1)."""
    with pytest.raises(SystemExit) as stopped:
        ManagementUtility(["manage.py", "migrate", "--no-input"]).execute()
    assert stopped.value.code == 1
    return capsys.readouterr().err


def _pairs(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith(("Desa ", "baris "))]


@pytest.fixture
def overlaps_removed_at_the_end():
    """Should the test fail half-way, the rows that stop 0012 go before ``migrate_to`` migrates back."""
    yield
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM posyandu_wilayahkerjapuskesmas")


def test_migrate_stops_on_overlapping_periods_naming_each_desa_and_how_to_fix_them(
    migrate_to, overlaps_removed_at_the_end, capsys
):
    apps = migrate_to(BEFORE)
    rows = _overlapping_rows(apps)

    printed = _migrate_as_an_operator(capsys)

    assert "Traceback" not in printed
    a, b = "Puskesmas Mappakasunggu (P7305010101)", "Puskesmas Bulukunyi (P7305010102)"
    assert _pairs(printed) == [
        "Desa 73.05.01.2001 Lassang:",
        f"baris {rows['lassang_a']}: {a}, berlaku sejak 2020-01-01, berakhir pada 2025-03-01",
        f"baris {rows['lassang_b']}: {b}, berlaku sejak 2024-06-01, masih berlaku",
        "Desa 73.05.01.2002 Bontoa:",
        f"baris {rows['bontoa_a']}: {a}, berlaku sejak 2020-01-01, masih berlaku",
        f"baris {rows['bontoa_b']}: {b}, berlaku sejak 2021-01-01, berakhir pada 2022-01-01",
    ]
    assert printed.startswith("CommandError: Migrasi posyandu 0012 dihentikan; basis data tidak diubah.")
    assert "bertumpang tindih (2):" in printed and "Punaga" not in printed
    assert "akhiri periode yang lebih dulu pada hari" in printed and "lalu jalankan migrate lagi" in printed
    assert f"python manage.py wilayah_kerja_overlaps --end {rows['lassang_a']} 2024-06-01" in printed
    assert f"python manage.py wilayah_kerja_overlaps --delete {rows['lassang_b']}" in printed
    assert "tombol Keluarkan di halaman Puskesmas" in printed
    assert not _constraint_exists() and not _0012_applied()

    # The command lists the same pairs (the app's selector, not the migration's SQL) ...
    listed = StringIO()
    call_command("wilayah_kerja_overlaps", stdout=listed)
    assert _pairs(listed.getvalue()) == _pairs(printed)
    # ... and fixes them: Lassang leaves A the day it joined B; Bontoa's 2021 in B was a mistake.
    call_command("wilayah_kerja_overlaps", "--end", str(rows["lassang_a"]), "2024-06-01", stdout=StringIO())
    fixed = StringIO()
    call_command("wilayah_kerja_overlaps", "--delete", str(rows["bontoa_b"]), stdout=fixed)
    assert f"Dihapus: desa 73.05.01.2002 Bontoa, baris {rows['bontoa_b']}: Puskesmas Bulukunyi" in fixed.getvalue()
    assert "Tidak ada periode wilayah kerja yang bertumpang tindih." in fixed.getvalue()
    assert WilayahKerjaPuskesmas.objects.get(pk=rows["lassang_a"]).valid_to == day(2024, 6, 1)
    # The audit history keeps both fixes.
    assert WilayahKerjaPuskesmas.history.filter(id=rows["bontoa_b"], history_type="-").exists()
    assert WilayahKerjaPuskesmas.history.filter(id=rows["lassang_a"], valid_to=day(2024, 6, 1)).exists()

    migrate_to([("posyandu", "0012_wilayah_kerja_no_overlap")])
    assert _constraint_exists() and _0012_applied()


def test_a_database_without_overlaps_is_migrated_as_before(migrate_to):
    apps = migrate_to(BEFORE)
    _overlapping_rows(apps)
    Area = apps.get_model("posyandu", "WilayahKerjaPuskesmas")
    Area.objects.filter(desa__name__in=["Lassang", "Bontoa"]).delete()

    migrate_to([("posyandu", "0012_wilayah_kerja_no_overlap")])

    assert _constraint_exists() and _0012_applied()
    assert WilayahKerjaPuskesmas.objects.filter(desa__name="Punaga").count() == 2  # touching periods are kept


def _command(*args) -> str:
    out = StringIO()
    call_command("wilayah_kerja_overlaps", *args, stdout=out)
    return out.getvalue()


def test_the_command_refuses_a_fix_that_overlaps_or_that_it_cannot_read_and_changes_nothing(world):
    puskesmas_b = services.puskesmas_create(code="P7305010102", name="Puskesmas Bulukunyi", kabupaten=world.kabupaten)
    services.wilayah_kerja_assign(puskesmas=puskesmas_b, desa=world.desa_a1, since=day(2025, 3, 1))
    a_row = WilayahKerjaPuskesmas.objects.get(puskesmas=world.puskesmas_a)  # [2020-01-01, 2025-03-01)
    assert "Tidak ada periode wilayah kerja yang bertumpang tindih." in _command()

    refusals = {
        ("--end", str(a_row.pk), "2025-06-01"): "hanya masuk satu Puskesmas pada satu waktu",  # into B's period
        ("--end", str(a_row.pk), "2019-12-31"): "tanggal pindah harus sesudahnya",  # before it starts
        ("--end", str(a_row.pk), "31-12-2024"): "Tanggal 31-12-2024 tidak dikenal: tulis TTTT-BB-HH",
        ("--end", str(a_row.pk), "2024-W52-1"): "Tanggal 2024-W52-1 tidak dikenal",  # ISO, but no date to type
        ("--end", str(a_row.pk), "2024-02-30"): "Tanggal 2024-02-30 tidak dikenal",
        ("--end", "99999", "2024-12-31"): "Tidak ada baris wilayah kerja 99999",
        ("--delete", "١٢"): "Tidak ada baris wilayah kerja ١٢",  # Arabic-Indic digits are no row number
        ("--delete", "abc"): "Tidak ada baris wilayah kerja abc",
        ("--delete", "9" * 30): "Tidak ada baris wilayah kerja 9999",  # beyond bigint: no database error
    }
    for args, message in refusals.items():
        with pytest.raises(CommandError, match=message):
            _command(*args)
    a_row.refresh_from_db()
    assert a_row.valid_to == day(2025, 3, 1)
    assert WilayahKerjaPuskesmas.objects.filter(desa=world.desa_a1).count() == 2

    assert "Diubah: desa 73.05.01.2001 Lassang" in _command("--end", str(a_row.pk), "2024-12-31")
    a_row.refresh_from_db()
    assert a_row.valid_to == day(2024, 12, 31)
