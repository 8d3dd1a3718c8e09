import datetime

import pytest
from django.core.exceptions import ValidationError

from posyandu import services
from posyandu.models import Pengurus, Wilayah
from posyandu.selectors import posyandu_pengurus
from tests import factories


def test_appointing_a_new_ketua_ends_the_old_term_and_keeps_history(world):
    old = world.pengurus_a
    new = services.pengurus_appoint(
        posyandu=world.posyandu_a,
        position=Pengurus.Position.KETUA,
        name="Sitti Daeng Caya",
        term_start=datetime.date(2026, 1, 1),
    )
    old.refresh_from_db()
    assert old.ended_on == datetime.date(2025, 12, 31)
    current, past, _vacant = posyandu_pengurus(posyandu=world.posyandu_a)
    assert [p.name for p in current] == ["Sitti Daeng Caya"]
    assert [p.pk for p in past] == [old.pk]
    assert new.is_current


def test_new_term_cannot_start_before_the_current_one(world):
    with pytest.raises(ValidationError) as error:
        services.pengurus_appoint(
            posyandu=world.posyandu_a,
            position=Pengurus.Position.KETUA,
            name="Terlalu awal",
            term_start=datetime.date(2024, 1, 1),
        )
    assert "sesudah awal masa bakti" in str(error.value)
    world.pengurus_a.refresh_from_db()
    assert world.pengurus_a.ended_on is None  # nothing half-saved


def test_vacant_positions_are_listed_by_name(world):
    _current, _past, vacant = posyandu_pengurus(posyandu=world.posyandu_a)
    assert "Sekretaris" in vacant and "Ketua bidang Trantibum Linmas" in vacant and "Ketua" not in vacant
    factories.full_pengurus(world.posyandu_a2)
    assert posyandu_pengurus(posyandu=world.posyandu_a2)[2] == []


def test_ending_a_term_twice_is_refused(world):
    services.pengurus_end_term(pengurus=world.pengurus_a, ended_on=datetime.date(2025, 6, 30))
    with pytest.raises(ValidationError):
        services.pengurus_end_term(pengurus=world.pengurus_a)


def test_wilayah_import_of_one_kabupaten_is_idempotent_and_updates_names(db, tmp_path):
    first = services.wilayah_import(kabupaten="73.05")
    assert first.created == 1 + 1 + 12 + 110  # provinsi, kabupaten, 12 kecamatan, 110 desa of Takalar
    assert Wilayah.objects.get(code="73.05.01").name == "Mappakasunggu"
    # A renamed desa in a newer release of the data is updated, not duplicated.
    source = tmp_path / "data"
    source.mkdir()
    for name in ("provinces.csv", "regencies.csv", "districts.csv", "villages.csv"):
        text = (services.BUNDLED_WILAYAH_DIR / name).read_text(encoding="utf-8")
        (source / name).write_text(
            text.replace("73.05.01.2003,73.05.01,", "73.05.01.2003,73.05.01,Baru "), encoding="utf-8"
        )
    second = services.wilayah_import(source=source, kabupaten="73.05")
    assert (second.created, second.updated) == (0, 1)
    assert Wilayah.objects.filter(code__startswith="73.05").count() == 1 + 122
    assert Wilayah.objects.get(code="73.05.01.2003").name == "Baru Patani"


def test_wilayah_import_refuses_an_orphan_and_writes_nothing(db, tmp_path):
    (tmp_path / "provinces.csv").write_text("code,name\n73,Sulawesi Selatan\n", encoding="utf-8")
    (tmp_path / "regencies.csv").write_text("code,province_code,name\n73.05,73,Kabupaten Takalar\n", encoding="utf-8")
    (tmp_path / "districts.csv").write_text("code,regency_code,name\n73.05.01,73.05,A\n", encoding="utf-8")
    (tmp_path / "villages.csv").write_text("code,district_code,name\n73.05.09.2001,73.05.09,Yatim\n", encoding="utf-8")
    with pytest.raises(ValidationError, match=r"73\.05\.09"):
        services.wilayah_import(source=tmp_path)
    assert not Wilayah.objects.exists()
