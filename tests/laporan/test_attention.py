""" "Perlu perhatian": which indicators lead the dashboard, and which areas are named behind them."""

import datetime

from laporan import indicators as ind
from laporan import selectors

MONTH = ind.Period.month(datetime.date(2026, 3, 1))


def _board(total: dict, previous: dict, rows: dict[str, dict]) -> selectors.Dashboard:
    indicators = [ind.INDICATORS[code] for code in ("skdn_ds", "stunting", "idl", "skdn_nd")]
    return selectors.Dashboard(
        area=None,
        period=MONTH,
        indicators=indicators,
        total=ind.evaluate(indicators, total),
        previous=ind.evaluate(indicators, previous),
        rows=[
            selectors.LeagueRow(name, name, name, None, ind.evaluate(indicators, values))
            for name, values in rows.items()
        ],
        group="child:8",
    )


def test_the_indicators_furthest_from_target_come_first_with_the_areas_short_of_most_people():
    total = {"balita_d": 60, "balita_s": 100, "stunted": 30, "measured_height": 100, "idl": 88, "baduta_12_23": 100,
             "balita_n": 70, "balita_nt": 100}  # fmt: skip
    previous = {**total, "balita_n": 85}  # N/D fell 15 points but still meets no target: a "worse" finding
    rows = {
        "Kec. A": {"balita_d": 10, "balita_s": 50, "stunted": 20, "measured_height": 50},
        "Kec. B": {"balita_d": 50, "balita_s": 50, "stunted": 10, "measured_height": 50},
    }
    found = selectors.findings(_board(total, previous, rows), far=2, worse=1)
    assert [(f.result.indicator.code, f.reason) for f in found] == [
        ("skdn_ds", "target"),  # 60 % against 80 %: 20 points short
        ("stunting", "target"),  # 30 % against ≤ 14 %: 16 points over (N/D's 10 and IDL's 2 come later)
        ("skdn_nd", "worse"),  # 85 % → 70 %: the largest fall
    ]
    ds = next(f for f in found if f.result.indicator.code == "skdn_ds")
    assert [(d.row.name, d.shortfall) for d in ds.drivers] == [("Kec. A", 30)]  # 40 needed for 80 %, 10 weighed
    stunting = next(f for f in found if f.result.indicator.code == "stunting")
    assert [(d.row.name, d.shortfall) for d in stunting.drivers] == [("Kec. A", 13), ("Kec. B", 3)]


def test_a_small_denominator_is_not_a_finding():
    total = {"balita_d": 1, "balita_s": 10}  # 10 %, but over ten children
    assert selectors.findings(_board(total, total, {})) == []
