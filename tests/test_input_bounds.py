"""Bounded input: the findings of the integrity review, each reproduced against the demo data.

* NIK, nomor KK and registration numbers typed with non-ASCII digits (fullwidth ７, Arabic-Indic ٧)
  get a clear Indonesian message, never a 500 and never a silent conversion;
* a period outside the years the system holds (``9999-12``, ``0001-01``, ``9999-T4``) is a 404 on every
  page that takes one, and a year like ``99999999999999999999`` too;
* a NUL byte in an area filter is the filter's error, not a 500;
* a home visit's reporting month is the visit's month or the one before, never before the person's
  birth month; a stored visit outside that rule can still be opened and corrected without a 500;
* a refused report action writes nothing (no draft ``LaporanBulanan`` row).
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kader.models import Kader
from laporan.models import LaporanBulanan
from layanan import services as health_services
from layanan.models import Kunjungan
from posyandu import dates, periods
from posyandu.models import Keluarga, Posyandu, Warga
from posyandu.params import is_area_code, is_id
from tests import factories
from tests.test_scope_every_url import (  # noqa: F401 - fixtures
    TABLE,
    _kwargs,
    _targets,
    _targets_snapshot,
    bidang,
    cadres,
    health,
    people,
    rakor_rows,
)

# The scope table's target objects: built once per session, before any test's transaction.
pytestmark = pytest.mark.usefixtures("_targets_snapshot")

FULLWIDTH_KK = "７３０５０１０１０１２０００１"  # 7305010101200001 in fullwidth digits
ARABIC_INDIC_KK = "٧٣٠٥٠١٠١٠١٢٠٠٠١"
NON_ASCII_NUMBERS = [FULLWIDTH_KK, ARABIC_INDIC_KK, "730501010120000٧"]
CLEAR_MESSAGE = "angka biasa 0–9"


def _page(response) -> str:
    return response.content.decode()


# ---------------------------------------------------------------------------------------------
# Identity numbers: ASCII digits only, with a clear message
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("number", NON_ASCII_NUMBERS)
def test_a_household_kk_number_in_other_digits_is_refused_with_a_clear_message(world, login, number):
    response = login(world.users["kader_a"]).post(
        reverse("posyandu:keluarga_create"), {"head_name": "Ahmad Daeng", "kk_number": number, "rt": "1"}
    )
    assert response.status_code == 200
    assert CLEAR_MESSAGE in _page(response)
    assert not Keluarga.objects.exists()


@pytest.mark.parametrize("number", NON_ASCII_NUMBERS)
def test_a_kader_nik_in_other_digits_is_refused_with_a_clear_message(world, login, number):
    response = login(world.users["pengurus_a"]).post(
        reverse("kader:kader_create"),
        {
            "name": "Kader Baru",
            "nik": number,
            "posyandu": world.posyandu_a.pk,
            "field": "kesehatan",
            "start_date": "2024-01-01",
        },
    )
    assert response.status_code == 200
    assert CLEAR_MESSAGE in _page(response)
    assert not Kader.objects.exists()


def test_a_kader_nik_of_ascii_digits_is_still_saved(world, login):
    response = login(world.users["pengurus_a"]).post(
        reverse("kader:kader_create"),
        {
            "name": "Kader Baru",
            "nik": "7305015507900001",
            "posyandu": world.posyandu_a.pk,
            "field": "kesehatan",
            "start_date": "2024-01-01",
        },
    )
    assert response.status_code == 302
    assert Kader.objects.get().nik == "7305015507900001"


@pytest.mark.parametrize("nik", ["７３０５０１１７０５２３０００１", "٧٣٠٥٠١١٧٠٥٢٣٠٠٠١"])
def test_a_person_nik_in_other_digits_is_refused_with_a_clear_message(world, login, nik):
    response = login(world.users["kader_a"]).post(
        reverse("posyandu:warga_create"),
        {"name": "Rizky", "nik": nik, "sex": "L", "birth_date": "2023-05-17"},
    )
    assert response.status_code == 200
    assert CLEAR_MESSAGE in _page(response)
    assert not Warga.objects.exists()


def test_a_registration_number_in_other_digits_is_refused_with_a_clear_message(world):
    posyandu = Posyandu(
        name="Posyandu Uji",
        desa=world.desa_a1,
        registration_number="٧٣.٠٥.٠١.٢٠٠١.٠٠٢",
        formed_on=datetime.date(2020, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        posyandu.full_clean()
    assert CLEAR_MESSAGE in str(error.value.message_dict["registration_number"])


def test_ids_and_area_codes_are_ascii_only():
    assert is_id("12") and not is_id("٧") and not is_id("７") and not is_id("99999999999999999999")
    assert not is_id("0") and not is_id("-1") and not is_id("1\x00")
    assert is_area_code("73.05.01") and is_area_code("73.05.01.2001")
    assert not is_area_code("٧٣.٠٥") and not is_area_code("73.05\x00") and not is_area_code("73.5")


# ---------------------------------------------------------------------------------------------
# Periods: one bounded parser
# ---------------------------------------------------------------------------------------------
def test_the_period_parser_takes_months_quarters_and_years_of_the_years_held():
    last = dates.today().year + 1
    assert periods.parse_period("2026-03").start == datetime.date(2026, 3, 1)
    assert periods.parse_period("2026-t2").end == datetime.date(2026, 6, 1)
    assert periods.parse_period("2000").start == datetime.date(2000, 1, 1)
    assert periods.parse_period(f"{last}-12").end == datetime.date(last, 12, 1)
    for value in ("9999-12", "0001-01", "9999-T4", "1999-12", f"{last + 1}", "2026-13", "2026-00", "2026-T5",
                  "２０２６-０３", "٢٠٢٦", "2026-3", " ", "\x00", "99999999999999999999", "<script>"):  # fmt: skip
        with pytest.raises(periods.PeriodError):
            periods.parse_period(value)
    with pytest.raises(periods.PeriodError):
        periods.parse_month("2026")  # a year where a month is asked for


PERIOD_PAGES = [
    "laporan:dashboard",
    "laporan:kelengkapan",
    "laporan:riwayat",
    "laporan:rakor_pdf",
    "laporan:excel_indikator",
    "laporan:excel_kelengkapan",
]


@pytest.mark.parametrize("url_name", PERIOD_PAGES)
@pytest.mark.parametrize("periode", ["9999-12", "0001-01", "9999-T4", "２０２６-０３"])
def test_a_period_outside_the_years_held_is_not_found(world, login, url_name, periode):
    response = login(world.users["kabupaten"]).get(reverse(url_name), {"periode": periode})
    assert response.status_code == 404


@pytest.mark.parametrize("month", ["9999-12", "0001-01", "1999-12", "٢٠٢٦-٠٣"])
@pytest.mark.parametrize("url_name", ["laporan:laporan_posyandu", "laporan:laporan_pdf"])
def test_a_monthly_report_outside_the_years_held_is_not_found(world, login, url_name, month):
    url = reverse(url_name, args=[world.posyandu_a.pk, month])
    assert login(world.users["kecamatan_a"]).get(url).status_code == 404


def test_the_first_month_held_still_opens(world, login):
    url = reverse("laporan:laporan_posyandu", args=[world.posyandu_a.pk, f"{periods.FIRST_YEAR}-01"])
    page = _page(login(world.users["kecamatan_a"]).get(url))
    assert f"/{periods.FIRST_YEAR}-01/" in page or "Januari" in page


@pytest.mark.parametrize("tahun", ["99999999999999999999", "9999", "٢٠٢٦", "２０２６", "\x00"])
def test_a_training_year_outside_the_years_held_is_not_found(world, login, tahun):
    response = login(world.users["kabupaten"]).get(reverse("kader:pelatihan_list"), {"tahun": tahun})
    assert response.status_code == 404


def test_a_training_year_held_filters_the_list(world, login):
    response = login(world.users["kabupaten"]).get(reverse("kader:pelatihan_list"), {"tahun": "2026"})
    assert response.status_code == 200


def test_a_coverage_year_outside_the_years_held_is_the_forms_error(world, login):
    response = login(world.users["kabupaten"]).get(reverse("kader:coverage"), {"year": "99999999999999999999"})
    assert response.status_code == 200
    assert "Tahun harus antara" in _page(response) or "Pastikan" in _page(response)
    response = login(world.users["kabupaten"]).get(reverse("kader:coverage"), {"year": "1999"})
    assert "Tahun harus antara" in _page(response)


# ---------------------------------------------------------------------------------------------
# Query parameters: no NUL, ids and codes ASCII
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("posyandu:list", {"kecamatan": "\x00"}),
        ("posyandu:list", {"desa": "\x00"}),
        ("posyandu:list", {"wilayah": "\x00"}),
        ("kader:kader_list", {"kecamatan": "\x00"}),
        ("kader:coverage", {"kecamatan": "\x00"}),
        ("posyandu:warga_list", {"posyandu": "\x00"}),
    ],
)
def test_a_nul_byte_in_an_area_or_posyandu_filter_is_not_a_server_error(world, login, url_name, params):
    assert login(world.users["kabupaten"]).get(reverse(url_name), params).status_code == 200


@pytest.mark.parametrize("value", ["\x00", "٧٣.٠٥", "99999999999999999999", "'<script>"])
def test_a_malformed_report_area_or_field_is_not_found(world, login, value):
    client = login(world.users["kabupaten"])
    assert client.get(reverse("laporan:dashboard"), {"wilayah": value}).status_code == 404
    assert client.get(reverse("laporan:dashboard"), {"bidang": value}).status_code == 404


def test_an_id_in_other_digits_is_not_converted(world, login):
    """``?keluarga=٧`` is not household 7: a 404, where int() would have opened it."""
    keluarga = factories.keluarga(posyandu=world.posyandu_a, head_name="Basri")
    arabic = str(keluarga.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    client = login(world.users["kader_a"])
    assert client.get(reverse("posyandu:warga_create"), {"keluarga": arabic}).status_code == 404
    assert client.get(reverse("posyandu:warga_create"), {"keluarga": keluarga.pk}).status_code == 200


# ---------------------------------------------------------------------------------------------
# The home visit's reporting month
# ---------------------------------------------------------------------------------------------
def _child(world, birth_date=datetime.date(2025, 1, 1)):
    return factories.warga(posyandu=world.posyandu_a, name="Nina", sex="P", birth_date=birth_date)


@pytest.mark.parametrize(
    ("reporting_month", "message"),
    [
        ("9999-12", "Periode harus antara tahun"),
        ("0001-01", "Periode harus antara tahun"),
        ("2026-04", "harus bulan tanggal kunjungan atau bulan sebelumnya"),
        ("2026-01", "harus bulan tanggal kunjungan atau bulan sebelumnya"),
        ("٢٠٢٦-٠٣", "Masukkan bulan"),
    ],
)
def test_a_home_visit_month_must_be_the_visit_month_or_the_one_before(world, login, reporting_month, message):
    girl = _child(world)
    response = login(world.users["kader_a"]).post(
        reverse("layanan:kunjungan_rumah", args=[girl.pk]),
        {"visit_date": "2026-03-21", "reporting_month": reporting_month, "weight_kg": "9,2"},
    )
    assert response.status_code == 200
    assert message in _page(response)
    assert not Kunjungan.objects.exists()


@pytest.mark.parametrize("reporting_month", ["2026-03", "2026-02", ""])
def test_a_home_visit_in_its_month_or_the_one_before_is_saved(world, login, reporting_month):
    girl = _child(world)
    response = login(world.users["kader_a"]).post(
        reverse("layanan:kunjungan_rumah", args=[girl.pk]),
        {"visit_date": "2026-03-02", "reporting_month": reporting_month, "weight_kg": "9,2"},
    )
    assert response.status_code == 302
    assert Kunjungan.objects.get().reporting_month == datetime.date(2026, 3 if reporting_month != "2026-02" else 2, 1)


def test_a_home_visit_month_before_the_birth_month_is_refused(world, login):
    baby = _child(world, birth_date=datetime.date(2026, 3, 1))
    response = login(world.users["kader_a"]).post(
        reverse("layanan:kunjungan_rumah", args=[baby.pk]),
        {"visit_date": "2026-03-05", "reporting_month": "2026-02", "weight_kg": "3,4"},
    )
    assert response.status_code == 200
    assert "sebelum bulan lahir" in _page(response)
    assert not Kunjungan.objects.exists()


def test_the_service_refuses_a_month_outside_the_rule_too(world):
    girl = _child(world)
    for month in (datetime.date(9999, 12, 1), datetime.date(1, 1, 1), datetime.date(2024, 12, 1)):
        with pytest.raises(ValidationError) as error:
            health_services.kunjungan_record(
                warga=girl,
                user=None,
                visit_date=datetime.date(2026, 3, 21),
                reporting_month=month,
                values={"weight_kg": Decimal("9.2")},
            )
        assert "reporting_month" in error.value.message_dict
    assert not Kunjungan.objects.exists()


@pytest.mark.parametrize("stored", [datetime.date(9999, 12, 1), datetime.date(1, 1, 1)])
def test_correcting_a_visit_stored_outside_the_rule_is_not_a_server_error(world, login, stored):
    """Rows saved before the rule existed: the correction page opens and saves (or explains)."""
    girl = _child(world)
    visit = health_services.kunjungan_record(
        warga=girl, user=None, visit_date=datetime.date(2026, 3, 21), values={"weight_kg": Decimal("9.2")}
    )
    Kunjungan.objects.filter(pk=visit.pk).update(reporting_month=stored)
    client = login(world.users["kader_a"])
    url = reverse("layanan:kunjungan_update", args=[visit.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"weight_kg": "9,3", "version": ""})
    assert response.status_code in (200, 302)


# ---------------------------------------------------------------------------------------------
# A refused report action writes nothing
# ---------------------------------------------------------------------------------------------
def _act(client, world, month, action):
    url = reverse("laporan:laporan_transition", args=[world.posyandu_a.pk, month])
    return client.post(url, {"action": action})


@pytest.mark.parametrize(("role", "action"), [("kader_a", "setujui"), ("kader_a", "ajukan"), ("pengurus_a", "setujui")])
def test_a_refused_report_action_creates_no_report_row(world, login, role, action):
    response = _act(login(world.users[role]), world, "2026-03", action)
    assert response.status_code == 403
    assert not LaporanBulanan.objects.exists()


def test_an_action_not_possible_from_the_status_creates_no_report_row(world, login):
    response = _act(login(world.users["kecamatan_a"]), world, "2026-03", "setujui")  # nothing submitted yet
    assert response.status_code == 302
    assert not LaporanBulanan.objects.exists()


def test_an_unknown_action_creates_no_report_row(world, login):
    assert _act(login(world.users["admin"]), world, "2026-03", "hapus").status_code == 302
    assert not LaporanBulanan.objects.exists()


@pytest.mark.parametrize("month", ["0001-01", "9999-12"])
def test_a_report_action_on_a_month_outside_the_years_held_is_not_found_and_writes_nothing(world, login, month):
    for role, action in (("kader_a", "setujui"), ("pengurus_a", "ajukan"), ("admin", "ajukan")):
        assert _act(login(world.users[role]), world, month, action).status_code == 404
    assert not LaporanBulanan.objects.exists()
    assert (
        login(world.users["admin"])
        .get(reverse("laporan:laporan_posyandu", args=[world.posyandu_a.pk, month]))
        .status_code
        == 404
    )


def test_a_permitted_report_action_still_creates_the_report(world, login):
    response = _act(login(world.users["pengurus_a"]), world, "2026-03", "ajukan")
    assert response.status_code == 302
    assert LaporanBulanan.objects.get().status == LaporanBulanan.Status.DIAJUKAN


# ---------------------------------------------------------------------------------------------
# Dates and whole numbers typed in forms: ASCII digits, within bounds
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("term_end", "message"),
    [
        ("9999-12-31", "Tanggal harus antara tahun"),
        ("0001-01-01", "Tanggal harus antara tahun"),
        ("٢٠٢٧-٠١-٠١", CLEAR_MESSAGE),
        ("２０２７-０１-０１", CLEAR_MESSAGE),
    ],
)
def test_a_date_out_of_bounds_or_in_other_digits_is_the_forms_error(world, login, term_end, message):
    from posyandu.models import Pengurus

    count = Pengurus.objects.count()
    response = login(world.users["desa_a1"]).post(
        reverse("posyandu:pengurus_create", args=[world.posyandu_a.pk]),
        {"position": "sekretaris", "name": "Rahmawati", "term_start": "2026-01-01", "term_end": term_end},
    )
    assert response.status_code == 200
    assert message in _page(response)
    assert Pengurus.objects.count() == count


def test_a_visit_date_in_other_digits_is_refused_not_converted(world, login):
    girl = _child(world)
    response = login(world.users["kader_a"]).post(
        reverse("layanan:kunjungan_rumah", args=[girl.pk]), {"visit_date": "٢٠٢٦-٠٣-٢١", "weight_kg": "9,2"}
    )
    assert response.status_code == 200 and CLEAR_MESSAGE in _page(response)
    assert not Kunjungan.objects.exists()


@pytest.mark.parametrize("rt", ["٣", "３"])
def test_an_rt_in_other_digits_is_refused_not_converted(world, login, rt):
    response = login(world.users["kader_a"]).post(reverse("posyandu:keluarga_create"), {"head_name": "Ahmad", "rt": rt})
    assert "RT diisi angka 1 sampai 999" in _page(response)
    assert not Keluarga.objects.exists()


@pytest.mark.parametrize("weight", ["٩,٢", "９.２"])
def test_a_measurement_in_other_digits_is_refused_not_converted(world, login, weight):
    girl = _child(world)
    response = login(world.users["kader_a"]).post(
        reverse("layanan:kunjungan_rumah", args=[girl.pk]), {"visit_date": "2026-03-21", "weight_kg": weight}
    )
    assert response.status_code == 200 and CLEAR_MESSAGE in _page(response)
    assert not Kunjungan.objects.exists()


# ---------------------------------------------------------------------------------------------
# No refused action writes anything, on any URL
# ---------------------------------------------------------------------------------------------
REFUSING = sorted(
    name
    for name, case in TABLE.items()
    if name not in {"logout", "login"} and any(status in (403, 404) for status in case.inside.values())
)


@pytest.mark.parametrize("url_name", REFUSING)
def test_a_refused_post_writes_nothing(request, world, client, url_name):
    """Every role the scope table refuses (403, or 404 for what it may not see) posts the case's data,
    or an empty form to a page: the refusal stands and no table changes."""
    from tests.test_fuzz_forms import _table_counts

    case = TABLE[url_name]
    url = reverse(url_name, kwargs=_kwargs(request, world, case.target) if case.target else {})
    before = _table_counts()
    for role, status in case.inside.items():
        if status not in (403, 404):
            continue
        client.force_login(world.users[role])
        response = client.post(url, case.data)
        # 405: a page that only answers GET refuses the method before it asks who is posting
        assert response.status_code in (status, 405), (url_name, role, response.status_code)
    assert _table_counts() == before, f"{url_name}: a refused POST wrote"
