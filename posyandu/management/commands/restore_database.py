from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from posyandu import backup


class Command(BaseCommand):
    help = (
        "Replace the database's contents with a backup made by `backup_database` (pg_restore --clean, in a "
        "single transaction: the restore succeeds whole or changes nothing). Stop the web server first. "
        "Asks for confirmation unless --yes is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive written by backup_database.")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, file, yes, **options):
        if not yes and input(f"Semua data akan diganti dengan isi {file}. Ketik 'ya' untuk lanjut: ").strip() != "ya":
            raise CommandError("Dibatalkan.")
        try:
            backup.restore(Path(file))
        except backup.BackupError as exc:
            raise CommandError(f"Pemulihan gagal, data tidak berubah: {exc}") from exc
        self.stdout.write(f"Data dipulihkan dari {file}.")
