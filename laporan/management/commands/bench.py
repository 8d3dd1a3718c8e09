"""The kabupaten-scale benchmark: timings, query counts and the SQL floor, printed and saved as JSON."""

import datetime
import json
import statistics
import time
from decimal import Decimal

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from laporan import indicators as ind
from laporan import rekap, selectors
from layanan import services as health
from layanan.models import HariBuka, Kunjungan
from posyandu import services as people
from posyandu.demo import SYNTHETIC_KABUPATEN
from posyandu.models import Posyandu, Role, User, Warga, Wilayah

# Printed names of the rows; the same pages are timed reading the monthly rollup (the default,
# settings.LAPORAN_REKAP) and computed live from the records, so both ways are measured.
LABELS = {
    "dashboard_kabupaten": "kabupaten dashboard (rekap)",
    "dashboard_kabupaten_live": "kabupaten dashboard (live)",
    "dashboard_kecamatan": "kecamatan dashboard (rekap)",
    "dashboard_kecamatan_live": "kecamatan dashboard (live)",
    "opening_day_page": "opening-day page",
    "entry_post": "entry POST (rekap marks)",
    "entry_post_live": "entry POST (live, no marks)",
    "rakor_pdf": "rakor PDF (rekap)",
    "rakor_pdf_live": "rakor PDF (live)",
    "excel_indikator": "Excel indikator (rekap)",
}

# The numbers of the kabupaten dashboard's summary (D/S, N/D, stunting per kecamatan), in one query:
# the floor the ORM-built dashboard is compared with.
FLOOR_SQL = """
WITH visits AS (
    SELECT substring(p.desa_id, 1, 8) AS kecamatan, k.warga_id, k.growth_code, k.z_lhfa, k.weight_kg
    FROM layanan_kunjungan k JOIN posyandu_posyandu p ON p.id = k.posyandu_id
    WHERE k.stage = 'balita' AND k.reporting_month = %(month)s AND p.desa_id LIKE %(prefix)s
), registered AS (
    SELECT substring(p.desa_id, 1, 8) AS kecamatan, count(*) AS s
    FROM posyandu_warga w JOIN posyandu_posyandu p ON p.id = w.posyandu_id
    WHERE w.birth_date > %(born_after)s AND w.birth_date <= %(last_day)s AND w.status = 'aktif'
      AND p.desa_id LIKE %(prefix)s
    GROUP BY 1
)
SELECT r.kecamatan, r.s,
       count(DISTINCT v.warga_id) FILTER (WHERE v.weight_kg IS NOT NULL) AS d,
       count(DISTINCT v.warga_id) FILTER (WHERE v.growth_code = 'N') AS n,
       count(DISTINCT v.warga_id) FILTER (WHERE v.growth_code IN ('N', 'T')) AS nt,
       count(DISTINCT v.warga_id) FILTER (WHERE v.z_lhfa < -2) AS stunted,
       count(DISTINCT v.warga_id) FILTER (WHERE v.z_lhfa IS NOT NULL) AS measured
FROM registered r LEFT JOIN visits v ON v.kecamatan = r.kecamatan
GROUP BY r.kecamatan, r.s
"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


class Command(BaseCommand):
    help = (
        "Benchmark at kabupaten scale (run by `make bench`, in its own database). Seeds the synthetic "
        "kabupaten 99.01 with --posyandu posyandu (reused when present), then times the kabupaten and "
        "kecamatan dashboards, an opening-day page, a kader's balita entry POST, the rakor PDF and an Excel "
        "export: p50/p95 over --runs runs after a warm-up, the queries of one run, and for the dashboard the "
        "ratio to one hand-written SQL query of the same numbers (the floor). Prints a table and writes "
        "var/bench/bench-<time>.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("--posyandu", type=int, default=1000)
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument(
            "--live", action="store_true", help="Also time the pages computed live (without the monthly rollup)."
        )

    def handle(self, *args, posyandu, runs, live, **options):
        seed_started = time.monotonic()
        if not Posyandu.objects.filter(desa__code__startswith=SYNTHETIC_KABUPATEN + ".").exists():
            call_command("demo_load", "--synthetic-posyandu", str(posyandu), stdout=self.stdout)
        seed_seconds = time.monotonic() - seed_started
        kabupaten = Wilayah.objects.get(code=SYNTHETIC_KABUPATEN)
        kecamatan = Wilayah.objects.filter(parent=kabupaten).order_by("code").first()
        month = selectors.default_month()
        scale = {
            "posyandu": Posyandu.objects.filter(desa__code__startswith=SYNTHETIC_KABUPATEN + ".").count(),
            "warga": Warga.objects.count(),
            "kunjungan": Kunjungan.objects.count(),
            "seed_seconds": round(seed_seconds, 1),
        }
        self.stdout.write(f"Skala: {scale}")

        team = self._user("bench_kabupaten", Role.PEMBINA_KABUPATEN, wilayah=kabupaten)
        kecamatan_team = self._user("bench_kecamatan", Role.PEMBINA_KECAMATAN, wilayah=kecamatan)
        unit = Posyandu.objects.filter(desa__code__startswith=kecamatan.code + ".").order_by("pk").first()
        kader = self._user("bench_kader", Role.KADER, posyandu=unit, field="kesehatan")
        today = timezone.localdate()
        day = HariBuka.objects.filter(posyandu=unit, date=today).first() or health.hari_buka_open(
            posyandu=unit, date=today, user=kader
        )
        born_after = today.replace(year=today.year - 5)
        children = list(
            Warga.objects.filter(posyandu=unit, birth_date__gt=born_after, status=Warga.Status.AKTIF)
            .exclude(kunjungan_set__reporting_month=day.reporting_month)
            .order_by("pk")[: 2 * (runs + 5)]
        )
        live_children, children = children[: len(children) // 2], children[len(children) // 2 :]

        results = {}
        period = f"periode={month:%Y-%m}"
        kabupaten_url = f"/laporan/?{period}"
        kecamatan_url = f"/laporan/?wilayah={kecamatan.code}&{period}"
        rakor_url = f"/laporan/rakor.pdf?{period}"
        rakor_runs = max(3, runs // 5)
        refresh_started = time.perf_counter()
        rekap.refresh(ind.Period(ind.add_months(month, -11), month).months)  # the trend's months held
        scale["rekap_refresh_seconds"] = round(time.perf_counter() - refresh_started, 1)
        if not connection.in_atomic_block:  # (a test runs the benchmark inside its transaction)
            # The steady state the autovacuum settings of the rollup keep (laporan migration 0005):
            # right after the bulk seed its pages are not yet all-visible and index-only scans fetch
            # heap pages.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE laporan_rekapbulanan")
                cursor.execute("VACUUM ANALYZE laporan_rekapkecamatan")
        if live:  # minutes per request at 1,000 posyandu: only when asked (--live)
            live_runs = max(3, runs // 4)
            with override_settings(LAPORAN_REKAP=False):
                results["dashboard_kabupaten_live"] = self._time(team, kabupaten_url, live_runs)
                results["dashboard_kecamatan_live"] = self._time(kecamatan_team, kecamatan_url, live_runs)
                results["rakor_pdf_live"] = self._time(team, rakor_url, rakor_runs, memory=True)
                results["entry_post_live"] = self._time_posts(kader, day, live_children)
            rekap.mark([unit.pk], day.reporting_month)  # the live POSTs wrote without marking
        results["dashboard_kabupaten"] = self._time(team, kabupaten_url, runs)
        results["dashboard_kecamatan"] = self._time(kecamatan_team, kecamatan_url, runs)
        results["opening_day_page"] = self._time(kader, day.get_absolute_url(), runs)
        results["entry_post"] = self._time_posts(kader, day, children)
        results["rakor_pdf"] = self._time(team, rakor_url, rakor_runs, memory=True)
        results["excel_indikator"] = self._time(team, f"/laporan/indikator.xlsx?{period}", max(3, runs // 4))
        floor = self._floor(kabupaten, month, runs)
        for name in ("dashboard_kabupaten", "dashboard_kabupaten_live"):
            if name not in results:
                continue
            results[name]["floor_p50_ms"] = floor
            results[name]["ratio_to_floor"] = round(results[name]["p50_ms"] / floor, 1)

        self.stdout.write(f"\n{'halaman':<32}{'p50 ms':>10}{'p95 ms':>10}{'kueri':>8}  catatan")
        for name in [name for name in LABELS if name in results]:
            row = results[name]
            note = f"{row['ratio_to_floor']}× lantai SQL ({row['floor_p50_ms']} ms)" if "ratio_to_floor" in row else ""
            if "peak_mb" in row:
                note = f"puncak memori {row['peak_mb']} MB"
            self.stdout.write(f"{LABELS[name]:<32}{row['p50_ms']:>10}{row['p95_ms']:>10}{row['queries']:>8}  {note}")
        out = settings.VAR_DIR / "bench"
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"bench-{datetime.datetime.now():%Y%m%d-%H%M%S}.json"
        path.write_text(json.dumps({"scale": scale, "results": results}, indent=2))
        self.stdout.write(f"\nTersimpan: {path}")

    def _user(self, username, role, **scope):
        user = User.objects.filter(username=username).first()
        return user or people.user_create(username=username, password="bench-" + username, role=role, **scope)

    def _client(self, user) -> Client:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        return client

    def _time(self, user, url, runs, memory=False) -> dict:
        client = self._client(user)
        for _ in range(2):
            assert client.get(url).status_code == 200, url
        connection.queries_log.clear()  # a full log (over 9,000 queries) would make the capture empty
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        count = len(queries)
        assert response.status_code == 200, (url, response.status_code)
        timings, peak = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        if memory:
            import resource

            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        row = {"p50_ms": round(statistics.median(timings)), "p95_ms": round(_percentile(timings, 0.95)),
               "queries": count, "runs": runs}  # fmt: skip
        if memory:
            row["peak_mb"] = peak
        return row

    def _time_posts(self, user, day, children) -> dict:
        client = self._client(user)
        timings, counts = [], []
        for index, child in enumerate(children):
            url = f"/kesehatan/hari-buka/{day.pk}/catat/{child.pk}/"
            data = {"weight_kg": str(Decimal("9.5") + Decimal(index % 10) / 10), "height_cm": "80"}
            connection.queries_log.clear()
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                client.post(url, data, HTTP_HX_REQUEST="true")
            timings.append((time.perf_counter() - started) * 1000)
            counts.append(len(queries))
        timings, counts = timings[2:], counts[2:]  # the first two warm up
        return {"p50_ms": round(statistics.median(timings)), "p95_ms": round(_percentile(timings, 0.95)),
                "queries": max(counts), "runs": len(timings)}  # fmt: skip

    def _floor(self, kabupaten, month, runs) -> float:
        period = ind.Period.month(month)
        params = {
            "month": month,
            "prefix": kabupaten.code + ".%",
            "last_day": period.last_day,
            "born_after": period.last_day.replace(year=period.last_day.year - 5),
        }
        timings = []
        with connection.cursor() as cursor:
            for _ in range(runs + 2):
                started = time.perf_counter()
                cursor.execute(FLOOR_SQL, params)
                cursor.fetchall()
                timings.append((time.perf_counter() - started) * 1000)
        return round(statistics.median(timings[2:]), 1)
