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


@pytest.fixture
def bidang_kader(world):
    """A kader of each of the five other fields at posyandu A (kader_a is of kesehatan)."""
    from posyandu import services as posyandu_services
    from posyandu.models import Role, SpmField
    from tests.conftest import PASSWORD

    return {
        field: posyandu_services.user_create(
            username=f"kader_{field}",
            password=PASSWORD,
            role=Role.KADER,
            posyandu=world.posyandu_a,
            field=field,
            first_name=f"Kader {field}",
        )
        for field in (
            SpmField.PENDIDIKAN,
            SpmField.SOSIAL,
            SpmField.PERUMAHAN_RAKYAT,
            SpmField.PEKERJAAN_UMUM,
            SpmField.TRANTIBUM_LINMAS,
        )
    }
