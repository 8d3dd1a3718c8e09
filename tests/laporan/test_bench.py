"""`make bench` at toy scale: the benchmark seeds, times every page and writes its JSON; the load
run's accounts are prepared. (The timings themselves belong to `make bench`, never to a test.)"""

import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.rekap


def test_the_benchmark_runs_end_to_end_and_writes_its_table(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    out = io.StringIO()
    call_command("bench", "--posyandu", "3", "--runs", "1", stdout=out)
    printed = out.getvalue()
    for row in ("kabupaten dashboard (rekap)", "opening-day page", "entry POST", "rakor PDF", "Excel indikator"):
        assert row in printed
    saved = json.loads(next((tmp_path / "bench").glob("bench-*.json")).read_text())
    assert saved["scale"]["posyandu"] == 3 and saved["results"]["dashboard_kabupaten"]["queries"] > 0
    assert saved["results"]["dashboard_kabupaten"]["ratio_to_floor"] > 0

    call_command("bench_load_prepare", "--kader", "2", stdout=io.StringIO())
    accounts = json.loads((tmp_path / "bench" / "load-users.json").read_text())
    assert len(accounts) == 2 and accounts[0]["day_url"].startswith("/kesehatan/hari-buka/")
    assert all(3 <= child["weight"] <= 18 for child in accounts[0]["children"])  # WHO medians, 0–59 months
