"""The monthly report: pengurus submit → desa verifies → kecamatan approves (locks) → admin reopens."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from laporan import selectors, services
from laporan.models import LaporanBulanan, RiwayatLaporan
from layanan import services as health
from posyandu.models import BulanTerkunci
from tests.layanan.conftest import person

MARCH = datetime.date(2026, 3, 1)


def _url(world, name="laporan:laporan_posyandu", month="2026-03"):
    return reverse(name, args=[world.posyandu_a.pk, month])


def _step(world, role, action, comment=""):
    laporan = services.laporan_get_or_create(posyandu=world.posyandu_a, month=MARCH)
    return services.laporan_transition(laporan=laporan, action=action, user=world.users[role], comment=comment)


def test_a_report_goes_through_the_whole_flow_and_the_approved_month_refuses_edits(world, march):
    _step(world, "pengurus_a", "ajukan")
    _step(world, "desa_a1", "verifikasi")
    laporan = _step(world, "kecamatan_a", "setujui")
    assert laporan.status == LaporanBulanan.Status.DISETUJUI and laporan.approved_by == world.users["kecamatan_a"]
    assert BulanTerkunci.objects.filter(posyandu=world.posyandu_a, month=MARCH).exists()
    assert list(laporan.riwayat.values_list("action", flat=True)) == ["ajukan", "verifikasi", "setujui"]

    late_child = person(world.posyandu_a, "Gilang", birth_date=datetime.date(2025, 6, 1))
    with pytest.raises(ValidationError, match="sudah disetujui dan dikunci"):
        health.kunjungan_record(warga=late_child, user=world.users["kader_a"], hari_buka=march[3],
                                values={"weight_kg": D("8.1")})  # fmt: skip
    # April is not locked
    health.hari_buka_open(posyandu=world.posyandu_a, date=datetime.date(2026, 4, 10), user=world.users["kader_a"])


def test_the_kader_entry_page_shows_the_lock_message_and_keeps_what_was_typed(world, march, login):
    _step(world, "pengurus_a", "ajukan")
    _step(world, "desa_a1", "verifikasi")
    _step(world, "kecamatan_a", "setujui")
    child = person(world.posyandu_a, "Gilang", birth_date=datetime.date(2025, 6, 1))
    client = login(world.users["kader_a"])
    url = reverse("layanan:kunjungan_entry", args=[march[3].pk, child.pk])
    response = client.post(url, {"weight_kg": "8,1"})
    page = response.content.decode()
    assert "sudah disetujui dan dikunci" in page
    assert 'value="8,1"' in page or 'value="8.1"' in page


def test_an_admin_reopens_an_approved_month_with_a_reason_and_it_can_be_corrected(world, march):
    _step(world, "pengurus_a", "ajukan")
    _step(world, "desa_a1", "verifikasi")
    _step(world, "kecamatan_a", "setujui")
    with pytest.raises(ValidationError, match="Tuliskan alasannya"):
        _step(world, "admin", "buka_kembali")
    with pytest.raises(PermissionDenied):
        _step(world, "kecamatan_a", "buka_kembali", comment="salah timbang")
    laporan = _step(world, "admin", "buka_kembali", comment="Berat Budi salah ketik")
    assert laporan.status == LaporanBulanan.Status.DIKEMBALIKAN
    assert not BulanTerkunci.objects.filter(posyandu=world.posyandu_a, month=MARCH).exists()
    step = RiwayatLaporan.objects.get(laporan=laporan, action="buka_kembali")
    assert step.user == world.users["admin"] and step.comment == "Berat Budi salah ketik"
    child = person(world.posyandu_a, "Gilang", birth_date=datetime.date(2025, 6, 1))
    health.kunjungan_record(
        warga=child, user=world.users["kader_a"], hari_buka=march[3], values={"weight_kg": D("8.1")}
    )


@pytest.mark.parametrize(
    ("role", "action", "error"),
    [
        ("kecamatan_a", "setujui", ValidationError),  # a draft cannot be approved
        ("desa_a1", "verifikasi", ValidationError),  # nor verified before it is submitted
        ("kader_a", "ajukan", PermissionDenied),  # submitting is the pengurus' step
        ("kabupaten", "setujui", PermissionDenied),
        ("pengurus_a", "kembalikan", PermissionDenied),
    ],
)
def test_illegal_steps_are_refused_and_change_nothing(world, role, action, error):
    with pytest.raises(error):
        _step(world, role, action, comment="x")
    laporan = LaporanBulanan.objects.get(posyandu=world.posyandu_a, month=MARCH)
    assert laporan.status == LaporanBulanan.Status.DRAF and not laporan.riwayat.exists()


def test_a_returned_report_needs_a_comment_and_can_be_submitted_again(world, login):
    _step(world, "pengurus_a", "ajukan")
    client = login(world.users["desa_a1"])
    response = client.post(
        _url(world, "laporan:laporan_transition"), {"action": "kembalikan", "comment": " "}, follow=True
    )
    assert "Tuliskan alasannya" in response.content.decode()
    client.post(_url(world, "laporan:laporan_transition"), {"action": "kembalikan", "comment": "D/S tidak cocok"})
    laporan = LaporanBulanan.objects.get(posyandu=world.posyandu_a, month=MARCH)
    assert laporan.status == LaporanBulanan.Status.DIKEMBALIKAN and laporan.comment == "D/S tidak cocok"
    page = login(world.users["pengurus_a"]).get(_url(world)).content.decode()
    assert "D/S tidak cocok" in page and "Ajukan laporan" in page
    _step(world, "pengurus_a", "ajukan")
    assert LaporanBulanan.objects.get(pk=laporan.pk).status == LaporanBulanan.Status.DIAJUKAN


def test_a_future_month_cannot_be_reported(world):
    with pytest.raises(ValidationError, match="masa depan"):
        services.laporan_get_or_create(posyandu=world.posyandu_a, month=datetime.date(2099, 1, 1))


def test_completeness_shows_who_submitted_who_is_late_and_who_is_approved(world, settings):
    settings.LAPORAN_DEADLINE_DAY = 10
    _step(world, "pengurus_a", "ajukan")  # submitted now: months after the 10 April deadline
    rows = selectors.completeness(user=world.users["kabupaten"], area=world.kabupaten, month=MARCH)
    by_name = {row.posyandu.name: row for row in rows}
    assert by_name["Posyandu Mawar"].status == LaporanBulanan.Status.DIAJUKAN and by_name["Posyandu Mawar"].late
    assert by_name["Posyandu Anggrek"].status == LaporanBulanan.Status.DRAF and by_name["Posyandu Anggrek"].late
    summary = selectors.completeness_summary(rows)
    assert summary["diajukan"] == 1 and summary["terlambat"] == summary["total"] == 3
    # the kecamatan team sees only its kecamatan's posyandu
    own = selectors.completeness(user=world.users["kecamatan_a"], area=world.kecamatan_a, month=MARCH)
    assert {row.posyandu.name for row in own} == {"Posyandu Mawar", "Posyandu Melati"}
