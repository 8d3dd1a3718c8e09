"""OPD pengampu: requests forwarded to a named OPD, moved on by its officers (accept, done with a note,
refused with a reason) within their deadline; what an OPD officer sees (their requests, their fields'
figures) and what they cannot; the OPD kept by the kabupaten team; OPD accounts."""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from layanan import selectors, services
from layanan.models import HariLibur, PermintaanLayanan
from posyandu import dates
from posyandu import services as posyandu_services
from posyandu.akun import services as account_services
from posyandu.models import BulanTerkunci, Opd, Role
from tests import factories

Status = PermintaanLayanan.Status
TODAY = "2026-03-13"  # a Friday
HOUSEHOLD_NUMBERS = itertools.count(1)


@pytest.fixture
def today(pinned_clock):
    pinned_clock(TODAY)


def _forwarded(world, opd, *, posyandu=None, recorded=datetime.date(2026, 3, 2), verified=datetime.date(2026, 3, 3)):
    """A sosial request of posyandu A (or ``posyandu``), verified and forwarded to ``opd``."""
    keluarga = factories.keluarga(posyandu=posyandu or world.posyandu_a, head_name=f"Kepala {next(HOUSEHOLD_NUMBERS)}")
    permintaan = services.permintaan_create(
        field="sosial", kind="bansos", description="Lansia sendiri", keluarga=keluarga, user=None, recorded_on=recorded
    )
    permintaan = services.permintaan_transition(
        permintaan=permintaan, to_status=Status.DIVERIFIKASI, user=None, on=verified
    )
    return services.permintaan_transition(
        permintaan=permintaan, to_status=Status.DITERUSKAN, user=None, on=verified, forwarded_opd=opd
    )


def _move(permintaan, to_status, user, **extra):
    return services.permintaan_transition(
        permintaan=permintaan, to_status=to_status, user=user, on=datetime.date(2026, 3, 5), **extra
    )


# ---------------------------------------------------------------------------------------------
# Forwarding names the OPD
# ---------------------------------------------------------------------------------------------
def test_forward_names_an_opd_of_the_kabupaten_serving_the_field(world, opd_cast, today):
    permintaan = _forwarded(world, opd_cast.dukcapil)
    assert permintaan.forwarded_to == "opd"
    assert permintaan.forwarded_opd == opd_cast.dukcapil
    assert permintaan.destination_display == "Dukcapil"


@pytest.mark.parametrize("which", ["dinsos_x", "wrong_field"])
def test_forward_to_an_opd_of_another_kabupaten_or_field_is_refused(world, opd_cast, today, which):
    opd = opd_cast.dinsos_x
    if which == "wrong_field":
        opd = Opd.objects.create(kabupaten=world.kabupaten, name="Dinas PU", short_name="PU", fields=["pekerjaan_umum"])
    with pytest.raises(ValidationError) as error:
        _forwarded(world, opd)
    assert "forwarded_opd" in error.value.message_dict


def test_forward_to_an_old_style_destination_is_refused(world, today):
    keluarga = factories.keluarga(posyandu=world.posyandu_a)
    permintaan = services.permintaan_create(
        field="sosial",
        kind="bansos",
        description="x",
        keluarga=keluarga,
        user=None,
        recorded_on=datetime.date(2026, 3, 2),
    )
    permintaan = _move(permintaan, Status.DIVERIFIKASI, None)
    with pytest.raises(ValidationError):
        _move(permintaan, Status.DITERUSKAN, None, forwarded_to="dinsos")


def test_the_forward_form_offers_the_kabupatens_opd_of_the_field(world, opd_cast, today, client):
    keluarga = factories.keluarga(posyandu=world.posyandu_a)
    permintaan = services.permintaan_create(
        field="sosial",
        kind="bansos",
        description="x",
        keluarga=keluarga,
        user=None,
        recorded_on=datetime.date(2026, 3, 2),
    )
    _move(permintaan, Status.DIVERIFIKASI, None)
    client.force_login(world.users["desa_a1"])
    url = reverse("bidang:permintaan_transition", args=[permintaan.pk])
    page = client.get(reverse("bidang:permintaan_detail", args=[permintaan.pk])).content.decode()
    assert f'value="opd-{opd_cast.dinsos.pk}"' in page and f'value="opd-{opd_cast.dinsos_x.pk}"' not in page
    crafted = client.post(
        url, {"to_status": "diteruskan", "on": "2026-03-05", "forwarded_to": f"opd-{opd_cast.dinsos_x.pk}"}
    )
    assert crafted.status_code == 400  # not a choice: the form says so, nothing moved
    response = client.post(
        url, {"to_status": "diteruskan", "on": "2026-03-05", "forwarded_to": f"opd-{opd_cast.dinsos.pk}"}
    )
    assert response.status_code == 302
    permintaan.refresh_from_db()
    assert (permintaan.status, permintaan.forwarded_opd) == (Status.DITERUSKAN, opd_cast.dinsos)


# ---------------------------------------------------------------------------------------------
# The OPD moves them on
# ---------------------------------------------------------------------------------------------
def test_opd_accepts_then_closes_with_a_note(world, opd_cast, today):
    permintaan = _forwarded(world, opd_cast.dinsos)
    permintaan = _move(permintaan, Status.DITERIMA, opd_cast.officer)
    assert (permintaan.status, permintaan.accepted_on) == (Status.DITERIMA, datetime.date(2026, 3, 5))
    assert permintaan.is_open
    with pytest.raises(ValidationError) as error:
        _move(permintaan, Status.SELESAI, opd_cast.officer)
    assert "note" in error.value.message_dict
    permintaan = _move(permintaan, Status.SELESAI, opd_cast.officer, note="Terdaftar DTKS, bansos Maret")
    assert permintaan.closed_on == datetime.date(2026, 3, 5)
    last = permintaan.riwayat.last()
    assert (last.from_status, last.to_status, last.changed_by, last.note) == (
        "diterima",
        "selesai",
        opd_cast.officer,
        "Terdaftar DTKS, bansos Maret",
    )
    assert permintaan.history.filter(accepted_on=datetime.date(2026, 3, 5)).exists()  # audited


def test_opd_refusal_needs_a_reason(world, opd_cast, today):
    permintaan = _forwarded(world, opd_cast.dinsos)
    with pytest.raises(ValidationError) as error:
        _move(permintaan, Status.DITOLAK, opd_cast.officer, rejection_reason="  ")
    assert "rejection_reason" in error.value.message_dict
    permintaan = _move(permintaan, Status.DITOLAK, opd_cast.officer, rejection_reason="Sudah menerima PKH")
    assert permintaan.rejection_reason == "Sudah menerima PKH"


def test_another_opd_cannot_act_on_the_request(world, opd_cast, today, client):
    permintaan = _forwarded(world, opd_cast.dinsos)
    with pytest.raises(ValidationError):
        _move(permintaan, Status.DITERIMA, opd_cast.other)
    client.force_login(opd_cast.other)
    url = reverse("bidang:permintaan_transition", args=[permintaan.pk])
    assert client.post(url, {"to_status": "diterima", "on": "2026-03-05"}).status_code == 404
    assert client.get(reverse("bidang:permintaan_detail", args=[permintaan.pk])).status_code == 404
    permintaan.refresh_from_db()
    assert permintaan.status == Status.DITERUSKAN


def test_tim_pembina_no_longer_close_a_request_forwarded_to_an_opd(world, opd_cast, today):
    permintaan = _forwarded(world, opd_cast.dinsos)
    with pytest.raises(ValidationError):
        _move(permintaan, Status.SELESAI, world.users["kabupaten"], note="x")
    with pytest.raises(ValidationError):  # accepting is the OPD's step, not the Tim Pembina's
        _move(permintaan, Status.DITERIMA, world.users["kabupaten"])


def test_a_request_forwarded_to_the_kecamatan_cannot_be_accepted_by_an_opd(world, opd_cast, today):
    keluarga = factories.keluarga(posyandu=world.posyandu_a)
    permintaan = services.permintaan_create(
        field="sosial",
        kind="bansos",
        description="x",
        keluarga=keluarga,
        user=None,
        recorded_on=datetime.date(2026, 3, 2),
    )
    permintaan = _move(permintaan, Status.DIVERIFIKASI, None)
    permintaan = _move(permintaan, Status.DITERUSKAN, None, forwarded_to="kecamatan")
    with pytest.raises(ValidationError):
        _move(permintaan, Status.DITERIMA, None)  # even the system: only a request to a named OPD is accepted
    assert _move(permintaan, Status.SELESAI, world.users["kabupaten"]).status == Status.SELESAI


def test_replayed_acceptance_is_refused_and_recorded_once(world, opd_cast, today, client):
    permintaan = _forwarded(world, opd_cast.dinsos)
    client.force_login(opd_cast.officer)
    url = reverse("bidang:permintaan_transition", args=[permintaan.pk])
    data = {"to_status": "diterima", "on": "2026-03-05"}
    assert client.post(url, data).status_code == 302
    replay = client.post(url, data)
    assert replay.status_code == 400
    assert "tidak bisa diubah" in replay.content.decode()
    assert permintaan.riwayat.filter(to_status=Status.DITERIMA).count() == 1


def test_locked_month_refuses_the_opds_step(world, opd_cast, today):
    permintaan = _forwarded(world, opd_cast.dinsos)
    BulanTerkunci.objects.create(posyandu=world.posyandu_a, month=datetime.date(2026, 3, 1))
    with pytest.raises(ValidationError) as error:
        _move(permintaan, Status.DITERIMA, opd_cast.officer)
    assert "Maret 2026" in " ".join(error.value.messages)
    permintaan.refresh_from_db()
    assert permintaan.status == Status.DITERUSKAN


def test_database_refuses_inconsistent_acceptance(world, opd_cast, today):
    permintaan = _forwarded(world, opd_cast.dinsos)
    rows = PermintaanLayanan.objects.filter(pk=permintaan.pk)
    with transaction.atomic(), pytest.raises(IntegrityError):
        rows.update(status=Status.DITERIMA)  # accepted without a date
    with transaction.atomic(), pytest.raises(IntegrityError):
        rows.update(status=Status.DITERIMA, accepted_on=datetime.date(2026, 3, 1))  # before it was forwarded
    with transaction.atomic(), pytest.raises(IntegrityError):
        rows.update(forwarded_opd=None)  # "to the OPD" without naming it


# ---------------------------------------------------------------------------------------------
# The queue: deadlines, most urgent first
# ---------------------------------------------------------------------------------------------
def test_queue_shows_working_days_left_most_urgent_first(world, opd_cast, today, django_assert_num_queries):
    HariLibur.objects.create(date=datetime.date(2026, 3, 16), name="Libur uji")  # Monday
    late = _forwarded(world, opd_cast.dinsos, recorded=datetime.date(2026, 3, 2), verified=datetime.date(2026, 3, 2))
    fresh = _forwarded(world, opd_cast.dinsos, recorded=datetime.date(2026, 3, 12), verified=datetime.date(2026, 3, 12))
    _forwarded(world, opd_cast.dukcapil)  # another OPD's: not in this queue
    closed = _forwarded(world, opd_cast.dinsos)
    _move(closed, Status.DITOLAK, opd_cast.officer, rejection_reason="Ganda")
    # Queries: the open requests forwarded to the OPD (with posyandu, desa, household, person), the holidays.
    with django_assert_num_queries(2):
        queue = selectors.opd_queue(user=opd_cast.officer)
    assert [row.pk for row in queue] == [late.pk, fresh.pk]
    # Late: due Mon 9 March, today Fri 13 → 4 working days late. Fresh: verified Thu 12, due Fri 20
    # (Monday the 16th a holiday) → 4 working days left (17, 18, 19, 20).
    assert [row.days_left for row in queue] == [-4, 4]


def test_home_page_shows_the_queue_with_deadlines(world, opd_cast, today, client):
    late = _forwarded(world, opd_cast.dinsos)
    client.force_login(opd_cast.officer)
    page = client.get(reverse("posyandu:home")).content.decode()
    assert f'data-permintaan="{late.pk}"' in page
    assert "terlambat 3 hari kerja" in page  # due Tue 10 March: 11, 12, 13
    assert "Dinas Sosial" in page


# ---------------------------------------------------------------------------------------------
# What an OPD officer sees
# ---------------------------------------------------------------------------------------------
def test_opd_dashboard_shows_its_fields_figures_only(world, opd_cast, today, client):
    client.force_login(opd_cast.officer)
    response = client.get(reverse("laporan:dashboard"))
    assert response.status_code == 200
    assert response.context["field"] == "sosial"
    assert {indicator.field for indicator in response.context["board"].indicators} == {"sosial"}
    assert [value for value, _label in response.context["fields"]] == ["sosial"]
    assert response.context["flags"] == [] and response.context["strata"] == []
    for other in ("kesehatan", "kelembagaan", "pendidikan"):
        assert client.get(reverse("laporan:dashboard"), {"bidang": other}).status_code == 404
    excel = client.get(reverse("laporan:excel_indikator"), {"bidang": "kesehatan"})
    assert excel.status_code == 404


@pytest.mark.parametrize("rollup", [False, True])
def test_opd_figures_are_its_fields_across_the_kabupaten(world, opd_cast, today, client, settings, rollup):
    """The same numbers as the kabupaten team's for that field, live and from the rollup: the requests
    forwarded to another OPD (or to nobody yet) count in the field's figures, though the OPD's lists
    do not show them."""
    settings.LAPORAN_REKAP = rollup
    _forwarded(world, opd_cast.dinsos, verified=datetime.date(2026, 3, 2))  # late on the 13th
    _forwarded(world, opd_cast.dukcapil, verified=datetime.date(2026, 3, 2))  # late, another OPD's
    _forwarded(world, opd_cast.dinsos, posyandu=world.posyandu_b, verified=datetime.date(2026, 3, 12))
    _forwarded(world, opd_cast.dinsos_x, posyandu=world.posyandu_x)  # Luwu Timur: not in Takalar's figures
    query = {"bidang": "sosial", "periode": "2026-03"}

    def figures(user):
        client.force_login(user)
        board = client.get(reverse("laporan:dashboard"), query).context["board"]
        codes = [i.code for i in board.indicators]
        rows = {row.name: [row.result(code).value for code in codes] for row in board.rows}
        return {r.indicator.code: r.value for r in board.total}, rows

    opd_figures = figures(opd_cast.officer)
    assert opd_figures == figures(world.users["kabupaten"])
    assert opd_figures[0]["permintaan_overdue_sosial"] == 2


@pytest.mark.parametrize(
    "url",
    ["posyandu:warga_list", "layanan:rujukan_list", "bidang:home", "laporan:rakor_pdf", "akun:account_list"],
)
def test_opd_cannot_open_other_pages(world, opd_cast, client, url):
    client.force_login(opd_cast.officer)
    assert client.get(reverse(url)).status_code == 403


def test_opd_list_of_requests_holds_only_its_own(world, opd_cast, today, client):
    mine = _forwarded(world, opd_cast.dinsos)
    theirs = _forwarded(world, opd_cast.dukcapil)
    client.force_login(opd_cast.officer)
    rows = list(client.get(reverse("bidang:permintaan_list")).context["page"].object_list)
    assert [row.pk for row in rows] == [mine.pk]
    assert theirs.pk not in [row.pk for row in rows]


# ---------------------------------------------------------------------------------------------
# OPD kept by the kabupaten team; OPD accounts
# ---------------------------------------------------------------------------------------------
def test_kabupaten_team_registers_and_edits_its_opd(world, client):
    client.force_login(world.users["kabupaten"])
    data = {"kabupaten": "73.05", "name": "Dinas  Sosial", "short_name": "Dinsos", "fields": ["sosial"]}
    assert client.post(reverse("posyandu:opd_create"), data).status_code == 302
    opd = Opd.objects.get()
    assert (opd.name, opd.fields, opd.kabupaten_id) == ("Dinas Sosial", ["sosial"], "73.05")
    again = client.post(reverse("posyandu:opd_create"), {**data, "name": "dinas sosial", "short_name": "DS"})
    assert "Sudah ada OPD dengan nama ini" in again.content.decode()
    assert (
        client.post(reverse("posyandu:opd_create"), {**data, "kabupaten": "73.24"}).status_code == 200
    )  # not a choice
    edit = {"name": "Dinas Sosial P3A", "short_name": "Dinsos P3A", "fields": ["sosial", "trantibum_linmas"]}
    assert client.post(reverse("posyandu:opd_update", args=[opd.pk]), edit).status_code == 302
    opd.refresh_from_db()
    assert opd.fields == ["sosial", "trantibum_linmas"]
    assert opd.history.count() == 2  # audited, and in the kabupaten's change history
    audit = client.get(reverse("laporan:riwayat"), {"periode": f"{dates.today():%Y-%m}"}).content.decode()
    assert "Dinas Sosial P3A" in audit
    empty = client.post(reverse("posyandu:opd_update", args=[opd.pk]), {**edit, "fields": []})
    assert "Pilih sedikitnya satu bidang SPM." in empty.content.decode()


def test_opd_of_another_kabupaten_is_out_of_reach(world, opd_cast, client):
    client.force_login(world.users["kabupaten"])
    assert client.get(reverse("posyandu:opd_update", args=[opd_cast.dinsos_x.pk])).status_code == 404
    client.force_login(world.users["kecamatan_a"])
    assert client.get(reverse("posyandu:opd_list")).status_code == 403
    with pytest.raises(PermissionDenied):
        posyandu_services.opd_create(
            by=world.users["kecamatan_a"], kabupaten=world.kabupaten, name="X", short_name="X", fields=["sosial"]
        )


def test_kabupaten_team_creates_an_opd_account(world, opd_cast):
    account, password = account_services.account_create(
        by=world.users["kabupaten"], first_name="Andi Baso", role=Role.OPD, opd=opd_cast.dinsos
    )
    assert (account.role, account.opd, account.wilayah_id) == (Role.OPD, opd_cast.dinsos, "73.05")
    assert password
    for opd, by in ((opd_cast.dinsos_x, "kabupaten"), (opd_cast.dinsos, "kecamatan_a")):
        with pytest.raises(ValidationError):
            account_services.account_create(by=world.users[by], first_name="Andi", role=Role.OPD, opd=opd)
    with pytest.raises(ValidationError):  # an OPD account names its OPD
        account_services.account_create(by=world.users["kabupaten"], first_name="Andi", role=Role.OPD)


def test_opd_officer_manages_no_accounts(world, opd_cast):
    from posyandu.akun.permissions import assignable_roles

    assert assignable_roles(opd_cast.officer) == []
    assert Role.OPD in assignable_roles(world.users["kabupaten"])
    assert Role.OPD not in assignable_roles(world.users["kecamatan_a"])
