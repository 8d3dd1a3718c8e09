import secrets
import subprocess
import sys
import time
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.posyandu import DEMO_PASSWORD
from demo.progress import Progress
from demo.statistics import analyze_app_tables
from posyandu import monthlock

# The demo modules, in dependency order (demo.kesehatan also builds demo.bidang).
STEPS = ("posyandu", "kesehatan", "kader", "laporan")
# pg_try_advisory_lock key: one demo_load at a time per database (a quick run beside a background one
# would otherwise fill the same empty posyandu twice).
LOCK_KEY = 730_500_001
LOG_NAME = "demo_load.log"


class Command(BaseCommand):
    help = (
        "Build the demo kabupaten: Kabupaten Takalar (73.05) with its real kecamatan and desa, about four "
        "posyandu per desa with pengurus, and one demo login per role (password 'posyandu-demo'). "
        "Each module of the demo package adds its own data, in dependency order. Safe to run twice: "
        "a kabupaten that already has posyandu, people or health data keeps them and gets none added. "
        "--synthetic-posyandu N builds a made-up kabupaten (99.01) of N posyandu instead, for benchmarks; "
        "--people-per-posyandu N sets the size of each posyandu's population (default about 230: 60 balita "
        "with their mothers, 30 remaja, 70 usia produktif, 25 lansia; 0 for none), which also sets the "
        "size of the health data built for them. "
        "--quick fills only the first kecamatan (what `make run` shows at once); a later run without it fills "
        "the posyandu still empty, and --rest-in-background starts that run in the background. "
        "Progress is shown per step. Two runs never overlap: a second one waits for none and stops. "
        "With DEBUG off it refuses unless --allow-production is given, and then the demo accounts get a "
        "random password (printed once), never the known demo password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run with DEBUG off too (demo accounts then get a random password, printed once).",
        )
        parser.add_argument("--kabupaten", default="73.05", help="Kemendagri code of the kabupaten (default 73.05).")
        parser.add_argument(
            "--synthetic-posyandu",
            type=int,
            default=None,
            metavar="N",
            help="Build a synthetic kabupaten with N posyandu instead (benchmark scale).",
        )
        parser.add_argument(
            "--quick",
            action="store_true",
            help="People and data only in the first kecamatan (every feature, under a minute); the rest on a later "
            "run without --quick.",
        )
        parser.add_argument(
            "--rest-in-background",
            action="store_true",
            help="After a --quick run, start the full run in a background process (output in var/demo_load.log).",
        )
        parser.add_argument(
            "--people-per-posyandu",
            type=int,
            default=None,
            metavar="N",
            help="About N people per posyandu (default about 230; small numbers for fast tests, 0 for none).",
        )

    def handle(self, *args, allow_production, quick, rest_in_background, **options):
        started = time.monotonic()
        password = DEMO_PASSWORD
        if not settings.DEMO_DATA_ALLOWED:
            if not allow_production:
                raise CommandError(
                    "DEBUG is off: this looks like a production server. demo_load adds made-up people and demo "
                    "accounts; pass --allow-production if you really want them here (they get random passwords)."
                )
            password = secrets.token_urlsafe(12)
        if not self._lock():
            self.stdout.write("demo_load lain sedang berjalan pada basis data ini; tidak ada yang dimuat sekarang.")
            return
        try:
            with monthlock.guard_disabled():
                users = self._build(password=password, quick=quick, **options)
            self._finish(started, users, password)
        finally:
            self._unlock()
        if rest_in_background and settings.DEMO_DATA_ALLOWED:
            self._start_rest(options)
        elif rest_in_background:  # a background run would print a new random password nobody has
            self.stdout.write("Sisa kabupaten: jalankan demo_load --allow-production lagi (tanpa --quick).")

    def _build(self, *, kabupaten, synthetic_posyandu, people_per_posyandu, password, quick, **options) -> list:
        users = []
        built: set[int] = set()
        progress = Progress(self.stdout)
        for label in STEPS:
            module = import_module(f"demo.{label}")
            app_started = time.monotonic()
            self.stdout.write(f"[{label}] ...")
            result = module.build(
                kabupaten=kabupaten,
                synthetic_posyandu=synthetic_posyandu,
                people_per_posyandu=people_per_posyandu,
                password=password,
                quick=quick,
                progress=progress,
                built_posyandu=built,
            )
            built.update(getattr(result, "posyandu_ids", ()))
            for line in module.summary_lines(result):
                self.stdout.write(f"[{label}] {line}")
            self.stdout.write(f"[{label}] ({time.monotonic() - app_started:.1f} detik)")
            users += getattr(result, "users", [])
        return users

    def _lock(self) -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
            return cursor.fetchone()[0]

    def _unlock(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])

    def _start_rest(self, options: dict) -> None:
        """The full run in a child process (stopped with the server by Ctrl+C), its output in the log."""
        log_path = settings.VAR_DIR / LOG_NAME
        log_path.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "django", "demo_load", "--kabupaten", options["kabupaten"]]
        if options["people_per_posyandu"] is not None:
            command += ["--people-per-posyandu", str(options["people_per_posyandu"])]
        with log_path.open("w") as log:
            child = subprocess.Popen(  # noqa: S603 - our own interpreter and command, no user input
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=settings.BASE_DIR
            )
        self.stdout.write(
            f"\nSisa kabupaten dimuat di latar belakang (proses {child.pid}); kemajuannya: {log_path}. "
            "Halaman kecamatan lain terisi setelah selesai."
        )

    def _finish(self, started: float, users: list, password: str) -> None:
        analyze_app_tables()
        self.stdout.write(f"Selesai dalam {time.monotonic() - started:.1f} detik.")
        if users:
            self.stdout.write(f"\nAkun demo (kata sandi semua: {password}):")
            for username, role, scope in users:
                self.stdout.write(f"  {username:<10} {role:<24} {scope}")
