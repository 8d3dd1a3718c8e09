import time

from django.core.management.base import BaseCommand

from laporan import rekap


class Command(BaseCommand):
    help = (
        "Compute the monthly rollup (laporan.RekapBulanan) again for every month from the first opening day "
        "to this month. Writes keep it current by themselves; run this after loading data in bulk (the demo, "
        "an import straight into the database) or to check it."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        months = rekap.refresh_all()
        self.stdout.write(
            f"Rekap bulanan: {len(months)} bulan dihitung ulang dalam {time.perf_counter() - started:.1f} detik."
        )
