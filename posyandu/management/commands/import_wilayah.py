from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from posyandu.services import BUNDLED_WILAYAH_DIR, wilayah_import


class Command(BaseCommand):
    help = (
        "Import Indonesia's administrative areas (provinsi, kabupaten/kota, kecamatan, desa/kelurahan) "
        "with their Kemendagri codes from the CSV files of the npm package idn-area-data (ODbL). "
        "Without --source it reads the subset bundled in posyandu/data/wilayah (the five reference "
        "kabupaten). --kabupaten 73.05 limits the import to one kabupaten (and its province). "
        "Safe to run again: names are updated, nothing is duplicated."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            type=Path,
            default=BUNDLED_WILAYAH_DIR,
            help="Folder holding provinces.csv, regencies.csv, districts.csv and villages.csv.",
        )
        parser.add_argument("--kabupaten", help="Only this kabupaten/kota, by Kemendagri code, e.g. 73.05.")

    def handle(self, *args, source, kabupaten, **options):
        try:
            result = wilayah_import(source=source, kabupaten=kabupaten)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Wilayah: {result.created} baru, {result.updated} diperbarui, {result.unchanged} tetap.")
