from django.core.management.base import BaseCommand
from django.db import connection


class Command(BaseCommand):
    help = (
        "Create the benchmark's own database (default posyandu_bench) on the configured server if it does not "
        "exist yet. Part of `make bench`; the benchmark never touches the demo or production database."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", default="posyandu_bench")

    def handle(self, *args, name, **options):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                self.stdout.write(f"Basis data {name} sudah ada: dipakai lagi.")
                return
            cursor.execute(f'CREATE DATABASE "{name}"')
        self.stdout.write(f"Basis data {name} dibuat.")
