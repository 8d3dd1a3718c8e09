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


# The request flow: (from, to) -> roles that may make the change.
TRANSITIONS: dict[tuple[str, str], tuple[str, ...]] = {
    (Status.DICATAT, Status.DIVERIFIKASI): (Role.OPERATOR_DESA,),
    (Status.DICATAT, Status.DITOLAK): (Role.OPERATOR_DESA,),
    (Status.DIVERIFIKASI, Status.DITERUSKAN): (Role.OPERATOR_DESA, *PEMBINA_ROLES),
    (Status.DIVERIFIKASI, Status.DITOLAK): (Role.OPERATOR_DESA, *PEMBINA_ROLES),
    (Status.DITERUSKAN, Status.SELESAI): PEMBINA_ROLES,
    (Status.DITERUSKAN, Status.DITOLAK): PEMBINA_ROLES,
}


def is_legal_transition(from_status: str, to_status: str) -> bool:
    return (from_status, to_status) in TRANSITIONS


def can_transition(user, from_status: str, to_status: str) -> bool:
    roles = TRANSITIONS.get((from_status, to_status))
    if roles is None:
        return False
    return user.is_admin_role or user.role in roles


def next_statuses(user, status: str) -> list[str]:
    """The changes this user may make to a request in ``status`` (buttons on its page)."""
    return [to for (frm, to) in TRANSITIONS if frm == status and can_transition(user, frm, to)]
