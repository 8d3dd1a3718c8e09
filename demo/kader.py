"""Demo kader: 3–8 per posyandu of the demo kabupaten, a year of trainings and assessments.

Called by ``manage.py demo_load`` after ``demo.posyandu`` and ``demo.kesehatan`` (dependency
order). For every posyandu: 3–8 kader (two in kesehatan, the rest spread over the six fields),
started between 1996 and 2025 (so some are due a 10, 20 or 30-year award), about one in ten no
longer active. Over the last 12 months: two bimtek per kecamatan (kesehatan, and one of the other
fields) for most of the kader of that field, and four kabupaten trainings for one kader in three;
nine in ten attend and get a certificate number. Kesehatan kader who attended are assessed by the
Puskesmas with a mix of results, so Purwa, Madya, Utama and no level all occur.

Deterministic (seeded by the posyandu), written with ``bulk_create``, skipped for a posyandu that
already has kader, so it is safe to run twice.
"""

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction

from demo.posyandu import FIRST_NAMES, LAST_NAMES, area_prefix, kabupaten_of, thousands, without
from demo.progress import Silent
from kader import services
from kader.models import Kader, Kompetensi, Pelatihan, PenilaianKompetensi, PesertaPelatihan
from posyandu import dates
from posyandu.models import Posyandu, Role, SpmField, User, Wilayah

FIELDS = SpmField.values
END_REASONS = ["Pindah domisili", "Bekerja di luar desa", "Mengundurkan diri", "Sakit"]
OPD = {
    SpmField.KESEHATAN: "Dinas Kesehatan",
    SpmField.PENDIDIKAN: "Dinas Pendidikan",
    SpmField.SOSIAL: "Dinas Sosial",
    SpmField.PERUMAHAN_RAKYAT: "Dinas Perkim",
    SpmField.PEKERJAAN_UMUM: "Dinas PUPR",
    SpmField.TRANTIBUM_LINMAS: "Satpol PP dan BPBD",
}
KABUPATEN_FIELDS = [SpmField.KESEHATAN, SpmField.SOSIAL, SpmField.PENDIDIKAN, SpmField.TRANTIBUM_LINMAS]
# Share of assessed kader per target: groups passed (codes), giving no level / Purwa / Madya / Utama.
ASSESSMENT_PROFILES = [
    (0.35, ["pengelolaan", "bayi-balita"]),
    (0.30, ["pengelolaan", "bayi-balita", "ibu-hamil"]),
    (0.22, ["pengelolaan", "bayi-balita", "ibu-hamil", "dewasa-lansia"]),
    (0.13, ["pengelolaan", "bayi-balita", "ibu-hamil", "dewasa-lansia", "remaja"]),
]


@dataclass
class DemoResult:
    skipped: bool = False
    kader: int = 0
    inactive: int = 0
    pelatihan: int = 0
    peserta: int = 0
    penilaian: int = 0
    levels: Counter = field(default_factory=Counter)
    posyandu_ids: list[int] = field(default_factory=list)  # the posyandu filled by this run


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


@transaction.atomic
def build(
    *, kabupaten: str, synthetic_posyandu: int | None = None, quick: bool = False, progress=None, **options
) -> DemoResult:
    """Kader for every posyandu of the run's area (``area_prefix``) that has none yet, their trainings
    and assessments."""
    prefix = area_prefix(kabupaten, synthetic_posyandu=synthetic_posyandu, quick=quick)
    kabupaten = kabupaten_of(prefix)[:-1]
    result = DemoResult()
    area = Posyandu.objects.filter(desa__code__startswith=prefix)
    posyandu_list = list(without(area, Kader).select_related("desa").order_by("desa_id", "pk"))
    if not posyandu_list:
        result.skipped = area.exists()
        return result
    today = dates.today()
    rows = []
    bar = (progress or Silent()).step("Kader dan pelatihan", len(posyandu_list))
    for posyandu in posyandu_list:
        bar.advance()
        rng = random.Random(f"kader-{posyandu.desa_id}-{posyandu.name}")
        count = rng.randint(3, 8)
        for i in range(count):
            start = datetime.date(rng.randint(1996, 2025), rng.randint(1, 12), rng.randint(1, 28))
            start = min(start, today)
            kader = Kader(
                posyandu=posyandu,
                name=_name(rng),
                field=SpmField.KESEHATAN if i < 2 else rng.choice(FIELDS),
                start_date=start,
                sk_number=f"{rng.randint(1, 250)}/SK/DS/{start.year}",
                sk_date=start,
                phone=f"08{rng.randint(11, 99)}{rng.randint(10_000_000, 99_999_999)}",
            )
            if rng.random() < 0.1 and start < today - datetime.timedelta(days=400):
                kader.status = Kader.Status.NONAKTIF
                kader.end_date = start + datetime.timedelta(days=rng.randint(200, (today - start).days))
                kader.end_reason = rng.choice(END_REASONS)
            rows.append(kader)
    Kader.objects.bulk_create(rows, batch_size=2000)
    result.kader = len(rows)
    result.inactive = sum(1 for k in rows if k.status == Kader.Status.NONAKTIF)
    _link_demo_users(prefix)
    active = [k for k in rows if k.status == Kader.Status.AKTIF]
    trainings, peserta = _trainings(kabupaten, active, today)
    result.pelatihan, result.peserta = len(trainings), len(peserta)
    result.penilaian = _assessments(peserta, today)
    services.kader_levels_refresh(kader_ids=[k.pk for k in rows])
    result.levels = Counter(Kader.objects.filter(pk__in=[k.pk for k in rows]).values_list("level", flat=True))
    result.posyandu_ids = [posyandu.pk for posyandu in posyandu_list]
    bar.finish()
    return result


def _link_demo_users(prefix: str) -> None:
    """The demo kader logins get the profile of a kader of their posyandu and field."""
    for user in User.objects.filter(role=Role.KADER, posyandu__desa__code__startswith=prefix):
        kader = Kader.objects.filter(posyandu=user.posyandu_id, user__isnull=True, status="aktif").order_by("pk")
        kader = kader.filter(field=user.field).first() or kader.first()
        if kader is not None and not Kader.objects.filter(user=user).exists():
            Kader.objects.filter(pk=kader.pk).update(user=user, name=user.get_full_name() or kader.name)


def _trainings(kabupaten: str, active: list[Kader], today: datetime.date):
    rng = random.Random(f"pelatihan-{kabupaten}-{sorted({k.posyandu.desa_id[:8] for k in active})}")
    by_kecamatan: dict[str, list[Kader]] = defaultdict(list)
    for kader in active:
        by_kecamatan[kader.posyandu.desa_id[:8]].append(kader)
    kecamatan_ids = set(Wilayah.objects.filter(code__in=list(by_kecamatan)).values_list("code", flat=True))

    def when():
        start = today - datetime.timedelta(days=rng.randint(20, 360))
        return start, start + datetime.timedelta(days=rng.choice([0, 1, 1, 2]))

    plans = []  # (Pelatihan, candidate kader, share that takes part)
    for code in sorted(kecamatan_ids):
        other = rng.choice([f for f in FIELDS if f != SpmField.KESEHATAN])
        for training_field in (SpmField.KESEHATAN, other):
            start, end = when()
            plans.append(
                (
                    Pelatihan(
                        title=f"Bimtek kader {SpmField(training_field).label.lower()} kecamatan",
                        organiser_level=Pelatihan.OrganiserLevel.KECAMATAN,
                        organiser_opd=f"{OPD[training_field]} / Tim Pembina Kecamatan",
                        field=training_field,
                        wilayah_id=code,
                        start_date=start,
                        end_date=end,
                        hours=8 * ((end - start).days + 1),
                        place="Aula kantor camat",
                    ),
                    [k for k in by_kecamatan[code] if k.field == training_field],
                    0.75,
                )
            )
    for training_field in KABUPATEN_FIELDS:
        start, end = when()
        # One kabupaten training per field: a later run (the rest of the kabupaten) adds its kader to it.
        earlier = Pelatihan.objects.filter(
            organiser_level=Pelatihan.OrganiserLevel.KABUPATEN, wilayah_id=kabupaten, field=training_field
        )
        plans.append(
            (
                earlier.order_by("pk").first()
                or Pelatihan(
                    title=f"Pelatihan kader {SpmField(training_field).label.lower()} tingkat kabupaten",
                    organiser_level=Pelatihan.OrganiserLevel.KABUPATEN,
                    organiser_opd=OPD[training_field],
                    field=training_field,
                    wilayah_id=kabupaten,
                    start_date=start,
                    end_date=end,
                    hours=8 * ((end - start).days + 1),
                    place="Gedung serbaguna kabupaten",
                ),
                [k for k in active if k.field == training_field],
                0.33,
            )
        )
    trainings = Pelatihan.objects.bulk_create([plan[0] for plan in plans if plan[0].pk is None])
    peserta = []
    for pelatihan, candidates, share in plans:
        serial = PesertaPelatihan.objects.filter(pelatihan=pelatihan).count()
        for kader in candidates:
            if kader.start_date > pelatihan.start_date or rng.random() > share:
                continue
            attended = rng.random() < 0.9
            serial += 1
            peserta.append(
                PesertaPelatihan(
                    pelatihan=pelatihan,
                    kader=kader,
                    attended=attended,
                    certificate_number=f"{serial:03d}/PLT-{pelatihan.pk}/{pelatihan.start_date.year}"
                    if attended
                    else "",
                )
            )
    PesertaPelatihan.objects.bulk_create(peserta, batch_size=5000)
    return trainings, peserta


def _assessments(peserta: list[PesertaPelatihan], today: datetime.date) -> int:
    """Kesehatan kader who attended a kesehatan training are assessed after it."""
    kompetensi = defaultdict(list)
    for item in Kompetensi.objects.filter(group__counts_for_level=True).select_related("group"):
        kompetensi[item.group.code].append(item)
    rows = []
    seen = set()
    for row in peserta:
        if not row.attended or row.pelatihan.field != SpmField.KESEHATAN or row.kader.pk in seen:
            continue
        seen.add(row.kader.pk)
        rng = random.Random(f"penilaian-{row.kader.pk}")
        pick, total = rng.random(), 0.0
        groups = ASSESSMENT_PROFILES[-1][1]
        for share, codes in ASSESSMENT_PROFILES:
            total += share
            if pick < total:
                groups = codes
                break
        on = min(row.pelatihan.end_date + datetime.timedelta(days=rng.randint(1, 20)), today)
        for code, items in kompetensi.items():
            for item in items:
                passed = code in groups
                if not passed and rng.random() < 0.5:
                    continue  # not assessed yet
                rows.append(
                    PenilaianKompetensi(
                        kader=row.kader,
                        kompetensi=item,
                        assessed_on=on,
                        assessor="Bidan desa, Puskesmas",
                        result=PenilaianKompetensi.Result.LULUS if passed else PenilaianKompetensi.Result.BELUM,
                    )
                )
    PenilaianKompetensi.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def summary_lines(result: DemoResult) -> list[str]:
    if result.skipped:
        return ["Kader: kabupaten ini sudah punya kader, tidak diubah."]
    if not result.kader:
        return ["Kader: belum ada posyandu, tidak ada kader dibuat."]
    levels = result.levels
    return [
        f"Kader: {thousands(result.kader)} kader ({thousands(result.inactive)} tidak aktif), "
        f"{thousands(result.pelatihan)} pelatihan dengan {thousands(result.peserta)} peserta, "
        f"{thousands(result.penilaian)} penilaian kompetensi; jenjang Purwa {thousands(levels['purwa'])}, "
        f"Madya {thousands(levels['madya'])}, Utama {thousands(levels['utama'])}."
    ]
