"""Demo health data: a year of opening days, visits, immunisation, pregnancies and referrals.

Called by ``manage.py demo_load`` after ``demo.posyandu``, with the same
arguments. For every posyandu of the kabupaten, in one pass over its people:

* an opening day (HariBuka) in each of the 12 reporting months before the current one, on the
  posyandu's own schedule (``Posyandu.opening_date_in``); a posyandu marked inactive stops opening
  from its ``inactive_since`` date;
* balita weighed and measured at most opening days (each child has a latent length-for-age z and
  BMI-for-age z with month-to-month noise, so about one in five is stunted and T, 2T, O and B all
  occur), kader home visits for some of those who missed the day, lying length under 24 months and
  standing height after (a few measured the other way), vitamin A in February and August;
* immunisation mostly on schedule, with about a quarter of the children missing some doses;
* about four pregnancies per 60 balita with monthly checks (LiLA, blood pressure, danger signs), some
  ended in a birth that adds the baby to the register;
* remaja, usia produktif and lansia screened on about 30 % of the opening days;
* referrals for some T / 2T / BGM visits, danger signs and high screening results, with follow-ups
  in every status.

Every computed column comes from ``layanan.growth`` (``balita_growth``, ``weight_gain``,
``completed_months``) and ``layanan.screening`` (``screen``, ``bmi_for_age_z_5_18``), and each visit's
stage from ``services.visit_stage_rule``: the functions ``services.kunjungan_record`` uses, so the stored
values are what the app would store for the same measurements. Deterministic for a given day (seeded by
desa code and posyandu name). Skipped for a posyandu that already has opening days, and for one without
people.

Visits and immunisations are written with PostgreSQL COPY: ``bulk_create`` needs about 0.4 ms per
visit row (60 columns, and the array columns rule out Django's UNNEST insert), minutes for a
kabupaten; COPY takes a few seconds. Every column is filled from the model's own field defaults, so a
field added later gets its default here too.
"""

import datetime
import itertools
import math
import multiprocessing
import os
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from demo.posyandu import area_prefix, child_name, thousands, without
from demo.progress import Silent
from layanan import growth, screening, services
from layanan.models import DangerSign, HariBuka, Imunisasi, Kehamilan, Kunjungan, Rujukan
from layanan.schedule import SCHEDULE, VITAMIN_A_MONTHS, Antigen, vitamin_a_capsule
from layanan.screening import Aks, ScreeningFlag
from posyandu import dates
from posyandu.models import LifeStage, Posyandu, Sex, Warga

MONTHS = 12
CHUNK_POSYANDU = 25  # posyandu written together: bounds memory at about 30,000 visits

# Balita. Length-for-age z: mean and SD chosen so that P(z < −2) ≈ 0.2 over 0–59 months (SSGI 2022:
# 21.6 % stunting nationally), deepening over the first two years as in the survey data.
LENGTH_Z_MEAN = -0.77
LENGTH_Z_SD = 1.15
LENGTH_Z_DRIFT = -0.35  # reached at 24 months
BMI_Z_MEAN = -0.35  # about 7 % wasting, 18 % underweight with the stunting above
BMI_Z_SD = 1.0
# Month-to-month noise: AR(1) (share kept from last month, SD of the new part) on the child's length
# z and BMI z, and the scale's own error. Weight gain then falls short of the KBM in about a third of
# the weighings: T is common, 2T less so.
LENGTH_NOISE = (0.8, 0.03)
BMI_NOISE = (0.7, 0.06)
SCALE_SD_KG = 0.02
ATTENDANCE = (8.0, 1.6)  # Beta(a, b) per child: mean 0.83 of the opening days
HOME_VISIT_SHARE = 0.25  # of the missed opening days, followed by a kader home visit
WRONG_POSITION = 0.05  # measured standing under 24 months, or lying after
IMMUNISATION_INCOMPLETE = 0.25
PREGNANCIES_PER_60_BALITA = 4

# Remaja, usia produktif, lansia: a third come regularly, the rest now and then (≈ 30 % overall).
REGULAR_SHARE = 0.35
REGULAR_ATTENDANCE = 0.7
OCCASIONAL_ATTENDANCE = 0.1

# Medians by age for the generator only (never stored as a standard): head circumference of
# under-twos (WHO 2006, both sexes, cm by month), and remaja height (cm) and BMI by year.
HEAD_MEDIAN = ((0, 34.2), (3, 40.1), (6, 42.9), (9, 44.6), (12, 45.8), (18, 47.2), (24, 48.1))
REMAJA_HEIGHT = {
    Sex.LAKI_LAKI: ((5, 108), (8, 124), (10, 134), (12, 144), (14, 156), (16, 162), (18, 164)),
    Sex.PEREMPUAN: ((5, 107), (8, 123), (10, 134), (12, 145), (14, 150), (16, 152), (18, 153)),
}
REMAJA_BMI = ((5, 15.3), (8, 15.7), (10, 16.6), (12, 17.8), (14, 19.0), (16, 20.0), (18, 20.8))

PLACES = ["Rumah kader", "Balai dusun", "Gedung posyandu", "Kantor desa", "Kolong rumah ketua RT", "Masjid"]
BIRTH_PLACES = ["Bidan desa", "Puskesmas", "Rumah sakit"]
FOLLOW_UP_NOTES = {
    Rujukan.Status.DILAYANI: [
        "Diperiksa bidan, diberi PMT pemulihan.",
        "Diperiksa dokter Puskesmas, kontrol bulan depan.",
        "Sudah dilayani, diberi obat dan konseling gizi.",
    ],
    Rujukan.Status.TIDAK_DATANG: [
        "Keluarga belum sempat ke Puskesmas.",
        "Tidak ada kendaraan ke Puskesmas.",
        "Orang tua menolak dirujuk.",
    ],
}


@dataclass
class DemoResult:
    skipped: bool = False
    months: list[datetime.date] = field(default_factory=list)
    hari_buka: int = 0
    kunjungan: Counter = field(default_factory=Counter)  # by stage, plus "rumah" for home visits
    balita: int = 0  # children with at least one balita visit
    imunisasi: int = 0
    kehamilan: int = 0
    births: int = 0
    rujukan: int = 0
    posyandu_ids: list[int] = field(default_factory=list)  # the posyandu filled by this run


@dataclass
class _Person:
    """A Warga row as the generator needs it; babies born during the year start without a pk."""

    pk: int | None
    sex: str
    birth_date: datetime.date
    status: str
    status_date: datetime.date | None
    mother_id: int | None
    keluarga_id: int | None
    name: str
    birth_weight: Decimal | None

    def present_on(self, day: datetime.date) -> bool:
        return self.birth_date <= day and (self.status == Warga.Status.AKTIF or day < self.status_date)

    def stage_on(self, day: datetime.date, *, pregnant: bool = False) -> str:
        """The stage a visit on ``day`` records, by the services' own rule."""
        return services.visit_stage_rule(
            sex=self.sex, age_months=dates.months_between(self.birth_date, day), pregnant=pregnant
        )


@dataclass
class _Pregnancy:
    row: Kehamilan
    mother: _Person
    baby: _Person | None = None

    def ongoing_on(self, day: datetime.date) -> bool:
        """What ``services.visit_stage`` saw on ``day``: registered, not yet ended."""
        row = self.row
        return row.registered_on <= day and (row.ended_on is None or day < row.ended_on)


class _Table:
    """Fast inserts with COPY, every column filled from the model's own defaults."""

    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.column_types: dict[str, str] | None = None  # PostgreSQL type of each column, read once
        self.defaults = {}
        now = dates.now()
        for model_field in self.fields:
            if model_field.primary_key:
                continue
            if getattr(model_field, "auto_now", False) or getattr(model_field, "auto_now_add", False):
                self.defaults[model_field.attname] = now
            else:  # the field's default, else "" for text and None for the rest, as Model() does
                self.defaults[model_field.attname] = model_field.get_default()

    def row(self, **values) -> dict:
        row = self.defaults.copy()
        row.update(values)
        return row

    def allocate_ids(self, count: int) -> list[int]:
        table = self.model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]

    def copy(self, rows: list[dict], *, with_ids: bool) -> None:
        if not rows:
            return
        fields = [f for f in self.fields if with_ids or not f.primary_key]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        names = [f.attname for f in fields]
        table = self.model._meta.db_table
        sql = f"COPY {quote(table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor:
            if self.column_types is None:  # once per table, not per chunk
                cursor.execute(
                    "SELECT column_name, udt_name FROM information_schema.columns WHERE table_name = %s", [table]
                )
                self.column_types = {
                    column: udt[1:] + "[]" if udt.startswith("_") else udt for column, udt in cursor.fetchall()
                }
            with cursor.copy(sql) as copy:
                # The columns' types up front: psycopg then formats each row without looking up an
                # adapter per value (the lookups were most of the writing process's time).
                copy.set_types([self.column_types[f.column] for f in fields])
                for row in rows:
                    copy.write_row([row[name] for name in names])


def _months_before(today: datetime.date, count: int) -> list[datetime.date]:
    """The ``count`` reporting months before the current one, oldest first."""
    month = dates.month_start(today)
    return [dates.add_months(month, -offset) for offset in range(count, 0, -1)]


def _interpolate(points, x: float) -> float:
    if x <= points[0][0]:
        return points[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return points[-1][1]


def _one(value: float) -> Decimal:
    return Decimal(f"{value:.1f}")


def _clip(value: float, low: float, high: float) -> float:
    return min(max(value, low), high)


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------
def build(*, kabupaten: str, synthetic_posyandu: int | None = None, **options) -> DemoResult:
    """Health data (below), then the five other fields' (``demo.bidang``), each safe to run twice."""
    from demo import bidang

    result = _build_health(kabupaten=kabupaten, synthetic_posyandu=synthetic_posyandu, **options)
    result.bidang = bidang.build(kabupaten=kabupaten, synthetic_posyandu=synthetic_posyandu, **options)
    result.users = result.bidang.users
    result.posyandu_ids = sorted({*result.posyandu_ids, *result.bidang.posyandu_ids})
    return result


@transaction.atomic
def _build_health(
    *, kabupaten: str, synthetic_posyandu: int | None = None, quick: bool = False, progress=None, **options
) -> DemoResult:
    """A year of health data for every posyandu of the run's area (``area_prefix``: the kabupaten, its
    first kecamatan with ``quick``, or the synthetic kabupaten) that has people and no opening day yet."""
    prefix = area_prefix(kabupaten, synthetic_posyandu=synthetic_posyandu, quick=quick)
    result = DemoResult()
    area = Posyandu.objects.filter(desa__code__startswith=prefix)
    posyandu_list = list(without(area, HariBuka).filter(Exists(Warga.objects.filter(posyandu=OuterRef("pk")))))
    if not posyandu_list:
        result.skipped = area.filter(Exists(HariBuka.objects.filter(posyandu=OuterRef("pk")))).exists()
        return result
    people: dict[int, list[_Person]] = defaultdict(list)
    for pk, posyandu_id, *values in (
        Warga.objects.filter(posyandu__in=posyandu_list)
        .order_by("pk")
        .values_list(
            "pk",
            "posyandu_id",
            "sex",
            "birth_date",
            "status",
            "status_date",
            "mother_id",
            "keluarga_id",
            "name",
            "birth_weight_kg",
        )
    ):
        people[posyandu_id].append(_Person(pk, *values))
    today = dates.today()
    result.months = _months_before(today, MONTHS)
    openings = _open_days(posyandu_list, result.months)
    if not openings:  # only posyandu inactive all year: nothing to build, now or on a later run
        result.skipped = True
        return result
    result.posyandu_ids = sorted(openings)
    result.hari_buka = sum(len(days) for days in openings.values())
    tables = {model: _Table(model) for model in (Kunjungan, Imunisasi)}
    chunks = [posyandu_list[start : start + CHUNK_POSYANDU] for start in range(0, len(posyandu_list), CHUNK_POSYANDU)]
    work = _Work(chunks=chunks, people=people, openings=openings, months=result.months, today=today, tables=tables)
    bar = (progress or Silent()).step("Kesehatan (setahun)", len(posyandu_list))
    for years in _generated(work):
        _write(years, tables, result)
        bar.advance(len(years))
    bar.finish()
    return result


# Generating a posyandu's year is pure Python (growth z-scores, schedules, random draws) and takes
# most of a large seed; each posyandu has its own random stream, so its year is the same whichever
# process computes it. From this many posyandu on, worker processes generate chunks ahead while
# this process writes them (COPY) in order: ids, and so the whole demo, stay as in one process.
PARALLEL_FROM_POSYANDU = 100


@dataclass
class _Work:
    chunks: list[list[Posyandu]]
    people: dict[int, list[_Person]]
    openings: dict[int, dict]
    months: list[datetime.date]
    today: datetime.date
    tables: dict


_WORK: _Work | None = None  # what forked workers read (inherited, not sent to them)


def _generate_chunk(index: int, work: _Work | None = None) -> list["_Year"]:
    work = work or _WORK
    years = []
    for posyandu in work.chunks[index]:
        year = _Year(
            posyandu,
            people=work.people.get(posyandu.pk, []),
            openings=work.openings[posyandu.pk],
            months=work.months,
            today=work.today,
            tables=work.tables,
        )
        year.generate()
        years.append(year)
    return years


def _generated(work: _Work):
    """Each chunk's generated years, in order: here, or from worker processes when it pays off."""
    processes = min(os.cpu_count() or 1, 4)
    posyandu_count = sum(len(chunk) for chunk in work.chunks)
    can_fork = "fork" in multiprocessing.get_all_start_methods()
    if processes < 2 or posyandu_count < PARALLEL_FROM_POSYANDU or not can_fork:
        for index in range(len(work.chunks)):
            yield _generate_chunk(index, work)
        return
    global _WORK
    _WORK = work
    try:
        # fork: the workers start with this process's memory (the inputs above) and never touch
        # the database; each chunk comes back pickled, its years' cross-references intact.
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            yield from pool.imap(_generate_chunk, range(len(work.chunks)))
    finally:
        _WORK = None


def summary_lines(result: DemoResult) -> list[str]:
    from demo import bidang

    other_fields = bidang.summary_lines(result.bidang) if hasattr(result, "bidang") else []
    return _health_summary_lines(result) + other_fields


def _health_summary_lines(result: DemoResult) -> list[str]:
    if result.skipped:
        return ["Kesehatan: kabupaten ini sudah punya data hari buka, tidak diubah."]
    if not result.months:
        return ["Kesehatan: belum ada warga, tidak ada data kesehatan dibuat."]
    visits = result.kunjungan
    first, last = result.months[0], result.months[-1]
    return [
        f"Kesehatan: {thousands(result.balita)} balita, {thousands(visits.total() - visits['rumah'])} kunjungan "
        f"({thousands(visits['rumah'])} di antaranya kunjungan rumah), {thousands(result.imunisasi)} imunisasi, "
        f"{thousands(result.kehamilan)} kehamilan ({thousands(result.births)} kelahiran), "
        f"{thousands(result.rujukan)} rujukan, {thousands(result.hari_buka)} hari buka, "
        f"{len(result.months)} bulan ({first:%m/%Y}–{last:%m/%Y})."
    ]


def _open_days(posyandu_list: list[Posyandu], months: list[datetime.date]) -> dict[int, dict]:
    """One opening day per posyandu and reporting month, on its schedule (one bulk insert)."""
    rows = []
    for posyandu in posyandu_list:
        rng = random.Random(f"hari-buka/{posyandu.desa_id}/{posyandu.name}")
        place = rng.choice(PLACES)
        for month in months:
            date = posyandu.opening_date_in(month.year, month.month) or month.replace(day=10)
            if posyandu.inactive_since and date >= posyandu.inactive_since:
                continue
            rows.append(
                HariBuka(
                    posyandu=posyandu,
                    date=date,
                    reporting_month=month,
                    place=place if rng.random() < 0.9 else rng.choice(PLACES),
                    kader_present=rng.choice([3, 4, 5, 5, 5, 6, 6, 7]),
                )
            )
    HariBuka.objects.bulk_create(rows, batch_size=5000)
    openings: dict[int, dict] = defaultdict(dict)
    for row in rows:
        openings[row.posyandu_id][row.reporting_month] = row
    return openings


def _write(years: list["_Year"], tables: dict, result: DemoResult) -> None:
    """Babies, pregnancies, visits (COPY), immunisations (COPY) and referrals of some posyandu."""
    babies = [p.baby for year in years for p in year.pregnancies if p.baby]
    baby_rows = [
        Warga(
            name=baby.name,
            sex=baby.sex,
            birth_date=baby.birth_date,
            birth_weight_kg=baby.birth_weight,
            mother_id=baby.mother_id,
            keluarga_id=baby.keluarga_id,
            posyandu_id=year.posyandu.pk,
        )
        for year in years
        for baby in (p.baby for p in year.pregnancies if p.baby)
    ]
    Warga.objects.bulk_create(baby_rows, batch_size=5000)
    for baby, row in zip(babies, baby_rows, strict=True):
        baby.pk = row.pk
    pregnancies = [p for year in years for p in year.pregnancies]
    for pregnancy in pregnancies:
        pregnancy.row.baby_id = pregnancy.baby.pk if pregnancy.baby else None
    Kehamilan.objects.bulk_create([p.row for p in pregnancies], batch_size=5000)

    visits = [row for year in years for row in year.visits]
    for row, pk in zip(visits, tables[Kunjungan].allocate_ids(len(visits)), strict=True):
        row["id"] = pk
        row["warga_id"] = row.pop("person").pk
        pregnancy = row.pop("pregnancy")
        row["kehamilan_id"] = pregnancy.row.pk if pregnancy else None
    tables[Kunjungan].copy(visits, with_ids=True)
    doses = [row for year in years for row in year.doses]
    for row in doses:
        row["warga_id"] = row.pop("person").pk
        visit = row.pop("visit")
        row["kunjungan_id"] = visit["id"] if visit else None
    tables[Imunisasi].copy(doses, with_ids=False)
    referrals = [referral for year in years for referral in year.referrals]
    for referral in referrals:
        referral.kunjungan_id = referral.visit_row["id"]
    Rujukan.objects.bulk_create(referrals, batch_size=5000)

    for row in visits:
        result.kunjungan[row["stage"]] += 1
        if row["kind"] == Kunjungan.Kind.RUMAH:
            result.kunjungan["rumah"] += 1
    result.balita += sum(year.balita_seen for year in years)
    result.imunisasi += len(doses)
    result.kehamilan += len(pregnancies)
    result.births += len(babies)
    result.rujukan += len(referrals)


# ---------------------------------------------------------------------------------------------
# One posyandu's year
# ---------------------------------------------------------------------------------------------
class _Year:
    """Generates one posyandu's pregnancies, visits, doses and referrals in memory, in one pass."""

    def __init__(self, posyandu, *, people, openings, months, today, tables):
        self.posyandu = posyandu
        self.people = list(people)
        self.openings = openings  # reporting month → HariBuka
        self.months = months
        self.today = today
        self.window_start = openings[months[0]].date if months[0] in openings else months[0]
        self.visit_table = tables[Kunjungan]
        self.dose_table = tables[Imunisasi]
        self.rng = random.Random(f"layanan/{posyandu.desa_id}/{posyandu.name}")
        self.pregnancies: list[_Pregnancy] = []
        self.pregnancy_of: dict[int, _Pregnancy] = {}  # id(mother) → pregnancy
        self.visits: list[dict] = []
        self.doses: list[dict] = []
        self.referrals: list[Rujukan] = []
        self.balita_seen = 0
        self._recorded_at: dict[datetime.date, datetime.datetime] = {}

    def generate(self) -> None:
        if not self.openings:
            return
        self._plan_pregnancies()
        for person in self.people:
            self._person_year(person)

    def _balita_during_year(self, person: _Person) -> bool:
        return dates.age_in_days(person.birth_date, self.window_start) <= growth.MAX_AGE_DAYS

    # -- pregnancies ---------------------------------------------------------------------------
    def _plan_pregnancies(self) -> None:
        rng, today = self.rng, self.today
        youngest: dict[int, datetime.date] = {}
        children: Counter = Counter()
        balita = 0
        for person in self.people:
            if person.mother_id:
                children[person.mother_id] += 1
                youngest[person.mother_id] = max(youngest.get(person.mother_id, person.birth_date), person.birth_date)
            if dates.age_in_days(person.birth_date, today) <= 1800:
                balita += 1
        candidates = [
            person
            for person in self.people
            if person.sex == Sex.PEREMPUAN
            and person.status == Warga.Status.AKTIF
            and 19 * 365 <= dates.age_in_days(person.birth_date, today) <= 40 * 365
            and (person.pk not in youngest or dates.age_in_days(youngest[person.pk], today) >= 30 * 30)
        ]
        count = min(len(candidates), round(PREGNANCIES_PER_60_BALITA * balita / 60))
        for index, mother in enumerate(rng.sample(candidates, count)):
            kind = "born" if index % 3 == 0 else "ongoing"
            if kind == "born" and rng.random() < 0.12:
                kind = "keguguran"
            if kind == "ongoing":
                hpht = today - datetime.timedelta(days=rng.randint(6 * 7, 38 * 7))
                registered = min(hpht + datetime.timedelta(days=rng.randint(42, 98)), today)
                ended, outcome = None, Kehamilan.Outcome.BERLANGSUNG
            elif kind == "born":
                ended = today - datetime.timedelta(days=rng.randint(14, 300))
                hpht = ended - datetime.timedelta(days=rng.randint(259, 287))
                registered = hpht + datetime.timedelta(days=rng.randint(56, 112))
                outcome = Kehamilan.Outcome.LAHIR_HIDUP
            else:
                hpht = today - datetime.timedelta(days=rng.randint(20 * 7, 45 * 7))
                registered = hpht + datetime.timedelta(days=rng.randint(42, 56))
                ended = registered + datetime.timedelta(days=rng.randint(7, 35))
                outcome = Kehamilan.Outcome.KEGUGURAN
            row = Kehamilan(
                mother_id=mother.pk,
                hpht=hpht,
                due_date=hpht + datetime.timedelta(days=280),
                gravida=children[mother.pk] + 1,
                registered_on=registered,
                outcome=outcome,
                ended_on=ended,
            )
            pregnancy = _Pregnancy(row, mother)
            if outcome == Kehamilan.Outcome.LAHIR_HIDUP:
                sex = rng.choice(Sex.values)
                first_name = mother.name.split(" Daeng ")[0]
                name = f"By. Ny. {first_name}" if rng.random() < 0.4 else child_name(rng, sex)
                pregnancy.baby = _Person(
                    pk=None,
                    sex=sex,
                    birth_date=ended,
                    status=Warga.Status.AKTIF,
                    status_date=None,
                    mother_id=mother.pk,
                    keluarga_id=mother.keluarga_id,
                    name=name,
                    birth_weight=Decimal(f"{_clip(rng.gauss(3.05, 0.45), 1.6, 4.6):.2f}"),
                )
                self.people.append(pregnancy.baby)
            self.pregnancies.append(pregnancy)
            self.pregnancy_of[id(mother)] = pregnancy

    # -- one person, month by month ------------------------------------------------------------
    def _person_year(self, person: _Person) -> None:
        rng = self.rng
        state = _State(person, rng)
        pregnancy = self.pregnancy_of.get(id(person))
        if self._balita_during_year(person):
            state.balita_latents()
            state.pending_doses(self, person)  # records the doses given before the year began
        for month in self.months:
            opening = self.openings.get(month)
            state.new_month()
            if opening is None:
                continue
            day = opening.date
            stage = person.stage_on(day, pregnant=pregnancy is not None and pregnancy.ongoing_on(day))
            if stage == LifeStage.IBU_HAMIL:
                if person.present_on(day) and rng.random() < 0.85:
                    self._ibu_hamil_visit(person, state, pregnancy, opening)
                continue
            if not person.present_on(day - datetime.timedelta(days=7)) or not person.present_on(day):
                continue
            if stage == LifeStage.BALITA:
                self._balita_month(person, state, opening)
            else:
                self._adult_month(person, state, stage, opening)
        if state.weighed_ever:
            self.balita_seen += 1

    def _recorded(self, day: datetime.date) -> datetime.datetime:
        if day not in self._recorded_at:
            self._recorded_at[day] = timezone.make_aware(datetime.datetime.combine(day, datetime.time(13)))
        return self._recorded_at[day]

    def _visit(self, person: _Person, opening: HariBuka, day: datetime.date, kind: str, stage: str, **values):
        values.setdefault("pregnancy", None)
        row = self.visit_table.row(
            person=person,
            posyandu_id=self.posyandu.pk,
            hari_buka_id=opening.pk if kind == Kunjungan.Kind.POSYANDU else None,
            kind=kind,
            stage=stage,
            visit_date=day,
            reporting_month=opening.reporting_month,
            age_days=dates.age_in_days(person.birth_date, day),
            created_at=self._recorded(day),
            updated_at=self._recorded(day),
            **values,
        )
        self.visits.append(row)
        return row

    def _home_day(self, person: _Person, opening: HariBuka) -> datetime.date | None:
        day = opening.date
        last = min(dates.month_end(day), self.today - datetime.timedelta(1))
        home = day + datetime.timedelta(days=self.rng.randint(2, 10))
        if home > last or not person.present_on(home):
            return None
        return home

    # -- balita ----------------------------------------------------------------------------------
    def _balita_month(self, person: _Person, state: "_State", opening: HariBuka) -> None:
        rng = self.rng
        if rng.random() < state.attendance:
            day, kind = opening.date, Kunjungan.Kind.POSYANDU
        elif rng.random() < HOME_VISIT_SHARE:
            day, kind = self._home_day(person, opening), Kunjungan.Kind.RUMAH
            if day is None or person.stage_on(day) != LifeStage.BALITA:
                return
        else:
            return
        at_posyandu = kind == Kunjungan.Kind.POSYANDU
        sex, birth = person.sex, person.birth_date
        age_days = dates.age_in_days(birth, day)
        table_day = min(age_days, growth.MAX_Z_AGE_DAYS)
        length_z = (
            state.length_z + LENGTH_Z_DRIFT * min(age_days, 730) / 730 + state.length_noise.step(rng, *LENGTH_NOISE)
        )
        bmi_z = state.bmi_z + state.bmi_noise.step(rng, *BMI_NOISE)
        true_length = growth.lms_value(length_z, *growth.age_lms("lhfa", sex, table_day), restricted=False)
        bmi = growth.lms_value(bmi_z, *growth.age_lms("bmi", sex, table_day))
        weight = _clip(bmi * (true_length / 100) ** 2 + rng.gauss(0, SCALE_SD_KG), 0.6, 39)
        weight_kg = _one(weight)
        height_cm = position = None
        if at_posyandu and rng.random() < 0.96:
            expected = growth.expected_position(age_days)
            position = expected
            measured = true_length + rng.gauss(0, 0.3)
            if rng.random() < WRONG_POSITION:
                if expected == growth.Position.TERLENTANG:
                    position, measured = growth.Position.BERDIRI, measured - float(growth.HEIGHT_CORRECTION_CM)
                else:
                    position, measured = growth.Position.TERLENTANG, measured + float(growth.HEIGHT_CORRECTION_CM)
            height_cm = _one(_clip(measured, 35, 129.9))
        result = growth.balita_growth(
            sex=sex, birth_date=birth, measured_on=day, weight_kg=weight_kg, height_cm=height_cm, position=position
        )
        age_months = growth.completed_months(birth, day)
        code, gain, two_t = growth.weight_gain(
            age_months=age_months,
            weight_kg=weight_kg,
            previous_weight_kg=state.last_weight,
            previous_code=state.last_code,
            ever_weighed_before=state.weighed_ever,
        )
        values = {
            "weight_kg": weight_kg,
            "height_cm": height_cm,
            "position": result.position_used if height_cm is not None else "",
            "height_adjusted_cm": result.height_adjusted_cm,
            "implausible": list(result.implausible),
            "bgm": result.bgm,
            "growth_code": code,
            "weight_gain_g": gain,
            "two_t": two_t,
        }
        for index in ("wfa", "lhfa", "wflh", "bmi"):
            values[f"z_{index}"] = getattr(result, f"z_{index}")
            values[f"cat_{index}"] = getattr(result, f"cat_{index}") or ""
        if at_posyandu:
            if age_months < 24 and rng.random() < 0.8:
                head = _interpolate(HEAD_MEDIAN, age_days / dates.DAYS_PER_MONTH) + state.head_offset
                values["head_circumference_cm"] = _one(head + rng.gauss(0, 0.3))
            muac_lms = growth.age_lms("acfa", sex, table_day) if age_months >= 6 else None
            if muac_lms and rng.random() < 0.5:
                muac_z = 0.8 * bmi_z + rng.gauss(0, 0.4)
                values["muac_cm"] = _one(_clip(growth.lms_value(muac_z, *muac_lms), 7, 25))
            if opening.reporting_month.month in VITAMIN_A_MONTHS:
                capsule = vitamin_a_capsule(age_months)
                if capsule and rng.random() < 0.9:
                    values["vitamin_a"] = capsule
                values["deworming"] = age_months >= 12 and rng.random() < 0.8
            thin = result.wasted or result.underweight
            values["pmt"] = (thin and rng.random() < 0.6) or (code == growth.GrowthCode.T and rng.random() < 0.2)
        if age_months < 6:
            state.breastfed = state.breastfed and rng.random() < 0.93
            values["exclusive_breastfeeding"] = state.breastfed
        row = self._visit(person, opening, day, kind, LifeStage.BALITA, **values)
        state.weighed(weight_kg, code)
        if at_posyandu:
            self._immunise(person, state, row, day, age_months)
        self._maybe_refer(row, rng)

    # -- immunisation ----------------------------------------------------------------------------
    def _immunise(self, person: _Person, state: "_State", row: dict, day: datetime.date, age_months: int) -> None:
        for antigen in state.pending_doses(self, person):
            due = DOSE_MONTHS[antigen]
            if due <= age_months <= 59:
                self._dose(person, antigen, day, row, "Posyandu")
                state.given.add(antigen)

    def _dose(self, person: _Person, antigen: str, day: datetime.date, visit: dict | None, place: str) -> None:
        self.doses.append(
            self.dose_table.row(
                person=person,
                antigen=antigen,
                given_on=day,
                visit=visit,
                place=place,
                created_at=self._recorded(day),
            )
        )

    # -- ibu hamil -------------------------------------------------------------------------------
    def _ibu_hamil_visit(self, person: _Person, state: "_State", pregnancy: _Pregnancy, opening: HariBuka) -> None:
        rng = self.rng
        day = opening.date
        state.adult_latents(self, LifeStage.USIA_PRODUKTIF, day)
        hpht = pregnancy.row.hpht
        weeks = dates.completed_weeks(hpht, day)
        gain = max(0.0, weeks - 12) * 0.42
        weight = _one(state.bmi * (state.height / 100) ** 2 + gain + rng.gauss(0, 0.4))
        hypertensive = state.preeclampsia and weeks >= 20
        systolic = round(rng.gauss(112, 8) + (32 if hypertensive else 0))
        diastolic = min(round(rng.gauss(72, 6) + (20 if hypertensive else 0)), systolic - 20)
        muac = _one(state.lila + rng.gauss(0, 0.2))
        hb = _one(state.hb - 0.8 + rng.gauss(0, 0.3)) if rng.random() < 0.35 else None
        signs = []
        if hypertensive and rng.random() < 0.5:
            signs.append(rng.choice([DangerSign.BENGKAK_KEJANG, DangerSign.PANDANGAN_KABUR]))
        elif rng.random() < 0.04:
            signs.append(rng.choice(DangerSign.values))
        age_years = growth.completed_months(person.birth_date, day) // 12
        flags = screening.screen(
            stage=LifeStage.IBU_HAMIL,
            sex=person.sex,
            age_years=age_years,
            weight_kg=weight,
            systolic=systolic,
            diastolic=diastolic,
            hb_g_dl=hb,
            muac_cm=muac,
        )
        row = self._visit(
            person,
            opening,
            day,
            Kunjungan.Kind.POSYANDU,
            LifeStage.IBU_HAMIL,
            pregnancy=pregnancy,
            weight_kg=weight,
            muac_cm=muac,
            systolic=systolic,
            diastolic=diastolic,
            gestational_weeks=weeks,
            ttd_tablets=30 if rng.random() < 0.85 else None,
            anc_visit=min(6, 1 + dates.months_between(pregnancy.row.registered_on, day)),
            danger_signs=signs,
            kelas_ibu=rng.random() < 0.3,
            pmt=ScreeningFlag.KEK in flags and rng.random() < 0.8,
            hb_g_dl=hb,
            screening_flags=list(flags),
        )
        self._maybe_refer(row, rng)

    # -- remaja, usia produktif, lansia ---------------------------------------------------------
    def _adult_month(self, person: _Person, state: "_State", stage: str, opening: HariBuka) -> None:
        rng = self.rng
        state.adult_latents(self, stage, opening.date)
        kind, day = Kunjungan.Kind.POSYANDU, opening.date
        if state.aks in (Aks.BERAT, Aks.TOTAL):
            if rng.random() >= 0.6:
                return
            kind, day = Kunjungan.Kind.RUMAH, self._home_day(person, opening)
            if day is None or person.stage_on(day) != stage:
                return
        elif rng.random() >= state.attendance:
            return
        sex = person.sex
        age_months = growth.completed_months(person.birth_date, day)
        age_years = age_months // 12
        if stage == LifeStage.REMAJA:
            height = _interpolate(REMAJA_HEIGHT[sex], age_months / 12) * (1 + 0.045 * state.height_z)
            bmi = _interpolate(REMAJA_BMI, age_months / 12) * (1 + state.bmi_offset) + rng.gauss(0, 0.2)
        else:
            height, bmi = state.height, state.bmi + rng.gauss(0, 0.25)
        height_cm = _one(height)
        weight_kg = _one(_clip(bmi, 12, 60) * (float(height_cm) / 100) ** 2)
        values = {"weight_kg": weight_kg, "height_cm": height_cm}
        if age_years >= 10:
            values["smoking"] = state.smoker
        if age_years >= 15:
            waist = (2.35 * bmi + 24 if sex == Sex.LAKI_LAKI else 2.2 * bmi + 25) + state.waist_offset
            values["waist_cm"] = _one(waist + rng.gauss(0, 1))
            systolic = round(_clip(state.systolic + rng.gauss(0, 6), 85, 230))
            values["systolic"] = systolic
            values["diastolic"] = round(_clip(0.55 * systolic + 8 + state.diastolic_offset + rng.gauss(0, 4), 50, 130))
            values["diastolic"] = min(values["diastolic"], systolic - 15)
            if rng.random() < 0.6:
                fasting = rng.random() < 0.15
                if state.diabetic:
                    glucose = rng.gauss(165, 30) if fasting else rng.gauss(240, 50)
                else:
                    glucose = rng.gauss(92, 9) if fasting else rng.gauss(108, 18)
                values["glucose_mg_dl"] = round(_clip(glucose, 60, 500))
                values["glucose_fasting"] = fasting
        woman = sex == Sex.PEREMPUAN
        if (woman and age_years >= 12 and rng.random() < 0.3) or (not woman and rng.random() < 0.1):
            values["hb_g_dl"] = _one(state.hb + rng.gauss(0, 0.3))
        if woman and 15 <= age_years <= 49 and rng.random() < 0.4:
            values["muac_cm"] = _one(state.lila + rng.gauss(0, 0.2))
        if stage == LifeStage.REMAJA and woman and age_years >= 12 and rng.random() < 0.7:
            values["ttd_tablets"] = 4
        if stage == LifeStage.LANSIA:
            values["aks"] = state.aks
        # As services.kunjungan_record computes them.
        values["bmi"] = (weight_kg / (height_cm / 100) ** 2).quantize(Decimal("0.1"))
        bmi_z = None
        if stage == LifeStage.REMAJA:
            bmi_z = screening.bmi_for_age_z_5_18(
                sex=sex, birth_date=person.birth_date, measured_on=day, weight_kg=weight_kg, height_cm=height_cm
            )
            values["z_bmi"] = bmi_z
        values["screening_flags"] = list(
            screening.screen(
                stage=stage,
                sex=sex,
                age_years=age_years,
                weight_kg=weight_kg,
                height_cm=height_cm,
                waist_cm=values.get("waist_cm"),
                systolic=values.get("systolic"),
                diastolic=values.get("diastolic"),
                glucose_mg_dl=values.get("glucose_mg_dl"),
                glucose_fasting=values.get("glucose_fasting", False),
                hb_g_dl=values.get("hb_g_dl"),
                muac_cm=values.get("muac_cm"),
                aks=values.get("aks"),
                bmi_for_age_z=bmi_z,
            )
        )
        row = self._visit(person, opening, day, kind, stage, **values)
        self._maybe_refer(row, rng)

    # -- referrals -------------------------------------------------------------------------------
    def _maybe_refer(self, row: dict, rng: random.Random) -> None:
        flags = set(row["screening_flags"])
        if row["stage"] == LifeStage.BALITA:
            chance = max(
                0.35 if row["two_t"] else 0,
                0.6 if row["bgm"] else 0,
                0.6 if row["cat_wflh"] == growth.WflhCategory.GIZI_BURUK else 0,
                0.05 if row["growth_code"] == growth.GrowthCode.T else 0,
            )
        else:
            chance = max(
                0.9 if row["danger_signs"] else 0,
                0.3
                if row["stage"] == LifeStage.IBU_HAMIL and flags & {ScreeningFlag.KEK, ScreeningFlag.HIPERTENSI}
                else 0,
                0.3 if ScreeningFlag.GULA_DARAH_TINGGI in flags else 0,
                0.15 if ScreeningFlag.HIPERTENSI in flags else 0,
            )
        if not chance or rng.random() >= chance:
            return
        fields = ("two_t", "growth_code", "bgm", "cat_wflh", "cat_lhfa", "danger_signs", "screening_flags")
        reasons = Kunjungan(**{name: row[name] for name in fields}).referral_reasons
        if not reasons:
            return
        referred_on = row["visit_date"]
        if row["danger_signs"]:
            destination = rng.choice([Rujukan.Destination.PUSKESMAS, Rujukan.Destination.RUMAH_SAKIT])
        else:
            destination = rng.choice([Rujukan.Destination.PUSTU, Rujukan.Destination.PUSKESMAS])
        status = rng.choices(
            [Rujukan.Status.DILAYANI, Rujukan.Status.TIDAK_DATANG, Rujukan.Status.DIRUJUK], weights=[65, 20, 15]
        )[0]
        follow_up_on = min(referred_on + datetime.timedelta(days=rng.randint(1, 14)), self.today)
        if (self.today - referred_on).days < 10 and rng.random() < 0.8:
            status = Rujukan.Status.DIRUJUK
        referral = Rujukan(
            reasons="; ".join(reasons)[:500],
            destination=destination,
            referred_on=referred_on,
            status=status,
            follow_up_on=None if status == Rujukan.Status.DIRUJUK else follow_up_on,
            follow_up_notes=rng.choice(FOLLOW_UP_NOTES[status]) if status in FOLLOW_UP_NOTES else "",
        )
        referral.visit_row = row
        self.referrals.append(referral)


# Month each routine dose is due at (JE is given only in endemic areas: not in the demo).
DOSE_MONTHS = {dose.antigen: dose.due_months for dose in SCHEDULE if dose.routine}
NEW_VACCINES = {Antigen.PCV_1, Antigen.PCV_2, Antigen.PCV_3, Antigen.RV_1, Antigen.RV_2, Antigen.RV_3}
NINE_MONTHS_ON = {Antigen.MR, Antigen.IPV_2, Antigen.PCV_3, Antigen.DPT_HB_HIB_LANJUTAN, Antigen.MR_LANJUTAN}


class _Noise:
    """An AR(1) series: this month's deviation keeps part of last month's."""

    __slots__ = ("value",)

    def __init__(self):
        self.value = 0.0

    def step(self, rng: random.Random, keep: float, sd: float) -> float:
        self.value = keep * self.value + rng.gauss(0, sd)
        return self.value


class _State:
    """One person's latent traits and running records over the year, drawn when first needed."""

    def __init__(self, person: _Person, rng: random.Random):
        self.person = person
        self.rng = rng
        self.last_weight: Decimal | None = None
        self.last_code: str | None = None
        self.weighed_ever = False
        self._weighed_this_month = False
        self.length_z = None
        self.adult_stage = None

    def new_month(self) -> None:
        if not self._weighed_this_month:
            self.last_weight = self.last_code = None
        self._weighed_this_month = False

    def weighed(self, weight: Decimal, code: str) -> None:
        self.last_weight, self.last_code = weight, code
        self.weighed_ever = self._weighed_this_month = True

    def balita_latents(self) -> None:
        if self.length_z is not None:
            return
        rng = self.rng
        birth_weight = self.person.birth_weight
        weight_z = (float(birth_weight) - 3.05) / 0.45 if birth_weight else rng.gauss(0, 1)
        # Low birth weight carries into stunting; the rest is the child's own.
        self.length_z = _clip(
            LENGTH_Z_MEAN + 0.35 * weight_z + rng.gauss(0, math.sqrt(LENGTH_Z_SD**2 - 0.35**2)), -4.8, 3.5
        )
        self.bmi_z = _clip(rng.gauss(BMI_Z_MEAN, BMI_Z_SD), -4.2, 3.5)
        self.length_noise = _Noise()
        self.bmi_noise = _Noise()
        self.attendance = rng.betavariate(*ATTENDANCE)
        self.head_offset = rng.gauss(0, 1.2)
        self.breastfed = rng.random() < 0.75
        self.given: set[str] = set()
        self.allowed = set(DOSE_MONTHS)
        if rng.random() < IMMUNISATION_INCOMPLETE:
            pattern = rng.random()
            ordered = sorted(DOSE_MONTHS, key=DOSE_MONTHS.get)
            if pattern < 0.4:  # dropped out part-way
                self.allowed = set(ordered[: rng.randint(1, len(ordered) - 4)])
            elif pattern < 0.75:  # no PCV / rotavirus (the newer vaccines)
                self.allowed -= NEW_VACCINES
            elif pattern < 0.92:  # nothing from nine months on
                self.allowed -= NINE_MONTHS_ON
            else:  # HB0 at birth only
                self.allowed = {Antigen.HB0}
        self._before_window_done = False

    def pending_doses(self, year: _Year, person: _Person) -> list[str]:
        """Doses still to give, after recording those given before the year began (first call)."""
        if not self._before_window_done:
            self._before_window_done = True
            rng = self.rng
            for antigen in sorted((a for a in DOSE_MONTHS if a in self.allowed), key=DOSE_MONTHS.get):
                if antigen == Antigen.HB0:
                    if rng.random() < 0.95:
                        year._dose(person, antigen, person.birth_date, None, rng.choice(BIRTH_PLACES))
                    self.given.add(antigen)  # never catch-up: HB0 is for the first day only
                    continue
                given_on = dates.add_months(person.birth_date, DOSE_MONTHS[antigen]) + datetime.timedelta(
                    days=rng.randint(0, 20)
                )
                if given_on < year.window_start:
                    year._dose(person, antigen, given_on, None, rng.choice(["Posyandu", "Posyandu", "Puskesmas"]))
                    self.given.add(antigen)
        # In the schedule's order, not a set's: the same demo on every run, whatever PYTHONHASHSEED.
        return [antigen for antigen in DOSE_MONTHS if antigen in self.allowed and antigen not in self.given]

    def adult_latents(self, year: _Year, stage: str, day: datetime.date) -> None:
        if self.adult_stage is not None:
            return
        self.adult_stage = stage
        rng, person = self.rng, self.person
        man = person.sex == Sex.LAKI_LAKI
        age = dates.age_in_years(person.birth_date, day)
        self.attendance = REGULAR_ATTENDANCE if rng.random() < REGULAR_SHARE else OCCASIONAL_ATTENDANCE
        self.height_z = rng.gauss(0, 1)
        self.height = (162 if man else 150.5) + (6 if man else 5.5) * self.height_z - (2 if age >= 60 else 0)
        self.bmi = _clip(rng.gauss(22.6, 3.6) if man else rng.gauss(24.2, 4.3), 15, 42) - (1 if age >= 60 else 0)
        self.bmi_offset = _clip(rng.gauss(0, 0.12), -0.3, 0.45)
        self.waist_offset = rng.gauss(0, 4)
        hypertensive = rng.random() < _clip(0.1 + 0.01 * (age - 30), 0.03, 0.6)
        self.systolic = (
            100 + 0.45 * max(age - 15, 0) + 1.1 * (self.bmi - 22) + rng.gauss(0, 10) + (28 if hypertensive else 0)
        )
        self.diastolic_offset = rng.gauss(0, 5) + (6 if hypertensive else 0)
        self.diabetic = rng.random() < _clip(0.03 + 0.004 * (age - 30), 0.01, 0.2)
        self.hb = rng.gauss(14.3, 1.1) if man else rng.gauss(12.4, 1.3)
        self.lila = rng.gauss(26.0, 2.6)
        smoking_rate = (0.62 if age >= 18 else 0.2) if man else 0.02
        self.smoker = rng.random() < smoking_rate
        self.preeclampsia = rng.random() < 0.06
        self.aks = None
        if stage == LifeStage.LANSIA or age >= 59:
            shift = _clip((age - 60) / 25, 0, 1)
            self.aks = rng.choices(
                [Aks.MANDIRI, Aks.RINGAN, Aks.SEDANG, Aks.BERAT, Aks.TOTAL],
                weights=[85 - 24 * shift, 9 + 8 * shift, 3 + 7 * shift, 2 + 6 * shift, 1 + 3 * shift],
            )[0]
