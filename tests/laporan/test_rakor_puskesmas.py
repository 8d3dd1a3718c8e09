"""The rakor pack and Puskesmas areas: a kabupaten pack's health figures per Puskesmas area, and the
pack of one Puskesmas area (``?puskesmas=<id>``, a Puskesmas officer's own by default).

In the cast (tests/conftest.py), Puskesmas Mappakasunggu's working area is desa A1 alone (posyandu
Mawar, with the ``march`` fixture's children); posyandu Melati (desa A2) and Anggrek (desa B1) lie in
no working area."""

import datetime
import re

import pytest
from django.urls import reverse

from laporan import indicators as ind
from laporan import selectors
from posyandu.models import SpmField
from posyandu.puskesmas import services as puskesmas_services
from posyandu.scope import within_puskesmas
from tests import factories
from tests.pdf import pdf_text

pytestmark = pytest.mark.rekap  # as production reads the figures: from the monthly rollup

MARCH = "2026-03"


def _pack(client, **params) -> str:
    response = client.get(reverse("laporan:rakor_pdf"), {"periode": MARCH, **params})
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    return pdf_text(response.content)


def _section(text: str) -> str:
    return text.split("Kesehatan per wilayah kerja Puskesmas — Maret 2026")[1].split("Tanda bahaya")[0]


def test_a_kabupaten_pack_has_the_health_figures_per_puskesmas_area(world, march, login):
    section = _section(_pack(login(world.users["kabupaten"])))
    # D/S of posyandu Mawar (desa A1): 4 of 5 balita weighed in March, 2 of 5 in February.
    assert "Puskesmas Mappakasunggu" in section and "1 desa" in section
    assert "80,0 %" in section and "40,0 % ▲ 40,0 poin" in section
    # The desa outside every working area (A2, B1) have figures: their own row, so the rows add up.
    assert "Desa di luar wilayah kerja Puskesmas" in section and "Kabupaten Takalar" in section
    assert "target ≥ 80 %" in section and "target ≤ 14 %" in section
    assert "Paling banyak indikator di bawah target: Puskesmas Mappakasunggu (3 dari 8)." in section


def test_a_kabupaten_without_puskesmas_has_no_such_section(world, march, login):
    from posyandu.models import Puskesmas, WilayahKerjaPuskesmas

    WilayahKerjaPuskesmas.objects.all().delete()
    Puskesmas.objects.filter(pk=world.puskesmas_a.pk).update(kabupaten=world.posyandu_x.desa.parent.parent)
    assert "Kesehatan per wilayah kerja Puskesmas" not in _pack(login(world.users["kabupaten"]))


@pytest.mark.parametrize("periode", ["2026-03", "2026-T1"])  # the rollup (a month) and the live path (a quarter)
def test_a_puskesmas_row_is_what_its_own_pack_and_the_dashboard_lens_show(world, march, periode):
    team = world.users["kabupaten"]
    period = ind.parse_period(periode, default=datetime.date(2026, 3, 1))
    board = selectors.dashboard(user=team, area=world.kabupaten, period=period, with_previous=True)
    columns, rows = selectors.health_by_puskesmas(user=team, board=board)
    assert [c.code for c in columns] == list(selectors.PUSKESMAS_CODES)
    lens = within_puskesmas(team, world.puskesmas_a)
    own = selectors.dashboard(
        user=lens, area=world.kabupaten, period=period, field=SpmField.KESEHATAN, with_previous=True
    )
    own_now = {r.indicator.code: r for r in own.total}
    own_before = {r.indicator.code: r for r in own.previous}
    puskesmas_row, outside, total = rows
    assert puskesmas_row.puskesmas == world.puskesmas_a and outside.puskesmas is None
    for now, before, _change in puskesmas_row.cells:
        code = now.indicator.code
        assert (now.numerator, now.denominator) == (own_now[code].numerator, own_now[code].denominator), code
        assert (before.numerator, before.denominator) == (own_before[code].numerator, own_before[code].denominator)
    # Every desa is in one area or outside them all: the parts add up to the kabupaten.
    for index, (whole, _before, _change) in enumerate(total.cells):
        parts = [row.cells[index][0] for row in (puskesmas_row, outside)]
        assert sum(p.numerator for p in parts) == whole.numerator, whole.indicator.code
        assert sum(p.denominator or 0 for p in parts) == (whole.denominator or 0), whole.indicator.code


def _more_puskesmas(world, count: int) -> None:
    """``count`` more Puskesmas in kecamatan B, each with a desa of its own holding a posyandu."""
    for index in range(count):
        desa = factories.area(f"73.05.02.{2101 + index}", f"Desa Tambahan {index}")
        factories.posyandu(desa=desa, name=f"Posyandu Tambahan {index}")
        puskesmas = puskesmas_services.puskesmas_create(
            code=f"P73050201{index + 10:02d}", name=f"Puskesmas Tambahan {index}", kabupaten=world.kabupaten
        )
        puskesmas_services.wilayah_kerja_assign(puskesmas=puskesmas, desa=desa, since=datetime.date(2025, 1, 1))


def _unlaid_pack(client, **params) -> str:
    """The pack's text without WeasyPrint's layout (``pdf_layout_skipped``): counted up to the rendered
    HTML, as the layout reads nothing from the database."""
    response = client.get(reverse("laporan:rakor_pdf"), {"periode": MARCH, **params})
    assert response.status_code == 200 and response.content.startswith(b"%PDF-1.7 sweep\n")
    return response.content.decode()


@pytest.mark.parametrize("extra", [0, 6])
def test_the_kabupaten_pack_reads_as_many_queries_however_many_puskesmas(
    world, march, login, django_assert_num_queries, pdf_layout_skipped, extra
):
    _more_puskesmas(world, extra)
    client = login(world.users["kabupaten"])
    _unlaid_pack(client)  # warm the session, the user and the rollup
    # Session and user (two); the pack as before (37: the kabupaten's settings; six rollup readers of
    # three queries each (months held, marks, grouped sum) for the board, its previous period, the trend,
    # the strata's 12-month and month-end sums and the red flags; the child areas; the posyandu of the
    # strata (two) and of the red flags (two); the reports and the month's records per field for the
    # completeness (seven); the settings for the deadline; the attention counts (four); the previous
    # rakor); its per-Puskesmas page: the kabupaten's Puskesmas in scope with their desa counted
    # (one), and the health measures grouped by the Puskesmas of each desa for the period and the previous
    # one (from the rollup: months held, marks and the grouped sum, each: six).
    with django_assert_num_queries(2 + 37 + 1 + 6):
        text = _unlaid_pack(client)
    assert text.count("Puskesmas Tambahan") == extra * 2  # each row in both blocks of columns


# ---------------------------------------------------------------------------------------------
# The pack of one Puskesmas area
# ---------------------------------------------------------------------------------------------
def test_the_pack_of_a_puskesmas_area_is_the_health_field_of_its_desa(world, march, login):
    client = login(world.users["kabupaten"])
    response = client.get(reverse("laporan:rakor_pdf"), {"periode": MARCH, "puskesmas": world.puskesmas_a.pk})
    assert response["Content-Disposition"] == 'inline; filename="rakor-P7305010101-2026-03.pdf"'
    text = pdf_text(response.content)
    assert "Bidang kesehatan — wilayah kerja Puskesmas Mappakasunggu" in text
    # a page per desa of the working area (desa A1 alone), nothing of the desa outside it
    assert "Desa Lassang — Maret 2026" in text and "Posyandu Mawar" in text
    for outside in ("Desa Bontoa", "Posyandu Melati", "Posyandu Anggrek", "Mangarabombang"):
        assert outside not in text, outside
    # the health field only, and no follow-up of an area team's meeting
    assert "D/S — partisipasi penimbangan 80,0 %" in text
    for other in ("Pendidikan", "Trantibum", "Tindak lanjut rakor sebelumnya", "Kesehatan per wilayah kerja"):
        assert other not in text, other


def _unstamped(text: str) -> str:
    """The pack without its "printed at HH:MM by" stamp: two packs printed a minute apart are the same."""
    stamp = re.compile(r"\d{2}:\d{2} oleh \w+")
    assert stamp.search(text), "the pack names when and by whom it was printed"
    return stamp.sub("", text)


def test_a_puskesmas_officer_gets_the_pack_of_their_own_area_without_asking(world, march, login):
    team = _pack(login(world.users["kabupaten"]), puskesmas=world.puskesmas_a.pk)
    officer = _pack(login(world.users["puskesmas_a"]))
    assert "oleh puskesmas_a" in officer and "oleh kabupaten" in team
    assert _unstamped(officer) == _unstamped(team)
    assert _unstamped(_pack(login(world.users["puskesmas_a"]), puskesmas=world.puskesmas_a.pk)) == _unstamped(officer)


def _pack_link(page) -> str:
    return page.content.decode().split(">PDF rakor<")[0].rsplit('href="', 1)[1].split('"')[0]


def test_the_dashboards_link_to_the_pack_of_the_puskesmas_area_they_show(world, march, login):
    officer = login(world.users["puskesmas_a"]).get(reverse("laporan:dashboard"), {"periode": MARCH})
    team = login(world.users["kabupaten"]).get(
        reverse("laporan:dashboard"), {"periode": MARCH, "puskesmas": world.puskesmas_a.pk}
    )
    for page in (officer, team):
        link = _pack_link(page)
        assert link.startswith(reverse("laporan:rakor_pdf")) and f"puskesmas={world.puskesmas_a.pk}" in link


def test_an_area_outside_the_puskesmas_area_shows_nothing_of_it(world, march, login):
    # ?wilayah= of kecamatan B (outside the working area): the lens still reads desa A1 only.
    for user, params in (
        ("puskesmas_a", {"wilayah": "73.05.02"}),
        ("kabupaten", {"wilayah": "73.05.02", "puskesmas": world.puskesmas_a.pk}),
    ):
        text = _pack(login(world.users[user]), **params)
        assert "Posyandu Anggrek" not in text and "Desa Punaga" not in text and "Posyandu Mawar" in text, user


def test_a_puskesmas_without_desa_today_gets_an_empty_pack_not_the_kabupaten(world, march, login):
    empty = puskesmas_services.puskesmas_create(code="P7305020101", name="Puskesmas Baru", kabupaten=world.kabupaten)
    released = puskesmas_services.puskesmas_create(code="P7305020102", name="Puskesmas Lama", kabupaten=world.kabupaten)
    puskesmas_services.wilayah_kerja_assign(puskesmas=released, desa=world.desa_b1, since=datetime.date(2024, 1, 1))
    puskesmas_services.wilayah_kerja_release(puskesmas=released, desa=world.desa_b1, on=datetime.date(2025, 1, 1))
    client = login(world.users["kabupaten"])
    for puskesmas in (empty, released):
        text = _pack(client, puskesmas=puskesmas.pk)
        assert f"wilayah kerja {puskesmas.name}" in text
        for name in ("Posyandu Mawar", "Posyandu Melati", "Posyandu Anggrek", "80,0 %", "83,3 %"):
            assert name not in text, (puskesmas.name, name)


def _second_puskesmas(world):
    return puskesmas_services.puskesmas_create(code="P7305020101", name="Puskesmas Lain", kabupaten=world.kabupaten)


def _luwu_puskesmas(world):
    kabupaten_x = world.posyandu_x.desa.parent.parent
    return puskesmas_services.puskesmas_create(code="P7324010101", name="Puskesmas Luwu", kabupaten=kabupaten_x)


@pytest.mark.parametrize(
    ("username", "value"),
    [
        ("puskesmas_a", _second_puskesmas),  # another Puskesmas' pack, same kabupaten
        ("puskesmas_a", _luwu_puskesmas),
        ("kabupaten", _luwu_puskesmas),  # another kabupaten's Puskesmas
        ("kecamatan_a", lambda world: world.puskesmas_a),  # a kecamatan team sees no Puskesmas
        ("kader_a", lambda world: world.puskesmas_a),
        ("kabupaten", lambda world: 9999999),
        ("kabupaten", lambda world: "abc"),
        ("kabupaten", lambda world: "1.0"),
        ("kabupaten", lambda world: "-1"),
        ("kabupaten", lambda world: " 1"),
        ("kabupaten", lambda world: "１"),  # fullwidth digit
        ("kabupaten", lambda world: "99999999999999999999"),
        ("puskesmas_a", lambda world: "0"),
    ],
)
def test_a_puskesmas_outside_the_scope_or_no_id_at_all_is_not_found(world, login, username, value):
    puskesmas = value(world)
    param = getattr(puskesmas, "pk", puskesmas)
    response = login(world.users[username]).get(reverse("laporan:rakor_pdf"), {"periode": MARCH, "puskesmas": param})
    assert response.status_code == 404


def test_the_officer_asking_for_another_puskesmas_learns_nothing_of_it(world, login):
    other = _second_puskesmas(world)
    client = login(world.users["puskesmas_a"])
    missing = client.get(reverse("laporan:rakor_pdf"), {"puskesmas": 9999999})
    hidden = client.get(reverse("laporan:rakor_pdf"), {"puskesmas": other.pk})
    assert hidden.status_code == missing.status_code == 404
    assert other.name not in hidden.content.decode()


def test_a_puskesmas_name_with_markup_is_printed_as_typed(world, march, login):
    odd = puskesmas_services.puskesmas_create(
        code="P7305020101", name="Puskesmas <b>Tebal</b> & Co", kabupaten=world.kabupaten
    )
    puskesmas_services.wilayah_kerja_assign(puskesmas=odd, desa=world.desa_b1, since=datetime.date(2024, 1, 1))
    client = login(world.users["kabupaten"])
    assert "Puskesmas <b>Tebal</b> & Co" in _section(_pack(client))
    own = _pack(client, puskesmas=odd.pk)
    assert own.count("Puskesmas <b>Tebal</b> & Co") >= 3  # cover, heading and every page's footer
    assert "Posyandu Anggrek" in own and "Posyandu Mawar" not in own


def test_a_puskesmas_area_across_two_kecamatan_gets_a_page_per_kecamatan(world, march, login):
    puskesmas_services.wilayah_kerja_assign(
        puskesmas=world.puskesmas_a, desa=world.desa_b1, since=datetime.date(2024, 1, 1)
    )
    text = _pack(login(world.users["puskesmas_a"]))
    assert "Kec. Mappakasunggu — Maret 2026" in text and "Kec. Mangarabombang — Maret 2026" in text
    assert "Posyandu Anggrek" in text and "Posyandu Melati" not in text  # desa A2 stays outside
    assert "Kesehatan per wilayah kerja Puskesmas" not in text  # that page is the kabupaten's


def test_an_admins_kabupaten_pack_lists_only_that_kabupatens_puskesmas(world, march, login):
    _luwu_puskesmas(world)
    section = _section(_pack(login(world.users["admin"]), wilayah=world.kabupaten.code))
    assert "Puskesmas Mappakasunggu" in section and "Puskesmas Luwu" not in section


@pytest.mark.parametrize("extra", [0, 6])
def test_the_pack_of_a_puskesmas_area_reads_as_many_queries_however_many_puskesmas(
    world, march, login, django_assert_num_queries, pdf_layout_skipped, extra
):
    _more_puskesmas(world, extra)
    client = login(world.users["kabupaten"])
    _unlaid_pack(client, puskesmas=world.puskesmas_a.pk)
    # Session and user (two); the Puskesmas (one) and its home area: its desa today and the kecamatan
    # (two); that area in the lens' scope (one); the pack as for an area, without the previous rakor
    # and the per-Puskesmas page (36, see above).
    with django_assert_num_queries(2 + 1 + 2 + 1 + 36):
        text = _unlaid_pack(client, puskesmas=world.puskesmas_a.pk)
    assert "Puskesmas Mappakasunggu" in text and "Puskesmas Tambahan" not in text
