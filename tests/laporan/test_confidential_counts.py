"""A confidential incident is not revealed by a figure to a role that may not open it.

March 2026 at posyandu Mawar: one incident, a KDRT report (always confidential, 2 people affected),
recorded by the posyandu's trantibum linmas kader. Its page is a 404 for the pengurus and the other
kader, so the trantibum counts they are shown leave it out; the desa operator, the Tim Pembina and
admins, who may open it, count it (docs/personal-data.md, ``indicators.WITHOUT_CONFIDENTIAL``).
"""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from laporan import excel, rekap
from laporan import indicators as ind
from layanan import services as bidang
from tests.pdf import pdf_text

MARCH = "2026-03"
TRANTIBUM = "trantibum_linmas"
MAY_NOT_OPEN = ["kader_a", "pengurus_a", "kader_trantibum_lain"]
MAY_OPEN = ["desa_a1", "kecamatan_a", "kabupaten", "admin"]
# What each side is shown for March: (incidents, people affected).
NOT_SHOWN, SHOWN = (0, 0), (1, 2)


@pytest.fixture
def kdrt(world, bidang_kader):
    return bidang.kejadian_record(
        posyandu=world.posyandu_a,
        kind="kdrt",
        occurred_on=datetime.date(2026, 3, 12),
        place="RT 01",
        description="Laporan KDRT",
        people_affected=2,
        user=bidang_kader[TRANTIBUM],
    )


@pytest.fixture
def users(world, bidang_kader):
    from posyandu import services as posyandu_services
    from posyandu.models import Role

    other = posyandu_services.user_create(
        username="kader_trantibum_lain", password="x-rahasia-123", role=Role.KADER, posyandu=world.posyandu_a,
        field=TRANTIBUM,
    )  # fmt: skip
    return {**world.users, "kader_trantibum_lain": other, "recorder": bidang_kader[TRANTIBUM]}


def _expected(role):
    return SHOWN if role in MAY_OPEN else NOT_SHOWN


def _pair(results) -> tuple:
    by_code = {r.indicator.code: r for r in results if r is not None}
    return (by_code["kejadian"].numerator, by_code["kejadian_people"].numerator)


# Both paths leave the incidents out in one place (``indicators.read_through``): every role on the live
# path; on the rollup, as production reads a month, one role of each side and the recorder.
@pytest.mark.parametrize(
    ("role", "rollup"),
    [pytest.param(role, False, id=f"{role}-live") for role in [*MAY_NOT_OPEN, "recorder", *MAY_OPEN]]
    + [pytest.param(role, True, id=f"{role}-rollup") for role in ["pengurus_a", "recorder", "desa_a1"]],
)
def test_the_dashboard_counts_a_confidential_incident_only_for_who_may_open_every_one(
    world, users, kdrt, login, settings, role, rollup
):
    settings.LAPORAN_REKAP = rollup
    user = users[role]
    # The page of the incident: the same line between the two sides (the recorder may open their own,
    # but the figures leave it out for every kader and pengurus: one rule per role, not per record).
    assert login(user).get(kdrt.get_absolute_url()).status_code in (
        (200,) if role in [*MAY_OPEN, "recorder"] else (404, 403)
    )
    response = login(user).get(reverse("laporan:dashboard"), {"periode": MARCH, "bidang": TRANTIBUM,
                                                              "wilayah": world.desa_a1.code})  # fmt: skip
    board = response.context["board"]
    expected = (0, 0) if role == "recorder" else _expected(role)
    assert _pair(board.total) == expected
    [mawar] = [row for row in board.rows if row.posyandu_id == world.posyandu_a.pk]  # the posyandu level
    assert _pair(mawar.results) == expected
    # The definition says so on the field's page.
    assert "Kejadian rahasia (KDRT selalu) dihitung hanya untuk operator desa" in response.content.decode()


@pytest.mark.parametrize("role", ["pengurus_a", "desa_a1"])
def test_the_trend_of_the_trantibum_page_follows_the_same_rule(world, users, kdrt, login, settings, role):
    settings.LAPORAN_REKAP = True  # the trend reads the rollup by month
    response = login(users[role]).get(reverse("laporan:dashboard"), {"periode": MARCH, "bidang": TRANTIBUM})
    trend = response.context["trend"]
    assert trend["series"]["kejadian"][-1] == _expected(role)[0]
    assert trend["series"]["kejadian_people"][-1] == _expected(role)[1]


@pytest.mark.parametrize("role", ["kader_a", "pengurus_a", "desa_a1", "kabupaten"])
def test_the_excel_export_counts_the_same_as_the_dashboard(world, users, kdrt, login, role):
    response = login(users[role]).get(reverse("laporan:excel_indikator"), {"periode": MARCH, "bidang": TRANTIBUM,
                                                                          "wilayah": world.desa_a1.code})  # fmt: skip
    workbook = load_workbook(io.BytesIO(response.content))
    summary = {row[1]: row for row in workbook["Ringkasan"].iter_rows(min_row=3, values_only=True)}
    assert (summary["kejadian"][3], summary["kejadian_people"][3]) == _expected(role)
    assert summary["kejadian"][7] == str(ind.CONFIDENTIAL_NOTE)  # the definition travels with the figure
    header, *rows = list(workbook["Per wilayah"].iter_rows(values_only=True))
    mawar = next(row for row in rows if row and row[0] == "Posyandu Mawar")
    incidents, people = (header.index(excel.column_title(ind.INDICATORS[c])) for c in ("kejadian", "kejadian_people"))
    assert (mawar[incidents], mawar[people]) == _expected(role)


@pytest.mark.parametrize("role", ["pengurus_a", "desa_a1"])
def test_the_rakor_pdf_counts_the_same_as_the_dashboard(world, users, kdrt, login, role):
    response = login(users[role]).get(reverse("laporan:rakor_pdf"), {"periode": MARCH, "wilayah": world.desa_a1.code})
    text = pdf_text(response.content)
    incidents, people = _expected(role)
    # The summary: this period, then February (none).
    assert f"Kejadian (bencana, kebakaran, ketertiban, KDRT) {incidents} 0" in text
    assert f"Orang terdampak kejadian {people} 0" in text


@pytest.mark.parametrize("role", ["pengurus_a", "desa_a1"])
def test_the_completeness_page_and_excel_count_incidents_by_the_same_rule(world, users, kdrt, login, role):
    client = login(users[role])
    page = client.get(reverse("laporan:kelengkapan"), {"periode": MARCH}).content.decode()
    assert f'title="Linmas: {_expected(role)[0]}"' in page
    response = client.get(reverse("laporan:excel_kelengkapan"), {"periode": MARCH})
    _title, header, *rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    mawar = next(row for row in rows if row and row[0] == "Posyandu Mawar")
    assert mawar[header.index("Trantibum Linmas")] == _expected(role)[0]


def test_the_system_and_the_rollup_keep_every_incident(world, kdrt, settings):
    """The rollup holds every incident; only what a user reads is folded."""
    settings.LAPORAN_REKAP = True
    period = ind.Period.month(datetime.date(2026, 3, 1))
    everything = ind.compute_live(user=None, period=period, measures=["kejadian", "kejadian_open"])["total"]
    assert everything == {"kejadian": 1, "kejadian_open": 0}
    # From the rollup: whole for the desa; asked for both names, the pengurus gets the folded figure under each.
    assert rekap.compute(user=world.users["desa_a1"], period=period, measures=["kejadian", "kejadian_open"])[
        "total"
    ] == {
        "kejadian": 1,
        "kejadian_open": 0,
    }
    folded = rekap.compute(user=world.users["pengurus_a"], period=period, measures=["kejadian", "kejadian_open"])
    assert [folded.get("total", {}).get(code, 0) for code in ("kejadian", "kejadian_open")] == [0, 0]
