"""Demo data of the five other SPM fields, called at the end of ``demo.kesehatan.build``.

For every posyandu of the kabupaten: a survey of most households (some with an earlier survey as
history) with realistic shares — about 80 % safe water, 75 % a proper latrine, 10 % RTLH, 15 % poor
households, most of them receiving bansos —, the schooling of children 3–15 (PAUD, school, some out of
school), six months of activities per field, a few incidents (KDRT and some others confidential), and
service requests in every state, some past their 5-working-day deadline, forwarded to the kabupaten's
OPD pengampu by name. Plus the national holidays of 2026, the kabupaten's OPD, one demo kader per field
and one demo OPD officer (``opd_sosial``, Dinas Sosial). Written with ``bulk_create``; a posyandu that already has
activities gets nothing added (safe to run twice).
"""

import datetime
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from demo.posyandu import DEMO_PASSWORD, area_prefix, demo_user_create, kabupaten_of, thousands, without
from demo.progress import Silent
from layanan.models import (
    IMPROVED_WATER_SOURCES,
    PROPER_LATRINES,
    HariLibur,
    Kegiatan,
    Kejadian,
    Latrine,
    PendidikanAnak,
    PermintaanLayanan,
    RiwayatStatusPermintaan,
    SurveiKeluarga,
    WaterSource,
)
from layanan.selectors import DEADLINE_WORKING_DAYS, add_working_days
from posyandu import dates
from posyandu.models import Keluarga, Opd, Posyandu, Role, SpmField, User, Warga, Wilayah

# Libur nasional and cuti bersama 2026 (SKB 3 Menteri; dates of the Islamic holidays follow the
# government's calendar and may shift by a day — unverified: admins correct them in the Django admin).
HOLIDAYS_2026 = [
    ("2026-01-01", "Tahun Baru 2026 Masehi"),
    ("2026-01-16", "Isra Mikraj Nabi Muhammad SAW"),
    ("2026-02-16", "Cuti bersama Tahun Baru Imlek"),
    ("2026-02-17", "Tahun Baru Imlek 2577 Kongzili"),
    ("2026-03-18", "Cuti bersama Hari Suci Nyepi"),
    ("2026-03-19", "Hari Suci Nyepi Tahun Baru Saka 1948"),
    ("2026-03-20", "Idul Fitri 1447 Hijriah"),
    ("2026-03-21", "Idul Fitri 1447 Hijriah"),
    ("2026-03-23", "Cuti bersama Idul Fitri"),
    ("2026-03-24", "Cuti bersama Idul Fitri"),
    ("2026-04-03", "Wafat Yesus Kristus"),
    ("2026-04-05", "Kebangkitan Yesus Kristus (Paskah)"),
    ("2026-05-01", "Hari Buruh Internasional"),
    ("2026-05-14", "Kenaikan Yesus Kristus"),
    ("2026-05-15", "Cuti bersama Kenaikan Yesus Kristus"),
    ("2026-05-27", "Idul Adha 1447 Hijriah"),
    ("2026-05-28", "Cuti bersama Idul Adha"),
    ("2026-05-31", "Hari Raya Waisak 2570 BE"),
    ("2026-06-01", "Hari Lahir Pancasila"),
    ("2026-06-16", "Tahun Baru Islam 1448 Hijriah"),
    ("2026-08-17", "Hari Kemerdekaan Republik Indonesia"),
    ("2026-08-25", "Maulid Nabi Muhammad SAW"),
    ("2026-12-24", "Cuti bersama Hari Raya Natal"),
    ("2026-12-25", "Hari Raya Natal"),
]

DEMO_KADER = [
    ("kader_didik", SpmField.PENDIDIKAN, "Wahyuni", "Pendidikan"),
    ("kader_sosial", SpmField.SOSIAL, "Hadijah", "Sosial"),
    ("kader_rumah", SpmField.PERUMAHAN_RAKYAT, "Syamsuddin", "Perumahan"),
    ("kader_pu", SpmField.PEKERJAAN_UMUM, "Abdul", "Pekerjaan Umum"),
    ("kader_linmas", SpmField.TRANTIBUM_LINMAS, "Baharuddin", "Linmas"),
]

ACTIVITIES = [
    (SpmField.PENDIDIKAN, Kegiatan.Kind.PARENTING, "Kelas parenting BKB: pola asuh balita"),
    (SpmField.PENDIDIKAN, Kegiatan.Kind.LITERASI, "Pojok baca anak"),
    (SpmField.PENDIDIKAN, Kegiatan.Kind.APE, "Bermain dengan APE buatan sendiri"),
    (SpmField.SOSIAL, Kegiatan.Kind.INKLUSI, "Hak penyandang disabilitas"),
    (SpmField.SOSIAL, Kegiatan.Kind.BANSOS, "Pendampingan penyaluran bansos"),
    (SpmField.PERUMAHAN_RAKYAT, Kegiatan.Kind.PHBS, "Rumah sehat dan ventilasi"),
    (SpmField.PERUMAHAN_RAKYAT, Kegiatan.Kind.PHBS, "Lubang biopori di pekarangan"),
    (SpmField.PEKERJAAN_UMUM, Kegiatan.Kind.BANK_SAMPAH, "Penimbangan bank sampah"),
    (SpmField.PEKERJAAN_UMUM, Kegiatan.Kind.KERJA_BAKTI, "Kerja bakti saluran air"),
    (SpmField.PEKERJAAN_UMUM, Kegiatan.Kind.KIE, "Stop buang air besar sembarangan"),
    (SpmField.TRANTIBUM_LINMAS, Kegiatan.Kind.PATROLI, "Ronda malam"),
    (SpmField.TRANTIBUM_LINMAS, Kegiatan.Kind.LINMAS, "Simulasi siaga banjir"),
    (SpmField.KESEHATAN, Kegiatan.Kind.KIE, "Gizi seimbang dan isi piringku"),
]

INCIDENTS = [
    (Kejadian.Kind.BENCANA, "Banjir setelah hujan deras", 0.25),
    (Kejadian.Kind.KEBAKARAN, "Kebakaran dapur rumah warga", 0.15),
    (Kejadian.Kind.KETERTIBAN, "Keributan di acara hajatan", 0.15),
    (Kejadian.Kind.KDRT, "Laporan kekerasan dalam rumah tangga", 0.15),
    (Kejadian.Kind.KENAKALAN_REMAJA, "Balap liar remaja", 0.15),
    (Kejadian.Kind.KRIMINAL, "Pencurian ternak", 0.15),
]

REQUESTS = [
    (SpmField.PERUMAHAN_RAKYAT, PermintaanLayanan.Kind.RTLH, "Atap bocor dan lantai tanah, perlu bedah rumah"),
    (SpmField.SOSIAL, PermintaanLayanan.Kind.BANSOS, "Lansia tinggal sendiri belum terdaftar bansos"),
    (SpmField.SOSIAL, PermintaanLayanan.Kind.DISABILITAS, "Butuh kursi roda"),
    (SpmField.PENDIDIKAN, PermintaanLayanan.Kind.PAUD, "Anak 5 tahun belum mendapat tempat di PAUD"),
    (SpmField.PEKERJAAN_UMUM, PermintaanLayanan.Kind.AIR_SANITASI, "Belum punya jamban sehat"),
    (SpmField.TRANTIBUM_LINMAS, PermintaanLayanan.Kind.TRAUMA, "Pendampingan anak korban banjir"),
]
STATE_WEIGHTS = [
    ("dicatat", 2),
    ("diverifikasi", 2),
    ("diteruskan", 2),
    ("diterima", 1),
    ("selesai", 3),
    ("ditolak", 1),
]
# The kabupaten's OPD pengampu: (name, short name, fields). Requests go to the first OPD of their field;
# civil documents (adminduk) to Dukcapil.
OPD_ROWS = [
    ("Dinas Kesehatan", "Dinkes", [SpmField.KESEHATAN]),
    ("Dinas Pendidikan", "Disdik", [SpmField.PENDIDIKAN]),
    ("Dinas Sosial", "Dinsos", [SpmField.SOSIAL]),
    ("Dinas Perumahan dan Kawasan Permukiman", "Perkim", [SpmField.PERUMAHAN_RAKYAT]),
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "PUPR", [SpmField.PEKERJAAN_UMUM]),
    ("Satpol PP dan BPBD", "Satpol PP/BPBD", [SpmField.TRANTIBUM_LINMAS]),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Dukcapil", [SpmField.SOSIAL]),
]
DEMO_OPD_USER = ("opd_sosial", "Dinsos", "Nurhayati", "Dinsos")
OTHER_WATER = [WaterSource.SUMUR_TIDAK_TERLINDUNG, WaterSource.MATA_AIR_TIDAK_TERLINDUNG, WaterSource.SUNGAI]
IMPROPER_LATRINES = [Latrine.TANPA_SEPTIK, Latrine.CEMPLUNG, Latrine.TIDAK_ADA]


@dataclass
class BidangResult:
    skipped: bool = False
    holidays: int = 0
    surveys: int = 0
    households: int = 0
    schooling: int = 0
    kegiatan: int = 0
    kejadian: int = 0
    permintaan: Counter = field(default_factory=Counter)
    overdue: int = 0
    users: list = field(default_factory=list)
    posyandu_ids: list[int] = field(default_factory=list)  # the posyandu filled by this run


def _holidays(result: BidangResult) -> set[datetime.date]:
    rows = [HariLibur(date=datetime.date.fromisoformat(day), name=name) for day, name in HOLIDAYS_2026]
    before = HariLibur.objects.count()
    HariLibur.objects.bulk_create(rows, ignore_conflicts=True)
    result.holidays = HariLibur.objects.count() - before
    return set(HariLibur.objects.values_list("date", flat=True))


@transaction.atomic
def build(
    *, kabupaten: str, synthetic_posyandu: int | None = None, quick: bool = False, progress=None, **options
) -> BidangResult:
    """The five other fields' data for every posyandu of the run's area (``area_prefix``) with no
    activity yet (every posyandu the demo fills gets some), so a second run adds nothing."""
    prefix = area_prefix(kabupaten, synthetic_posyandu=synthetic_posyandu, quick=quick)
    result = BidangResult()
    holidays = _holidays(result)
    opd_by_field = _opds(kabupaten_of(prefix).rstrip("."))
    if not synthetic_posyandu:
        _demo_users(result, password=options.get("password") or DEMO_PASSWORD)
        _demo_opd_user(result, opd_by_field, password=options.get("password") or DEMO_PASSWORD)
    area = Posyandu.objects.filter(desa__code__startswith=prefix)
    posyandu_list = list(without(area, Kegiatan))
    if not posyandu_list:
        result.skipped = True
        return result
    today = dates.today()
    households = defaultdict(list)
    members = Counter()
    # In pk order: each posyandu's random stream is drawn household by household, so the order
    # decides the data (unordered, it followed the table's physical order and differed by server).
    for keluarga_id, posyandu_id in (
        Keluarga.objects.filter(posyandu__in=posyandu_list).order_by("pk").values_list("pk", "posyandu_id")
    ):
        households[posyandu_id].append(keluarga_id)
    children = defaultdict(list)
    for pk, posyandu_id, keluarga_id, birth_date in (
        Warga.objects.filter(posyandu__in=posyandu_list, status=Warga.Status.AKTIF)
        .order_by("pk")
        .values_list("pk", "posyandu_id", "keluarga_id", "birth_date")
    ):
        if keluarga_id:
            members[keluarga_id] += 1
        age = dates.age_in_years(birth_date, today)
        if 3 <= age < 16:
            children[posyandu_id].append((pk, age))
    # The first posyandu of the kabupaten (the demo kader's) shows every state of a request, overdue ones too.
    showcase_pk = Posyandu.objects.filter(desa__code__startswith=kabupaten_of(prefix)).order_by("pk")[:1].get().pk
    surveys, schooling, activities, incidents, requests = [], [], [], [], []
    bar = (progress or Silent()).step("Lima bidang lain", len(posyandu_list))
    for posyandu in posyandu_list:
        rng = random.Random(f"bidang/{posyandu.desa_id}/{posyandu.name}")
        for keluarga_id in households.get(posyandu.pk, []):
            surveys += _surveys(rng, keluarga_id, members[keluarga_id], today)
        schooling += [
            _schooling(rng, pk, age, today) for pk, age in children.get(posyandu.pk, []) if rng.random() < 0.9
        ]
        activities += _activities(rng, posyandu.pk, today)
        incidents += _incidents(rng, posyandu.pk, today)
        if households.get(posyandu.pk):
            showcase = posyandu.pk == showcase_pk
            plan = _plan(rng, showcase=showcase)
            requests += _requests(rng, posyandu.pk, households[posyandu.pk], today, holidays, plan, opd_by_field)
        bar.advance()
    SurveiKeluarga.objects.bulk_create(surveys, batch_size=5000)
    PendidikanAnak.objects.bulk_create(schooling, batch_size=5000)
    Kegiatan.objects.bulk_create(activities, batch_size=5000)
    Kejadian.objects.bulk_create(incidents, batch_size=5000)
    PermintaanLayanan.objects.bulk_create(requests, batch_size=5000)
    RiwayatStatusPermintaan.objects.bulk_create(
        [row for permintaan in requests for row in _history(permintaan)], batch_size=5000
    )
    bar.finish()
    result.posyandu_ids = [posyandu.pk for posyandu in posyandu_list]
    result.surveys = len(surveys)
    result.households = len({s.keluarga_id for s in surveys})
    result.schooling = len(schooling)
    result.kegiatan = len(activities)
    result.kejadian = len(incidents)
    result.permintaan = Counter(p.status for p in requests)
    result.overdue = sum(1 for p in requests if p.is_overdue(today))
    return result


def _surveys(rng: random.Random, keluarga_id: int, members: int, today: datetime.date) -> list[SurveiKeluarga]:
    if rng.random() >= 0.9:
        return []  # not yet surveyed
    latest = today - datetime.timedelta(days=rng.randint(5, 150))
    rows = [_survey(rng, keluarga_id, members, latest)]
    if rng.random() < 0.25:  # an earlier survey: the history (the house was often worse then)
        earlier = latest - datetime.timedelta(days=rng.randint(180, 400))
        rows.append(_survey(rng, keluarga_id, members, earlier, worse=True))
    return rows


def _survey(rng, keluarga_id, members, day, *, worse=False) -> SurveiKeluarga:
    occupants = max(1, members or rng.randint(2, 6))
    crowded = rng.random() < (0.05 if worse else 0.02)
    area = Decimal(occupants * rng.uniform(4.5, 7.0) if crowded else max(21, occupants * rng.uniform(8, 20)))
    poor = rng.random() < 0.15
    bansos = rng.random() < (0.8 if poor else 0.05)
    programmes = sorted(rng.sample(["pkh", "bpnt", "pbi_jk", "blt_dd"], rng.randint(1, 3))) if bansos else []
    return SurveiKeluarga(
        keluarga_id=keluarga_id,
        survey_date=day,
        water_source=rng.choice(IMPROVED_WATER_SOURCES) if rng.random() < 0.86 else rng.choice(OTHER_WATER),
        water_sufficient=rng.random() < 0.94,
        latrine=rng.choice(PROPER_LATRINES)
        if rng.random() < (0.65 if worse else 0.8)
        else rng.choice(IMPROPER_LATRINES),
        waste_water=rng.choice(["spal_tertutup", "resapan", "resapan", "got_terbuka", "tanah_sungai"]),
        rubbish=rng.choice(["diangkut", "bank_sampah", "kompos", "dibakar", "dibakar", "dibuang"]),
        roof="rusak_berat" if rng.random() < 0.02 else rng.choice(["baik", "baik", "baik", "rusak_ringan"]),
        walls="rusak_berat" if rng.random() < 0.02 else rng.choice(["baik", "baik", "rusak_ringan"]),
        floor="tanah" if rng.random() < (0.1 if worse else 0.03) else ("rusak" if rng.random() < 0.005 else "baik"),
        floor_area_m2=area.quantize(Decimal("0.1")),
        occupants=occupants,
        disaster_damage="tidak" if rng.random() < 0.96 else rng.choice(["ringan", "sedang", "berat"]),
        is_poor=poor,
        receives_bansos=bansos,
        bansos_programmes=programmes,
        has_jkn=rng.random() < (0.85 if bansos else 0.62),
        disabled_members=1 if rng.random() < 0.05 else 0,
        neglected_elderly=1 if rng.random() < 0.02 else 0,
        neglected_children=1 if rng.random() < 0.01 else 0,
    )


def _schooling(rng, warga_id: int, age: float, today: datetime.date) -> PendidikanAnak:
    day = today - datetime.timedelta(days=rng.randint(5, 120))
    status, reason = "belum_sekolah", ""
    if age < 5:
        status = "paud" if rng.random() < 0.4 else "belum_sekolah"
    elif age < 7:
        status = "paud" if rng.random() < 0.75 else ("sd" if age >= 6 and rng.random() < 0.3 else "belum_sekolah")
    elif rng.random() < 0.05:
        status = rng.choice(["putus_sekolah", "putus_sekolah", "tidak_pernah"])
        reason = rng.choice(["biaya", "bekerja", "jarak", "disabilitas", "tidak_mau"])
    else:
        status = "sd" if age < 13 else "smp"
    return PendidikanAnak(warga_id=warga_id, recorded_on=day, status=status, reason=reason)


def _months(today: datetime.date, count: int) -> list[datetime.date]:
    return [dates.add_months(dates.month_start(today), -offset) for offset in range(count)]


def _activities(rng, posyandu_id: int, today: datetime.date) -> list[Kegiatan]:
    rows = []
    for month in _months(today, 6):
        last = today.day if month == dates.month_start(today) else 28
        for field_value, kind, topic in rng.sample(ACTIVITIES, rng.randint(2, 5)):
            rows.append(
                Kegiatan(
                    posyandu_id=posyandu_id,
                    field=field_value,
                    kind=kind,
                    topic=topic,
                    date=month.replace(day=rng.randint(1, last)),
                    reporting_month=month,
                    attendance_men=rng.randint(0, 10),
                    attendance_women=rng.randint(5, 30),
                    place="Balai dusun",
                )
            )
    return rows


def _incidents(rng, posyandu_id: int, today: datetime.date) -> list[Kejadian]:
    rows = []
    for _index in range(rng.choice([0, 0, 1, 1, 2])):
        kind, text, _weight = rng.choices(INCIDENTS, weights=[w for *_rest, w in INCIDENTS])[0]
        confidential = kind == Kejadian.Kind.KDRT or (kind == Kejadian.Kind.KENAKALAN_REMAJA and rng.random() < 0.5)
        rows.append(
            Kejadian(
                posyandu_id=posyandu_id,
                kind=kind,
                occurred_on=today - datetime.timedelta(days=rng.randint(1, 170)),
                place=f"Dusun {rng.randint(1, 4)}",
                people_affected=rng.randint(1, 40) if kind == Kejadian.Kind.BENCANA else rng.randint(1, 5),
                houses_damaged=rng.randint(1, 8) if kind in (Kejadian.Kind.BENCANA, Kejadian.Kind.KEBAKARAN) else 0,
                description=text,
                confidential=confidential,
            )
        )
    return rows


SHOWCASE = [  # (state, days since recorded, request): the recent ones are within their deadline, the others late
    ("dicatat", 1, None),
    ("diverifikasi", 3, None),
    ("diverifikasi", 30, None),
    ("diteruskan", 4, None),
    ("diteruskan", 40, None),
    ("selesai", 20, None),
    ("ditolak", 15, None),
    # The demo Dinas Sosial officer's queue: one new, one accepted, one late.
    ("diteruskan", 2, REQUESTS[1]),
    ("diterima", 4, REQUESTS[2]),
    ("diteruskan", 25, REQUESTS[1]),
]


def _plan(rng, *, showcase: bool) -> list[tuple]:
    if showcase:
        return SHOWCASE
    states = rng.choices([s for s, _w in STATE_WEIGHTS], weights=[w for _s, w in STATE_WEIGHTS], k=5)
    return [(state, rng.randint(2, 90), None) for state in states[: rng.choice([1, 2, 2, 3, 4])]]


def _opds(kabupaten: str) -> dict[str, Opd]:
    """The kabupaten's OPD pengampu (made once: safe to run twice); the OPD a request of each field goes to."""
    area = Wilayah.objects.filter(code=kabupaten).first()
    if area is None:
        return {}
    existing = {opd.short_name: opd for opd in Opd.objects.filter(kabupaten=area)}
    for name, short_name, fields in OPD_ROWS:
        if short_name not in existing:
            existing[short_name] = Opd.objects.create(kabupaten=area, name=name, short_name=short_name, fields=fields)
    by_field = {}
    for _name, short_name, fields in OPD_ROWS:
        for value in fields:
            by_field.setdefault(value, existing[short_name])
    by_field[PermintaanLayanan.Kind.ADMINDUK] = existing["Dukcapil"]
    return by_field


def _requests(
    rng, posyandu_id, keluarga_ids, today, holidays, plan, opd_by_field
) -> list[PermintaanLayanan]:  # long: one request per planned state, each state's dates in order
    rows = []
    for state, age_days, request in plan:
        field_value, kind, text = request or rng.choice(REQUESTS)
        recorded = today - datetime.timedelta(days=age_days)
        row = PermintaanLayanan(
            posyandu_id=posyandu_id,
            field=field_value,
            kind=kind,
            keluarga_id=rng.choice(keluarga_ids),
            description=text,
            status=state,
            recorded_on=recorded,
        )
        if state == "ditolak" and rng.random() < 0.5:
            row.closed_on = min(today, recorded + datetime.timedelta(days=rng.randint(1, 4)))
            row.rejection_reason = "Tidak memenuhi syarat setelah kunjungan rumah"
        elif state != "dicatat":
            row.verified_on = min(today, recorded + datetime.timedelta(days=rng.randint(1, min(5, age_days))))
            row.due_on = add_working_days(row.verified_on, DEADLINE_WORKING_DAYS, holidays=holidays)
            if state in ("diteruskan", "diterima", "selesai") or (state == "ditolak" and rng.random() < 0.5):
                row.forwarded_opd = opd_by_field.get(kind) or opd_by_field.get(field_value)
                row.forwarded_to = PermintaanLayanan.Destination.OPD if row.forwarded_opd else "kecamatan"
                row.forwarded_on = min(today, row.verified_on + datetime.timedelta(days=rng.randint(0, 3)))
            if state == "diterima" and row.forwarded_opd is None:
                row.status = "diteruskan"  # no OPD in this area: only a named OPD accepts
            elif state == "diterima":
                row.accepted_on = min(today, row.forwarded_on + datetime.timedelta(days=1))
            if state in ("selesai", "ditolak"):
                start = row.forwarded_on or row.verified_on
                row.closed_on = min(today, start + datetime.timedelta(days=rng.randint(1, 9)))
            if state == "ditolak":
                row.rejection_reason = "Sudah menerima bantuan yang sama tahun ini"
        rows.append(row)
    return rows


def _history(permintaan: PermintaanLayanan) -> list[RiwayatStatusPermintaan]:
    steps = [("", "dicatat", permintaan.recorded_on)]
    if permintaan.verified_on:
        steps.append(("dicatat", "diverifikasi", permintaan.verified_on))
    if permintaan.forwarded_on:
        steps.append(("diverifikasi", "diteruskan", permintaan.forwarded_on))
    if permintaan.accepted_on:
        steps.append(("diteruskan", "diterima", permintaan.accepted_on))
    if permintaan.closed_on:
        steps.append((steps[-1][1], permintaan.status, permintaan.closed_on))
    tz = timezone.get_current_timezone()
    return [
        RiwayatStatusPermintaan(
            permintaan=permintaan,
            from_status=frm,
            to_status=to,
            changed_at=datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=tz),
        )
        for frm, to, day in steps
    ]


def _demo_users(result: BidangResult, *, password: str) -> None:
    """One demo kader per field, at the posyandu of the demo kader ``kader``."""
    anchor = User.objects.filter(username="kader").first()
    if anchor is None or not anchor.posyandu_id:
        return
    for username, field_value, first, last in DEMO_KADER:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = demo_user_create(
                username=username,
                password=password,
                role=Role.KADER,
                posyandu=anchor.posyandu,
                field=field_value,
                first_name=first,
                last_name=last,
            )
        result.users.append((username, f"{Role.KADER.label} {SpmField(field_value).label.lower()}", user.scope_label))


def _demo_opd_user(result: BidangResult, opd_by_field: dict, *, password: str) -> None:
    """The demo OPD officer: Dinas Sosial of the demo kabupaten."""
    opd = opd_by_field.get(SpmField.SOSIAL)
    if opd is None:
        return
    username, _short, first, last = DEMO_OPD_USER
    user = User.objects.filter(username=username).first()
    if user is None:
        user = demo_user_create(
            username=username,
            password=password,
            role=Role.OPD,
            opd=opd,
            wilayah=opd.kabupaten,
            first_name=first,
            last_name=last,
        )
    result.users.append((username, f"{Role.OPD.label} ({opd.short_name})", user.scope_label))


def summary_lines(result: BidangResult) -> list[str]:
    if result.skipped:
        return ["Lima bidang lain: kabupaten ini sudah punya survei keluarga, tidak diubah."]
    states = ", ".join(f"{thousands(result.permintaan[s])} {s}" for s, _w in STATE_WEIGHTS)
    return [
        f"Lima bidang lain: {thousands(result.surveys)} survei untuk {thousands(result.households)} keluarga, "
        f"{thousands(result.schooling)} status sekolah anak, {thousands(result.kegiatan)} kegiatan, "
        f"{thousands(result.kejadian)} kejadian, {thousands(result.permintaan.total())} permintaan layanan "
        f"({states}; {thousands(result.overdue)} melewati batas waktu), {result.holidays} hari libur baru."
    ]
