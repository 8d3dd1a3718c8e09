"""The five other fields through their services: surveys, schooling, activities, incidents, the request
flow (every illegal transition refused) and the working-day deadline across weekends and holidays."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from layanan import selectors as selectors
from layanan import services as services
from layanan.models import HariLibur, Kejadian, PermintaanLayanan, SurveiKeluarga
from layanan.permissions import TRANSITIONS
from tests import factories

Status = PermintaanLayanan.Status
GOOD_HOUSE = {
    "water_source": "ledeng",
    "water_sufficient": True,
    "latrine": "sendiri_septik",
    "waste_water": "spal_tertutup",
    "rubbish": "diangkut",
    "roof": "baik",
    "walls": "baik",
    "floor": "baik",
    "floor_area_m2": Decimal("54"),
    "occupants": 4,
    "disaster_damage": "tidak",
    "is_poor": False,
    "receives_bansos": False,
    "bansos_programmes": [],
    "disabled_members": 0,
    "neglected_elderly": 0,
    "neglected_children": 0,
    "notes": "",
}


@pytest.fixture
def keluarga(world):
    return factories.keluarga(posyandu=world.posyandu_a, head_name="Baso Daeng Ngalle")


# ---------------------------------------------------------------------------------------------
# Working days
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (datetime.date(2026, 3, 2), datetime.date(2026, 3, 9)),  # Monday → next Monday
        (datetime.date(2026, 3, 6), datetime.date(2026, 3, 13)),  # Friday → next Friday
        (datetime.date(2026, 3, 7), datetime.date(2026, 3, 13)),  # Saturday: Monday is day 1
        (datetime.date(2026, 3, 8), datetime.date(2026, 3, 13)),  # Sunday
    ],
)
def test_five_working_days_skip_weekends(start, expected):
    assert selectors.add_working_days(start, 5, holidays=()) == expected


def test_holidays_from_the_calendar_move_the_deadline(db):
    # Idul Fitri 1447 H (20–21 March 2026) and cuti bersama on the 23rd and 24th.
    for day, name in [(19, "Cuti bersama"), (20, "Idul Fitri"), (23, "Cuti bersama"), (24, "Cuti bersama")]:
        HariLibur.objects.create(date=datetime.date(2026, 3, day), name=name)
    # Verified Wednesday 18 March: 19, 20 holidays; 21–22 weekend; 23, 24 holidays → 25, 26, 27, 30, 31.
    assert selectors.request_deadline(datetime.date(2026, 3, 18)) == datetime.date(2026, 3, 31)
    assert selectors.add_working_days(datetime.date(2026, 3, 18), 0) == datetime.date(2026, 3, 18)


def test_a_holiday_on_a_weekend_changes_nothing(db):
    HariLibur.objects.create(date=datetime.date(2026, 3, 7), name="Sabtu")
    assert selectors.request_deadline(datetime.date(2026, 3, 6)) == datetime.date(2026, 3, 13)


# ---------------------------------------------------------------------------------------------
# Household survey
# ---------------------------------------------------------------------------------------------
def test_survey_computes_safe_water_latrine_and_rtlh_in_the_database(world, keluarga):
    good = services.survei_keluarga_record(
        keluarga=keluarga, survey_date=datetime.date(2026, 1, 5), user=None, values=GOOD_HOUSE
    )
    assert (good.has_safe_water, good.has_proper_latrine, good.is_rtlh) == (True, True, False)
    assert good.area_per_person_m2 == Decimal("13.50")
    bad = services.survei_keluarga_record(
        keluarga=keluarga,
        survey_date=datetime.date(2026, 3, 5),
        user=None,
        values={**GOOD_HOUSE, "water_source": "sungai", "latrine": "cemplung", "floor": "tanah", "occupants": 9},
    )
    assert (bad.has_safe_water, bad.has_proper_latrine, bad.is_rtlh) == (False, False, True)
    assert "lantai tanah" in bad.rtlh_reasons()
    # History kept; the latest is the current state.
    assert list(selectors.survei_latest(user=world.users["admin"])) == [bad]
    assert SurveiKeluarga.objects.filter(keluarga=keluarga).count() == 2


def test_crowded_house_is_rtlh_by_floor_area_per_person(keluarga):
    survei = services.survei_keluarga_record(
        keluarga=keluarga,
        survey_date=datetime.date(2026, 1, 5),
        user=None,
        values={**GOOD_HOUSE, "floor_area_m2": Decimal("21"), "occupants": 3},
    )
    assert survei.is_rtlh  # 7.0 m² per person < 7.2


def test_survey_twice_on_one_date_is_refused(keluarga):
    services.survei_keluarga_record(
        keluarga=keluarga, survey_date=datetime.date(2026, 1, 5), user=None, values=GOOD_HOUSE
    )
    with pytest.raises(ValidationError, match="sudah disurvei"):
        services.survei_keluarga_record(
            keluarga=keluarga, survey_date=datetime.date(2026, 1, 5), user=None, values=GOOD_HOUSE
        )
    with pytest.raises(IntegrityError), transaction.atomic():  # the database refuses it too
        SurveiKeluarga.objects.create(keluarga=keluarga, survey_date=datetime.date(2026, 1, 5), **GOOD_HOUSE)


def test_bansos_needs_its_programme(keluarga):
    with pytest.raises(ValidationError, match="program bansos"):
        services.survei_keluarga_record(
            keluarga=keluarga,
            survey_date=datetime.date(2026, 1, 5),
            user=None,
            values={**GOOD_HOUSE, "is_poor": True, "receives_bansos": True, "bansos_programmes": []},
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveiKeluarga.objects.create(
            keluarga=keluarga, survey_date=datetime.date(2026, 1, 6), **{**GOOD_HOUSE, "receives_bansos": True}
        )


def test_survey_summary_counts_only_the_latest_survey_per_household(world, keluarga):
    other = factories.keluarga(posyandu=world.posyandu_a, head_name="Sitti")
    services.survei_keluarga_record(
        keluarga=keluarga, survey_date=datetime.date(2025, 6, 1), user=None, values={**GOOD_HOUSE, "floor": "tanah"}
    )
    services.survei_keluarga_record(
        keluarga=keluarga, survey_date=datetime.date(2026, 1, 5), user=None, values=GOOD_HOUSE
    )
    services.survei_keluarga_record(
        keluarga=other,
        survey_date=datetime.date(2026, 1, 5),
        user=None,
        values={**GOOD_HOUSE, "is_poor": True, "receives_bansos": True, "bansos_programmes": ["pkh", "bpnt"]},
    )
    summary = selectors.survei_summary(user=world.users["pengurus_a"])
    assert summary["households"] == 2
    assert summary["rtlh"] == 0  # repaired since 2025
    assert summary["poor_with_bansos"] == 1
    assert selectors.survei_summary(user=world.users["kader_b"])["households"] == 0  # another posyandu


# ---------------------------------------------------------------------------------------------
# Schooling, activities, incidents
# ---------------------------------------------------------------------------------------------
def test_out_of_school_child_needs_a_reason(world):
    child = factories.warga(posyandu=world.posyandu_a, birth_date=datetime.date(2015, 4, 1))
    with pytest.raises(ValidationError, match="alasan"):
        services.pendidikan_record(
            warga=child, recorded_on=datetime.date(2026, 2, 1), status="putus_sekolah", user=None
        )
    record = services.pendidikan_record(
        warga=child, recorded_on=datetime.date(2026, 2, 1), status="putus_sekolah", reason="biaya", user=None
    )
    assert record.reason == "biaya"
    rows = selectors.children_schooling(user=world.users["pengurus_a"], on=datetime.date(2026, 3, 1))
    assert [(w.pk, w.school_status) for w in rows] == [(child.pk, "putus_sekolah")]


def test_activity_reporting_month_is_the_first_and_needs_attendance(world):
    kegiatan = services.kegiatan_record(
        posyandu=world.posyandu_a,
        field="pendidikan",
        kind="parenting",
        topic="Pola asuh  anak usia dini",
        date=datetime.date(2026, 3, 12),
        attendance_women=18,
        attendance_men=2,
        user=None,
    )
    assert kegiatan.reporting_month == datetime.date(2026, 3, 1)
    assert kegiatan.topic == "Pola asuh anak usia dini"
    assert kegiatan.attendance == 20
    with pytest.raises(ValidationError, match="peserta"):
        services.kegiatan_record(
            posyandu=world.posyandu_a, field="sosial", kind="kie", topic="x", date=datetime.date(2026, 3, 12), user=None
        )
    with pytest.raises(ValidationError, match="Bulan laporan"):
        services.kegiatan_record(
            posyandu=world.posyandu_a,
            field="sosial",
            kind="kie",
            topic="x",
            date=datetime.date(2026, 3, 12),
            reporting_month=datetime.date(2026, 1, 1),
            attendance_women=3,
            user=None,
        )


def test_kdrt_report_is_always_confidential(world):
    kejadian = services.kejadian_record(
        posyandu=world.posyandu_a,
        kind="kdrt",
        occurred_on=datetime.date(2026, 2, 1),
        place="RT 02",
        description="Laporan tetangga",
        user=None,
        confidential=False,
    )
    assert kejadian.confidential
    with pytest.raises(IntegrityError), transaction.atomic():
        Kejadian.objects.create(
            posyandu=world.posyandu_a, kind="kdrt", occurred_on=datetime.date(2026, 2, 1), place="x", description="x"
        )


def test_confidential_incidents_only_for_recorder_and_desa_and_above(world, bidang_kader):
    trantibum = bidang_kader["trantibum_linmas"]
    secret = services.kejadian_record(
        posyandu=world.posyandu_a,
        kind="kenakalan_remaja",
        occurred_on=datetime.date(2026, 2, 1),
        place="Lapangan",
        description="Tawuran",
        user=trantibum,
        confidential=True,
    )
    public = services.kejadian_record(
        posyandu=world.posyandu_a,
        kind="kebakaran",
        occurred_on=datetime.date(2026, 2, 2),
        place="Dusun II",
        description="Kebakaran dapur",
        user=None,
    )
    other_trantibum = factories_user_trantibum(world)
    seen = {name: set(selectors.kejadian_visible(user=world.users[name])) for name in world.users}
    assert seen["pengurus_a"] == {public}
    assert seen["desa_a1"] == seen["kecamatan_a"] == seen["kabupaten"] == {public, secret}
    assert set(selectors.kejadian_visible(user=trantibum)) == {public, secret}  # the recorder
    assert set(selectors.kejadian_visible(user=other_trantibum)) == {public}


def factories_user_trantibum(world):
    from posyandu import services as posyandu_services
    from posyandu.models import Role

    return posyandu_services.user_create(
        username="trantibum2",
        password="x-rahasia-123",
        role=Role.KADER,
        posyandu=world.posyandu_a,
        field="trantibum_linmas",
    )


# ---------------------------------------------------------------------------------------------
# The request flow
# ---------------------------------------------------------------------------------------------
def _request(world, keluarga, **extra):
    return services.permintaan_create(
        field="perumahan_rakyat",
        kind="rtlh",
        description="Atap bocor, lantai tanah",
        keluarga=keluarga,
        user=world.users["pengurus_a"],
        recorded_on=datetime.date(2026, 3, 2),
        **extra,
    )


def _move(permintaan, to_status, user, on=datetime.date(2026, 3, 4)):
    return services.permintaan_transition(
        permintaan=permintaan,
        to_status=to_status,
        user=user,
        on=on,
        forwarded_to="kecamatan" if to_status == Status.DITERUSKAN else "",
        rejection_reason="Bukan warga desa" if to_status == Status.DITOLAK else "",
    )


def test_request_moves_through_the_whole_flow_with_history(world, keluarga):
    HariLibur.objects.create(date=datetime.date(2026, 3, 6), name="Libur uji")
    permintaan = _request(world, keluarga)
    assert permintaan.posyandu == world.posyandu_a
    permintaan = _move(permintaan, Status.DIVERIFIKASI, world.users["desa_a1"], on=datetime.date(2026, 3, 4))
    # Wed 4 March + 5 working days, Friday the 6th a holiday: 5, 9, 10, 11, 12.
    assert permintaan.due_on == datetime.date(2026, 3, 12)
    permintaan = _move(permintaan, Status.DITERUSKAN, world.users["kecamatan_a"], on=datetime.date(2026, 3, 5))
    permintaan = _move(permintaan, Status.SELESAI, world.users["kabupaten"], on=datetime.date(2026, 3, 11))
    assert permintaan.closed_on == datetime.date(2026, 3, 11)
    history = list(permintaan.riwayat.values_list("from_status", "to_status", "changed_by__username"))
    assert history == [
        ("", "dicatat", "pengurus_a"),
        ("dicatat", "diverifikasi", "desa_a1"),
        ("diverifikasi", "diteruskan", "kecamatan_a"),
        ("diteruskan", "selesai", "kabupaten"),
    ]


# Every (from, to) pair of statuses that the flow does not allow. From "diterima" (a request an OPD
# accepted, reached only through an OPD officer) the steps are tested in tests/layanan/test_opd.py.
ILLEGAL = [(a, b) for a in Status.values for b in Status.values if (a, b) not in TRANSITIONS and a != Status.DITERIMA]


def _at(world, keluarga, status):
    """A request brought (legally) to ``status``."""
    permintaan = _request(world, keluarga)
    path = {
        Status.DICATAT: [],
        Status.DIVERIFIKASI: [Status.DIVERIFIKASI],
        Status.DITERUSKAN: [Status.DIVERIFIKASI, Status.DITERUSKAN],
        Status.SELESAI: [Status.DIVERIFIKASI, Status.DITERUSKAN, Status.SELESAI],
        Status.DITOLAK: [Status.DITOLAK],
    }[status]
    for step in path:
        permintaan = _move(permintaan, step, world.users["admin"])
    return permintaan


@pytest.mark.parametrize(("from_status", "to_status"), ILLEGAL)
def test_every_illegal_transition_is_refused(world, keluarga, from_status, to_status):
    permintaan = _at(world, keluarga, from_status)
    before = permintaan.riwayat.count()
    with pytest.raises(ValidationError, match="tidak bisa diubah"):
        _move(permintaan, to_status, world.users["admin"])
    permintaan.refresh_from_db()
    assert permintaan.status == from_status
    assert permintaan.riwayat.count() == before


@pytest.mark.parametrize(
    ("from_status", "to_status", "refused"),
    [
        (Status.DICATAT, Status.DIVERIFIKASI, ["pengurus_a", "kader_a", "kecamatan_a", "kabupaten"]),
        (Status.DIVERIFIKASI, Status.DITERUSKAN, ["pengurus_a", "kader_a"]),
        (Status.DITERUSKAN, Status.SELESAI, ["pengurus_a", "kader_a", "desa_a1"]),
    ],
)
def test_only_the_right_roles_move_a_request(world, keluarga, from_status, to_status, refused):
    permintaan = _at(world, keluarga, from_status)
    for name in refused:
        with pytest.raises(ValidationError, match="tidak berwenang"):
            _move(permintaan, to_status, world.users[name])


def test_rejection_needs_a_reason(world, keluarga):
    permintaan = _request(world, keluarga)
    with pytest.raises(ValidationError, match="alasan"):
        services.permintaan_transition(
            permintaan=permintaan, to_status=Status.DITOLAK, user=world.users["desa_a1"], on=datetime.date(2026, 3, 3)
        )
    permintaan.refresh_from_db()
    assert permintaan.status == Status.DICATAT


def test_forwarding_needs_a_destination(world, keluarga):
    permintaan = _at(world, keluarga, Status.DIVERIFIKASI)
    with pytest.raises(ValidationError, match="tujuan"):
        services.permintaan_transition(
            permintaan=permintaan,
            to_status=Status.DITERUSKAN,
            user=world.users["desa_a1"],
            on=datetime.date(2026, 3, 5),
        )


def test_request_needs_a_household_or_person(world):
    with pytest.raises(ValidationError, match="keluarga atau warga"):
        services.permintaan_create(field="sosial", kind="bansos", description="x", user=None)


def test_overdue_requests_are_the_open_ones_past_their_deadline(world, keluarga):
    late = _at(world, keluarga, Status.DIVERIFIKASI)  # verified 4 March: due 11 March
    done = _at(world, keluarga, Status.SELESAI)
    _request(world, keluarga)  # not verified: no deadline yet
    user = world.users["desa_a1"]
    assert list(selectors.permintaan_overdue(user=user, today=datetime.date(2026, 3, 11))) == []
    assert list(selectors.permintaan_overdue(user=user, today=datetime.date(2026, 3, 12))) == [late]
    assert done.is_overdue(datetime.date(2026, 4, 1)) is False
    counts = selectors.permintaan_counts(user=user, today=datetime.date(2026, 3, 12))
    assert counts == {"open": 2, "to_verify": 1, "overdue": 1}
