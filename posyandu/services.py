"""Writes for areas, posyandu, pengurus and users. Keyword-only; ``full_clean()`` before save."""

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posyandu.models import Pengurus, Posyandu, Role, User, Wilayah

BUNDLED_WILAYAH_DIR = Path(__file__).resolve().parent / "data" / "wilayah"

POSYANDU_EDITABLE_FIELDS = (
    "name",
    "desa",
    "address",
    "latitude",
    "longitude",
    "registration_number",
    "sk_number",
    "sk_date",
    "formed_on",
    "schedule_kind",
    "schedule_day",
    "schedule_week",
    "schedule_weekday",
    "status",
    "inactive_reason",
    "inactive_since",
)


def _save_clean(instance, *, constraint_errors: dict[str, str] | None = None):
    """``full_clean()`` then save; a constraint race at the database becomes a ValidationError."""
    instance.full_clean()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        for name, message in (constraint_errors or {}).items():
            if name in str(exc):
                raise ValidationError(message) from exc
        raise
    return instance


# ---------------------------------------------------------------------------------------------
# Posyandu
# ---------------------------------------------------------------------------------------------
_POSYANDU_RACES = {
    "posyandu_registration_number_key": gettext_lazy("Nomor registrasi ini sudah dipakai posyandu lain."),
    "posyandu_unique_name_per_desa": gettext_lazy("Sudah ada posyandu dengan nama ini di desa tersebut."),
}


def posyandu_create(**data) -> Posyandu:
    """Register a posyandu. ``data`` holds model field values (see POSYANDU_EDITABLE_FIELDS)."""
    posyandu = Posyandu(**{key: value for key, value in data.items() if key in POSYANDU_EDITABLE_FIELDS})
    return _save_clean(posyandu, constraint_errors=_POSYANDU_RACES)


def posyandu_update(*, posyandu: Posyandu, **data) -> Posyandu:
    for key, value in data.items():
        if key in POSYANDU_EDITABLE_FIELDS:
            setattr(posyandu, key, value)
    return _save_clean(posyandu, constraint_errors=_POSYANDU_RACES)


# ---------------------------------------------------------------------------------------------
# Pengurus
# ---------------------------------------------------------------------------------------------
@transaction.atomic
def pengurus_appoint(
    *,
    posyandu: Posyandu,
    position: str,
    name: str,
    term_start: datetime.date,
    field: str = "",
    phone: str = "",
    sk_number: str = "",
    sk_date: datetime.date | None = None,
    term_end: datetime.date | None = None,
) -> Pengurus:
    """Appoint someone to a position. The current holder's term ends the day before; kept as history."""
    current = (
        Pengurus.objects.select_for_update()
        .filter(
            posyandu=posyandu,
            position=position,
            field=field if position == Pengurus.Position.KETUA_BIDANG else "",
            ended_on__isnull=True,
        )
        .first()
    )
    if current is not None:
        if term_start <= current.term_start:
            raise ValidationError(
                {
                    "term_start": _("Awal masa bakti harus sesudah awal masa bakti pengurus sebelumnya (%(date)s).")
                    % {"date": current.term_start.strftime("%d-%m-%Y")}
                }
            )
        current.ended_on = term_start - datetime.timedelta(days=1)
        _save_clean(current)
    pengurus = Pengurus(
        posyandu=posyandu,
        position=position,
        field=field,
        name=name.strip(),
        phone=phone,
        sk_number=sk_number,
        sk_date=sk_date,
        term_start=term_start,
        term_end=term_end,
    )
    return _save_clean(
        pengurus,
        constraint_errors={
            "pengurus_one_current_per_position": _(
                "Jabatan ini baru saja diisi orang lain. Muat ulang halaman dan periksa lagi."
            )
        },
    )


def pengurus_end_term(*, pengurus: Pengurus, ended_on: datetime.date | None = None) -> Pengurus:
    """End a pengurus's service without naming a successor (the position becomes vacant)."""
    if pengurus.ended_on is not None:
        raise ValidationError(_("Masa bakti pengurus ini sudah berakhir."))
    pengurus.ended_on = ended_on or timezone.localdate()
    return _save_clean(pengurus)


# ---------------------------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------------------------
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
    posyandu: Posyandu | None = None,
    wilayah: Wilayah | None = None,
    field: str = "",
    phone: str = "",
) -> User:
    user = User(
        username=username,
        role=role,
        first_name=first_name,
        last_name=last_name,
        posyandu=posyandu,
        wilayah=wilayah,
        field=field,
        phone=phone,
        is_staff=role == Role.ADMIN,
    )
    user.set_password(password)
    return _save_clean(user)


# ---------------------------------------------------------------------------------------------
# Wilayah import (idn-area-data CSVs)
# ---------------------------------------------------------------------------------------------
@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


WILAYAH_FILES = (
    ("provinces.csv", Wilayah.Level.PROVINSI, None),
    ("regencies.csv", Wilayah.Level.KABUPATEN, "province_code"),
    ("districts.csv", Wilayah.Level.KECAMATAN, "regency_code"),
    ("villages.csv", Wilayah.Level.DESA, "district_code"),
)


def _read_wilayah_rows(source: Path, kabupaten: str | None):
    for filename, level, parent_column in WILAYAH_FILES:
        path = source / filename
        if not path.exists():
            raise ValidationError(_("Berkas %(file)s tidak ditemukan di %(dir)s.") % {"file": filename, "dir": source})
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                code = row["code"].strip()
                if kabupaten and not (
                    kabupaten.startswith(code + ".") or kabupaten == code or code.startswith(kabupaten + ".")
                ):
                    continue
                parent = row[parent_column].strip() if parent_column else None
                yield Wilayah(code=code, name=row["name"].strip(), level=level, parent_id=parent)


@transaction.atomic
def wilayah_import(*, source: Path = BUNDLED_WILAYAH_DIR, kabupaten: str | None = None) -> ImportResult:
    """Create or update areas from the CSVs of the npm package ``idn-area-data``.

    ``kabupaten`` (e.g. ``73.05``) limits the import to one kabupaten and its province. Re-running
    updates names and never duplicates (the Kemendagri code is the key). Rows are checked against the
    model's rules before anything is written; a bad file writes nothing.
    """
    rows = list(_read_wilayah_rows(Path(source), kabupaten))
    if kabupaten and not any(row.code == kabupaten for row in rows):
        raise ValidationError(_("Kabupaten/kota %(code)s tidak ada di data wilayah.") % {"code": kabupaten})
    known_codes = {row.code for row in rows} | set(
        Wilayah.objects.filter(code__in={row.parent_id for row in rows if row.parent_id}).values_list("code", flat=True)
    )
    for row in rows:
        row.clean()
        if row.parent_id and row.parent_id not in known_codes:
            raise ValidationError(
                _("Wilayah %(code)s menunjuk induk %(parent)s yang tidak ada.")
                % {"code": row.code, "parent": row.parent_id}
            )
    existing = dict(Wilayah.objects.filter(code__in=[row.code for row in rows]).values_list("code", "name"))
    result = ImportResult()
    for row in rows:
        if row.code not in existing:
            result.created += 1
        elif existing[row.code] != row.name:
            result.updated += 1
        else:
            result.unchanged += 1
    # Parents precede children in WILAYAH_FILES order, so one upsert keeps foreign keys valid.
    Wilayah.objects.bulk_create(
        rows, batch_size=5000, update_conflicts=True, unique_fields=["code"], update_fields=["name", "level", "parent"]
    )
    return result
