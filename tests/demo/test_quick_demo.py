"""`make run`'s quick demo: one kecamatan with every feature the dashboards and reports show, at once;
the rest of the kabupaten on a later run (the background one), nothing done twice."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count

from kader.models import Kader, Pelatihan, PenilaianKompetensi
from laporan.models import LaporanBulanan, RekapBulan, RekapBulanan
from layanan.models import HariBuka, Imunisasi, Kunjungan, Rujukan
from posyandu import dates
from posyandu.models import BulanTerkunci, LifeStage, Posyandu, Role, SpmField, User, Warga, Wilayah

pytestmark = pytest.mark.rekap  # the rollup is part of the demo: dashboards read it


def _model(name: str):
    return apps.get_model("layanan", name)


def _in(prefix: str, model, path: str = "posyandu__desa__code"):
    return model.objects.filter(**{f"{path}__startswith": prefix})


def test_quick_demo_has_every_feature_in_one_kecamatan_and_the_full_run_adds_the_rest(db, client):
    out = StringIO()
    call_command("demo_load", "--quick", "--people-per-posyandu", "40", stdout=out)
    first = Wilayah.objects.filter(parent_id="73.05").order_by("code").first()
    prefix = first.code + "."
    quick = _in(prefix, Posyandu, "desa__code")

    # Structure for the whole kabupaten (the logins' scopes exist), people and data in the first kecamatan only.
    assert Posyandu.objects.count() > 300 and quick.count() < Posyandu.objects.count()
    assert {u.role for u in User.objects.all()} == set(Role.values)
    assert "posyandu-demo" in out.getvalue() and "kader_linmas" in out.getvalue()
    assert Warga.objects.exists() and not Warga.objects.exclude(posyandu__in=quick).exists()
    assert not Kunjungan.objects.exclude(posyandu__in=quick).exists()

    # Kesehatan: a year of opening days, every life stage, growth codes, immunisation and referrals.
    assert HariBuka.objects.values("reporting_month").distinct().count() == 12
    assert set(LifeStage.values) <= set(Kunjungan.objects.values_list("stage", flat=True))
    assert {"N", "T", "O", "B"} <= set(Kunjungan.objects.values_list("growth_code", flat=True))
    assert Imunisasi.objects.exists() and Rujukan.objects.exists()
    # The five other fields: activities in all six fields, surveys, schooling, incidents, requests in every state.
    assert set(_model("Kegiatan").objects.values_list("field", flat=True)) == set(SpmField.values)
    assert _model("SurveiKeluarga").objects.exists() and _model("PendidikanAnak").objects.exists()
    assert _model("Kejadian").objects.exists()
    requests = _model("PermintaanLayanan").objects
    assert set(requests.values_list("status", flat=True)) == set(requests.model.Status.values)
    assert any(row.is_overdue(dates.today()) for row in requests.all())
    # Kader: trainings at both levels, assessments, every level.
    assert {"kecamatan", "kabupaten"} <= set(Pelatihan.objects.values_list("organiser_level", flat=True))
    assert PenilaianKompetensi.objects.exists()
    assert {"purwa", "madya", "utama", ""} <= set(Kader.objects.values_list("level", flat=True))
    # Reports in every status, through the lifecycle service; approved months are locked.
    pengurus = User.objects.get(username="pengurus")
    assert set(LaporanBulanan.objects.values_list("status", flat=True)) == set(LaporanBulanan.Status.values)
    approved = LaporanBulanan.objects.filter(status=LaporanBulanan.Status.DISETUJUI)
    assert set(BulanTerkunci.objects.values_list("posyandu_id", "month")) == set(
        approved.values_list("posyandu_id", "month")
    )
    assert approved.filter(posyandu=pengurus.posyandu).count() == 8
    # The rollup holds every month, and the dashboards and reports answer.
    assert RekapBulan.objects.count() == 13
    for username, url in (("kabupaten", "/laporan/"), ("kecamatan", "/"), ("kader", "/"), ("pengurus", "/laporan/")):
        client.force_login(User.objects.get(username=username))
        assert client.get(url).status_code == 200, (username, url)

    before = {
        "visits": Kunjungan.objects.count(),
        "kader": Kader.objects.filter(posyandu__in=quick).count(),
        "requests": requests.count(),
        "reports": LaporanBulanan.objects.count(),
    }
    rest = StringIO()
    call_command("demo_load", "--people-per-posyandu", "4", stdout=rest)
    # The rest of the kabupaten is filled; the first kecamatan is left as it was.
    with_people = Posyandu.objects.annotate(n=Count("warga_set")).filter(n__gt=0).count()
    assert with_people == Posyandu.objects.count()
    assert Kunjungan.objects.filter(posyandu__in=quick).count() == before["visits"] < Kunjungan.objects.count()
    assert Kader.objects.filter(posyandu__in=quick).count() == before["kader"]
    assert Kader.objects.exclude(posyandu__in=quick).exists()
    assert LaporanBulanan.objects.count() == before["reports"]
    # One kabupaten training per field, its participants from both runs.
    kabupaten_trainings = Pelatihan.objects.filter(organiser_level="kabupaten")
    assert kabupaten_trainings.count() == 4
    # The rollup now counts the new posyandu in the months it already held.
    last_month = dates.add_months(dates.this_month(), -1)
    weighed = RekapBulanan.objects.filter(month=last_month, measure="balita_d").exclude(posyandu__in=quick)
    assert weighed.filter(value__gt=0).exists()

    # A third run adds nothing.
    counts = (Warga.objects.count(), Kunjungan.objects.count(), Kader.objects.count(), requests.count())
    again = StringIO()
    call_command("demo_load", stdout=again)
    assert counts == (Warga.objects.count(), Kunjungan.objects.count(), Kader.objects.count(), requests.count())
    assert "sudah punya kader" in again.getvalue() and "tidak dihitung ulang" in again.getvalue()


def test_a_second_demo_load_while_one_runs_loads_nothing(db):
    from django.db import connections

    from demo.management.commands import demo_load

    # Another session (the background run) holds the lock.
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [demo_load.LOCK_KEY])
        out = StringIO()
        call_command("demo_load", "--quick", "--people-per-posyandu", "0", stdout=out)
        assert "sedang berjalan" in out.getvalue()
        assert not Posyandu.objects.exists()
    finally:
        # Released before closing: a closed session's locks go only when its server process has ended,
        # a moment later, and the next demo_load of this worker (tests/kader/test_demo.py) once found the
        # lock still held, loaded nothing and failed.
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [demo_load.LOCK_KEY])
        other.close()
