"""Overlapping Puskesmas periods of a desa: list them, end or delete one (the fix migration posyandu 0012
asks for). It runs while 0012 is not yet applied, with today's models on that older table: a later
migration that changes ``WilayahKerjaPuskesmas`` must keep it working there (tests/posyandu/
test_migration_wilayah_kerja_overlap.py runs it at posyandu 0011)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from posyandu.models import WilayahKerjaPuskesmas
from posyandu.puskesmas import selectors, services


def period_line(row: WilayahKerjaPuskesmas) -> str:
    """As the migration posyandu 0012 prints it."""
    end = f"berakhir pada {row.valid_to:%Y-%m-%d}" if row.valid_to else "masih berlaku"
    since = f"berlaku sejak {row.valid_from:%Y-%m-%d}"
    return f"baris {row.pk}: {row.puskesmas.name} ({row.puskesmas.code}), {since}, {end}"


class Command(BaseCommand):
    help = (
        "List the Puskesmas periods of one desa that overlap (a desa belongs to one Puskesmas at a time; "
        "migration posyandu 0012 stops while any do). Fix each pair with --end ROW DATE (the period ends on "
        "DATE, the first day it no longer belongs there: the day the other one starts) or --delete ROW (a row "
        "recorded by mistake), then run migrate again. Changes go through the services and stay in the audit "
        "history; a desa ended too early is put back from a later day on the app's Puskesmas page."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--end", nargs=2, metavar=("ROW", "DATE"), help="End period ROW on DATE (YYYY-MM-DD).")
        action.add_argument("--delete", metavar="ROW", help="Delete period ROW, recorded by mistake.")

    def handle(self, *args, end, delete, **options):
        try:
            if end:
                row = services.wilayah_kerja_end(row=self._row(end[0]), on=self._date(end[1]))
                self.stdout.write(f"Diubah: desa {row.desa_id} {row.desa.name}, {period_line(row)}.")
            elif delete:
                row = self._row(delete)
                deleted = f"Dihapus: desa {row.desa_id} {row.desa.name}, {period_line(row)}."
                services.wilayah_kerja_delete(row=row)
                self.stdout.write(deleted)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self._list()

    def _list(self) -> None:
        pairs = selectors.overlapping_periods()
        if not pairs:
            self.stdout.write(self.style.SUCCESS("Tidak ada periode wilayah kerja yang bertumpang tindih."))
            return
        self.stdout.write(f"Periode wilayah kerja yang bertumpang tindih ({len(pairs)}):")
        for earlier, later in pairs:
            self.stdout.write(f"  Desa {earlier.desa_id} {earlier.desa.name}:")
            self.stdout.write(f"    {period_line(earlier)}")
            self.stdout.write(f"    {period_line(later)}")
        earlier, later = pairs[0]
        self.stdout.write(
            "Untuk tiap pasang, akhiri periode yang lebih dulu pada hari periode yang lain mulai, atau hapus baris "
            f"yang salah catat. Misalnya: --end {earlier.pk} {later.valid_from:%Y-%m-%d} atau --delete {later.pk}."
        )

    @staticmethod
    def _row(value: str) -> WilayahKerjaPuskesmas:
        rows = WilayahKerjaPuskesmas.objects.select_related("desa", "puskesmas")
        row = rows.filter(pk=int(value)).first() if re.fullmatch(r"[0-9]{1,18}", value) else None
        if row is None:
            raise CommandError(f"Tidak ada baris wilayah kerja {value}: pakai nomor baris dari daftar.")
        return row

    @staticmethod
    def _date(value: str) -> datetime.date:
        try:
            if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                return datetime.date.fromisoformat(value)
        except ValueError:
            pass
        raise CommandError(f"Tanggal {value} tidak dikenal: tulis TTTT-BB-HH, misalnya 2024-03-01.")
