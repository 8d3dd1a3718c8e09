from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from posyandu import backup, dates


class Command(BaseCommand):
    help = (
        "Write a backup of the whole database with pg_dump (custom format, compressed), sealed with a key derived "
        "from PERSONAL_DATA_KEY (AES-256-GCM: unreadable and tamper-evident without it), to FILE, by default "
        "var/backups/posyandu-YYYYmmdd-HHMMSS.dump. Uses the embedded server's own binaries, or the system's "
        "when DATABASE_URL is set and its client is new enough. Restore with `manage.py restore_database FILE` "
        "(or `make restore FILE=...`). Safe to run any time: the dump is a consistent snapshot."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="Where to write the archive.")

    def handle(self, *args, file, **options):
        stamp = dates.localtime().strftime("%Y%m%d-%H%M%S")
        path = Path(file) if file else settings.VAR_DIR / "backups" / f"posyandu-{stamp}.dump"
        try:
            backup.backup(path)
        except backup.BackupError as exc:
            raise CommandError(f"Cadangan gagal: {exc}") from exc
        self.stdout.write(f"Cadangan tersimpan: {path} ({path.stat().st_size / 1024:.0f} KB)")
