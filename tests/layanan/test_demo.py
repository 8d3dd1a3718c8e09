"""The demo year of health data looks like a real kabupaten (domain.md §3, SSGI 2022)."""

from io import StringIO

from django.core.management import call_command
from django.db.models import Count, Q

from layanan.models import HariBuka, Imunisasi, Kunjungan
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
    registered = Warga.objects.filter(
        posyandu=opening.posyandu, birth_date__gt=opening.date.replace(year=opening.date.year - 5)
    )
    assert 0 < opening.n < registered.count()
    assert {LifeStage.IBU_HAMIL, LifeStage.REMAJA, LifeStage.USIA_PRODUKTIF, LifeStage.LANSIA} <= set(
        Kunjungan.objects.values_list("stage", flat=True).distinct()
    )
    # immunisation: most children have doses, some have gaps
    doses = Imunisasi.objects.values("warga").annotate(n=Count("pk"))
    per_child = sorted(row["n"] for row in doses)
    assert per_child and per_child[0] < per_child[-1]
