"""A month's figures are that month's: one hand-built posyandu, its October 2026 SKDN worked out by hand,
read from the four places that show it — the F2 table and the indicator list of the monthly report
page, the dashboard, the Excel export — before and after later writes (a move, a death) and approval.

Posyandu Mawar (posyandu A, alone in its desa), October 2026 (last day 31 October):

======  ===  ==========  ===========================================  ====  ==========================
name    sex  born        weighings (kg)                               Oct   why
======  ===  ==========  ===========================================  ====  ==========================
Ani     P    2025-10-15  Sep 8,0 · Oct 10 posyandu 8,1 · Oct 20 home  N     the home visit is the later
                         8,5                                                weighing: +500 g (the
                                                                            posyandu's alone was T)
Budi    L    2024-06-10  Aug 11,0 · Sep 11,0 · Oct 11,0               T 2T  no gain twice
Citra   P    2026-04-01  Oct 5,0 (first time)                         B     BB/U < −3: BGM
Dodi    L    2023-03-01  Aug 13,5 · Oct 14,0                          O     not weighed in September
Eka     P    2025-01-01  never; no Buku KIA                           —     S only
Fajar   L    2025-05-05  Sep 9,0 · Oct 9,3                            N     moves to Melati 15 Nov:
                                                                            still Mawar's in October
Gita    P    2024-11-20  Sep 10,0 at Melati · Oct 10,3 at Mawar       N     moved Melati → Mawar 5 Oct
Hadi    L    2024-02-02  Sep 12,0 · Oct 12,5                          N     dies 3 Nov: counted in Oct
Joko    L    2025-08-08  Sep 9,5 · Oct 9,8                            —     died 20 Oct: not in S, so
                                                                            not in D either
======  ===  ==========  ===========================================  ====  ==========================

So S = 8 (Joko is not registered on 31 October), K = 7 (Eka), D = 7, N = 4 (Ani, Fajar, Gita, Hadi),
T = 1, O = 1, B = 1 (N + T + O + B = D), 2T = 1, BGM = 1; N/D = 4 / (7 − 1 − 1) = 80 %, D/S = 87,5 %.
"""

import datetime
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from laporan import rekap
from laporan import services as reports
from laporan.models import RekapKotor
from layanan import services as health
from posyandu import dates
from posyandu import services as people
from posyandu.models import Sex, Warga
from tests.layanan.conftest import person

pytestmark = pytest.mark.rekap  # read as production reads them; each test also runs live (``rollup``)

OCTOBER = datetime.date(2026, 10, 1)
EXPECTED = {"S": 8, "K": 7, "D": 7, "N": 4, "T": 1, "O": 1, "B": 1, "2T": 1, "BGM": 1}
# What the indicator catalogue shows of SKDN: (indicator, numerator or denominator) per figure.
SHOWN = {
    "S": ("skdn_ks", "denominator"),
    "K": ("skdn_ks", "numerator"),
    "D": ("skdn_ds", "numerator"),
    "N": ("skdn_nd", "numerator"),
    "N+T": ("skdn_nd", "denominator"),
    "2T": ("two_t", "numerator"),
    "BGM": ("bgm", "numerator"),
}


@pytest.fixture(params=[True, False], ids=["rollup", "live"])
def rollup(request, settings):
    settings.LAPORAN_REKAP = request.param
    return request.param


@pytest.fixture
def october(world):
    """The table of the module docstring, written through the services in the order a kader would."""
    kader, admin = world.users["kader_a"], world.users["admin"]
    mawar, melati = world.posyandu_a, world.posyandu_a2
    days = {
        month: health.hari_buka_open(posyandu=mawar, date=datetime.date(2026, month, 10), user=kader)
        for month in (8, 9, 10)
    }
    melati_september = health.hari_buka_open(posyandu=melati, date=datetime.date(2026, 9, 12), user=admin)

    def weigh(warga, month, kg, day=None):
        return health.kunjungan_record(warga=warga, user=admin, hari_buka=day or days[month],
                                       values={"weight_kg": D(kg)}, confirm_implausible=True)  # fmt: skip

    born = datetime.date
    cast = {
        "ani": person(mawar, "Ani", sex=Sex.PEREMPUAN, birth_date=born(2025, 10, 15)),
        "budi": person(mawar, "Budi", sex=Sex.LAKI_LAKI, birth_date=born(2024, 6, 10)),
        "citra": person(mawar, "Citra", sex=Sex.PEREMPUAN, birth_date=born(2026, 4, 1)),
        "dodi": person(mawar, "Dodi", sex=Sex.LAKI_LAKI, birth_date=born(2023, 3, 1)),
        "eka": person(mawar, "Eka", sex=Sex.PEREMPUAN, birth_date=born(2025, 1, 1), has_buku_kia=False),
        "fajar": person(mawar, "Fajar", sex=Sex.LAKI_LAKI, birth_date=born(2025, 5, 5)),
        "gita": person(melati, "Gita", sex=Sex.PEREMPUAN, birth_date=born(2024, 11, 20)),
        "hadi": person(mawar, "Hadi", sex=Sex.LAKI_LAKI, birth_date=born(2024, 2, 2)),
        "joko": person(mawar, "Joko", sex=Sex.LAKI_LAKI, birth_date=born(2025, 8, 8)),
    }
    weigh(cast["ani"], 9, "8.0")
    at_posyandu = weigh(cast["ani"], 10, "8.1")
    at_home = health.kunjungan_record(warga=cast["ani"], user=kader, visit_date=born(2026, 10, 20),
                                      values={"weight_kg": D("8.5")})  # fmt: skip
    assert (at_posyandu.growth_code, at_home.growth_code) == ("T", "N")  # two weighings, two codes
    for month, kg in ((8, "11.0"), (9, "11.0"), (10, "11.0")):
        weigh(cast["budi"], month, kg)
    weigh(cast["citra"], 10, "5.0")
    weigh(cast["dodi"], 8, "13.5")
    weigh(cast["dodi"], 10, "14.0")
    weigh(cast["fajar"], 9, "9.0")
    weigh(cast["fajar"], 10, "9.3")
    weigh(cast["gita"], 9, "10.0", day=melati_september)
    people.warga_move(warga=cast["gita"], to_posyandu=mawar, moved_on=born(2026, 10, 5), user=admin)
    weigh(cast["gita"], 10, "10.3")
    weigh(cast["hadi"], 9, "12.0")
    weigh(cast["hadi"], 10, "12.5")
    weigh(cast["joko"], 9, "9.5")
    weigh(cast["joko"], 10, "9.8")
    people.warga_set_status(warga=cast["joko"], status=Warga.Status.MENINGGAL, status_date=born(2026, 10, 20))
    return cast


def _later_writes(world, cast):
    """November: Hadi dies, Fajar moves to Melati."""
    people.warga_set_status(warga=cast["hadi"], status=Warga.Status.MENINGGAL, status_date=datetime.date(2026, 11, 3))
    people.warga_move(warga=cast["fajar"], to_posyandu=world.posyandu_a2, moved_on=datetime.date(2026, 11, 15),
                      user=world.users["admin"])  # fmt: skip


def _from_results(results: dict) -> dict:
    """SKDN as an indicator list shows it: {figure: value}, from {indicator code: (numerator, denominator)}."""
    return {figure: results[code][0 if side == "numerator" else 1] for figure, (code, side) in SHOWN.items()}


def _from_f2(grand: dict) -> dict:
    return {figure: grand["N"] + grand["T"] if figure == "N+T" else grand[figure] for figure in SHOWN}


def _everywhere(world, login, posyandu, month=OCTOBER) -> dict[str, dict]:
    """SKDN of one posyandu and month as each place shows it."""
    periode = f"{month:%Y-%m}"
    client = login(world.users["kecamatan_a"])  # the kecamatan team sees both posyandu of the story
    report = client.get(reverse("laporan:laporan_posyandu", args=[posyandu.pk, periode]))
    grand = report.context["skdn"]["grand"]
    assert grand["N"] + grand["T"] + grand["O"] + grand["B"] == grand["D"] <= grand["S"]  # one code each
    listed = {r.indicator.code: (r.numerator, r.denominator) for r in report.context["results"]}

    params = {"periode": periode, "wilayah": posyandu.desa_id}
    board = client.get(reverse("laporan:dashboard"), params).context["board"]
    (row,) = [row for row in board.rows if row.posyandu_id == posyandu.pk]
    league = {code: (row.result(code).numerator, row.result(code).denominator) for code, _side in SHOWN.values()}
    totals = {r.indicator.code: (r.numerator, r.denominator) for r in board.total}  # the desa: this posyandu only

    workbook = load_workbook(io.BytesIO(client.get(reverse("laporan:excel_indikator"), params).content))
    sheet = {row[1]: (row[4], row[5]) for row in workbook["Ringkasan"].iter_rows(min_row=3, values_only=True)}
    return {
        "F2 table": _from_f2(grand),
        "indicator list": _from_results(listed),
        "dashboard row": _from_results(league),
        "dashboard total": _from_results(totals),
        "Excel": _from_results(sheet),
        "_f2": grand,
    }


def _assert_all_show(figures: dict, expected: dict) -> None:
    wanted = _from_f2(expected)
    for place, shown in figures.items():
        if not place.startswith("_"):
            assert shown == wanted, place


def test_every_place_shows_the_hand_worked_skdn_and_a_later_move_or_death_changes_none(world, october, login, rollup):
    before = _everywhere(world, login, world.posyandu_a)
    assert before["_f2"] == EXPECTED
    _assert_all_show(before, EXPECTED)

    # October is approved, then November's writes: Hadi dies, Fajar moves away.
    laporan = reports.laporan_get_or_create(posyandu=world.posyandu_a, month=OCTOBER)
    for role, action in (("pengurus_a", "ajukan"), ("desa_a1", "verifikasi"), ("kecamatan_a", "setujui")):
        laporan = reports.laporan_transition(laporan=laporan, action=action, user=world.users[role])
    _later_writes(world, october)

    after = _everywhere(world, login, world.posyandu_a)
    assert after == before  # the approved month reads the state of October, not today's
    # November reads November: Fajar at Melati, Hadi gone (only Melati's figures are checked here)
    november = _everywhere(world, login, world.posyandu_a2, month=datetime.date(2026, 11, 1))
    assert (november["_f2"]["S"], november["_f2"]["D"]) == (1, 0)


def test_the_f2_table_splits_the_same_children_by_age_band_and_sex(world, october, login, rollup):
    url = reverse("laporan:laporan_posyandu", args=[world.posyandu_a.pk, f"{OCTOBER:%Y-%m}"])
    skdn = login(world.users["kader_a"]).get(url).context["skdn"]
    bands = {band["label"]: band["by_sex"] for band in skdn["bands"]}
    girls, boys = Sex.PEREMPUAN, Sex.LAKI_LAKI
    # Ani (N, once though weighed twice), Eka (no KIA, not weighed), Gita (moved in: N)
    assert {k: bands["12–23"][girls][k] for k in ("S", "K", "D", "N", "T")} == {"S": 3, "K": 2, "D": 2, "N": 2, "T": 0}
    assert {k: bands["12–23"][boys][k] for k in ("S", "D", "N")} == {"S": 1, "D": 1, "N": 1}  # Fajar
    assert {k: bands["24–35"][boys][k] for k in ("S", "D", "N", "T", "2T")} == {"S": 2, "D": 2, "N": 1, "T": 1, "2T": 1}
    assert {k: bands["6–11"][girls][k] for k in ("S", "D", "B", "BGM")} == {"S": 1, "D": 1, "B": 1, "BGM": 1}
    assert bands["36–59"][boys]["O"] == 1  # Dodi
    assert skdn["ratios"]["N/D"] == 80.0 and skdn["ratios"]["D/S"] == 87.5


def test_a_child_counts_where_it_belonged_on_each_months_last_day(world, october, login, rollup):
    _later_writes(world, october)
    melati = {
        month: _everywhere(world, login, world.posyandu_a2, month=month)["_f2"]
        for month in (datetime.date(2026, 9, 1), OCTOBER)
    }
    # Gita was Melati's in September (weighed there for the first time: B) and left on 5 October;
    # Fajar joined only on 15 November.
    assert {k: melati[datetime.date(2026, 9, 1)][k] for k in ("S", "D", "B")} == {"S": 1, "D": 1, "B": 1}
    assert (melati[OCTOBER]["S"], melati[OCTOBER]["D"]) == (0, 0)


def test_a_move_marks_both_posyandu_stale_from_the_month_of_the_move(world, october, settings):
    settings.LAPORAN_REKAP = True  # the marks belong to the rollup (no live variant: nothing to skip)
    rekap.refresh([OCTOBER, datetime.date(2026, 11, 1)])
    assert not RekapKotor.objects.exists()
    people.warga_move(warga=october["fajar"], to_posyandu=world.posyandu_a2, moved_on=datetime.date(2026, 11, 15),
                      user=world.users["admin"])  # fmt: skip
    marks = dict(RekapKotor.objects.values_list("posyandu_id", "dirty_from"))
    assert marks == {world.posyandu_a.pk: datetime.date(2026, 11, 1), world.posyandu_a2.pk: datetime.date(2026, 11, 1)}


def test_a_late_weighing_becomes_the_months_one_and_next_months_code_follows(world, october):
    """A home visit entered after next month's weighing changes which weighing is the month's, and so
    next month's N/T (computed from it)."""
    dodi = october["dodi"]
    november = health.hari_buka_open(posyandu=world.posyandu_a, date=datetime.date(2026, 11, 10),
                                     user=world.users["kader_a"])  # fmt: skip
    weighed = health.kunjungan_record(warga=dodi, user=world.users["kader_a"], hari_buka=november,
                                      values={"weight_kg": D("14.1")})  # fmt: skip
    assert weighed.growth_code == "T"  # +100 g on October's 14,0 (KBM 200 g)
    health.kunjungan_record(
        warga=dodi, user=world.users["kader_a"], visit_date=datetime.date(2026, 10, 25), values={"weight_kg": D("13.8")}
    )  # fmt: skip  (October, at home, later than the 10th)
    weighed.refresh_from_db()
    assert weighed.growth_code == "N"  # +300 g on October's weighing, which is now the home visit


def test_a_kader_counts_at_the_level_held_in_the_month(world):
    """The stored level is today's; a month's count of Purwa / Madya / Utama kader is that month's."""

    from kader.models import Kader
    from kader.selectors import level_on
    from laporan import indicators as ind
    from tests.kader.conftest import make_kader, pass_groups

    kader = make_kader(world.posyandu_a)

    def held_today() -> str:
        return Kader.objects.annotate(held=level_on(dates.today())).get(pk=kader.pk).held

    pass_groups(kader, ["pengelolaan", "bayi-balita", "remaja"], on=datetime.date(2026, 5, 2))
    kader.refresh_from_db()
    assert kader.level == held_today() == "purwa"
    pass_groups(kader, ["ibu-hamil"], on=datetime.date(2026, 8, 20))
    kader.refresh_from_db()
    assert kader.level == held_today() == "madya"

    def levels(month: datetime.date) -> dict[str, int]:
        codes = ["kader_purwa", "kader_madya", "kader_utama"]
        values = ind.compute_live(user=None, period=ind.Period.month(month), measures=codes, posyandu=world.posyandu_a)
        return values["total"]

    assert levels(datetime.date(2026, 4, 1)) == {"kader_purwa": 0, "kader_madya": 0, "kader_utama": 0}
    assert levels(datetime.date(2026, 7, 1)) == {"kader_purwa": 1, "kader_madya": 0, "kader_utama": 0}
    assert levels(datetime.date(2026, 8, 1)) == {"kader_purwa": 0, "kader_madya": 1, "kader_utama": 0}


def test_an_approved_month_keeps_its_figures_when_todays_records_would_change_them(world, october, login, settings):
    """Writes dated today that the records would still read into October: a Buku KIA recorded for
    Eka, a two-year-old newcomer registered (born before October). October is approved, so its
    figures stay the approved ones everywhere; the open month shows the change; reopening October
    computes it again from the records."""
    settings.LAPORAN_REKAP = True  # the approved figures are kept by the rollup
    laporan = reports.laporan_get_or_create(posyandu=world.posyandu_a, month=OCTOBER)
    for role, action in (("pengurus_a", "ajukan"), ("desa_a1", "verifikasi"), ("kecamatan_a", "setujui")):
        laporan = reports.laporan_transition(laporan=laporan, action=action, user=world.users[role])
    people.warga_update(warga=october["eka"], has_buku_kia=True)
    people.warga_create(posyandu=world.posyandu_a, name="Putri Baru", sex=Sex.PEREMPUAN,
                        birth_date=datetime.date(2024, 12, 1), has_buku_kia=True)  # fmt: skip

    approved = _everywhere(world, login, world.posyandu_a)
    assert approved["_f2"] == EXPECTED  # S 8, K 7: as approved
    _assert_all_show(approved, EXPECTED)
    open_month = _everywhere(world, login, world.posyandu_a, month=dates.this_month())["_f2"]
    assert open_month["K"] == open_month["S"]  # today Eka and the newcomer have a book

    reports.laporan_transition(laporan=laporan, action="buka_kembali", user=world.users["admin"], comment="koreksi")
    reopened = _everywhere(world, login, world.posyandu_a)["_f2"]
    assert (reopened["S"], reopened["K"]) == (9, 9)  # the records as they are now
