"""Starting a real kabupaten: from an empty database to the first kader logging in (README, deployment)."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from posyandu import services as posyandu_services
from posyandu.akun.models import SandiSementara
from posyandu.models import Role, User, Wilayah
from tests.akun.test_kader_import import sheet
from tests.pdf import pdf_text


def _start(**options) -> str:
    out = io.StringIO()
    call_command("kabupaten_start", "73.24", name="Andi Baso Tim Pembina", stdout=out, **options)
    return out.getvalue()


NEW_PASSWORD = "Kebun-Mangga-2026"


def _first_login(client, username, password, new_password=NEW_PASSWORD):
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response["Location"] == reverse("akun:password_set"), username
    client.post(reverse("akun:password_set"), {"new_password1": new_password, "new_password2": new_password})
    assert client.get(reverse("posyandu:home")).status_code == 200


def test_an_empty_installation_becomes_a_working_kabupaten_down_to_the_first_kader(db, client):
    assert not User.objects.exists() and not Wilayah.objects.exists()
    output = _start()
    assert "Luwu Timur" in output and "check --deploy" in output and "Langkah berikutnya" in output
    assert Wilayah.objects.filter(code__startswith="73.24.", level=Wilayah.Level.DESA).count() > 100
    username = re.search(r"Nama pengguna:\s+(\S+)", output).group(1)
    password = re.search(r"Kata sandi sementara:\s+(\S+)", output).group(1)
    assert username == "andi.baso"

    # The kabupaten team logs in, sets its password and creates a desa operator.
    _first_login(client, username, password)
    desa = Wilayah.objects.filter(code__startswith="73.24.", level=Wilayah.Level.DESA).order_by("code").first()
    response = client.post(
        reverse("akun:account_create"), {"first_name": "Operator Satu", "role": Role.OPERATOR_DESA, "wilayah": desa.pk}
    )
    operator, operator_password = response.context["account"], response.context["password"]
    client.post(reverse("logout"))

    # The desa operator registers a posyandu, imports a kader and gets the slip.
    _first_login(client, operator.username, operator_password)
    posyandu_services.posyandu_create(desa=desa, name="Posyandu Satu", registration_number=f"{desa.code}.001")
    rows = [["Wa Ode Sitti", "", "081234567890", f"{desa.code}.001", "Kesehatan"]]
    preview = client.post(reverse("akun:kader_import"), {"file": sheet(rows)})
    assert preview.context["token"], [r.problems for r in preview.context["preview"].rows]
    done = client.post(reverse("akun:kader_import"), {"token": preview.context["token"]})
    kader = done.context["created"][0]
    slip = pdf_text(client.get(reverse("akun:slips_pdf")).content)
    assert "Wa Ode Sitti" in slip and "Posyandu Satu" in slip
    kader_username, kader_password = re.search(r"Nama pengguna (\S+) Kata sandi sementara (\S+)", slip).groups()
    assert kader_username == kader.user.username == "wa.ode"
    client.post(reverse("logout"))

    # The first kader logs in with the slip and sets their own password.
    _first_login(client, kader_username, kader_password)
    assert not SandiSementara.objects.exists()


def test_running_it_twice_keeps_the_first_account(db):
    _start()
    again = _start()
    assert "Sudah ada: andi.baso" in again
    assert User.objects.filter(role=Role.PEMBINA_KABUPATEN).count() == 1


def test_a_kabupaten_without_bundled_villages_is_refused_with_what_to_do(db):
    with pytest.raises(CommandError, match="--source"):
        call_command("kabupaten_start", "11.01", name="X", stdout=io.StringIO())
