import json
import os
import re
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from django.core.management import CommandError, call_command
from whitenoise.storage import CompressedManifestStaticFilesStorage

from demo.posyandu import DEMO_PASSWORD
from posyandu.models import Pengurus, Posyandu, Puskesmas, Role, User, Wilayah, WilayahKerjaPuskesmas
from posyandu.scope import scoped


def test_demo_load_builds_takalar_with_logins_lands_users_in_scope_and_is_safe_to_run_twice(db, client):
    # The whole kabupaten's areas, posyandu, pengurus and logins, with people and data in its first
    # kecamatan only (--quick) and few of them: the full run after a quick one, and a third run that adds
    # nothing, are tests/demo/test_quick_demo.py's.
    out = StringIO()
    call_command("demo_load", "--quick", "--people-per-posyandu", "4", stdout=out)
    posyandu = Posyandu.objects.filter(desa__code__startswith="73.05.")
    count = posyandu.count()
    assert Wilayah.objects.filter(parent_id="73.05").count() == 12  # the real kecamatan of Takalar
    assert 3 * 110 <= count <= 5 * 110  # three to five posyandu per desa
    assert Pengurus.objects.count() > 7 * count
    assert {u.role for u in User.objects.all()} == set(Role.values)
    text = out.getvalue()
    assert "kader " in text and "posyandu-demo" in text and "Kabupaten Takalar" in text

    kader = User.objects.get(username="kader")
    client.force_login(kader)
    assert kader.posyandu.name in client.get("/").content.decode()
    kecamatan = User.objects.get(username="kecamatan")
    client.force_login(kecamatan)
    response = client.get("/")
    assert [row.code[:8] for row in response.context["rows"]] == [kecamatan.wilayah_id] * len(response.context["rows"])

    again = StringIO()
    call_command("demo_load", "--quick", stdout=again)
    # Eight logins of the foundation (the bidan of a Puskesmas among them), plus one kader per field of
    # the five other fields and the officer of Dinas Sosial (demo/bidang.py).
    assert posyandu.count() == count and User.objects.count() == 8 + 5 + 1
    # One Puskesmas per kecamatan, every desa in one working area, loaded once.
    assert Puskesmas.objects.filter(kabupaten_id="73.05").count() == 12
    desa = Wilayah.objects.filter(level=Wilayah.Level.DESA, code__startswith="73.05.")
    assert WilayahKerjaPuskesmas.objects.filter(valid_to__isnull=True).count() == desa.count() == 110
    bidan = User.objects.get(username="bidan")
    assert bidan.role == Role.PUSKESMAS
    assert set(scoped(Posyandu.objects.all(), bidan).values_list("desa__parent_id", flat=True)) == {"73.05.01"}
    assert "posyandu baru: 0" in again.getvalue() and "kabupaten" in again.getvalue()


def test_synthetic_kabupaten_for_benchmarks(db):
    call_command("demo_load", "--synthetic-posyandu", "30", "--people-per-posyandu", "0", stdout=StringIO())
    assert Posyandu.objects.filter(desa__code__startswith="99.01.").count() == 30


def test_import_wilayah_command_reports_and_rejects_unknown_kabupaten(db):
    out = StringIO()
    call_command("import_wilayah", "--kabupaten", "63.09", stdout=out)
    assert "baru" in out.getvalue() and Wilayah.objects.get(code="63.09").name == "Kabupaten Tabalong"
    with pytest.raises(CommandError, match=r"99\.99 tidak ada"):
        call_command("import_wilayah", "--kabupaten", "99.99")


def _manage(*args, **env_changes):
    """Run manage.py in a fresh process with a changed environment (settings are read at start-up)."""
    env = {**os.environ, **{key: value for key, value in env_changes.items() if value is not None}}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # the browser tests' flag (tests/browser/fixtures.py), not production's
    for key in [key for key, value in env_changes.items() if value is None]:
        env.pop(key, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        DJANGO_SECRET_KEY="k" * 20 + "-production-secret-0123456789-abcdefghijklmnop",
        PERSONAL_DATA_KEY="ab" * 64,
        ALLOWED_HOSTS="posyandu.example.go.id",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_collectstatic_for_production_finds_every_file_the_vendored_scripts_reference(settings, tmp_path):
    # Production's storage (WhiteNoise's CompressedManifestStaticFilesStorage) is Django's manifest storage
    # plus compression. The manifest step fails the deployment on a missing reference (e.g. a source map);
    # it is run here without the compression, which references nothing (and took 17 s of brotli).
    production = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])",
        DEBUG="0",
        DJANGO_SECRET_KEY="k" * 20 + "-production-secret-0123456789-abcdefghijklmnop",
        PERSONAL_DATA_KEY="ab" * 64,
        ALLOWED_HOSTS="posyandu.example.go.id",
    )
    assert production.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage", production.stderr
    assert issubclass(CompressedManifestStaticFilesStorage, ManifestStaticFilesStorage)
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())
    assert "vendor/leaflet-1.9.4/leaflet.js" in manifest["paths"]


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    result = _manage("check", DEBUG="0", DJANGO_SECRET_KEY=None, PERSONAL_DATA_KEY="ab" * 64)
    assert result.returncode != 0 and "Set DJANGO_SECRET_KEY" in result.stderr


def test_settings_refuse_to_start_without_the_personal_data_key_when_debug_is_off():
    # Production must never fall back to the development key that encrypts NIK in the demo.
    result = _manage("check", DEBUG="0", DJANGO_SECRET_KEY="k" * 50, PERSONAL_DATA_KEY=None)
    assert result.returncode != 0 and "Set PERSONAL_DATA_KEY" in result.stderr
    result = _manage("check", DEBUG="0", DJANGO_SECRET_KEY="k" * 50, PERSONAL_DATA_KEY="too-short")
    assert result.returncode != 0 and "128 hex characters" in result.stderr


def test_demo_load_refuses_on_a_production_server_unless_told(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("demo_load", "--synthetic-posyandu", "1", "--people-per-posyandu", "0", stdout=StringIO())
    assert not User.objects.exists()


def test_demo_load_told_to_run_in_production_never_uses_the_known_password(db, settings, client):
    settings.DEMO_DATA_ALLOWED = False
    out = StringIO()
    call_command("demo_load", "--allow-production", "--quick", "--people-per-posyandu", "0", stdout=out)
    admin = User.objects.get(username="admin")
    assert not admin.check_password(DEMO_PASSWORD)
    printed = re.search(r"kata sandi semua: (\S+)\)", out.getvalue()).group(1)
    assert printed != DEMO_PASSWORD and admin.check_password(printed)
