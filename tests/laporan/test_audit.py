"""The audit trail: every change kept with who and when; Tim Pembina read it for their area only."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from laporan import services as lifecycle
from layanan import services as health
from layanan.models import Kunjungan
from posyandu import dates
from posyandu import services as people
from posyandu.models import Warga
from tests.layanan.conftest import person

MARCH = datetime.date(2026, 3, 1)
DECEMBER = "2026-12"  # the audit page's period (?periode=): the month the pinned clock is in


@pytest.fixture(autouse=True)
def _in_december_2026(pinned_clock):
    """The audit rows carry the clock (``history_date``): pin it, before the cast is made, so the
    period asked for is the period they were written in whatever the real date."""
    pinned_clock("2026-12-15")


def _approve(world):
    report = lifecycle.laporan_get_or_create(posyandu=world.posyandu_a, month=MARCH)
    for role, action in (("pengurus_a", "ajukan"), ("desa_a1", "verifikasi"), ("kecamatan_a", "setujui")):
        report = lifecycle.laporan_transition(laporan=report, action=action, user=world.users[role])
    return report


def test_a_visit_entered_and_corrected_in_the_browser_keeps_who_did_what(world, march, login):
    child = person(world.posyandu_a, "Gilang", birth_date=datetime.date(2025, 6, 1))
    client = login(world.users["kader_a"])
    client.post(reverse("layanan:kunjungan_entry", args=[march[3].pk, child.pk]), {"weight_kg": "8,1"})
    visit = Kunjungan.objects.get(warga=child)
    login(world.users["pengurus_a"]).post(reverse("layanan:kunjungan_update", args=[visit.pk]), {"weight_kg": "8,3"})
    history = list(visit.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert history[0].history_user == world.users["kader_a"] and history[0].weight_kg == D("8.10")
    assert history[1].history_user == world.users["pengurus_a"] and history[1].weight_kg == D("8.30")


def test_tim_pembina_see_the_changes_of_their_area_only(world, march, login):
    people.warga_update(warga=Warga.objects.get(name="Ani"), phone="0812")
    other = person(world.posyandu_b, "Orang Lain", birth_date=datetime.date(1990, 1, 1))
    people.warga_update(warga=other, phone="0899")
    response = login(world.users["kecamatan_a"]).get(reverse("laporan:riwayat"), {"periode": DECEMBER})
    changes = response.context["changes"]
    labels = {c.label for c in changes}
    assert any("Ani" in label for label in labels)
    assert not any("Orang Lain" in label for label in labels)
    ani = next(c for c in changes if "Ani" in c.label and c.row.history_type == "~")
    assert "nomor HP" in ani.changed
    page = response.content.decode()
    assert "Riwayat perubahan data" in page and "diubah" in page


def test_changes_made_after_a_month_was_approved_are_listed(world, march, login):
    report = _approve(world)
    lifecycle.laporan_transition(laporan=report, action="buka_kembali", user=world.users["admin"],
                                 comment="Berat Budi salah ketik")  # fmt: skip
    budi = Kunjungan.objects.get(warga__name="Budi", reporting_month=MARCH, kind="posyandu")
    health.kunjungan_record(
        warga=budi.warga, user=world.users["kader_a"], instance=budi, values={"weight_kg": D("11.4")}
    )
    response = login(world.users["kabupaten"]).get(reverse("laporan:riwayat"))
    after = response.context["after_approval"]
    assert [c.label for c in after if c.model is Kunjungan] == [f"Budi (#{budi.pk})"]
    assert "Diubah setelah laporan bulannya disetujui" in response.content.decode()


def test_the_audit_page_query_count_does_not_grow(world, march, login, django_assert_num_queries):
    client = login(world.users["kecamatan_a"])
    client.get(reverse("laporan:riwayat"))
    # session, user; breadcrumbs; per tracked model (24, with the rakor decisions, the kabupaten's settings,
    # the OPD, the Puskesmas and their working areas): its changes and their previous versions (the second
    # only when it has changes: 6 models in this scenario, the cast's Puskesmas working area among them);
    # after approval: 3 models; the account log (one, with actor and account joined)
    with django_assert_num_queries(2 + 1 + 24 + 6 + 3 + 1):
        client.get(reverse("laporan:riwayat"), {"periode": DECEMBER})


def _this_month() -> dict:  # the history is dated when the change was made
    return {"periode": f"{dates.today():%Y-%m}"}


def _kdrt(world, recorder):
    """A confidential KDRT report and an ordinary fire at posyandu A, through the service."""
    from layanan import services as field_services

    common = {"posyandu": world.posyandu_a, "occurred_on": datetime.date(2026, 2, 1), "place": "RT 01"}
    secret = field_services.kejadian_record(kind="kdrt", description="Laporan KDRT", user=recorder, **common)
    fire = field_services.kejadian_record(kind="kebakaran", description="Dapur terbakar", user=recorder, **common)
    return secret, fire


def _incident_ids(changes) -> set[int]:
    from layanan.models import Kejadian

    return {c.row.id for c in changes if c.model is Kejadian}


@pytest.mark.parametrize("role", ["kader_a", "pengurus_a"])
def test_kader_and_pengurus_may_not_open_the_change_history(world, login, bidang_kader, role):
    _kdrt(world, bidang_kader["trantibum_linmas"])
    for user in (world.users[role], bidang_kader["trantibum_linmas"]):
        client = login(user)
        assert client.get(reverse("laporan:riwayat"), _this_month()).status_code == 403
        assert reverse("laporan:riwayat") not in client.get(reverse("laporan:dashboard")).content.decode()


@pytest.mark.parametrize("role", ["desa_a1", "kecamatan_a", "kabupaten", "admin"])
def test_the_readers_of_the_change_history_see_every_incident_they_may_open(world, login, bidang_kader, role):
    secret, fire = _kdrt(world, bidang_kader["trantibum_linmas"])
    client = login(world.users[role])
    assert reverse("laporan:riwayat") in client.get(reverse("laporan:dashboard")).content.decode()
    response = client.get(reverse("laporan:riwayat"), _this_month())
    assert _incident_ids(response.context["changes"]) == {secret.pk, fire.pk}
    assert login(world.users[role]).get(secret.get_absolute_url()).status_code == 200  # the same rule


def test_within_the_history_a_confidential_incident_only_for_whoever_may_open_it(world, bidang_kader):
    """The rule of the incident's own page, applied to the history rows (what the page would list if a
    posyandu role could read it): the recorder and the desa and above, not another kader nor the pengurus."""
    from laporan import audit
    from layanan.selectors import kejadian_visible
    from posyandu import services as posyandu_services
    from posyandu.models import Role

    recorder = bidang_kader["trantibum_linmas"]
    secret, fire = _kdrt(world, recorder)
    other = posyandu_services.user_create(
        username="trantibum_lain", password="x-rahasia-123", role=Role.KADER, posyandu=world.posyandu_a,
        field="trantibum_linmas",
    )  # fmt: skip
    # The fire was marked confidential by mistake, then not: its page is open again, and so is its history.
    for confidential in (True, False):
        fire.confidential = confidential
        fire.save()
    window = {
        "area": None,
        "since": datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
        "until": datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC),
    }
    for user in (recorder, other, world.users["pengurus_a"], world.users["desa_a1"], world.users["kabupaten"]):
        listed = _incident_ids(audit.recent_changes(user=user, **window))
        assert listed == set(kejadian_visible(user=user).values_list("pk", flat=True)), user.username
    assert _incident_ids(audit.recent_changes(user=world.users["pengurus_a"], **window)) == {fire.pk}
    assert _incident_ids(audit.recent_changes(user=other, **window)) == {fire.pk}
    assert _incident_ids(audit.recent_changes(user=recorder, **window)) == {secret.pk, fire.pk}
    assert _incident_ids(audit.recent_changes(user=world.users["kader_a"], **window)) == set()  # another field


def test_the_account_actions_are_in_the_change_history_scoped_like_the_page(world, login):
    from posyandu.akun import services as accounts

    kader, _password = accounts.account_create(
        by=world.users["pengurus_a"], first_name="Sitti Aminah", role="kader", posyandu=world.posyandu_a,
        field="kesehatan",
    )  # fmt: skip
    accounts.account_update(by=world.users["desa_a1"], account=kader, data={"phone": "0812"})
    accounts.account_password_reset(by=world.users["desa_a1"], account=kader)
    accounts.account_unlock(by=world.users["desa_a1"], account=kader)
    accounts.account_deactivate(by=world.users["desa_a1"], account=kader, reason="pindah")
    elsewhere, _password = accounts.account_create(
        by=world.users["admin"], first_name="Orang Luwu", role="kader", posyandu=world.posyandu_x, field="sosial"
    )
    for role in ("desa_a1", "kecamatan_a", "kabupaten", "admin"):
        response = login(world.users[role]).get(reverse("laporan:riwayat"), {"periode": DECEMBER})
        events = response.context["account_changes"]
        mine = [e.action for e in events if e.account == kader]
        assert mine == ["nonaktifkan", "buka_kunci", "sandi_sementara", "ubah", "buat"], role
        assert any(e.account == elsewhere for e in events) is (role == "admin"), role
        assert "kunci login dibuka" in response.content.decode()
    only = login(world.users["kabupaten"]).get(reverse("laporan:riwayat"), {"periode": DECEMBER, "jenis": "akun"})
    assert only.context["changes"] == [] and len(only.context["account_changes"]) == 5
    other = login(world.users["kabupaten"]).get(reverse("laporan:riwayat"), {"periode": DECEMBER, "jenis": "warga"})
    assert other.context["account_changes"] is None
    earlier = login(world.users["kabupaten"]).get(reverse("laporan:riwayat"), {"periode": "2026-11"})
    assert earlier.context["account_changes"] == []  # the period's actions only
