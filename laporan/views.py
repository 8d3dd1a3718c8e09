"""Report views. They read through the selectors and the indicator catalogue, and only wrap bytes.

Dashboards, the rakor PDF pack and the Excel export take the same parameters (``wilayah``: an area
code inside the user's scope; ``periode``: ``2026-03``, ``2026-T1`` or ``2026``; ``bidang``: an SPM
field) and call the same selectors, so their numbers agree.
"""

import datetime
import json
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kader import selectors as kader_selectors
from kader.forms import CoverageFilterForm, KaderFilterForm
from kader.models import Kader
from kader.permissions import can_view_kader_profile, require
from laporan import audit, excel, posyandu_map, rekap, selectors, services
from laporan import indicators as ind
from laporan.charts import bar_chart_svg, line_chart_svg
from laporan.models import KeputusanRakor, LaporanBulanan
from laporan.pdf import render_pdf
from laporan.personal import personal_data
from layanan import selectors as layanan_selectors
from layanan.models import HariBuka
from posyandu import dates, periods
from posyandu.models import Posyandu, SpmField, Warga, can_see_full_nik
from posyandu.params import query_area_code, query_choice, query_id
from posyandu.puskesmas import selectors as puskesmas_selectors
from posyandu.scope import get_object_for_user, limited_fields, within_puskesmas
from posyandu.selectors import keluarga_list, warga_list

LEAGUE_COLUMNS = ("skdn_ds", "skdn_nd", "stunting", "idl", "posyandu_opened", "laporan_submitted")
TREND_CODES = ("skdn_ds", "skdn_nd", "stunting")
PDF_COLUMNS = 6
COMPLETENESS_STATUSES = (*LaporanBulanan.Status.values, "terlambat")


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _field(request) -> str | None:
    """``bidang``; a user who sees some fields only always gets one of theirs: an OPD officer's own
    fields (another is a 404), a Puskesmas officer's health field."""
    if own := request.user.opd_fields:
        return query_choice(request, "bidang", own) or own[0]
    field = query_choice(request, "bidang", [*SpmField.values, ind.KELEMBAGAAN]) or None
    if (own := limited_fields(request.user)) and field not in own:
        return own[0]
    return field


def _supervision(user, area, period) -> dict:
    """What the Tim Pembina supervise beside the figures: red flags, strata, late reports and requests.
    Not for an OPD officer, who reads their fields' figures only (nothing of the posyandu's own books)."""
    if user.opd_fields:
        return {"flags": [], "strata": [], "stratum_of": {}, "strata_aktif": (0, 0), "attention": {}, "opd": True}
    strata = selectors.strata(user=user, area=area, month=period.end)
    return {
        "flags": selectors.red_flags(user=user, area=area, period=period, limit=15),
        "strata": selectors.strata_distribution(strata),
        "stratum_of": {row.posyandu.pk: row for row in strata},
        "strata_aktif": selectors.strata_aktif(strata),
        "attention": selectors.attention_counts(user=user, area=area, period=period),
        "opd": False,
    }


def _period(request) -> ind.Period:
    """``periode``: the default month when absent, 404 for anything not a period the system holds."""
    try:
        return ind.parse_period(request.GET.get("periode"), default=selectors.default_month())
    except periods.PeriodError as error:
        raise Http404(str(error)) from error


def _params(request, user=None):
    """The report pages' parameters, each validated before use: a malformed one is a 404. An area
    code of the right shape outside the user's scope gives the user's own area."""
    area = selectors.area_for_user(user or request.user, query_area_code(request, "wilayah"))
    return area, _period(request), _field(request)


def _lens(request):
    """``puskesmas=<id>``: the user's scope narrowed to that Puskesmas' working area (404 outside the
    scope), else the user as they are. Returns (the user to read as, the Puskesmas or None)."""
    puskesmas = puskesmas_selectors.puskesmas_for_user(user=request.user, pk=query_id(request, "puskesmas"))
    return within_puskesmas(request.user, puskesmas), puskesmas


def _query(area, period, field=None, **extra) -> str:
    params = {"periode": period.param}
    if area is not None:
        params["wilayah"] = area.code
    if field:
        params["bidang"] = field
    params.update({key: value for key, value in extra.items() if value})
    return urlencode(params)


# ---------------------------------------------------------------------------------------------
# Dashboards
# ---------------------------------------------------------------------------------------------
def dashboard(request):
    user, puskesmas = _lens(request)
    health_only = limited_fields(request.user) is not None
    if health_only and puskesmas is None:  # a Puskesmas officer: their working area, so named
        puskesmas = request.user.puskesmas
    area, period, field = _params(request, user)
    requested_sort = query_choice(request, "urut", ind.INDICATORS)
    board = selectors.dashboard(user=user, area=area, period=period, field=field, with_previous=True)
    codes = [i.code for i in board.indicators]
    sort = requested_sort if requested_sort in codes else None
    by_code = {i.code: i for i in board.indicators}  # with the kabupaten's targets
    columns = [by_code.get(c, ind.INDICATORS[c]) for c in (codes if field else LEAGUE_COLUMNS)]
    sort = sort or columns[0].code
    rows = selectors.league(board.rows, sort)
    trend_codes = [c for c in (codes[:3] if field else TREND_CODES) if c in ind.INDICATORS]
    trend = selectors.trend(user=user, area=area, end=period.end, codes=trend_codes)
    chart = {
        "labels": [f"{m:%m/%Y}" for m in trend["months"]],
        "datasets": [{"label": str(i.name), "data": trend["series"][i.code]} for i in trend["indicators"]],
    }
    return render(
        request,
        "laporan/dashboard.html",
        {
            "board": board,
            "area": area,
            "catalogue_targets": ind.catalogue_targets(area),  # the whole country or a province: say so
            "period": period,
            "field": field,
            "fields": _field_tabs(request.user),
            "puskesmas": puskesmas,
            "puskesmas_choices": [] if health_only else puskesmas_selectors.puskesmas_list(user=request.user),
            "health_only": health_only,
            "lens": f"&puskesmas={puskesmas.pk}" if puskesmas else "",
            "field_label": ind.FIELD_LABELS.get(field, "") if field else "",
            "columns": columns,
            "sort": sort,
            "rows": rows,
            "table": [(row, list(zip(columns, row.cells(columns), strict=True))) for row in rows],
            "trend": trend,
            "chart": chart,
            "trend_rows": list(
                zip(chart["labels"], zip(*(d["data"] for d in chart["datasets"]), strict=True), strict=True)
            )
            if chart["datasets"]
            else [],
            "crumbs": selectors.breadcrumbs(area, user),
            "periods": selectors.period_choices(),
            "query": _query(area, period, field, puskesmas=puskesmas.pk if puskesmas else None),
            "drill_posyandu": board.group == ind.POSYANDU,
            "findings": selectors.findings(board),
            "card_groups": _card_groups(board),
            **_map_context(request, user, board, area=area, period=period, default=sort),
            **_supervision(user, area, period),
        },
    )


def _map_context(request, user, board, *, area, period, default: str) -> dict:
    """The map of the posyandu, coloured by ``peta`` (one of the board's indicators, else ``default``)."""
    code = query_choice(request, "peta", ind.INDICATORS)
    codes = {i.code for i in board.indicators}
    points = posyandu_map.posyandu_map(user=user, area=area, period=period, code=code if code in codes else default)
    return {
        "map": points,
        "map_data": points.as_json(),
        "map_tiles": posyandu_map.tile_layer(),
        "map_choices": _map_choices(board),
    }


def _map_choices(board) -> list[tuple[str, list[ind.Indicator]]]:
    """The indicators the map can be coloured by, under their field's heading."""
    groups: dict[str, list[ind.Indicator]] = {}
    for indicator in board.indicators:
        groups.setdefault(str(ind.FIELD_LABELS.get(indicator.field, indicator.field)), []).append(indicator)
    return list(groups.items())


def peta_json(request):
    """The map's points for another indicator (``indikator``), as compact JSON: the dashboard's map
    recolours without reloading the page. Same parameters and scope as the dashboard."""
    user, _puskesmas = _lens(request)
    area, period, _field_unused = _params(request, user)
    own = limited_fields(request.user)  # a Puskesmas officer: the health field's indicators only
    codes = [code for code, indicator in ind.INDICATORS.items() if own is None or indicator.field in own]
    code = query_choice(request, "indikator", codes) or LEAGUE_COLUMNS[0]
    points = posyandu_map.posyandu_map(user=user, area=area, period=period, code=code)
    return JsonResponse(points.as_json(), json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})


def _field_tabs(user) -> list[tuple[str, str]]:
    """The field tabs a user may open: an OPD officer's own fields, a Puskesmas officer's health field."""
    if own := user.opd_fields:
        return [(value, SpmField(value).label) for value in own]
    tabs = [(ind.KELEMBAGAAN, ind.FIELD_LABELS[ind.KELEMBAGAAN]), *SpmField.choices]
    own = limited_fields(user)
    return [(value, label) for value, label in tabs if own is None or value in own]


def _card_groups(board) -> list[tuple[str, list[tuple[ind.Result, selectors.Change | None]]]]:
    """The dashboard's cards under their field's heading, in the catalogue's field order:
    (field label, [(result, change since the previous period), ...])."""
    groups: dict[str, list] = {}
    for result, previous in board.pairs:
        groups.setdefault(result.indicator.field, []).append((result, selectors.change_since(result, previous)))
    order = [value for value, _label in SpmField.choices] + [ind.KELEMBAGAAN]
    return [(ind.FIELD_LABELS[f], groups[f]) for f in order if f in groups]


def kelengkapan(request):
    """Who has submitted, who is late, who is approved — for one month and the user's area."""
    area, period, _field_unused = _params(request)
    status = query_choice(request, "status", COMPLETENESS_STATUSES)
    rows = selectors.completeness(user=request.user, area=area, month=period.end, status=status)
    everyone = rows if not status else selectors.completeness(user=request.user, area=area, month=period.end)
    return render(
        request,
        "laporan/kelengkapan.html",
        {
            "rows": rows,
            "summary": selectors.completeness_summary(everyone),
            "by_field": selectors.completeness_by_field(everyone),
            "area": area,
            "period": ind.Period.month(period.end),
            "status": status,
            "query": _query(area, ind.Period.month(period.end), status=status),
            "statuses": [*LaporanBulanan.Status.choices, ("terlambat", _("Terlambat"))],
            "deadline": selectors.report_deadline(period.end, area=area),
            "crumbs": selectors.breadcrumbs(area, request.user),
            "periods": [p for p in selectors.period_choices() if len(p[0]) == 7 and "T" not in p[0]],
        },
    )


# ---------------------------------------------------------------------------------------------
# One posyandu's monthly report
# ---------------------------------------------------------------------------------------------
def _month(value: str) -> datetime.date:
    """The month in a report's URL: a month the system holds (``posyandu.periods``), else 404."""
    return periods.month_or_404(value)


def _report_context(request, posyandu, month):
    laporan = LaporanBulanan.objects.filter(posyandu=posyandu, month=month).first()
    indicators = ind.kabupaten_indicators(
        [i for i in ind.CATALOGUE if i.field == SpmField.KESEHATAN], area=posyandu.desa_id, month=month
    )
    values = rekap.compute(
        user=request.user, period=ind.Period.month(month), measures=ind.measures_of(indicators), posyandu=posyandu
    ).get("total", {})
    return {
        "posyandu": posyandu,
        "month": month,
        "laporan": laporan,
        "skdn": selectors.report_skdn(user=request.user, month=month, posyandu=posyandu, laporan=laporan),
        "stratum": next(iter(selectors.strata(user=request.user, area=None, month=month, posyandu=posyandu)), None),
        "results": ind.evaluate(indicators, values),
        "bands": selectors.AGE_BANDS,
        "columns": selectors.SKDN_COLUMNS,
    }


def laporan_posyandu(request, posyandu_pk: int, month: str):
    posyandu = get_object_for_user(
        Posyandu.objects.select_related("desa", "desa__parent"), request.user, pk=posyandu_pk
    )
    month = _month(month)
    context = _report_context(request, posyandu, month)
    laporan = context["laporan"] or LaporanBulanan(posyandu=posyandu, month=month)
    context.update(
        transitions=services.allowed_transitions(laporan=laporan, user=request.user),
        history=list(laporan.riwayat.select_related("user")) if laporan.pk else [],
        previous_month=ind.add_months(month, -1),
        next_month=ind.add_months(month, 1) if ind.add_months(month, 1) <= dates.today() else None,
    )
    return render(request, "laporan/laporan_posyandu.html", context)


@require_POST
def laporan_transition(request, posyandu_pk: int, month: str):
    posyandu = get_object_for_user(Posyandu, request.user, pk=posyandu_pk)
    month = _month(month)
    url = reverse("laporan:laporan_posyandu", args=[posyandu.pk, f"{month:%Y-%m}"])
    try:
        laporan = services.laporan_act(
            posyandu=posyandu, month=month, action=request.POST.get("action", ""), user=request.user,
            comment=request.POST.get("comment", ""),
        )  # fmt: skip
    except ValidationError as error:  # PermissionDenied goes up: a 403
        for message in error.messages:
            messages.error(request, message)
        return redirect(url)
    messages.success(
        request,
        _("Laporan %(month)s: %(status)s.")
        % {"month": services.month_label(month), "status": laporan.get_status_display()},
    )
    return redirect(url)


def laporan_pdf(request, posyandu_pk: int, month: str):
    """The single posyandu monthly report in the layout of the Puskesmas F2 recap."""
    posyandu = get_object_for_user(
        Posyandu.objects.select_related("desa", "desa__parent"), request.user, pk=posyandu_pk
    )
    month = _month(month)
    context = _report_context(request, posyandu, month)
    context["printed_at"] = dates.localtime()
    content = render_pdf("laporan/pdf/laporan_f2.html", context)
    return _pdf_response(content, f"laporan-{posyandu.pk}-{month:%Y-%m}.pdf")


# ---------------------------------------------------------------------------------------------
# The rakor pack (PDF) and Excel
# ---------------------------------------------------------------------------------------------
def _target(board, code: str) -> float | None:
    """The indicator's target on the board: the kabupaten's own, else the catalogue's."""
    return next((i.target for i in board.indicators if i.code == code), ind.INDICATORS[code].target)


def _rakor_reader(request):
    """The pack's reader, Puskesmas and area. ``?puskesmas=<id>`` (404 outside the scope), or a Puskesmas
    officer's own: the pack of that working area, read through the Puskesmas lens, its pages per desa of
    the area holding it (``home_area``: the kecamatan, most often). Else the user's area (``wilayah``)."""
    user, puskesmas = _lens(request)
    if puskesmas is None and limited_fields(request.user) is not None:
        puskesmas = request.user.puskesmas
    code = query_area_code(request, "wilayah")
    if puskesmas is not None and code is None:
        code = puskesmas_selectors.home_area(puskesmas=puskesmas).code
    return user, puskesmas, selectors.area_for_user(user, code)


def rakor_pdf(request):
    """Kabupaten or kecamatan pack for a month, quarter or year: a cover with the key messages computed
    from the data, what needs attention, the follow-up of the previous rakor's decisions, summary of the
    fields, a page per kecamatan (or desa), charts, per-field tables, the health field per Puskesmas area
    (a kabupaten's pack), red flags, the posyandu not reporting counted per kecamatan, and their names in
    an annex. With a Puskesmas (``_rakor_reader``): the health field of its working area, the same parts."""
    user, puskesmas, area = _rakor_reader(request)
    period = _period(request)
    board = selectors.dashboard(
        user=user, area=area, period=period, field=SpmField.KESEHATAN if puskesmas else None, with_previous=True
    )
    trend = selectors.trend(user=user, area=area, end=period.end, codes=list(TREND_CODES))
    strata = selectors.strata(user=user, area=area, month=period.end)
    reports = selectors.completeness(user=user, area=area, month=period.end)
    not_reporting = selectors.not_reporting_by_area(reports)
    attention = selectors.attention_counts(user=user, area=area, period=period)
    if puskesmas is not None:  # the health field's requests only
        attention.overdue = [row for row in attention.overdue if row[0] == SpmField.KESEHATAN]
        previous_rakor, decisions = None, []  # a rakor is a meeting of an area's team, not of a Puskesmas
    else:
        previous_rakor, decisions = selectors.previous_rakor(user=user, area=area, period=period)
    # Per Puskesmas area: in a kabupaten's pack, not in one Puskesmas' (whose area may span kecamatan).
    health = _health_by_puskesmas(selectors.health_by_puskesmas(user=user, board=board) if not puskesmas else ([], []))
    content = render_pdf(
        "laporan/pdf/rakor.html",
        {
            "area": area,
            "puskesmas": puskesmas,
            "period": period,
            "board": board,
            "sections": _rakor_sections(board),
            "flags": selectors.red_flags(user=user, area=area, period=period, limit=40),
            "key_messages": selectors.key_messages(board, attention),
            "previous_rakor": previous_rakor,
            "decisions": decisions,
            "decision_counts": _decision_counts(decisions),
            "decision_groups": selectors.decisions_by_party(decisions, dates.today()),
            "area_pages": selectors.area_pages(board, strata, reports),
            **health,
            "today": dates.today(),
            "findings": selectors.findings(board),
            "not_reporting": not_reporting,
            "not_reporting_count": sum(group.count for group in not_reporting),
            "strata": selectors.strata_distribution(strata),
            "strata_by_area": _strata_by_area(board, strata),
            "strata_aktif": selectors.strata_aktif(strata),
            **_rakor_charts(board, trend),
            "printed_at": dates.localtime(),
            "user": request.user,
        },
    )
    name = puskesmas.code if puskesmas else (area.code if area else "nasional")
    return _pdf_response(content, f"rakor-{name}-{period.param}.pdf")


HEALTH_COLUMNS = 4  # per block of the per-Puskesmas table: a value, the previous one and the change each


def _health_by_puskesmas(by_puskesmas) -> dict:
    """The pack's per-Puskesmas health table cut in blocks of columns that fit an A4 page, and the
    Puskesmas areas with the most indicators below target (for the sentence under it)."""
    columns, rows = by_puskesmas
    blocks = [
        {
            "columns": columns[start : start + HEALTH_COLUMNS],
            "rows": [(row, row.cells[start : start + HEALTH_COLUMNS]) for row in rows],
        }
        for start in range(0, len(columns), HEALTH_COLUMNS)
    ]
    areas = [row for row in rows if row.puskesmas is not None and row.misses]
    return {
        "health_blocks": blocks,
        "health_count": len(columns),
        "health_worst": sorted(areas, key=lambda row: -row.misses)[:3],
    }


def _rakor_charts(board, trend) -> dict:
    """The pack's three charts: the 12-month trend, stunting and D/S per area."""
    return {
        "stunting_chart": bar_chart_svg(
            [(row.name, row.result("stunting").value) for row in selectors.league(board.rows, "stunting")],
            title=_("Prevalensi stunting (%)"),
            target=_target(board, "stunting"),
        ),
        "ds_chart": bar_chart_svg(
            [(row.name, row.result("skdn_ds").value) for row in selectors.league(board.rows, "skdn_ds")],
            title=_("Partisipasi penimbangan D/S (%)"),
            target=_target(board, "skdn_ds"),
        ),
        "trend_chart": line_chart_svg(
            [f"{m:%m/%y}" for m in trend["months"]],
            [(str(i.name), trend["series"][i.code]) for i in trend["indicators"]],
        ),
    }


def _decision_counts(decisions) -> list[tuple[str, int]]:
    """(status label, count) of the previous meeting's decisions, and how many are past their deadline."""
    today = dates.today()
    counts = [
        (str(label), sum(1 for d in decisions if d.status == value)) for value, label in KeputusanRakor.Status.choices
    ]
    return [*counts, (_("Lewat batas waktu"), sum(1 for d in decisions if d.is_overdue(today)))]


def _rakor_sections(board) -> list[dict]:
    """The rakor pack's per-field tables, cut in blocks of columns that fit an A4 page."""
    sections = []
    for code, label in [*SpmField.choices, (ind.KELEMBAGAAN, ind.FIELD_LABELS[ind.KELEMBAGAAN])]:
        indicators = [i for i in board.indicators if i.field == code]
        if not indicators:
            continue
        totals = {r.indicator.code: r for r in board.total}
        blocks = []
        for start in range(0, len(indicators), PDF_COLUMNS):  # an A4 page holds about six columns
            chunk = indicators[start : start + PDF_COLUMNS]
            blocks.append(
                {
                    "columns": chunk,
                    "rows": [(row, [row.result(i.code) for i in chunk]) for row in board.rows],
                    "totals": [totals[i.code] for i in chunk],
                }
            )
        sections.append({"label": label, "blocks": blocks})
    return sections


def _strata_by_area(board, strata) -> list[tuple]:
    """The rakor pack's strata distribution per row of the board (child area or posyandu)."""
    child_length = int(board.group.split(":")[1]) if board.group.startswith("child:") else None
    strata_by_area = [
        (
            row.name,
            selectors.strata_distribution(
                [s for s in strata if child_length and s.posyandu.desa_id[:child_length] == row.key]
                if child_length
                else [s for s in strata if s.posyandu.pk == row.key]
            ),
        )
        for row in board.rows
    ]
    return strata_by_area


def excel_kelengkapan(request):
    """The completeness page as a workbook: the same month, area and status filter."""
    area, period, _field_unused = _params(request)
    status = query_choice(request, "status", COMPLETENESS_STATUSES)
    rows = selectors.completeness(user=request.user, area=area, month=period.end, status=status)
    content = excel.kelengkapan_workbook(
        rows,
        selectors.completeness_by_field(rows),
        area_name=area.display_name if area else _("Seluruh wilayah"),
        period_label=ind.Period.month(period.end).label,
        deadline=selectors.report_deadline(period.end, area=area),
    )
    name = area.code if area else "nasional"
    return excel.response(content, f"kelengkapan-{name}-{period.end:%Y-%m}.xlsx")


def excel_indikator(request):
    area, period, field = _params(request)
    board = selectors.dashboard(user=request.user, area=area, period=period, field=field)
    content = excel.indicator_workbook(board)
    return excel.response(content, f"indikator-{area.code if area else 'nasional'}-{period.param}.xlsx")


def _full_numbers_for(user):
    """Whether an exported row (with its ``posyandu_id`` and ``posyandu__desa_id``) shows full NIK or KK
    numbers to ``user``: the one rule, for many numbers at once (``can_see_full_nik(bulk=True)``)."""

    answers: dict[tuple, bool] = {}  # one answer per posyandu, not one per row (100,000 rows)

    def show(row) -> bool:
        key = (row["posyandu_id"], row["posyandu__desa_id"])
        if key not in answers:
            answers[key] = can_see_full_nik(user, Posyandu(pk=key[0], desa_id=key[1]), bulk=True)
        return answers[key]

    return show


def excel_warga(request):
    """The people register of the user's scope; NIK masked unless the user keeps that register as a whole.
    Streamed: one query read in chunks (``excel.warga_workbook``)."""
    people = warga_list(user=request.user, status="")
    chunks = excel.warga_workbook(people, show_nik=_full_numbers_for(request.user))
    return excel.stream_response(chunks, f"register-warga-{dates.today():%Y%m%d}.xlsx")


def excel_kader(request):
    """The kader register of the user's scope, with the kader list's filters; NIK masked unless the user
    keeps that register (pengurus, desa operator, admin), for a kader too."""
    form = KaderFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():  # a file has no form to show the error on
        raise Http404("invalid filters")
    kader = kader_selectors.kader_list(user=request.user, **form.selector_filters())
    chunks = excel.kader_workbook(kader, show_nik=_full_numbers_for(request.user))
    return excel.stream_response(chunks, f"register-kader-{dates.today():%Y%m%d}.xlsx")


def excel_keluarga(request):
    """The household register of the user's scope with each household's latest survey; KK masked unless
    the user keeps that register as a whole. Streamed: one query, the survey joined in it."""
    households = keluarga_list(user=request.user).annotate(
        latest_survey=layanan_selectors.survei_latest_of(excel.KELUARGA_SURVEY_COLUMNS)
    )
    chunks = excel.keluarga_workbook(households, show_kk=_full_numbers_for(request.user))
    return excel.stream_response(chunks, f"register-keluarga-{dates.today():%Y%m%d}.xlsx")


# ---------------------------------------------------------------------------------------------
# The opening-day sheet (health field)
# ---------------------------------------------------------------------------------------------
def lembar_hari_buka(request, pk: int):
    """The printable opening-day sheet: everyone expected, what is due for each, blank boxes."""
    hari_buka = get_object_for_user(
        HariBuka.objects.select_related("posyandu", "posyandu__desa", "posyandu__desa__parent"), request.user, pk=pk
    )
    sections = layanan_selectors.roster(posyandu=hari_buka.posyandu, on=hari_buka.date, month=hari_buka.reporting_month)
    content = render_pdf(
        "laporan/pdf/lembar_hari_buka.html",
        {
            "hari_buka": hari_buka,
            "balita": sections["balita"],
            "ibu_hamil": sections["ibu_hamil"],
            "printed_at": dates.localtime(),
        },
    )
    return _pdf_response(content, f"lembar-hari-buka-{hari_buka.posyandu_id}-{hari_buka.date:%Y-%m-%d}.pdf")


# ---------------------------------------------------------------------------------------------
# Kader: coverage recap and the per-kader certificate of competencies
# ---------------------------------------------------------------------------------------------
def kader_rekap(request):
    """The printable coverage recap of the user's area (same filters as the coverage screen)."""
    form = CoverageFilterForm(request.GET or None, user=request.user)
    filters = form.selector_filters()
    if form.is_bound and not form.is_valid():  # a PDF has no form to show the error on
        raise Http404("invalid filters")
    coverage = kader_selectors.coverage(user=request.user, **filters)
    content = render_pdf("laporan/pdf/kader_rekap.html", {"c": coverage, "printed_at": dates.localtime()})
    return _pdf_response(content, f"rekap-kader-{coverage.year}.pdf")


def kader_sertifikat(request, pk: int):
    """A kader's competencies, level and trainings on one page, to print and sign."""
    kader = get_object_for_user(Kader.objects.select_related("posyandu__desa__parent"), request.user, pk=pk)
    require(can_view_kader_profile(request.user, kader))
    content = render_pdf(
        "laporan/pdf/kader_sertifikat.html",
        {
            "kader": kader,
            "groups": kader_selectors.kader_competencies(kader=kader),
            "trainings": kader_selectors.kader_trainings(kader=kader),
            "years": kader.years_of_service(),
            "printed_at": dates.localtime(),
        },
    )
    return _pdf_response(content, f"sertifikat-kompetensi-kader-{kader.pk}.pdf")


# ---------------------------------------------------------------------------------------------
# Audit trail
# ---------------------------------------------------------------------------------------------
def riwayat(request):
    """Who changed what in the area during the period, and changes made after a month was approved.

    For the desa operator, the Tim Pembina and admins (``audit.can_read_audit``)."""
    if not audit.can_read_audit(request.user):
        raise PermissionDenied(_("Riwayat perubahan hanya untuk operator desa, Tim Pembina dan admin."))
    area, period, _field_unused = _params(request)
    model_name = query_choice(request, "jenis", [name for name, _label in audit.MODEL_CHOICES])
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(period.last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return render(
        request,
        "laporan/riwayat.html",
        {
            "area": area,
            "period": period,
            "periods": selectors.period_choices(),
            "crumbs": selectors.breadcrumbs(area, request.user),
            "changes": []
            if model_name == audit.ACCOUNTS
            else audit.recent_changes(user=request.user, area=area, since=since, until=until, model_name=model_name),
            "account_changes": audit.account_changes(user=request.user, area=area, since=since, until=until)
            if model_name in ("", audit.ACCOUNTS)
            else None,
            "after_approval": audit.changes_after_approval(user=request.user, area=area),
            "model_choices": audit.MODEL_CHOICES,
            "model_name": model_name,
        },
    )


# ---------------------------------------------------------------------------------------------
# Personal data: a person's own data (the right of access, UU 27/2022)
# ---------------------------------------------------------------------------------------------
def warga_data(request, pk: int):
    """Everything the system holds about one person, as a JSON file, for the keepers of the register."""
    warga = get_object_for_user(Warga.objects.select_related("posyandu__desa", "keluarga"), request.user, pk=pk)
    if not can_see_full_nik(request.user, warga.posyandu):
        raise PermissionDenied(_("Hanya pengelola register posyandu ini yang dapat mengunduh data pribadi warga."))
    content = json.dumps(personal_data(warga=warga), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="data-warga-{warga.pk}.json"'
    return response
