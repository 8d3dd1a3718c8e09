"""Reads and aggregates for areas, posyandu, pengurus, households and people. Scoped to the user where asked."""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, Substr
from django.utils.translation import gettext as _

from posyandu import dates
from posyandu.models import (
    BALITA_MAX_MONTHS,
    LANSIA_FROM_YEARS,
    USIA_PRODUKTIF_FROM_YEARS,
    Keluarga,
    LifeStage,
    Opd,
    Pengurus,
    Posyandu,
    Role,
    Sex,
    SpmField,
    User,
    Warga,
    WargaPindah,
    Wilayah,
)
from posyandu.scope import area_filter, scoped

# ketua, sekretaris, bendahara + one ketua bidang per SPM field
PENGURUS_POSITIONS_REQUIRED = 3 + len(SpmField.choices)

CHILD_CODE_LENGTH = {
    Wilayah.Level.PROVINSI: 5,  # -> kabupaten "PP.KK"
    Wilayah.Level.KABUPATEN: 8,  # -> kecamatan "PP.KK.KC"
    Wilayah.Level.KECAMATAN: 13,  # -> desa "PP.KK.KC.DDDD"
}


def _current_pengurus_count() -> Subquery:
    return Subquery(
        Pengurus.objects.filter(posyandu=OuterRef("pk"), ended_on__isnull=True)
        .order_by()
        .values("posyandu")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def posyandu_list(*, user) -> QuerySet[Posyandu]:
    """Posyandu the user may see, with their desa and kecamatan and the number of filled positions."""
    return (
        scoped(Posyandu.objects.all(), user)
        .select_related("desa", "desa__parent")
        .annotate(pengurus_count=Coalesce(_current_pengurus_count(), Value(0)))
        .order_by("desa__parent__name", "desa__name", "name")
    )


def posyandu_pengurus(*, posyandu: Posyandu) -> tuple[list[Pengurus], list[Pengurus], list[str]]:
    """Current pengurus in position order, past pengurus newest first, and the vacant positions."""
    rows = list(posyandu.pengurus_set.order_by("-term_start"))
    current = [row for row in rows if row.ended_on is None]
    past = [row for row in rows if row.ended_on is not None]
    order = {value: index for index, value in enumerate(Pengurus.Position.values)}
    field_order = {value: index for index, value in enumerate(SpmField.values)}
    current.sort(key=lambda row: (order[row.position], field_order.get(row.field, -1)))
    filled = {(row.position, row.field) for row in current}
    vacant = [
        str(Pengurus.Position(position).label)
        for position in (Pengurus.Position.KETUA, Pengurus.Position.SEKRETARIS, Pengurus.Position.BENDAHARA)
        if (position, "") not in filled
    ] + [
        str(Pengurus(position=Pengurus.Position.KETUA_BIDANG, field=field).position_label)
        for field in SpmField.values
        if (Pengurus.Position.KETUA_BIDANG, field) not in filled
    ]
    return current, past, vacant


@dataclass
class AreaRow:
    code: str
    name: str
    total: int
    active: int
    registered: int
    pengurus_complete: int
    scheduled: int


def area_summary(*, user, area: Wilayah | None) -> list[AreaRow]:
    """Posyandu counts per child area of ``area`` (kecamatan of a kabupaten, desa of a kecamatan...).

    Without an area (a national admin) the rows are the kabupaten that have posyandu. One grouped
    SQL query plus one for the child names: the count does not grow with the number of posyandu.
    """
    length = CHILD_CODE_LENGTH.get(area.level) if area else CHILD_CODE_LENGTH[Wilayah.Level.PROVINSI]
    if length is None:
        return []
    posyandu = scoped(Posyandu.objects.all(), user)
    if area is not None:
        posyandu = posyandu.filter(desa__code__startswith=area.code + ".")
    posyandu = (
        posyandu.annotate(child=Substr("desa_id", 1, length), pengurus_count=_current_pengurus_count())
        .order_by()
        .values("child")
        .annotate(
            total=Count("pk"),
            active=Count("pk", filter=Q(status=Posyandu.Status.AKTIF)),
            registered=Count("pk", filter=Q(registration_number__isnull=False)),
            pengurus_complete=Count("pk", filter=Q(pengurus_count__gte=PENGURUS_POSITIONS_REQUIRED)),
            scheduled=Count("pk", filter=Q(schedule_day__isnull=False) | Q(schedule_weekday__isnull=False)),
        )
    )
    counts = {row.pop("child"): row for row in posyandu}
    children = Wilayah.objects.filter(parent=area) if area else Wilayah.objects.filter(code__in=list(counts))
    children = scoped(children, user).order_by("name")
    empty = {"total": 0, "active": 0, "registered": 0, "pengurus_complete": 0, "scheduled": 0}
    return [AreaRow(code=child.code, name=child.display_name, **counts.get(child.code, empty)) for child in children]


def posyandu_needing_attention(*, user, limit: int = 10) -> QuerySet[Posyandu]:
    """Active posyandu missing a registration number, a schedule or some pengurus, worst first."""
    return (
        posyandu_list(user=user)
        .filter(status=Posyandu.Status.AKTIF)
        .filter(
            Q(registration_number__isnull=True)
            | Q(schedule_day__isnull=True, schedule_weekday__isnull=True)
            | Q(pengurus_count__lt=PENGURUS_POSITIONS_REQUIRED)
        )
        .order_by("pengurus_count", "desa__name", "name")[:limit]
    )


# ---------------------------------------------------------------------------------------------
# Households and people
# ---------------------------------------------------------------------------------------------
WARGA_PAGE_SIZE = 50
MOTHER_MIN_AGE_MONTHS = 10 * 12  # candidates offered as a mother: women at least 10 years old


# ---------------------------------------------------------------------------------------------
# Membership on a date: where a person belonged, from their moves (``WargaPindah``)
# ---------------------------------------------------------------------------------------------
def posyandu_on(day: datetime.date, *, warga: str = "pk") -> Case:
    """The posyandu a person belonged to on ``day``, as an SQL expression: the posyandu they left by
    their first move dated after ``day`` or, with no move since, their posyandu now. A move dated
    ``day`` itself has happened by then. ``warga`` is the lookup from the row to the person's id
    (``"pk"`` on Warga, ``"warga_id"`` on their records)."""
    to_person = "" if warga == "pk" else warga.removesuffix("_id") + "__"
    moved_since = WargaPindah.objects.filter(moved_on__gt=day)
    left_next = moved_since.filter(warga=OuterRef(warga)).order_by("moved_on", "pk").values("from_posyandu_id")[:1]
    # Most people never moved after ``day``: one hashed look-up each, the move itself read only for the others.
    return Case(
        When(Q(**{f"{warga}__in": moved_since.values("warga_id")}), then=Subquery(left_next)),
        default=F(f"{to_person}posyandu_id"),
        output_field=BigIntegerField(),
    )


def members_on(
    queryset: QuerySet, day: datetime.date, *, warga: str = "pk", posyandu: QuerySet[Posyandu] | None = None
) -> QuerySet:
    """``queryset``'s rows (people, or records of people reached through ``warga``) annotated with
    ``member_of`` (the posyandu the person belonged to on ``day``) and ``member_desa`` (its desa code),
    and, when ``posyandu`` is given, only the rows of people who belonged to one of those then.

    The candidates are found through indexes first (people registered there now, and people who left
    one of them after ``day``), so a posyandu's figures do not look at every person of the country."""
    queryset = queryset.annotate(member_of=posyandu_on(day, warga=warga))
    if posyandu is not None:
        units = posyandu.order_by().values("pk")
        candidates = (
            Warga.objects.filter(posyandu__in=units)
            .order_by()
            .values("pk")
            .union(WargaPindah.objects.filter(from_posyandu__in=units, moved_on__gt=day).order_by().values("warga_id"))
        )
        queryset = queryset.filter(**{f"{warga}__in": candidates}, member_of__in=units)
    desa = Posyandu.objects.filter(pk=OuterRef("member_of")).order_by().values("desa_id")[:1]
    return queryset.annotate(member_desa=Subquery(desa))


def warga_active_on(day: datetime.date, *, prefix: str = "") -> Q:
    """Registered on ``day``: born by then, and neither moved out of the area nor died on or before it
    (a status counts from its ``status_date``, so a later status leaves the earlier months alone)."""
    return Q(**{f"{prefix}birth_date__lte": day}) & (
        Q(**{f"{prefix}status": Warga.Status.AKTIF}) | Q(**{f"{prefix}status_date__gt": day})
    )


def _stage_cutoffs(on: datetime.date) -> list[tuple[str, datetime.date | None]]:
    """(stage, latest birth date still *younger* than the next stage), youngest stage first."""
    return [
        (LifeStage.BALITA, dates.birth_date_cutoff(months=BALITA_MAX_MONTHS + 1, on=on)),
        (LifeStage.REMAJA, dates.birth_date_cutoff(months=USIA_PRODUKTIF_FROM_YEARS * 12, on=on)),
        (LifeStage.USIA_PRODUKTIF, dates.birth_date_cutoff(months=LANSIA_FROM_YEARS * 12, on=on)),
        (LifeStage.LANSIA, None),
    ]


AGE_STAGES = [LifeStage.BALITA, LifeStage.REMAJA, LifeStage.USIA_PRODUKTIF, LifeStage.LANSIA]


def life_stage_q(stage: str, *, on: datetime.date) -> Q:
    """People in an age-based life stage on ``on``, as a birth-date range (uses the birth-date index)."""
    older_than = None  # cutoff of the previous (younger) stage: born on or before it
    for name, cutoff in _stage_cutoffs(on):
        if name == stage:
            condition = Q() if cutoff is None else Q(birth_date__gt=cutoff)
            return condition if older_than is None else condition & Q(birth_date__lte=older_than)
        older_than = cutoff
    raise ValueError(f"not an age-based life stage: {stage}")


def _with_life_stage(queryset: QuerySet[Warga], on: datetime.date) -> QuerySet[Warga]:
    """Annotate ``stage`` and its Indonesian ``stage_label`` in SQL (no Python per row)."""
    cutoffs = [(name, cutoff) for name, cutoff in _stage_cutoffs(on) if cutoff is not None]

    def case(value):
        return Case(
            *[When(birth_date__gt=cutoff, then=Value(value(name))) for name, cutoff in cutoffs],
            default=Value(value(LifeStage.LANSIA)),
            output_field=CharField(),
        )

    return queryset.annotate(
        stage=case(lambda name: str(name)), stage_label=case(lambda name: str(LifeStage(name).label))
    )


def warga_list(
    *,
    user,
    name: str = "",
    life_stage: str = "",
    status: str = Warga.Status.AKTIF,
    posyandu: Posyandu | None = None,
    on: datetime.date | None = None,
) -> QuerySet[Warga]:
    """People the user may see, with mother, household and posyandu joined and the life stage annotated.

    ``status`` empty means every status. Searching is by name only: a NIK never goes in a URL.
    """
    on = on or dates.today()
    queryset = scoped(Warga.objects.all(), user).select_related("mother", "keluarga", "posyandu")
    if name := " ".join(name.split()):
        queryset = queryset.filter(name__icontains=name)
    if life_stage:
        queryset = queryset.filter(life_stage_q(life_stage, on=on))
    if status:
        queryset = queryset.filter(status=status)
    if posyandu is not None:
        queryset = queryset.filter(posyandu=posyandu)
    return _with_life_stage(queryset, on).order_by("name", "birth_date", "pk")


def warga_possible_duplicates(
    *,
    name: str,
    birth_date: datetime.date,
    mother: Warga | None = None,
    mother_name: str = "",
    desa: Wilayah,
    exclude_pk: int | None = None,
) -> QuerySet[Warga]:
    """People of the same desa (any posyandu, any status, whoever asks) who may be this person.

    Same name (case and spacing ignored) and birth date, and the same mother: the same registered
    mother, or the same mother's name (case ignored, registered or typed), or no mother on either side.
    Not scoped: the caller links only those inside the user's scope and names the posyandu of the others.
    """
    mother_key = " ".join((mother.name if mother is not None else mother_name).split()).lower()
    if mother_key:
        same_mother = Q(mother_key=mother_key)
        if mother is not None:
            same_mother |= Q(mother=mother)
    else:
        same_mother = Q(mother__isnull=True, mother_name="")
    queryset = (
        Warga.objects.alias(
            name_key=Lower("name"),
            mother_key=Lower(Coalesce("mother__name", "mother_name")),
        )
        .filter(name_key=" ".join(name.split()).lower(), birth_date=birth_date, posyandu__desa=desa)
        .filter(same_mother)
        .select_related("posyandu", "mother")
        .order_by("posyandu__name", "pk")
    )
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return queryset


def warga_mother_candidates(*, user, name: str, exclude_pk: int | None = None, limit: int = 10) -> list[Warga]:
    """Women of the user's scope, at least 10 years old, whose name contains ``name`` (2+ letters)."""
    name = " ".join((name or "").split())
    if len(name) < 2 or "\x00" in name:  # raw typed text: a NUL byte is no name (and PostgreSQL refuses it)
        return []
    oldest_birth_date = dates.birth_date_cutoff(months=MOTHER_MIN_AGE_MONTHS, on=dates.today())
    queryset = (
        scoped(Warga.objects.all(), user)
        .filter(sex=Sex.PEREMPUAN, name__icontains=name, birth_date__lte=oldest_birth_date)
        .select_related("posyandu", "keluarga")
        .order_by("name", "birth_date", "pk")
    )
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return list(queryset[:limit])


def warga_move_destinations(*, user, warga: Warga) -> QuerySet[Posyandu]:
    """Active posyandu ``user`` may move ``warga`` to.

    The rule: active posyandu inside the user's own scope, plus every active posyandu of the kecamatan
    of the person's current posyandu, because people mostly move to a neighbouring village. So a kader
    or pengurus (whose scope is one posyandu) may hand a person over to any posyandu of their
    kecamatan; from then on the receiving posyandu sees the person and the sender no longer does. A
    move further away (another kecamatan or kabupaten) is done by an admin of that area, or the person
    is marked "pindah keluar wilayah". Tim Pembina only read: they get no destinations; nor does anyone
    for a person outside their scope.
    """
    if not user.can_edit_warga or not scoped(Warga.objects.filter(pk=warga.pk), user).exists():
        return Posyandu.objects.none()
    kecamatan_code = warga.posyandu.desa_id.rsplit(".", 1)[0]
    return (
        Posyandu.objects.filter(status=Posyandu.Status.AKTIF)
        .filter(Q(pk__in=scoped(Posyandu.objects.all(), user).values("pk")) | area_filter("desa__code", kecamatan_code))
        .exclude(pk=warga.posyandu_id)
        .select_related("desa")
        .order_by("desa__name", "name")
    )


def warga_find_by_nik(*, user, nik: str) -> Warga | None:
    """The person with this NIK inside the user's scope, or None (also when they are outside it)."""
    return scoped(Warga.objects.all(), user).filter(nik=nik).first() if nik else None


@dataclass
class WargaFamily:
    """A person's relatives and moves. Each relative carries ``in_scope``: link it or just name it."""

    mother_in_scope: bool = False
    children: list[Warga] = field(default_factory=list)
    household: list[Warga] = field(default_factory=list)
    moves: list[WargaPindah] = field(default_factory=list)


def warga_family(*, user, warga: Warga) -> WargaFamily:
    """Mother, children, the other members of the household and the move history; at most four queries."""
    children = list(warga.children.select_related("posyandu").order_by("birth_date", "pk"))
    household = (
        list(
            Warga.objects.filter(keluarga_id=warga.keluarga_id)
            .exclude(pk=warga.pk)
            .select_related("posyandu")
            .order_by("birth_date", "pk")
        )
        if warga.keluarga_id
        else []
    )
    relatives = {person.pk for person in children + household} | ({warga.mother_id} if warga.mother_id else set())
    visible = set()
    if relatives:
        visible = set(scoped(Warga.objects.filter(pk__in=relatives), user).values_list("pk", flat=True))
    for person in children + household:
        person.in_scope = person.pk in visible
    moves = list(warga.moves.select_related("from_posyandu", "to_posyandu", "recorded_by").order_by("-moved_on", "-pk"))
    return WargaFamily(mother_in_scope=warga.mother_id in visible, children=children, household=household, moves=moves)


def _member_count() -> Subquery:
    return Subquery(
        Warga.objects.filter(keluarga=OuterRef("pk"), status=Warga.Status.AKTIF)
        .order_by()
        .values("keluarga")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def keluarga_list(*, user, head_name: str = "", posyandu: Posyandu | None = None) -> QuerySet[Keluarga]:
    """Households the user may see, with their posyandu and number of active members."""
    queryset = (
        scoped(Keluarga.objects.all(), user)
        .select_related("posyandu")
        .annotate(member_count=Coalesce(_member_count(), Value(0)))
    )
    if head_name := " ".join(head_name.split()):
        queryset = queryset.filter(head_name__icontains=head_name)
    if posyandu is not None:
        queryset = queryset.filter(posyandu=posyandu)
    return queryset.order_by("posyandu__name", "rw", "rt", "head_name", "pk")


def keluarga_members(*, keluarga: Keluarga, on: datetime.date | None = None) -> QuerySet[Warga]:
    """A household's members, eldest first, with life stage and mother."""
    return _with_life_stage(keluarga.members.select_related("mother"), on or dates.today()).order_by("birth_date", "pk")


# ---------------------------------------------------------------------------------------------
# Who can unlock a locked-out account (the lockout page names them)
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Unlocker:
    name: str  # the person's name; empty when their account has none (the role still says who)
    role: str  # e.g. "Ketua pengurus Posyandu Mawar", "Operator desa Desa Lassang"


def _team(role: str, area: Wilayah | None) -> list[Unlocker]:
    if area is None:
        return []
    label = f"{Role(role).label} {area.display_name}"
    users = User.objects.filter(role=role, wilayah=area, is_active=True).order_by("first_name", "last_name", "pk")
    return [Unlocker(name=user.get_full_name(), role=label) for user in users]


def _admins(*, but: int | None) -> list[Unlocker]:
    users = (
        User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True)
        .exclude(pk=but)
        .order_by("first_name", "last_name", "pk")
    )
    return [Unlocker(name=user.get_full_name(), role=str(Role.ADMIN.label)) for user in users]


def account_unlockers(*, username: str) -> list[Unlocker]:
    """The people who can help a locked-out user back in, nearest first: for kader and pengurus the
    ketua of their posyandu and the operator of its desa; for the desa operator the kecamatan's Tim
    Pembina; for the kecamatan the kabupaten's; for the kabupaten team and admins, the admins. When a
    level has nobody, the next one up is named. Nobody for an unknown username."""
    user = (
        User.objects.select_related("posyandu__desa__parent__parent", "wilayah__parent__parent")
        .filter(username=username, is_active=True)
        .first()
    )
    if user is None:
        return []
    kecamatan = kabupaten = None
    steps = []
    if user.posyandu_id:
        posyandu = user.posyandu
        kecamatan = posyandu.desa.parent
        ketua = Pengurus.objects.filter(posyandu=posyandu, position=Pengurus.Position.KETUA, ended_on__isnull=True)
        steps.append(
            [Unlocker(name=p.name, role=f"{_('Ketua pengurus')} {posyandu.name}") for p in ketua]
            + _team(Role.OPERATOR_DESA, posyandu.desa)
        )
    elif user.role == Role.OPERATOR_DESA and user.wilayah_id:
        kecamatan = user.wilayah.parent
    elif user.role == Role.PEMBINA_KECAMATAN and user.wilayah_id:
        kabupaten = user.wilayah.parent
    if kecamatan is not None:
        kabupaten = kecamatan.parent
        steps.append(_team(Role.PEMBINA_KECAMATAN, kecamatan))
    steps.append(_team(Role.PEMBINA_KABUPATEN, kabupaten))
    steps.append(_admins(but=user.pk))
    return next((step for step in steps if step), [])


# ---------------------------------------------------------------------------------------------
# OPD pengampu
# ---------------------------------------------------------------------------------------------
def opd_list(*, user) -> QuerySet[Opd]:
    """The OPD of the user's kabupaten (admins: every kabupaten), with how many active accounts each has."""
    active = Count("users", filter=Q(users__is_active=True))
    return scoped(Opd.objects.select_related("kabupaten"), user).annotate(accounts=active).order_by("kabupaten", "name")
