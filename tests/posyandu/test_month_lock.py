"""The month lock holds for every write of month-bound data, whatever path writes it.

Like ``test_scope_every_url.py`` enumerates URLs, this enumerates models: every model of the project
with a date either declares ``MONTH_GUARD`` (posyandu.monthlock) or says in ``EXEMPT`` why none of
its dates feeds a month's figure; every date of a guarded model is watched or exempted by name. Then,
on the demo kabupaten, every guarded model is attacked through the ORM (so no service's own check
helps): for each watched date, with that row's month locked, an update, a delete and a copy inserted
into the month are refused by the database with that month named, and the same update passes once
the month is reopened (so the refusal is the lock's, not something else's).
"""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from posyandu import monthlock
from posyandu.models import BulanTerkunci

APPS = ("posyandu", "layanan", "kader", "laporan")

# Models with dates that feed no posyandu's monthly figures, and why.
EXEMPT = {
    "posyandu.Wilayah": "areas have no dates of their own",
    "posyandu.User": "logins (last_login, date_joined) are not data of a month",
    "posyandu.Pengurus": "pengurus terms feed the registry and the Lomba, not the monthly report's figures",
    "posyandu.BulanTerkunci": "the lock itself",
    "posyandu.SandiSementara": "account management (a one-time password's marker), not data of a month",
    "posyandu.RiwayatAkun": "the account log: who did what to an account, not data of a month",
    "posyandu.PengaturanKabupaten": "a kabupaten's settings: its valid_from picks the version a month reads; an "
    "approved month keeps the figures frozen at its approval (laporan.rekap.freeze)",
    "posyandu.WilayahKerjaPuskesmas": "which Puskesmas a desa belongs to: groups posyandu figures, changes none",
    "layanan.HariLibur": "the kabupaten's holiday calendar: a request's deadline is stored when it is set",
    "kader.LevelRule": "configuration",
    "laporan.LaporanBulanan": "the report's own lifecycle (submit, verify, approve, reopen)",
    "laporan.RiwayatLaporan": "the report's own lifecycle",
    "laporan.RekapBulanan": "derived from the guarded records (the rollup)",
    "laporan.RekapKecamatan": "derived from the guarded records (the rollup)",
    "laporan.RekapBulan": "derived: the rollup's bookkeeping",
    "laporan.RekapKotor": "derived: the rollup's bookkeeping",
    "laporan.Rakor": "a meeting of the Tim Pembina: its dates are not data of a posyandu's month",
    "laporan.KeputusanRakor": "a rakor decision's follow-up (deadline, status date), not data of a month",
    "laporan.RiwayatKeputusan": "the decision's status changes",
}
# Dates of guarded models that are attributes, not what decides a month (their changes are watched
# through the month of the date that decides it).
EXEMPT_FIELDS = {
    "posyandu.Posyandu": {"sk_date": "the SK's date", "formed_on": "history of the posyandu, before its reports"},
    "layanan.Kehamilan": {"hpht": "watched in the registration month", "due_date": "watched in the registration month"},
    "layanan.PermintaanLayanan": {"due_on": "set with the verification, watched in its month"},
    "kader.Kader": {"sk_date": "the SK's date"},
}
BOOKKEEPING = {"created_at", "updated_at"}


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _project_models():
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            yield model


def _dates(model) -> list[str]:
    return [
        f.name
        for f in model._meta.concrete_fields
        if (isinstance(f, models.DateField) and f.name not in BOOKKEEPING and not f.name.endswith("_at"))
        or (isinstance(f, models.DateTimeField) and f.name not in BOOKKEEPING)
    ]


def test_every_model_with_a_date_declares_its_month_guard_or_why_it_has_none():
    problems = []
    for model in _project_models():
        label = _label(model)
        dates = _dates(model)
        guard = getattr(model, "MONTH_GUARD", None)
        if guard is None:
            if dates and label not in EXEMPT:
                problems.append(f"{label} has dates {dates} but no MONTH_GUARD and no reason in EXEMPT")
            continue
        assert label not in EXEMPT, f"{label} is guarded and exempt at once"
        watched = {watch.date for watch in guard.watches}
        for name in dates:
            if name not in watched and name not in EXEMPT_FIELDS.get(label, {}):
                problems.append(f"{label}.{name} is neither watched by MONTH_GUARD nor exempted in EXEMPT_FIELDS")
    assert not problems, "\n".join(problems)


def test_every_guarded_table_has_the_trigger_in_the_database(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = 'monthlock'")
        installed = {row[0] for row in cursor.fetchall()}
    expected = {model._meta.db_table for model in monthlock.guarded_models()}
    assert len(expected) >= 17
    assert expected <= installed, expected - installed


def _values(model, pk, path):
    return [v for v in model.objects.filter(pk=pk).values_list(path, flat=True) if v is not None]


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


def _refused(write) -> datetime.date | str | None:
    """Run ``write`` in a savepoint; the month the lock refused it with, or None if it passed."""
    try:
        with transaction.atomic():
            write()
            raise _Passed
    except _Passed:
        return None
    except DatabaseError as exc:
        return monthlock.refused_month(exc) or f"another error: {exc}"


class _Passed(Exception):
    pass


def _change(model, row, watch):
    """An UPDATE that touches the watch's month: its own date moved a day, or another watched field."""
    table = connection.ops.quote_name(model._meta.db_table)
    if "__" not in watch.date:
        fld = model._meta.get_field(watch.date)
        # A reporting month stays a 1st of the month (a check constraint), any other date moves a day.
        shift = "interval '1 month'" if fld.name == "reporting_month" else "interval '1 day'"
        value = (
            f"{fld.column} + {shift}" if isinstance(fld, models.DateTimeField) else f"({fld.column} + {shift})::date"
        )
        sql = f"UPDATE {table} SET {fld.column} = {value} WHERE id = %s"  # noqa: S608
    else:
        text = next(
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
            and (watch.fields is None or f.name in watch.fields)
            and not f.choices
        )
        sql = f"UPDATE {table} SET {text.column} = {text.column} || 'x' WHERE id = %s"  # noqa: S608

    def write():
        with connection.cursor() as cursor:
            cursor.execute(sql, [row.pk])

    return write


def _delete(model, row):
    """A DELETE at the database (Django's PROTECT would stop it earlier for some rows)."""
    table = connection.ops.quote_name(model._meta.db_table)

    def write():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [row.pk])  # noqa: S608

    return write


def _insert_copy(model, row):
    def write():
        copy = model.objects.get(pk=row.pk)
        copy.pk = None
        copy.id = None
        copy.save(force_insert=True)

    return write


def _through_reverse(model, path: str) -> bool:
    return model._meta.get_field(path.split("__")[0]).auto_created


def _what_the_demo_lacks():
    """Rows of the guarded models that the demo does not make: a move, an inactive posyandu, a document."""
    from django.core.files.base import ContentFile

    from layanan.models import DokumenPermintaan, PermintaanLayanan
    from posyandu.models import Posyandu, Warga, WargaPindah

    first, second = Posyandu.objects.order_by("pk")[:2]
    Posyandu.objects.filter(pk=second.pk).update(
        status="nonaktif", inactive_reason="Kader pindah", inactive_since=datetime.date(2026, 2, 10)
    )
    warga = Warga.objects.filter(posyandu=first).order_by("pk").first()
    WargaPindah.objects.create(warga=warga, from_posyandu=first, to_posyandu=second, moved_on=datetime.date(2026, 2, 3))
    DokumenPermintaan.objects.create(
        permintaan=PermintaanLayanan.objects.order_by("pk").first(),
        kind=DokumenPermintaan.Kind.choices[0][0],
        file=ContentFile(b"%PDF-1.4 test", name="surat.pdf"),
        original_name="surat.pdf",
        content_type="application/pdf",
        size=13,
    )


@pytest.mark.django_db(transaction=False)
def test_every_write_into_a_locked_month_of_every_guarded_model_is_refused_by_the_database(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo_load", "--synthetic-posyandu", "2", "--people-per-posyandu", "60", stdout=StringIO())
    _what_the_demo_lacks()
    tried = []
    problems = []
    for model in monthlock.guarded_models():
        guard = model.MONTH_GUARD
        for watch in guard.watches:
            rows = model.objects.exclude(**{f"{watch.date}__isnull": True})
            for path in guard.posyandu:
                rows = rows.exclude(**{f"{path}__isnull": True})
            row = rows.order_by("pk").first()
            if row is None:
                problems.append(f"the demo has no {_label(model)} with {watch.date}: the lock on it is untested")
                continue
            month = _as_date(_values(model, row.pk, watch.date)[0]).replace(day=1)
            posyandu_ids = {pid for path in guard.posyandu for pid in _values(model, row.pk, path)}
            with transaction.atomic():
                locks = [BulanTerkunci.objects.create(posyandu_id=pid, month=month) for pid in posyandu_ids]
                writes = [("update", _change(model, row, watch)), ("delete", _delete(model, row))]
                if not any(_through_reverse(model, path) for path in guard.posyandu):
                    # (a new training without participants belongs to no posyandu's month yet)
                    writes.append(("insert", _insert_copy(model, row)))
                for kind, write in writes:
                    refused = _refused(write)
                    tried.append((_label(model), watch.date, kind))
                    if refused != month:
                        problems.append(f"{_label(model)} {kind} touching {watch.date} in {month}: refused={refused}")
                for lock in locks:
                    lock.delete()
                if _refused(_change(model, row, watch)) is not None:
                    problems.append(f"{_label(model)} update of {watch.date} refused with the month open")
                transaction.set_rollback(True)
    assert not problems, "\n".join(problems)
    assert len({(m, d) for m, d, _kind in tried}) >= 30


def test_an_update_of_fields_that_touch_no_month_passes_in_a_locked_month(world):
    from tests.layanan.conftest import person

    child = person(world.posyandu_a, "Ani", birth_date=datetime.date(2026, 3, 15))
    BulanTerkunci.objects.create(posyandu=world.posyandu_a, month=datetime.date(2026, 3, 1))
    child.phone = "081234567890"
    child.save()  # a phone number is not a figure of March
    child.status_date = datetime.date(2026, 3, 20)
    child.status = child.Status.PINDAH
    assert _refused(child.save) == datetime.date(2026, 3, 1)
