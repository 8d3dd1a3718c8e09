"""Who may write health data. Scope (which rows) is posyandu.scope; this is about roles."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from posyandu.models import Role, SpmField


def can_record_health(user) -> bool:
    """Kader of the health field, pengurus of their posyandu, desa operators (typing in paper
    sheets), Puskesmas officers and admins record visits. Tim Pembina read; kader of other fields have their own."""
    if user.is_admin_role:
        return True
    if user.role == Role.KADER:
        return user.field == SpmField.KESEHATAN
    # A Puskesmas officer corrects a kader's entry, gives immunisations and follows up referrals; the
    # pages they may open at all are posyandu.scope.PUSKESMAS_URLS.
    return user.role in (Role.PENGURUS, Role.OPERATOR_DESA, Role.PUSKESMAS)


def require_health_writer(user) -> None:
    if not can_record_health(user):
        raise PermissionDenied(_("Anda tidak berwenang mencatat data kesehatan."))
