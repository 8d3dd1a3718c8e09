"""Demo data for the foundation: areas, posyandu, pengurus and one user per role.

Called by ``manage.py demo_load``, which runs the ``demo`` module of every app in dependency order.
Deterministic (seeded by area code), bulk inserts, and safe to run twice: a kabupaten that already
has posyandu is left as it is.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from posyandu.models import Pengurus, Posyandu, Role, SpmField, User, Wilayah
from posyandu.services import user_create, wilayah_import

DEMO_PASSWORD = "posyandu-demo"  # noqa: S105 - printed for the demo on purpose
SYNTHETIC_PROVINSI = "99"
SYNTHETIC_KABUPATEN = "99.01"

POSYANDU_NAMES = [
    "Mawar",
    "Melati",
    "Anggrek",
    "Kenanga",
    "Dahlia",
    "Cempaka",
    "Flamboyan",
    "Teratai",
    "Seroja",
    "Bougenville",
    "Kamboja",
    "Tulip",
    "Asoka",
    "Nusa Indah",
    "Sakura",
    "Lavender",
    "Kemuning",
    "Bakung",
]
DUSUN = ["Bontoa", "Pa'bundukang", "Lassang", "Bonto Kassi", "Panrannuangku", "Tamalate"]
FIRST_NAMES = [
    "Hasnah",
    "Nurhayati",
    "Rosmiati",
    "Sitti",
    "Hadijah",
    "Rahmawati",
    "Darmawati",
    "Nurlina",
    "Suriani",
    "Hasna",
    "Jumriah",
    "Marlina",
    "Nurjannah",
    "Rusni",
    "Halimah",
    "Hasmawati",
    "Syamsiah",
    "Fatmawati",
    "Ramlah",
    "Sri",
    "Wahyuni",
    "Kasmawati",
    "Ani",
    "Rina",
    "Haerani",
    "Mardiana",
    "Basse",
    "Salmah",
    "Andi",
    "Muhammad",
    "Abdul",
    "Syamsul",
    "Baharuddin",
    "Rahman",
    "Ismail",
    "Arifin",
]
LAST_NAMES = [
    "Daeng Ngai",
    "Daeng Caya",
    "Daeng Te'ne",
    "Daeng Bollo",
    "Daeng Kebo",
    "Daeng Sangnging",
    "Rahim",
    "Nurdin",
    "Hamid",
    "Said",
    "Syarif",
    "Mansyur",
    "Kadir",
    "Latif",
    "Amir",
    "Yusuf",
    "Halim",
    "Basri",
]


@dataclass
class DemoResult:
    areas: int = 0
    posyandu: int = 0
    pengurus: int = 0
    users: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role label, scope)


def _person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _synthetic_areas(posyandu_count: int) -> int:
    """A made-up kabupaten with enough desa for ``posyandu_count`` posyandu (about 4 per desa)."""
    desa_count = max(1, round(posyandu_count / 4))
    kecamatan_count = max(1, round(desa_count / 12))
    rows = [
        Wilayah(code=SYNTHETIC_PROVINSI, name="Provinsi Sintetis", level=Wilayah.Level.PROVINSI),
        Wilayah(
            code=SYNTHETIC_KABUPATEN,
            name="Kabupaten Sintetis",
            level=Wilayah.Level.KABUPATEN,
            parent_id=SYNTHETIC_PROVINSI,
        ),
    ]
    for k in range(1, kecamatan_count + 1):
        rows.append(
            Wilayah(
                code=f"{SYNTHETIC_KABUPATEN}.{k:02d}",
                name=f"Sintetis {k}",
                level=Wilayah.Level.KECAMATAN,
                parent_id=SYNTHETIC_KABUPATEN,
            )
        )
    for d in range(desa_count):
        kecamatan = f"{SYNTHETIC_KABUPATEN}.{d % kecamatan_count + 1:02d}"
        rows.append(
            Wilayah(
                code=f"{kecamatan}.{2001 + d // kecamatan_count}",
                name=f"Desa Sintetis {d + 1}",
                level=Wilayah.Level.DESA,
                parent_id=kecamatan,
            )
        )
    Wilayah.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _posyandu_for_desa(desa: Wilayah, count: int, rng: random.Random) -> list[Posyandu]:
    names = rng.sample(POSYANDU_NAMES, count)
    rows = []
    for index, flower in enumerate(names, start=1):
        formed = datetime.date(rng.randint(1990, 2023), rng.randint(1, 12), rng.randint(1, 28))
        registered = rng.random() < 0.8
        by_date = rng.random() < 0.6
        inactive = rng.random() < 0.04
        rows.append(
            Posyandu(
                name=f"Posyandu {flower} {index}" if count > len(POSYANDU_NAMES) else f"Posyandu {flower}",
                desa=desa,
                address=f"Dusun {rng.choice(DUSUN)}, RT 00{rng.randint(1, 4)}/RW 00{rng.randint(1, 3)}",
                latitude=Decimal(f"{-5.30 - rng.random() * 0.4:.6f}"),
                longitude=Decimal(f"{119.35 + rng.random() * 0.2:.6f}"),
                registration_number=f"{desa.code}.{index:03d}" if registered else None,
                sk_number=f"{rng.randint(1, 60)}/SK/{desa.name.upper()[:10]}/{2024 + rng.randint(0, 1)}"
                if registered
                else "",
                sk_date=datetime.date(2024 + rng.randint(0, 1), rng.randint(1, 12), rng.randint(1, 28))
                if registered
                else None,
                formed_on=formed,
                schedule_kind=Posyandu.Schedule.DATE if by_date else Posyandu.Schedule.WEEKDAY,
                schedule_day=rng.randint(5, 20) if by_date else None,
                schedule_week=None if by_date else rng.randint(1, 3),
                schedule_weekday=None if by_date else rng.randint(0, 5),
                status=Posyandu.Status.NONAKTIF if inactive else Posyandu.Status.AKTIF,
                inactive_reason="Kader pindah dan belum ada pengganti" if inactive else "",
                inactive_since=datetime.date(2025, rng.randint(1, 12), 1) if inactive else None,
            )
        )
    return rows


def _pengurus_for(posyandu: Posyandu, rng: random.Random) -> list[Pengurus]:
    positions = [(Pengurus.Position.KETUA, ""), (Pengurus.Position.SEKRETARIS, ""), (Pengurus.Position.BENDAHARA, "")]
    positions += [(Pengurus.Position.KETUA_BIDANG, value) for value in SpmField.values]
    complete = rng.random() < 0.85
    rows = []
    term_start = datetime.date(2024, rng.randint(7, 12), 1)
    for position, field_value in positions:
        if not complete and rng.random() < 0.3:
            continue
        if position == Pengurus.Position.KETUA and rng.random() < 0.3:
            # An earlier ketua, kept as history.
            rows.append(
                Pengurus(
                    posyandu=posyandu,
                    position=position,
                    field=field_value,
                    name=_person_name(rng),
                    term_start=datetime.date(2019, 1, 1),
                    term_end=datetime.date(2023, 12, 31),
                    ended_on=term_start - datetime.timedelta(days=1),
                    sk_number="lama",
                )
            )
        rows.append(
            Pengurus(
                posyandu=posyandu,
                position=position,
                field=field_value,
                name=_person_name(rng),
                phone=f"08{rng.randint(11, 59)}{rng.randint(10000000, 99999999)}",
                sk_number=posyandu.sk_number,
                sk_date=posyandu.sk_date,
                term_start=term_start,
                term_end=datetime.date(term_start.year + 5, term_start.month, 1) - datetime.timedelta(days=1),
            )
        )
    return rows


@transaction.atomic
def build(*, kabupaten: str, synthetic_posyandu: int | None = None) -> DemoResult:
    """Areas, posyandu, pengurus and demo users for ``kabupaten`` (or a synthetic one)."""
    result = DemoResult()
    if synthetic_posyandu:
        kabupaten = SYNTHETIC_KABUPATEN
        result.areas = _synthetic_areas(synthetic_posyandu)
    elif not Wilayah.objects.filter(code=kabupaten).exists():
        imported = wilayah_import(kabupaten=kabupaten)
        result.areas = imported.created
    if Posyandu.objects.filter(desa__code__startswith=kabupaten + ".").exists():
        # Already built: leave the kabupaten (and any changes made to it) alone.
        if not synthetic_posyandu:
            _demo_users(kabupaten, result)
        return result
    desa_list = list(
        Wilayah.objects.filter(level=Wilayah.Level.DESA, code__startswith=kabupaten + ".").order_by("code")
    )
    posyandu_rows = []
    for desa in desa_list:
        rng = random.Random(desa.code)
        count = 4 if synthetic_posyandu else rng.choice([3, 4, 4, 4, 5])
        posyandu_rows += _posyandu_for_desa(desa, count, rng)
    if synthetic_posyandu:
        posyandu_rows = posyandu_rows[:synthetic_posyandu]
    for row in posyandu_rows[:50]:  # spot-check the generator against the model's own rules
        row.full_clean(validate_unique=False)
    created = Posyandu.objects.bulk_create(posyandu_rows, batch_size=2000)
    pengurus_rows = []
    for posyandu in created:
        pengurus_rows += _pengurus_for(posyandu, random.Random(f"pengurus-{posyandu.pk}"))
    Pengurus.objects.bulk_create(pengurus_rows, batch_size=5000)
    result.posyandu += len(created)
    result.pengurus += len(pengurus_rows)
    if not synthetic_posyandu:
        _demo_users(kabupaten, result)
    return result


def summary_lines(result: DemoResult) -> list[str]:
    return [f"Wilayah baru: {result.areas}, posyandu baru: {result.posyandu}, pengurus baru: {result.pengurus}."]


def _demo_users(kabupaten: str, result: DemoResult) -> None:
    """One login per role, inside the kabupaten; passwords are only set when the user is new."""
    kecamatan = Wilayah.objects.filter(level=Wilayah.Level.KECAMATAN, parent_id=kabupaten).order_by("code")
    kecamatan_a, kecamatan_b = kecamatan[0], kecamatan[1]
    desa_a = Wilayah.objects.filter(parent=kecamatan_a).order_by("code").first()
    posyandu_a = Posyandu.objects.filter(desa=desa_a).order_by("pk").first()
    posyandu_b = Posyandu.objects.filter(desa__parent=kecamatan_b).order_by("pk").first()
    cast = [
        ("admin", Role.ADMIN, {}, "Admin", "Kabupaten"),
        (
            "kabupaten",
            Role.PEMBINA_KABUPATEN,
            {"wilayah": Wilayah.objects.get(code=kabupaten)},
            "Tim Pembina",
            "Kabupaten",
        ),
        ("kecamatan", Role.PEMBINA_KECAMATAN, {"wilayah": kecamatan_a}, "Tim Pembina", kecamatan_a.name),
        ("desa", Role.OPERATOR_DESA, {"wilayah": desa_a}, "Operator", desa_a.name),
        ("pengurus", Role.PENGURUS, {"posyandu": posyandu_a}, "Hasnah", "Daeng Ngai"),
        ("kader", Role.KADER, {"posyandu": posyandu_a, "field": SpmField.KESEHATAN}, "Nurhayati", "Rahim"),
        ("kader2", Role.KADER, {"posyandu": posyandu_b, "field": SpmField.KESEHATAN}, "Rosmiati", "Said"),
    ]
    for username, role, scope, first, last in cast:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                username=username, password=DEMO_PASSWORD, role=role, first_name=first, last_name=last, **scope
            )
            if role == Role.ADMIN:
                User.objects.filter(pk=user.pk).update(is_superuser=True)
        result.users.append((username, str(Role(role).label), user.scope_label))
