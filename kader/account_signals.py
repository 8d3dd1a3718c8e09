"""A kader's login account follows the kader registry (accounts: ``posyandu.akun.services``).

The accounts live in the foundation, which never imports this app; it sends ``account_changing`` and
``account_changed`` (``posyandu.signals``) and this module answers: an active kader's account keeps the
kader's role and posyandu, an ended kader's account is reactivated only through the kader's data, and
the kader's SPM field follows a change of their account's.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kader.services import kader_update
from posyandu.models import Role
from posyandu.signals import account_changed, account_changing


def _refuse_if_kader_disagrees(sender, *, account, changes: dict, **kwargs) -> None:
    kader = getattr(account, "kader_profile", None)
    if kader is None:
        return
    if changes.get("is_active") and not kader.is_active:
        raise ValidationError(
            _("Kader %(name)s sudah berhenti bertugas; aktifkan lewat data kader.") % {"name": kader.name}
        )
    role = changes.get("role", account.role)
    posyandu = changes.get("posyandu", account.posyandu)
    if kader.is_active and (role != Role.KADER or posyandu != kader.posyandu):
        raise ValidationError(
            _("Akun ini milik kader %(name)s di %(posyandu)s: peran dan posyandunya mengikuti data kader.")
            % {"name": kader.name, "posyandu": kader.posyandu.name}
        )


def _follow_account_field(sender, *, account, **kwargs) -> None:
    kader = getattr(account, "kader_profile", None)
    if kader is not None and kader.is_active and kader.field != account.field:
        kader_update(kader=kader, field=account.field)


def connect() -> None:
    account_changing.connect(_refuse_if_kader_disagrees, dispatch_uid="kader-account-changing")
    account_changed.connect(_follow_account_field, dispatch_uid="kader-account-changed")
