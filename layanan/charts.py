"""The KMS growth chart as server-rendered SVG, for pages and WeasyPrint PDFs alike.

The reference lines are the WHO 2006 −3 … +3 SD curves from the same LMS tables and formula as
``growth.py``, one point per month (age in days = months × 30.4375 rounded, as WHO converts). The
length/height chart steps down by the 0.7 cm at 24 months, where lying length gives way to standing
height, like the WHO 0–5 years chart. No JavaScript and no ``style`` attributes (the site's CSP
forbids inline styles): colours and sizes are SVG presentation attributes.
"""

import math
from decimal import ROUND_HALF_UP, Decimal

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from layanan.growth import LYING_UNTIL_DAYS, Sex, age_lms, lms_value
from posyandu.dates import DAYS_PER_MONTH

INDEXES = ("wfa", "lhfa")
MAX_MONTHS = 60
SD_LINES = (-3, -2, -1, 0, 1, 2, 3)
MINUS = "\u2212"  # a real minus sign in the labels

# KMS colours: red ±3, orange ±2, light green ±1 (dashed), green median, green band between ±2.
LINE_COLOURS = {3: "#c62828", 2: "#ef8f00", 1: "#8bc34a", 0: "#2e7d32"}
LINE_WIDTHS = {3: "1.5", 2: "1.5", 1: "1", 0: "2"}
BAND_FILL = "#e6f4df"
GRID_COLOUR = "#d6d6d6"
TEXT_COLOUR = "#333333"
CHILD_COLOUR = "#1a4f8b"

# Sizes for a 360 px phone, where the SVG is drawn about 1:1: no label under 12 px.
_MARGIN = {"left": 44, "right": 44, "top": 28, "bottom": 40}
LABEL_PX = 13  # the SVG is drawn about 336 px wide on a 360 px phone: 13 × 336 / 360 = 12.1 px
TITLE_PX = 14
# The SD labels in darker shades of the line colours, for 4.5:1 against white (the lines keep the KMS colours).
LABEL_COLOURS = {3: "#b71c1c", 2: "#8a5300", 1: "#33691e", 0: "#1b5e20"}


def _day(months: float) -> int:
    return int(Decimal(repr(months * DAYS_PER_MONTH)).quantize(Decimal(1), ROUND_HALF_UP))


def sd_curve(*, sex: str, index: str, z: float) -> list[tuple[float, float]]:
    """(month, value) of the ``z`` SD line, months 0 to 60.

    For "lhfa" month 24 appears twice: lying length at day 730, then standing height at day 731.
    """
    if index not in INDEXES:
        raise ValueError(f"index must be one of {INDEXES}")
    sex = Sex(sex)
    points = []
    for month in range(MAX_MONTHS + 1):
        day = _day(month)
        if index == "lhfa" and day == LYING_UNTIL_DAYS:
            points.append((float(month), lms_value(z, *age_lms(index, sex, day - 1), restricted=False)))
        points.append((float(month), lms_value(z, *age_lms(index, sex, day), restricted=index != "lhfa")))
    return points


def _sd_label(z: int) -> str:
    if z == 0:
        return "0 SD"
    return f"{'+' if z > 0 else MINUS}{abs(z)} SD"


def _nice_step(span: float) -> float:
    for step in (1, 2, 5, 10, 20, 50):
        if span / step <= 10:
            return step
    return 100


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def months_window(age_days: int | None) -> tuple[int, int]:
    """The months the chart shows: the child's own age range, not 0–60 for a baby. Up to the next
    multiple of 6 at least 2 months past the age (at least 12), the last 24 months of that; without
    an age the whole 0–60."""
    if age_days is None:
        return 0, MAX_MONTHS
    months = age_days / DAYS_PER_MONTH
    until = min(MAX_MONTHS, max(12, math.ceil((months + 2) / 6) * 6))
    return max(0, until - 24), until


def _spread(ys: list[float], gap: float) -> list[float]:
    """Label positions from the top down, moved down where two would overlap (at least ``gap`` apart)."""
    spread: list[float] = []
    for value in ys:
        spread.append(max(value, spread[-1] + gap) if spread else value)
    return spread


def _month_step(span: int) -> int:
    return 1 if span <= 12 else 3 if span <= 24 else 6


def _point_label(months: float, value: float, unit: str) -> str:
    whole = int(months + 1 / DAYS_PER_MONTH)  # a day's slack: 365 days is "12 bulan", not 11.99
    age = (
        gettext("%(n)s bulan") % {"n": whole}
        if whole < 24
        else gettext("%(y)s th %(m)s bln")
        % {
            "y": whole // 12,
            "m": whole % 12,
        }
    )
    return f"{age}: {_number(value).replace('.', ',')} {unit}"


def growth_chart_svg(
    *,
    sex: str,
    index: str,
    points: list[tuple[int, Decimal]],
    title: str = "",
    age_days: int | None = None,
    width: int = 360,
    height: int = 320,
) -> SafeString:
    """A KMS chart of ``index`` ("wfa": weight in kg, "lhfa": length/height in cm) for one child.

    ``points``: (age in days, value) of the child's measurements; for "lhfa" pass the height after
    the 0.7 cm correction (``GrowthResult.height_adjusted_cm``). ``age_days``: the child's age today;
    the chart shows the months around it (``months_window``), the whole 0–60 without it. Points
    outside the window and missing values are left out. The last point is drawn larger. Drawn for a
    360 px phone: at that width every label is at least 12 px; each point can take focus and names
    its age and value (``<title>``, read by screen readers, shown by ``js/kms.js`` on a tap).
    """
    # long: one SVG drawn top to bottom; the scale closures x(), y() are shared by every part
    if index not in INDEXES:
        raise ValueError(f"index must be one of {INDEXES}")
    sex = Sex(sex)
    first, last = months_window(age_days)
    curves = {z: [(m, v) for m, v in sd_curve(sex=sex, index=index, z=z) if first <= m <= last] for z in SD_LINES}
    child = sorted(
        (days / DAYS_PER_MONTH, float(value))
        for days, value in points
        if value is not None and days >= 0 and first <= days / DAYS_PER_MONTH <= last
    )

    low = min(v for _, v in curves[-3])
    high = max(v for _, v in curves[3])
    if child:
        low, high = min(low, *(v for _, v in child)), max(high, *(v for _, v in child))
    step = _nice_step(high - low)
    y_min, y_max = math.floor(low / step) * step, math.ceil(high / step) * step

    left, top = _MARGIN["left"], _MARGIN["top"]
    plot_w = width - _MARGIN["left"] - _MARGIN["right"]
    plot_h = height - _MARGIN["top"] - _MARGIN["bottom"]
    right, bottom = left + plot_w, top + plot_h

    def x(month: float) -> float:
        return left + (month - first) / (last - first) * plot_w

    def y(value: float) -> float:
        return bottom - (value - y_min) / (y_max - y_min) * plot_h

    def coords(series) -> str:
        return " ".join(f"{x(m):.1f},{y(v):.1f}" for m, v in series)

    if index == "wfa":
        default_title, y_caption, unit = gettext("Berat badan menurut umur"), gettext("Berat (kg)"), "kg"
    else:
        default_title, y_caption, unit = (
            gettext("Panjang/tinggi badan menurut umur"),
            gettext("Panjang/tinggi (cm)"),
            "cm",
        )
    title_text = conditional_escape(str(title) if title else f"{default_title} ({sex.label})")

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="group" aria-label="{title_text}" class="kms-chart" font-family="sans-serif">',
        f"<title>{title_text}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{width / 2:.1f}" y="18" font-size="{TITLE_PX}" font-weight="bold" fill="{TEXT_COLOUR}" '
        f'text-anchor="middle">{title_text}</text>',
        f'<polygon class="sd-band" points="{coords(curves[-2] + curves[2][::-1])}" fill="{BAND_FILL}" stroke="none"/>',
    ]

    grid, labels = [], []
    value = y_min
    while value <= y_max + 1e-9:
        grid.append(f'<line x1="{left}" y1="{y(value):.1f}" x2="{right}" y2="{y(value):.1f}"/>')
        labels.append(f'<text x="{left - 4}" y="{y(value) + 4:.1f}" text-anchor="end">{_number(value)}</text>')
        value += step
    for month in range(first, last + 1, _month_step(last - first)):
        grid.append(f'<line x1="{x(month):.1f}" y1="{top}" x2="{x(month):.1f}" y2="{bottom}"/>')
        labels.append(f'<text x="{x(month):.1f}" y="{bottom + 16}" text-anchor="middle">{month}</text>')
    parts.append(f'<g stroke="{GRID_COLOUR}" stroke-width="0.5">{"".join(grid)}</g>')
    parts.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#999999"/>')
    parts.append(f'<g font-size="{LABEL_PX}" fill="{TEXT_COLOUR}">{"".join(labels)}</g>')
    parts.append(
        f'<text x="{(left + right) / 2:.1f}" y="{height - 6}" font-size="{LABEL_PX}" fill="{TEXT_COLOUR}" '
        f'text-anchor="middle">{conditional_escape(gettext("Umur (bulan)"))}</text>'
    )
    parts.append(
        f'<text x="13" y="{(top + bottom) / 2:.1f}" font-size="{LABEL_PX}" fill="{TEXT_COLOUR}" text-anchor="middle" '
        f'transform="rotate(-90 13 {(top + bottom) / 2:.1f})">{conditional_escape(y_caption)}</text>'
    )

    label_y = _spread([y(curves[z][-1][1]) + 4 for z in reversed(SD_LINES)], LABEL_PX)[::-1]
    for z, text_y in zip(SD_LINES, label_y, strict=True):
        colour, stroke = LINE_COLOURS[abs(z)], LINE_WIDTHS[abs(z)]
        dash = ' stroke-dasharray="4 3"' if abs(z) == 1 else ""
        parts.append(
            f'<polyline class="sd-line" data-sd="{z}" points="{coords(curves[z])}" fill="none" '
            f'stroke="{colour}" stroke-width="{stroke}"{dash}/>'
        )
        parts.append(
            f'<text x="{right + 3}" y="{text_y:.1f}" font-size="{LABEL_PX}" '
            f'fill="{LABEL_COLOURS[abs(z)]}">{_sd_label(z)}</text>'
        )

    if child:
        if len(child) > 1:
            parts.append(
                f'<polyline class="child-line" points="{coords(child)}" fill="none" stroke="{CHILD_COLOUR}" '
                f'stroke-width="2"/>'
            )
        for position, (month, value) in enumerate(child):
            is_last = position == len(child) - 1
            label = conditional_escape(_point_label(month, value, unit))
            dot = (
                f'<circle class="child-point child-last" cx="{x(month):.1f}" cy="{y(value):.1f}" r="5.5" '
                f'fill="{CHILD_COLOUR}" stroke="#ffffff" stroke-width="2"/>'
                if is_last
                else f'<circle class="child-point" cx="{x(month):.1f}" cy="{y(value):.1f}" r="3.5" '
                f'fill="{CHILD_COLOUR}"/>'
            )
            # A transparent 22 px circle around each point: something a finger can tap.
            parts.append(
                f'<g class="kms-point" tabindex="0" role="img" '
                f'aria-label="{label}" data-value="{label}"><title>{label}</title>'
                f'<circle cx="{x(month):.1f}" cy="{y(value):.1f}" r="11" fill="#ffffff" fill-opacity="0"/>{dot}</g>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text inserted above is escaped or a number
