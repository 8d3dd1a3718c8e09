"""Writes for areas, posyandu, pengurus, users, households and people. Keyword-only; ``full_clean()`` first."""

import csv
import datetime
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from posyandu import dates, monthlock
from posyandu.concurrency import ensure_unchanged
from posyandu.models import Keluarga, Opd, Pengurus, Posyandu, Role, User, Warga, WargaPindah, Wilayah
from posyandu.saving import record_save
from posyandu.signals import data_changed

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
    return record_save(posyandu, constraint_errors=_POSYANDU_RACES)


def posyandu_update(*, posyandu: Posyandu, **data) -> Posyandu:
    for key, value in data.items():
        if key in POSYANDU_EDITABLE_FIELDS:
            setattr(posyandu, key, value)
    return record_save(posyandu, constraint_errors=_POSYANDU_RACES)


# ---------------------------------------------------------------------------------------------
# OPD pengampu
# ---------------------------------------------------------------------------------------------
OPD_EDITABLE_FIELDS = ("name", "short_name", "fields")
_OPD_RACES = {
    "opd_unique_name_per_kabupaten": {"name": gettext_lazy("Sudah ada OPD dengan nama ini di kabupaten tersebut.")},
    "opd_unique_short_name_per_kabupaten": {
        "short_name": gettext_lazy("Sudah ada OPD dengan singkatan ini di kabupaten tersebut.")
    },
}


def _require_opd_keeper(user, kabupaten: Wilayah) -> None:
    """The kabupaten team keeps the OPD of its own kabupaten (admins every kabupaten's)."""
    if user is None or user.is_admin_role:
        return
    if user.role != Role.PEMBINA_KABUPATEN or user.wilayah_id != kabupaten.code:
        raise PermissionDenied(_("OPD pengampu dikelola oleh Tim Pembina kabupatennya."))


def opd_create(*, by, kabupaten: Wilayah, name: str, short_name: str, fields: list[str]) -> Opd:
    """Register an OPD of ``kabupaten`` and the SPM fields it is responsible for (audited)."""
    _require_opd_keeper(by, kabupaten)
    opd = Opd(kabupaten=kabupaten, name=name, short_name=short_name, fields=list(fields))
    return record_save(opd, constraint_errors=_OPD_RACES)


def opd_update(*, by, opd: Opd, **data) -> Opd:
    """Change an OPD's name, short name or fields; its kabupaten stays (its requests and accounts hang on it)."""
    _require_opd_keeper(by, opd.kabupaten)
    for key, value in data.items():
        if key in OPD_EDITABLE_FIELDS:
            setattr(opd, key, list(value) if key == "fields" else value)
    return record_save(opd, constraint_errors=_OPD_RACES)


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
        record_save(current)
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
    return record_save(
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
    pengurus.ended_on = ended_on or dates.today()
    return record_save(pengurus)


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
    opd: Opd | None = None,
    puskesmas=None,
    position: str = "",
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
        opd=opd,
        puskesmas=puskesmas,
        position=position,
        is_staff=role == Role.ADMIN,
    )
    user.set_password(password)
    return record_save(user)


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


# ---------------------------------------------------------------------------------------------
# Households and people
# ---------------------------------------------------------------------------------------------
KELUARGA_EDITABLE_FIELDS = ("kk_number", "head_name", "rt", "rw", "dusun", "address")
WARGA_EDITABLE_FIELDS = (
    "name",
    "nik",
    "sex",
    "birth_date",
    "birth_weight_kg",
    "mother",
    "mother_name",
    "keluarga",
    "has_buku_kia",
    "kia_number",
    "phone",
)
# PostgreSQL names the inline UNIQUE of a column <table>_<column>_key.
_KELUARGA_RACES = {"posyandu_keluarga_kk_number_key": gettext_lazy("Nomor KK ini sudah terdaftar.")}
_WARGA_RACES = {"posyandu_warga_nik_key": gettext_lazy("NIK ini sudah terdaftar untuk orang lain.")}
# Warga.clean() checks the mother in words a cadre understands ("Ibu kandung harus perempuan."); the
# field check of the mother's limit_choices_to would add Django's "warga instance ... bukan pilihan sah".
_WARGA_CLEAN_EXCLUDE = ["mother"]


def _squash(text: str | None) -> str:
    return " ".join((text or "").split())


def _keluarga_errors(keluarga: Keluarga) -> dict:
    keluarga.head_name = _squash(keluarga.head_name)
    keluarga.kk_number = (keluarga.kk_number or "").strip() or None
    errors = {}
    if keluarga.kk_number is None and keluarga.head_name and keluarga.posyandu_id:
        # Without a KK number nothing else tells two households apart: refuse the same head in the
        # same RT/RW of the same posyandu (a double submit, or the household is already there).
        same = Keluarga.objects.filter(
            posyandu_id=keluarga.posyandu_id,
            head_name__iexact=keluarga.head_name,
            rt=keluarga.rt,
            rw=keluarga.rw,
        ).exclude(pk=keluarga.pk)
        if same.exists():
            errors["head_name"] = [
                _(
                    "Keluarga dengan kepala keluarga ini di RT/RW yang sama sudah terdaftar. "
                    "Buka keluarga itu dari daftar, atau isi nomor KK bila memang keluarga lain."
                )
            ]
    return errors


def keluarga_create(*, posyandu: Posyandu, **data) -> Keluarga:
    """Register a household at ``posyandu``. ``data`` holds KELUARGA_EDITABLE_FIELDS values."""
    keluarga = Keluarga(posyandu=posyandu, **{k: v for k, v in data.items() if k in KELUARGA_EDITABLE_FIELDS})
    return record_save(keluarga, errors=_keluarga_errors(keluarga), constraint_errors=_KELUARGA_RACES)


def keluarga_update(*, keluarga: Keluarga, **data) -> Keluarga:
    """Change a household's KK number, head or address. Its posyandu stays (members move one by one)."""
    for key, value in data.items():
        if key in KELUARGA_EDITABLE_FIELDS:
            setattr(keluarga, key, value)
    return record_save(keluarga, errors=_keluarga_errors(keluarga), constraint_errors=_KELUARGA_RACES)


def _warga_errors(warga: Warga) -> dict:
    warga.mother_name = _squash(warga.mother_name)
    if warga.mother_id:
        warga.mother_name = ""  # the registered mother's own name is shown
    if isinstance(warga.nik, str):
        warga.nik = warga.nik.strip() or None
    errors = {}
    if warga.keluarga_id and warga.keluarga.posyandu_id != warga.posyandu_id:
        errors["keluarga"] = [_("Keluarga ini terdaftar di posyandu lain.")]
    return errors


def warga_create(*, posyandu: Posyandu, client_id: uuid.UUID | None = None, **data) -> Warga:
    """Register a person at ``posyandu``. ``data`` holds WARGA_EDITABLE_FIELDS values; ``client_id`` is
    the phone's id of a person registered offline (``layanan.sync``), unique in the database.

    The possible-duplicate warning is the view's business (selectors.warga_possible_duplicates); a NIK
    already registered is refused here and, in a race, by the database.
    """
    warga = Warga(
        posyandu=posyandu, client_id=client_id, **{k: v for k, v in data.items() if k in WARGA_EDITABLE_FIELDS}
    )
    return record_save(warga, errors=_warga_errors(warga), constraint_errors=_WARGA_RACES, exclude=_WARGA_CLEAN_EXCLUDE)


@transaction.atomic
def warga_update(*, warga: Warga, version: str | None = None, **data) -> Warga:
    """Correct a person's data. Their posyandu changes only through ``warga_move``, status through
    ``warga_set_status``. ``version`` (the form's hidden token) refuses overwriting someone else's edit."""
    ensure_unchanged(warga, version, name=warga.name)
    for key, value in data.items():
        if key in WARGA_EDITABLE_FIELDS:
            setattr(warga, key, value)
    return record_save(warga, errors=_warga_errors(warga), constraint_errors=_WARGA_RACES, exclude=_WARGA_CLEAN_EXCLUDE)


@transaction.atomic
def warga_move(
    *, warga: Warga, to_posyandu: Posyandu, moved_on: datetime.date, reason: str = "", user: User
) -> WargaPindah:
    """Move a person to another posyandu and record the move (one transaction).

    Visits already recorded keep the posyandu they were made at, so the history stays where it
    happened. The destination must be one ``selectors.warga_move_destinations`` offers this user.
    A household registered at another posyandu is left (members move one by one); a person marked
    "pindah keluar wilayah" who turns up at the new posyandu becomes active again.
    """
    from posyandu.selectors import warga_move_destinations

    locked = Warga.objects.select_for_update(of=("self",)).select_related("keluarga").get(pk=warga.pk)
    if locked.status == Warga.Status.MENINGGAL:
        raise ValidationError(_("Warga yang sudah meninggal tidak bisa dipindahkan."))
    errors = {}
    if to_posyandu.pk == locked.posyandu_id:
        errors["to_posyandu"] = [_("Warga ini sudah terdaftar di posyandu tersebut.")]
    elif not to_posyandu.is_active:
        errors["to_posyandu"] = [_("Posyandu tujuan tidak aktif.")]
    elif not warga_move_destinations(user=user, warga=locked).filter(pk=to_posyandu.pk).exists():
        errors["to_posyandu"] = [_("Anda tidak bisa memindahkan warga ke posyandu tersebut.")]
    last_move = locked.moves.order_by("-moved_on").first()
    if moved_on > dates.today():
        errors["moved_on"] = [_("Tanggal pindah tidak boleh di masa depan.")]
    elif moved_on < locked.birth_date:
        errors["moved_on"] = [_("Tanggal pindah tidak boleh sebelum tanggal lahir.")]
    elif last_move is not None and moved_on < last_move.moved_on:
        errors["moved_on"] = [
            _("Tanggal pindah tidak boleh sebelum perpindahan terakhir (%(date)s).")
            % {"date": last_move.moved_on.strftime("%d-%m-%Y")}
        ]
    move = WargaPindah(
        warga=locked,
        from_posyandu_id=locked.posyandu_id,
        to_posyandu=to_posyandu,
        moved_on=moved_on,
        reason=_squash(reason),
        recorded_by=user,
    )
    if errors:
        raise ValidationError(errors)
    record_save(move)
    locked.posyandu = to_posyandu
    if locked.keluarga_id and locked.keluarga.posyandu_id != to_posyandu.pk:
        locked.keluarga = None
    # What the move changes in the monthly figures: where the person counts from ``moved_on`` on
    # (the months before stay with the posyandu left: membership is read from the moves), and, for
    # someone who had moved out of the area, being counted again from that status date on.
    locked._rekap_since = moved_on
    if locked.status == Warga.Status.PINDAH:
        locked._rekap_since = min(moved_on, locked.status_date or moved_on)
        locked.status = Warga.Status.AKTIF
    record_save(locked, constraint_errors=_WARGA_RACES, exclude=_WARGA_CLEAN_EXCLUDE)
    warga.refresh_from_db()
    return move


def warga_set_status(*, warga: Warga, status: str, status_date: datetime.date | None) -> Warga:
    """Mark a person as moved out of the area or deceased (or active again, to correct a mistake)."""
    errors = {}
    if status not in Warga.Status.values:
        errors["status"] = [_("Pilih status yang tersedia.")]
    elif status != Warga.Status.AKTIF and status_date is not None:
        if status_date > dates.today():
            errors["status_date"] = [_("Tanggal status tidak boleh di masa depan.")]
        elif status_date < warga.birth_date:
            errors["status_date"] = [_("Tanggal status tidak boleh sebelum tanggal lahir.")]
    warga.status = status
    warga.status_date = status_date if status != Warga.Status.AKTIF else None
    return record_save(warga, errors=errors, constraint_errors=_WARGA_RACES, exclude=_WARGA_CLEAN_EXCLUDE)


# ---------------------------------------------------------------------------------------------
# Personal data: anonymising a person (UU 27/2022, the right to erasure)
# ---------------------------------------------------------------------------------------------
ANONYMOUS_NAME = "Anonim"


@transaction.atomic
def warga_anonymise(*, warga: Warga, user) -> Warga:
    """Erase what identifies a person and keep what the reports count.

    Name, NIK, phone and the mother's typed name go, here and in every historical version of the
    record; sex, the birth month (the day becomes the 1st: age bands and z-scores stay within a few
    days), posyandu, household link and every visit and measurement stay, so the aggregate numbers
    are unchanged. Admins only; it cannot be undone."""
    if not user.is_admin_role:
        raise PermissionDenied(_("Hanya admin yang dapat menganonimkan data warga."))
    warga = Warga.objects.select_for_update().get(pk=warga.pk)
    # The birth date moves to the 1st of the same month: no month's figure changes, so a locked
    # birth month does not stand in the way of erasure.
    if warga.name == ANONYMOUS_NAME and not warga.nik:
        raise ValidationError(_("Data warga ini sudah dianonimkan."))
    scrub = {"name": ANONYMOUS_NAME, "nik": None, "phone": "", "mother_name": ""}
    monthlock.guard_off_for_transaction()
    Warga.objects.filter(pk=warga.pk).update(birth_date=warga.birth_date.replace(day=1), **scrub)
    warga.history.filter(id=warga.pk).update(**scrub)
    data_changed.send(
        sender=Warga, posyandu_ids=[warga.posyandu_id], since=warga.birth_date.replace(day=1), warga_ids=[warga.pk]
    )
    warga.refresh_from_db()
    return warga
