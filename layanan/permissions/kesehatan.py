"""Who may write health data. Scope (which rows) is posyandu.scope; this is about roles."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from posyandu.models import Role, SpmField


def can_record_health(user) -> bool:
    """Kader of the health field, pengurus of their posyandu, desa operators (typing in paper
    sheets) and admins record visits. Tim Pembina read; kader of other fields have their own."""
    if user.is_admin_role:
        return True
    if user.role == Role.KADER:
        return user.field == SpmField.KESEHATAN
    return user.role in (Role.PENGURUS, Role.OPERATOR_DESA)


def can_correct_health(user) -> bool:
    """Who corrects a recorded visit, records an immunisation and follows up a referral: the health
    writers, and the Puskesmas officers of the area (who check the kader's measurements). The pages a
    Puskesmas officer may open at all are ``posyandu.role_gate.PUSKESMAS_URLS``."""
    return can_record_health(user) or user.role == Role.PUSKESMAS


def require_health_writer(user) -> None:
    if not can_record_health(user):
        raise PermissionDenied(_("Anda tidak berwenang mencatat data kesehatan."))


def require_health_corrector(user) -> None:
    if not can_correct_health(user):
        raise PermissionDenied(_("Anda tidak berwenang mengubah data kesehatan."))
