"""Purwa / Madya / Utama come from the rules in the database, not from code branches."""

import datetime

from kader import services
from kader.models import Kader, Kompetensi, KompetensiGroup, LevelRule
from posyandu import dates
from tests.kader.conftest import make_kader, pass_groups


def test_the_migration_loads_25_basic_competencies_in_five_groups(db):
    counts = {g.code: g.kompetensi_set.count() for g in KompetensiGroup.objects.filter(counts_for_level=True)}
    assert counts == {"pengelolaan": 4, "ibu-hamil": 6, "bayi-balita": 7, "remaja": 3, "dewasa-lansia": 5}
    assert Kompetensi.objects.count() == 25
    assert list(LevelRule.objects.values_list("level", flat=True)) == ["purwa", "madya", "utama"]


def test_purwa_needs_management_balita_and_one_more_group(world):
    kader = make_kader(world.posyandu_a)
    pass_groups(kader, ["pengelolaan", "bayi-balita"])
    kader.refresh_from_db()
    assert kader.level == ""  # two groups are not enough
    pass_groups(kader, ["remaja"], on=datetime.date(2026, 5, 3))
    kader.refresh_from_db()
    assert kader.level == "purwa"


def test_three_groups_without_balita_is_no_level(world):
    kader = make_kader(world.posyandu_a)
    pass_groups(kader, ["pengelolaan", "ibu-hamil", "remaja"])
    kader.refresh_from_db()
    assert kader.level == ""


def test_madya_with_four_groups_and_utama_with_all_25(world):
    kader = make_kader(world.posyandu_a)
    pass_groups(kader, ["pengelolaan", "bayi-balita", "remaja", "ibu-hamil"])
    kader.refresh_from_db()
    assert kader.level == "madya"
    pass_groups(kader, ["dewasa-lansia"], on=datetime.date(2026, 5, 9))
    kader.refresh_from_db()
    assert kader.level == "utama"


def test_a_failed_assessment_does_not_count(world):
    kader = make_kader(world.posyandu_a)
    pass_groups(kader, ["pengelolaan", "remaja"])
    results = dict.fromkeys(Kompetensi.objects.filter(group__code="bayi-balita"), "belum")
    services.penilaian_record(kader=kader, assessed_on=datetime.date(2026, 5, 3), assessor="Bidan", results=results)
    kader.refresh_from_db()
    assert kader.level == ""


def test_changing_a_rule_row_changes_the_level_after_a_refresh(world):
    kader = make_kader(world.posyandu_a)
    pass_groups(kader, ["pengelolaan", "bayi-balita", "remaja"])
    LevelRule.objects.filter(level="purwa").update(min_complete_groups=4)
    assert services.kader_levels_refresh() == 1
    assert Kader.objects.get(pk=kader.pk).level == ""


def test_level_for_is_the_highest_rule_met():
    rules = [
        services.Rule("a", 1, frozenset({1}), 1, 0),
        services.Rule("b", 2, frozenset({1, 2}), 2, 0),
    ]
    sizes = {1: 2, 2: 1}
    assert services.level_for(passed={1: 2, 2: 1}, sizes=sizes, rules=rules) == "b"
    assert services.level_for(passed={1: 2}, sizes=sizes, rules=rules) == "a"
    assert services.level_for(passed={1: 1, 2: 1}, sizes=sizes, rules=rules) == ""


def test_service_awards_at_10_20_30_years(world):
    kader = make_kader(world.posyandu_a, start_date=datetime.date(2006, 3, 1))
    awards = kader.service_awards(on=datetime.date(2026, 6, 1))
    assert [(a["years"], a["reached"]) for a in awards] == [(10, True), (20, True), (30, False)]
    assert awards[1]["this_year"]
    assert kader.years_of_service(datetime.date(2026, 6, 1)) == 20


def test_the_level_in_sql_on_a_day_agrees_with_the_stored_level(world):
    """``kader.selectors.level_on`` (the monthly figures' level) follows the same rules as ``level_for``."""

    from kader.selectors import level_on

    cases = {
        "two groups": ["pengelolaan", "bayi-balita"],
        "no balita": ["pengelolaan", "ibu-hamil", "remaja"],
        "purwa": ["pengelolaan", "bayi-balita", "remaja"],
        "madya": ["pengelolaan", "bayi-balita", "remaja", "ibu-hamil"],
        "utama": ["pengelolaan", "bayi-balita", "remaja", "ibu-hamil", "dewasa-lansia"],
    }
    kader = {name: make_kader(world.posyandu_a, name=f"Kader {name}") for name in cases}
    for name, groups in cases.items():
        pass_groups(kader[name], groups)
    failed = make_kader(world.posyandu_a, name="Kader gagal")
    pass_groups(failed, ["pengelolaan", "remaja"])
    results = dict.fromkeys(Kompetensi.objects.filter(group__code="bayi-balita"), "belum")
    services.penilaian_record(kader=failed, assessed_on=datetime.date(2026, 5, 3), assessor="Bidan", results=results)
    rows = Kader.objects.annotate(held=level_on(dates.today()), before=level_on(datetime.date(2026, 5, 1)))
    assert {k.name: (k.held or "", k.before) for k in rows} == {k.name: (k.level, None) for k in rows}
    assert {k.name: k.level for k in rows}["Kader utama"] == "utama"
