"""`make bench` at toy scale: the benchmark seeds, times every page and writes its JSON; the load
run's accounts are prepared. (The timings themselves belong to `make bench`, never to a test.)"""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection

from demo.management.commands import bench
from demo.posyandu import SYNTHETIC_KABUPATEN
from laporan import selectors
from posyandu.models import Keluarga, Warga, Wilayah

pytestmark = pytest.mark.rekap


def test_the_benchmark_runs_end_to_end_and_writes_its_table(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    out = io.StringIO()
    # A kader import of 20 rows, not a full sheet's (4 s): its query count, checked below, is the same at any size.
    call_command("bench", "--posyandu", "3", "--runs", "1", "--import-rows", "20", stdout=out)
    printed = out.getvalue()
    for row in ("kabupaten dashboard (rekap)", "opening-day page", "entry POST", "rakor PDF", "Excel indikator"):
        assert row in printed
    saved = json.loads(next((tmp_path / "bench").glob("bench-*.json")).read_text())
    assert saved["scale"]["posyandu"] == 3 and saved["results"]["dashboard_kabupaten"]["queries"] > 0
    assert saved["results"]["dashboard_kabupaten"]["ratio_to_floor"] > 0
    # The query counts measured at 1,000 posyandu (bench.QUERIES) hold at 3: they do not grow with scale.
    counted = {name: saved["results"][name]["queries"] for name in bench.QUERIES}
    differ = {
        name: (queries, bench.QUERIES[name])
        for name, queries in counted.items()
        if (queries > bench.QUERIES[name] if name in bench.QUERIES_AT_MOST else queries != bench.QUERIES[name])
    }
    assert not differ, f"(measured, expected) per page: {differ}"
    assert saved["results"]["rakor_pdf"]["peak_mb"] >= saved["results"]["rakor_pdf"]["rss_before_mb"] > 0
    # The registers at kabupaten scope, streamed: every person and household of the kabupaten, plus the header.
    assert "Excel register warga" in printed and "Excel register keluarga" in printed
    downloads = saved["downloads"]
    people = Warga.objects.filter(posyandu__desa__code__startswith=SYNTHETIC_KABUPATEN + ".").count()
    households = Keluarga.objects.filter(posyandu__desa__code__startswith=SYNTHETIC_KABUPATEN + ".").count()
    assert (downloads["excel_warga"]["rows"], downloads["excel_keluarga"]["rows"]) == (people + 1, households + 1)
    for row in downloads.values():
        assert row["streamed"] and 0 < row["first_byte_ms"] <= row["total_ms"] and row["peak_mb"] > 0

    # Both floors compute the same numbers: from the records and from the rollup.
    for row in ("dashboard_kabupaten", "dashboard_kecamatan"):
        assert saved["results"][row]["floor_p50_ms"] > 0 and saved["results"][row]["rekap_floor_p50_ms"] > 0
    kabupaten = Wilayah.objects.get(code=SYNTHETIC_KABUPATEN)
    kecamatan = Wilayah.objects.filter(parent=kabupaten).order_by("code").first()
    month = selectors.default_month()
    for area in (kabupaten, kecamatan):
        params = bench.floor_params(area, month)
        with connection.cursor() as cursor:
            cursor.execute(bench.FLOOR_SQL, params)
            live = sorted(cursor.fetchall())
            cursor.execute(bench.FLOOR_REKAP_SQL[area.level], params)
            rolled = sorted(tuple(value or 0 for value in row) for row in cursor.fetchall())
        assert live == rolled and sum(row[2] for row in live) > 0, area  # D > 0: a real month

    call_command("bench_load_prepare", "--kader", "2", stdout=io.StringIO())
    accounts = json.loads((tmp_path / "bench" / "load-users.json").read_text())
    assert len(accounts) == 2 and accounts[0]["day_url"].startswith("/kesehatan/hari-buka/")
    assert all(3 <= child["weight"] <= 18 for child in accounts[0]["children"])  # WHO medians, 0–59 months
