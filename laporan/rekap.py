"""The maintained monthly rollup (``RekapBulanan``): every measure per posyandu and month.

Why: a kabupaten dashboard computed live aggregates a year of visits per request (6 s on the
Takalar demo); read from the rollup it sums a few thousand rows. The rollup holds exactly what the
live computation gives per posyandu for one month, so for a month period any area's value is the
sum over its posyandu — the same rule the dashboards already follow (totals = sum of their rows).
Multi-month periods (a quarter, a year) count distinct children across months and stay live.

Correctness, in three parts:

1. **Marks, in the writer's transaction.** A save or delete of any record a measure reads (visits,
   opening days, people, households and their surveys, the five fields' records, kader and their
   trainings, reports, the posyandu itself) marks its posyandu stale from the month it touches
   (``RekapKotor``: one upsert). Bulk writes that skip model signals send
   ``posyandu.signals.data_changed`` instead.
2. **Refresh before read.** Every reader first recomputes what is marked (only those posyandu, only
   the months from the mark on), months not held yet, months computed under other default settings
   (minimum kader, report deadline; a change of a kabupaten's own settings marks its posyandu), and
   the measures whose values change with today's date alone (overdue requests, late reports:
   ``Measure.dated``), brought up to today once a day until the month's report deadline has passed —
   only those measures, two grouped queries a month. A refresh clears only the mark it read
   (``version``), under an advisory lock, so a write during a refresh stays marked.
3. **Tested against the live path** (``tests/laporan/test_rekap.py``): every measure, for the
   hand-built scenario and after edits of every kind.
"""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Sum, Value
from django.db.models.functions import Substr

from laporan import indicators as ind
from laporan.models import RekapBulan, RekapBulanan, RekapKecamatan, RekapKotor
from posyandu import dates
from posyandu.models import BulanTerkunci, Posyandu, Wilayah
from posyandu.pengaturan import selectors as pengaturan
from posyandu.pengaturan.models import DEADLINE_DAY_MAX
from posyandu.puskesmas.selectors import puskesmas_key
from posyandu.scope import area_filter, scoped

EARLIEST = datetime.date(1900, 1, 1)
KECAMATAN_LENGTH = len("73.05.01")  # a Kemendagri kecamatan code; its desa codes start with it
_LOCK = 7305_0001  # pg_advisory_xact_lock key of the refresh


def enabled() -> bool:
    return settings.LAPORAN_REKAP


def usable(period: ind.Period, group: str) -> bool:
    """The rollup answers month periods (and, for trends, a run of months grouped by month)."""
    return enabled() and (period.is_month or group == ind.MONTH)


def fingerprint() -> str:
    """The installation's default settings the measures depend on besides the data (minimum kader,
    report deadline: a kabupaten without settings of its own uses them), and the measures' definitions'
    version. A kabupaten's own settings are data: changing them marks its posyandu stale from the month
    the new version takes effect (``posyandu.pengaturan.services`` sends ``data_changed``)."""
    default = pengaturan.defaults()
    return (
        f"kader{default['min_kader']}:bidang{default['min_kader_per_field']}"
        f":batas{default['deadline_day']}:ukuran{ind.MEASURES_VERSION}"
    )


# ---------------------------------------------------------------------------------------------
# Marks
# ---------------------------------------------------------------------------------------------
_MARK = """
INSERT INTO laporan_rekapkotor (posyandu_id, dirty_from, version)
SELECT touched.id, %(month)s, 1 FROM (
  SELECT unnest(%(ids)s::bigint[])
  UNION SELECT posyandu_id FROM posyandu_warga WHERE id = ANY(%(people)s::bigint[])
  UNION SELECT from_posyandu_id FROM posyandu_wargapindah
    WHERE warga_id = ANY(%(people)s::bigint[]) AND moved_on > %(since)s
) AS touched (id)
WHERE touched.id IS NOT NULL
ON CONFLICT (posyandu_id) DO UPDATE SET
  dirty_from = LEAST(laporan_rekapkotor.dirty_from, EXCLUDED.dirty_from),
  version = laporan_rekapkotor.version + 1
"""


def mark(
    posyandu_ids: Iterable[int | None], since: datetime.date | None, *, warga_ids: Iterable[int | None] = ()
) -> None:
    """Mark posyandu stale from the month of ``since`` (None: from the beginning). One query.

    ``warga_ids``: people whose data changed. A person counts where they belonged on each month's last
    day (``indicators.source_rows``), so every posyandu they belonged to from ``since`` on is marked:
    their posyandu now and each one they left after ``since`` (from their moves)."""
    ids = sorted({pk for pk in posyandu_ids if pk})
    people = sorted({pk for pk in warga_ids if pk})
    if not (ids or people) or not enabled():
        return
    since = since or EARLIEST
    with connection.cursor() as cursor:
        cursor.execute(_MARK, {"ids": ids, "people": people, "since": since, "month": since.replace(day=1)})


# ---------------------------------------------------------------------------------------------
# Refresh
# ---------------------------------------------------------------------------------------------
_COPY_ROWS = "COPY laporan_rekapbulanan (posyandu_id, desa_code, month, measure, value, computed_on) FROM STDIN"


# A batch's figures are held in memory until stored: at 1,000 posyandu about 100,000 values a month, so a
# whole history (``rekap_refresh``) is computed a year at a time, not all at once.
MONTHS_PER_BATCH = 12


def _materialize(
    *, months: list[datetime.date], posyandu_ids: list[int] | None, measures: list[str] | None = None,
    frozen: bool = False,
) -> None:  # fmt: skip
    """Compute the measures (None: all) of ``months`` live for these posyandu (None: all) and store the
    non-zero ones. One query per source and month (each source's query built once for all the
    months: ``indicators.compute_live_periods``), plus a delete and an insert per month."""
    for start in range(0, len(months), MONTHS_PER_BATCH):
        batch = months[start : start + MONTHS_PER_BATCH]
        computed = ind.compute_live_periods(
            user=None, periods=[ind.Period.month(month) for month in batch], measures=measures or list(ind.MEASURES),
            group=ind.POSYANDU, posyandu_ids=posyandu_ids,
        )  # fmt: skip
        for month, values in zip(batch, computed, strict=True):
            _store(month=month, values=values, posyandu_ids=posyandu_ids, measures=measures, frozen=frozen)


def _store(*, month: datetime.date, values: dict, posyandu_ids: list[int] | None, measures: list[str] | None,
           frozen: bool) -> None:  # fmt: skip
    """Replace ``month``'s stored rows of these posyandu and measures with ``values``' non-zero ones.

    A posyandu whose ``month`` is approved keeps the figures written at its approval (``freeze``):
    it is left out here unless ``frozen`` (the approval itself)."""
    today = dates.today()
    stale = RekapBulanan.objects.filter(month=month)
    if posyandu_ids is not None:
        stale = stale.filter(posyandu_id__in=posyandu_ids)
    if not frozen:
        approved = set(BulanTerkunci.objects.filter(month=month).values_list("posyandu_id", flat=True))
        stale = stale.exclude(posyandu_id__in=approved)
        values = {pk: row for pk, row in values.items() if pk not in approved}
    if measures is not None:
        stale = stale.filter(measure__in=measures)
    kecamatan = None  # all
    if posyandu_ids is not None:  # the kecamatan these posyandu were in (a moved posyandu leaves one)
        kecamatan = set(
            stale.annotate(code=Substr("desa_code", 1, KECAMATAN_LENGTH)).values_list("code", flat=True).distinct()
        )
    stale.delete()
    desa = dict(
        (Posyandu.objects.filter(pk__in=posyandu_ids) if posyandu_ids is not None else Posyandu.objects).values_list(
            "pk", "desa_id"
        )
    )
    # COPY, not bulk_create: a whole month is about 50 values per posyandu (50,000 rows at 1,000
    # posyandu), and building the INSERT statements cost more than the database's work.
    with connection.cursor() as cursor, cursor.copy(_COPY_ROWS) as copy:
        for pk, measures in values.items():
            if pk in desa:
                for code, value in measures.items():
                    if value:
                        copy.write_row((pk, desa[pk], month, code, value, today))
    if kecamatan is not None:
        kecamatan |= {code[:KECAMATAN_LENGTH] for code in desa.values()}
    _sum_kecamatan(month=month, codes=kecamatan, measures=measures)


# 12-month sums per posyandu (``w12:<measure>`` rows of the month that ends the window), for the
# strata: one month's rows read instead of twelve (the strata were the dashboard's largest read).
WINDOW_PREFIX = "w12:"
WINDOW_MEASURES = [
    "balita_d", "balita_s", "idl", "baduta_12_23",
    "kegiatan_pendidikan", "kegiatan_sosial", "kegiatan_perumahan_rakyat", "kegiatan_pekerjaan_umum",
    "kegiatan_trantibum_linmas",
]  # fmt: skip
_DELETE_WINDOWS = """
DELETE FROM laporan_rekapbulanan WHERE measure LIKE 'w12:%%' AND month >= %(since)s
  AND (%(ids)s::bigint[] IS NULL OR posyandu_id = ANY(%(ids)s::bigint[]))
"""
_SUM_WINDOWS = """
INSERT INTO laporan_rekapbulanan (posyandu_id, desa_code, month, measure, value, computed_on)
SELECT r.posyandu_id, r.desa_code, h.month, 'w12:' || r.measure, SUM(r.value), %(today)s
FROM laporan_rekapbulan h
JOIN laporan_rekapbulanan r ON r.month > h.month - interval '12 months' AND r.month <= h.month
WHERE h.month >= %(since)s AND r.measure = ANY(%(measures)s::text[])
  AND (%(ids)s::bigint[] IS NULL OR r.posyandu_id = ANY(%(ids)s::bigint[]))
GROUP BY r.posyandu_id, r.desa_code, h.month, r.measure
"""


def _sum_windows(*, since: datetime.date, ids: list[int] | None) -> None:
    """Write the 12-month sums again for the held months from ``since`` (for these posyandu; None: all)."""
    params = {"since": since, "ids": ids, "measures": WINDOW_MEASURES, "today": dates.today()}
    with connection.cursor() as cursor:
        cursor.execute(_DELETE_WINDOWS, params)
        cursor.execute(_SUM_WINDOWS, params)


_SUM_KECAMATAN = """
INSERT INTO laporan_rekapkecamatan (kecamatan_code, month, measure, value)
SELECT substring(desa_code, 1, 8), month, measure, SUM(value) FROM laporan_rekapbulanan
WHERE month = %(month)s
  AND (%(codes)s::text[] IS NULL OR substring(desa_code, 1, 8) = ANY(%(codes)s::text[]))
  AND (%(measures)s::text[] IS NULL OR measure = ANY(%(measures)s::text[]))
  AND measure NOT LIKE 'w12:%%'
GROUP BY 1, 2, 3
"""  # 8 = KECAMATAN_LENGTH; the 12-month sums are per posyandu only


def _sum_kecamatan(*, month: datetime.date, codes: set[str] | None, measures: list[str] | None) -> None:
    """Write the kecamatan sums of ``month`` again from the posyandu rows (for these kecamatan and
    measures; None: all). Two queries, in the refresh's transaction."""
    if codes is not None and not codes:
        return
    sums = RekapKecamatan.objects.filter(month=month)
    if codes is not None:
        sums = sums.filter(kecamatan_code__in=sorted(codes))
    if measures is not None:
        sums = sums.filter(measure__in=measures)
    sums.delete()
    params = {
        "month": month,
        "codes": sorted(codes) if codes is not None else None,
        "measures": list(measures) if measures is not None else None,
    }
    with connection.cursor() as cursor:
        cursor.execute(_SUM_KECAMATAN, params)


def freeze(*, posyandu_id: int, month: datetime.date) -> None:
    """Write the figures of an approved month of one posyandu now, as they are at its approval.

    From then on ``_materialize`` leaves them alone: what the records say of that month can still
    change without a write dated in it (a person registered today who was born before it, a Buku KIA
    recorded today, a household or kader moved to another posyandu, a changed setting), and the
    approved report must keep the figures that were approved. Reopening the month (an admin's
    ``buka_kembali``) removes the lock and its save marks the month stale, so it is computed again.
    Called by the approval, inside its transaction."""
    if not enabled():
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])  # not beside a refresh
    _materialize(months=[month.replace(day=1)], posyandu_ids=[posyandu_id], frozen=True)


def dated_measures() -> list[str]:
    """The measures that change with the date alone: overdue requests are counted up to today, and a
    report becomes late once the deadline in the following month passes."""
    return [code for code, measure in ind.MEASURES.items() if measure.dated]


def _dated_final(month: datetime.date) -> datetime.date:
    """The day from which ``month``'s dated measures no longer change: its requests are counted up to
    its last day, and the day after the report deadline in the following month every report is
    either on time or late. Each kabupaten sets its own deadline day (at most ``DEADLINE_DAY_MAX``):
    the latest any may set, so no question asked on every read."""
    return ind.add_months(month, 1).replace(day=DEADLINE_DAY_MAX) + datetime.timedelta(days=1)


def _dated_behind(month: datetime.date, dated_on: datetime.date | None, today: datetime.date) -> bool:
    """True when ``month``'s dated measures were last brought up to a day before the one they need."""
    return (dated_on or EARLIEST) < min(today, _dated_final(month))


def refresh(months: Iterable[datetime.date]) -> None:
    """Bring the rollup up to date for ``months`` (and clear every mark).

    When nothing is stale this costs two queries (the months held, the marks) and takes no lock."""
    months = sorted({m.replace(day=1) for m in months})
    if not _stale(months):
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        _refresh_locked(months)


def _stale(months: list[datetime.date]) -> bool:
    current, today = fingerprint(), dates.today()
    held = {
        month: (fp, dated_on)
        for month, fp, dated_on in RekapBulan.objects.values_list("month", "fingerprint", "dated_on")
    }
    for month in months:
        if month not in held or held[month][0] != current or _dated_behind(month, held[month][1], today):
            return True
    return RekapKotor.objects.exists()


def _refresh_locked(months: list[datetime.date]) -> None:
    today = dates.today()
    current = fingerprint()
    held = {
        month: (fp, dated_on)
        for month, fp, dated_on in RekapBulan.objects.values_list("month", "fingerprint", "dated_on")
    }
    marks = list(RekapKotor.objects.values_list("posyandu_id", "dirty_from", "version"))  # before computing
    fresh = [month for month in months if month not in held or held[month][0] != current]
    if fresh:
        _materialize(months=fresh, posyandu_ids=None)
    for month in fresh:
        RekapBulan.objects.update_or_create(month=month, defaults={"fingerprint": current, "dated_on": today})
        held[month] = (current, today)
    # A month just computed whole already has the marked changes; the others, of the posyandu marked
    # by then (months marked for the same posyandu computed together).
    by_posyandu: dict[tuple[int, ...], list[datetime.date]] = {}
    for month in sorted(set(held) - set(fresh)):
        if ids := tuple(sorted({pk for pk, since, _version in marks if since <= month})):
            by_posyandu.setdefault(ids, []).append(month)
    for ids, marked_months in by_posyandu.items():
        _materialize(months=marked_months, posyandu_ids=list(ids))
    for pk, _since, version in marks:
        RekapKotor.objects.filter(posyandu_id=pk, version=version).delete()
    # The 12-month sums of every window that now includes a month computed here.
    if fresh:
        _sum_windows(since=min([*fresh, *(since for _pk, since, _version in marks)]), ids=None)
    elif marks:
        _sum_windows(since=min(since for _pk, since, _version in marks), ids=[pk for pk, *_rest in marks])
    # Once a day, the measures that change with the date alone, for every posyandu (two grouped
    # queries a month: requests and reports) — not the whole month again.
    behind = [month for month, (_fp, dated_on) in sorted(held.items()) if _dated_behind(month, dated_on, today)]
    if behind:
        _materialize(months=behind, posyandu_ids=None, measures=dated_measures())
        RekapBulan.objects.filter(month__in=behind).update(dated_on=today)


def refresh_all(*, months: Iterable[datetime.date] | None = None) -> list[datetime.date]:
    """Hold every month from the first opening day up to this month (``manage.py rekap_refresh``)."""
    from layanan.models import HariBuka

    if months is None:
        first = HariBuka.objects.order_by("reporting_month").values_list("reporting_month", flat=True).first()
        this_month = dates.this_month()
        months = ind.Period(first or this_month, this_month).months
    months = list(months)
    RekapBulan.objects.filter(month__in=months).delete()  # computed again, whole
    refresh(months)
    return months


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------
def _key(group: str, area_column: str = "desa_code"):
    if group == ind.TOTAL:
        return Value("total")
    if group == ind.POSYANDU:
        return F("posyandu_id")
    if group == ind.MONTH:
        return F("month")
    if group.startswith("child:"):
        return Substr(area_column, 1, int(group.split(":", 1)[1]))
    if group == ind.PUSKESMAS:
        return puskesmas_key(area_column)
    raise ValueError(f"unknown group {group}")


def _kecamatan_sums_answer(*, user, group: str, area, posyandu) -> bool:
    """Whether the kecamatan sums give the same answer as the posyandu rows: the question is about
    whole kecamatan (a kecamatan or larger, grouped by month or by areas no smaller than a kecamatan)
    for a user whose scope is whole kecamatan."""
    if posyandu is not None or group in (ind.POSYANDU, ind.PUSKESMAS):
        return False  # a Puskesmas area is a set of desa, not whole kecamatan
    if group.startswith("child:") and int(group.split(":", 1)[1]) > KECAMATAN_LENGTH:
        return False
    if area is not None and len(area.code) > KECAMATAN_LENGTH:
        return False
    if getattr(user, "scope_puskesmas_id", None):
        return False  # a Puskesmas area is a set of desa, not whole kecamatan
    return user is None or not (user.posyandu_id or len(user.wilayah_id or "") > KECAMATAN_LENGTH)


def values(
    *,
    user,
    period: ind.Period,
    measures: Iterable[str],
    group: str = ind.TOTAL,
    area=None,
    posyandu: Posyandu | None = None,
    refresh_months: list[datetime.date] | None = None,
) -> dict[object, dict[str, int]]:
    """What ``indicators.compute`` returns, from the rollup. Queries: the refresh's checks (two when
    nothing is stale; of ``refresh_months`` when given, else of the period's months) and one grouped sum.
    A user who may not open confidential incidents reads the incident measures without them."""
    scope = {"user": user, "period": period, "group": group, "area": area, "posyandu": posyandu}
    return ind.read_through(
        user, measures, lambda asked: _values(measures=asked, refresh_months=refresh_months, **scope)
    )


def _values(*, user, period, measures, group, area, posyandu, refresh_months) -> dict[object, dict[str, int]]:
    months = period.months
    refresh(refresh_months or months)
    if _kecamatan_sums_answer(user=user, group=group, area=area, posyandu=posyandu):
        model, area_column = RekapKecamatan, "kecamatan_code"  # a dozen rows per measure, not a thousand
    else:
        model, area_column = RekapBulanan, "desa_code"
    rows = model.objects.filter(month__in=months, measure__in=measures)
    if user is not None:
        rows = scoped(rows, user)
    if posyandu is not None:
        rows = rows.filter(posyandu_id=posyandu.pk)
    elif area is not None:
        rows = rows.filter(area_filter(area_column, area.code))
    result: dict[object, dict[str, int]] = {}
    summed = (
        rows.annotate(_key=_key(group, area_column))
        .order_by()
        .values_list("_key", "measure")
        .annotate(total=Sum("value"))
    )
    # Plain tuples from the cursor: a kabupaten's strata read about 12,000 (posyandu, measure) sums,
    # and building them through the ORM's row converters took as long as the query.
    sql, params = summed.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    zeros = dict.fromkeys(measures, 0)
    for key, measure, total in fetched:
        if key not in result:
            result[key] = zeros.copy()
        result[key][measure] = total
    return result


def window_values(
    *, user, end: datetime.date, measures: list[str], area=None, posyandu: Posyandu | None = None
) -> dict[int, dict[str, int]]:
    """Each posyandu's sums of ``measures`` (of ``WINDOW_MEASURES``) over the 12 months ending ``end``:
    the twelve months are brought up to date, then one month's ``w12:`` rows are read. Three queries."""
    end = end.replace(day=1)
    months = [ind.add_months(end, -offset) for offset in range(11, -1, -1)]
    rows = values(user=user, period=ind.Period.month(end), measures=[WINDOW_PREFIX + code for code in measures],
                  group=ind.POSYANDU, area=area, posyandu=posyandu, refresh_months=months)  # fmt: skip
    return {key: {code: row[WINDOW_PREFIX + code] for code in measures} for key, row in rows.items()}


def compute(
    *,
    user,
    period: ind.Period,
    measures: Iterable[str],
    group: str = ind.TOTAL,
    area: Wilayah | None = None,
    posyandu: Posyandu | None = None,
) -> dict[object, dict[str, int]]:
    """Measure values per key (``"total"``, a child-area code, a posyandu id or a month) in the user's scope.

    A month period reads the maintained rollup (a few queries, however much data); other periods, or with
    ``LAPORAN_REKAP`` off, compute live (``indicators.compute_live``: one query per source). Every page and
    export reads its figures here, so all of them show the same number."""
    return compute_periods(user=user, periods=[period], measures=measures, group=group, area=area, posyandu=posyandu)[0]


def compute_periods(
    *,
    user,
    periods: Iterable[ind.Period],
    measures: Iterable[str],
    group: str = ind.TOTAL,
    area: Wilayah | None = None,
    posyandu: Posyandu | None = None,
) -> list[dict[object, dict[str, int]]]:
    """``compute`` of each period, in order; the periods computed live share each source's query."""
    periods, measures = list(periods), list(measures)
    scope = {"user": user, "measures": measures, "group": group, "area": area, "posyandu": posyandu}
    results: list[dict | None] = [
        values(period=period, **scope) if usable(period, group) and group != ind.MONTH else None for period in periods
    ]
    live = [period for period, result in zip(periods, results, strict=True) if result is None]
    computed = iter(ind.compute_live_periods(periods=live, **scope) if live else [])
    return [next(computed) if result is None else result for result in results]
