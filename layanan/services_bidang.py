"""Writes of the five other SPM fields. Keyword-only, ``<noun>_<verb>``, ``full_clean()`` before save,
Indonesian ``ValidationError`` messages keyed by form field where there is one."""

import datetime
import os

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from layanan import uploads
from layanan.models_bidang import (
    DokumenPermintaan,
    Kegiatan,
    Kejadian,
    PendidikanAnak,
    PermintaanLayanan,
    RiwayatStatusPermintaan,
    SurveiKeluarga,
)
from layanan.permissions_bidang import can_attach_dokumen, can_transition, is_legal_transition
from layanan.selectors_bidang import request_deadline
from posyandu import dates
from posyandu.models import Keluarga, Posyandu, Warga
from posyandu.monthlock import month_ensure_open

Status = PermintaanLayanan.Status
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

SURVEY_FIELDS = (
    "water_source",
    "water_sufficient",
    "latrine",
    "waste_water",
    "rubbish",
    "roof",
    "walls",
    "floor",
    "floor_area_m2",
    "occupants",
    "disaster_damage",
    "is_poor",
    "receives_bansos",
    "bansos_programmes",
    "has_jkn",
    "disabled_members",
    "neglected_elderly",
    "neglected_children",
    "notes",
)


def _not_future(day: datetime.date | None, field: str, label: str) -> None:
    if day and day > dates.today():
        raise ValidationError({field: _("%(label)s tidak boleh di masa depan.") % {"label": label}})


def _save(obj, *, duplicate_message: str, duplicate_field: str | None = None) -> None:
    """full_clean, then save inside a savepoint; a race on a unique constraint becomes the same message."""
    obj.full_clean()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as error:
        raise ValidationError({duplicate_field: duplicate_message} if duplicate_field else duplicate_message) from error


# ---------------------------------------------------------------------------------------------
# Household survey and schooling
# ---------------------------------------------------------------------------------------------
def survei_keluarga_record(*, keluarga: Keluarga, survey_date: datetime.date, user, values: dict) -> SurveiKeluarga:
    """Record a household's status on ``survey_date``; earlier surveys stay as history."""
    _not_future(survey_date, "survey_date", _("Tanggal survei"))
    unknown = set(values) - set(SURVEY_FIELDS)
    if unknown:
        raise ValueError(f"unknown survey fields: {sorted(unknown)}")
    values = dict(values)
    if not values.get("receives_bansos"):
        values["bansos_programmes"] = []
    elif not values.get("bansos_programmes"):
        raise ValidationError({"bansos_programmes": _("Pilih program bansos yang diterima.")})
    if (
        values.get("disabled_members", 0)
        and values.get("occupants")
        and values["disabled_members"] > values["occupants"]
    ):
        raise ValidationError({"disabled_members": _("Tidak boleh lebih dari jumlah penghuni.")})
    month_ensure_open(posyandu=keluarga.posyandu_id, month=survey_date)
    if SurveiKeluarga.objects.filter(keluarga=keluarga, survey_date=survey_date).exists():
        raise ValidationError({"survey_date": _("Keluarga ini sudah disurvei pada tanggal tersebut.")})
    survei = SurveiKeluarga(keluarga=keluarga, survey_date=survey_date, surveyed_by=user, **values)
    _save(
        survei,
        duplicate_message=_("Keluarga ini sudah disurvei pada tanggal tersebut."),
        duplicate_field="survey_date",
    )
    survei.refresh_from_db(fields=["has_safe_water", "has_proper_latrine", "area_per_person_m2", "is_rtlh"])
    return survei


def pendidikan_record(
    *, warga: Warga, recorded_on: datetime.date, status: str, user, school_name: str = "", reason: str = ""
) -> PendidikanAnak:
    """Record a child's schooling on a date (PAUD, school level, or out of school with a reason)."""
    _not_future(recorded_on, "recorded_on", _("Tanggal didata"))
    if warga.birth_date and warga.birth_date > dates.add_years(recorded_on, -2):
        raise ValidationError({"status": _("Anak belum berumur 2 tahun pada tanggal ini.")})
    if status in PendidikanAnak.OUT_OF_SCHOOL:
        if not reason:
            raise ValidationError({"reason": _("Pilih alasan anak tidak sekolah.")})
    else:
        reason = ""
    month_ensure_open(posyandu=warga.posyandu_id, month=recorded_on)
    if PendidikanAnak.objects.filter(warga=warga, recorded_on=recorded_on).exists():
        raise ValidationError({"recorded_on": _("Status sekolah anak ini sudah dicatat pada tanggal tersebut.")})
    record = PendidikanAnak(
        warga=warga,
        recorded_on=recorded_on,
        status=status,
        school_name=school_name.strip(),
        reason=reason,
        recorded_by=user,
    )
    _save(
        record,
        duplicate_message=_("Status sekolah anak ini sudah dicatat pada tanggal tersebut."),
        duplicate_field="recorded_on",
    )
    return record


# ---------------------------------------------------------------------------------------------
# Activities and incidents
# ---------------------------------------------------------------------------------------------
def kegiatan_record(
    *,
    posyandu: Posyandu,
    field: str,
    kind: str,
    topic: str,
    date: datetime.date,
    user,
    reporting_month: datetime.date | None = None,
    attendance_men: int = 0,
    attendance_women: int = 0,
    place: str = "",
    notes: str = "",
) -> Kegiatan:
    """Record an activity; the reporting month defaults to the month of its date."""
    _not_future(date, "date", _("Tanggal kegiatan"))
    month = dates.month_start(reporting_month or date)
    months_apart = dates.calendar_months_apart(month, date)
    if not 0 <= months_apart <= 1:
        raise ValidationError({"reporting_month": _("Bulan laporan harus bulan kegiatan atau bulan sebelumnya.")})
    month_ensure_open(posyandu=posyandu, month=month)
    if attendance_men + attendance_women == 0:
        raise ValidationError({"attendance_women": _("Isi jumlah peserta (laki-laki dan/atau perempuan).")})
    kegiatan = Kegiatan(
        posyandu=posyandu,
        field=field,
        kind=kind,
        topic=" ".join(topic.split()),
        date=date,
        reporting_month=month,
        attendance_men=attendance_men,
        attendance_women=attendance_women,
        place=place.strip(),
        notes=notes.strip(),
        recorded_by=user,
    )
    _save(kegiatan, duplicate_message=_("Kegiatan ini sudah dicatat."))
    return kegiatan


def kejadian_record(
    *,
    posyandu: Posyandu,
    kind: str,
    occurred_on: datetime.date,
    place: str,
    description: str,
    user,
    people_affected: int = 0,
    houses_damaged: int = 0,
    action_taken: str = "",
    confidential: bool = False,
) -> Kejadian:
    """Record an incident. Domestic-violence reports are always confidential."""
    _not_future(occurred_on, "occurred_on", _("Tanggal kejadian"))
    month_ensure_open(posyandu=posyandu, month=occurred_on)
    kejadian = Kejadian(
        posyandu=posyandu,
        kind=kind,
        occurred_on=occurred_on,
        place=place.strip(),
        description=description.strip(),
        people_affected=people_affected,
        houses_damaged=houses_damaged,
        action_taken=action_taken.strip(),
        confidential=confidential or kind in Kejadian.ALWAYS_CONFIDENTIAL,
        recorded_by=user,
    )
    _save(kejadian, duplicate_message=_("Kejadian ini sudah dicatat."))
    return kejadian


# ---------------------------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------------------------
@transaction.atomic
def permintaan_create(
    *,
    field: str,
    kind: str,
    description: str,
    user,
    keluarga: Keluarga | None = None,
    warga: Warga | None = None,
    recorded_on: datetime.date | None = None,
) -> PermintaanLayanan:
    """Record a service request for a household or a person; its history starts with "dicatat"."""
    if keluarga is None and warga is None:
        raise ValidationError({"keluarga": _("Pilih keluarga atau warga yang dilayani.")})
    if keluarga is None:
        keluarga = warga.keluarga
    if warga is not None and keluarga is not None and warga.keluarga_id not in (None, keluarga.pk):
        raise ValidationError({"warga": _("Warga ini bukan anggota keluarga yang dipilih.")})
    posyandu_id = warga.posyandu_id if warga is not None else keluarga.posyandu_id
    recorded_on = recorded_on or dates.today()
    _not_future(recorded_on, "recorded_on", _("Tanggal dicatat"))
    permintaan = PermintaanLayanan(
        posyandu_id=posyandu_id,
        field=field,
        kind=kind,
        keluarga=keluarga,
        warga=warga,
        description=description.strip(),
        recorded_on=recorded_on,
        recorded_by=user,
    )
    permintaan.full_clean()
    permintaan.save()
    RiwayatStatusPermintaan.objects.create(permintaan=permintaan, to_status=Status.DICATAT, changed_by=user)
    return permintaan


TRANSITION_LABELS = {
    Status.DIVERIFIKASI: _("diverifikasi"),
    Status.DITERUSKAN: _("diteruskan"),
    Status.SELESAI: _("selesai"),
    Status.DITOLAK: _("ditolak"),
}


@transaction.atomic
def permintaan_transition(
    *,
    permintaan: PermintaanLayanan,
    to_status: str,
    user,
    on: datetime.date | None = None,
    note: str = "",
    forwarded_to: str = "",
    rejection_reason: str = "",
) -> PermintaanLayanan:
    """Move a request one step along the flow, recording who and when. Illegal steps are refused."""
    # Lock the row: two people pressing buttons at once must not both move it.
    current = PermintaanLayanan.objects.select_for_update().get(pk=permintaan.pk)
    on = on or dates.today()
    from_status = current.status
    if not is_legal_transition(from_status, to_status):
        raise ValidationError(
            _("Permintaan berstatus %(from)s tidak bisa diubah menjadi %(to)s.")
            % {"from": Status(from_status).label.lower(), "to": Status(to_status).label.lower()}
        )
    if user is not None and not can_transition(user, from_status, to_status):
        raise ValidationError(
            _("Anda tidak berwenang mengubah permintaan menjadi %(to)s.") % {"to": Status(to_status).label.lower()}
        )
    _not_future(on, "on", _("Tanggal"))
    if on < current.recorded_on:
        raise ValidationError({"on": _("Tanggal tidak boleh sebelum permintaan dicatat.")})
    if to_status == Status.DIVERIFIKASI:
        current.verified_on = on
        current.due_on = request_deadline(on)
    elif to_status == Status.DITERUSKAN:
        if not forwarded_to:
            raise ValidationError({"forwarded_to": _("Pilih tujuan penerusan (OPD atau kecamatan).")})
        current.forwarded_to = forwarded_to
        current.forwarded_on = on
    elif to_status in (Status.SELESAI, Status.DITOLAK):
        if to_status == Status.DITOLAK:
            rejection_reason = rejection_reason.strip()
            if not rejection_reason:
                raise ValidationError({"rejection_reason": _("Tuliskan alasan permintaan ditolak.")})
            current.rejection_reason = rejection_reason
        current.closed_on = on
    current.status = to_status
    current.full_clean()
    current.save()
    RiwayatStatusPermintaan.objects.create(
        permintaan=current, from_status=from_status, to_status=to_status, changed_by=user, note=note.strip()
    )
    return current


def dokumen_attach(*, permintaan: PermintaanLayanan, kind: str, upload, user) -> DokumenPermintaan:
    """Attach a PDF, JPG or PNG of at most 5 MB to an open request. Its type is checked from its whole
    content (``layanan.uploads``), not its name; ``user`` must handle the request at the posyandu or desa
    (``can_attach_dokumen``; None is the system). Refused: nothing is written, no file is left."""
    if user is not None and not can_attach_dokumen(user, permintaan):
        raise ValidationError(_("Dokumen diunggah oleh kader bidangnya, pengurus atau operator desa."))
    if not permintaan.is_open:
        raise ValidationError(_closed(permintaan))
    name = os.path.basename(upload.name or "")
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    if extension not in DokumenPermintaan.CONTENT_TYPES:
        raise ValidationError({"file": _("Hanya berkas PDF, JPG atau PNG yang dapat diunggah.")})
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": _("Berkas terlalu besar (%(size)s MB); paling besar 5 MB.")
                % {"size": f"{upload.size / 1048576:.1f}"}
            }
        )
    if upload.size == 0:
        raise ValidationError({"file": _("Berkas kosong.")})
    upload.seek(0)
    uploads.check(extension, upload.read())
    upload.seek(0)
    with transaction.atomic():
        # Lock the request: closed meanwhile (selesai / ditolak), it takes no document.
        current = PermintaanLayanan.objects.select_for_update().get(pk=permintaan.pk)
        if not current.is_open:
            raise ValidationError(_closed(current))
        dokumen = DokumenPermintaan(
            permintaan=current,
            kind=kind,
            original_name=name[:200],
            content_type=DokumenPermintaan.CONTENT_TYPES[extension],
            size=upload.size,
            uploaded_by=user,
        )
        dokumen.file.save(name, upload, save=False)
        try:
            dokumen.full_clean()
            dokumen.save()
        except Exception:
            dokumen.file.delete(save=False)  # nothing half-saved: no orphan file
            raise
    return dokumen


def _closed(permintaan: PermintaanLayanan) -> str:
    return _("Permintaan ini sudah %(status)s: dokumen tidak dapat ditambahkan lagi.") % {
        "status": permintaan.get_status_display().lower()
    }
