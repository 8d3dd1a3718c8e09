"""Demo data for the foundation: areas, posyandu, pengurus, households and people, one user per role.

Called by ``manage.py demo_load``, which runs the modules of the ``demo`` package in dependency order.
Deterministic (seeded by area code and posyandu name; people's ages relative to today), bulk inserts,
and safe to run twice: a kabupaten that already has posyandu keeps them, and a posyandu that already
has people gets no more.
"""

import datetime
import functools
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from demo.progress import Silent
from posyandu import dates
from posyandu.models import (
    Keluarga,
    LifeStage,
    Pengurus,
    Posyandu,
    Puskesmas,
    PuskesmasPosition,
    Role,
    Sex,
    SpmField,
    User,
    Warga,
    Wilayah,
    WilayahKerjaPuskesmas,
)
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
    puskesmas: int = 0
    keluarga: int = 0
    warga: Counter = field(default_factory=Counter)  # new people by life stage today (and "ibu" for mothers)
    users: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role label, scope)
    posyandu_ids: list[int] = field(default_factory=list)  # the posyandu given people by this run


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


# ---------------------------------------------------------------------------------------------
# Households and people
# ---------------------------------------------------------------------------------------------
# People of one posyandu at full size (shared/domain.md §6: 50–80 balita per posyandu): about 60 balita
# with their mothers (≈ 47: some have two under-fives), 30 anak sekolah & remaja, 70 other usia
# produktif (fathers included) and 25 lansia. ``people_per_posyandu`` scales all of them.
PEOPLE_PER_POSYANDU = 230
STAGE_TARGETS = {
    LifeStage.BALITA: 60,
    LifeStage.REMAJA: 30,
    LifeStage.USIA_PRODUKTIF: 70,
    LifeStage.LANSIA: 25,
}
# Share with a NIK on record, by life stage: ≈ 60 % overall (newborns often have none yet).
NIK_SHARE = {LifeStage.BALITA: 0.4, LifeStage.REMAJA: 0.65, LifeStage.USIA_PRODUKTIF: 0.75, LifeStage.LANSIA: 0.65}
KK_SHARE = 0.9
MOVED_HOUSEHOLDS = 0.02  # whole households that moved out in the last year
LANSIA_DECEASED = 0.04
ADULT_DECEASED = 0.003
BALITA_MAX_DAYS = 1790  # under 59 completed months today, so still a balita next month

WOMEN_NAMES = [
    "Hasnah",
    "Nurhayati",
    "Rosmiati",
    "Sitti Aminah",
    "Hadijah",
    "Rahmawati",
    "Darmawati",
    "Nurlina",
    "Suriani",
    "Jumriah",
    "Marlina",
    "Nurjannah",
    "Rusni",
    "Halimah",
    "Hasmawati",
    "Syamsiah",
    "Fatmawati",
    "Ramlah",
    "Sri Wahyuni",
    "Kasmawati",
    "Haerani",
    "Mardiana",
    "Salmah",
    "Nurmiati",
    "Irmawati",
    "Sumarni",
    "Asriani",
    "Nurhaedah",
    "Kartini",
    "Nuraeni",
    "Rismawati",
    "Mirnawati",
    "Musdalifah",
    "Nur Fadillah",
    "Ayu Lestari",
    "Fitriani",
    "Yuliana",
    "Nurul Hidayah",
    "Rosdiana",
    "Hasriani",
    "Sulfiana",
    "Nurhikmah",
    "Megawati",
    "Sahriani",
    "Andi Nurul Azizah",
]
MEN_NAMES = [
    "Muhammad Ridwan",
    "Abdul Rahman",
    "Syamsul Alam",
    "Baharuddin",
    "Ismail",
    "Arifin",
    "Andi Baso",
    "Hamzah",
    "Sudirman",
    "Hasanuddin",
    "Jamaluddin",
    "Syahrir",
    "Saharuddin",
    "Ilham",
    "Rahmat",
    "Fadli",
    "Irwan",
    "Muh. Yusuf",
    "Kamaruddin",
    "Nasrullah",
    "Mustari",
    "Rusli",
    "Amiruddin",
    "Haris",
    "Burhanuddin",
    "Asdar",
    "Sahabuddin",
    "Rustam",
    "Muh. Nasir",
    "Supriadi",
    "Zainal",
    "Ansar",
    "Lukman",
    "Syarifuddin",
    "Jufri",
]
ELDER_WOMEN_NAMES = [
    "Becce",
    "Basse",
    "Baji",
    "Kanang",
    "Sunggu",
    "Rannu",
    "Saenab",
    "Hadirah",
    "Jumaliah",
    "Sitti",
    "Nai",
    "Tija",
    "Hj. Sitti Hawang",
    "Hj. Maryam",
    "Kebo",
]
ELDER_MEN_NAMES = [
    "Baso",
    "Mappa",
    "Sangkala",
    "Laupe",
    "Tahir",
    "Manggi",
    "Sampara",
    "Lallo",
    "Nompo",
    "H. Abdullah",
    "H. Muh. Saleh",
    "Hamid",
    "Kadir",
    "Sikki",
    "Mangngassai",
]
DAENG = [
    "Ngai",
    "Caya",
    "Te'ne",
    "Bollo",
    "Kebo",
    "Sangnging",
    "Tompo",
    "Lallo",
    "Nai",
    "Sikki",
    "Bunga",
    "Rannu",
    "Gassing",
    "Nompo",
    "Tayang",
    "Sese",
    "Ngintang",
    "Rate",
    "Nassa",
    "Jarre",
]
GIRL_NAMES = [
    "Nur",
    "Aisyah",
    "Siti",
    "Andi",
    "Naura",
    "Zaskia",
    "Keisya",
    "Alesha",
    "Nabila",
    "Aqila",
    "Syifa",
    "Azzahra",
    "Humaira",
    "Khanza",
    "Rania",
    "Salsabila",
    "Nayla",
    "Fatimah",
    "Aulia",
    "Zahra",
    "Qiara",
    "Alya",
]
GIRL_SECOND_NAMES = [
    "Azizah",
    "Putri",
    "Ramadhani",
    "Aulia",
    "Nurfadillah",
    "Khairunnisa",
    "Safitri",
    "Humairah",
    "Maharani",
    "Aprilia",
    "Nurhaliza",
    "Rahmadani",
    "Syakira",
    "Az-Zahra",
]
BOY_NAMES = [
    "Muhammad",
    "Ahmad",
    "Muh.",
    "Andi",
    "Rafa",
    "Arsyad",
    "Fathan",
    "Alif",
    "Rizky",
    "Fauzan",
    "Azka",
    "Zidan",
    "Raffi",
    "Akbar",
    "Gibran",
    "Arkan",
    "Rayyan",
    "Hafiz",
    "Farel",
    "Aditya",
    "Reski",
    "Dzaki",
    "Al Fatih",
]
BOY_SECOND_NAMES = [
    "Alif",
    "Fauzan",
    "Rizky",
    "Akbar",
    "Ramadhan",
    "Saputra",
    "Pratama",
    "Hidayat",
    "Maulana",
    "Al Ghifari",
    "Fadhil",
    "Arkana",
    "Rasyid",
    "Dirgantara",
]
ADDRESSES = ["Jl. Poros {desa}", "Jl. {dusun}", "Lorong {n}", "Jl. Pendidikan", "Jl. Masjid Nurul Iman"]


def _adult_name(rng: random.Random, sex: str, age_years: float) -> str:
    """Makassar custom: many adults also carry a paddaengang (``Daeng ...``), the elders most often."""
    women = sex == Sex.PEREMPUAN
    if age_years >= 60:
        name, daeng = rng.choice(ELDER_WOMEN_NAMES if women else ELDER_MEN_NAMES), 0.6
    else:
        name, daeng = rng.choice(WOMEN_NAMES if women else MEN_NAMES), 0.4 if age_years >= 35 else 0.15
    return f"{name} Daeng {rng.choice(DAENG)}" if rng.random() < daeng else name


def child_name(rng: random.Random, sex: str) -> str:
    first, second = (GIRL_NAMES, GIRL_SECOND_NAMES) if sex == Sex.PEREMPUAN else (BOY_NAMES, BOY_SECOND_NAMES)
    name = rng.choice(first)
    other = rng.choice(second)
    return f"{name} {other}" if other != name and (rng.random() < 0.75 or len(name) <= 4) else name


def demo_nik(kecamatan_digits: str, birth_date: datetime.date, sex: str, serials: Counter) -> str:
    """A NIK as Dukcapil builds it: kecamatan code + DDMMYY (day + 40 for women) + a 4-digit serial."""
    day = birth_date.day + (40 if sex == Sex.PEREMPUAN else 0)
    prefix = f"{kecamatan_digits}{day:02d}{birth_date:%m%y}"
    serials[prefix] += 1
    return f"{prefix}{serials[prefix]:04d}"


class _Village:
    """Builds the households and people of one posyandu, in memory, from its own seeded generator."""

    def __init__(self, posyandu: Posyandu, *, size: int, today: datetime.date, serials: Counter):
        self.posyandu = posyandu
        self.today = today
        self.serials = serials
        self.rng = random.Random(f"warga/{posyandu.desa_id}/{posyandu.name}")
        self.kecamatan_digits = posyandu.desa_id[:8].replace(".", "")
        dusun = re.search(r"Dusun ([^,]+)", posyandu.address or "")
        rw = re.search(r"RW (\d+)", posyandu.address or "")
        self.dusun = dusun.group(1) if dusun else self.rng.choice(DUSUN)
        self.rw = int(rw.group(1)) if rw else 1
        self.left = {stage: round(target * size / PEOPLE_PER_POSYANDU) for stage, target in STAGE_TARGETS.items()}
        self.households: list[Keluarga] = []
        self.people: list[Warga] = []
        self.members: dict[int, list[Warga]] = {}
        self.counts: Counter = Counter()

    def build(self) -> None:
        while self.left[LifeStage.BALITA] > 0:
            self._young_family()
        while self.left[LifeStage.REMAJA] > 0:
            self._school_family()
        while self.left[LifeStage.LANSIA] > 0:
            self._elder_household()
        while self.left[LifeStage.USIA_PRODUKTIF] > 0:
            self._adult_household()
        self._moves_and_deaths()

    # -- one household of each kind ------------------------------------------------------------
    def _young_family(self) -> None:
        rng = self.rng
        keluarga = self._household()
        if self.left[LifeStage.BALITA] >= 2 and rng.random() < 0.25:
            older = rng.randint(700, BALITA_MAX_DAYS)
            ages = [older, rng.randint(0, older - 540)]
        else:
            ages = [rng.randint(0, BALITA_MAX_DAYS)]
        mother_years = min(max(rng.triangular(19, 44, 27), max(ages) / dates.DAYS_PER_YEAR + 18.5), 44.5)
        mother = self._adult(keluarga, Sex.PEREMPUAN, mother_years, counts_as="ibu")
        mother.phone = self._phone(0.65)
        father = None
        if self.left[LifeStage.USIA_PRODUKTIF] > 0 and rng.random() < 0.9:
            father = self._adult(keluarga, Sex.LAKI_LAKI, min(mother_years + rng.triangular(0, 12, 3), 58))
            father.phone = self._phone(0.6)
        keluarga.head_name = (father or mother).name
        if self.left[LifeStage.REMAJA] > 0 and mother_years >= 26 and rng.random() < 0.4:
            self._child(keluarga, rng.uniform(5.1, min(17.9, mother_years - 18)) * dates.DAYS_PER_YEAR, mother)
        for days in ages:
            self._child(keluarga, days, mother)
        if self.left[LifeStage.LANSIA] > 0 and rng.random() < 0.15:
            self._adult(keluarga, Sex.PEREMPUAN if rng.random() < 0.6 else Sex.LAKI_LAKI, rng.uniform(60, 80))

    def _school_family(self) -> None:
        rng = self.rng
        keluarga = self._household()
        mother_years = rng.uniform(30, 50)
        mother = self._adult(keluarga, Sex.PEREMPUAN, mother_years)
        father = None
        if rng.random() < 0.85:
            father = self._adult(keluarga, Sex.LAKI_LAKI, min(mother_years + rng.triangular(0, 10, 3), 59.5))
        keluarga.head_name = (father or mother).name
        for _ in range(2 if self.left[LifeStage.REMAJA] >= 2 and rng.random() < 0.4 else 1):
            self._child(keluarga, rng.uniform(5.1, min(17.9, mother_years - 17)) * dates.DAYS_PER_YEAR, mother)

    def _elder_household(self) -> None:
        rng = self.rng
        keluarga = self._household()
        first_sex = Sex.LAKI_LAKI if rng.random() < 0.45 else Sex.PEREMPUAN
        head = self._adult(keluarga, first_sex, rng.triangular(60, 88, 64))
        if self.left[LifeStage.LANSIA] > 0 and first_sex == Sex.LAKI_LAKI and rng.random() < 0.5:
            self._adult(keluarga, Sex.PEREMPUAN, rng.triangular(60, 85, 63))
        if self.left[LifeStage.USIA_PRODUKTIF] > 0 and rng.random() < 0.35:
            self._adult(keluarga, rng.choice(Sex.values), rng.uniform(20, 45))
        keluarga.head_name = head.name

    def _adult_household(self) -> None:
        rng = self.rng
        keluarga = self._household()
        if self.left[LifeStage.USIA_PRODUKTIF] >= 2 and rng.random() < 0.55:
            husband_years = rng.uniform(21, 40)
            head = self._adult(keluarga, Sex.LAKI_LAKI, husband_years)
            self._adult(keluarga, Sex.PEREMPUAN, max(18.5, husband_years - rng.triangular(0, 8, 2)))
        else:
            head = self._adult(keluarga, rng.choice(Sex.values), rng.uniform(18.5, 59.5))
        keluarga.head_name = head.name

    # -- building blocks -----------------------------------------------------------------------
    def _household(self) -> Keluarga:
        rng = self.rng
        dusun = self.dusun if rng.random() < 0.75 else rng.choice(DUSUN)
        rw = self.rw if rng.random() < 0.8 else rng.randint(1, 3)
        address = rng.choice(ADDRESSES).format(desa=self.posyandu.desa.name, dusun=dusun, n=rng.randint(1, 9))
        kk_number = None
        if rng.random() < KK_SHARE:
            issued = self.today - datetime.timedelta(days=rng.randint(60, 15 * 365))
            prefix = f"{self.kecamatan_digits}{issued:%d%m%y}"
            self.serials["kk" + prefix] += 1
            kk_number = f"{prefix}{self.serials['kk' + prefix]:04d}"
        keluarga = Keluarga(
            kk_number=kk_number,
            posyandu=self.posyandu,
            rt=f"{rng.randint(1, 6):03d}",
            rw=f"{rw:03d}",
            dusun=dusun,
            address=f"{address} No. {rng.randint(1, 120)}",
        )
        self.households.append(keluarga)
        self.members[id(keluarga)] = []
        return keluarga

    def _person(self, keluarga: Keluarga, sex: str, days_old: int, stage: str, name: str, **extra) -> Warga:
        birth_date = self.today - datetime.timedelta(days=int(days_old))
        nik = None
        if self.rng.random() < NIK_SHARE[stage]:
            nik = demo_nik(self.kecamatan_digits, birth_date, sex, self.serials)
        warga = Warga(
            name=name,
            nik=nik,
            sex=sex,
            birth_date=birth_date,
            keluarga=keluarga,
            posyandu=self.posyandu,
            **extra,
        )
        self.people.append(warga)
        self.members[id(keluarga)].append(warga)
        return warga

    def _adult(self, keluarga: Keluarga, sex: str, years: float, *, counts_as: str | None = None) -> Warga:
        stage = LifeStage.LANSIA if years >= 60 else LifeStage.USIA_PRODUKTIF
        warga = self._person(keluarga, sex, years * dates.DAYS_PER_YEAR, stage, _adult_name(self.rng, sex, years))
        self.counts[counts_as or stage] += 1
        if counts_as is None:
            self.left[stage] -= 1
        return warga

    def _child(self, keluarga: Keluarga, days_old: float, mother: Warga) -> Warga:
        rng = self.rng
        stage = LifeStage.BALITA if days_old <= BALITA_MAX_DAYS else LifeStage.REMAJA
        sex = rng.choice(Sex.values)
        extra = {"mother": mother}
        if stage == LifeStage.BALITA:
            extra["has_buku_kia"] = rng.random() < 0.92
            if rng.random() < 0.85:
                weight = min(max(rng.gauss(3.05, 0.45), 1.6), 4.6)
                extra["birth_weight_kg"] = Decimal(f"{weight:.2f}")
        warga = self._person(keluarga, sex, days_old, stage, child_name(rng, sex), **extra)
        self.counts[stage] += 1
        self.left[stage] -= 1
        return warga

    def _phone(self, share: float) -> str:
        if self.rng.random() >= share:
            return ""
        operator = self.rng.choice([11, 12, 13, 21, 22, 52, 53, 57, 58, 77, 81, 82, 85, 95])
        return f"08{operator}{self.rng.randint(10**7, 10**8 - 1)}"

    def _moves_and_deaths(self) -> None:
        """A few households moved out of the area in the last year; a few people died."""
        rng = self.rng
        for keluarga in self.households:
            members = self.members[id(keluarga)]
            youngest_days = min(dates.age_in_days(w.birth_date, self.today) for w in members)
            if youngest_days > 60 and rng.random() < MOVED_HOUSEHOLDS:
                moved_on = self.today - datetime.timedelta(days=rng.randint(20, min(330, youngest_days - 30)))
                for warga in members:
                    warga.status, warga.status_date = Warga.Status.PINDAH, moved_on
                continue
            for warga in members:
                years = dates.age_in_years(warga.birth_date, self.today)
                chance = LANSIA_DECEASED if years >= 60 else ADULT_DECEASED if years >= 18 else 0
                if rng.random() < chance:
                    warga.status = Warga.Status.MENINGGAL
                    warga.status_date = self.today - datetime.timedelta(days=rng.randint(15, 330))


def _people(prefix: str, *, size: int, result: DemoResult, progress) -> None:
    """Households and people for every posyandu of the area (code ``prefix``) that has none yet, in bulk."""
    today = dates.today()
    serials: Counter = Counter()
    households: list[Keluarga] = []
    people: list[Warga] = []
    posyandu_list = list(without(Posyandu.objects.filter(desa__code__startswith=prefix), Warga).select_related("desa"))
    if not posyandu_list:
        return
    bar = progress.step("Warga", len(posyandu_list))
    for posyandu in posyandu_list:
        village = _Village(posyandu, size=size, today=today, serials=serials)
        village.build()
        households += village.households
        people += village.people
        result.warga.update(village.counts)
        bar.advance()
    for row in households[:20]:  # spot-check the generator against the model's own rules
        row.full_clean(exclude=["posyandu"], validate_unique=False)
    bar.finish()
    bar = progress.step("Warga (simpan)", len(households) + len(people), unit="baris")
    for start in range(0, len(households), 5000):
        bar.advance(len(Keluarga.objects.bulk_create(households[start : start + 5000])))
    # Mothers first (a call of their own), so their children can point at them.
    for group in ([w for w in people if w.mother is None], [w for w in people if w.mother is not None]):
        for start in range(0, len(group), 5000):
            bar.advance(len(Warga.objects.bulk_create(group[start : start + 5000])))
    for row in people[:50]:
        row.full_clean(exclude=["posyandu", "keluarga", "mother"], validate_unique=False)
    result.keluarga += len(households)
    result.posyandu_ids = [posyandu.pk for posyandu in posyandu_list]
    bar.finish()


def area_prefix(kabupaten: str, *, synthetic_posyandu: int | None = None, quick: bool = False) -> str:
    """The code prefix of the area a demo run fills with people and data: the whole kabupaten, or with
    ``quick`` its first kecamatan only (``make run``: the first page within a minute, the rest after)."""
    if synthetic_posyandu:
        return SYNTHETIC_KABUPATEN + "."
    if quick:
        first = Wilayah.objects.filter(level=Wilayah.Level.KECAMATAN, parent_id=kabupaten).order_by("code").first()
        if first is not None:
            return first.code + "."
    return kabupaten + "."


def kabupaten_of(prefix: str) -> str:
    """The kabupaten's prefix ("73.05.") of an area's prefix ("73.05.01.")."""
    return ".".join(prefix.split(".")[:2]) + "."


def without(posyandu: QuerySet[Posyandu], model, path: str = "posyandu") -> QuerySet[Posyandu]:
    """The posyandu that have no ``model`` row yet (through ``path``), in pk order: what a demo step
    still has to fill. A step fills a posyandu whole in one transaction, so a run stopped half-way, or a
    quick run followed by the full one, leaves nothing done twice."""
    return posyandu.filter(~Exists(model.objects.filter(**{path: OuterRef("pk")}))).order_by("pk")


@transaction.atomic
def build(
    *,
    kabupaten: str,
    synthetic_posyandu: int | None = None,
    people_per_posyandu: int | None = None,
    quick: bool = False,
    progress=None,
    **options,
) -> DemoResult:
    """Areas, posyandu, pengurus, households and people, and demo users for ``kabupaten`` (or a synthetic one).

    Areas, posyandu and pengurus are made for the whole kabupaten; people only in the posyandu of the
    run's area (``area_prefix``) that have none yet. ``people_per_posyandu``: about how many people each
    posyandu serves (default ``PEOPLE_PER_POSYANDU``; 0 builds no people, for fast tests of the foundation).
    """
    result = DemoResult()
    size = PEOPLE_PER_POSYANDU if people_per_posyandu is None else people_per_posyandu
    if synthetic_posyandu:
        kabupaten = SYNTHETIC_KABUPATEN
        result.areas = _synthetic_areas(synthetic_posyandu)
    elif not Wilayah.objects.filter(code=kabupaten).exists():
        imported = wilayah_import(kabupaten=kabupaten)
        result.areas = imported.created
    # A kabupaten that already has posyandu keeps them (and any changes made to them).
    if not Posyandu.objects.filter(desa__code__startswith=kabupaten + ".").exists():
        _posyandu(kabupaten, synthetic_posyandu=synthetic_posyandu, result=result)
    if not Puskesmas.objects.filter(kabupaten_id=kabupaten).exists():  # the benchmark's too (per-Puskesmas figures)
        _puskesmas(kabupaten, result=result)
    # People are added once, to each posyandu of the area that has none yet.
    if size > 0:
        prefix = area_prefix(kabupaten, synthetic_posyandu=synthetic_posyandu, quick=quick)
        _people(prefix, size=size, result=result, progress=progress or Silent())
    if not synthetic_posyandu:
        _demo_users(kabupaten, result, password=options.get("password") or DEMO_PASSWORD)
    return result


def _posyandu(kabupaten: str, *, synthetic_posyandu: int | None, result: DemoResult) -> None:
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


PUSKESMAS_AREA_SINCE = datetime.date(2020, 1, 1)


def _puskesmas(kabupaten: str, *, result: DemoResult) -> None:
    """One Puskesmas per kecamatan, "Puskesmas <kecamatan>", coded P + the kecamatan's digits + 0101 (the
    shape of Kemenkes codes), its working area every desa of the kecamatan since 2020."""
    kecamatan = list(Wilayah.objects.filter(level=Wilayah.Level.KECAMATAN, parent_id=kabupaten).order_by("code"))
    rows = [
        Puskesmas(code=f"P{k.code.replace('.', '')}0101", name=f"Puskesmas {k.name.title()}", kabupaten_id=kabupaten)
        for k in kecamatan
    ]
    for row in rows[:5]:  # spot-check the generator against the model's own rules
        row.full_clean(validate_unique=False)
    created = {p.code: p for p in Puskesmas.objects.bulk_create(rows)}
    areas = [
        WilayahKerjaPuskesmas(
            puskesmas=created[f"P{desa.parent_id.replace('.', '')}0101"], desa=desa, valid_from=PUSKESMAS_AREA_SINCE
        )
        for desa in Wilayah.objects.filter(level=Wilayah.Level.DESA, code__startswith=kabupaten + ".")
    ]
    WilayahKerjaPuskesmas.objects.bulk_create(areas, batch_size=2000)
    result.puskesmas += len(created)


@functools.cache
def _password_hash(password: str) -> str:
    return make_password(password)


def demo_user_create(*, password: str, **fields) -> User:
    """``user_create`` for a demo account: the same service, but the password is hashed once for all demo
    accounts (one hash takes about a second on a busy two-core machine: a dozen seconds of ``make run``)."""
    user = user_create(password=None, **fields)  # no hash yet: an unusable password, set just below
    user.password = _password_hash(password)
    User.objects.filter(pk=user.pk).update(password=user.password)
    return user


def thousands(number: int) -> str:
    """12345 → "12.345", as Indonesian writes it."""
    return f"{number:,}".replace(",", ".")


def summary_lines(result: DemoResult) -> list[str]:
    lines = [
        f"Wilayah baru: {result.areas}, posyandu baru: {result.posyandu}, pengurus baru: {result.pengurus}, "
        f"Puskesmas baru: {result.puskesmas}."
    ]
    people = result.warga
    lines.append(
        f"Keluarga baru: {thousands(result.keluarga)}, warga baru: {thousands(sum(people.values()))} "
        f"({thousands(people[LifeStage.BALITA])} balita, {thousands(people['ibu'])} ibu balita, "
        f"{thousands(people[LifeStage.REMAJA])} anak sekolah & remaja, "
        f"{thousands(people[LifeStage.USIA_PRODUKTIF])} usia produktif lain, "
        f"{thousands(people[LifeStage.LANSIA])} lansia)."
    )
    return lines


def _demo_users(kabupaten: str, result: DemoResult, *, password: str) -> None:
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
    puskesmas_a = Puskesmas.objects.filter(wilayah_kerja__desa=desa_a, wilayah_kerja__valid_to__isnull=True).first()
    if puskesmas_a is not None:  # the bidan of the first desa's Puskesmas
        scope = {"puskesmas": puskesmas_a, "position": PuskesmasPosition.BIDAN}
        cast.append(("bidan", Role.PUSKESMAS, scope, "Bidan", "Hasriani"))
    for username, role, scope, first, last in cast:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = demo_user_create(
                username=username, password=password, role=role, first_name=first, last_name=last, **scope
            )
            if role == Role.ADMIN:
                User.objects.filter(pk=user.pk).update(is_superuser=True)
        result.users.append((username, str(Role(role).label), user.scope_label))
