import datetime

import pytest

from kader import services
from kader.models import Kompetensi, Pelatihan


def make_kader(posyandu, name="Sitti Aminah", field="kesehatan", **extra):
    extra.setdefault("start_date", datetime.date(2016, 1, 4))
    return services.kader_register(posyandu=posyandu, name=name, field=field, **extra)


def make_pelatihan(wilayah, level=Pelatihan.OrganiserLevel.KECAMATAN, field="sosial", **extra):
    data = {
        "title": "Bimtek kader sosial",
        "organiser_opd": "Dinas Sosial",
        "start_date": datetime.date(2026, 6, 10),
        "end_date": datetime.date(2026, 6, 11),
        "hours": 16,
    }
    data.update(extra)
    return services.pelatihan_create(organiser_level=level, field=field, wilayah=wilayah, **data)


def pass_groups(kader, codes, *, on=datetime.date(2026, 5, 2)):
    """Record lulus for every competency of the groups with these codes."""
    results = dict.fromkeys(Kompetensi.objects.filter(group__code__in=codes), "lulus")
    return services.penilaian_record(kader=kader, assessed_on=on, assessor="Bidan Puskesmas", results=results)


@pytest.fixture
def kader_a(world):
    return make_kader(world.posyandu_a, user=world.users["kader_a"])
