"""The demo kabupaten gains kader, a year of trainings and assessments; safe to run twice."""

from io import StringIO

from django.core.management import call_command
from django.db.models import Count

from kader.models import Kader, Pelatihan, PenilaianKompetensi, PesertaPelatihan
from posyandu.models import Posyandu


def test_demo_kader_trainings_and_levels(db):
    first = StringIO()
    call_command("demo_load", "--synthetic-posyandu", "12", "--people-per-posyandu", "0", stdout=first)
    assert "sedang berjalan" not in first.getvalue(), "another session held demo_load's lock"
    per_posyandu = Posyandu.objects.annotate(n=Count("kader_set")).values_list("n", flat=True)
    assert per_posyandu and all(3 <= n <= 8 for n in per_posyandu)
    assert Kader.objects.filter(status="nonaktif").exists()
    assert len(set(Kader.objects.values_list("field", flat=True))) >= 4
    assert {"kecamatan", "kabupaten"} <= set(Pelatihan.objects.values_list("organiser_level", flat=True))
    assert PesertaPelatihan.objects.exclude(certificate_number="").exists()
    assert PenilaianKompetensi.objects.exists()
    assert {"purwa", "madya", "utama", ""} <= set(Kader.objects.values_list("level", flat=True))
    count = Kader.objects.count()
    out = StringIO()
    call_command("demo_load", "--synthetic-posyandu", "12", "--people-per-posyandu", "0", stdout=out)
    assert Kader.objects.count() == count
    assert "sudah punya kader" in out.getvalue()
