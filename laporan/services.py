"""Writes of the report lifecycle: submit, verify, approve, return, and an admin's reopen.

Each step is one transition of ``TRANSITIONS`` (who may take it, from which statuses, to which),
recorded as a ``RiwayatLaporan`` row in the same transaction. Approving locks the month
(``posyandu.models.BulanTerkunci``): from then on the database refuses changes to it (``posyandu.monthlock``).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from laporan import indicators as ind
from laporan import rekap, selectors
from laporan.models import KeputusanRakor, LaporanBulanan, Rakor, RiwayatKeputusan, RiwayatLaporan
from posyandu import dates, monthlock, periods
from posyandu.concurrency import ensure_unchanged
from posyandu.models import BulanTerkunci, Posyandu, Role, Wilayah
from posyandu.saving import record_save

Status = LaporanBulanan.Status
Action = RiwayatLaporan.Action


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str
    roles: tuple[str, ...]  # besides admin, who may always act
    needs_comment: bool = False
    admin_only: bool = False
    label: str = ""


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            Action.AJUKAN,
            (Status.DRAF, Status.DIKEMBALIKAN),
            Status.DIAJUKAN,
            (Role.PENGURUS,),
            label=gettext_lazy("Ajukan laporan"),
        ),
        Transition(
            Action.VERIFIKASI,
            (Status.DIAJUKAN,),
            Status.DIVERIFIKASI,
            (Role.OPERATOR_DESA,),
            label=gettext_lazy("Verifikasi"),
        ),
        Transition(
            Action.SETUJUI,
            (Status.DIVERIFIKASI,),
            Status.DISETUJUI,
            (Role.PEMBINA_KECAMATAN,),
            label=gettext_lazy("Setujui dan kunci"),
        ),
        Transition(
            Action.KEMBALIKAN,
            (Status.DIAJUKAN, Status.DIVERIFIKASI),
            Status.DIKEMBALIKAN,
            (Role.OPERATOR_DESA, Role.PEMBINA_KECAMATAN),
            needs_comment=True,
            label=gettext_lazy("Kembalikan untuk diperbaiki"),
        ),
        Transition(
            Action.BUKA_KEMBALI,
            (Status.DISETUJUI,),
            Status.DIKEMBALIKAN,
            (),
            needs_comment=True,
            admin_only=True,
            label=gettext_lazy("Buka kembali (admin)"),
        ),
    )
}


def allowed_transitions(*, laporan: LaporanBulanan, user) -> list[Transition]:
    """The steps ``user`` may take on ``laporan`` now (the user's scope is checked by the view)."""
    return [t for t in TRANSITIONS.values() if laporan.status in t.sources and _may(user, t)]


def _may(user, transition: Transition) -> bool:
    if user.is_admin_role:
        return True
    return not transition.admin_only and user.role in transition.roles


def laporan_get_or_create(*, posyandu: Posyandu, month: datetime.date) -> LaporanBulanan:
    month = month.replace(day=1)
    if month > dates.this_month():
        raise ValidationError({"month": _("Bulan laporan tidak boleh di masa depan.")})
    if problem := periods.month_problem(month):
        raise ValidationError({"month": problem})
    laporan, _created = LaporanBulanan.objects.get_or_create(posyandu=posyandu, month=month)
    return laporan


@transaction.atomic
def laporan_act(*, posyandu: Posyandu, month: datetime.date, action: str, user, comment: str = "") -> LaporanBulanan:
    """Take ``action`` on the posyandu's report of ``month`` (the report page's buttons).

    The report row is created only for a step that is taken: a refused one (an unknown action, a role
    that may not take it, a status it cannot be taken from, a month outside the ones held) raises
    before anything is written, or rolls the new draft back with it."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError(_("Tindakan tidak dikenal."))
    if not _may(user, transition):
        raise PermissionDenied(_("Anda tidak berwenang mengambil tindakan ini."))
    laporan = laporan_get_or_create(posyandu=posyandu, month=month)
    return laporan_transition(laporan=laporan, action=action, user=user, comment=comment)


@transaction.atomic
def laporan_transition(*, laporan: LaporanBulanan, action: str, user, comment: str = "") -> LaporanBulanan:
    """Take one step of the lifecycle. Raises PermissionDenied for a role that may not take it,
    ValidationError (in Indonesian) for a step not possible from the current status."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise ValidationError(_("Tindakan tidak dikenal."))
    if not _may(user, transition):
        raise PermissionDenied(_("Anda tidak berwenang mengambil tindakan ini."))
    # Lock the row: two people acting on the same report at once take turns.
    laporan = LaporanBulanan.objects.select_for_update().get(pk=laporan.pk)
    if laporan.status not in transition.sources:
        raise ValidationError(
            _("Laporan berstatus “%(status)s”: tindakan “%(action)s” tidak dapat dilakukan.")
            % {"status": laporan.get_status_display(), "action": transition.label}
        )
    comment = comment.strip()
    if transition.needs_comment and not comment:
        raise ValidationError({"comment": _("Tuliskan alasannya, agar posyandu tahu apa yang harus diperbaiki.")})
    now = dates.now()
    previous = laporan.status
    laporan.status = transition.target
    if transition.action == Action.AJUKAN:
        laporan.submitted_at, laporan.submitted_by = now, user
        laporan.verified_at = laporan.verified_by = laporan.approved_at = laporan.approved_by = None
    elif transition.action == Action.VERIFIKASI:
        laporan.verified_at, laporan.verified_by = now, user
    elif transition.action == Action.SETUJUI:
        # Wait for this posyandu's writes in flight; later writes wait for this commit, then are refused.
        monthlock.approval_lock(posyandu_id=laporan.posyandu_id)
        laporan.approved_at, laporan.approved_by = now, user
        BulanTerkunci.objects.get_or_create(
            posyandu_id=laporan.posyandu_id, month=laporan.month, defaults={"locked_by": user}
        )
    elif transition.action == Action.BUKA_KEMBALI:
        BulanTerkunci.objects.filter(posyandu_id=laporan.posyandu_id, month=laporan.month).delete()
        laporan.approved_at = laporan.approved_by = None
    laporan.comment = comment
    laporan.full_clean()
    laporan.save()
    if transition.action == Action.SETUJUI:  # the approved figures, kept while the month stays approved
        rekap.freeze(posyandu_id=laporan.posyandu_id, month=laporan.month)
        laporan.approved_skdn = selectors.skdn(user=None, month=laporan.month, posyandu=laporan.posyandu)
        laporan.save(update_fields=["approved_skdn"])
    elif transition.action == Action.BUKA_KEMBALI:
        laporan.approved_skdn = None
        laporan.save(update_fields=["approved_skdn"])
    RiwayatLaporan.objects.create(
        laporan=laporan, action=transition.action, from_status=previous, to_status=laporan.status, comment=comment,
        user=user,
    )  # fmt: skip
    return laporan


def month_label(month: datetime.date) -> str:
    return date_format(month, "F Y")


# ---------------------------------------------------------------------------------------------
# Rakor decisions and their follow-up
# ---------------------------------------------------------------------------------------------
RAKOR_LEVELS = (Wilayah.Level.KABUPATEN, Wilayah.Level.KECAMATAN)
TEAM_ROLES = (Role.PEMBINA_KECAMATAN, Role.PEMBINA_KABUPATEN)
KStatus = KeputusanRakor.Status


def _inside(code: str, area_code: str) -> bool:
    return code == area_code or code.startswith(area_code + ".")


def is_rakor_team(user, rakor: Rakor) -> bool:
    """The Tim Pembina of the meeting's area (or of the area above it) and admins: they record the
    meeting's decisions and may update any of them."""
    if user.is_admin_role:
        return True
    return user.role in TEAM_ROLES and bool(user.wilayah_id) and _inside(rakor.wilayah_id, user.wilayah_id)


def may_update_keputusan(user, keputusan: KeputusanRakor) -> bool:
    """The responsible OPD's officers, the responsible area's users (its desa operator or kecamatan team)
    and the meeting's team."""
    if is_rakor_team(user, keputusan.rakor):
        return True
    if user.role == Role.OPD:
        return bool(user.opd_id) and keputusan.opd_id == user.opd_id
    return bool(user.wilayah_id) and keputusan.wilayah_pj_id == user.wilayah_id


def may_create_rakor(user) -> bool:
    return user.is_admin_role or (user.role in TEAM_ROLES and bool(user.wilayah_id))


def rakor_create(*, wilayah: Wilayah, held_on: datetime.date, period: str, user, notes: str = "") -> Rakor:
    """Record a meeting of ``wilayah``'s Tim Pembina (a kabupaten or a kecamatan inside the user's area)."""
    if not may_create_rakor(user):
        raise PermissionDenied(_("Hanya Tim Pembina kecamatan/kabupaten yang mencatat rakor."))
    errors = {}
    if wilayah.level not in RAKOR_LEVELS:
        errors["wilayah"] = _("Rakor diadakan oleh Tim Pembina kabupaten atau kecamatan.")
    elif user.wilayah_id and not _inside(wilayah.code, user.wilayah_id):
        errors["wilayah"] = _("Wilayah rakor harus di dalam wilayah tugas Anda.")
    try:
        parsed = ind.parse_period(period, default=dates.this_month())
    except periods.PeriodError as error:
        errors["period"] = str(error)
        parsed = None
    if held_on > dates.today():
        errors["held_on"] = _("Tanggal rapat tidak boleh di masa depan.")
    rakor = Rakor(wilayah=wilayah, held_on=held_on, period=parsed.param if parsed else period, notes=notes.strip())
    rakor.period_end = parsed.end if parsed else held_on
    rakor.created_by = user
    return record_save(
        rakor,
        errors=errors or None,
        constraint_errors={"rakor_one_per_area_day": _("Rakor wilayah ini pada tanggal itu sudah dicatat.")},
    )


@transaction.atomic
def keputusan_add(*, rakor: Rakor, rows: list[dict], user) -> list[KeputusanRakor]:
    """Record several decisions of ``rakor`` at once (all or none). Each row: ``text``, ``field``, one
    responsible party: ``opd`` (an OPD of the meeting's kabupaten serving the field) or ``wilayah_pj`` (an
    area inside the meeting's area), ``responsible`` (a note; the party itself when neither), ``deadline``."""
    if not is_rakor_team(user, rakor):
        raise PermissionDenied(_("Hanya Tim Pembina penyelenggara rakor yang mencatat keputusannya."))
    created = []
    for row in rows:
        keputusan = KeputusanRakor(
            rakor=rakor,
            text=row["text"].strip(),
            field=row["field"],
            opd=row.get("opd"),
            wilayah_pj=row.get("wilayah_pj"),
            responsible=" ".join((row.get("responsible") or "").split()),
            deadline=row["deadline"],
            status=KStatus.BELUM,
            status_on=rakor.held_on,
        )
        created.append(_keputusan_save(keputusan))
    return created


def _keputusan_save(keputusan: KeputusanRakor, *, errors: dict | None = None) -> KeputusanRakor:
    """The one save path of a decision, new or edited: its party and deadline checked against its meeting
    (with the caller's own ``errors``), then ``record_save``."""
    errors = {**_keputusan_errors(keputusan, keputusan.rakor), **(errors or {})}
    return record_save(keputusan, errors=errors or None)


def _keputusan_errors(keputusan: KeputusanRakor, rakor: Rakor) -> dict:
    """One party: an OPD of the meeting's kabupaten that serves the decision's field (any of its OPD for
    kelembagaan), or an area strictly inside the meeting's area; a deadline not before the meeting."""
    errors = {}
    if keputusan.deadline is not None and keputusan.deadline < rakor.held_on:
        errors["deadline"] = _("Batas waktu tidak boleh sebelum tanggal rapat.")
    area, opd = keputusan.wilayah_pj, keputusan.opd
    if area is not None and opd is not None:
        errors["opd"] = _("Pilih salah satu penanggung jawab: OPD atau wilayah, bukan keduanya.")
    if area is not None and (area.code == rakor.wilayah_id or not _inside(area.code, rakor.wilayah_id)):
        errors["wilayah_pj"] = _("Wilayah penanggung jawab harus di dalam wilayah rakor.")
    if opd is not None and not _inside(rakor.wilayah_id, opd.kabupaten_id):
        errors["opd"] = _("OPD ini bukan OPD kabupaten tempat rakor diadakan.")
    elif opd is not None and not KeputusanRakor.opd_serves(opd, keputusan.field):
        errors["opd"] = KeputusanRakor.opd_not_serving_message(opd, keputusan.field)
    return errors


# From an open status to any other; a finished or cancelled decision is reopened ("berjalan") by the team.
KEPUTUSAN_NEXT = {
    KStatus.BELUM: (KStatus.BERJALAN, KStatus.SELESAI, KStatus.BATAL),
    KStatus.BERJALAN: (KStatus.BERJALAN, KStatus.SELESAI, KStatus.BATAL),  # berjalan → berjalan: a progress note
    KStatus.SELESAI: (KStatus.BERJALAN,),
    KStatus.BATAL: (KStatus.BERJALAN,),
}


def keputusan_next_statuses(*, keputusan: KeputusanRakor, user) -> list[tuple[str, str]]:
    """The statuses ``user`` may set now, as (value, label)."""
    if not may_update_keputusan(user, keputusan):
        return []
    allowed = KEPUTUSAN_NEXT[keputusan.status]
    if not is_rakor_team(user, keputusan.rakor):
        # The responsible party reports progress and completion; cancelling (or reopening) a decision of the
        # meeting is the meeting's team's call, so a late decision does not leave the follow-up by a tap.
        allowed = tuple(value for value in allowed if value != KStatus.BATAL) if keputusan.is_open else ()
    return [(value, label) for value, label in KStatus.choices if value in allowed]


@transaction.atomic
def keputusan_set_status(
    *, keputusan: KeputusanRakor, to_status: str, note: str, on: datetime.date, user
) -> KeputusanRakor:
    """Move a decision to ``to_status`` with a note and the date it happened; the change is kept as a
    ``RiwayatKeputusan`` row (and in the decision's history)."""
    if not may_update_keputusan(user, keputusan):
        raise PermissionDenied(_("Hanya penanggung jawab atau Tim Pembina penyelenggara yang mengubah status."))
    keputusan = KeputusanRakor.objects.select_for_update().select_related("rakor").get(pk=keputusan.pk)
    note = note.strip()
    if to_status == keputusan.status and note == keputusan.status_note and on == keputusan.status_on:
        # The same change again (a double tap, a replayed form): already recorded, nothing to add.
        raise ValidationError(_("Perubahan status ini sudah tercatat."), code="already_recorded")
    allowed = [value for value, _label in keputusan_next_statuses(keputusan=keputusan, user=user)]
    errors = {}
    if to_status not in allowed:
        errors["status"] = _("Status “%(status)s” tidak dapat diubah ke pilihan itu.") % {
            "status": keputusan.get_status_display()
        }
    if not note:
        errors["note"] = _("Tuliskan catatan: apa yang sudah dilakukan atau mengapa.")
    if on > dates.today():
        errors["on"] = _("Tanggal tidak boleh di masa depan.")
    elif on < keputusan.rakor.held_on:
        errors["on"] = _("Tanggal tidak boleh sebelum tanggal rapat.")
    elif on < keputusan.status_on:
        errors["on"] = _("Tanggal tidak boleh sebelum perubahan status terakhir (%(day)s).") % {
            "day": date_format(keputusan.status_on, "j F Y")
        }
    if errors:
        raise ValidationError(errors)
    previous = keputusan.status
    keputusan.status, keputusan.status_note, keputusan.status_on = to_status, note, on
    record_save(keputusan)
    RiwayatKeputusan.objects.create(
        keputusan=keputusan, from_status=previous, to_status=to_status, note=note, on=on, user=user
    )
    return keputusan


# What the meeting's team may change in a decision after it was recorded (its status has its own path).
KEPUTUSAN_EDITABLE = ("text", "field", "opd", "wilayah_pj", "responsible", "deadline")


def may_edit_keputusan(user, keputusan: KeputusanRakor) -> bool:
    """The meeting's team (who also cancel and reopen it) corrects a decision and hands it to another party."""
    return is_rakor_team(user, keputusan.rakor)


def keputusan_closed_message(keputusan: KeputusanRakor) -> str:
    """Why a finished or cancelled decision is not edited: what was done (or dropped) stays as it was
    decided; the team reopens it first when it is to be done after all, by someone else or otherwise."""
    if keputusan.status == KStatus.SELESAI:
        return _(
            "Keputusan ini sudah selesai, jadi tidak dapat diubah atau dialihkan ke penanggung jawab lain. "
            "Bila masih perlu dikerjakan, buka kembali dulu (status “Sedang berjalan”)."
        )
    return _(
        "Keputusan ini sudah dibatalkan, jadi tidak dapat diubah atau dialihkan. "
        "Bila akan dikerjakan juga, buka kembali dulu (status “Sedang berjalan”)."
    )


def _edit_changes(before: dict, after: KeputusanRakor) -> list[str]:
    """The changes other than the party, in words, for the decision's history."""
    labels = dict(KeputusanRakor.FIELD_CHOICES)
    changes = []
    if before["text"] != after.text:
        changes.append(_("Isi keputusan: “%(old)s” → “%(new)s”") % {"old": before["text"], "new": after.text})
    if before["field"] != after.field:
        changes.append(
            _("Bidang: %(old)s → %(new)s")
            % {"old": labels.get(before["field"], before["field"]), "new": labels.get(after.field, after.field)}
        )
    if before["deadline"] != after.deadline:
        changes.append(
            _("Batas waktu: %(old)s → %(new)s")
            % {"old": date_format(before["deadline"], "j F Y"), "new": date_format(after.deadline, "j F Y")}
        )
    return changes


@transaction.atomic
def keputusan_update(
    *, keputusan: KeputusanRakor, user, note: str, version: str | None = None, **data
) -> KeputusanRakor:
    """The meeting's team corrects a decision (text, field, deadline) or hands it to another party (another
    OPD of the meeting's kabupaten serving its field, or another area inside the meeting's area). ``data``
    holds ``KEPUTUSAN_EDITABLE`` values (others are ignored); ``note`` says why. Kept as a
    ``RiwayatKeputusan`` row of kind "ubah": who, when, the party before and after, the other changes.

    The same edit posted again (a double tap, a replayed form) is refused as already recorded; a finished
    or cancelled decision is not edited (``keputusan_closed_message``); a form opened before someone else's
    change (``version``) is refused as stale (``posyandu.concurrency``)."""
    if not may_edit_keputusan(user, keputusan):
        raise PermissionDenied(_("Hanya Tim Pembina penyelenggara rakor yang mengubah atau mengalihkan keputusannya."))
    keputusan = (
        KeputusanRakor.objects.select_for_update(of=("self",))
        .select_related("rakor", "opd", "wilayah_pj")
        .get(pk=keputusan.pk)
    )
    if "text" in data:
        data["text"] = (data["text"] or "").strip()
    if "responsible" in data:
        data["responsible"] = " ".join((data["responsible"] or "").split())
    before = {name: getattr(keputusan, name) for name in KEPUTUSAN_EDITABLE}
    if all(data[name] == before[name] for name in KEPUTUSAN_EDITABLE if name in data):
        message = _("Perubahan ini sudah tercatat; keputusan sudah seperti isian Anda.")
        raise ValidationError(message, code="already_recorded")
    if not keputusan.is_open:
        raise ValidationError(keputusan_closed_message(keputusan), code="closed")
    ensure_unchanged(keputusan, version, name=_("keputusan ini"))
    note = (note or "").strip()
    old_party = keputusan.responsible_label
    for name in KEPUTUSAN_EDITABLE:
        if name in data:
            setattr(keputusan, name, data[name])
    errors = {} if note else {"note": _("Tuliskan alasan perubahan: mengapa diubah atau dialihkan.")}
    _keputusan_save(keputusan, errors=errors)
    RiwayatKeputusan.objects.create(
        keputusan=keputusan,
        kind=RiwayatKeputusan.Kind.UBAH,
        from_status=keputusan.status,
        to_status=keputusan.status,
        from_responsible=old_party[:200],
        to_responsible=keputusan.responsible_label[:200],
        changes="\n".join(_edit_changes(before, keputusan)),
        note=note,
        on=dates.today(),
        user=user,
    )
    return keputusan
