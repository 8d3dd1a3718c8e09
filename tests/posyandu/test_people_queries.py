"""Life stages computed in SQL agree with Python, and the register's pages cost a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse

from posyandu import dates, selectors
from posyandu.models import LifeStage, Sex
from tests import factories

TRICKY_DAYS = [
    datetime.date(2024, 2, 29),  # leap day
    datetime.date(2025, 2, 28),  # end of a short month
    datetime.date(2025, 3, 30),
    datetime.date(2025, 3, 31),
    datetime.date(2025, 4, 30),
    datetime.date(2025, 1, 1),
    datetime.date(2025, 7, 15),
]


@pytest.mark.parametrize("on", TRICKY_DAYS)
@pytest.mark.parametrize("months", [1, 60, 216, 720])
def test_the_birth_date_cutoff_agrees_with_months_between_on_every_day(on, months):
    cutoff = dates.birth_date_cutoff(months=months, on=on)
    for offset in range(-40, 41):
        birth = cutoff + datetime.timedelta(days=offset)
        assert (birth <= cutoff) == (dates.months_between(birth, on) >= months), (birth, on, months)


def test_the_life_stage_in_sql_is_the_life_stage_in_python(world):
    today = dates.today()
    births = set()
    for months in (0, 59, 60, 216, 720):
        cutoff = dates.birth_date_cutoff(months=months, on=today)
        births |= {cutoff - datetime.timedelta(days=1), cutoff, cutoff + datetime.timedelta(days=1)}
    for number, birth in enumerate(sorted(b for b in births if b <= today)):
        factories.warga(posyandu=world.posyandu_a, name=f"Orang {number}", birth_date=birth)
    rows = list(selectors.warga_list(user=world.users["admin"], on=today))
    assert {row.stage for row in rows} == {
        LifeStage.BALITA,
        LifeStage.REMAJA,
        LifeStage.USIA_PRODUKTIF,
        LifeStage.LANSIA,
    }
    for row in rows:
        assert row.stage == row.life_stage(today), row.birth_date
        assert row.stage_label == LifeStage(row.stage).label
    for stage in (LifeStage.BALITA, LifeStage.REMAJA, LifeStage.USIA_PRODUKTIF, LifeStage.LANSIA):
        filtered = selectors.warga_list(user=world.users["admin"], life_stage=stage, on=today)
        assert {row.pk for row in filtered} == {row.pk for row in rows if row.stage == stage}


@pytest.fixture
def household(world):
    """The people every budget starts from: a mother and her child in one household."""
    keluarga = factories.keluarga(posyandu=world.posyandu_a, head_name="Ahmad Daeng", rt="001", rw="002")
    mother = factories.warga(
        posyandu=world.posyandu_a,
        name="Siti Aminah",
        sex=Sex.PEREMPUAN,
        birth_date=datetime.date(1990, 1, 1),
        keluarga=keluarga,
    )
    factories.warga(posyandu=world.posyandu_a, name="Anak Pertama", mother=mother, keluarga=keluarga)
    return keluarga, mother


def _add_people(world, household, count: int) -> None:
    """``count`` more people, half with the registered mother, all in the household."""
    keluarga, mother = household
    for number in range(count):
        factories.warga(
            posyandu=world.posyandu_a,
            name=f"Anak {number}",
            birth_date=datetime.date(2010, 1, 1) + datetime.timedelta(days=97 * number),
            mother=mother if number % 2 else None,
            mother_name="" if number % 2 else "Nurhaeda",
            keluarga=keluarga,
        )


@pytest.mark.parametrize("extra", [0, 30])
def test_the_warga_list_of_a_kader_costs_four_queries_however_many_people(
    world, household, login, django_assert_num_queries, extra
):
    _add_people(world, household, extra)
    client = login(world.users["kader_a"])
    # session, user (with posyandu and desa), count for the paginator, the page of people
    # (mother, household and posyandu joined, life stage computed in SQL)
    with django_assert_num_queries(4):
        response = client.get(reverse("posyandu:warga_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2 + extra


@pytest.mark.parametrize("extra", [0, 30])
def test_the_warga_list_of_a_kecamatan_team_costs_five_queries_however_many_people(
    world, household, login, django_assert_num_queries, extra
):
    _add_people(world, household, extra)
    client = login(world.users["kecamatan_a"])
    # session, user, count, the posyandu choices of the filter, the page of people
    with django_assert_num_queries(5):
        response = client.get(reverse("posyandu:warga_list"), {"q": "anak"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1 + extra


@pytest.mark.parametrize("extra", [0, 30])
def test_the_keluarga_list_and_page_cost_fixed_queries(world, household, login, django_assert_num_queries, extra):
    _add_people(world, household, extra)
    keluarga, _mother = household
    client = login(world.users["kader_a"])
    # session, user, count, the page of households (member count as a subquery)
    with django_assert_num_queries(4):
        client.get(reverse("posyandu:keluarga_list"))
    # session, user, the household with its posyandu and desa, its members with their mothers
    with django_assert_num_queries(4):
        client.get(keluarga.get_absolute_url())


@pytest.mark.parametrize("extra", [0, 30])
def test_a_mothers_page_costs_fixed_queries_however_many_children(
    world, household, login, django_assert_num_queries, extra
):
    _add_people(world, household, extra)
    _keluarga, mother = household
    client = login(world.users["kader_a"])
    # session, user, the person (posyandu, desa, kecamatan, mother, household joined), children,
    # household members, which relatives are inside the scope, move history
    with django_assert_num_queries(7):
        response = client.get(mother.get_absolute_url())
    assert response.status_code == 200
