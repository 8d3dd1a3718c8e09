import secrets
import time
from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo.posyandu import DEMO_PASSWORD
from posyandu import monthlock

# The demo modules, in dependency order (demo.kesehatan also builds demo.bidang).
STEPS = ("posyandu", "kesehatan", "kader", "laporan")


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
            "--people-per-posyandu",
            type=int,
            default=None,
            metavar="N",
            help="About N people per posyandu (default about 230; small numbers for fast tests, 0 for none).",
        )

    def handle(self, *args, kabupaten, synthetic_posyandu, people_per_posyandu, allow_production, **options):
        started = time.monotonic()
        password = DEMO_PASSWORD
        if not settings.DEMO_DATA_ALLOWED:
            if not allow_production:
                raise CommandError(
                    "DEBUG is off: this looks like a production server. demo_load adds made-up people and demo "
                    "accounts; pass --allow-production if you really want them here (they get random passwords)."
                )
            password = secrets.token_urlsafe(12)
        with monthlock.guard_disabled():
            users = self._build(kabupaten, synthetic_posyandu, people_per_posyandu, password)
        self._finish(started, users, password)

    def _build(self, kabupaten, synthetic_posyandu, people_per_posyandu, password) -> list:
        users = []
        for label in STEPS:
            module = import_module(f"demo.{label}")
            app_started = time.monotonic()
            result = module.build(
                kabupaten=kabupaten,
                synthetic_posyandu=synthetic_posyandu,
                people_per_posyandu=people_per_posyandu,
                password=password,
            )
            for line in module.summary_lines(result):
                self.stdout.write(f"[{label}] {line}")
            self.stdout.write(f"[{label}] ({time.monotonic() - app_started:.1f} detik)")
            users += getattr(result, "users", [])
        return users

    def _finish(self, started: float, users: list, password: str) -> None:
        with connection.cursor() as cursor:
            # Fresh planner statistics after a bulk load: without them PostgreSQL picks plans for
            # empty tables (the opening-day page took 400 ms instead of 10 on the benchmark).
            cursor.execute("ANALYZE")
        self.stdout.write(f"Selesai dalam {time.monotonic() - started:.1f} detik.")
        if users:
            self.stdout.write(f"\nAkun demo (kata sandi semua: {password}):")
            for username, role, scope in users:
                self.stdout.write(f"  {username:<10} {role:<24} {scope}")
