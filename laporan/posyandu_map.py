"""The map of the posyandu on the dashboard: each posyandu of the area as a point, coloured by one
indicator for the period, with its league table beside it.

One read (``posyandu_map``) gives the points, their colour classes and the table's order; the dashboard
renders it and ``/laporan/peta.json`` serves it compactly to the map's script when the indicator changes.
The values come from the same catalogue and rollup as every other figure (``rekap.compute`` grouped by
posyandu), so the map, the dashboard and the Excel agree.

Colour classes: at most five equal ranges with round bounds over the values shown, coloured from the
viridis scale (``MAP_PALETTE``): readable with every common colour-vision deficiency and ordered in
lightness, so the classes stay apart when printed in grey. The darkest is always the worst end (the
lowest for an indicator where higher is better, the highest for stunting and the like).
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from laporan import indicators as ind
from laporan import rekap
from posyandu.models import Posyandu, Wilayah
from posyandu.scope import area_filter, scoped

# viridis at 0, .25, .5, .75, 1: dark (worst) to light (best); lightness rises monotonically.
MAP_PALETTE = ("#440154", "#3b528b", "#21918c", "#5ec962", "#fde725")
NICE_STEPS = (1, 2, 2.5, 5)


@dataclass(frozen=True)
class MapClass:
    low: float
    high: float
    label: str
    shade: int  # position in MAP_PALETTE: 0 the darkest (worst) … 4 the lightest (best)

    @property
    def colour(self) -> str:
        return MAP_PALETTE[self.shade]


@dataclass(frozen=True)
class MapPoint:
    posyandu_id: int
    name: str
    desa: str
    latitude: float | None
    longitude: float | None
    result: ind.Result
    colour_class: int | None  # index into the map's classes; None without a value
    shade: int | None  # that class's shade (a CSS class ``peta-w<shade>``: no inline style under the CSP)


@dataclass(frozen=True)
class PosyanduMap:
    indicator: ind.Indicator
    classes: list[MapClass]
    points: list[MapPoint]  # best first, those without a value last (the league table's order)

    @property
    def without_coordinates(self) -> int:
        return sum(1 for point in self.points if point.latitude is None)

    def as_json(self) -> dict:
        """The compact form the map's script reads: one list per point, its fields named once."""
        indicator = self.indicator
        points = [
            [p.posyandu_id, p.name, p.desa, p.latitude, p.longitude, p.result.display if p.result.has_data else None,
             p.colour_class]
            for p in self.points
        ]  # fmt: skip
        return {
            "indicator": {"code": indicator.code, "name": str(indicator.name), "unit": indicator.unit},
            "classes": [{"label": c.label, "colour": c.colour, "shade": c.shade} for c in self.classes],
            "no_data": str(ind.NO_DATA),
            "posyandu_url": reverse("posyandu:detail", args=[0]),
            "fields": ["id", "name", "desa", "lat", "lon", "display", "class"],
            "points": points,
        }


def _nice(step: float) -> float:
    """The smallest round step (1, 2, 2.5 or 5 times a power of ten) of at least ``step``."""
    power = 10 ** math.floor(math.log10(step))
    for factor in (*NICE_STEPS, 10):
        if factor * power >= step - 1e-9:
            return factor * power
    return 10 * power


def _bound(value: float) -> str:
    return f"{value:g}".replace(".", ",")  # 12,5 — the Indonesian decimal comma


def map_classes(indicator: ind.Indicator, values: list[float]) -> list[MapClass]:
    """At most five equal ranges with round bounds covering ``values``, coloured worst (dark) to best."""
    if not values:
        return []
    low, high = min(values), max(values)
    step = _nice(max((high - low) / len(MAP_PALETTE), 1.0))
    while True:
        start = math.floor(low / step) * step
        count = math.floor((high - start) / step) + 1
        if count <= len(MAP_PALETTE):
            break
        step = _nice(step * 1.01)
    unit = " %" if indicator.is_ratio else ""
    classes = []
    for index in range(count):
        lower, upper = start + index * step, start + (index + 1) * step
        last = index == count - 1
        label = f"{_bound(lower)}–{'' if last else '<'}{_bound(upper)}{unit}"
        if low == high:  # every value the same: one class, named by that value
            label = f"{_bound(low)}{unit}"
        # Spread the palette over the classes; the darkest stays the worst end.
        position = round(index * (len(MAP_PALETTE) - 1) / (count - 1)) if count > 1 else len(MAP_PALETTE) // 2
        if not indicator.higher_is_better:
            position = len(MAP_PALETTE) - 1 - position
        classes.append(MapClass(lower, upper, label, position))
    return classes


def _class_of(classes: list[MapClass], value: float | None) -> int | None:
    if value is None or not classes:
        return None
    for index, colour_class in enumerate(classes):
        if value < colour_class.high:
            return index
    return len(classes) - 1


def posyandu_map(*, user, area: Wilayah | None, period: ind.Period, code: str) -> PosyanduMap:
    """Every posyandu of ``area`` in the user's scope that was active in ``period``, with the value of the
    indicator ``code``, its colour class and coordinates (None when not recorded).

    Queries: the posyandu with their desa names (one); the indicator's measures per posyandu: from the
    rollup its freshness checks (months held, marks) and one grouped sum; live, one grouped query per
    source. None per posyandu."""
    indicator = ind.INDICATORS[code]
    units = scoped(Posyandu.objects.all(), user).filter(
        Q(status=Posyandu.Status.AKTIF) | Q(inactive_since__gt=period.start)
    )
    if area is not None:
        units = units.filter(area_filter("desa__code", area.code))
    rows = list(units.order_by("name", "pk").values_list("pk", "name", "desa__name", "latitude", "longitude"))
    values = rekap.compute(user=user, period=period, measures=indicator.measures, group=ind.POSYANDU, area=area)
    results = {pk: ind.evaluate([indicator], values.get(pk, {}))[0] for pk, *_rest in rows}
    classes = map_classes(indicator, [r.value for r in results.values() if r.value is not None])
    points = []
    for pk, name, desa, lat, lon in rows:
        index = _class_of(classes, results[pk].value)
        points.append(
            MapPoint(pk, name, desa, None if lat is None else float(lat), None if lon is None else float(lon),
                     results[pk], index, None if index is None else classes[index].shade)
        )  # fmt: skip

    def rank(point: MapPoint):
        value = point.result.value
        if value is None:
            return (1, 0)
        return (0, -value if indicator.higher_is_better else value)

    return PosyanduMap(indicator, classes, sorted(points, key=rank))


def tile_layer() -> dict | None:
    """The base map's tile server from the settings (``PETA_TILE_URL``), or None: points on a plain
    background (district networks without the internet)."""
    if not settings.PETA_TILE_URL:
        return None
    return {"url": settings.PETA_TILE_URL, "attribution": settings.PETA_TILE_ATTRIBUTION or _("Peta dasar")}
