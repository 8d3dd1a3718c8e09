"""Who may change kader data. Scope (which rows) is posyandu.scope; this is about roles."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from posyandu.models import ROLE_AREA_LEVEL, Role


def can_manage_kader(user) -> bool:
    """Pengurus and the desa operator keep their posyandu's kader register (and admins)."""
    return user.is_admin_role or user.role in (Role.PENGURUS, Role.OPERATOR_DESA)


def can_manage_pelatihan(user) -> bool:
    """Tim Pembina (desa operator, kecamatan, kabupaten) record trainings and their participants."""
    return user.is_admin_role or user.role in ROLE_AREA_LEVEL


def can_record_penilaian(user) -> bool:
    """Assessments (by the Puskesmas) are typed in by pengurus, desa operators, Tim Pembina and admins."""
    return user.is_admin_role or user.role in (Role.PENGURUS, *ROLE_AREA_LEVEL)


def can_view_kader_profile(user, kader) -> bool:
    """A kader sees their own profile; everyone else within scope sees every profile."""
    return user.role != Role.KADER or kader.user_id == user.pk


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("Anda tidak berwenang melakukan ini."))
