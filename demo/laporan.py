"""The demo's part of the reporting app: monthly reports in every status, and the monthly rollup of
what the other demo modules just loaded.

The demo pengurus's posyandu gets a report for each of the last twelve months, taken through the
lifecycle by the demo logins with the app's own service (``laporan.services.laporan_act``): the older
months approved (so locked: the month lock shows), then one returned with a comment, one verified, one
submitted and last month's still a draft. Only on the real demo kabupaten, once.

A rakor of the kabupaten's Tim Pembina held last month, and one of the first kecamatan's, with their
decisions (through ``laporan.services``, like the team's form): some assigned to the demo OPD (Dinas
Sosial, so the ``opd_sosial`` login finds them on its home page: one past its deadline, one in progress
with its note, one done), others to other OPD and to a kecamatan or desa; the next rakor pack opens with
their follow-up. Only on the real demo kabupaten, once.

The demo writes in bulk (no model signals), so the months are computed here, whole, after a run that
filled any posyandu (a quick demo, then the rest of the kabupaten). A second ``demo_load`` that filled
nothing computes nothing."""

import datetime
import time
from collections import Counter
from dataclasses import dataclass, field

from demo.progress import Silent
from demo.statistics import analyze_app_tables
from laporan import indicators as ind
from laporan import rekap
from laporan.models import KeputusanRakor, LaporanBulanan, Rakor, RekapBulan
from laporan.services import (
    keputusan_add,
    keputusan_set_status,
    laporan_act,
    laporan_get_or_create,
    rakor_create,
)
from layanan.models import HariBuka
from posyandu import dates
from posyandu.models import Opd, User

APPROVED = [("pengurus", "ajukan"), ("desa", "verifikasi"), ("kecamatan", "setujui")]
# Months before this one → the steps its report is taken through (the rest of the year: APPROVED).
REPORT_STEPS = {
    1: [],
    2: [("pengurus", "ajukan")],
    3: [("pengurus", "ajukan"), ("desa", "verifikasi")],
    4: [("pengurus", "ajukan"), ("desa", "kembalikan")],
}
RETURNED_COMMENT = "Jumlah balita ditimbang (D) belum sesuai buku register, mohon diperiksa kembali."
REPORT_MONTHS = 12


# The kabupaten rakor's decisions: (text, field, responsible OPD short name or "kecamatan"/"desa" for the
# demo logins' areas, days after the meeting its deadline falls (None: two months after this one), the
# steps it went through: (status, note, days after the meeting, by "opd"/"team"/"area")).
RAKOR_KABUPATEN = [
    ("Padankan data lansia terlantar hasil survei posyandu dengan DTKS", "sosial", "Dinsos", 14,
     [("berjalan", "Data 6 kecamatan sudah diterima, 4 kecamatan belum.", 9, "opd")]),
    ("Usulkan keluarga miskin ekstrem hasil survei posyandu sebagai penerima bansos", "sosial", "Dinsos", None, []),
    ("Rekap penyandang disabilitas per desa untuk rakor berikutnya", "sosial", "Dinsos", 14,
     [("selesai", "Rekap 213 penyandang disabilitas dikirim ke sekretariat Tim Pembina.", 12, "opd")]),
    ("Layanan akta kelahiran keliling di posyandu dengan cakupan akta terendah", "sosial", "Dukcapil", None, []),
    ("Distribusi PMT lokal ke posyandu dengan balita T dan BGM", "kesehatan", "Dinkes", 14,
     [("berjalan", "PMT dikirim ke 8 Puskesmas.", 7, "team")]),
    ("Data rumah tidak layak huni dari survei posyandu diverifikasi lapangan", "perumahan_rakyat", "Perkim", None, []),
    ("Sweeping balita yang tidak ditimbang dua bulan berturut-turut", "kesehatan", "kecamatan", 14, []),
]  # fmt: skip
RAKOR_KECAMATAN = [
    ("Posyandu yang belum melapor dibina langsung oleh operator desa", "kelembagaan", "desa", 14,
     [("berjalan", "Dua posyandu sudah dikunjungi.", 8, "area")]),
    ("Kelas ibu hamil dibuka tiap bulan", "kesehatan", "Dinkes", None, []),
]  # fmt: skip
RAKOR_DAY = 9  # held on the 10th of last month


@dataclass
class DemoResult:
    months: int
    seconds: float
    reports: Counter = field(default_factory=Counter)
    decisions: Counter = field(default_factory=Counter)


def build(*, built_posyandu: set[int] = frozenset(), synthetic_posyandu=None, progress=None, **options) -> DemoResult:
    started = time.perf_counter()
    reports = Counter() if synthetic_posyandu else _reports()
    decisions = Counter() if synthetic_posyandu else _rakor()
    result = _rollup(built_posyandu=built_posyandu, progress=progress)
    result.reports, result.decisions = reports, decisions
    result.seconds = time.perf_counter() - started
    return result


def _reports() -> Counter:
    """The demo pengurus's posyandu: a report per month in every status (see the module's docstring)."""
    users = {user.username: user for user in User.objects.filter(username__in=["pengurus", "desa", "kecamatan"])}
    posyandu = users["pengurus"].posyandu if "pengurus" in users else None
    if len(users) < 3 or posyandu is None or LaporanBulanan.objects.filter(posyandu=posyandu).exists():
        return Counter()
    this_month = dates.this_month()
    for back in range(1, REPORT_MONTHS + 1):
        month = dates.add_months(this_month, -back)
        laporan_get_or_create(posyandu=posyandu, month=month)
        for username, action in REPORT_STEPS.get(back, APPROVED):
            comment = RETURNED_COMMENT if action == "kembalikan" else ""
            laporan_act(posyandu=posyandu, month=month, action=action, user=users[username], comment=comment)
    return Counter(LaporanBulanan.objects.filter(posyandu=posyandu).values_list("status", flat=True))


def _rakor() -> Counter:
    """The kabupaten's rakor of last month and the first kecamatan's (see the module's docstring)."""
    names = ["kabupaten", "kecamatan", "desa", "opd_sosial"]
    users = {user.username: user for user in User.objects.filter(username__in=names).select_related("wilayah")}
    if len(users) < len(names) or Rakor.objects.filter(wilayah=users["kabupaten"].wilayah).exists():
        return Counter()
    held_on = dates.add_months(dates.this_month(), -1) + datetime.timedelta(days=RAKOR_DAY)
    period = f"{dates.add_months(held_on, -1):%Y-%m}"  # the month before the meeting's
    opd = {o.short_name: o for o in Opd.objects.filter(kabupaten=users["kabupaten"].wilayah)}
    areas = {"kecamatan": users["kecamatan"].wilayah, "desa": users["desa"].wilayah}
    actors = {"opd": users["opd_sosial"], "team": users["kabupaten"], "area": users["desa"]}
    for team, plan in ((users["kabupaten"], RAKOR_KABUPATEN), (users["kecamatan"], RAKOR_KECAMATAN)):
        rakor = rakor_create(wilayah=team.wilayah, held_on=held_on, period=period, user=team)
        rows = [_decision_row(row, held_on, opd, areas) for row in plan]
        for keputusan, (*_row, steps) in zip(keputusan_add(rakor=rakor, rows=rows, user=team), plan, strict=True):
            for status, note, days, actor in steps:
                on = min(held_on + datetime.timedelta(days=days), dates.today())
                keputusan_set_status(keputusan=keputusan, to_status=status, note=note, on=on, user=actors[actor])
    return Counter(KeputusanRakor.objects.filter(opd=users["opd_sosial"].opd).values_list("status", flat=True))


def _decision_row(row, held_on: datetime.date, opd: dict, areas: dict) -> dict:
    text, field_value, party, days, _steps = row
    deadline = dates.add_months(dates.this_month(), 2) if days is None else held_on + datetime.timedelta(days=days)
    return {
        "text": text,
        "field": field_value,
        "opd": opd.get(party),
        "wilayah_pj": areas.get(party),
        "responsible": "" if party in opd or party in areas else party,
        "deadline": deadline,
    }


MONTHS_PER_REFRESH = 4


def _rollup(*, built_posyandu: set[int], progress) -> DemoResult:
    started = time.perf_counter()
    first = HariBuka.objects.order_by("reporting_month").values_list("reporting_month", flat=True).first()
    if first is None or not rekap.enabled():
        return DemoResult(0, 0.0)
    months = ind.Period(first, dates.this_month()).months
    held = set(RekapBulan.objects.filter(month__in=months).values_list("month", flat=True))
    if not built_posyandu and held.issuperset(months):
        return DemoResult(0, 0.0)
    # Months computed whole: for the rest of Takalar after a quick demo, marking its 426 posyandu stale in
    # the months held took 417 s to refresh, the 13 months whole 74 s (same loaded 2-core machine).
    if built_posyandu:
        RekapBulan.objects.filter(month__in=months).delete()
    analyze_app_tables()  # the records were just loaded: plans for them, not for the empty tables
    bar = (progress or Silent()).step("Rekap bulanan", len(months), unit="bulan")
    # A few months per refresh: each source's query is built once per call and the 12-month sums are
    # written once per call, while the bar still moves every few seconds on a full run.
    for start in range(0, len(months), MONTHS_PER_REFRESH):
        chunk = months[start : start + MONTHS_PER_REFRESH]
        rekap.refresh(chunk)
        bar.advance(len(chunk))
    bar.finish()
    return DemoResult(len(months), time.perf_counter() - started)


def summary_lines(result: DemoResult) -> list[str]:
    lines = []
    if result.reports:
        statuses = ", ".join(
            f"{result.reports[status]} {label.lower()}" for status, label in LaporanBulanan.Status.choices
        )
        lines.append(f"Laporan bulanan posyandu akun pengurus: {statuses}.")
    if result.decisions:
        statuses = ", ".join(
            f"{result.decisions[status]} {label.lower()}" for status, label in KeputusanRakor.Status.choices
        )
        lines.append(f"Rakor bulan lalu: keputusan untuk Dinas Sosial (akun opd_sosial): {statuses}.")
    if not result.months:
        return [*lines, "Rekap bulanan: sudah lengkap, tidak dihitung ulang."]
    return [*lines, f"Rekap bulanan: {result.months} bulan dihitung dalam {result.seconds:.1f} detik."]
