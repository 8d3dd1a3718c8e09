"""Reads of the health field. Every list starts from the user's scope; no query per person."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from layanan.growth import completed_months
from layanan.models import HariBuka, Imunisasi, Kehamilan, Kunjungan, Rujukan
from layanan.schedule import (
    BASIC_ANTIGENS,
    CATCH_UP_UNTIL_MONTHS,
    VITAMIN_A_MONTHS,
    VitaminA,
    doses_due,
    vitamin_a_capsule,
)
from posyandu import dates
from posyandu.models import BALITA_MAX_MONTHS, LifeStage, Role, Sex, Warga
from posyandu.scope import scoped

STAGE_ORDER = (
    LifeStage.BALITA,
    LifeStage.IBU_HAMIL,
    LifeStage.REMAJA,
    LifeStage.USIA_PRODUKTIF,
    LifeStage.LANSIA,
)


def haribuka_list(*, user) -> QuerySet[HariBuka]:
    return scoped(HariBuka.objects.all(), user).select_related("posyandu", "posyandu__desa").order_by("-date")


def _ongoing_pregnancy(on: datetime.date, column: str) -> Subquery:
    return Subquery(
        Kehamilan.objects.filter(
            mother=OuterRef("pk"), outcome=Kehamilan.Outcome.BERLANGSUNG, registered_on__lte=on
        ).values(column)[:1]
    )


@dataclass
class DueItem:
    label: str
    overdue: bool = False


@dataclass
class RosterRow:
    warga: Warga
    stage: str
    age_months: int
    visit: Kunjungan | None = None  # at the posyandu this reporting month
    home_visit: Kunjungan | None = None
    due: list[DueItem] = field(default_factory=list)
    gestational_weeks: int | None = None
    previous_weight_kg: object = None  # last reporting month's weight, for N/T on paper

    @property
    def age_display(self) -> str:
        """Age on the opening day (not today: a sheet may be typed in weeks later)."""
        return dates.format_age(self.age_months)

    @property
    def done(self) -> bool:
        return self.visit is not None

    @property
    def has_overdue(self) -> bool:
        return any(item.overdue for item in self.due)

    @property
    def due_now(self) -> list[DueItem]:
        return [item for item in self.due if not item.overdue]

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.due if item.overdue)


def due_items(
    *,
    warga: Warga,
    stage: str,
    on: datetime.date,
    age_months: int,
    given: set[str],
    month: datetime.date,
    visit: Kunjungan | None,
) -> list[DueItem]:
    items: list[DueItem] = []
    if stage == LifeStage.BALITA:
        age_days = dates.age_in_days(warga.birth_date, on)
        for dose, overdue in doses_due(age_months=age_months, age_days=age_days, given=given):
            items.append(DueItem(str(dose.antigen.label), overdue))
        capsule = vitamin_a_capsule(age_months) if month.month in VITAMIN_A_MONTHS else None
        if capsule and not (visit and visit.vitamin_a):
            items.append(DueItem(str(_vitamin_a_label(capsule))))
    elif stage == LifeStage.IBU_HAMIL and visit is None:
        items.append(DueItem(str(_("Pemeriksaan ibu hamil bulan ini"))))
    return items


def _vitamin_a_label(capsule: str) -> str:
    return str(_("Vitamin A: %(capsule)s")) % {"capsule": VitaminA(capsule).label}


def roster(*, posyandu, on: datetime.date, month: datetime.date) -> dict[str, list[RosterRow]]:
    """The posyandu's active people by life stage on a date, with this month's visits and what is due.

    Four queries whatever the number of people: the people (with their ongoing pregnancy),
    the reporting month's visits, last month's weights, and the under-fives' immunisations.
    """
    people = list(
        Warga.objects.filter(posyandu=posyandu, status=Warga.Status.AKTIF, birth_date__lte=on)
        .select_related("mother")  # the roster shows each child's mother
        .annotate(pregnancy_hpht=_ongoing_pregnancy(on, "hpht"), pregnancy_id=_ongoing_pregnancy(on, "pk"))
        .order_by("name", "birth_date")
    )
    visits: dict[int, dict[str, Kunjungan]] = defaultdict(dict)
    for visit in Kunjungan.objects.filter(warga__posyandu=posyandu, reporting_month=month).order_by("visit_date"):
        visits[visit.warga_id][visit.kind] = visit
    previous_month = dates.add_months(dates.month_start(month), -1)
    previous_weights = dict(
        Kunjungan.objects.filter(warga__posyandu=posyandu, reporting_month=previous_month, weight_kg__isnull=False)
        .order_by("warga_id", "visit_date")
        .values_list("warga_id", "weight_kg")
    )
    five_years_ago = on - datetime.timedelta(days=1857)
    given: dict[int, set[str]] = defaultdict(set)
    for warga_id, antigen in Imunisasi.objects.filter(
        warga__posyandu=posyandu, warga__birth_date__gte=five_years_ago
    ).values_list("warga_id", "antigen"):
        given[warga_id].add(antigen)

    sections: dict[str, list[RosterRow]] = {stage: [] for stage in STAGE_ORDER}
    for person in people:
        age_months = completed_months(person.birth_date, on)
        pregnant = person.pregnancy_id and person.sex == Sex.PEREMPUAN
        stage = LifeStage.IBU_HAMIL if pregnant else person.life_stage(on)
        row = RosterRow(
            warga=person,
            stage=stage,
            age_months=age_months,
            visit=visits[person.pk].get(Kunjungan.Kind.POSYANDU),
            home_visit=visits[person.pk].get(Kunjungan.Kind.RUMAH),
            previous_weight_kg=previous_weights.get(person.pk),
        )
        if stage == LifeStage.IBU_HAMIL and person.pregnancy_hpht:
            row.gestational_weeks = dates.completed_weeks(person.pregnancy_hpht, on)
        row.due = due_items(
            warga=person,
            stage=stage,
            on=on,
            age_months=age_months,
            given=given[person.pk],
            month=month,
            visit=row.visit,
        )
        sections[stage].append(row)
    return sections


def next_in_roster(sections: dict[str, list[RosterRow]], after: Warga) -> RosterRow | None:
    """The next person not yet seen today: after ``after`` in the same section, then the following sections."""
    ordered = [row for stage in STAGE_ORDER for row in sections[stage]]
    position = next((i for i, row in enumerate(ordered) if row.warga.pk == after.pk), -1)
    for row in ordered[position + 1 :] + ordered[: max(position, 0)]:
        if not row.done and row.stage in (LifeStage.BALITA, LifeStage.IBU_HAMIL):
            return row
    return None


def next_to_see(*, posyandu, on: datetime.date, month: datetime.date, after: Warga) -> Warga | None:
    """What ``next_in_roster(roster(...), after)`` gives — the next balita or pregnant woman not yet
    seen at the posyandu this month, in the roster's order — in one query instead of the roster's
    four: after each saved entry only this is needed (the whole roster was most of an entry's time)."""
    seen = Kunjungan.objects.filter(warga=OuterRef("pk"), reporting_month=month, kind=Kunjungan.Kind.POSYANDU)
    oldest_balita = on - datetime.timedelta(days=int((BALITA_MAX_MONTHS + 2) * 31))  # coarse; exact below
    people = list(
        Warga.objects.filter(posyandu=posyandu, status=Warga.Status.AKTIF, birth_date__lte=on)
        .annotate(pregnancy_id=_ongoing_pregnancy(on, "pk"), seen=Exists(seen))
        .filter(Q(birth_date__gt=oldest_balita) | Q(pregnancy_id__isnull=False, sex=Sex.PEREMPUAN))
        .only("name", "birth_date", "sex")
        .order_by("name", "birth_date")
    )
    sections: dict[str, list[Warga]] = {LifeStage.BALITA: [], LifeStage.IBU_HAMIL: []}
    for person in people:
        stage = LifeStage.IBU_HAMIL if person.pregnancy_id and person.sex == Sex.PEREMPUAN else person.life_stage(on)
        if stage in sections:
            sections[stage].append(person)
    ordered = sections[LifeStage.BALITA] + sections[LifeStage.IBU_HAMIL]
    position = next((i for i, person in enumerate(ordered) if person.pk == after.pk), -1)
    for person in ordered[position + 1 :] + ordered[: max(position, 0)]:
        if not person.seen:
            return person
    return None


def person_due(*, warga: Warga, on: datetime.date | None = None) -> list[DueItem]:
    """What is due for one person today (immunisation doses, vitamin A, pregnancy check)."""
    on = on or dates.today()
    month = dates.month_start(on)
    age_months = completed_months(warga.birth_date, on)
    pregnant = (
        warga.sex == Sex.PEREMPUAN
        and Kehamilan.objects.filter(mother=warga, outcome=Kehamilan.Outcome.BERLANGSUNG).exists()
    )
    stage = LifeStage.IBU_HAMIL if pregnant else warga.life_stage(on)
    given = set(Imunisasi.objects.filter(warga=warga).values_list("antigen", flat=True))
    visit = Kunjungan.objects.filter(warga=warga, reporting_month=month).order_by("-visit_date").first()
    return due_items(warga=warga, stage=stage, on=on, age_months=age_months, given=given, month=month, visit=visit)


def last_weighing(*, warga: Warga, before_month: datetime.date) -> Kunjungan | None:
    """The person's latest weighing in a reporting month before ``before_month``, shown beside the
    weight field (last month's weight for N/T, or the last one there is). One query."""
    return (
        Kunjungan.objects.filter(warga=warga, reporting_month__lt=before_month, weight_kg__isnull=False)
        .order_by("-reporting_month", "-visit_date", "-pk")
        .only("weight_kg", "visit_date", "reporting_month")
        .first()
    )


@dataclass
class OverdueRow:
    warga: Warga
    age_months: int
    doses: list[str]
    idl_complete: bool

    @property
    def contact_phone(self) -> str:
        """The mother's phone when she is registered with one, else the number kept on the child."""
        mother = self.warga.mother
        return (mother.phone if mother is not None else "") or self.warga.phone

    @property
    def contact_address(self) -> str:
        """The household's address with RT/RW (the child's household, else the mother's)."""
        keluarga = self.warga.keluarga or (self.warga.mother.keluarga if self.warga.mother is not None else None)
        if keluarga is None:
            return ""
        parts = [
            keluarga.address,
            f"RT {keluarga.rt}" if keluarga.rt else "",
            f"RW {keluarga.rw}" if keluarga.rw else "",
        ]
        return ", ".join(part for part in (*parts, keluarga.dusun) if part)


def immunisation_overdue(*, user, posyandu=None, on: datetime.date | None = None) -> list[OverdueRow]:
    """Under-fives in the user's scope with routine doses overdue, oldest first (two queries: the
    children with their mother and household for whom to contact, and their immunisations). A dose
    past its upper age is not overdue (``layanan.schedule.Dose.too_old``)."""
    on = on or dates.today()
    children = scoped(Warga.objects.all(), user).filter(
        status=Warga.Status.AKTIF,
        birth_date__gt=on - datetime.timedelta(days=int((CATCH_UP_UNTIL_MONTHS + 1) * dates.DAYS_PER_MONTH)),
        birth_date__lte=on,
    )
    if posyandu is not None:
        children = children.filter(posyandu=posyandu)
    children = list(
        children.select_related("posyandu", "keluarga", "mother", "mother__keluarga").order_by("birth_date", "name")
    )
    given: dict[int, set[str]] = defaultdict(set)
    for warga_id, antigen in Imunisasi.objects.filter(warga__in=[c.pk for c in children]).values_list(
        "warga_id", "antigen"
    ):
        given[warga_id].add(antigen)
    rows = []
    for child in children:
        age_months = completed_months(child.birth_date, on)
        if age_months > BALITA_MAX_MONTHS:
            continue
        doses = doses_due(
            age_months=age_months, age_days=dates.age_in_days(child.birth_date, on), given=given[child.pk]
        )
        overdue = [str(dose.antigen.label) for dose, late in doses if late]
        if overdue:
            rows.append(OverdueRow(child, age_months, overdue, set(BASIC_ANTIGENS) <= given[child.pk]))
    return rows


@dataclass
class HealthRecord:
    visits: list[Kunjungan]
    immunisations: list[Imunisasi]
    pregnancies: list[Kehamilan]
    referrals: list[Rujukan]
    weight_points: list[tuple[int, object]]
    height_points: list[tuple[int, object]]
    idl_complete: bool


def warga_health(*, warga: Warga) -> HealthRecord:
    """A person's health history. The person is already in the user's scope; their visits at
    earlier posyandu come with them (moving keeps history)."""
    visits = list(
        Kunjungan.objects.filter(warga=warga).select_related("posyandu", "rujukan").order_by("reporting_month", "kind")
    )
    immunisations = list(Imunisasi.objects.filter(warga=warga).order_by("given_on", "antigen"))
    pregnancies = list(Kehamilan.objects.filter(mother=warga).select_related("baby").order_by("-registered_on"))
    referrals = [visit.rujukan for visit in visits if hasattr(visit, "rujukan")]
    balita_visits = [v for v in visits if v.stage == LifeStage.BALITA]
    return HealthRecord(
        visits=list(reversed(visits)),
        immunisations=immunisations,
        pregnancies=pregnancies,
        referrals=referrals,
        weight_points=[(v.age_days, v.weight_kg) for v in balita_visits if v.weight_kg is not None],
        height_points=[
            (v.age_days, v.height_adjusted_cm or v.height_cm) for v in balita_visits if v.height_cm is not None
        ],
        idl_complete=set(BASIC_ANTIGENS) <= {i.antigen for i in immunisations},
    )


def rujukan_list(*, user, open_only: bool = True) -> QuerySet[Rujukan]:
    queryset = scoped(Rujukan.objects.all(), user).select_related(
        "kunjungan", "kunjungan__warga", "kunjungan__posyandu"
    )
    if open_only:
        queryset = queryset.filter(status=Rujukan.Status.DIRUJUK)
    if user.role == Role.PUSKESMAS:  # the referrals sent to the Puskesmas (and its Pustu)
        queryset = queryset.filter(destination__in=(Rujukan.Destination.PUSTU, Rujukan.Destination.PUSKESMAS))
    return queryset.order_by("referred_on", "pk")


def referral_candidates(*, user, month: datetime.date) -> QuerySet[Kunjungan]:
    """Visits of a month that suggest a referral (T, 2T, BGM, severe categories, danger signs,
    urgent screening flags) and have none yet."""
    return (
        scoped(Kunjungan.objects.all(), user)
        .filter(reporting_month=month, rujukan__isnull=True)
        .filter(
            Q(growth_code="T")
            | Q(two_t=True)
            | Q(bgm=True)
            | Q(cat_wflh="gizi_buruk")
            | Q(cat_lhfa="sangat_pendek")
            | ~Q(danger_signs=[])
            | Q(screening_flags__overlap=["kek", "hipertensi", "gula_darah_tinggi", "anemia"])
        )
        .select_related("warga", "posyandu")
        .order_by("posyandu__name", "warga__name")
    )
