"""A hand-built month for the reporting tests: five balita of posyandu A in March 2026.

=====  ===  ==========  ============================  =========  ====================
name   sex  born        weighed                       March      length/height (cm)
=====  ===  ==========  ============================  =========  ====================
Ani    P    2025-03-15  Feb 8,0 · Mar 8,5 (+ home)    N          64,0 → stunted (< −3)
Budi   L    2024-03-10  Feb 11,0 · Mar 11,0           T          87,0 → normal
Citra  P    2025-09-01  Mar 6,0 (first time)          B          58,0 → stunted (< −3)
Dodi   L    2023-03-01  Jan 13,5 · Mar 14,0           O          96,0 → normal
Eka    P    2024-09-01  never; no Buku KIA            —          —
=====  ===  ==========  ============================  =========  ====================

So for March: S = 5, K = 4, D = 4 (Ani counted once though visited twice), N = 1, T = 1, O = 1, B = 1;
N/D = 1 / (4 − 1 − 1) = 50 % (B and O left out), D/S = 80 %, K/S = 80 %, D/K = 100 %, N/S = 20 %;
stunting = 2 of 4 measured = 50 %. Posyandu B (another kecamatan) has one more child weighed in March.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.test.utils import override_settings

from layanan import services
from posyandu.models import Sex
from tests import snapshot
from tests.layanan.conftest import person

MARCH = datetime.date(2026, 3, 1)


@pytest.fixture(scope="session")
def _march_snapshot(_world_snapshot, django_db_blocker) -> snapshot.Snapshot:
    """The month built once per session (per xdist worker) on top of the cast, through the real services,
    and copied into each test that asks for it (``tests/snapshot.py``). Built without the rollup's marks:
    no month is held when a test starts, so its first read computes every month it shows from the rows."""
    with override_settings(LAPORAN_REKAP=False):
        return snapshot.for_session(django_db_blocker, _build_march, _world_snapshot)


@pytest.fixture
def march(world, _march_snapshot):
    """The opening days of January, February and March at posyandu A (``{month: HariBuka}``)."""
    return _march_snapshot.restore()


def _build_march(world):
    kader = world.users["kader_a"]
    days = {
        month: services.hari_buka_open(posyandu=world.posyandu_a, date=datetime.date(2026, month, 10), user=kader)
        for month in (1, 2, 3)
    }

    def visit(warga, month, kg, cm=None):
        values = {"weight_kg": D(kg)}
        if cm:
            values["height_cm"] = D(cm)
        return services.kunjungan_record(warga=warga, user=kader, hari_buka=days[month], values=values,
                                         confirm_implausible=True)  # fmt: skip

    ani = person(world.posyandu_a, "Ani", sex=Sex.PEREMPUAN, birth_date=datetime.date(2025, 3, 15))
    budi = person(world.posyandu_a, "Budi", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2024, 3, 10))
    citra = person(world.posyandu_a, "Citra", sex=Sex.PEREMPUAN, birth_date=datetime.date(2025, 9, 1))
    dodi = person(world.posyandu_a, "Dodi", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2023, 3, 1))
    person(world.posyandu_a, "Eka", sex=Sex.PEREMPUAN, birth_date=datetime.date(2024, 9, 1), has_buku_kia=False)
    visit(ani, 2, "8.0")
    visit(ani, 3, "8.5", "64.0")
    services.kunjungan_record(
        warga=ani, user=kader, visit_date=datetime.date(2026, 3, 20), values={"weight_kg": D("8.6")}
    )
    visit(budi, 2, "11.0")
    visit(budi, 3, "11.0", "87.0")
    visit(citra, 3, "6.0", "58.0")
    visit(dodi, 1, "13.5")
    visit(dodi, 3, "14.0", "96.0")

    other = person(world.posyandu_b, "Fajar", sex=Sex.LAKI_LAKI, birth_date=datetime.date(2025, 1, 5))
    day_b = services.hari_buka_open(
        posyandu=world.posyandu_b, date=datetime.date(2026, 3, 12), user=world.users["admin"]
    )
    services.kunjungan_record(warga=other, user=world.users["admin"], hari_buka=day_b, values={"weight_kg": D("9.5")})
    return days
