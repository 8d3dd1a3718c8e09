"""Bulk: kader and their accounts from Excel, every problem marked per row, all or none, then the slips."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from kader import kader_import
from kader.models import Kader
from posyandu.akun.models import SandiSementara
from posyandu.models import User
from tests import factories
from tests.pdf import pdf_text

TITLES = ["Nama", "NIK", "Nomor HP", "Nomor registrasi posyandu", "Bidang"]


def sheet(rows, titles=TITLES) -> SimpleUploadedFile:
    workbook = Workbook()
    ws = workbook.active
    if titles:
        ws.append(titles)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("kader.xlsx", buffer.getvalue())


def kader_rows(n, number="73.05.01.2001.001"):
    return [[f"Kader Nomor {i}", "", f"0812000{i:05d}", number, "Kesehatan"] for i in range(1, n + 1)]


def preview(world, rows, user="desa_a1", **kwargs):
    return kader_import.kader_import_preview(by=world.users[user], file=sheet(rows, **kwargs))


def test_a_clean_sheet_previews_without_problems(world):
    result = preview(world, kader_rows(3))
    assert result.can_save
    assert [row.posyandu for row in result.rows] == [world.posyandu_a] * 3


def test_every_problem_is_marked_on_its_row(world):
    factories.posyandu(desa=world.desa_b1, name="Posyandu Luar", registration_number="73.05.02.2001.001")
    rows = [
        ["Ani", "", "081200000001", "73.05.01.2001.009", "Kesehatan"],  # unknown posyandu
        ["Budi", "", "081200000002", "73.05.02.2001.001", "Kesehatan"],  # another desa's posyandu
        ["", "", "081200000003", "73.05.01.2001.001", "Kesehatan"],  # no name
        ["Cici", "123", "081200000004", "73.05.01.2001.001", "Kesehatan"],  # bad NIK
        ["Dedi", "７３０５０１１７０５２３０００１", "081200000005", "73.05.01.2001.001", "Sosial"],  # fullwidth digits
        ["Euis", "", "０８１２３４５６７８", "73.05.01.2001.001", "Sosial"],  # fullwidth phone
        ["Fitri", "", "081200000007", "73.05.01.2001.001", "Memasak"],  # unknown field
        ["Gita", "", "081200000008", "73.05.01.2001.001", "Kesehatan"],
        ["gita", "", "081200000009", "73.05.01.2001.001", "Kesehatan"],  # same person as the row above
        ["Hana", "", "", "73.05.01.2001.001", "Kesehatan"],  # no phone
    ]
    result = preview(world, rows)
    problems = {row.line: " ".join(row.problems) for row in result.rows}
    assert "Tidak ada posyandu" in problems[2]
    assert "di luar wilayah Anda" in problems[3]
    assert "Nama kosong" in problems[4]
    assert "16 digit" in problems[5]
    assert "angka 0–9 biasa" in problems[6]
    assert "Nomor HP" in problems[7]
    assert "Bidang tidak dikenal" in problems[8]
    assert problems[9] == ""
    assert "baris 9" in problems[10]
    assert "Nomor HP kosong" in problems[11]
    assert not result.can_save


def test_a_person_who_is_already_a_kader_is_a_duplicate(world):
    from kader import services as kader_services

    kader_services.kader_register(
        posyandu=world.posyandu_a, name="Ani", field="kesehatan", start_date=world.posyandu_a.created_at.date(),
        nik="7305011705230001",
    )  # fmt: skip
    rows = [
        ["Ani", "", "081200000001", "73.05.01.2001.001", "Kesehatan"],
        ["Nama Lain", "7305011705230001", "081200000002", "73.05.01.2001.001", "Sosial"],
    ]
    problems = [" ".join(row.problems) for row in preview(world, rows).rows]
    assert "Sudah ada kader aktif" in problems[0]
    assert "sudah terdaftar" in problems[1]


def test_a_formula_is_refused_never_evaluated(world):
    result = preview(world, [['=HYPERLINK("http://x","Ani")', "", "081200000001", "73.05.01.2001.001", "Kesehatan"]])
    assert "rumus" in " ".join(result.rows[0].problems)


@pytest.mark.parametrize(
    ("rows", "titles", "message"),
    [
        ([], TITLES, "tidak berisi kader"),
        ([["Ani", "x"]], ["Nama", "Alamat"], "Kolom Nomor HP"),
        ([["Ani"]], ["Alamat"], "Tidak ada baris judul"),
    ],
)
def test_an_empty_sheet_or_wrong_columns_is_refused_as_a_whole(world, rows, titles, message):
    with pytest.raises(ValidationError) as error:
        preview(world, rows, titles=titles)
    assert message in " ".join(error.value.messages)


def test_two_thousand_rows_preview_and_one_more_is_refused(world):
    assert len(preview(world, kader_rows(2000)).rows) == 2000
    with pytest.raises(ValidationError, match="2000"):
        preview(world, kader_rows(2001))


def test_not_an_excel_file_is_refused(world):
    with pytest.raises(ValidationError):
        kader_import.kader_import_preview(by=world.users["desa_a1"], file=io.BytesIO(b"not a workbook"))


def test_a_kader_cannot_import(world, login):
    assert login(world.users["kader_a"]).get(reverse("akun:kader_import")).status_code == 403


def _upload_and_confirm(client, rows):
    response = client.post(reverse("akun:kader_import"), {"file": sheet(rows)})
    token = response.context["token"]
    assert token, [row.problems for row in response.context["preview"].rows]
    return token, client.post(reverse("akun:kader_import"), {"token": token})


def test_confirm_creates_every_kader_with_an_account_then_prints_the_slips(world, login):
    client = login(world.users["desa_a1"])
    _token, response = _upload_and_confirm(client, kader_rows(40))
    assert response.status_code == 200
    created = Kader.objects.filter(name__startswith="Kader Nomor").select_related("user")
    assert created.count() == 40
    assert all(k.user.role == "kader" and k.user.posyandu_id == world.posyandu_a.pk for k in created)
    assert SandiSementara.objects.filter(user__kader_profile__in=created).count() == 40
    slips = client.get(reverse("akun:slips_pdf"))
    assert slips["Content-Type"] == "application/pdf"
    text = pdf_text(slips.content)
    assert "Kader Nomor 1 " in text and "kader.nomor" in text and "Posyandu Mawar" in text
    assert "http://testserver/" in text


def test_a_replayed_confirmation_saves_nothing_more(world, login):
    client = login(world.users["desa_a1"])
    token, _response = _upload_and_confirm(client, kader_rows(3))
    users_before = User.objects.count()
    replay = client.post(reverse("akun:kader_import"), {"token": token})
    assert replay.status_code == 200
    assert "Tidak ada yang disimpan" in replay.content.decode()
    assert User.objects.count() == users_before
    assert Kader.objects.filter(name__startswith="Kader Nomor").count() == 3


def test_a_token_of_another_manager_is_refused(world, login):
    token, _response = _upload_and_confirm(login(world.users["desa_a1"]), kader_rows(1))
    Kader.objects.all().delete()
    other = login(world.users["kecamatan_a"]).post(reverse("akun:kader_import"), {"token": token}, follow=True)
    assert "kedaluwarsa" in other.content.decode()


def test_if_one_row_fails_at_confirmation_none_is_saved(world, login):
    client = login(world.users["desa_a1"])
    response = client.post(reverse("akun:kader_import"), {"file": sheet(kader_rows(5))})
    from kader import services as kader_services

    # Between preview and confirmation somebody registers the fourth person.
    start = world.posyandu_a.created_at.date()
    kader_services.kader_register(posyandu=world.posyandu_a, name="Kader Nomor 4", field="kesehatan", start_date=start)
    client.post(reverse("akun:kader_import"), {"token": response.context["token"]})
    assert Kader.objects.filter(name__startswith="Kader Nomor").count() == 1
    assert not User.objects.filter(username__startswith="kader.nomor").exists()


def test_the_template_lists_the_columns_and_the_managers_posyandu(world, login):
    response = login(world.users["desa_a1"]).get(reverse("akun:kader_import_template"))
    workbook = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in workbook["Kader"][1]] == TITLES
    help_rows = [[c.value for c in row] for row in workbook["Petunjuk"].iter_rows()]
    assert ["Posyandu Mawar, Desa Lassang", "73.05.01.2001.001"] in help_rows


def test_slips_are_gone_after_done(world, login):
    client = login(world.users["desa_a1"])
    _upload_and_confirm(client, kader_rows(1))
    client.post(reverse("akun:slips_done"))
    assert client.get(reverse("akun:slips_pdf")).status_code == 302


def test_a_double_tap_on_confirm_saves_the_kader_once(transactional_db, world, client):
    """Two confirmations of one preview at the same moment: the lock lets one save; the other saves nothing."""
    import threading

    from django.db import connection
    from django.test import Client

    client.force_login(world.users["desa_a1"])
    token = client.post(reverse("akun:kader_import"), {"file": sheet(kader_rows(5))}).context["token"]
    session_cookie = client.cookies
    statuses = []

    def confirm():
        tap = Client()
        tap.cookies = session_cookie
        try:
            statuses.append(tap.post(reverse("akun:kader_import"), {"token": token}).status_code)
        finally:
            connection.close()

    taps = [threading.Thread(target=confirm) for _ in range(2)]
    for tap in taps:
        tap.start()
    for tap in taps:
        tap.join()
    assert statuses == [200, 200]
    assert Kader.objects.filter(name__startswith="Kader Nomor").count() == 5
    assert User.objects.filter(username__startswith="kader.nomor").count() == 5
