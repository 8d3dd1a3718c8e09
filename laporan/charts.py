"""Server-rendered SVG charts for the rakor PDF (WeasyPrint draws SVG; no JavaScript there).

Presentation attributes only, no ``style`` attributes (the site's CSP forbids inline styles), and
every label escaped.
"""

import math

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

BAR_COLOUR = "#2e7d32"
BAR_BAD_COLOUR = "#c62828"
TARGET_COLOUR = "#ef8f00"
SERIES_COLOURS = ("#1a4f8b", "#2e7d32", "#c62828", "#ef8f00", "#6a1b9a")
TEXT = "#333333"
GRID = "#d6d6d6"


SERIES_DASHES = ("", "6 3", "2 2", "8 3 2 3", "1 3")  # told apart when printed in black and white


def _fmt(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _tick(value: float) -> str:
    """An axis label: whole numbers without ",0"."""
    return f"{value:g}".replace(".", ",")


def nice_axis(maximum: float, *, steps: int = 5) -> tuple[float, float]:
    """(axis end, step) with a round step (1, 2, 2.5 or 5 × 10ⁿ) and an end that is a multiple of it:
    0, 5, 10, 15 … rather than 0; 5,1; 10,3."""
    maximum = max(maximum, 1.0)
    raw = maximum / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(maximum / step - 1e-9), step


def bar_chart_svg(rows: list[tuple[str, float | None]], *, title: str, target: float | None = None,
                  width: int = 680, row_height: int = 16) -> SafeString:  # fmt: skip
    """Horizontal bars, one per area, with the target as a vertical line. Rows without a value say so."""
    label_width, right = 190, 50
    top = 26
    height = top + row_height * max(len(rows), 1) + 24
    values = [value for _name, value in rows if value is not None]
    scale_max, step = nice_axis(max([*values, target or 0, 1.0]) * 1.05)
    if scale_max > 100 >= max([*values, target or 0]):
        scale_max, step = 100.0, 20.0  # a percentage never needs more than 100
    plot = width - label_width - right

    def x(value: float) -> float:
        return label_width + plot * value / scale_max

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="9">',
        f"<title>{conditional_escape(title)}</title>",
        f'<text x="0" y="14" font-size="11" font-weight="bold" fill="{TEXT}">{conditional_escape(title)}</text>',
    ]
    for tick in range(0, round(scale_max / step) + 1):
        value = step * tick
        parts.append(
            f'<line x1="{x(value):.1f}" y1="{top - 4}" x2="{x(value):.1f}" y2="{height - 20}" stroke="{GRID}"'
            f'stroke-width="0.5"/>'
            f'<text x="{x(value):.1f}" y="{height - 8}" text-anchor="middle" fill="{TEXT}">{_tick(value)}</text>'
        )
    for index, (name, value) in enumerate(rows):
        y = top + index * row_height
        parts.append(
            f'<text x="{label_width - 6}" y="{y + row_height * 0.7:.1f}" text-anchor="end" fill="{TEXT}">'
            f"{conditional_escape(name[:32])}</text>"
        )
        if value is None:
            parts.append(
                f'<text x="{label_width + 4}" y="{y + row_height * 0.7:.1f}" fill="#777777">tidak ada data</text>'
            )
            continue
        colour = BAR_COLOUR if target is None or value <= target or title.startswith("Partisipasi") else BAR_BAD_COLOUR
        parts.append(
            f'<rect x="{label_width}" y="{y + 2}" width="{max(x(value) - label_width, 0.5):.1f}"'
            f'height="{row_height - 5}" fill="{colour}"/>'
            f'<text x="{x(value) + 3:.1f}" y="{y + row_height * 0.7:.1f}" fill="{TEXT}">{_fmt(value)}</text>'
        )
    if target is not None:
        parts.append(
            f'<line x1="{x(target):.1f}" y1="{top - 6}" x2="{x(target):.1f}" y2="{height - 20}"'
            f'stroke="{TARGET_COLOUR}" '
            f'stroke-width="1.5" stroke-dasharray="4 2"/>'
            f'<text x="{x(target) + 3:.1f}" y="{top - 8}" fill="{TARGET_COLOUR}">target {_fmt(target)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped labels and numbers


def line_chart_svg(labels: list[str], series: list[tuple[str, list[float | None]]], *, width: int = 680,
                   height: int = 220) -> SafeString:  # fmt: skip
    """Monthly trend lines (percent, 0–100) with a legend; gaps where a month has no value."""
    left, right, top, bottom = 40, 10, 14, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    count = max(len(labels) - 1, 1)

    def x(index: int) -> float:
        return left + plot_w * index / count

    def y(value: float) -> float:
        return top + plot_h * (1 - min(max(value, 0), 100) / 100)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, sans-serif" font-size="9">',
        "<title>Tren 12 bulan</title>",
    ]
    for tick in range(0, 101, 20):
        parts.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" stroke="{GRID}"'
            f'stroke-width="0.5"/>'
            f'<text x="{left - 4}" y="{y(tick) + 3:.1f}" text-anchor="end" fill="{TEXT}">{tick}</text>'
        )
    for index, label in enumerate(labels):
        parts.append(
            f'<text x="{x(index):.1f}" y="{top + plot_h + 12}" text-anchor="middle"'
            f'fill="{TEXT}">{conditional_escape(label)}</text>'
        )
    for number, (name, values) in enumerate(series):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        dash = SERIES_DASHES[number % len(SERIES_DASHES)] or "none"
        segment: list[str] = []
        for index, value in enumerate([*values, None]):
            if value is None:
                if len(segment) > 1:
                    parts.append(
                        f'<polyline fill="none" stroke="{colour}" stroke-width="1.8" stroke-dasharray="{dash}"'
                        f' points="{" ".join(segment)}"/>'
                    )
                segment = []
                continue
            segment.append(f"{x(index):.1f},{y(value):.1f}")
            parts.append(f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="2" fill="{colour}"/>')
        legend_x = left + number * 220
        parts.append(
            f'<line x1="{legend_x}" y1="{height - 13}" x2="{legend_x + 18}" y2="{height - 13}" stroke="{colour}"'
            f' stroke-width="2" stroke-dasharray="{dash}"/>'
            f'<text x="{legend_x + 22}" y="{height - 10}" fill="{TEXT}">{conditional_escape(name[:40])}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from escaped labels and numbers
