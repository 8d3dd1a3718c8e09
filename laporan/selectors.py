"""Reads of the reporting app: dashboards, league tables, trends, red flags, report completeness, SKDN.

Everything goes through ``laporan.indicators`` (the catalogue) or is one grouped SQL query; no
query runs per posyandu or per person.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from laporan import indicators as ind
from laporan import rekap
from laporan.models import KeputusanRakor, LaporanBulanan, Rakor
from layanan.models import Kegiatan, Kejadian, Kunjungan, PendidikanAnak, PermintaanLayanan, SurveiKeluarga
from layanan.permissions import can_see_confidential, visible_fields
from layanan.selectors import overdue_q
from posyandu import dates
from posyandu.models import Posyandu, Puskesmas, Role, Sex, SpmField, Wilayah
from posyandu.pengaturan.selectors import deadline_in_force, kabupaten_settings
from posyandu.puskesmas.selectors import home_area, puskesmas_list
from posyandu.scope import area_filter, scoped


def default_month() -> datetime.date:
    """The month a Tim Pembina reviews by default: the previous one (the current one is still open)."""
    return ind.add_months(dates.this_month(), -1)


def area_for_user(user, code: str | None) -> Wilayah | None:
    """The area a dashboard shows: ``code`` if it lies in the user's scope, else the user's own area.

    A kader or pengurus sees their posyandu's desa, a Puskesmas officer the area holding its working
    area. ``None`` means national (an admin without area)."""
    if code:
        area = scoped(Wilayah.objects.all(), user).filter(code=code).first()
        if area is not None:
            return area
    if user.wilayah_id:
        return user.wilayah
    if user.posyandu_id:
        return user.posyandu.desa
    if user.role == Role.PUSKESMAS:
        return home_area(puskesmas=user.puskesmas)
    return None


def breadcrumbs(area: Wilayah | None, user) -> list[Wilayah]:
    """The chain from the user's own area down to ``area`` (codes nest by prefix)."""
    if area is None:
        return []
    codes = [area.code[:length] for length in (2, 5, 8, 13) if length <= len(area.code)]
    own = user.wilayah_id or (user.posyandu.desa_id if user.posyandu_id else None)
    if user.role == Role.PUSKESMAS:
        own = home_area(puskesmas=user.puskesmas).code
    if own:
        codes = [code for code in codes if len(code) >= len(own)]
    chain = {a.code: a for a in Wilayah.objects.filter(code__in=codes)}
    return [chain[code] for code in codes if code in chain]


def period_choices() -> list[tuple[str, str]]:
    """The periods a picker offers: the last 13 months, this and last year's quarters so far, two years."""
    this_month = dates.this_month()
    months = [ind.Period.month(ind.add_months(this_month, -offset)) for offset in range(0, 13)]
    quarters = []
    for year in (this_month.year, this_month.year - 1):
        for quarter in (4, 3, 2, 1):
            period = ind.Period.quarter(year, quarter)
            if period.start <= this_month:
                quarters.append(period)
    years = [ind.Period.year(this_month.year), ind.Period.year(this_month.year - 1)]
    return [(p.param, p.label) for p in (*months, *quarters, *years)]


# ---------------------------------------------------------------------------------------------
# League tables: one row per child area (or per posyandu in a desa)
# ---------------------------------------------------------------------------------------------
@dataclass
class LeagueRow:
    key: object
    name: str
    url_code: str | None  # child area code to drill into; None for a posyandu
    posyandu_id: int | None
    results: list[ind.Result]

    def result(self, code: str) -> ind.Result | None:
        return self._by_code.get(code)

    @cached_property
    def _by_code(self) -> dict[str, ind.Result]:
        return {r.indicator.code: r for r in self.results}

    def cells(self, columns: list[ind.Indicator]) -> list[ind.Result | None]:
        """The results in the order of a table's columns."""
        return [self._by_code.get(c.code) for c in columns]


@dataclass
class Dashboard:
    area: Wilayah | None
    period: ind.Period
    indicators: list[ind.Indicator]
    total: list[ind.Result]
    previous: list[ind.Result]
    rows: list[LeagueRow]
    group: str
    flags: list["RedFlag"] = field(default_factory=list)
    # The previous period per row key (child area code or posyandu id), when asked ``with_previous``.
    previous_rows: dict[object, list[ind.Result]] = field(default_factory=dict)
    # The report deadline of the period's last month in the area's kabupaten (its settings in force).
    deadline: datetime.date | None = None

    @property
    def pairs(self) -> list[tuple[ind.Result, ind.Result]]:
        """(this period, previous period) per indicator."""
        return list(zip(self.total, self.previous, strict=True))


def _rows_for(values: dict, *, user, area: Wilayah | None, indicators, group) -> list[LeagueRow]:
    if group == ind.POSYANDU:
        units = scoped(Posyandu.objects.all(), user).filter(desa=area).order_by("name")
        return [LeagueRow(p.pk, p.name, None, p.pk, ind.evaluate(indicators, values.get(p.pk, {}))) for p in units]
    children = Wilayah.objects.filter(parent=area) if area else Wilayah.objects.filter(code__in=list(values))
    children = scoped(children, user).order_by("name")
    return [
        LeagueRow(c.code, c.display_name, c.code, None, ind.evaluate(indicators, values.get(c.code, {})))
        for c in children
    ]


def _sum(groups: dict) -> dict[str, int]:
    """The area's totals from its parts: every measure is a count or a sum over rows that each belong to
    exactly one posyandu, so the parts add up to the whole (no second pass over the data)."""
    total: dict[str, int] = {}
    for values in groups.values():
        for code, value in values.items():
            total[code] = total.get(code, 0) + (value or 0)
    return total


def dashboard(
    *, user, area: Wilayah | None, period: ind.Period, field: str | None = None, with_previous: bool = False
) -> Dashboard:
    """Summary, league table of the child areas (or of the posyandu of a desa) and, when asked, the
    previous period for comparison.

    Queries: per source of the chosen indicators one, grouped by child area (the totals are their
    sum), plus the same again for the previous period when asked, plus one for the child names, plus
    one for the settings the area's kabupaten had in force (its targets and report deadline)."""
    rules = kabupaten_settings(kabupaten=area.code if area else None, month=period.end)
    indicators = ind.with_targets(ind.indicators_for(field), rules.targets)
    measures = ind.measures_of(indicators)
    group = ind.child_group(area) or ind.POSYANDU
    periods = [period, period.previous()] if with_previous else [period]
    values, *before = rekap.compute_periods(user=user, periods=periods, measures=measures, group=group, area=area)
    previous_groups = before[0] if before else {}
    previous = _sum(previous_groups) if before else {}
    return Dashboard(
        area=area,
        period=period,
        indicators=indicators,
        total=ind.evaluate(indicators, _sum(values)),
        previous=ind.evaluate(indicators, previous),
        rows=_rows_for(values, user=user, area=area, indicators=indicators, group=group),
        group=group,
        previous_rows={key: ind.evaluate(indicators, v) for key, v in previous_groups.items()},
        deadline=ind.add_months(period.end, 1).replace(day=rules.deadline_day),
    )


def league(rows: list[LeagueRow], code: str) -> list[LeagueRow]:
    """Rows ordered best first by one indicator (rows without a value last)."""
    indicator = ind.INDICATORS[code]

    def key(row):
        value = row.result(code).value
        if value is None:
            return (1, 0)
        return (0, -value if indicator.higher_is_better else value)

    return sorted(rows, key=key)


# ---------------------------------------------------------------------------------------------
# Trends
# ---------------------------------------------------------------------------------------------
TREND_MONTHS = 12


def trend(*, user, area: Wilayah | None, end: datetime.date, codes: list[str]) -> dict:
    """The last 12 months of some indicators for the area: ``{"months": [...], "series": {code: [...]}}``.

    Queries: from the rollup, its freshness checks and one grouped sum; live, per source and month
    (12 × sources, each source's query built once). Independent of the number of posyandu either way."""
    months = [ind.add_months(end, -offset) for offset in range(TREND_MONTHS - 1, -1, -1)]
    indicators = [ind.INDICATORS[code] for code in codes]
    measures = ind.measures_of(indicators)
    series: dict[str, list[float | None]] = {code: [] for code in codes}
    if rekap.enabled():  # one grouped sum over the rollup's twelve months
        by_month = rekap.values(
            user=user, period=ind.Period(months[0], months[-1]), measures=measures, group=ind.MONTH, area=area
        )
    else:  # live: each source's query built once and run for each month
        live = ind.compute_live_periods(
            user=user, periods=[ind.Period.month(month) for month in months], measures=measures, area=area
        )
        by_month = {month: values.get(ind.TOTAL, {}) for month, values in zip(months, live, strict=True)}
    for month in months:
        values = dict.fromkeys(measures, 0) | by_month.get(month, {})
        for result in ind.evaluate(indicators, values):
            series[result.indicator.code].append(None if result.value is None else round(result.value, 1))
    return {"months": months, "series": series, "indicators": indicators}


# ---------------------------------------------------------------------------------------------
# Red flags
# ---------------------------------------------------------------------------------------------
STUNTING_FLAG_PERCENT = 20  # WHO: ≥ 20 % is a "medium" public-health problem
STUNTING_FLAG_MIN_MEASURED = 10  # smaller groups give no reliable prevalence


@dataclass
class RedFlag:
    posyandu: Posyandu
    reasons: list[str]


def red_flags(*, user, area: Wilayah | None, period: ind.Period, limit: int = 50) -> list[RedFlag]:
    """Posyandu needing help: not opened, no report, high stunting, BGM or 2T children, no trained kader.

    Queries: one per source of the measures below, grouped by posyandu, one for the posyandu of the area
    and one for the instances of those flagged (at most ``limit``)."""
    measures = ["posyandu_opened", "laporan_submitted", "stunted", "measured_height", "balita_bgm", "balita_2t"]
    measures.append("kader_trained")
    values = rekap.compute(user=user, period=period, measures=measures, group=ind.POSYANDU, area=area)
    posyandu = scoped(Posyandu.objects.filter(status=Posyandu.Status.AKTIF), user)
    if area is not None:
        posyandu = posyandu.filter(area_filter("desa__code", area.code))
    closed, unreported, untrained = str(_("tidak buka")), str(_("belum melapor")), str(_("tidak ada kader terlatih"))
    flags = []
    for pk in posyandu.order_by("desa__name", "name").values_list("pk", flat=True):
        row = values.get(pk, {})
        reasons = []
        if not row.get("posyandu_opened"):
            reasons.append(closed)
        if not row.get("laporan_submitted"):
            reasons.append(unreported)
        measured, stunted = row.get("measured_height", 0), row.get("stunted", 0)
        if measured >= STUNTING_FLAG_MIN_MEASURED and 100 * stunted / measured >= STUNTING_FLAG_PERCENT:
            reasons.append(str(_("stunting %(p).0f %%")) % {"p": 100 * stunted / measured})
        if row.get("balita_bgm"):
            reasons.append(str(_("%(n)s balita BGM")) % {"n": row["balita_bgm"]})
        if row.get("balita_2t"):
            reasons.append(str(_("%(n)s balita 2T")) % {"n": row["balita_2t"]})
        if not row.get("kader_trained"):
            reasons.append(untrained)
        if reasons:
            flags.append((pk, reasons))
    flags.sort(key=lambda flag: -len(flag[1]))
    flags = flags[:limit]
    # Instances only for the flags shown, not for every posyandu of a kabupaten.
    units = Posyandu.objects.select_related("desa").in_bulk([pk for pk, _reasons in flags])
    return [RedFlag(units[pk], reasons) for pk, reasons in flags]


# ---------------------------------------------------------------------------------------------
# Report completeness and timeliness
# ---------------------------------------------------------------------------------------------
@dataclass
class CompletenessRow:
    posyandu: Posyandu
    laporan: LaporanBulanan | None
    visits: int  # health records this month
    late: bool
    fields: dict[str, int] = field(default_factory=dict)  # records this month per SPM field

    @property
    def field_badges(self) -> list[tuple[str, str, int]]:
        """(field, short label, records) for the six fields, in their order."""
        return [(code, FIELD_SHORT[code], self.fields.get(code, 0)) for code in SpmField.values]

    @property
    def fields_reported(self) -> int:
        return sum(1 for code in SpmField.values if self.fields.get(code))

    @property
    def status(self) -> str:
        return self.laporan.status if self.laporan else LaporanBulanan.Status.DRAF

    @property
    def status_label(self) -> str:
        return self.laporan.get_status_display() if self.laporan else str(LaporanBulanan.Status.DRAF.label)


# Short labels for the six fields' badges on a phone-width row.
FIELD_SHORT = {
    SpmField.KESEHATAN: _("Kes"),
    SpmField.PENDIDIKAN: _("Pend"),
    SpmField.SOSIAL: _("Sos"),
    SpmField.PERUMAHAN_RAKYAT: _("Rumah"),
    SpmField.PEKERJAAN_UMUM: _("PU"),
    SpmField.TRANTIBUM_LINMAS: _("Linmas"),
}
# A household survey records water and sanitation (pekerjaan umum), the house (perumahan rakyat) and
# poverty and bansos (sosial) at once: it counts for all three.
SURVEY_FIELDS = (SpmField.SOSIAL, SpmField.PERUMAHAN_RAKYAT, SpmField.PEKERJAAN_UMUM)


def records_per_field(
    *, ids: list[int], month: datetime.date, with_confidential: bool = True
) -> dict[int, dict[str, int]]:
    """Per posyandu, how many records each of the six fields has for ``month``.

    kesehatan: visits; pendidikan: schooling records; the five fields also count their activities
    (kegiatan) and service requests; household surveys count for sosial, perumahan rakyat and
    pekerjaan umum; incidents for trantibum linmas — confidential ones only ``with_confidential``
    (the rule of the incident measures, ``indicators.WITHOUT_CONFIDENTIAL``). Six grouped queries,
    however many posyandu."""
    last_day = ind.Period.month(month).last_day
    counts: dict[int, dict[str, int]] = {pk: {} for pk in ids}

    def add(pairs, field_code=None):
        for posyandu_id, code, n in pairs:
            row = counts[posyandu_id]
            for f in (code,) if code else field_code:
                row[f] = row.get(f, 0) + n

    def grouped(queryset, posyandu_path, field_path=None):
        keys = [posyandu_path, field_path] if field_path else [posyandu_path]
        rows = queryset.filter(**{f"{posyandu_path}__in": ids}).order_by().values_list(*keys).annotate(n=Count("pk"))
        return [(r[0], r[1], r[2]) if field_path else (r[0], None, r[1]) for r in rows]

    add(grouped(Kunjungan.objects.filter(reporting_month=month), "posyandu_id"), (SpmField.KESEHATAN,))
    add(grouped(Kegiatan.objects.filter(reporting_month=month), "posyandu_id", "field"))
    add(
        grouped(
            PermintaanLayanan.objects.filter(recorded_on__gte=month, recorded_on__lte=last_day), "posyandu_id", "field"
        )
    )
    add(
        grouped(
            SurveiKeluarga.objects.filter(survey_date__gte=month, survey_date__lte=last_day), "keluarga__posyandu_id"
        ),
        SURVEY_FIELDS,
    )
    add(
        grouped(PendidikanAnak.objects.filter(recorded_on__gte=month, recorded_on__lte=last_day), "warga__posyandu_id"),
        (SpmField.PENDIDIKAN,),
    )
    incidents = Kejadian.objects.filter(occurred_on__gte=month, occurred_on__lte=last_day)
    if not with_confidential:
        incidents = incidents.filter(confidential=False)
    add(grouped(incidents, "posyandu_id"), (SpmField.TRANTIBUM_LINMAS,))
    return counts


def report_deadline(
    month: datetime.date, *, area: Wilayah | str | None = None, posyandu_id: int | None = None
) -> datetime.date:
    """The day by which ``month``'s report is due: the deadline day the kabupaten of ``area`` (or of the
    posyandu) had in force for that month, in the following month (``posyandu.pengaturan``). One query;
    none above a kabupaten (the installation's default)."""
    code = area.code if isinstance(area, Wilayah) else area
    rules = kabupaten_settings(kabupaten=code, posyandu_id=posyandu_id, month=month)
    return ind.add_months(month, 1).replace(day=rules.deadline_day)


def completeness(*, user, area: Wilayah | None, month: datetime.date, status: str = "") -> list[CompletenessRow]:
    """Every active posyandu of the area with its report for ``month`` and whether it is late.

    Queries: the posyandu (with desa and kecamatan), their reports, six grouped counts of the month's
    records per field (``records_per_field``) and the kabupaten's deadline: nine, however many posyandu."""
    posyandu = scoped(Posyandu.objects.filter(status=Posyandu.Status.AKTIF), user).select_related(
        "desa", "desa__parent"
    )
    if area is not None:
        posyandu = posyandu.filter(area_filter("desa__code", area.code))
    posyandu = list(posyandu.order_by("desa__parent__name", "desa__name", "name"))
    ids = [p.pk for p in posyandu]
    reports = {
        r.posyandu_id: r
        for r in LaporanBulanan.objects.filter(month=month, posyandu_id__in=ids).select_related("submitted_by")
    }
    per_field = records_per_field(ids=ids, month=month, with_confidential=can_see_confidential(user)) if ids else {}
    deadlines = {}  # per kabupaten of the area (one query each: one, unless an admin looks at several)
    today = dates.today()
    rows = []
    for unit in posyandu:
        kabupaten = unit.desa_id[: len("73.05")]
        if kabupaten not in deadlines:
            deadlines[kabupaten] = report_deadline(month, area=kabupaten)
        deadline = deadlines[kabupaten]
        report = reports.get(unit.pk)
        submitted = report.submitted_at if report and report.status != LaporanBulanan.Status.DRAF else None
        late = (
            (timezone.localtime(submitted).date() > deadline) if submitted else today > deadline
        )  # fmt: skip
        fields = per_field.get(unit.pk, {})
        row = CompletenessRow(unit, report, fields.get(SpmField.KESEHATAN, 0), late, fields)
        if status == "terlambat" and not late:
            continue
        if status and status != "terlambat" and row.status != status:
            continue
        rows.append(row)
    return rows


@dataclass
class NotReportingGroup:
    kecamatan: Wilayah
    total: int  # active posyandu of the kecamatan
    desa: list[tuple[Wilayah, list[str]]]  # (desa, names of its posyandu not reporting)

    @property
    def count(self) -> int:
        return sum(len(names) for _desa, names in self.desa)


def not_reporting_by_area(rows: list[CompletenessRow]) -> list[NotReportingGroup]:
    """The posyandu whose report is still a draft, per kecamatan and desa, in the order of ``rows``
    (kecamatan, desa, posyandu): the rakor pack's annex, a paragraph per desa instead of a table row
    per posyandu (a kabupaten can have hundreds). Kecamatan with every report in are left out."""
    groups: dict[str, NotReportingGroup] = {}
    for row in rows:
        desa = row.posyandu.desa
        group = groups.setdefault(desa.parent_id, NotReportingGroup(desa.parent, 0, []))
        group.total += 1
        if row.status != LaporanBulanan.Status.DRAF:
            continue
        if not group.desa or group.desa[-1][0].code != desa.code:
            group.desa.append((desa, []))
        group.desa[-1][1].append(row.posyandu.name)
    return [group for group in groups.values() if group.desa]


def completeness_summary(rows: list[CompletenessRow]) -> dict[str, int]:
    summary = dict.fromkeys(LaporanBulanan.Status.values, 0)
    for row in rows:
        summary[row.status] += 1
    summary["terlambat"] = sum(row.late for row in rows)
    summary["total"] = len(rows)
    return summary


def completeness_by_field(rows: list[CompletenessRow]) -> list[tuple[str, str, int]]:
    """(field, label, posyandu with records this month) for the six fields."""
    return [(code, label, sum(1 for row in rows if row.fields.get(code))) for code, label in SpmField.choices]


def laporan_list(*, user) -> QuerySet[LaporanBulanan]:
    return scoped(LaporanBulanan.objects.all(), user).select_related("posyandu", "posyandu__desa")


# ---------------------------------------------------------------------------------------------
# SKDN by sex and age band (the Puskesmas F2 recap)
# ---------------------------------------------------------------------------------------------
AGE_BANDS = ((0, 5), (6, 11), (12, 23), (24, 35), (36, 59))
SKDN_COLUMNS = ("S", "K", "D", "N", "T", "2T", "O", "B", "BGM")
# Each column is the indicator catalogue's measure, split by band and sex (never a second definition).
SKDN_MEASURES = {
    "S": "balita_s", "K": "balita_k", "D": "balita_d", "N": "balita_n", "T": "balita_t", "2T": "balita_2t",
    "O": "balita_o", "B": "balita_b", "BGM": "balita_bgm",
}  # fmt: skip
SKDN_ALIAS = {"2T": "two_t"}  # "2T" is not an SQL alias


def _band_case(day: datetime.date, birth_date: str = "birth_date") -> Case:
    """The age band on ``day`` (the month's last day) from the birth date, as for the register: a child
    visited twice in the month stays in one band."""
    whens = [
        When(**{f"{birth_date}__gt": dates.birth_date_cutoff(months=high + 1, on=day)}, then=Value(index))
        for index, (_low, high) in enumerate(AGE_BANDS)
    ]
    return Case(*whens, default=Value(-1), output_field=IntegerField())


def skdn(*, user, month: datetime.date, posyandu: Posyandu | None = None, area: Wilayah | None = None) -> dict:
    """S, K, D, N, T, 2T, O, B, BGM per age band and sex for one month, plus totals.

    The same rows and the same aggregates as the indicators (``balita_s`` … ``balita_bgm``), split by
    band and sex: the children registered at the posyandu on the month's last day, each weighed child
    with the month's one weighing. So the table's totals are the indicator list's numbers, D never
    exceeds S, and N + T + O + B = D. Two grouped queries (the register, the weighings)."""
    period = ind.Period.month(month)
    day = period.last_day
    reach = {"user": user, "period": period, "posyandu": posyandu, "area": area}
    aggregate = {column: ind.MEASURES[code].aggregate(period) for column, code in SKDN_MEASURES.items()}
    register = (
        ind.source_rows("registered", **reach)
        .annotate(band=_band_case(day))
        .filter(band__gte=0)
        .order_by()
        .values("band", "sex")
        .annotate(S=aggregate["S"], K=aggregate["K"])
    )
    weighed = (
        ind.source_rows("balita_weighing", **reach)
        .annotate(band=_band_case(day, "warga__birth_date"))
        .filter(band__gte=0)
        .order_by()
        .values("band", "warga__sex")
        .annotate(**{SKDN_ALIAS.get(c, c): aggregate[c] for c in SKDN_COLUMNS if c not in ("S", "K")})
    )
    cells = {(band, sex): dict.fromkeys(SKDN_COLUMNS, 0) for band in range(len(AGE_BANDS)) for sex in Sex.values}
    for row in register:
        cells[(row["band"], row["sex"])].update(S=row["S"], K=row["K"])
    for row in weighed:
        cell = cells[(row["band"], row["warga__sex"])]
        cell.update({c: row[SKDN_ALIAS.get(c, c)] for c in SKDN_COLUMNS if c not in ("S", "K")})
    bands = []
    for index, (low, high) in enumerate(AGE_BANDS):
        by_sex = {sex: cells[(index, sex)] for sex in Sex.values}
        total = {column: sum(cell[column] for cell in by_sex.values()) for column in SKDN_COLUMNS}
        bands.append({"label": f"{low}–{high}", "by_sex": by_sex, "total": total})
    totals = {
        sex: {column: sum(cells[(i, sex)][column] for i in range(len(AGE_BANDS))) for column in SKDN_COLUMNS}
        for sex in Sex.values
    }
    grand = {column: sum(totals[sex][column] for sex in Sex.values) for column in SKDN_COLUMNS}
    return {"bands": bands, "totals": totals, "grand": grand, "ratios": skdn_ratios(grand)}


def report_skdn(*, user, month: datetime.date, posyandu: Posyandu, laporan: LaporanBulanan | None) -> dict:
    """The F2 table of a posyandu's monthly report: as approved while the month stays approved, else
    from the records (``skdn``)."""
    if laporan is not None and laporan.is_locked and laporan.approved_skdn:
        return laporan.approved_skdn
    return skdn(user=user, month=month, posyandu=posyandu)


def skdn_ratios(c: dict[str, int]) -> dict[str, float | None]:
    def pct(a, b):
        return None if not b else round(100 * a / b, 1)

    return {
        "K/S": pct(c["K"], c["S"]),
        "D/S": pct(c["D"], c["S"]),
        "D/K": pct(c["D"], c["K"]),
        "N/D": pct(c["N"], c["D"] - c["B"] - c["O"]),  # B and O left out of the denominator
        "N/S": pct(c["N"], c["S"]),
    }


# ---------------------------------------------------------------------------------------------
# Posyandu strata (Kemenkes 2011): Pratama, Madya, Purnama, Mandiri
# ---------------------------------------------------------------------------------------------
class Stratum:
    PRATAMA = "pratama"
    MADYA = "madya"
    PURNAMA = "purnama"
    MANDIRI = "mandiri"
    CHOICES = (
        (PRATAMA, _("Pratama")),
        (MADYA, _("Madya")),
        (PURNAMA, _("Purnama")),
        (MANDIRI, _("Mandiri")),
    )


STRATA_COVERAGE_PERCENT = 50  # D/S and imunisasi, and the share of households with JKN / dana sehat
OTHER_FIELDS = [f for f in SpmField.values if f != SpmField.KESEHATAN]
# Summed over the twelve months: the average coverage is the sum of numerators over the sum of
# denominators (each month weighs by its children), and any activity of another field counts.
_SUMMED = ["balita_d", "balita_s", "idl", "baduta_12_23", *[f"kegiatan_{f}" for f in OTHER_FIELDS]]
assert set(_SUMMED) <= set(rekap.WINDOW_MEASURES)  # the rollup keeps their 12-month sums
# States at the month's end: opened ≥ 8 of the last 12 months, enough kader, households' latest surveys.
_AT_END = ["posyandu_open8", "posyandu_min_kader", "households_surveyed", "households_jkn"]


def _percent(numerator: int, denominator: int) -> float | None:
    return 100.0 * numerator / denominator if denominator else None


@dataclass
class StratumRow:
    posyandu: Posyandu
    opened_8_months: bool
    enough_kader: bool
    ds_percent: float | None  # average D/S over the 12 months
    idl_percent: float | None  # imunisasi dasar lengkap, 12–23 months, over the 12 months
    extra_programmes: list[str]  # other SPM fields with activities in the 12 months
    jkn_percent: float | None  # surveyed households with JKN / dana sehat

    @property
    def coverage_met(self) -> bool:
        return all(v is not None and v >= STRATA_COVERAGE_PERCENT for v in (self.ds_percent, self.idl_percent))

    @property
    def stratum(self) -> str:
        """Kemenkes (2011) Pedoman Umum Pengelolaan Posyandu: frequency ≥ 8 a year and ≥ 5 kader make
        Madya; the main coverages ≥ 50 % with extra programmes make Purnama; a health fund reaching
        ≥ 50 % of households makes Mandiri."""
        if not (self.opened_8_months and self.enough_kader):
            return Stratum.PRATAMA
        if not (self.coverage_met and self.extra_programmes):
            return Stratum.MADYA
        if self.jkn_percent is None or self.jkn_percent < STRATA_COVERAGE_PERCENT:
            return Stratum.PURNAMA
        return Stratum.MANDIRI

    @property
    def stratum_label(self) -> str:
        return str(dict(Stratum.CHOICES)[self.stratum])


def strata(*, user, area: Wilayah | None, month: datetime.date, posyandu: Posyandu | None = None) -> list[StratumRow]:
    """The stratum of every active posyandu of the area (or of one posyandu) in the 12 months ending
    ``month``. Queries: two reads of the monthly measures per posyandu (the 12-month sums, the states
    at the month's end) and the posyandu list, however many posyandu."""
    end = month.replace(day=1)
    window = ind.Period(ind.add_months(end, -11), end)
    if rekap.enabled():
        summed = rekap.window_values(user=user, end=end, measures=_SUMMED, area=area, posyandu=posyandu)
    else:  # live: each month (each source's query built once), summed
        summed = {}
        live = ind.compute_live_periods(user=user, periods=[ind.Period.month(one) for one in window.months],
                                        measures=_SUMMED, group=ind.POSYANDU, area=area, posyandu=posyandu)  # fmt: skip
        for values in live:
            for key, row in values.items():
                total = summed.setdefault(key, {})
                for code, value in row.items():
                    total[code] = total.get(code, 0) + value
    at_end = rekap.compute(user=user, period=ind.Period.month(end), measures=_AT_END, group=ind.POSYANDU, area=area,
                         posyandu=posyandu)  # fmt: skip
    # Only what the rows show: a kabupaten has a thousand of them, and whole instances with their desa
    # were a third of the dashboard's time (cProfile at 1,000 posyandu).
    units = scoped(Posyandu.objects.filter(status=Posyandu.Status.AKTIF), user).only("name", "desa_id", "status")
    if posyandu is not None:
        units = units.filter(pk=posyandu.pk)
    elif area is not None:
        units = units.filter(area_filter("desa__code", area.code))
    labels = {f: str(SpmField(f).label) for f in OTHER_FIELDS}  # translated once, not per posyandu
    rows = []
    for unit in units.order_by("desa__name", "name"):
        s, e = summed.get(unit.pk, {}), at_end.get(unit.pk, {})
        rows.append(
            StratumRow(
                posyandu=unit,
                opened_8_months=bool(e.get("posyandu_open8")),
                enough_kader=bool(e.get("posyandu_min_kader")),
                ds_percent=_percent(s.get("balita_d", 0), s.get("balita_s", 0)),
                idl_percent=_percent(s.get("idl", 0), s.get("baduta_12_23", 0)),
                extra_programmes=[labels[f] for f in OTHER_FIELDS if s.get(f"kegiatan_{f}")],
                jkn_percent=_percent(e.get("households_jkn", 0), e.get("households_surveyed", 0)),
            )
        )
    return rows


def strata_distribution(rows: list[StratumRow]) -> list[tuple[str, str, int]]:
    """(stratum, label, how many posyandu), Pratama first."""
    counts = {code: 0 for code, _label in Stratum.CHOICES}
    for row in rows:
        counts[row.stratum] += 1
    return [(code, str(label), counts[code]) for code, label in Stratum.CHOICES]


def strata_aktif(rows: list[StratumRow]) -> tuple[int, int]:
    """(Posyandu Aktif, all): open ≥ 8 of the 12 months with enough kader — every stratum above Pratama,
    the same rule as the ``posyandu_aktif`` indicator."""
    return sum(1 for row in rows if row.opened_8_months and row.enough_kader), len(rows)


# ---------------------------------------------------------------------------------------------
# Work queues: what waits for this user, on the home page
# ---------------------------------------------------------------------------------------------
@dataclass
class QueueItem:
    label: str
    count: int
    url: str
    detail: str = ""  # a returned report's comment
    urgent: bool = False


def work_queue(*, user) -> list[QueueItem]:
    """The reports and requests waiting for ``user``'s step, as counts with a link each.

    Pengurus: last month's report to submit, and any report returned with its comment (one query).
    Operator desa: reports to verify per month, requests to verify (two queries).
    Tim Pembina kecamatan / kabupaten (and admins): reports to approve per month, last month's late
    posyandu, open requests past their deadline per field (three queries); and for both, rakor decisions
    past their deadline waiting for them (one query). Nothing per posyandu."""
    month = default_month()
    if user.role == Role.OPD:
        return _opd_queue(user)  # an OPD officer: the requests forwarded to it only
    if user.role in (Role.KADER, Role.PUSKESMAS):  # no step in the reports' lifecycle
        return []
    if user.role == Role.PENGURUS and user.posyandu_id:
        return _pengurus_queue(user, month)
    items: list[QueueItem] = _keputusan_queue(user)  # rakor decisions past their deadline first
    Status = LaporanBulanan.Status
    reports = scoped(LaporanBulanan.objects.all(), user)
    step = {Role.OPERATOR_DESA: Status.DIAJUKAN}.get(user.role, Status.DIVERIFIKASI)
    label = _("Laporan %(month)s menunggu verifikasi") if step == Status.DIAJUKAN else None
    for row in reports.filter(status=step).values("month").annotate(n=Count("pk")).order_by("-month"):
        text = label or _("Laporan %(month)s menunggu persetujuan")
        items.append(
            QueueItem(
                str(text) % {"month": ind.Period.month(row["month"]).label},
                row["n"],
                reverse("laporan:kelengkapan") + f"?periode={row['month']:%Y-%m}&status={step}",
            )
        )
    kelengkapan = reverse("laporan:kelengkapan")
    if user.role != Role.OPERATOR_DESA:
        late = late_posyandu_count(user=user, month=month)
        if late:
            items.append(
                QueueItem(
                    str(_("Posyandu terlambat melapor %(month)s")) % {"month": ind.Period.month(month).label},
                    late,
                    f"{kelengkapan}?periode={month:%Y-%m}&status=terlambat",
                    urgent=True,
                )
            )
    items.extend(_requests_queue(user))
    return items


def _requests_queue(user) -> list[QueueItem]:
    """Service requests: to verify (operator desa), past their deadline per field (Tim Pembina)."""
    items: list[QueueItem] = []
    requests = scoped(PermintaanLayanan.objects.all(), user).filter(field__in=visible_fields(user))
    permintaan = reverse("bidang:permintaan_list")
    if user.role == Role.OPERATOR_DESA:
        to_verify = requests.filter(status=PermintaanLayanan.Status.DICATAT).count()
        if to_verify:
            items.append(
                QueueItem(str(_("Permintaan layanan menunggu verifikasi")), to_verify, f"{permintaan}?status=dicatat")
            )
    else:
        overdue = requests.filter(overdue_q(dates.today())).values("field").annotate(n=Count("pk")).order_by("-n")
        for row in overdue:
            items.append(
                QueueItem(
                    str(_("Permintaan layanan %(field)s lewat batas 5 hari kerja"))
                    % {"field": ind.FIELD_LABELS.get(row["field"], row["field"])},
                    row["n"],
                    f"{permintaan}?field={row['field']}&terlambat=on",
                    urgent=True,
                )
            )
    return items


def _keputusan_queue(user) -> list[QueueItem]:
    """Rakor decisions past their deadline that wait for this user (one query)."""
    waiting = keputusan_list(user=user, overdue=True).filter(keputusan_waiting_q(user)).count()
    if not waiting:
        return []
    text = _("Keputusan rakor lewat batas waktu, perlu tindak lanjut")
    return [QueueItem(str(text), waiting, reverse("laporan:rakor_list") + "?terlambat=1&untuk_saya=1", urgent=True)]


def _opd_queue(user) -> list[QueueItem]:
    """An OPD officer: rakor decisions assigned to their OPD still open (one query), requests forwarded to
    their OPD not yet accepted, and open ones past their deadline (one query; the requests themselves are
    listed by ``layanan.selectors.opd_queue``)."""
    return [*_opd_keputusan_queue(user), *_opd_requests_queue(user)]


def _opd_keputusan_queue(user) -> list[QueueItem]:
    """The open rakor decisions assigned to the officer's OPD, and how many of them are past their deadline."""
    counts = keputusan_list(user=user).aggregate(
        open=Count("pk", filter=Q(status__in=KeputusanRakor.OPEN)),
        overdue=Count("pk", filter=overdue_keputusan_q(dates.today())),
    )
    if not counts["open"]:
        return []
    url = reverse("laporan:rakor_list") + "?untuk_saya=1"
    label = str(_("Keputusan rakor untuk OPD Anda, belum selesai"))
    if counts["overdue"]:
        label += " " + str(_("(%(n)s lewat batas waktu)")) % {"n": counts["overdue"]}
    return [QueueItem(label, counts["open"], url, urgent=bool(counts["overdue"]))]


def _opd_requests_queue(user) -> list[QueueItem]:
    PS = PermintaanLayanan.Status
    counts = scoped(PermintaanLayanan.objects.all(), user).aggregate(
        waiting=Count("pk", filter=Q(status=PS.DITERUSKAN)),
        overdue=Count("pk", filter=overdue_q(dates.today())),
    )
    permintaan = reverse("bidang:permintaan_list")
    items = []
    if counts["waiting"]:
        label = str(_("Permintaan diteruskan ke OPD Anda, belum diterima"))
        items.append(QueueItem(label, counts["waiting"], f"{permintaan}?status={PS.DITERUSKAN}"))
    if counts["overdue"]:
        label = str(_("Permintaan lewat batas 5 hari kerja"))
        items.append(QueueItem(label, counts["overdue"], f"{permintaan}?terlambat=on", urgent=True))
    return items


def _pengurus_queue(user, month: datetime.date) -> list[QueueItem]:
    Status = LaporanBulanan.Status
    reports = {
        r.month: r
        for r in LaporanBulanan.objects.filter(posyandu_id=user.posyandu_id).filter(
            Q(month=month) | Q(status=Status.DIKEMBALIKAN)
        )
    }
    items = []
    for report_month in sorted({month, *reports}, reverse=True):
        report = reports.get(report_month)
        url = reverse("laporan:laporan_posyandu", args=[user.posyandu_id, f"{report_month:%Y-%m}"])
        label = ind.Period.month(report_month).label
        if report is not None and report.status == Status.DIKEMBALIKAN:
            text = _("Laporan %(month)s dikembalikan: perbaiki lalu ajukan lagi") % {"month": label}
            items.append(QueueItem(str(text), 1, url, detail=report.comment, urgent=True))
        elif report is None or report.status == Status.DRAF:
            deadline = report_deadline(report_month, posyandu_id=user.posyandu_id)
            text = _("Laporan %(month)s belum diajukan (batas %(deadline)s)") % {
                "month": label,
                "deadline": date_format(deadline, "j F Y"),
            }
            items.append(QueueItem(str(text), 1, url, urgent=dates.today() > deadline))
    return items


def late_posyandu_count(*, user, month: datetime.date, area: Wilayah | None = None) -> int:
    """Active posyandu in scope whose report for ``month`` was submitted after the deadline, or is not
    submitted once the deadline has passed: the same rule as ``completeness`` (one query)."""
    on_time = LaporanBulanan.objects.filter(
        posyandu=OuterRef("pk"), month=month, submitted_at__isnull=False, submitted_at__date__lte=OuterRef("deadline")
    ).exclude(status=LaporanBulanan.Status.DRAF)
    submitted = LaporanBulanan.objects.filter(posyandu=OuterRef("pk"), month=month, submitted_at__isnull=False).exclude(
        status=LaporanBulanan.Status.DRAF
    )
    # Each posyandu's deadline: the one its kabupaten had in force for the month (in SQL).
    posyandu = scoped(Posyandu.objects.filter(status=Posyandu.Status.AKTIF), user).annotate(
        deadline=deadline_in_force(desa_path="desa_id", month=month)
    )
    if area is not None:
        posyandu = posyandu.filter(area_filter("desa__code", area.code))
    late = (Exists(submitted) | Q(deadline__lt=dates.today())) & ~Exists(on_time)
    return posyandu.filter(late).count()


# ---------------------------------------------------------------------------------------------
# "Perlu perhatian": the top of the dashboard
# ---------------------------------------------------------------------------------------------
ATTENTION_MIN_DENOMINATOR = 20  # a ratio over fewer people is noise, not a finding
ATTENTION_FAR = 3  # indicators furthest from their target
ATTENTION_WORSE = 2  # indicators worsening most since the previous period (besides those)
# Before the report deadline a month's reports are still coming in: not yet a finding.
NOT_DUE_BEFORE_DEADLINE = ("laporan_submitted", "laporan_approved")


@dataclass
class Driver:
    """A child area (or posyandu) behind an indicator's gap: how many people short of the target."""

    row: LeagueRow
    result: ind.Result
    shortfall: int


@dataclass
class Finding:
    result: ind.Result
    previous: ind.Result
    reason: str  # "target" or "worse"
    gap: float  # percentage points from target (reason "target") or lost since last period
    drivers: list[Driver]

    @property
    def change(self) -> float | None:
        if self.result.value is None or self.previous.value is None:
            return None
        return self.result.value - self.previous.value


def _shortfall(result: ind.Result) -> int:
    """People (or posyandu, households) missing to reach the target: the size of the gap, not its rate."""
    indicator, value = result.indicator, result.value
    if value is None or indicator.target is None or not result.denominator:
        return 0
    needed = result.denominator * indicator.target / 100
    missing = needed - result.numerator if indicator.higher_is_better else result.numerator - needed
    return max(0, round(missing))


def _lost(result: ind.Result, previous: ind.Result) -> float:
    """Percentage points lost since the previous period (0 when not worse or not comparable)."""
    if result.value is None or previous.value is None or not previous.denominator:
        return 0.0
    change = result.value - previous.value
    return max(0.0, -change if result.indicator.higher_is_better else change)


def _family(code: str) -> str:
    return "kader_trained" if code.startswith("kader_trained") else code


def findings(board: Dashboard, *, far: int = ATTENTION_FAR, worse: int = ATTENTION_WORSE) -> list[Finding]:
    """The few rate indicators furthest from target, then those worsening most since the previous period,
    each with the (up to three) child areas whose shortfall is largest. Computed from the board (asked
    ``with_previous``): no query."""
    not_due = NOT_DUE_BEFORE_DEADLINE if board.deadline is not None and dates.today() <= board.deadline else ()
    pairs = [
        (r, p)
        for r, p in zip(board.total, board.previous or board.total, strict=True)
        if r.indicator.is_ratio
        and (r.denominator or 0) >= ATTENTION_MIN_DENOMINATOR
        and r.indicator.code not in not_due
    ]
    chosen: list[Finding] = []
    by_gap = []
    for result, previous in pairs:
        target, value = result.indicator.target, result.value
        if target is None or value is None or result.meets_target is not False:
            continue
        by_gap.append((abs(value - target), result, previous))
    families = set()  # one finding per family: the six fields' "kader terlatih" are one message
    for gap, result, previous in sorted(by_gap, key=lambda item: -item[0]):
        family = _family(result.indicator.code)
        if len(chosen) < far and family not in families:
            families.add(family)
            chosen.append(Finding(result, previous, "target", gap, []))
    taken = {f.result.indicator.code for f in chosen}
    by_loss = [(_lost(r, p), r, p) for r, p in pairs if r.indicator.code not in taken and board.previous]
    for lost, result, previous in sorted(by_loss, key=lambda item: -item[0])[:worse]:
        if lost >= 1:  # at least one percentage point
            chosen.append(Finding(result, previous, "worse", lost, []))
    for finding in chosen:
        code = finding.result.indicator.code
        drivers = []
        for row in board.rows:
            result = row.result(code)
            if result is None or result.value is None:
                continue
            if finding.reason == "target":
                size = _shortfall(result)
            else:
                # the rows carry no previous period: rank by the worst value
                size = round(result.value if not result.indicator.higher_is_better else 100 - result.value)
            if size > 0:
                drivers.append(Driver(row, result, size))
        finding.drivers = sorted(drivers, key=lambda d: -d.shortfall)[:3]
    return chosen


@dataclass
class AttentionCounts:
    late: int  # posyandu late with the period's last month's report
    returned: int  # reports of the period's months returned and not yet submitted again
    overdue: list[tuple[str, str, int]]  # (field, label, open requests past the 5-working-day deadline)
    decisions_overdue: int = 0  # rakor decisions of the area past their deadline, still open


def attention_counts(*, user, area: Wilayah | None, period: ind.Period) -> AttentionCounts:
    """Reports late and returned, requests past deadline per field, for the dashboard's area.

    Queries: late posyandu (one), returned reports (one), overdue requests grouped by field (one), overdue
    rakor decisions (one)."""
    posyandu_filter = area_filter("posyandu__desa__code", area.code) if area is not None else Q()
    late = late_posyandu_count(user=user, month=period.end, area=area)
    returned = (
        scoped(LaporanBulanan.objects.all(), user)
        .filter(posyandu_filter, month__gte=period.start, month__lte=period.end)
        .filter(status=LaporanBulanan.Status.DIKEMBALIKAN)
        .count()
    )
    overdue = (
        scoped(PermintaanLayanan.objects.all(), user)
        .filter(posyandu_filter, overdue_q(dates.today()), field__in=visible_fields(user))
        .values("field")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    per_field = [(r["field"], str(ind.FIELD_LABELS.get(r["field"], r["field"])), r["n"]) for r in overdue]
    decisions = keputusan_list(user=user, area=area, overdue=True).count()
    return AttentionCounts(late, returned, per_field, decisions)


@dataclass
class Change:
    text: str  # "▲ 2,5 poin" / "▼ 12" against the previous period
    worse: bool


def change_since(result: ind.Result, previous: ind.Result) -> Change | None:
    """This period against the previous one: percentage points for a rate, a difference for a count."""
    if result.value is None or previous.value is None:
        return None
    delta = result.value - previous.value
    if abs(delta) < 0.05:
        return Change("=", False)
    arrow = "▲" if delta > 0 else "▼"
    worse = (delta < 0) if result.indicator.higher_is_better else (delta > 0)
    if result.indicator.is_ratio:
        return Change(f"{arrow} {abs(delta):.1f}".replace(".", ",") + " " + str(_("poin")), worse)
    return Change(f"{arrow} {abs(int(delta)):,}".replace(",", "."), worse)


# ---------------------------------------------------------------------------------------------
# The rakor pack's key messages
# ---------------------------------------------------------------------------------------------
OPD_OF_FIELD = {  # the OPD pengampu of each field (domain.md §3a)
    SpmField.KESEHATAN: _("Dinkes"),
    SpmField.PENDIDIKAN: _("Disdik"),
    SpmField.SOSIAL: _("Dinsos"),
    SpmField.PERUMAHAN_RAKYAT: _("Perkim"),
    SpmField.PEKERJAAN_UMUM: _("Dinas PU"),
    SpmField.TRANTIBUM_LINMAS: _("Satpol PP / BPBD"),
}


def _pct(value: float) -> str:
    return f"{value:.1f}".replace(".", ",") + " %"


def key_messages(board: Dashboard, attention: AttentionCounts) -> list[str]:
    """Three to six sentences for the pack's cover, each with its numbers: the biggest improvement and
    decline since the previous period, the area furthest from target on stunting, D/S, reporting, and
    the requests past deadline per OPD. From the board (asked ``with_previous``): no query."""
    totals = {r.indicator.code: r for r in board.total}
    messages = [
        *_change_messages(board),
        _stunting_message(board, totals.get("stunting")),
        _weighing_message(board, totals.get("skdn_ds")),
        _reporting_message(board, totals.get("laporan_submitted"), attention),
        _overdue_message(attention),
    ]
    return [message for message in messages if message][:6]


def _change_messages(board: Dashboard) -> list[str]:
    """The indicator that improved most and the one that declined most (by at least a point)."""
    changes = []
    for result, previous in board.pairs:
        if not result.indicator.is_ratio or result.value is None or previous.value is None:
            continue
        if min(result.denominator or 0, previous.denominator or 0) < ATTENTION_MIN_DENOMINATOR:
            continue
        gain = result.value - previous.value
        changes.append((gain if result.indicator.higher_is_better else -gain, result, previous))
    if not changes:
        return []
    messages = []
    best = max(changes, key=lambda item: item[0])
    worst = min(changes, key=lambda item: item[0])
    if best[0] >= 1:
        messages.append(
            str(_("Membaik terbanyak: %(name)s, dari %(before)s menjadi %(now)s."))
            % {"name": best[1].indicator.name, "before": best[2].display, "now": best[1].display}
        )
    if worst[0] <= -1:
        messages.append(
            str(_("Memburuk terbanyak: %(name)s, dari %(before)s menjadi %(now)s."))
            % {"name": worst[1].indicator.name, "before": worst[2].display, "now": worst[1].display}
        )
    return messages


def _stunting_message(board: Dashboard, stunting) -> str | None:
    if stunting is None or not stunting.has_data:
        return None
    ranked = [row for row in league(board.rows, "stunting") if row.result("stunting").has_data]
    text = str(_("Stunting %(value)s dari %(n)s balita diukur (target ≤ %(target)s).")) % {
        "value": stunting.display,
        "n": stunting.denominator,
        "target": _pct(stunting.indicator.target),
    }
    if ranked:
        worst_row = ranked[-1]
        text += " " + str(_("Terjauh dari target: %(area)s, %(value)s.")) % {
            "area": worst_row.name,
            "value": worst_row.result("stunting").display,
        }
    return text


def _weighing_message(board: Dashboard, ds) -> str | None:
    if ds is None or not ds.has_data:
        return None
    below = [row for row in board.rows if row.result("skdn_ds").meets_target is False]
    text = str(_("Partisipasi penimbangan D/S %(value)s (%(d)s dari %(s)s balita; target %(target)s).")) % {
        "value": ds.display,
        "d": ds.numerator,
        "s": ds.denominator,
        "target": _pct(ds.indicator.target),
    }
    if board.rows:
        text += " " + str(_("%(below)s dari %(n)s wilayah di bawah target.")) % {
            "below": len(below),
            "n": len(board.rows),
        }
    return text


def _reporting_message(board: Dashboard, submitted, attention: AttentionCounts) -> str | None:
    if submitted is None or not submitted.denominator:
        return None
    deadline = board.deadline
    text = _("Laporan bulanan masuk %(n)s dari %(total)s posyandu (%(value)s); %(late)s posyandu terlambat.")
    if dates.today() <= deadline:
        text = _("Laporan bulanan masuk %(n)s dari %(total)s posyandu (%(value)s); batas pengajuan %(deadline)s.")
    return str(text) % {
        "n": submitted.numerator,
        "total": submitted.denominator,
        "value": submitted.display,
        "late": attention.late,
        "deadline": date_format(deadline, "j F Y"),
    }


def _overdue_message(attention: AttentionCounts) -> str | None:
    if not attention.overdue:
        return None
    per_opd = ", ".join(f"{OPD_OF_FIELD.get(field, label)} {n}" for field, label, n in attention.overdue)
    total = sum(n for _field, _label, n in attention.overdue)
    return str(_("%(total)s permintaan layanan lewat batas 5 hari kerja: %(per_opd)s.")) % {
        "total": total,
        "per_opd": per_opd,
    }


# ---------------------------------------------------------------------------------------------
# Rakor decisions: follow-up
# ---------------------------------------------------------------------------------------------
def rakor_list(*, user) -> QuerySet[Rakor]:
    """The meetings of the user's area (a kecamatan team sees its kecamatan's, not the kabupaten's)."""
    return (
        scoped(Rakor.objects.all(), user)
        .select_related("wilayah")
        .annotate(
            decisions=Count("keputusan"),
            open_decisions=Count("keputusan", filter=Q(keputusan__status__in=KeputusanRakor.OPEN)),
        )
    )


def keputusan_list(*, user, area: Wilayah | None = None, overdue: bool = False) -> QuerySet[KeputusanRakor]:
    """Decisions the user sees: of the meetings of their area, and those assigned to their area (or to an
    area inside it) by a meeting above it; ``area`` narrows to those whose meeting or responsible area
    lies in it."""
    rows = scoped(KeputusanRakor.objects.all(), user).select_related("rakor", "rakor__wilayah", "wilayah_pj", "opd")
    if area is not None:
        rows = rows.filter(area_filter(KeputusanRakor.SCOPE_PATHS.area, area.code))
    if overdue:
        rows = rows.filter(overdue_keputusan_q(dates.today()))
    return rows


def overdue_keputusan_q(today: datetime.date) -> Q:
    return Q(status__in=KeputusanRakor.OPEN, deadline__lt=today)


def keputusan_waiting_q(user) -> Q:
    """Decisions that wait for ``user``: an OPD officer's, those assigned to their OPD; otherwise those
    assigned to the user's area, or (for the meeting's team) decisions of the team's own meetings with no
    responsible area (an OPD or another party: the team follows up when it is late)."""
    if user.role == Role.OPD:
        return Q(opd_id=user.opd_id) if user.opd_id else Q(pk__in=[])
    if not user.wilayah_id:
        return Q(wilayah_pj__isnull=True)  # an admin: those no area answers for
    return Q(wilayah_pj_id=user.wilayah_id) | Q(wilayah_pj__isnull=True, rakor__wilayah_id=user.wilayah_id)


def previous_rakor(*, user, area: Wilayah | None, period: ind.Period) -> tuple[Rakor | None, list[KeputusanRakor]]:
    """The area's latest meeting that discussed a period before ``period``, and its decisions (two
    queries): the rakor pack opens with their follow-up."""
    if area is None:
        return None, []
    rakor = (
        scoped(Rakor.objects.filter(wilayah=area, period_end__lt=period.start), user)
        .select_related("wilayah")
        .order_by("-period_end", "-held_on", "-pk")
        .first()
    )
    if rakor is None:
        return None, []
    decisions = rakor.keputusan.select_related("wilayah_pj", "opd").order_by("deadline", "pk")
    return rakor, sorted(decisions, key=_party_order)


def _party_order(keputusan: KeputusanRakor) -> tuple:
    """OPD first (by short name), then areas (by code), then other parties (by name); by deadline within."""
    if keputusan.opd_id:
        party = (0, keputusan.opd.short_name.casefold())
    elif keputusan.wilayah_pj_id:
        party = (1, keputusan.wilayah_pj_id)
    else:
        party = (2, keputusan.responsible.casefold())
    return (*party, keputusan.deadline, keputusan.pk)


@dataclass
class PartyGroup:
    """The previous rakor's decisions of one responsible party, for the pack's follow-up table."""

    party: str
    decisions: list[KeputusanRakor]
    done: int = 0
    overdue: int = 0


def decisions_by_party(decisions: list[KeputusanRakor], today: datetime.date) -> list[PartyGroup]:
    """``decisions`` (in ``previous_rakor``'s order) grouped by their responsible party, with how many of
    each group are done and how many past their deadline."""
    groups: list[PartyGroup] = []
    for number, keputusan in enumerate(decisions, start=1):
        keputusan.number = number  # numbered across the groups: "keputusan 4" is one row in the meeting
        party = keputusan.responsible_party
        if not groups or groups[-1].party != party:
            groups.append(PartyGroup(party, []))
        group = groups[-1]
        group.decisions.append(keputusan)
        group.done += keputusan.status == KeputusanRakor.Status.SELESAI
        group.overdue += keputusan.is_overdue(today)
    return groups


# ---------------------------------------------------------------------------------------------
# The rakor pack's page per area
# ---------------------------------------------------------------------------------------------
AREA_PAGE_CODES = ("skdn_ds", "skdn_nd", "stunting", "wasting", "idl", "posyandu_opened", "laporan_submitted")


@dataclass
class AreaPage:
    """One kecamatan (in a kabupaten pack) or desa (in a kecamatan pack): its key indicators against
    the target and the previous period, its posyandu strata, its late reports."""

    row: LeagueRow
    indicators: list[tuple[ind.Result, ind.Result | None, Change | None]]
    strata: list[tuple[str, str, int]]
    aktif: tuple[int, int]
    late: list[str]  # names of the posyandu late with the month's report
    reporting: tuple[int, int]  # (reports submitted, active posyandu)


def area_pages(board: Dashboard, strata_rows: list[StratumRow], completeness_rows: list[CompletenessRow]):
    """A page per child area of a kabupaten or kecamatan board, from what the pack has already read
    (the board with its previous period, the strata, the completeness rows): no query."""
    if not board.group.startswith("child:"):
        return []
    length = int(board.group.split(":")[1])
    codes = [c for c in AREA_PAGE_CODES if c in ind.INDICATORS]
    strata_of: dict[str, list[StratumRow]] = {}
    for stratum in strata_rows:
        strata_of.setdefault(stratum.posyandu.desa_id[:length], []).append(stratum)
    reports_of: dict[str, list[CompletenessRow]] = {}
    for report in completeness_rows:
        reports_of.setdefault(report.posyandu.desa_id[:length], []).append(report)
    pages = []
    for row in board.rows:
        before = {r.indicator.code: r for r in board.previous_rows.get(row.key, [])}
        indicators = []
        for code in codes:
            result = row.result(code)
            if result is None:
                continue
            previous = before.get(code)
            indicators.append((result, previous, change_since(result, previous) if previous else None))
        mine, reports = strata_of.get(row.key, []), reports_of.get(row.key, [])
        submitted = sum(1 for r in reports if r.status != LaporanBulanan.Status.DRAF)
        late = [r.posyandu.name for r in reports if r.late]
        pages.append(
            AreaPage(row, indicators, strata_distribution(mine), strata_aktif(mine), late, (submitted, len(reports)))
        )
    return pages


# ---------------------------------------------------------------------------------------------
# The kabupaten rakor pack's health figures per Puskesmas area
# ---------------------------------------------------------------------------------------------
PUSKESMAS_CODES = ("skdn_ds", "skdn_nd", "stunting", "wasting", "underweight", "idl", "vitamin_a", "bumil_kek")


@dataclass
class PuskesmasRow:
    """One Puskesmas area (or, with ``puskesmas`` None, the desa in no working area; or the total):
    each key health indicator with the previous period's value and the change."""

    name: str
    puskesmas: Puskesmas | None
    desa_count: int | None
    cells: list[tuple[ind.Result, ind.Result, Change | None]]

    @property
    def misses(self) -> int:
        """How many of its indicators miss their target."""
        return sum(1 for result, _before, _change in self.cells if result.meets_target is False)


def _puskesmas_row(name, puskesmas, desa_count, now: list[ind.Result], before: list[ind.Result]) -> PuskesmasRow:
    cells = [(r, b, change_since(r, b)) for r, b in zip(now, before, strict=True)]
    return PuskesmasRow(name, puskesmas, desa_count, cells)


def health_by_puskesmas(*, user, board: Dashboard) -> tuple[list[ind.Indicator], list[PuskesmasRow]]:
    """The health field's key indicators per Puskesmas area of a kabupaten board (its period and the
    previous one, the kabupaten's targets), a row for the desa in no working area when they hold figures,
    and the kabupaten's total (the board's, read already). Nothing for another board.

    Queries: the Puskesmas of the kabupaten in the user's scope (one); per period, the measures grouped by
    the Puskesmas of each row's desa today (``indicators.PUSKESMAS``; from the rollup: its two freshness
    checks and one grouped sum). However many Puskesmas and posyandu."""
    area = board.area
    if area is None or area.level != Wilayah.Level.KABUPATEN:
        return [], []
    indicators = [i for i in board.indicators if i.code in PUSKESMAS_CODES]
    indicators.sort(key=lambda i: PUSKESMAS_CODES.index(i.code))
    measures = ind.measures_of(indicators)
    units = list(puskesmas_list(user=user).filter(kabupaten=area))
    if not units:
        return [], []  # a kabupaten without Puskesmas registered: no section
    now, before = rekap.compute_periods(
        user=user, periods=[board.period, board.period.previous()], measures=measures, group=ind.PUSKESMAS, area=area
    )

    def row(name, key, puskesmas=None, desa_count=None):
        return _puskesmas_row(
            name, puskesmas, desa_count, ind.evaluate(indicators, now.get(key, {})),
            ind.evaluate(indicators, before.get(key, {})),
        )  # fmt: skip

    rows = [row(p.name, p.pk, p, p.desa_count) for p in units]
    if any(now.get(None, {}).values()) or any(before.get(None, {}).values()):
        rows.append(row(str(_("Desa di luar wilayah kerja Puskesmas")), None))
    totals = {r.indicator.code: r for r in board.total}
    previous = {r.indicator.code: r for r in board.previous}
    rows.append(
        _puskesmas_row(
            area.display_name, None, None, [totals[i.code] for i in indicators], [previous[i.code] for i in indicators]
        )
    )
    return indicators, rows
