"""Who reads and who changes a kabupaten's settings.

The kabupaten's Tim Pembina (and admins) change them; the Tim Pembina of its kecamatan read them (the
rules they are measured by); nobody else sees the page."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from posyandu.models import Role


def _in_kabupaten(user, code: str) -> bool:
    own = user.wilayah_id or ""
    return own == code or own.startswith(code + ".")


def can_view_settings(user, code: str) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_admin_role:
        return True
    return user.role in (Role.PEMBINA_KABUPATEN, Role.PEMBINA_KECAMATAN) and _in_kabupaten(user, code)


def can_edit_settings(user, code: str) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_admin_role:
        return True
    return user.role == Role.PEMBINA_KABUPATEN and user.wilayah_id == code


def require_settings_editor(user, code: str) -> None:
    if not can_edit_settings(user, code):
        raise PermissionDenied(_("Pengaturan kabupaten hanya dapat diubah Tim Pembina kabupaten dan admin."))
