"""Existing decisions: a free-text party that names an OPD of the meeting's kabupaten becomes that OPD.

Its own migration (its own transaction): rows updated with a new foreign key leave PostgreSQL's deferred
checks pending, and a constraint cannot be added in the same transaction."""

from django.db import migrations

KABUPATEN_CODE_LENGTH = 5  # "73.05": the kabupaten of a kecamatan "73.05.01"


def _key(text):
    return " ".join((text or "").split()).casefold()


def carry_responsible_to_opd(apps, schema_editor):
    """A decision whose free-text party names an OPD of the meeting's kabupaten (its name or short name,
    case and spacing aside) now points at that OPD, the text cleared; any other text stays as the note.
    A decision with a responsible area keeps its area (one party each) and its text as the note."""
    Keputusan = apps.get_model("laporan", "KeputusanRakor")
    Opd = apps.get_model("posyandu", "Opd")
    by_kabupaten = {}
    for opd in Opd.objects.all():
        names = by_kabupaten.setdefault(opd.kabupaten_id, {})
        for text in (opd.name, opd.short_name):
            names.setdefault(_key(text), opd.pk)
    rows = Keputusan.objects.filter(opd__isnull=True, wilayah_pj__isnull=True).exclude(responsible="")
    for row in rows.select_related("rakor"):
        opd_id = by_kabupaten.get(row.rakor.wilayah_id[:KABUPATEN_CODE_LENGTH], {}).get(_key(row.responsible))
        if opd_id is not None:
            Keputusan.objects.filter(pk=row.pk).update(opd_id=opd_id, responsible="")


def carry_opd_back_to_text(apps, schema_editor):
    """Backwards: the OPD's short name back into the text (the one place the old schema had)."""
    Keputusan = apps.get_model("laporan", "KeputusanRakor")
    for row in Keputusan.objects.filter(opd__isnull=False).select_related("opd"):
        text = row.responsible or row.opd.short_name
        Keputusan.objects.filter(pk=row.pk).update(responsible=text[:120], opd=None)


class Migration(migrations.Migration):

    dependencies = [
        ('laporan', '0009_keputusan_opd'),
    ]

    operations = [
        migrations.RunPython(carry_responsible_to_opd, carry_opd_back_to_text),
    ]
