"""The kabupaten's own settings (posyandu.pengaturan): dated versions, read by every figure of their
month, recomputed in the rollup when changed, edited by the kabupaten team only."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kader import selectors as kader_selectors
from kader import services as kader_services
from laporan import indicators as ind
from laporan import rekap
from laporan import selectors as laporan_selectors
from laporan import services as reports
from laporan.models import RekapKotor
from posyandu.pengaturan.models import PengaturanKabupaten
from posyandu.pengaturan.selectors import kabupaten_settings
from posyandu.pengaturan.services import pengaturan_kabupaten_ubah

OCTOBER = datetime.date(2026, 10, 1)
NOVEMBER = datetime.date(2026, 11, 1)
URL = "/laporan/pengaturan/"


def _change(world, *, valid_from=NOVEMBER, by="kabupaten", **values):
    data = {"min_kader": 5, "min_kader_per_field": 1, "deadline_day": 10, "targets": {}, "reason": "Perbup 12/2026"}
    data.update(values)
    return pengaturan_kabupaten_ubah(
        by=world.users[by], kabupaten=world.kabupaten, valid_from=valid_from, target_codes=ind.target_codes(), **data
    )


def _three_kader(world):
    for i in range(3):
        kader_services.kader_register(
            posyandu=world.posyandu_a, name=f"Kader {i}", field="kesehatan", start_date=datetime.date(2026, 1, 5)
        )


def _rollup_min_kader(month) -> int:
    values = rekap.compute(user=None, period=ind.Period.month(month), measures=["posyandu_min_kader"])
    return values.get("total", {}).get("posyandu_min_kader", 0)


def _with_min_kader(world, period):
    values = ind.compute_live(user=None, period=period, measures=["posyandu_min_kader"], group=ind.POSYANDU)
    return {pk for pk, row in values.items() if row["posyandu_min_kader"]}


def test_a_kabupaten_without_settings_uses_the_installation_defaults(world, settings):
    settings.POSYANDU_MIN_KADER, settings.LAPORAN_DEADLINE_DAY = 6, 12
    rules = kabupaten_settings(kabupaten=world.kabupaten, month=NOVEMBER)
    assert (rules.min_kader, rules.deadline_day, rules.targets, rules.version) == (6, 12, {}, None)


def test_each_month_reads_the_version_in_force_then(world, pinned_clock):
    pinned_clock("2026-12-02 09:00")
    _change(world, valid_from=NOVEMBER, min_kader=3)
    _change(world, valid_from=datetime.date(2027, 1, 1), min_kader=7)
    _change(world, valid_from=NOVEMBER, min_kader=4, reason="koreksi")  # the latest made of a month wins
    assert kabupaten_settings(kabupaten="73.05", month=OCTOBER).min_kader == 5  # the default
    assert kabupaten_settings(kabupaten="73.05.01.2001", month=datetime.date(2026, 12, 1)).min_kader == 4
    assert kabupaten_settings(posyandu_id=world.posyandu_a.pk, month=datetime.date(2027, 3, 1)).min_kader == 7
    assert kabupaten_settings(kabupaten=world.posyandu_x.desa_id, month=datetime.date(2027, 3, 1)).min_kader == 5


def test_the_minimum_kader_counts_per_kabupaten_and_month(world, pinned_clock):
    pinned_clock("2026-12-02 09:00")
    _three_kader(world)
    assert world.posyandu_a.pk not in _with_min_kader(world, ind.Period.month(NOVEMBER))
    _change(world, valid_from=NOVEMBER, min_kader=3)
    assert world.posyandu_a.pk in _with_min_kader(world, ind.Period.month(NOVEMBER))
    assert world.posyandu_a.pk not in _with_min_kader(world, ind.Period.month(OCTOBER))  # before the version


def test_the_roster_and_coverage_use_the_kabupatens_minimums(world, pinned_clock):
    pinned_clock("2026-12-02 09:00")
    _change(world, valid_from=NOVEMBER, min_kader=9, min_kader_per_field=2)
    roster = kader_selectors.posyandu_roster(posyandu=world.posyandu_a, user=world.users["pengurus_a"])
    assert roster.minimum_total == 9
    assert {f.minimum for f in roster.fields} == {2}


def test_a_report_is_late_by_its_kabupatens_deadline(world, pinned_clock):
    pinned_clock("2026-11-12 09:00")  # after the default day 10, before day 15
    reports.laporan_get_or_create(posyandu=world.posyandu_a, month=OCTOBER)
    late = ind.compute_live(user=None, period=ind.Period.month(OCTOBER), measures=["laporan_late"])
    assert late["total"]["laporan_late"] == 1
    _change(world, valid_from=OCTOBER, deadline_day=15)
    late = ind.compute_live(user=None, period=ind.Period.month(OCTOBER), measures=["laporan_late"])
    assert late["total"]["laporan_late"] == 0
    assert laporan_selectors.report_deadline(OCTOBER, area=world.desa_a1) == datetime.date(2026, 11, 15)
    assert laporan_selectors.late_posyandu_count(user=world.users["kabupaten"], month=OCTOBER) == 0
    assert laporan_selectors.report_deadline(OCTOBER, area=world.posyandu_x.desa_id) == datetime.date(2026, 11, 10)


@pytest.mark.rekap
def test_a_change_marks_the_kabupatens_posyandu_and_the_rollup_computes_the_months_again(world, pinned_clock):
    pinned_clock("2026-12-02 09:00")
    _three_kader(world)
    months = [OCTOBER, NOVEMBER]
    rekap.refresh(months)
    assert _rollup_min_kader(NOVEMBER) == 0
    _change(world, valid_from=NOVEMBER, min_kader=3)
    marks = dict(RekapKotor.objects.values_list("posyandu_id", "dirty_from"))
    assert marks.get(world.posyandu_a.pk) == NOVEMBER and world.posyandu_x.pk not in marks  # its kabupaten only
    assert _rollup_min_kader(NOVEMBER) == 1
    assert _rollup_min_kader(OCTOBER) == 0


@pytest.mark.rekap
def test_an_approved_month_keeps_the_figures_it_was_approved_with(world, pinned_clock):
    pinned_clock("2026-11-05 09:00")
    _three_kader(world)
    laporan = reports.laporan_get_or_create(posyandu=world.posyandu_a, month=OCTOBER)
    for role, action in (("pengurus_a", "ajukan"), ("desa_a1", "verifikasi"), ("kecamatan_a", "setujui")):
        laporan = reports.laporan_transition(laporan=laporan, action=action, user=world.users[role])
    _change(world, valid_from=OCTOBER, min_kader=3)
    assert _rollup_min_kader(OCTOBER) == 0  # as approved
    assert world.posyandu_a.pk in _with_min_kader(world, ind.Period.month(OCTOBER))  # what a recount says


def test_the_dashboard_uses_the_kabupatens_targets(world, pinned_clock):
    pinned_clock("2026-12-02 09:00")
    _change(world, valid_from=NOVEMBER, targets={"skdn_ds": Decimal("85.5")})
    board = laporan_selectors.dashboard(
        user=world.users["kabupaten"], area=world.kabupaten, period=ind.Period.month(NOVEMBER)
    )
    assert {i.code: i.target for i in board.indicators}["skdn_ds"] == 85.5
    earlier = laporan_selectors.dashboard(
        user=world.users["kabupaten"], area=world.kabupaten, period=ind.Period.month(OCTOBER)
    )
    assert {i.code: i.target for i in earlier.indicators}["skdn_ds"] == ind.INDICATORS["skdn_ds"].target


def test_the_whole_country_says_its_targets_are_the_catalogues(world, login, pinned_clock):
    """An admin's board of every kabupaten cannot show one kabupaten's targets: it says whose they are."""
    pinned_clock("2026-12-02 09:00")
    _change(world, valid_from=NOVEMBER, targets={"skdn_ds": Decimal("85.5")})
    admin = login(world.users["admin"])
    country = admin.get(reverse("laporan:dashboard"), {"periode": "2026-11"}).content.decode()
    assert "data-catalogue-targets" in country and "Target dari katalog indikator" in country
    kabupaten = admin.get(reverse("laporan:dashboard"), {"periode": "2026-11", "wilayah": "73.05"}).content.decode()
    assert "data-catalogue-targets" not in kabupaten  # its own targets (test_the_dashboard_uses_the_kabupatens_targets)


def test_only_the_kabupaten_team_and_admins_change_it_and_only_known_targets(world):
    with pytest.raises(PermissionDenied):
        _change(world, by="kecamatan_a")
    with pytest.raises(ValidationError):
        _change(world, targets={"no_such_indicator": 50})
    assert not PengaturanKabupaten.objects.exists()


def test_the_kabupaten_team_saves_a_version_with_who_and_why_audited(world, login, pinned_clock):
    pinned_clock("2026-12-02 09:00")
    client = login(world.users["kabupaten"])
    page = client.get(URL)
    assert page.status_code == 200 and "Batas tanggal laporan bulanan" in page.content.decode()
    data = {"valid_from": "2027-01", "min_kader": "6", "min_kader_per_field": "2", "deadline_day": "15",
            "reason": "Perbup 3/2027", "target_skdn_ds": "8,5"}  # fmt: skip
    response = client.post(URL, data)
    assert response.status_code == 302
    version = PengaturanKabupaten.objects.get()
    assert (version.valid_from, version.min_kader, version.deadline_day) == (datetime.date(2027, 1, 1), 6, 15)
    assert version.targets == {"skdn_ds": "8.5"} and version.changed_by == world.users["kabupaten"]
    assert version.history.get().history_user == world.users["kabupaten"]
    shown = client.get(URL).content.decode()
    assert "Perbup 3/2027" in shown and "D/S — partisipasi penimbangan: 8,5 %" in shown
    audit = client.get(reverse("laporan:riwayat"), {"periode": "2026-12"}).context["changes"]
    assert [c.model for c in audit if c.model is PengaturanKabupaten] == [PengaturanKabupaten]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("deadline_day", "0", "1 sampai 28"),
        ("deadline_day", "32", "1 sampai 28"),
        ("target_skdn_ds", "150", "antara 0 dan 100"),
        ("min_kader", "8,5", "angka bulat"),
        ("min_kader", "٥", "0–9"),
        ("valid_from", "9999-12", ""),
        ("reason", "", "alasan"),
    ],
)
def test_bad_input_is_refused_in_indonesian_keeping_what_was_typed(world, login, field, value, message):
    client = login(world.users["kabupaten"])
    data = {"valid_from": "2027-01", "min_kader": "6", "min_kader_per_field": "2", "deadline_day": "15",
            "reason": "Perbup 3/2027", "target_skdn_ds": "81"}  # fmt: skip
    data[field] = value
    response = client.post(URL, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors and message.lower() in " ".join(form.errors[field]).lower()
    assert form.data[field] == value and form.data["reason"] == data["reason"]
    assert not PengaturanKabupaten.objects.exists()


def test_the_kecamatan_reads_it_and_cannot_post_and_others_do_not_see_it(world, login):
    kecamatan = login(world.users["kecamatan_a"])
    page = kecamatan.get(URL)
    assert page.status_code == 200 and page.context["form"] is None
    assert kecamatan.post(URL, {"valid_from": "2027-01"}).status_code == 403
    for role in ("kader_a", "pengurus_a", "desa_a1"):
        assert login(world.users[role]).get(URL).status_code == 403
    assert not PengaturanKabupaten.objects.exists()


def test_an_admin_picks_the_kabupaten(world, login):
    admin = login(world.users["admin"])
    first = admin.get(URL).context
    assert first["form"] is not None and {k.code for k in first["choices"]} == {"73.05", "73.24"}
    assert admin.get(URL + "?wilayah=73.24").context["kabupaten"].code == "73.24"
    assert admin.get(URL + "?wilayah=73.05.01").context["kabupaten"] == world.kabupaten  # an area inside it
    assert reverse("laporan:pengaturan") == URL
