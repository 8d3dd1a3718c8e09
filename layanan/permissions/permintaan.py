"""Who may record a service request, attach its documents and move it along its flow."""

from layanan.models import BIDANG_FIELDS, PermintaanLayanan
from layanan.permissions.roles import PEMBINA_ROLES, is_writer
from posyandu.models import Role

Status = PermintaanLayanan.Status


def can_record_permintaan(user) -> bool:
    return is_writer(user, BIDANG_FIELDS)


def can_attach_dokumen(user, permintaan: PermintaanLayanan) -> bool:
    """Documents of a request are attached by whoever handles it at the posyandu and the desa: the kader
    of its field, the pengurus, the desa operator (and admins). The Tim Pembina read them; a closed
    request takes no more (``services.permintaan.dokumen_attach``)."""
    return is_writer(user, (permintaan.field,))


# The request flow: (from, to) -> roles that may make the change. A request forwarded to a named OPD is
# moved on by that OPD's officers (``OPD_STEPS``); one forwarded to the kecamatan, or to an agency before
# OPD were named, by the Tim Pembina.
TRANSITIONS: dict[tuple[str, str], tuple[str, ...]] = {
    (Status.DICATAT, Status.DIVERIFIKASI): (Role.OPERATOR_DESA,),
    (Status.DICATAT, Status.DITOLAK): (Role.OPERATOR_DESA,),
    (Status.DIVERIFIKASI, Status.DITERUSKAN): (Role.OPERATOR_DESA, *PEMBINA_ROLES),
    (Status.DIVERIFIKASI, Status.DITOLAK): (Role.OPERATOR_DESA, *PEMBINA_ROLES),
    (Status.DITERUSKAN, Status.DITERIMA): (Role.OPD,),
    (Status.DITERUSKAN, Status.SELESAI): (*PEMBINA_ROLES, Role.OPD),
    (Status.DITERUSKAN, Status.DITOLAK): (*PEMBINA_ROLES, Role.OPD),
    (Status.DITERIMA, Status.SELESAI): (Role.OPD,),
    (Status.DITERIMA, Status.DITOLAK): (Role.OPD,),
}
# The steps taken only on a request forwarded to a named OPD, by its officers (and admins).
OPD_STEPS = {(Status.DITERUSKAN, Status.DITERIMA), (Status.DITERIMA, Status.SELESAI), (Status.DITERIMA, Status.DITOLAK)}


def is_legal_transition(from_status: str, to_status: str) -> bool:
    return (from_status, to_status) in TRANSITIONS


def can_transition(user, from_status: str, to_status: str, permintaan: PermintaanLayanan | None = None) -> bool:
    """Whether ``user`` may make the change; given the request, also whether it is theirs to move: a
    request forwarded to a named OPD is that OPD's (the Tim Pembina no longer close it for them), and
    an OPD officer moves only the requests forwarded to their own OPD."""
    roles = TRANSITIONS.get((from_status, to_status))
    if roles is None:
        return False
    if permintaan is not None:
        to_opd = permintaan.forwarded_opd_id is not None
        if (from_status, to_status) in OPD_STEPS and not to_opd:
            return False
        if from_status == Status.DITERUSKAN and to_opd and user.role in PEMBINA_ROLES:
            return False
        if user.role == Role.OPD and (not to_opd or permintaan.forwarded_opd_id != user.opd_id):
            return False
    elif user.role == Role.OPD and not user.is_admin_role:
        return False  # an OPD officer acts on a given request only
    return user.is_admin_role or user.role in roles


def next_statuses(user, status: str, permintaan: PermintaanLayanan | None = None) -> list[str]:
    """The changes this user may make to a request in ``status`` (buttons on its page)."""
    return [to for (frm, to) in TRANSITIONS if frm == status and can_transition(user, frm, to, permintaan)]
