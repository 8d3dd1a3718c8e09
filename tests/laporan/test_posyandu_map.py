"""The dashboard's map of the posyandu: points in the user's scope coloured by one indicator, the legend's
classes, the league table beside it, and the compact JSON the map's script reads."""

from decimal import Decimal

import pytest
from django.urls import reverse

from laporan import indicators as ind
from laporan.posyandu_map import MAP_PALETTE, map_classes
from posyandu import services as registry
from tests import factories

pytestmark = pytest.mark.rekap

MARCH = "2026-03"


def _place(world):
    """Coordinates for posyandu A and B (Takalar); A2 has none yet."""
    registry.posyandu_update(posyandu=world.posyandu_a, latitude=Decimal("-5.416700"), longitude=Decimal("119.450000"))
    registry.posyandu_update(posyandu=world.posyandu_b, latitude=Decimal("-5.500000"), longitude=Decimal("119.500000"))


def _points(response) -> dict[str, dict]:
    data = response.json()
    return {row[1]: dict(zip(data["fields"], row, strict=True)) for row in data["points"]}


def test_the_map_json_holds_each_posyandu_of_the_scope_with_its_value_class_and_coordinates(world, march, login):
    _place(world)
    response = login(world.users["kabupaten"]).get(reverse("laporan:peta_json"), {"periode": MARCH})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["indicator"] == {"code": "skdn_ds", "name": "D/S — partisipasi penimbangan", "unit": "%"}
    points = _points(response)
    assert set(points) == {"Posyandu Mawar", "Posyandu Melati", "Posyandu Anggrek"}  # not Kenanga (Gowa)
    mawar, melati, anggrek = points["Posyandu Mawar"], points["Posyandu Melati"], points["Posyandu Anggrek"]
    assert (mawar["lat"], mawar["lon"], mawar["desa"]) == (-5.4167, 119.45, world.desa_a1.name)
    assert mawar["display"] == "80,0 %" and anggrek["display"] == "100,0 %"  # D/S as on the dashboard
    assert melati["display"] is None and melati["class"] is None and melati["lat"] is None
    # Ranked best first, no value last; the worst of two classes is the darker.
    assert [row[1] for row in data["points"]] == ["Posyandu Anggrek", "Posyandu Mawar", "Posyandu Melati"]
    worse, better = data["classes"][mawar["class"]], data["classes"][anggrek["class"]]
    assert worse["shade"] < better["shade"] and data["posyandu_url"] == "/posyandu/0/"


def test_the_map_follows_the_chosen_indicator_and_the_scope(world, march, login):
    _place(world)
    client = login(world.users["kecamatan_a"])
    response = client.get(reverse("laporan:peta_json"), {"periode": MARCH, "indikator": "stunting"})
    points = _points(response)
    assert set(points) == {"Posyandu Mawar", "Posyandu Melati"}  # kecamatan A only
    assert response.json()["indicator"]["code"] == "stunting" and points["Posyandu Mawar"]["display"] == "50,0 %"
    # Another area than the user's: their own area; a code that is no indicator: 404.
    outside = client.get(reverse("laporan:peta_json"), {"periode": MARCH, "wilayah": world.kecamatan_b.code})
    assert set(_points(outside)) == {"Posyandu Mawar", "Posyandu Melati"}
    for bad in ("skdn_ds'--", "ｓkdn_ds", "x" * 500):
        assert client.get(reverse("laporan:peta_json"), {"periode": MARCH, "indikator": bad}).status_code == 404
    kader = login(world.users["kader_a"]).get(reverse("laporan:peta_json"), {"periode": MARCH})
    assert set(_points(kader)) == {"Posyandu Mawar"}


def test_the_dashboard_shows_the_map_legend_and_the_league_table_for_the_chosen_indicator(world, march, login):
    _place(world)
    client = login(world.users["kabupaten"])
    response = client.get(reverse("laporan:dashboard"), {"periode": MARCH, "peta": "stunting"})
    text = response.content.decode()
    assert response.context["map"].indicator.code == "stunting"
    assert 'id="peta"' in text and "vendor/leaflet-1.9.4/leaflet.js" in text and 'id="peta-data"' in text
    assert "data-tiles" not in text and "Tanpa peta dasar" in text  # no tile server configured
    assert "1 posyandu belum punya koordinat" in text  # Melati: in the table only
    table = text[text.index('id="peta-tabel-isi"') :]
    assert table.index("Posyandu Mawar") < table.index("Posyandu Melati")
    assert f'href="/posyandu/{world.posyandu_a.pk}/"' in table
    # An indicator of another field than the page's falls back to the league's sort column.
    response = client.get(reverse("laporan:dashboard"), {"periode": MARCH, "bidang": "kesehatan", "peta": "idl"})
    assert response.context["map"].indicator.code == "idl"
    response = client.get(reverse("laporan:dashboard"), {"periode": MARCH, "bidang": "sosial", "peta": "idl"})
    assert response.context["map"].indicator.field == "sosial"


def test_a_tile_server_when_configured_is_handed_to_the_map(world, march, login, settings):
    settings.PETA_TILE_URL = "https://peta.example.go.id/{z}/{x}/{y}.png"
    settings.PETA_TILE_ATTRIBUTION = "© Pemkab"
    text = login(world.users["kabupaten"]).get(reverse("laporan:dashboard"), {"periode": MARCH}).content.decode()
    assert 'data-tiles="https://peta.example.go.id/{z}/{x}/{y}.png"' in text and "© Pemkab" in text
    assert "Tanpa peta dasar" not in text


@pytest.mark.parametrize("extra", [0, 30])
def test_the_map_json_runs_the_same_queries_however_many_posyandu(world, march, login, django_assert_num_queries,
                                                                   extra):  # fmt: skip
    for index in range(extra):
        factories.posyandu(desa=world.desa_b1, name=f"Posyandu Tambahan {index}", latitude=Decimal("-5.4"),
                           longitude=Decimal("119.4"))  # fmt: skip
    client = login(world.users["kabupaten"])
    client.get(reverse("laporan:peta_json"), {"periode": MARCH})  # warm the session and the rollup
    # session, user (with its area); the posyandu with their desa names; the indicator's measures by
    # posyandu from the rollup: months held, marks (nothing stale), one grouped sum.
    with django_assert_num_queries(6):
        response = client.get(reverse("laporan:peta_json"), {"periode": MARCH})
    assert len(response.json()["points"]) == 3 + extra


def test_colour_classes_have_round_bounds_and_the_darkest_shade_at_the_worst_end():
    ds, stunting = ind.INDICATORS["skdn_ds"], ind.INDICATORS["stunting"]
    classes = map_classes(ds, [12.5, 47.0, 80.0, 99.0])
    assert [(c.low, c.high) for c in classes] == [(0, 20), (20, 40), (40, 60), (60, 80), (80, 100)]
    assert [c.label for c in classes] == ["0–<20 %", "20–<40 %", "40–<60 %", "60–<80 %", "80–100 %"]
    assert [c.colour for c in classes] == list(MAP_PALETTE)  # the lowest D/S the darkest
    reversed_ = map_classes(stunting, [3.0, 14.0, 31.5])
    assert len(reversed_) <= len(MAP_PALETTE) and reversed_[0].low <= 3.0 and reversed_[-1].high >= 31.5
    assert reversed_[-1].shade == 0 and reversed_[0].shade == len(MAP_PALETTE) - 1  # most stunting the darkest
    assert [c.label for c in map_classes(ds, [50.0, 50.0])] == ["50 %"]  # one value: one class, named by it
    assert map_classes(ds, []) == []
    counts = map_classes(ind.INDICATORS["posyandu_opened"], [0.0, 1.0, 2.0, 7.0])
    assert all(c.low == int(c.low) for c in counts) and len(counts) <= len(MAP_PALETTE)


def test_a_puskesmas_officer_recolours_the_map_with_the_health_field_only(world, march, login):
    # The officer's dashboard map fetched peta.json and got a 403 ("Peta tidak dapat dimuat ulang").
    _place(world)
    client = login(world.users["puskesmas_a"])
    response = client.get(reverse("laporan:peta_json"), {"periode": MARCH, "indikator": "stunting"})
    assert response.status_code == 200 and set(_points(response)) == {"Posyandu Mawar"}  # desa A1 only
    assert _points(response)["Posyandu Mawar"]["display"] == "50,0 %"
    for other_field in ("paud_5_6", "poor", "posyandu_opened"):  # pendidikan, sosial, kelembagaan
        assert client.get(reverse("laporan:peta_json"), {"periode": MARCH, "indikator": other_field}).status_code == 404
