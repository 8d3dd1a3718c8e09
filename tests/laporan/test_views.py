"""Dashboards, PDFs and Excel read the same numbers; query counts do not grow with the posyandu."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from laporan import indicators as ind
from tests import factories
from tests.pdf import pdf_text

pytestmark = pytest.mark.rekap  # the dashboards as production reads them: from the monthly rollup

MARCH = "2026-03"


def _dashboard(client, **params):
    return client.get(reverse("laporan:dashboard"), {"periode": MARCH, **params})


def test_the_kabupaten_dashboard_drills_down_to_kecamatan_and_shows_the_scenario(world, march, login):
    client = login(world.users["kabupaten"])
    response = _dashboard(client)
    board = response.context["board"]
    totals = {r.indicator.code: r for r in board.total}
    assert (totals["skdn_ds"].numerator, totals["skdn_ds"].denominator) == (5, 6)  # A's five + Fajar of B
    page = response.content.decode()
    assert "Kec. Mappakasunggu" in page and "Tren 12 bulan" in page and 'id="trend-data"' in page
    rows = {row.name: row for row in response.context["rows"]}
    assert rows["Kec. Mappakasunggu"].result("skdn_ds").display == "80,0 %"
    # drill into kecamatan A, then its desa (whose children are posyandu)
    kecamatan = _dashboard(client, wilayah=world.kecamatan_a.code)
    assert {row.name for row in kecamatan.context["rows"]} == {world.desa_a1.display_name, world.desa_a2.display_name}
    desa = _dashboard(client, wilayah=world.desa_a1.code)
    assert desa.context["drill_posyandu"] and [row.name for row in desa.context["rows"]] == ["Posyandu Mawar"]
    flags = {flag.posyandu.name: flag.reasons for flag in desa.context["flags"]}
    assert "belum melapor" in flags["Posyandu Mawar"]


def test_an_area_outside_the_scope_falls_back_to_the_users_own(world, march, login):
    client = login(world.users["kecamatan_a"])
    response = _dashboard(client, wilayah=world.kecamatan_b.code)
    assert response.context["area"] == world.kecamatan_a


def test_a_field_page_lists_that_fields_indicators(world, march, login):
    response = _dashboard(login(world.users["kabupaten"]), bidang="kesehatan")
    codes = [c.code for c in response.context["columns"]]
    assert "stunting" in codes and "laporan_submitted" not in codes


@pytest.mark.parametrize("extra", [0, 30])
def test_the_dashboard_query_count_does_not_grow_with_posyandu(world, march, login, django_assert_num_queries, extra):
    for index in range(extra):
        factories.posyandu(desa=world.desa_b1, name=f"Posyandu Tambahan {index}")
    client = login(world.users["kabupaten"])
    _dashboard(client)  # warm the session and the user
    # session, user (with its area); from the monthly rollup, five readers each asking whether
    # anything is stale (months held, marks) and then one grouped sum: the indicators by child area
    # (the league table; the totals are its sum), the 12-month trend by month, the red flags by
    # posyandu, and for the strata the 12-month sums and the month-end states by posyandu; child
    # area names; the posyandu of the red flags (their ids) and the flagged ones shown (at most 15);
    # the posyandu of the strata; breadcrumbs; for "Perlu perhatian" the previous month's indicators
    # by child area (a sixth reader: months held, marks, sum), late posyandu, returned reports and
    # overdue requests per field, and rakor decisions past their deadline; for the map of the posyandu,
    # the posyandu with their desa names and the chosen indicator by posyandu (a seventh reader: months
    # held, marks, sum); the kabupaten's settings in force (targets, deadline); the Puskesmas of the scope
    # (the chooser of a Puskesmas area). (Live: 62 without them.)
    with django_assert_num_queries(35):
        _dashboard(client)


@pytest.mark.parametrize("extra", [0, 30])
def test_the_completeness_page_query_count_does_not_grow(world, march, login, django_assert_num_queries, extra):
    for index in range(extra):
        factories.posyandu(desa=world.desa_a1, name=f"Posyandu Tambahan {index}")
    client = login(world.users["kecamatan_a"])
    client.get(reverse("laporan:kelengkapan"))
    # session, user (with its area); posyandu with desa and kecamatan, their reports; the month's
    # records per field grouped by posyandu (visits, activities, requests, surveys, schooling,
    # incidents: 6); breadcrumbs; the kabupaten's deadline (for the rows, and for the page's heading)
    with django_assert_num_queries(13):
        client.get(reverse("laporan:kelengkapan"), {"periode": MARCH})


@pytest.mark.parametrize("extra", [0, 30])
def test_the_completeness_excel_query_count_does_not_grow(world, march, login, django_assert_num_queries, extra):
    for index in range(extra):
        factories.posyandu(desa=world.desa_a1, name=f"Posyandu Tambahan {index}")
    client = login(world.users["kecamatan_a"])
    client.get(reverse("laporan:kelengkapan"))
    # session, user (with its area); posyandu with desa and kecamatan, their reports; the month's
    # records per field grouped by posyandu (visits, activities, requests, surveys, schooling,
    # incidents: 6); the kabupaten's deadline (for the rows, and for the sheet's heading)
    with django_assert_num_queries(12):
        response = client.get(reverse("laporan:excel_kelengkapan"), {"periode": MARCH})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=3, values_only=True))
    assert sum(1 for row in rows if row and str(row[0]).startswith("Posyandu Tambahan")) == extra


def test_the_rakor_pdf_has_the_cover_fields_league_flags_and_who_has_not_reported(world, march, login):
    response = login(world.users["kabupaten"]).get(reverse("laporan:rakor_pdf"), {"periode": MARCH})
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Bahan Rapat Koordinasi Posyandu" in text and "Kabupaten Takalar" in text and "Maret 2026" in text
    assert "Prevalensi stunting" in text and "Kec. Mappakasunggu" in text and "Kec. Mangarabombang" in text
    assert "Posyandu yang belum melapor (3)" in text and "Posyandu Anggrek" in text
    # grouped per kecamatan (with its count) and desa, a paragraph each instead of a table row per posyandu
    assert "Kec. Mappakasunggu — 2 dari 2 posyandu" in text and "Kec. Mangarabombang — 1 dari 1 posyandu" in text
    assert "D/S — partisipasi penimbangan 83,3 %" in text  # 5 of 6 in the kabupaten, as on the dashboard
    assert "Halaman 1 dari" in text


def test_the_rakor_annex_lists_only_the_posyandu_still_without_a_report(world, march, login):
    from laporan import services

    laporan = services.laporan_get_or_create(posyandu=world.posyandu_a, month=datetime.date(2026, 3, 1))
    services.laporan_transition(laporan=laporan, action="ajukan", user=world.users["pengurus_a"])
    response = login(world.users["kabupaten"]).get(reverse("laporan:rakor_pdf"), {"periode": MARCH})
    annex = pdf_text(response.content).split("Posyandu yang belum melapor")[1]
    assert annex.startswith(" (2)")
    assert "Kec. Mappakasunggu — 1 dari 2 posyandu" in annex and "Posyandu Melati" in annex
    assert "Posyandu Mawar" not in annex and "Kec. Mangarabombang — 1 dari 1 posyandu" in annex


def test_the_f2_pdf_has_skdn_by_age_band_and_sex(world, march, login):
    url = reverse("laporan:laporan_pdf", args=[world.posyandu_a.pk, MARCH])
    text = pdf_text(login(world.users["kader_a"]).get(url).content)
    assert "Rekapitulasi bulanan posyandu (format F2)" in text and "Posyandu Mawar" in text and "Maret 2026" in text
    assert "N/D 50,0 %" in text and "D/S 80,0 %" in text
    for band in ("0–5", "6–11", "12–23", "24–35", "36–59"):
        assert band in text


def test_the_excel_export_agrees_with_the_dashboard(world, march, login):
    client = login(world.users["kabupaten"])
    board = _dashboard(client).context["board"]
    response = client.get(reverse("laporan:excel_indikator"), {"periode": MARCH})
    workbook = load_workbook(io.BytesIO(response.content))
    summary = {row[1]: row for row in workbook["Ringkasan"].iter_rows(min_row=3, values_only=True)}
    for result in board.total:
        value = summary[result.indicator.code][3]
        expected = result.value / 100 if result.indicator.is_ratio and result.value is not None else result.value
        assert value == pytest.approx(expected), result.indicator.code
    names = {row[0] for row in workbook["Per wilayah"].iter_rows(values_only=True)}
    assert {"Kec. Mappakasunggu", "Kec. Mangarabombang"} <= names


def test_the_register_export_masks_nik_for_tim_pembina_and_keeps_names_as_text(world, login):
    factories.warga(posyandu=world.posyandu_a, name="=HYPERLINK(\"x\")", nik="7305011705230001",
                    birth_date=datetime.date(2023, 5, 17))  # fmt: skip
    rows = {}
    for role in ("kecamatan_a", "kader_a", "pengurus_a"):
        content = login(world.users[role]).get(reverse("laporan:excel_warga")).getvalue()  # streamed
        sheet = load_workbook(io.BytesIO(content)).active
        rows[role] = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if "HYPERLINK" in str(row[0]))
    assert rows["kecamatan_a"][1] == "730501••••••0001"
    assert rows["kader_a"][1] == "730501••••••0001"  # in bulk, full only for the register's keepers
    assert rows["pengurus_a"][1] == "7305011705230001"
    assert rows["pengurus_a"][0] == '\'=HYPERLINK("x")'  # never evaluated as a formula


def test_the_catalogue_defines_each_indicator_once_with_known_measures():
    codes = [indicator.code for indicator in ind.CATALOGUE]
    assert len(codes) == len(set(codes))
    for indicator in ind.CATALOGUE:
        assert all(measure in ind.MEASURES for measure in indicator.measures), indicator.code


def test_every_indicator_has_a_unique_title_and_a_one_line_definition():
    names = [str(indicator.name) for indicator in ind.CATALOGUE]
    assert len(names) == len(set(names)), sorted(n for n in names if names.count(n) > 1)
    for indicator in ind.CATALOGUE:
        definition = indicator.definition  # a missing measure or source label raises KeyError
        assert "Sumber:" in definition and "\n" not in definition, indicator.code
        assert ("Pembilang:" in definition and "Penyebut:" in definition) == indicator.is_ratio, indicator.code


def test_every_indicator_renders_a_number_or_belum_ada_data_on_a_demo_like_month(world, march, login):
    """Households registered today with surveys months ago (as the demo and a bulk import make them):
    "Keluarga sudah disurvei" showed "– 29742 / 0". Every card now shows a figure or says so."""
    from tests.laporan.test_indicators_spm_fields import _scenario

    _scenario(world)  # three households created now, surveyed in January and March 2026
    response = _dashboard(login(world.users["kabupaten"]))
    page = response.content.decode()
    totals = {r.indicator.code: r for r in response.context["board"].total}
    assert (totals["households_surveyed"].numerator, totals["households_surveyed"].denominator) == (3, 3)
    assert totals["households_surveyed"].display == "100,0 %"
    for code, result in totals.items():
        assert f'id="indikator-{code}"' in page, code
        assert result.display == "belum ada data" or result.display[0].isdigit(), (code, result.display)
        if result.indicator.is_ratio:
            assert result.has_data == bool(result.denominator), code
            assert not result.denominator or result.numerator <= result.denominator, (code, result)
    assert "– " not in page.split('id="perlu-perhatian"')[1].split("Strata posyandu")[0]
    assert "Perlu perhatian" in page


def _sheet_rows(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.getvalue())).active  # a streamed register too
    header, *rows = list(sheet.iter_rows(values_only=True))
    return header, rows


def test_the_kader_register_export_follows_the_list_filters_and_masks_nik_for_tim_pembina(world, login):
    from kader import services as kader_services
    from kader.models import Kader

    start = datetime.date(2016, 1, 4)
    sitti = kader_services.kader_register(posyandu=world.posyandu_a, name="Sitti Ma'rifah", field="sosial",
                                          start_date=start, nik="7305014302950002", sk_number="SK-12/2016")  # fmt: skip
    kader_services.kader_register(posyandu=world.posyandu_a, name="Baso", field="kesehatan", start_date=start)
    kader_services.kader_register(posyandu=world.posyandu_b, name="Lain Kecamatan", field="sosial", start_date=start)
    assert Kader.objects.count() == 3
    header, rows = _sheet_rows(
        login(world.users["kecamatan_a"]).get(reverse("laporan:excel_kader"), {"field": "sosial"})
    )
    assert header[:4] == ("Nama", "NIK", "Nomor HP", "Bidang") and header[-1] == "Pelatihan diikuti"
    assert [row[0] for row in rows] == ["Sitti Ma'rifah"]  # the filter holds; kecamatan B is out of scope
    row = rows[0]
    assert row[1] == "730501••••••0002" and row[3] == "Sosial" and row[4] == "Posyandu Mawar"
    assert row[7] == "SK-12/2016" and row[10] == "Aktif" and row[13] == 0
    _header, own = _sheet_rows(login(world.users["pengurus_a"]).get(reverse("laporan:excel_kader")))
    assert {r[0]: r[1] for r in own}["Sitti Ma'rifah"] == sitti.nik  # the posyandu's own pengurus keep it


def test_the_household_register_export_carries_each_households_latest_survey(world, login):
    from tests.laporan.test_indicators_spm_fields import _scenario

    _scenario(world)
    factories.keluarga(posyandu=world.posyandu_a, head_name="Belum Disurvei", kk_number="7305010101230007")
    factories.keluarga(posyandu=world.posyandu_b, head_name="Kecamatan Lain")
    header, rows = _sheet_rows(login(world.users["kecamatan_a"]).get(reverse("laporan:excel_keluarga")))
    by_head = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(by_head) == {"Baso", "Daeng", "Ina", "Belum Disurvei"}  # scope: not kecamatan B
    daeng = by_head["Daeng"]
    assert daeng["Survei terakhir"] == datetime.datetime(2026, 3, 5)
    assert daeng["Air layak"] == "tidak" and daeng["Jamban layak"] == "tidak" and daeng["RTLH"] == "ya"
    assert daeng["Luas lantai per orang (m²)"] == 4.0 and daeng["Program bansos"] == "PKH"
    assert by_head["Ina"]["Keluarga miskin"] == "tidak"  # March, not the January survey
    assert by_head["Belum Disurvei"]["Survei terakhir"] is None
    assert by_head["Belum Disurvei"]["Nomor KK"] == "730501••••••0007"


@pytest.mark.parametrize("extra", [0, 30])
def test_register_exports_query_count_does_not_grow(world, login, django_assert_num_queries, extra):
    """Whatever the number of rows, each register is one query, streamed (the 100,000-row timings are
    `make bench`'s): no query per row, per household's survey or per posyandu."""
    from kader import services as kader_services
    from layanan import services as bidang
    from tests.layanan.test_spm_fields_services import GOOD_HOUSE

    surveyor = world.users["pengurus_a"]
    for index in range(extra):
        unit = world.posyandu_a if index % 2 else world.posyandu_a2
        household = factories.keluarga(posyandu=unit, head_name=f"Keluarga {index}",
                                       kk_number=f"7305010101{index + 1:06d}")  # fmt: skip
        if index % 3:
            bidang.survei_keluarga_record(keluarga=household, survey_date=datetime.date(2026, 3, 5), user=surveyor,
                                          values=GOOD_HOUSE)  # fmt: skip
        born = datetime.date(2023, 5, 17)
        factories.warga(posyandu=household.posyandu, name=f"Warga {index}", keluarga=household, birth_date=born,
                        nik=factories.nik(kecamatan="730501", birth_date=born, sex="L", serial=index + 1))  # fmt: skip
        kader_services.kader_register(posyandu=world.posyandu_a, name=f"Kader {index}", field="sosial",
                                      start_date=datetime.date(2020, 1, 1))  # fmt: skip
    for role in ("kecamatan_a", "pengurus_a"):  # masked numbers, full numbers
        client = login(world.users[role])
        client.get(reverse("laporan:excel_keluarga")).getvalue()
        # Each: session, user; the register's one query, read from a server-side cursor inside a
        # transaction (here a savepoint and its release; in production BEGIN and COMMIT):
        # the households with their latest survey in the same query,
        with django_assert_num_queries(5):
            households = client.get(reverse("laporan:excel_keluarga")).getvalue()
        # the people with posyandu, desa, kecamatan and mother,
        with django_assert_num_queries(5):
            people = client.get(reverse("laporan:excel_warga")).getvalue()
        # the kader with their trainings counted.
        with django_assert_num_queries(5):
            client.get(reverse("laporan:excel_kader")).getvalue()
        expected = extra if role == "kecamatan_a" else extra // 2  # the pengurus: posyandu A's half
        rows = list(load_workbook(io.BytesIO(households)).active.iter_rows(values_only=True))
        assert len([row for row in rows if str(row[0]).startswith("Keluarga ")]) == expected
        rows = list(load_workbook(io.BytesIO(people)).active.iter_rows(values_only=True))
        assert len([row for row in rows if str(row[0]).startswith("Warga ")]) == expected


def test_a_register_is_a_streamed_response_that_opens_as_one_workbook(world, login):
    for index in range(9):
        factories.warga(posyandu=world.posyandu_a, name=f"Warga {index}", birth_date=datetime.date(2020, 1, 1 + index))
    response = login(world.users["pengurus_a"]).get(reverse("laporan:excel_warga"))
    assert response.streaming and response["Content-Disposition"].startswith('attachment; filename="register-warga-')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [name for name in names if name.startswith("Warga ")] == [f"Warga {index}" for index in range(9)]


def test_the_rakor_cover_opens_with_key_messages_computed_from_the_data(world, march, login, pinned_clock):
    pinned_clock("2026-04-20")  # after the March reports' deadline
    response = login(world.users["kabupaten"]).get(reverse("laporan:rakor_pdf"), {"periode": MARCH})
    cover = pdf_text(response.content).split("Halaman 1 dari")[0]
    assert "Pesan utama" in cover
    # D/S with its numbers: 5 of 6 children in the kabupaten, as on the dashboard
    assert "Partisipasi penimbangan D/S 83,3 % (5 dari 6 balita; target 80,0 %)" in cover
    assert "Laporan bulanan masuk 0 dari 3 posyandu (0,0 %); 3 posyandu terlambat." in cover


def test_chart_axes_have_round_steps():
    from laporan.charts import nice_axis

    assert nice_axis(24.5) == (25, 5)  # 0, 5, 10 … not 0; 5,1; 10,3
    assert nice_axis(99.75) == (100, 20)
    assert nice_axis(41) == (50, 10)
    assert nice_axis(7) == (8, 2)
