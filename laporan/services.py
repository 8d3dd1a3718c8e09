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

from laporan import rekap, selectors
from laporan.models import LaporanBulanan, RiwayatLaporan
from posyandu import dates, monthlock, periods
from posyandu.models import BulanTerkunci, Posyandu, Role

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
