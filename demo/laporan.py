"""The demo's part of the reporting app: monthly reports in every status, and the monthly rollup of
what the other demo modules just loaded.

The demo pengurus's posyandu gets a report for each of the last twelve months, taken through the
lifecycle by the demo logins with the app's own service (``laporan.services.laporan_act``): the older
months approved (so locked: the month lock shows), then one returned with a comment, one verified, one
submitted and last month's still a draft. Only on the real demo kabupaten, once.

The demo writes in bulk (no model signals), so the months are computed here, whole, after a run that
filled any posyandu (a quick demo, then the rest of the kabupaten). A second ``demo_load`` that filled
nothing computes nothing."""

import time
from collections import Counter
from dataclasses import dataclass, field

from demo.progress import Silent
from laporan import indicators as ind
from laporan import rekap
from laporan.models import LaporanBulanan, RekapBulan
from laporan.services import laporan_act, laporan_get_or_create
from layanan.models import HariBuka
from posyandu import dates
from posyandu.models import User

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


@dataclass
class DemoResult:
    months: int
    seconds: float
    reports: Counter = field(default_factory=Counter)


def build(*, built_posyandu: set[int] = frozenset(), synthetic_posyandu=None, progress=None, **options) -> DemoResult:
    started = time.perf_counter()
    reports = Counter() if synthetic_posyandu else _reports()
    result = _rollup(built_posyandu=built_posyandu, progress=progress)
    result.reports = reports
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
    bar = (progress or Silent()).step("Rekap bulanan", len(months), unit="bulan")
    for month in months:
        rekap.refresh([month])
        bar.advance()
    bar.finish()
    return DemoResult(len(months), time.perf_counter() - started)


def summary_lines(result: DemoResult) -> list[str]:
    lines = []
    if result.reports:
        statuses = ", ".join(
            f"{result.reports[status]} {label.lower()}" for status, label in LaporanBulanan.Status.choices
        )
        lines.append(f"Laporan bulanan posyandu akun pengurus: {statuses}.")
    if not result.months:
        return [*lines, "Rekap bulanan: sudah lengkap, tidak dihitung ulang."]
    return [*lines, f"Rekap bulanan: {result.months} bulan dihitung dalam {result.seconds:.1f} detik."]
