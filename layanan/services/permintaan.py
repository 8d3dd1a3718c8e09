"""Writes of service requests: creation, each step of the flow, documents. Keyword-only, ``<noun>_<verb>``,
Indonesian ``ValidationError`` messages keyed by form field where there is one."""

import datetime
import os

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from layanan import uploads
from layanan.models import (
    DokumenPermintaan,
    PermintaanLayanan,
    RiwayatStatusPermintaan,
)
from layanan.permissions import can_attach_dokumen, can_transition, is_legal_transition
from layanan.selectors import request_deadline
from layanan.services.checks import ensure_not_future
from posyandu import dates
from posyandu.models import Keluarga, Opd, Warga
from posyandu.saving import record_save

Status = PermintaanLayanan.Status
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


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
    ensure_not_future(recorded_on, "recorded_on", _("Tanggal dicatat"))
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
    record_save(permintaan)
    RiwayatStatusPermintaan.objects.create(permintaan=permintaan, to_status=Status.DICATAT, changed_by=user)
    return permintaan


TRANSITION_LABELS = {
    Status.DIVERIFIKASI: _("diverifikasi"),
    Status.DITERUSKAN: _("diteruskan"),
    Status.DITERIMA: _("diterima"),
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
    forwarded_opd: Opd | None = None,
    rejection_reason: str = "",
) -> PermintaanLayanan:
    """Move a request one step along the flow, recording who and when. Illegal steps are refused, and so
    is a step on a request that is not the user's to move (another OPD's). A replayed or double-submitted
    step finds the request already moved on and is refused the same way."""
    # Lock the row: two people pressing buttons at once must not both move it.
    current = PermintaanLayanan.objects.select_for_update().select_related("posyandu__desa").get(pk=permintaan.pk)
    on = on or dates.today()
    from_status = current.status
    if not is_legal_transition(from_status, to_status):
        raise ValidationError(
            _("Permintaan berstatus %(from)s tidak bisa diubah menjadi %(to)s.")
            % {"from": Status(from_status).label.lower(), "to": Status(to_status).label.lower()}
        )
    if user is not None and not can_transition(user, from_status, to_status, current):
        raise ValidationError(
            _("Anda tidak berwenang mengubah permintaan menjadi %(to)s.") % {"to": Status(to_status).label.lower()}
        )
    ensure_not_future(on, "on", _("Tanggal"))
    if on < current.recorded_on:
        raise ValidationError({"on": _("Tanggal tidak boleh sebelum permintaan dicatat.")})
    note = note.strip()
    if to_status == Status.DIVERIFIKASI:
        current.verified_on = on
        current.due_on = request_deadline(on)
    elif to_status == Status.DITERUSKAN:
        _forward(current, forwarded_to=forwarded_to, forwarded_opd=forwarded_opd, on=on)
    elif to_status == Status.DITERIMA:
        _ensure_not_before(on, current.forwarded_on, _("Tanggal diterima tidak boleh sebelum tanggal diteruskan."))
        current.accepted_on = on
    elif to_status in (Status.SELESAI, Status.DITOLAK):
        _close(current, to_status=to_status, on=on, note=note, rejection_reason=rejection_reason)
    current.status = to_status
    record_save(current)
    RiwayatStatusPermintaan.objects.create(
        permintaan=current, from_status=from_status, to_status=to_status, changed_by=user, note=note
    )
    return current


def _ensure_not_before(on: datetime.date, earlier: datetime.date | None, message: str) -> None:
    if earlier is not None and on < earlier:
        raise ValidationError({"on": message})


def _forward(current: PermintaanLayanan, *, forwarded_to: str, forwarded_opd: Opd | None, on: datetime.date) -> None:
    """Forward to the kecamatan, or to a named OPD of the posyandu's kabupaten that serves the request's field."""
    Destination = PermintaanLayanan.Destination
    if forwarded_opd is not None:
        forwarded_to = Destination.OPD
    if forwarded_to not in (Destination.KECAMATAN, Destination.OPD):
        raise ValidationError({"forwarded_to": _("Pilih tujuan penerusan: OPD pengampu atau kecamatan.")})
    if forwarded_to == Destination.OPD:
        if forwarded_opd is None:
            raise ValidationError({"forwarded_opd": _("Pilih OPD yang dituju.")})
        kabupaten = current.posyandu.desa.code.rsplit(".", 2)[0]
        if forwarded_opd.kabupaten_id != kabupaten or current.field not in forwarded_opd.fields:
            raise ValidationError(
                {"forwarded_opd": _("OPD ini bukan pengampu bidang permintaan ini di kabupaten posyandunya.")}
            )
    current.forwarded_to = forwarded_to
    current.forwarded_opd = forwarded_opd if forwarded_to == Destination.OPD else None
    current.forwarded_on = on


def _close(current: PermintaanLayanan, *, to_status: str, on: datetime.date, note: str, rejection_reason: str) -> None:
    previous = current.accepted_on or current.forwarded_on
    _ensure_not_before(on, previous, _("Tanggal tidak boleh sebelum langkah sebelumnya."))
    if to_status == Status.DITOLAK:
        rejection_reason = rejection_reason.strip()
        if not rejection_reason:
            raise ValidationError({"rejection_reason": _("Tuliskan alasan permintaan ditolak.")})
        current.rejection_reason = rejection_reason
    elif current.forwarded_opd_id and not note:
        # The OPD says what was done: the desa and the household read it on the request's page.
        raise ValidationError({"note": _("Tuliskan catatan apa yang sudah dilakukan.")})
    current.closed_on = on


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
            record_save(dokumen)
        except Exception:
            dokumen.file.delete(save=False)  # nothing half-saved: no orphan file
            raise
    return dokumen


def _closed(permintaan: PermintaanLayanan) -> str:
    return _("Permintaan ini sudah %(status)s: dokumen tidak dapat ditambahkan lagi.") % {
        "status": permintaan.get_status_display().lower()
    }
