"""The home page tells each role which monthly reports and requests wait for its step (issue 19)."""

import datetime

from django.urls import reverse

from laporan import selectors, services
from layanan import services as bidang
from tests import factories

MARCH = datetime.date(2026, 3, 1)


def _step(world, role, action, comment="", posyandu=None):
    laporan = services.laporan_get_or_create(posyandu=posyandu or world.posyandu_a, month=MARCH)
    return services.laporan_transition(laporan=laporan, action=action, user=world.users[role], comment=comment)


def _queue(world, role):
    return {item.label: item for item in selectors.work_queue(user=world.users[role])}


def test_pengurus_see_last_months_report_to_submit_and_a_returned_one_with_its_comment(
    world, pinned_clock, settings, login
):
    settings.LAPORAN_DEADLINE_DAY = 10
    pinned_clock("2026-04-20")  # March is last month; its deadline (10 April) has passed
    queue = _queue(world, "pengurus_a")
    assert list(queue) == ["Laporan Maret 2026 belum diajukan (batas 10 April 2026)"]
    assert queue["Laporan Maret 2026 belum diajukan (batas 10 April 2026)"].urgent
    _step(world, "pengurus_a", "ajukan")
    _step(world, "desa_a1", "kembalikan", comment="D/S tidak cocok dengan buku register")
    (item,) = selectors.work_queue(user=world.users["pengurus_a"])
    assert "dikembalikan" in item.label and item.detail == "D/S tidak cocok dengan buku register"
    page = login(world.users["pengurus_a"]).get(reverse("posyandu:home")).content.decode()
    assert "Menunggu tindakan Anda" in page and "D/S tidak cocok dengan buku register" in page
    assert reverse("laporan:laporan_posyandu", args=[world.posyandu_a.pk, "2026-03"]) in page


def test_desa_operator_sees_reports_and_requests_to_verify(world, pinned_clock):
    pinned_clock("2026-04-06")
    _step(world, "pengurus_a", "ajukan")
    keluarga = factories.keluarga(posyandu=world.posyandu_a, head_name="Keluarga Daeng Tika")
    bidang.permintaan_create(field="perumahan_rakyat", kind="rtlh", description="Atap bocor", keluarga=keluarga,
                             user=world.users["pengurus_a"], recorded_on=datetime.date(2026, 4, 6))  # fmt: skip
    queue = _queue(world, "desa_a1")
    assert queue["Laporan Maret 2026 menunggu verifikasi"].count == 1
    assert "status=diajukan" in queue["Laporan Maret 2026 menunggu verifikasi"].url
    assert queue["Permintaan layanan menunggu verifikasi"].count == 1


def test_tim_pembina_see_reports_to_approve_late_posyandu_and_overdue_requests(
    world, pinned_clock, settings, django_assert_num_queries
):
    settings.LAPORAN_DEADLINE_DAY = 10
    pinned_clock("2026-04-06")
    _step(world, "pengurus_a", "ajukan")  # on time
    _step(world, "desa_a1", "verifikasi")
    keluarga = factories.keluarga(posyandu=world.posyandu_a, head_name="Keluarga Daeng Tika")
    request = bidang.permintaan_create(field="perumahan_rakyat", kind="rtlh", description="Atap bocor",
                                       keluarga=keluarga, user=world.users["pengurus_a"],
                                       recorded_on=datetime.date(2026, 4, 6))  # fmt: skip
    bidang.permintaan_transition(permintaan=request, to_status="diverifikasi", user=world.users["desa_a1"],
                                 on=datetime.date(2026, 4, 6))  # fmt: skip
    pinned_clock("2026-04-20")  # past the report deadline and the request's due date
    user = world.users["kabupaten"]
    # 1 rakor decisions past their deadline waiting for the user, 2 reports waiting for approval per month,
    # 3 late posyandu for March, 4 overdue requests per field
    with django_assert_num_queries(4):
        queue = {item.label: item for item in selectors.work_queue(user=user)}
    assert queue["Laporan Maret 2026 menunggu persetujuan"].count == 1
    assert queue["Posyandu terlambat melapor Maret 2026"].count == 2  # Melati and Anggrek never submitted
    assert queue["Permintaan layanan Perumahan Rakyat lewat batas 5 hari kerja"].count == 1
    own = _queue(world, "kecamatan_a")  # Anggrek lies in the other kecamatan
    assert own["Posyandu terlambat melapor Maret 2026"].count == 1


def test_late_posyandu_count_agrees_with_the_completeness_page(world, pinned_clock, settings):
    settings.LAPORAN_DEADLINE_DAY = 10
    pinned_clock("2026-04-20")
    _step(world, "pengurus_a", "ajukan")  # late: after 10 April
    user = world.users["kabupaten"]
    rows = selectors.completeness(user=user, area=world.kabupaten, month=MARCH)
    assert selectors.late_posyandu_count(user=user, month=MARCH) == sum(row.late for row in rows) == 3
