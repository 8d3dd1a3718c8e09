"""The KMS chart SVG: well-formed, seven WHO SD lines, child points, escaping, no inline styles."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from layanan.charts import growth_chart_svg, sd_curve

SVG = "{http://www.w3.org/2000/svg}"
POINTS = [(0, Decimal("3.3")), (61, Decimal("5.6")), (183, Decimal("7.9")), (365, Decimal("9.6"))]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own SVG, not untrusted input


def test_the_svg_parses_as_xml_and_is_an_accessible_image():
    root = parse(growth_chart_svg(sex="L", index="wfa", points=POINTS, title="KMS Budi"))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "group"
    assert root.find(f"{SVG}title").text == "KMS Budi"
    assert root.get("viewBox") == "0 0 360 320"


@pytest.mark.parametrize(("sex", "index"), [("L", "wfa"), ("P", "wfa"), ("L", "lhfa"), ("P", "lhfa")])
def test_seven_sd_lines_labelled_with_a_real_minus_sign(sex, index):
    root = parse(growth_chart_svg(sex=sex, index=index, points=[]))
    lines = [p for p in root.iter(f"{SVG}polyline") if p.get("class") == "sd-line"]
    assert [line.get("data-sd") for line in lines] == ["-3", "-2", "-1", "0", "1", "2", "3"]
    texts = {t.text for t in root.iter(f"{SVG}text")}
    assert {"\u22123 SD", "\u22122 SD", "\u22121 SD", "0 SD", "+1 SD", "+2 SD", "+3 SD"} <= texts
    assert {"0", "6", "12", "24", "36", "48", "60"} <= texts


def test_sd_lines_are_coloured_like_the_kms():
    root = parse(growth_chart_svg(sex="L", index="wfa", points=[]))
    colour = {p.get("data-sd"): p.get("stroke") for p in root.iter(f"{SVG}polyline") if p.get("class") == "sd-line"}
    assert colour["-3"] == colour["3"] == "#c62828"
    assert colour["-2"] == colour["2"] == "#ef8f00"
    assert colour["0"] == "#2e7d32"
    assert [p for p in root.iter(f"{SVG}polygon") if p.get("class") == "sd-band"]


def test_median_for_boys_at_12_months_is_the_who_median():
    median = dict(sd_curve(sex="L", index="wfa", z=0))
    assert median[12] == pytest.approx(9.646, abs=1e-9)  # WHO weianthro.txt, boys day 365
    assert round(median[12], 1) == 9.6
    assert dict(sd_curve(sex="L", index="wfa", z=-2))[12] == pytest.approx(7.74, abs=0.01)  # printed: 7.7
    assert dict(sd_curve(sex="P", index="lhfa", z=0))[0] == pytest.approx(49.1477, abs=1e-9)


def test_length_curve_steps_from_lying_to_standing_at_24_months():
    median = [(m, v) for m, v in sd_curve(sex="L", index="lhfa", z=0) if m == 24]
    # WHO lenanthro.txt, boys: day 730 lying 87.8018 cm, day 731 standing 87.1303 cm.
    assert median == [(24, pytest.approx(87.8018)), (24, pytest.approx(87.1303))]


def test_each_curve_covers_0_to_60_months():
    months = [m for m, _ in sd_curve(sex="P", index="wfa", z=3)]
    assert months == [float(m) for m in range(61)]


def test_child_points_are_circles_joined_by_a_line_with_the_last_emphasised():
    root = parse(growth_chart_svg(sex="L", index="wfa", points=POINTS))
    circles = [c for c in root.iter(f"{SVG}circle") if "child-point" in c.get("class", "")]
    assert len(circles) == 4
    assert "child-last" in circles[-1].get("class")
    assert float(circles[-1].get("r")) > float(circles[0].get("r"))
    line = [p for p in root.iter(f"{SVG}polyline") if p.get("class") == "child-line"]
    assert len(line) == 1 and len(line[0].get("points").split()) == 4


def test_points_outside_0_to_60_months_and_missing_values_are_ignored():
    points = [
        (-3, Decimal("3.0")),
        (100, None),
        (200, Decimal("7.5")),
        (1826, Decimal("18")),  # 59.99 months
        (1827, Decimal("18")),  # 60.03 months
        (2000, Decimal("19")),
    ]
    root = parse(growth_chart_svg(sex="L", index="wfa", points=points))
    circles = [c for c in root.iter(f"{SVG}circle") if "child-point" in c.get("class", "")]
    assert len(circles) == 2


def test_a_title_with_markup_is_escaped():
    svg = growth_chart_svg(sex="P", index="lhfa", points=[], title='<script>alert("x")</script>')
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert parse(svg).find(f"{SVG}title").text == '<script>alert("x")</script>'


def test_no_inline_styles_or_scripts():
    svg = growth_chart_svg(sex="L", index="lhfa", points=[(400, Decimal("76.0")), (800, Decimal("86.0"))])
    assert "style=" not in svg
    assert "<script" not in svg


def test_y_axis_grows_to_include_a_child_far_outside_the_lines():
    root = parse(growth_chart_svg(sex="L", index="wfa", points=[(365, Decimal("1.2"))]))
    labels = {t.text for t in root.iter(f"{SVG}text")}
    assert "0" in labels
    circle = next(c for c in root.iter(f"{SVG}circle") if "child-last" in c.get("class", ""))
    assert 30 <= float(circle.get("cy")) <= 362  # inside the plot area


def test_unknown_index_is_refused():
    with pytest.raises(ValueError):
        growth_chart_svg(sex="L", index="bmi", points=[])


def test_a_seven_month_old_sees_months_0_to_12_not_0_to_60():
    root = parse(
        growth_chart_svg(sex="P", index="wfa", points=[(30, Decimal("4.1")), (213, Decimal("7.2"))], age_days=213)
    )
    ticks = [
        t.text for t in root.iter(f"{SVG}text") if t.text and t.text.isdigit() and t.get("text-anchor") == "middle"
    ]
    assert ticks == [str(m) for m in range(13)]


def test_an_older_child_sees_the_last_two_years_around_the_age():
    from layanan.charts import months_window

    assert months_window(None) == (0, 60)
    assert months_window(213) == (0, 12)  # 7 months
    assert months_window(913) == (12, 36)  # 30 months
    assert months_window(1800) == (36, 60)  # 59 months


def test_every_label_is_at_least_12_px_and_the_chart_is_drawn_for_360_px():
    root = parse(growth_chart_svg(sex="L", index="lhfa", points=POINTS, age_days=365))
    assert root.get("width") == "360"
    sizes = {float(el.get("font-size")) for el in root.iter() if el.get("font-size")}
    assert sizes and min(sizes) >= 12


def test_each_point_takes_focus_and_names_its_age_and_value():
    root = parse(growth_chart_svg(sex="L", index="wfa", points=POINTS, age_days=365))
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "kms-point"]
    assert [g.get("tabindex") for g in groups] == ["0"] * 4
    assert [g.find(f"{SVG}title").text for g in groups][-1] == "12 bulan: 9,6 kg"
    assert groups[1].get("aria-label") == "2 bulan: 5,6 kg"
