"""Full NIK and KK numbers in bulk (the Excel registers) only for who keeps the register as a whole.

One rule, ``posyandu.models.can_see_full_nik(bulk=True)``: the pengurus of the posyandu, the operator of
its desa and admins get full numbers in ``warga.xlsx``, ``keluarga.xlsx`` and ``kader.xlsx``; every kader
(whatever their field) and the Tim Pembina get them masked. A kader still sees one person's full NIK on
that person's own page (docs/personal-data.md).
"""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from posyandu.models import can_see_full_nik, mask_nik
from tests import factories

CHILD_NIK = "7305011705230001"
KK = "7305010101230007"
KADER_NIK = "7305014302950002"
OWN_NIK = "7305015507900003"  # kader_a's own
FULL = ["pengurus_a", "desa_a1", "admin"]
MASKED = ["kader_a", "kader_pendidikan", "kader_trantibum_linmas", "kecamatan_a", "kabupaten"]


@pytest.fixture
def users(world, bidang_kader):
    return {**world.users, **{user.username: user for user in bidang_kader.values()}}


@pytest.fixture
def register(world):
    from kader import services as kader_services

    keluarga = factories.keluarga(posyandu=world.posyandu_a, head_name="Baso Daeng", kk_number=KK)
    factories.warga(posyandu=world.posyandu_a, name="Rizky", nik=CHILD_NIK, keluarga=keluarga)
    start = datetime.date(2016, 1, 4)
    kader_services.kader_register(posyandu=world.posyandu_a, name="Sitti", field="sosial", start_date=start,
                                  nik=KADER_NIK)  # fmt: skip
    kader_services.kader_register(posyandu=world.posyandu_a, name="Kader A", field="kesehatan", start_date=start,
                                  nik=OWN_NIK, user=world.users["kader_a"])  # fmt: skip


def _column(client, url_name: str, key: str, number_column: str) -> dict:
    sheet = load_workbook(io.BytesIO(client.get(reverse(url_name)).getvalue())).active  # streamed
    header, *rows = list(sheet.iter_rows(values_only=True))
    return {row[header.index(key)]: row[header.index(number_column)] for row in rows if row and row[0]}


@pytest.mark.parametrize("role", FULL + MASKED)
def test_bulk_exports_show_full_numbers_only_to_the_registers_keepers(world, users, register, login, role):
    client = login(users[role])
    shown = (lambda number: number) if role in FULL else mask_nik
    assert _column(client, "laporan:excel_warga", "Nama", "NIK")["Rizky"] == shown(CHILD_NIK)
    assert _column(client, "laporan:excel_keluarga", "Kepala keluarga", "Nomor KK")["Baso Daeng"] == shown(KK)
    kader = _column(client, "laporan:excel_kader", "Nama", "NIK")
    assert kader["Sitti"] == shown(KADER_NIK)  # another kader's NIK
    assert kader["Kader A"] == shown(OWN_NIK)  # in bulk even one's own is masked for a kader


def test_a_kader_still_sees_one_persons_full_nik_on_their_page(world, register, login):
    from posyandu.models import Warga

    rizky = Warga.objects.get(name="Rizky")
    page = login(world.users["kader_a"]).get(reverse("posyandu:warga_detail", args=[rizky.pk])).content.decode()
    assert CHILD_NIK in page


@pytest.mark.parametrize(
    ("role", "one", "bulk"),
    [
        ("kader_a", True, False),
        ("pengurus_a", True, True),
        ("desa_a1", True, True),
        ("admin", True, True),
        ("kecamatan_a", False, False),
        ("kader_b", False, False),  # another posyandu
    ],
)
def test_the_one_rule_for_one_number_and_for_many(world, role, one, bulk):
    assert can_see_full_nik(world.users[role], world.posyandu_a) is one
    assert can_see_full_nik(world.users[role], world.posyandu_a, bulk=True) is bulk
