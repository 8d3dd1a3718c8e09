"""Who may do what in the five other SPM fields. Scope (which rows) is ``posyandu.scope``; this is roles.

- A kader works in their own field: they see that field's activities and requests and record them.
  The household survey is shared by the household fields (pekerjaan umum, perumahan rakyat, sosial,
  trantibum linmas for disaster damage); schooling belongs to pendidikan; incidents to trantibum linmas.
- Pengurus see and record every field of their posyandu.
- The desa operator (for the Kepala Desa) records too, and verifies requests after the home visit.
- Tim Pembina of the kecamatan and kabupaten read everything in their area, forward requests to the
  OPD and close them (selesai / ditolak); the documents of a request are attached at the posyandu and
  the desa, while it is open.
- Confidential incidents (KDRT always) are seen by whoever recorded them, the desa operator and above —
  not by the other kader nor the pengurus of the posyandu.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from posyandu.models import Role, SpmField
from posyandu.scope import limited_fields

SURVEY_FIELDS = (SpmField.PEKERJAAN_UMUM, SpmField.PERUMAHAN_RAKYAT, SpmField.SOSIAL, SpmField.TRANTIBUM_LINMAS)
PEMBINA_ROLES = (Role.PEMBINA_KECAMATAN, Role.PEMBINA_KABUPATEN)


def visible_fields(user) -> tuple[str, ...]:
    """The SPM fields whose activities and requests the user sees (a kader: only their own)."""
    if user.role == Role.KADER and not user.is_admin_role:
        return (user.field,)
    return limited_fields(user) or tuple(SpmField.values)


def is_writer(user, fields) -> bool:
    if user.is_admin_role:
        return True
    if user.role == Role.KADER:
        return user.field in fields
    return user.role in (Role.PENGURUS, Role.OPERATOR_DESA)


def can_record_survey(user) -> bool:
    return is_writer(user, SURVEY_FIELDS)


def can_record_pendidikan(user) -> bool:
    return is_writer(user, (SpmField.PENDIDIKAN,))


def can_record_kegiatan(user) -> bool:
    """Every field holds activities, kesehatan's penyuluhan included; a kader records their own field's."""
    return is_writer(user, tuple(SpmField.values))


def can_record_kejadian(user) -> bool:
    return is_writer(user, (SpmField.TRANTIBUM_LINMAS,))


def can_see_kejadian(user) -> bool:
    return user.role != Role.KADER or user.field == SpmField.TRANTIBUM_LINMAS or user.is_admin_role


def can_see_confidential(user) -> bool:
    """The desa operator and above see every confidential incident of their area."""
    return user.is_admin_role or user.role in (Role.OPERATOR_DESA, *PEMBINA_ROLES)


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("Anda tidak berwenang untuk tindakan ini."))
