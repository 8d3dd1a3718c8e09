"""The demo of the five other fields looks like a real kabupaten and is safe to run twice."""

from io import StringIO

from django.core.management import call_command

from layanan import selectors as selectors
from layanan.models import HariLibur, Kegiatan, Kejadian, PendidikanAnak, PermintaanLayanan, SurveiKeluarga
from posyandu import dates
from posyandu.models import Role, User


def test_demo_has_realistic_households_and_requests_in_every_state(db):
    out = StringIO()
    call_command("demo_load", "--synthetic-posyandu", "6", stdout=out)
    assert "Lima bidang lain:" in out.getvalue()
    summary = selectors.survei_summary(user=User(role=Role.ADMIN, is_active=True))
    households = summary["households"]
    assert households > 100
    assert 0.7 <= summary["safe_water"] / households <= 0.9  # ≈ 80 %
    assert 0.65 <= summary["proper_latrine"] / households <= 0.85  # ≈ 75 %
    assert 0.04 <= summary["rtlh"] / households <= 0.16  # ≈ 10 %
    assert 0.08 <= summary["poor"] / households <= 0.22  # ≈ 15 %
    assert SurveiKeluarga.objects.count() > households  # some households have a history
    assert set(PermintaanLayanan.objects.values_list("status", flat=True)) == set(PermintaanLayanan.Status.values)
    assert selectors.permintaan_list(user=User(role=Role.ADMIN, is_active=True), overdue=True).exists()
    assert PendidikanAnak.objects.filter(status__in=PendidikanAnak.OUT_OF_SCHOOL).exclude(reason="").exists()
    assert PendidikanAnak.objects.filter(status="paud").exists()
    assert Kegiatan.objects.values("field").distinct().count() == 6
    assert Kejadian.objects.exists()
    assert HariLibur.objects.filter(date__year=2026).count() >= 15
    assert dates.today() >= PermintaanLayanan.objects.latest("recorded_on").recorded_on

    counts = {m: m.objects.count() for m in (SurveiKeluarga, PermintaanLayanan, Kegiatan, HariLibur)}
    out = StringIO()
    call_command("demo_load", "--synthetic-posyandu", "6", stdout=out)
    assert "sudah punya survei keluarga" in out.getvalue()
    assert counts == {m: m.objects.count() for m in counts}
