"""The demo year of health data looks like a real kabupaten (domain.md §3, SSGI 2022)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q

from layanan.models import HariBuka, Imunisasi, Kunjungan
from posyandu import dates
from posyandu.models import LifeStage, Warga


def test_the_demo_year_has_realistic_stunting_growth_codes_absences_and_gaps_in_immunisation(db):
    call_command("demo_load", "--synthetic-posyandu", "6", stdout=StringIO())
    balita = Kunjungan.objects.filter(stage=LifeStage.BALITA)
    latest = balita.filter(reporting_month=balita.order_by("-reporting_month").values("reporting_month")[:1])
    counts = latest.aggregate(
        measured=Count("pk", filter=Q(z_lhfa__isnull=False)),
        stunted=Count("pk", filter=Q(z_lhfa__lt=-2)),
    )
    assert 0.12 <= counts["stunted"] / counts["measured"] <= 0.32  # ≈ 20 % stunting
    codes = dict(balita.values_list("growth_code").annotate(n=Count("pk")))
    weighed = sum(codes.values())
    assert {"N", "T", "O", "B"} <= set(codes)
    assert 0.1 <= codes["T"] / weighed <= 0.5
    assert balita.filter(two_t=True).exists()
    assert balita.filter(kind=Kunjungan.Kind.RUMAH).exists()  # home visits for some who missed the day

    # absences: on an opening day, not every balita of the posyandu was weighed
    opening = HariBuka.objects.annotate(n=Count("kunjungan", filter=Q(kunjungan__stage=LifeStage.BALITA))).first()
    registered = Warga.objects.filter(posyandu=opening.posyandu, birth_date__gt=dates.add_years(opening.date, -5))
    assert 0 < opening.n < registered.count()
    assert {LifeStage.IBU_HAMIL, LifeStage.REMAJA, LifeStage.USIA_PRODUKTIF, LifeStage.LANSIA} <= set(
        Kunjungan.objects.values_list("stage", flat=True).distinct()
    )
    # immunisation: most children have doses, some have gaps
    doses = Imunisasi.objects.values("warga").annotate(n=Count("pk"))
    per_child = sorted(row["n"] for row in doses)
    assert per_child and per_child[0] < per_child[-1]


class _Undo(Exception):
    """Rolls a demo back so the next one builds afresh."""


def test_the_demo_year_is_the_same_when_worker_processes_generate_it(db, monkeypatch):
    """Large demos generate posyandu years in forked workers; the data must not depend on it."""
    import os

    if (os.cpu_count() or 1) < 2:
        pytest.skip("one core: the demo never uses worker processes here")

    from django.db import transaction

    from demo import kesehatan as demo

    generate, write = demo._Year.generate, demo._write

    def generate_marked(year):  # the workers are forked: they run this too
        generate(year)
        year.generated_in = os.getpid()

    def build(*, parallel: bool):
        processes = set()

        def write_recorded(years, tables, result):
            processes.update(year.generated_in for year in years)
            write(years, tables, result)

        monkeypatch.setattr(demo, "PARALLEL_FROM_POSYANDU", 0 if parallel else 10**9)
        monkeypatch.setattr(demo, "CHUNK_POSYANDU", 2)  # three chunks for six posyandu
        monkeypatch.setattr(demo._Year, "generate", generate_marked)
        monkeypatch.setattr(demo, "_write", write_recorded)
        try:
            with transaction.atomic():
                call_command("demo_load", "--synthetic-posyandu", "6", "--people-per-posyandu", "40", stdout=StringIO())
                visits = sorted(
                    Kunjungan.objects.values_list(
                        "warga__name", "warga__birth_date", "visit_date", "stage", "weight_kg", "z_lhfa", "growth_code"
                    ),
                    key=repr,  # None beside numbers
                )
                doses = sorted(Imunisasi.objects.values_list("warga__name", "antigen", "given_on"))
                raise _Undo
        except _Undo:
            return visits, doses, processes

    serial_visits, serial_doses, serial_processes = build(parallel=False)
    parallel_visits, parallel_doses, parallel_processes = build(parallel=True)
    assert serial_processes == {os.getpid()}
    assert parallel_processes and os.getpid() not in parallel_processes  # really generated elsewhere
    assert len(serial_visits) > 500
    assert parallel_visits == serial_visits
    assert parallel_doses == serial_doses
