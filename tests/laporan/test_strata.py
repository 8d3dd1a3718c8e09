"""Posyandu strata (Kemenkes 2011) for the 12 months December 2025 – November 2026, worked by hand.

Each posyandu has one balita, born 15 June 2025: registered (S) in all 12 months, 12–23 months old
at the end of June … November (6 months). Mawar: opened and weighed in the 8 months April–November
(D/S 8/12 = 66.7 %), all basic immunisations (IDL 6/6), 5 kader, a sosial activity, its one
surveyed household has JKN → Mandiri. Melati: the same without immunisations (IDL 0/6) → Madya.
Anggrek: opened only 7 months → Pratama, whatever else.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse

from kader import services as kader_services
from laporan import selectors
from laporan.selectors import StratumRow
from layanan import services as bidang
from layanan import services as health
from layanan.schedule import BASIC_ANTIGENS
from tests import factories
from tests.layanan.conftest import person
from tests.layanan.test_spm_fields_services import GOOD_HOUSE

pytestmark = pytest.mark.rekap  # the dashboards as production reads them: from the monthly rollup

NOVEMBER = datetime.date(2026, 11, 1)
BORN = datetime.date(2025, 6, 15)


def _posyandu_year(world, posyandu, *, months, immunised, kader=5, jkn=None):
    user = world.users["admin"]
    child = person(posyandu, f"Anak {posyandu.name}", birth_date=BORN)
    if immunised:
        for antigen in BASIC_ANTIGENS:
            health.imunisasi_record(warga=child, antigen=antigen, given_on=datetime.date(2025, 8, 1), user=user)
    for month in range(12 - months, 12):  # the last `months` months of the window
        day = datetime.date(2026, month, 10) if month else datetime.date(2025, 12, 10)
        opening = health.hari_buka_open(posyandu=posyandu, date=day, user=user)
        health.kunjungan_record(warga=child, user=user, hari_buka=opening, values={"weight_kg": D("8.5")})
    for index in range(kader):
        kader_services.kader_register(posyandu=posyandu, name=f"Kader {index} {posyandu.name}", field="kesehatan",
                                      start_date=datetime.date(2020, 1, 1))  # fmt: skip
    if jkn is not None:
        keluarga = factories.keluarga(posyandu=posyandu, head_name=f"KK {posyandu.name}")
        bidang.survei_keluarga_record(keluarga=keluarga, survey_date=datetime.date(2026, 9, 1), user=user,
                                      values={**GOOD_HOUSE, "has_jkn": jkn})  # fmt: skip
    return child


@pytest.fixture
def year(world):
    _posyandu_year(world, world.posyandu_a, months=8, immunised=True, jkn=True)
    bidang.kegiatan_record(posyandu=world.posyandu_a, field="sosial", kind="kie", topic="Bansos",
                           date=datetime.date(2026, 5, 10), user=world.users["admin"], attendance_women=12)  # fmt: skip
    _posyandu_year(world, world.posyandu_a2, months=8, immunised=False)
    _posyandu_year(world, world.posyandu_b, months=7, immunised=True)


def test_each_posyandu_gets_the_stratum_worked_out_by_hand(world, year):
    rows = {r.posyandu.name: r for r in selectors.strata(user=world.users["kabupaten"], area=world.kabupaten,
                                                          month=NOVEMBER)}  # fmt: skip
    mawar = rows["Posyandu Mawar"]
    assert mawar.opened_8_months and mawar.enough_kader
    assert mawar.ds_percent == pytest.approx(100 * 8 / 12) and mawar.idl_percent == 100
    assert mawar.extra_programmes == ["Sosial"] and mawar.jkn_percent == 100
    assert mawar.stratum == "mandiri"
    melati = rows["Posyandu Melati"]
    assert melati.idl_percent == 0 and melati.stratum == "madya"
    anggrek = rows["Posyandu Anggrek"]
    assert not anggrek.opened_8_months and anggrek.stratum == "pratama"
    counts = {code: n for code, _label, n in selectors.strata_distribution(list(rows.values()))}
    assert counts == {"pratama": 1 + (len(rows) - 3), "madya": 1, "purnama": 0, "mandiri": 1}


def _row(**changes):
    values = {"posyandu": None, "opened_8_months": True, "enough_kader": True, "ds_percent": 50.0,
              "idl_percent": 50.0, "extra_programmes": ["Sosial"], "jkn_percent": 50.0}  # fmt: skip
    return StratumRow(**{**values, **changes})


@pytest.mark.parametrize(
    ("changes", "stratum"),
    [
        ({}, "mandiri"),  # every criterion exactly at its threshold
        ({"jkn_percent": 49.9}, "purnama"),
        ({"jkn_percent": None}, "purnama"),  # no household surveyed: the health fund is not shown
        ({"extra_programmes": []}, "madya"),
        ({"ds_percent": 49.9}, "madya"),
        ({"idl_percent": None}, "madya"),
        ({"enough_kader": False}, "pratama"),
        ({"opened_8_months": False}, "pratama"),
    ],
)
def test_the_thresholds_of_the_strata(changes, stratum):
    assert _row(**changes).stratum == stratum


def test_the_strata_show_on_the_report_page_the_dashboard_and_the_rakor_pack(world, year, login):
    from tests.pdf import pdf_text

    rows = selectors.strata(user=world.users["kabupaten"], area=world.kabupaten, month=NOVEMBER)

    client = login(world.users["kabupaten"])
    report = client.get(reverse("laporan:laporan_posyandu", args=[world.posyandu_a.pk, "2026-11"])).content.decode()
    assert "Strata posyandu" in report and "Mandiri" in report and "66,7 %" in report
    board = client.get(reverse("laporan:dashboard"), {"periode": "2026-11"}).content.decode()
    assert "Strata posyandu" in board and f"Posyandu Aktif 2 dari {len(rows)}" in board  # Mawar and Melati
    desa = client.get(reverse("laporan:dashboard"), {"periode": "2026-11", "wilayah": world.desa_a1.code})
    assert "Mandiri" in desa.content.decode()  # the stratum column of the desa's posyandu
    text = pdf_text(client.get(reverse("laporan:rakor_pdf"), {"periode": "2026-11"}).content)
    assert "Strata posyandu" in text and "Mandiri 1" in text and f"Posyandu Aktif 2 dari {len(rows)}" in text


def test_boundaries_of_kader_and_health_fund_on_the_database_path(world):
    """Three more posyandu, each opened and weighed exactly 8 of the 12 months, fully immunised, with a
    sosial activity: Kemuning has 4 kader (one short of 5) → Pratama; Dahlia 5 kader and its one
    surveyed household without JKN (0 %) → Purnama; Teratai 5 kader and 1 of 2 households with JKN
    (exactly 50 %) → Mandiri."""
    user = world.users["admin"]
    made = {}
    for name, kader, jkn in (("Kemuning", 4, True), ("Dahlia", 5, False), ("Teratai", 5, True)):
        unit = factories.posyandu(desa=world.desa_a1, name=f"Posyandu {name}")
        _posyandu_year(world, unit, months=8, immunised=True, kader=kader, jkn=jkn)
        bidang.kegiatan_record(posyandu=unit, field="sosial", kind="kie", topic="Bansos",
                               date=datetime.date(2026, 5, 10), user=user, attendance_women=9)  # fmt: skip
        made[name] = unit
    second = factories.keluarga(posyandu=made["Teratai"], head_name="KK kedua Teratai")
    bidang.survei_keluarga_record(keluarga=second, survey_date=datetime.date(2026, 9, 2), user=user,
                                  values={**GOOD_HOUSE, "has_jkn": False})  # fmt: skip
    rows = {r.posyandu.name: r for r in selectors.strata(user=world.users["kabupaten"], area=world.desa_a1,
                                                          month=NOVEMBER)}  # fmt: skip
    kemuning, dahlia, teratai = rows["Posyandu Kemuning"], rows["Posyandu Dahlia"], rows["Posyandu Teratai"]
    assert kemuning.opened_8_months and not kemuning.enough_kader and kemuning.stratum == "pratama"
    assert dahlia.enough_kader and dahlia.jkn_percent == 0 and dahlia.stratum == "purnama"
    assert teratai.jkn_percent == 50 and teratai.stratum == "mandiri"
    assert teratai.ds_percent == pytest.approx(100 * 8 / 12) and teratai.idl_percent == 100


def test_the_strata_from_the_rollups_twelve_month_sums_equal_the_live_strata_after_writes(world, year, settings):
    user, end = world.users["kabupaten"], NOVEMBER

    def rows():
        return [
            (r.posyandu.pk, r.stratum, r.ds_percent, r.idl_percent, r.extra_programmes, r.jkn_percent)
            for r in selectors.strata(user=user, area=world.kabupaten, month=end)
        ]

    def rolled_and_live():
        settings.LAPORAN_REKAP = True
        rolled = rows()
        settings.LAPORAN_REKAP = False
        live = rows()
        settings.LAPORAN_REKAP = True
        return rolled, live

    rolled, live = rolled_and_live()
    assert rolled == live and {r[1] for r in rolled} == {"mandiri", "madya", "pratama"}
    admin = world.users["admin"]
    # Anggrek opens in its missing month (April) and weighs its child; Melati holds a pendidikan activity
    child = next(w for w in world.posyandu_b.warga_set.all())
    opening = health.hari_buka_open(posyandu=world.posyandu_b, date=datetime.date(2026, 4, 10), user=admin)
    health.kunjungan_record(warga=child, user=admin, hari_buka=opening, values={"weight_kg": D("8.1")})
    bidang.kegiatan_record(posyandu=world.posyandu_a2, field="pendidikan", kind="kie", topic="PAUD",
                           date=datetime.date(2026, 10, 3), user=admin, attendance_women=8)  # fmt: skip
    rolled, live = rolled_and_live()
    assert rolled == live
    by_pk = {r[0]: r for r in rolled}
    assert by_pk[world.posyandu_b.pk][1] != "pratama"  # now open 8 of 12 months
    assert "Pendidikan" in by_pk[world.posyandu_a2.pk][4]
    # the window moves on: December's strata drop December 2025 (Mawar was not open then anyway)
    end = datetime.date(2026, 12, 1)
    rolled, live = rolled_and_live()
    assert rolled == live
