"""Reads and aggregates for kader, trainings and coverage. Counts are SQL aggregates: the number
of queries does not grow with the number of kader, posyandu or trainings."""

import datetime
from dataclasses import dataclass, field

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractQuarter, Substr

from kader.models import (
    SERVICE_AWARD_YEARS,
    Kader,
    KaderLevel,
    Kompetensi,
    Pelatihan,
    PenilaianKompetensi,
    PesertaPelatihan,
)
from kader.services import group_sizes, level_rules
from posyandu import dates
from posyandu.models import Posyandu, SpmField, Wilayah
from posyandu.pengaturan.selectors import in_force, kabupaten_settings
from posyandu.scope import area_filter, scoped
from posyandu.selectors import CHILD_CODE_LENGTH

GAP_LIST_LIMIT = 200


# The level a kader held on a day, in SQL: ``kader.services.level_for`` over the competencies passed by
# then (``PenilaianKompetensi.assessed_on``), under today's rules and competency list (those are not
# dated). Correlated on the kader row: a posyandu's figures read its own kader's few assessments
# through the (kader, kompetensi, date) index, not every assessment of the country.
_LEVEL_ON = """
SELECT CASE WHEN EXISTS (
  SELECT 1 FROM kader_penilaiankompetensi p WHERE p.kader_id = kader_kader.id AND p.result = 'lulus'
) THEN (
SELECT r.level FROM kader_levelrule r, (
  SELECT COUNT(*) FILTER (WHERE x.n >= x.size) AS complete, COALESCE(SUM(LEAST(x.n, x.size)), 0) AS total,
         COALESCE(ARRAY_AGG(x.group_id) FILTER (WHERE x.n >= x.size), '{}') AS complete_groups
  FROM (
    SELECT k.group_id, COUNT(DISTINCT p.kompetensi_id) AS n,
           (SELECT COUNT(*) FROM kader_kompetensi s WHERE s.group_id = k.group_id AND s.is_active) AS size
    FROM kader_penilaiankompetensi p
    JOIN kader_kompetensi k ON k.id = p.kompetensi_id
    JOIN kader_kompetensigroup g ON g.id = k.group_id
    WHERE p.kader_id = kader_kader.id AND p.result = 'lulus' AND p.assessed_on <= %s
      AND k.is_active AND g.counts_for_level
    GROUP BY k.group_id
  ) x
) held
WHERE held.complete >= r.min_complete_groups AND held.total >= r.min_competencies
  AND NOT EXISTS (
    SELECT 1 FROM kader_levelrule_required_groups q
    WHERE q.levelrule_id = r.id AND NOT q.kompetensigroup_id = ANY(held.complete_groups)
  )
ORDER BY r.rank DESC LIMIT 1
) END
"""


def level_on(day: datetime.date) -> RawSQL:
    """The level (a ``KaderLevel`` value, or NULL for none) a ``Kader`` row held on ``day``, as an SQL
    expression: the stored ``Kader.level`` is today's, and a month's figures need that month's."""
    return RawSQL(_LEVEL_ON, [day], output_field=CharField())  # noqa: S611 - a constant query, the date a parameter


def trained_in_field(field_value: str | None = None) -> Exists:
    """The kader (OuterRef) attended a training of ``field_value`` (their own field when None)."""
    return Exists(
        PesertaPelatihan.objects.filter(
            kader=OuterRef("pk"),
            attended=True,
            pelatihan__field=field_value if field_value else OuterRef("field"),
        )
    )


def kader_list(
    *,
    user,
    posyandu: Posyandu | None = None,
    kecamatan: str | None = None,
    field_value: str = "",
    status: str = "",
    level: str = "",
    q: str = "",
) -> QuerySet[Kader]:
    """Kader in the user's scope with filters, each with the number of trainings attended (1 query)."""
    queryset = scoped(Kader.objects.all(), user).select_related("posyandu__desa__parent")
    if posyandu is not None:
        queryset = queryset.filter(posyandu=posyandu)
    if kecamatan:
        queryset = queryset.filter(area_filter("posyandu__desa__code", kecamatan))
    if field_value:
        queryset = queryset.filter(field=field_value)
    if status:
        queryset = queryset.filter(status=status)
    if level:
        queryset = queryset.filter(level="" if level == "none" else level)
    if q:
        queryset = queryset.filter(name__icontains=q)
    return queryset.annotate(
        training_count=Count("peserta_set", filter=Q(peserta_set__attended=True), distinct=True)
    ).order_by("posyandu__desa__parent__name", "posyandu__desa__name", "posyandu__name", "field", "name")


@dataclass
class FieldStaffing:
    field: str
    label: str
    active: int
    trained: int
    minimum: int

    @property
    def enough(self) -> bool:
        return self.active >= self.minimum


@dataclass
class Roster:
    posyandu: Posyandu
    kader: list[Kader]
    fields: list[FieldStaffing]
    active_total: int
    minimum_total: int

    @property
    def enough_total(self) -> bool:
        return self.active_total >= self.minimum_total

    @property
    def fields_short(self) -> list[FieldStaffing]:
        return [row for row in self.fields if not row.enough]


def posyandu_roster(*, posyandu: Posyandu, user) -> Roster:
    """The posyandu's kader and, per SPM field, whether it has its minimum of active kader (3 queries: the
    kader, the counts per field, the kabupaten's settings)."""
    kader = list(
        kader_list(user=user, posyandu=posyandu)
        .annotate(trained=trained_in_field())
        .order_by("-status", "field", "name")
        .select_related(None)
    )
    counts = {
        row["field"]: row
        for row in scoped(Kader.objects.all(), user)
        .filter(posyandu=posyandu, status=Kader.Status.AKTIF)
        .annotate(trained=trained_in_field())
        .order_by()
        .values("field")
        .annotate(active=Count("pk"), trained_count=Count("pk", filter=Q(trained=True)))
    }
    # The kabupaten's minimums in force this month (posyandu.pengaturan; the defaults without its own).
    rules = kabupaten_settings(kabupaten=posyandu.desa_id, month=dates.this_month())
    minimum = rules.min_kader_per_field
    fields = [
        FieldStaffing(
            field=value,
            label=str(label),
            active=counts.get(value, {}).get("active", 0),
            trained=counts.get(value, {}).get("trained_count", 0),
            minimum=minimum,
        )
        for value, label in SpmField.choices
    ]
    return Roster(
        posyandu=posyandu,
        kader=kader,
        fields=fields,
        active_total=sum(row.active for row in fields),
        minimum_total=rules.min_kader,
    )


@dataclass
class GroupProgress:
    name: str
    counts_for_level: bool
    items: list[tuple[Kompetensi, PenilaianKompetensi | None]]

    @property
    def passed(self) -> int:
        return sum(1 for _k, last in self.items if last and last.result == PenilaianKompetensi.Result.LULUS)

    @property
    def complete(self) -> bool:
        return bool(self.items) and self.passed == len(self.items)


def kader_competencies(*, kader: Kader) -> list[GroupProgress]:
    """Every active competency by group with the kader's best result: the latest lulus, else the
    latest assessment (2 queries)."""
    best: dict[int, PenilaianKompetensi] = {}
    for row in kader.penilaian_set.order_by("assessed_on", "pk"):
        current = best.get(row.kompetensi_id)
        if current is None or row.result == PenilaianKompetensi.Result.LULUS or current.result != "lulus":
            best[row.kompetensi_id] = row
    groups: dict[int, GroupProgress] = {}
    for kompetensi in Kompetensi.objects.filter(is_active=True).select_related("group"):
        group = groups.setdefault(
            kompetensi.group_id, GroupProgress(kompetensi.group.name, kompetensi.group.counts_for_level, [])
        )
        group.items.append((kompetensi, best.get(kompetensi.pk)))
    return list(groups.values())


def next_level_gap(*, kader: Kader, groups: list[GroupProgress]) -> list[dict]:
    """For each level above the kader's, what is still missing (from the rules, 3 queries)."""
    rules = level_rules()
    sizes = group_sizes()
    names = dict(Kompetensi.objects.filter(group_id__in=sizes).values_list("group_id", "group__name").distinct())
    complete_ids = set()
    passed_ids = {k.pk for g in groups if g.counts_for_level for k, last in g.items if last and last.result == "lulus"}
    passed_by_group: dict[int, int] = {}
    for group in groups:
        if group.counts_for_level and group.items:
            group_id = group.items[0][0].group_id
            passed_by_group[group_id] = group.passed
            if group.complete:
                complete_ids.add(group_id)
    current_rank = next((rule.rank for rule in rules if rule.level == kader.level), 0)
    rows = []
    for rule in sorted(rules, key=lambda r: r.rank):
        if rule.rank <= current_rank:
            continue
        rows.append(
            {
                "level": KaderLevel(rule.level).label,
                "missing_groups": [names.get(g, "") for g in sorted(rule.required_groups - complete_ids)],
                "more_groups": max(rule.min_complete_groups - len(complete_ids), 0),
                "more_competencies": max(rule.min_competencies - len(passed_ids), 0),
            }
        )
    return rows


def kader_trainings(*, kader: Kader) -> QuerySet[PesertaPelatihan]:
    return kader.peserta_set.select_related("pelatihan").order_by("-pelatihan__start_date")


# ---------------------------------------------------------------------------------------------
# Coverage and gaps (Tim Pembina)
# ---------------------------------------------------------------------------------------------
@dataclass
class AreaCoverage:
    code: str
    name: str
    posyandu: int = 0
    active: int = 0
    trained: int = 0
    levels: dict = field(default_factory=dict)
    posyandu_without_trained: int = 0


@dataclass
class FieldCoverage:
    field: str
    label: str
    active: int = 0
    trained: int = 0
    posyandu_without_trained: int = 0
    posyandu_short: int = 0


@dataclass
class Coverage:
    area_label: str
    field: str
    field_label: str
    year: int
    rows: list[AreaCoverage]
    fields: list[FieldCoverage]
    levels: list[tuple[str, str, int]]
    gaps: list[Posyandu]
    gap_total: int
    quarters: list[dict]
    awards: list[tuple[int, int]]
    totals: dict

    @property
    def gaps_truncated(self) -> bool:
        return self.gap_total > len(self.gaps)


def _area_of(user, kecamatan: Wilayah | None) -> Wilayah | None:
    if kecamatan is not None:
        return kecamatan
    return user.wilayah if user.wilayah_id else None


def coverage(*, user, kecamatan: Wilayah | None = None, field_value: str = "", year: int | None = None) -> Coverage:
    """Kader per area and level, per field, posyandu with no trained kader in a field, trainings per
    quarter and service awards due: 9 queries whatever the size of the area.

    A kader is *trained in a field* when they attended a training of that field; the gap list is the
    active posyandu with no active kader trained in the chosen field (their own field when none).
    """
    today = dates.today()
    year = year or today.year
    area = _area_of(user, kecamatan)
    posyandu = scoped(Posyandu.objects.all(), user)
    kader = scoped(Kader.objects.filter(status=Kader.Status.AKTIF), user)
    pelatihan = scoped(Pelatihan.objects.all(), user)
    peserta = scoped(PesertaPelatihan.objects.filter(attended=True), user)
    if kecamatan is not None:
        posyandu = posyandu.filter(area_filter("desa__code", kecamatan.code))
        kader = kader.filter(area_filter("posyandu__desa__code", kecamatan.code))
        pelatihan = pelatihan.filter(area_filter("wilayah__code", kecamatan.code))
        peserta = peserta.filter(area_filter("kader__posyandu__desa__code", kecamatan.code))
    field_kader = kader.filter(field=field_value) if field_value else kader

    trained_here = Exists(
        field_kader.filter(posyandu=OuterRef("pk")).filter(
            Exists(
                PesertaPelatihan.objects.filter(
                    kader=OuterRef("pk"),
                    attended=True,
                    pelatihan__field=field_value if field_value else OuterRef("field"),
                )
            )
        )
    )
    active_posyandu = posyandu.filter(status=Posyandu.Status.AKTIF)
    rows = _area_rows(field_kader, active_posyandu, trained_here, area=area, field_value=field_value)
    fields = _field_coverage(kader, active_posyandu)
    levels = _level_counts(field_kader)
    gaps, gap_total = _gaps(active_posyandu, trained_here, field_value=field_value)
    quarters = _quarters(pelatihan, peserta, year=year)
    awards = _awards(kader, year=year)
    totals = {
        "posyandu": sum(row.posyandu for row in rows),
        "active": sum(row.active for row in rows),
        "trained": sum(row.trained for row in rows),
        "without": sum(row.posyandu_without_trained for row in rows),
        "levels": {value: sum(row.levels.get(value, 0) for row in rows) for value in [*KaderLevel.values, "none"]},
    }
    return Coverage(
        area_label=area.display_name if area else "Seluruh wilayah",
        field=field_value,
        field_label=str(SpmField(field_value).label) if field_value else "",
        year=year,
        rows=rows,
        fields=fields,
        levels=levels,
        gaps=gaps,
        gap_total=gap_total,
        quarters=quarters,
        awards=awards,
        totals=totals,
    )


def _area_rows(field_kader, active_posyandu, trained_here, *, area, field_value: str) -> list[AreaCoverage]:
    """Queries 1-3 of ``coverage``: per child area, kader by level and trained, posyandu without one."""
    # 1. Per child area (kecamatan of a kabupaten, desa of a kecamatan): kader by level, trained.
    length = CHILD_CODE_LENGTH.get(area.level) if area else CHILD_CODE_LENGTH[Wilayah.Level.KABUPATEN]
    length = length or 13
    level_counts = {f"level_{value}": Count("pk", filter=Q(level=value)) for value in KaderLevel.values}
    by_area = {
        row.pop("child"): row
        for row in field_kader.annotate(
            child=Substr("posyandu__desa_id", 1, length), trained=trained_in_field(field_value)
        )
        .order_by()
        .values("child")
        .annotate(
            active=Count("pk"),
            trained_count=Count("pk", filter=Q(trained=True)),
            level_none=Count("pk", filter=Q(level="")),
            **level_counts,
        )
    }
    # 2. Posyandu per child area, and those without any trained kader (in the field).
    posyandu_counts = {
        row.pop("child"): row
        for row in active_posyandu.annotate(child=Substr("desa_id", 1, length), has_trained=trained_here)
        .order_by()
        .values("child")
        .annotate(total=Count("pk"), without=Count("pk", filter=Q(has_trained=False)))
    }
    # 3. The names of the child areas.
    codes = set(by_area) | set(posyandu_counts)
    names = {area.code: area.display_name for area in Wilayah.objects.filter(code__in=codes)}
    rows = []
    for code in sorted(codes, key=lambda c: names.get(c, c)):
        counts, pcounts = by_area.get(code, {}), posyandu_counts.get(code, {})
        rows.append(
            AreaCoverage(
                code=code,
                name=names.get(code, code),
                posyandu=pcounts.get("total", 0),
                active=counts.get("active", 0),
                trained=counts.get("trained_count", 0),
                levels={value: counts.get(f"level_{value}", 0) for value in KaderLevel.values}
                | {"none": counts.get("level_none", 0)},
                posyandu_without_trained=pcounts.get("without", 0),
            )
        )
    return rows


def _field_coverage(kader, active_posyandu) -> list[FieldCoverage]:
    """Queries 4-5 of ``coverage``: per field, kader active and trained, posyandu without or short."""
    # 4. Per field: active and trained kader (kader of the field trained in it).
    per_field = {
        row["field"]: row
        for row in kader.annotate(trained=trained_in_field())
        .order_by()
        .values("field")
        .annotate(active=Count("pk"), trained_count=Count("pk", filter=Q(trained=True)))
    }
    # 5. Per field: posyandu with no trained kader of the field, and below the minimum per field.
    # Each posyandu against the minimum per field its kabupaten has in force this month (in SQL).
    minimum = F("min_per_field")
    field_annotations = {
        "min_per_field": in_force("min_kader_per_field", desa_path="desa_id", month=dates.this_month())
    }
    field_aggregates = {}
    for value in SpmField.values:
        field_annotations[f"trained_{value}"] = Exists(
            kader.filter(posyandu=OuterRef("pk"), field=value).filter(trained_in_field(value))
        )
        field_annotations[f"count_{value}"] = Count(
            "kader_set", filter=Q(kader_set__status=Kader.Status.AKTIF, kader_set__field=value), distinct=True
        )
    per_posyandu = active_posyandu.annotate(**field_annotations).order_by()
    for value in SpmField.values:
        field_aggregates[f"without_{value}"] = Count("pk", filter=Q(**{f"trained_{value}": False}))
        field_aggregates[f"short_{value}"] = Count("pk", filter=Q(**{f"count_{value}__lt": minimum}))
    field_totals = _aggregate_over(per_posyandu, field_aggregates)
    return [
        FieldCoverage(
            field=value,
            label=str(label),
            active=per_field.get(value, {}).get("active", 0),
            trained=per_field.get(value, {}).get("trained_count", 0),
            posyandu_without_trained=field_totals.get(f"without_{value}", 0),
            posyandu_short=field_totals.get(f"short_{value}", 0),
        )
        for value, label in SpmField.choices
    ]


def _level_counts(field_kader) -> list[tuple[str, str, int]]:
    """Query 6 of ``coverage``: kader per level (in the field when chosen)."""
    # 6. Kader per level (in the field when chosen).
    level_rows = dict(field_kader.order_by().values("level").annotate(n=Count("pk")).values_list("level", "n"))
    levels = [(value, str(label), level_rows.get(value, 0)) for value, label in KaderLevel.choices]
    levels.append(("none", "Belum berjenjang", level_rows.get("", 0)))
    return levels


def _gaps(active_posyandu, trained_here, *, field_value: str) -> tuple[list, int]:
    """Queries 7-8 of ``coverage``: the first posyandu without a trained kader in the field, and how many."""
    # 7. The gap list: active posyandu without a trained kader in the field (+ 8. its count).
    gap_queryset = (
        active_posyandu.annotate(has_trained=trained_here)
        .filter(has_trained=False)
        .select_related("desa__parent")
        .annotate(
            kader_count=Count(
                "kader_set",
                filter=Q(
                    kader_set__status=Kader.Status.AKTIF, **({"kader_set__field": field_value} if field_value else {})
                ),
                distinct=True,
            )
        )
        .order_by("desa__parent__name", "desa__name", "name")
    )
    gaps = list(gap_queryset[:GAP_LIST_LIMIT])
    gap_total = len(gaps) if len(gaps) < GAP_LIST_LIMIT else gap_queryset.count()
    return gaps, gap_total


def _quarters(pelatihan, peserta, *, year: int) -> list[dict]:
    """Query 9 of ``coverage``: trainings held in the area per quarter, with the attending kader of the area."""
    # 9. Trainings held in the area per quarter, with the attending kader of the area.
    quarter_rows = {
        row["quarter"]: row
        for row in pelatihan.filter(start_date__year=year)
        .annotate(quarter=ExtractQuarter("start_date"))
        .order_by()
        .values("quarter")
        .annotate(
            trainings=Count("pk", distinct=True),
            participants=Count("peserta_set", filter=Q(peserta_set__attended=True), distinct=True),
            **{f"field_{value}": Count("pk", filter=Q(field=value), distinct=True) for value in SpmField.values},
        )
    }
    attended = {
        row["quarter"]: row["n"]
        for row in peserta.filter(pelatihan__start_date__year=year)
        .annotate(quarter=ExtractQuarter("pelatihan__start_date"))
        .order_by()
        .values("quarter")
        .annotate(n=Count("kader", distinct=True))
    }
    return [
        {
            "quarter": q,
            "trainings": quarter_rows.get(q, {}).get("trainings", 0),
            "participants": quarter_rows.get(q, {}).get("participants", 0),
            "kader_of_area": attended.get(q, 0),
        }
        for q in (1, 2, 3, 4)
    ]


def _awards(kader, *, year: int) -> list[tuple[int, int]]:
    """Query 10 of ``coverage``: service awards due this year (10, 20, 30 years since the start of service)."""
    # 10. Service awards due this year (10, 20, 30 years since the start of service).
    award_counts = kader.aggregate(
        **{f"y{years}": Count("pk", filter=Q(start_date__year=year - years)) for years in SERVICE_AWARD_YEARS}
    )
    return [(years, award_counts[f"y{years}"]) for years in SERVICE_AWARD_YEARS]


def _aggregate_over(annotated: QuerySet, aggregates: dict) -> dict:
    """Aggregate over an annotated queryset (its annotations become a subquery): one query."""
    return annotated.aggregate(**aggregates)


def kecamatan_choices(*, user) -> QuerySet[Wilayah]:
    """The kecamatan that have posyandu in the user's scope (1 query when evaluated)."""
    desa = scoped(Posyandu.objects.all(), user).values("desa__parent")
    return Wilayah.objects.filter(level=Wilayah.Level.KECAMATAN, code__in=desa).order_by("name")


def pelatihan_list(*, user, year: int | None = None, field_value: str = "") -> QuerySet[Pelatihan]:
    queryset = scoped(Pelatihan.objects.all(), user).select_related("wilayah")
    if year:
        queryset = queryset.filter(start_date__year=year)
    if field_value:
        queryset = queryset.filter(field=field_value)
    return queryset.annotate(
        peserta_count=Count("peserta_set", distinct=True),
        attended_count=Count("peserta_set", filter=Q(peserta_set__attended=True), distinct=True),
    ).order_by("-start_date", "title")


def pelatihan_peserta(*, pelatihan: Pelatihan, user) -> QuerySet[PesertaPelatihan]:
    """Participants the user may see (a Tim Pembina sees those of their own area)."""
    return (
        scoped(pelatihan.peserta_set.all(), user)
        .select_related("kader__posyandu__desa")
        .order_by("kader__posyandu__desa__name", "kader__posyandu__name", "kader__name")
    )
