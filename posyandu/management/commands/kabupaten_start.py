from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, SystemCheckError

from posyandu.akun.services import kabupaten_account_start
from posyandu.models import Role, User, Wilayah
from posyandu.services import BUNDLED_WILAYAH_DIR, wilayah_import


class Command(BaseCommand):
    help = (
        "Set up an installation for one kabupaten/kota, step by step, and say what to do next: "
        "(1) migrate the database; (2) import the kabupaten's kecamatan and desa/kelurahan from the "
        "area data (bundled in posyandu/data/wilayah for the five reference kabupaten, or --source with "
        "the CSV files of idn-area-data for any other); (3) create the first account, the kabupaten's "
        "Tim Pembina, with a one-time password printed once (changed at the first login); (4) run "
        "Django's deployment checks (check --deploy) on the current environment. Safe to run again: "
        "areas are updated, and an existing kabupaten account is kept (no second one, no new password)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kabupaten", help="Kemendagri code of the kabupaten/kota, e.g. 73.05.")
        parser.add_argument("--name", required=True, help="Full name of the first account's holder (Tim Pembina).")
        parser.add_argument("--username", default="", help="Username (default: from the name, README 'Akun').")
        parser.add_argument("--source", type=Path, default=BUNDLED_WILAYAH_DIR, help="Folder of idn-area-data CSVs.")
        parser.add_argument("--url", default="https://<alamat-aplikasi>/", help="The app's address, for the summary.")

    def handle(self, *args, kabupaten, name, username, source, url, **options):
        self.stdout.write("1/4 Basis data: migrate")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(f"2/4 Wilayah {kabupaten} dari {source}")
        area = self._areas(kabupaten=kabupaten, source=source)
        self.stdout.write("3/4 Akun pertama (Tim Pembina kabupaten)")
        account, password = self._first_account(area=area, name=name, username=username)
        self.stdout.write("4/4 Pemeriksaan pengaturan produksi (check --deploy)")
        deploy_ready = self._deploy_check(verbosity=options["verbosity"])
        self.stdout.write(
            "\nLangkah berikutnya:\n"
            f"  a. Buka {url} dan masuk sebagai {account.username}"
            + (" dengan kata sandi sementara di atas; buat kata sandi sendiri.\n" if password else ".\n")
            + "  b. Menu Kelola akun (/pengguna/): buat akun Tim Pembina kecamatan dan operator desa; cetak slipnya.\n"
            "  c. Daftarkan posyandu dengan nomor registrasinya (menu Daftar posyandu), atau minta operator desa.\n"
            "  d. Operator desa: Kelola akun → Impor kader dari Excel → unduh contoh, isi, unggah, simpan,\n"
            "     lalu cetak slip login dan bagikan kepada kader pada pertemuan berikutnya.\n"
            "  e. Kader masuk dengan slipnya dan membuat kata sandi sendiri."
        )
        if deploy_ready:
            self.stdout.write(self.style.SUCCESS(f"Selesai: {area.name} siap dipakai."))
        else:
            message = f"Selesai: {area.name} siap setelah peringatan di langkah 4 diperbaiki."
            self.stdout.write(self.style.WARNING(message))

    def _areas(self, *, kabupaten: str, source: Path) -> Wilayah:
        try:
            result = wilayah_import(source=source, kabupaten=kabupaten)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        area = Wilayah.objects.get(code=kabupaten)
        inside = Wilayah.objects.filter(code__startswith=kabupaten + ".")
        kecamatan = inside.filter(level=Wilayah.Level.KECAMATAN).count()
        desa = inside.filter(level=Wilayah.Level.DESA).count()
        self.stdout.write(
            f"    {area.name}: {kecamatan} kecamatan, {desa} desa/kelurahan "
            f"({result.created} baru, {result.updated} diperbarui, {result.unchanged} tetap)"
        )
        if not desa:
            raise CommandError(
                f"Data wilayah di {source} tidak memuat kecamatan/desa {kabupaten}. Unduh idn-area-data dan "
                "jalankan lagi dengan --source package/data (README, 'Areas')."
            )
        return area

    def _first_account(self, *, area: Wilayah, name: str, username: str) -> tuple[User, str | None]:
        """The kabupaten's first Tim Pembina account, or the existing one (password None: unchanged)."""
        existing = User.objects.filter(role=Role.PEMBINA_KABUPATEN, wilayah=area).order_by("pk").first()
        if existing is not None:
            self.stdout.write(f"    Sudah ada: {existing.username} (tidak dibuat ulang; kata sandinya tetap).")
            return existing, None
        try:
            account, password = kabupaten_account_start(wilayah=area, first_name=name, username=username)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"    Nama pengguna:         {account.username}")
        self.stdout.write(f"    Kata sandi sementara:  {password}   (tampil sekali ini saja)")
        return account, password

    def _deploy_check(self, *, verbosity: int) -> bool:
        try:
            call_command("check", deploy=True, fail_level="WARNING", verbosity=verbosity)
        except SystemCheckError as exc:
            problems = str(exc).strip().splitlines()
            self.stdout.write(self.style.WARNING("    Belum siap produksi:"))
            for line in problems[:40]:
                self.stdout.write("    " + line)
            return False
        self.stdout.write("    Pengaturan produksi lolos pemeriksaan.")
        return True
