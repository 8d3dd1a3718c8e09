"""The demo's part of the reporting app: the monthly rollup of what the other apps just loaded.

The demo writes in bulk (no model signals), so the months it filled are computed here, once; a
second ``demo_load`` finds them held and computes nothing."""

import time
from dataclasses import dataclass

from laporan import indicators as ind
from laporan import rekap
from laporan.models import RekapBulan
from layanan.models import HariBuka
from posyandu import dates


@dataclass
class DemoResult:
    months: int
    seconds: float


def build(**options) -> DemoResult:
    started = time.perf_counter()
    first = HariBuka.objects.order_by("reporting_month").values_list("reporting_month", flat=True).first()
    if first is None or not rekap.enabled():
        return DemoResult(0, 0.0)
    months = ind.Period(first, dates.this_month()).months
    missing = [month for month in months if not RekapBulan.objects.filter(month=month).exists()]
    rekap.refresh(missing)
    return DemoResult(len(missing), time.perf_counter() - started)


def summary_lines(result: DemoResult) -> list[str]:
    if not result.months:
        return ["Rekap bulanan: sudah lengkap, tidak dihitung ulang."]
    return [f"Rekap bulanan: {result.months} bulan dihitung dalam {result.seconds:.1f} detik."]
