"""The indicator catalogue against the hand-built March of ``conftest.py`` (expected values by hand)."""

import datetime

import pytest

from laporan import indicators as ind
from laporan import rekap, selectors
from layanan.models import Kunjungan
from posyandu import periods
from posyandu.models import Sex

MARCH = ind.Period.month(datetime.date(2026, 3, 1))


def _values(world, user="kecamatan_a", period=MARCH, **kwargs):
    indicators = ind.CATALOGUE
    values = rekap.compute(user=world.users[user], period=period, measures=ind.measures_of(indicators), **kwargs)
    return {r.indicator.code: r for r in ind.evaluate(indicators, values.get("total", {}))}


def test_the_growth_codes_of_the_scenario_are_what_the_table_says(world, march):
    codes = dict(
        Kunjungan.objects.filter(reporting_month=MARCH.start, kind="posyandu", posyandu=world.posyandu_a).values_list(
            "warga__name", "growth_code"
        )
    )
    assert codes == {"Ani": "N", "Budi": "T", "Citra": "B", "Dodi": "O"}


def test_skdn_counts_a_child_weighed_twice_once_and_leaves_b_and_o_out_of_n_over_d(world, march):
    results = _values(world, area=world.kecamatan_a)
    assert (results["skdn_ds"].numerator, results["skdn_ds"].denominator) == (4, 5)
    assert results["skdn_ks"].value == pytest.approx(80.0)
    assert results["skdn_dk"].value == pytest.approx(100.0)
    assert (results["skdn_nd"].numerator, results["skdn_nd"].denominator) == (1, 2)
    assert results["skdn_nd"].display == "50,0 %"
    assert results["skdn_ns"].value == pytest.approx(20.0)


def test_stunting_prevalence_uses_each_childs_latest_measurement(world, march):
    results = _values(world, area=world.kecamatan_a)
    assert (results["stunting"].numerator, results["stunting"].denominator) == (2, 4)
    assert results["stunting"].meets_target is False  # 50 % against the 14 % target


def test_a_kecamatan_team_sees_only_its_own_kecamatan_and_the_kabupaten_sees_both(world, march):
    assert _values(world, user="kecamatan_a")["skdn_ds"].numerator == 4
    assert _values(world, user="kabupaten")["skdn_ds"].numerator == 5
    # a kecamatan team asking for the other kecamatan gets nothing from it
    assert _values(world, user="kecamatan_a", area=world.kecamatan_b)["skdn_ds"].numerator == 0


def test_the_league_table_groups_by_desa_and_by_posyandu(world, march):
    kecamatan = rekap.compute(
        user=world.users["kabupaten"], period=MARCH, measures=["balita_d"], group="child:8", area=world.kabupaten
    )
    assert kecamatan == {"73.05.01": {"balita_d": 4}, "73.05.02": {"balita_d": 1}}
    posyandu = rekap.compute(
        user=world.users["kabupaten"], period=MARCH, measures=["balita_d"], group=ind.POSYANDU, area=world.kabupaten
    )
    assert posyandu == {world.posyandu_a.pk: {"balita_d": 4}, world.posyandu_b.pk: {"balita_d": 1}}


def test_a_quarter_counts_a_child_once_across_its_months(world, march):
    quarter = ind.Period.quarter(2026, 1)
    assert quarter.label == "Triwulan 1 2026" and quarter.param == "2026-T1"
    results = _values(world, period=quarter, area=world.kecamatan_a)
    assert results["skdn_ds"].numerator == 4  # Ani, Budi, Citra, Dodi — each once over three months


def test_posyandu_opened_and_open_months(world, march):
    results = _values(world, area=world.kecamatan_a)
    # posyandu A opened in March; A2 (also active, kecamatan A) did not
    assert (results["posyandu_opened"].numerator, results["posyandu_opened"].denominator) == (1, 2)
    assert results["posyandu_open8"].numerator == 0  # opened 3 months of the last 12


def test_the_f2_recap_splits_skdn_by_age_band_and_sex(world, march):
    table = selectors.skdn(user=world.users["kader_a"], month=MARCH.start, posyandu=world.posyandu_a)
    assert table["grand"] == {"S": 5, "K": 4, "D": 4, "N": 1, "T": 1, "2T": 0, "O": 1, "B": 1, "BGM": 0}
    bands = {band["label"]: band for band in table["bands"]}
    girls = Sex.PEREMPUAN
    assert bands["12–23"]["by_sex"][girls]["S"] == 2  # Ani (12 months) and Eka (18 months)
    assert bands["12–23"]["by_sex"][girls]["K"] == 1  # Eka has no Buku KIA
    assert bands["12–23"]["by_sex"][girls]["N"] == 1
    assert bands["6–11"]["by_sex"][girls]["B"] == 1  # Citra
    assert bands["36–59"]["by_sex"][Sex.LAKI_LAKI]["O"] == 1  # Dodi
    assert bands["24–35"]["by_sex"][Sex.LAKI_LAKI]["T"] == 1  # Budi
    assert table["ratios"]["N/D"] == 50.0


def test_period_parameters_round_trip_and_bad_ones_are_refused(world):
    default = datetime.date(2026, 5, 1)
    assert ind.parse_period("2026-03", default=default) == MARCH
    assert ind.parse_period("2026-T2", default=default) == ind.Period.quarter(2026, 2)
    assert ind.parse_period("2025", default=default).months[0] == datetime.date(2025, 1, 1)
    assert ind.parse_period("", default=default) == ind.Period.month(default)
    for period in (MARCH, ind.Period.quarter(2026, 2), ind.Period.year(2025)):
        assert ind.parse_period(period.param, default=default) == period
    for bad in ("2026-13", "<script>", "9999-12", "0001-01", "9999-T4"):
        with pytest.raises(periods.PeriodError):
            ind.parse_period(bad, default=default)
