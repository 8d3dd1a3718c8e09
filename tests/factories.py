"""Factories for test data. Writes go through the real services where one exists."""

import datetime

import factory
from django.conf import settings
from django.test import Client

from posyandu import services
from posyandu.models import Posyandu, Wilayah

PASSWORD = "rahasia-uji-123"  # every test user's password (tests/conftest.py makes the cast with it)


class WilayahFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Wilayah
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Wilayah {n}")


def session_key(user) -> str:
    """A signed-in session of ``user``, made as ``force_login`` makes one (the login form's POST too):
    its key, for a cookie."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def area(code: str, name: str | None = None) -> Wilayah:
    """The area with this code and all its ancestors (levels follow from the code's shape)."""
    parts = code.split(".")
    parent = area(".".join(parts[:-1])) if len(parts) > 1 else None
    return WilayahFactory(code=code, level=len(parts), parent=parent, name=name or f"Wilayah {code}")


def posyandu(*, desa: Wilayah, name: str = "Posyandu Mawar", **extra) -> Posyandu:
    data = {"schedule_kind": Posyandu.Schedule.DATE, "schedule_day": 10}
    data.update(extra)
    return services.posyandu_create(name=name, desa=desa, **data)


def full_pengurus(p: Posyandu, start: datetime.date = datetime.date(2025, 1, 1)):
    from posyandu.models import Pengurus, SpmField

    rows = [
        services.pengurus_appoint(posyandu=p, position=pos, name=f"{pos} {p.name}", term_start=start)
        for pos in (Pengurus.Position.KETUA, Pengurus.Position.SEKRETARIS, Pengurus.Position.BENDAHARA)
    ]
    rows += [
        services.pengurus_appoint(
            posyandu=p, position=Pengurus.Position.KETUA_BIDANG, field=f, name=f"Ketua {f} {p.name}", term_start=start
        )
        for f in SpmField.values
    ]
    return rows


def nik(*, kecamatan: str, birth_date: datetime.date, sex: str, serial: int = 1) -> str:
    """A well-formed NIK: kecamatan code, birth date (day + 40 for women), serial."""
    from posyandu.models import Sex

    day = birth_date.day + (40 if sex == Sex.PEREMPUAN else 0)
    return f"{kecamatan.replace('.', '')}{day:02d}{birth_date:%m%y}{serial:04d}"


def keluarga(*, posyandu: Posyandu, head_name: str = "Ahmad Daeng Sibali", **extra):
    return services.keluarga_create(posyandu=posyandu, head_name=head_name, **extra)


def warga(
    *,
    posyandu: Posyandu,
    name: str = "Muhammad Rizky",
    sex: str = "L",
    birth_date: datetime.date = datetime.date(2023, 5, 17),
    **extra,
):
    return services.warga_create(posyandu=posyandu, name=name, sex=sex, birth_date=birth_date, **extra)


# Documents that are what they say: a PDF whose trailer leads to its catalogue, images that decode.
def pdf_bytes() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "PDF")
    return buffer.getvalue()


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (20, 20)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, image_format)
    return buffer.getvalue()
