"""The monthly recap a Puskesmas sends on: for a Puskesmas' working area (one row per desa of the area),
or for an administrative area (a kecamatan: one row per desa; a desa: one per posyandu). As PDF and Excel.

Every figure comes from the indicator catalogue through ``laporan.rekap`` or ``selectors.skdn`` (the
same numbers as the dashboards and the posyandu's own F2 report); only the nutrition status counts by
category, anaemia and kader present are counted here, each with its rule in its docstring.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, Q
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from laporan import indicators as ind
from laporan import rekap, selectors
from laporan.eppgbm import safe_text, save
from laporan.excel import HEADER_FILL
from layanan.growth import LhfaCategory, WfaCategory, WflhCategory
from layanan.models import HariBuka, Kunjungan
from posyandu.models import LifeStage, Posyandu, Puskesmas, Wilayah
from posyandu.puskesmas import selectors as puskesmas_selectors
from posyandu.scope import area_filter, scoped, within_puskesmas

DESA_GROUP = "child:13"  # rows per desa (a desa code is 13 characters)

ANAEMIA_HB_BELOW = Decimal("11")  # g/dL, pregnant women (WHO)
COLUMNS = (
    ("balita_s", "S"), ("balita_k", "K"), ("balita_d", "D"), ("balita_n", "N"), ("balita_t", "T"),
    ("balita_2t", "2T"), ("balita_o", "O"), ("balita_b", "B"), ("balita_bgm", "BGM"),
    ("vitamin_a_target", _("Sasaran vit A")), ("vitamin_a_given", _("Dapat vit A")),
    ("posyandu_total", _("Posyandu ada")), ("posyandu_opened", _("Posyandu buka")),
    ("laporan_submitted", _("Posyandu lapor")), ("kader_active", _("Kader ada")),
    ("bumil_visited", _("Bumil diperiksa")), ("bumil_kek", _("Bumil KEK")),
)  # fmt: skip
INDICES = (
    ("cat_wfa", _("BB/U"), WfaCategory),
    ("cat_lhfa", _("TB/U"), LhfaCategory),
    ("cat_wflh", _("BB/TB"), WflhCategory),
)


@dataclass
class RecapRow:
    name: str
    key: object
    values: dict[str, int]
    extra: dict[str, int] = field(default_factory=dict)


def _rows_of(area: Wilayah | None, user) -> tuple[str, list[tuple[object, str]]]:
    """The group and the (key, name) of each row: the child areas, or a desa's posyandu."""
    group = ind.child_group(area)
    if group is None:  # a desa: its posyandu
        posyandu = scoped(Posyandu.objects.filter(desa=area), user).order_by("name")
        return ind.POSYANDU, [(p.pk, p.name) for p in posyandu]
    length = int(group.split(":")[1])
    children = Wilayah.objects.filter(code__startswith=(area.code + ".") if area else "")
    children = [c for c in children if len(c.code) == length]
    return group, [(c.code, c.name) for c in sorted(children, key=lambda c: c.code)]


def _key_of(group: str, posyandu_id: int, desa_code: str):
    if group == ind.POSYANDU:
        return posyandu_id
    return desa_code[: int(group.split(":")[1])]


def _nutrition(user, area, month) -> dict[object, dict[str, int]]:
    """Each balita's latest measurement of the month, counted by index and category per posyandu and desa."""
    visits = scoped(Kunjungan.objects.all(), user).filter(stage=LifeStage.BALITA, reporting_month=month)
    if area is not None:
        visits = visits.filter(area_filter("posyandu__desa__code", area.code))
    latest = (
        visits.filter(Q(weight_kg__isnull=False) | Q(height_cm__isnull=False))
        .order_by("warga_id", "-visit_date", "-pk")
        .distinct("warga_id")
        .values_list("posyandu_id", "posyandu__desa__code", "cat_wfa", "cat_lhfa", "cat_wflh")
    )
    counts: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for posyandu_id, desa_code, *categories in latest:
        for (name, _label, _choices), category in zip(INDICES, categories, strict=True):
            if category:
                counts[(posyandu_id, desa_code)][f"{name}:{category}"] += 1
    return counts


def _anaemia_and_kader(user, area, month) -> dict[tuple, dict[str, int]]:
    """Pregnant women with Hb measured / below 11 g/dL (each once), and kader present: for each posyandu the
    most kader recorded present at one opening day of the month."""
    counts: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    visits = scoped(Kunjungan.objects.all(), user).filter(
        stage=LifeStage.IBU_HAMIL, reporting_month=month, hb_g_dl__isnull=False
    )
    days = scoped(HariBuka.objects.all(), user).filter(reporting_month=month)
    if area is not None:
        visits = visits.filter(area_filter("posyandu__desa__code", area.code))
        days = days.filter(area_filter("posyandu__desa__code", area.code))
    seen = set()
    for warga_id, posyandu_id, desa_code, hb in visits.order_by("warga_id", "visit_date").values_list(
        "warga_id", "posyandu_id", "posyandu__desa__code", "hb_g_dl"
    ):
        key = (posyandu_id, desa_code)
        if warga_id not in seen:
            counts[key]["hb_measured"] += 1
            seen.add(warga_id)
        if hb < ANAEMIA_HB_BELOW and (warga_id, "anaemia") not in seen:
            counts[key]["anaemia"] += 1
            seen.add((warga_id, "anaemia"))
    for posyandu_id, desa_code, present in (
        days.order_by()
        .values("posyandu_id", "posyandu__desa__code")
        .annotate(most=Max("kader_present"))
        .values_list("posyandu_id", "posyandu__desa__code", "most")
    ):
        counts[(posyandu_id, desa_code)]["kader_present"] += present or 0
    return counts


def recap(*, user, area: Wilayah | None, month: datetime.date, puskesmas: Puskesmas | None = None) -> dict:
    """The recap of ``area`` (a kecamatan, or what the user may see) for ``month``; with ``puskesmas``, of
    its working area as it stands today (the user's scope narrowed to it), one row per desa."""
    period = ind.Period.month(month)
    if puskesmas is not None:
        user, area = within_puskesmas(user, puskesmas), None
        group = DESA_GROUP
        rows_of = [(d.code, d.name) for d in scoped(puskesmas_selectors.working_area(puskesmas=puskesmas), user)]
    else:
        group, rows_of = _rows_of(area, user)
    codes = [code for code, _label in COLUMNS]
    values = rekap.compute(user=user, period=period, measures=codes, group=group, area=area)
    totals = rekap.compute(user=user, period=period, measures=codes, area=area).get(ind.TOTAL, {})
    extras: dict[object, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    grand: dict[str, int] = defaultdict(int)
    for source in (_nutrition(user, area, month), _anaemia_and_kader(user, area, month)):
        for (posyandu_id, desa_code), counted in source.items():
            key = _key_of(group, posyandu_id, desa_code)
            for name, number in counted.items():
                extras[key][name] += number
                grand[name] += number
    rows = [
        RecapRow(name=name, key=key, values=values.get(key, dict.fromkeys(codes, 0)), extra=extras.get(key, {}))
        for key, name in rows_of
    ]
    categories = [
        (f"{name}:{value}", label, choice_label)
        for name, label, choices in INDICES
        for value, choice_label in choices.choices
    ]
    return {
        "area": area,
        "puskesmas": puskesmas,
        "month": month,
        "skdn": selectors.skdn(user=user, month=month, area=area),
        "bands": selectors.AGE_BANDS,
        "skdn_columns": selectors.SKDN_COLUMNS,
        "columns": COLUMNS,
        "rows": rows,
        "totals": RecapRow(name=str(_("Jumlah")), key=None, values=totals, extra=dict(grand)),
        "categories": categories,
        "indices": INDICES,
    }


def _header_row(sheet, titles: list[str]) -> None:
    sheet.append(titles)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL


def workbook(context: dict) -> bytes:
    """The recap as Excel, the same cells as the PDF: SKDN by age band and sex; per row (desa or
    posyandu) the counts; nutrition status by index and category. Numbers as numbers."""
    book = Workbook()
    skdn_sheet = book.active
    skdn_sheet.title = "SKDN"
    skdn = context["skdn"]
    _header_row(skdn_sheet, [str(_("Umur (bulan)")), str(_("Jenis kelamin")), *context["skdn_columns"]])
    for band in skdn["bands"]:
        for sex, cell in band["by_sex"].items():
            skdn_sheet.append([band["label"], sex, *(cell[c] for c in context["skdn_columns"])])
    skdn_sheet.append([str(_("Jumlah")), "", *(skdn["grand"][c] for c in context["skdn_columns"])])
    rows = [*context["rows"], context["totals"]]
    per_row = book.create_sheet(str(_("Per wilayah")))
    extra = (
        ("kader_present", _("Kader hadir")),
        ("hb_measured", _("Bumil diperiksa Hb")),
        ("anaemia", _("Bumil anemia")),
    )
    _header_row(per_row, [str(context["row_kind"]).capitalize(), *(str(label) for _c, label in context["columns"]),
                         *(str(label) for _c, label in extra)])  # fmt: skip
    for row in rows:
        per_row.append([safe_text(str(row.name)), *(row.values.get(code, 0) for code, _l in context["columns"]),
                        *(row.extra.get(code, 0) for code, _l in extra)])  # fmt: skip
    nutrition = book.create_sheet(str(_("Status gizi")))
    _header_row(nutrition, [str(context["row_kind"]).capitalize(),
                           *(f"{index} {label}" for _key, index, label in context["categories"])])  # fmt: skip
    for row in rows:
        nutrition.append([safe_text(str(row.name)), *(row.extra.get(key, 0) for key, _i, _l in context["categories"])])
    for sheet in book.worksheets:
        sheet.column_dimensions["A"].width = 24
        sheet.freeze_panes = "B2"
    return save(book)
