import itertools
import json

from django.conf import settings
from django.core.management.base import BaseCommand

from demo.posyandu import SYNTHETIC_KABUPATEN
from layanan import services as health
from layanan.models import HariBuka, Imunisasi, Kunjungan, Rujukan
from posyandu import dates
from posyandu import services as people
from posyandu.models import Posyandu, Role, User, Warga

# Rough WHO median weights (kg) by age in months, so the simulated weighings are plausible.
MEDIAN_KG = [(0, 3.3), (6, 7.6), (12, 9.4), (24, 12.0), (36, 14.0), (48, 16.0), (60, 18.0)]


def median_weight(months: int) -> float:
    for (m0, w0), (m1, w1) in itertools.pairwise(MEDIAN_KG):
        if months <= m1:
            return round(w0 + (w1 - w0) * (months - m0) / (m1 - m0), 1)
    return MEDIAN_KG[-1][1]


class Command(BaseCommand):
    help = (
        "Part of `make bench`: N kader accounts of the synthetic kabupaten, each with today's opening day "
        "and the balita not yet weighed this month, written to var/bench/load-users.json for the locust run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--kader", type=int, default=30)

    def handle(self, *args, kader, **options):
        today = dates.today()
        units = list(
            Posyandu.objects.filter(
                desa__code__startswith=SYNTHETIC_KABUPATEN + ".", status=Posyandu.Status.AKTIF
            ).order_by("pk")[:kader]
        )
        accounts = []
        for index, unit in enumerate(units):
            username, password = f"bench_load_{index}", f"bench-load-{index}-password"
            user = User.objects.filter(username=username).first() or people.user_create(
                username=username, password=password, role=Role.KADER, posyandu=unit, field="kesehatan"
            )
            day = HariBuka.objects.filter(posyandu=unit, date=today).first() or health.hari_buka_open(
                posyandu=unit, date=today, user=user
            )
            # Every run weighs the same children: today's entries of earlier runs (and of the benchmark's
            # entry POSTs) are taken back, so the mix of entries and page views does not drift run by run.
            earlier = Kunjungan.objects.filter(hari_buka=day)
            Imunisasi.objects.filter(kunjungan__in=earlier).delete()
            Rujukan.objects.filter(kunjungan__in=earlier).delete()
            for visit in earlier:
                visit.delete()  # one by one: each marks the rollup stale, as a kader's correction would
            children = (
                Warga.objects.filter(
                    posyandu=unit, status=Warga.Status.AKTIF, birth_date__gt=dates.add_years(today, -5)
                )
                .exclude(kunjungan_set__reporting_month=day.reporting_month)
                .order_by("pk")
                .values_list("pk", "birth_date")
            )
            accounts.append(
                {
                    "username": username,
                    "password": password,
                    "day_url": day.get_absolute_url(),
                    "children": [
                        {"pk": pk, "weight": median_weight(dates.months_between(born, today))} for pk, born in children
                    ],
                }
            )
        out = settings.VAR_DIR / "bench"
        out.mkdir(parents=True, exist_ok=True)
        (out / "load-users.json").write_text(json.dumps(accounts, indent=1))
        total = sum(len(a["children"]) for a in accounts)
        self.stdout.write(f"{len(accounts)} akun kader untuk uji beban, {total} balita belum ditimbang bulan ini.")
