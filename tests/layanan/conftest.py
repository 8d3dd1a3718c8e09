"""People and opening days for the health tests, built through the real services."""

import datetime

import pytest

from layanan import services
from posyandu.models import Sex, Warga


def person(posyandu, name, *, sex=Sex.PEREMPUAN, birth_date=datetime.date(2025, 3, 15), **extra) -> Warga:
    warga = Warga(posyandu=posyandu, name=name, sex=sex, birth_date=birth_date, **extra)
    warga.full_clean()
    warga.save()
    return warga


@pytest.fixture
def opening(world):
    """Posyandu A opened on 10 March 2026 for March, by its kader."""

    def _open(date=datetime.date(2026, 3, 10), posyandu=None, reporting_month=None):
        return services.hari_buka_open(
            posyandu=posyandu or world.posyandu_a,
            date=date,
            reporting_month=reporting_month,
            user=world.users["kader_a"],
        )

    return _open
