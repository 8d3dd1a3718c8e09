"""The five other fields in the catalogue, on a hand-built March 2026 at posyandu A (values by hand).

Households: Baso (safe water, proper latrine, good house), Daeng (well without enough water, no
latrine, earth floor and 20 m² for 5 people = RTLH, poor, gets PKH), and Ina (surveyed in January as
poor without bansos, re-surveyed in March as not poor: only the latest survey counts). Children: Rani
(5 y, PAUD), Rudi (6 y, not yet in PAUD), Tono (10 y, out of school). One KIE session of pendidikan
(25 people), one incident (a fire, 6 people affected), one RTLH request verified on 2 March and never
forwarded: due 9 March, so overdue at the end of March.
"""

import datetime
from decimal import Decimal

from laporan import indicators as ind
from laporan import rekap
from layanan import services as bidang
from tests import factories
from tests.layanan.conftest import person
from tests.layanan.test_spm_fields_services import GOOD_HOUSE

MARCH = ind.Period.month(datetime.date(2026, 3, 1))
BAD_HOUSE = {
    **GOOD_HOUSE,
    "water_source": "sumur_tidak_terlindung",
    "water_sufficient": False,
    "latrine": "tidak_ada",
    "floor": "tanah",
    "floor_area_m2": Decimal("20"),
    "occupants": 5,
    "is_poor": True,
    "receives_bansos": True,
    "bansos_programmes": ["pkh"],
    "disabled_members": 1,
}


def _scenario(world):
    kader = world.users["pengurus_a"]
    baso = factories.keluarga(posyandu=world.posyandu_a, head_name="Baso")
    daeng = factories.keluarga(posyandu=world.posyandu_a, head_name="Daeng")
    ina = factories.keluarga(posyandu=world.posyandu_a, head_name="Ina")
    bidang.survei_keluarga_record(keluarga=baso, survey_date=datetime.date(2026, 3, 5), user=kader, values=GOOD_HOUSE)
    bidang.survei_keluarga_record(keluarga=daeng, survey_date=datetime.date(2026, 3, 5), user=kader, values=BAD_HOUSE)
    bidang.survei_keluarga_record(keluarga=ina, survey_date=datetime.date(2026, 1, 5), user=kader,
                                  values={**GOOD_HOUSE, "is_poor": True})  # fmt: skip
    bidang.survei_keluarga_record(keluarga=ina, survey_date=datetime.date(2026, 3, 6), user=kader, values=GOOD_HOUSE)
    rani = person(world.posyandu_a, "Rani", birth_date=datetime.date(2021, 1, 10))
    rudi = person(world.posyandu_a, "Rudi", birth_date=datetime.date(2019, 12, 1))
    tono = person(world.posyandu_a, "Tono", birth_date=datetime.date(2016, 2, 1))
    on = datetime.date(2026, 3, 7)
    bidang.pendidikan_record(warga=rani, recorded_on=on, status="paud", user=kader)
    bidang.pendidikan_record(warga=rudi, recorded_on=on, status="belum_sekolah", user=kader)
    bidang.pendidikan_record(warga=tono, recorded_on=on, status="putus_sekolah", reason="biaya", user=kader)
    bidang.kegiatan_record(posyandu=world.posyandu_a, field="pendidikan", kind="parenting", topic="Pola asuh",
                           date=on, user=kader, attendance_men=5, attendance_women=20)  # fmt: skip
    bidang.kejadian_record(posyandu=world.posyandu_a, kind="kebakaran", occurred_on=on, place="Dusun 1",
                           description="Dapur terbakar", user=kader, people_affected=6)  # fmt: skip
    request = bidang.permintaan_create(field="perumahan_rakyat", kind="rtlh", description="Atap bocor", keluarga=daeng,
                                       user=kader, recorded_on=datetime.date(2026, 3, 2))  # fmt: skip
    bidang.permintaan_transition(permintaan=request, to_status="diverifikasi", user=world.users["desa_a1"],
                                 on=datetime.date(2026, 3, 2))  # fmt: skip


def _results(world, period=MARCH):
    values = rekap.compute(user=world.users["kecamatan_a"], period=period, measures=ind.measures_of(ind.CATALOGUE),
                         area=world.kecamatan_a).get("total", {})  # fmt: skip
    return {r.indicator.code: r for r in ind.evaluate(ind.CATALOGUE, values)}


def test_household_field_indicators_use_each_households_latest_survey(world):
    _scenario(world)
    r = _results(world)
    assert (r["safe_water"].numerator, r["safe_water"].denominator) == (2, 3)  # Baso, Ina; not Daeng
    assert (r["proper_latrine"].numerator, r["proper_latrine"].denominator) == (2, 3)
    assert (r["rtlh_share"].numerator, r["rtlh_share"].denominator) == (1, 3)
    assert r["poor"].numerator == 1  # Daeng; Ina is no longer poor in March
    assert (r["bansos_reach"].numerator, r["bansos_reach"].denominator) == (1, 1)
    assert r["disabled"].numerator == 1
    # In February only Ina's January survey exists: poor, without bansos
    february = _results(world, ind.Period.month(datetime.date(2026, 2, 1)))
    assert (february["bansos_reach"].numerator, february["bansos_reach"].denominator) == (0, 1)


def test_schooling_activities_incidents_and_overdue_requests(world):
    _scenario(world)
    r = _results(world)
    assert (r["paud_5_6"].numerator, r["paud_5_6"].denominator) == (1, 2)  # Rani of Rani and Rudi
    assert r["ats_7_15"].numerator == 1  # Tono
    assert r["kegiatan_pendidikan"].numerator == 1
    assert r["kejadian"].numerator == 1 and r["kejadian_people"].numerator == 6
    assert r["permintaan_overdue_perumahan_rakyat"].numerator == 1  # due 9 March, still open at 31 March
    assert r["permintaan_overdue_sosial"].numerator == 0
    assert r["permintaan_opened"].numerator == 1 and r["permintaan_done"].numerator == 0
    # before the deadline it was not overdue
    early = _results(world, ind.Period(datetime.date(2026, 2, 1), datetime.date(2026, 2, 1)))
    assert early["permintaan_overdue_perumahan_rakyat"].numerator == 0


def test_kader_indicators_posyandu_aktif_and_the_no_trained_kader_flag(world, settings):
    from kader import services as kader_services
    from laporan import selectors

    settings.POSYANDU_MIN_KADER = 5
    start = datetime.date(2024, 1, 1)
    cadres = [
        kader_services.kader_register(posyandu=world.posyandu_a, name=f"Kader {i}", field=field, start_date=start)
        for i, field in enumerate(["kesehatan", "kesehatan", "sosial", "pendidikan", "kesehatan"])
    ]
    training = kader_services.pelatihan_create(
        title="Bimtek kader kesehatan", organiser_level="kecamatan", organiser_opd="Puskesmas", field="kesehatan",
        wilayah=world.kecamatan_a, start_date=datetime.date(2026, 2, 10), end_date=datetime.date(2026, 2, 11),
    )  # fmt: skip
    kader_services.peserta_add_bulk(pelatihan=training, kader=cadres[:2], user=world.users["kecamatan_a"])
    # the fourth stops serving before March: four kader remain at the end of March
    kader_services.kader_deactivate(kader=cadres[3], end_date=datetime.date(2026, 2, 28), end_reason="Pindah")
    r = _results(world)
    assert (r["kader_trained"].numerator, r["kader_trained"].denominator) == (2, 4)
    assert (r["kader_trained_kesehatan"].numerator, r["kader_trained_kesehatan"].denominator) == (2, 3)
    assert (r["kader_trained_sosial"].numerator, r["kader_trained_sosial"].denominator) == (0, 1)
    assert r["posyandu_min_kader"].numerator == 0  # four kader, five required
    assert r["posyandu_aktif"].numerator == 0
    # in January all five served: enough kader (but not open 8 months, so still not Posyandu Aktif)
    january = _results(world, ind.Period.month(datetime.date(2026, 1, 1)))
    assert january["posyandu_min_kader"].numerator == 1 and january["posyandu_aktif"].numerator == 0
    flags = {f.posyandu.name: f.reasons for f in selectors.red_flags(user=world.users["kecamatan_a"],
                                                                     area=world.kecamatan_a, period=MARCH)}  # fmt: skip
    assert "tidak ada kader terlatih" in flags["Posyandu Melati"]
    assert "tidak ada kader terlatih" not in flags.get("Posyandu Mawar", [])


def test_completeness_counts_each_fields_records_of_the_month_per_posyandu(world):
    from laporan import selectors

    _scenario(world)
    rows = selectors.completeness(user=world.users["kabupaten"], area=world.kabupaten, month=MARCH.end)
    by_name = {row.posyandu.name: row for row in rows}
    mawar = by_name["Posyandu Mawar"].fields
    # pendidikan: 3 schooling records + 1 KIE session; the 3 March surveys (not Ina's January one)
    # count for sosial, perumahan rakyat and pekerjaan umum; the RTLH request adds one to perumahan
    assert mawar == {"pendidikan": 4, "sosial": 3, "perumahan_rakyat": 4, "pekerjaan_umum": 3, "trantibum_linmas": 1}
    assert by_name["Posyandu Mawar"].fields_reported == 5  # no health visit in this scenario
    assert by_name["Posyandu Anggrek"].fields == {}
    by_field = {code: n for code, _label, n in selectors.completeness_by_field(rows)}
    assert by_field == {"kesehatan": 0, "pendidikan": 1, "sosial": 1, "perumahan_rakyat": 1, "pekerjaan_umum": 1,
                        "trantibum_linmas": 1}  # fmt: skip


def test_the_completeness_page_shows_six_field_badges_per_posyandu(world, login):
    from django.urls import reverse

    _scenario(world)
    html = (
        login(world.users["kecamatan_a"]).get(reverse("laporan:kelengkapan"), {"periode": "2026-03"}).content.decode()
    )
    assert "Posyandu yang mencatat data bulan ini, per bidang" in html
    assert 'title="Pend: 4"' in html and 'title="Linmas: 1"' in html and 'title="Kes: 0"' in html


def test_the_completeness_excel_has_each_fields_records_and_the_per_field_count(world, login):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    _scenario(world)
    response = login(world.users["kecamatan_a"]).get(reverse("laporan:excel_kelengkapan"), {"periode": "2026-03"})
    assert response["Content-Disposition"].endswith(f'kelengkapan-{world.kecamatan_a.code}-2026-03.xlsx"')
    title, header, *rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert title[1] == "Maret 2026" and title[3] == datetime.datetime(2026, 4, 10)  # the 10th of the next month
    assert header[:7] == ("Posyandu", "Desa", "Kecamatan", "Status laporan", "Diajukan", "Terlambat", "Kesehatan")
    assert header[-1] == "Bidang tercatat (dari 6)"
    by_name = {row[0]: row for row in rows if row and row[0]}
    # the same records as the page, by hand in test_completeness_counts_each_fields_records_of_the_month_per_posyandu
    assert by_name["Posyandu Mawar"][3:] == ("Belum diajukan", None, "ya", 0, 4, 3, 4, 3, 1, 5)
    assert by_name["Posyandu Melati"][6:] == (0, 0, 0, 0, 0, 0, 0)
    assert by_name["Posyandu yang mencatat data"][6:12] == (0, 1, 1, 1, 1, 1)
    assert by_name["Jumlah posyandu aktif"][1] == 2  # kecamatan A: Mawar and Melati
