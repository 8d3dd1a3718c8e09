"""Who may manage which accounts (roles). Which rows a manager sees is ``posyandu.scope``.

Each level manages the levels below it within its own area (issue 17): the kabupaten team the
kecamatan teams, desa operators, pengurus and kader of its kabupaten; the kecamatan team those below
it in its kecamatan; a desa operator the pengurus and kader of the posyandu of their desa; a pengurus
the kader of their posyandu. Nobody gives a role at or above their own, so nobody can raise anyone
(or themselves) above where they stand. Admin accounts are made with ``createsuperuser``.

Puskesmas officers (bidan, tenaga gizi) are given their accounts by the kabupaten team (and admins),
who manage the Puskesmas; a Puskesmas officer manages no accounts.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from posyandu.models import Role

RANK = {
    Role.KADER: 1,
    Role.PENGURUS: 2,
    Role.OPERATOR_DESA: 3,
    Role.PEMBINA_KECAMATAN: 4,
    Role.OPD: 4.5,  # given by the kabupaten team (and admins), not by a kecamatan team
    Role.PUSKESMAS: 4,  # given by the kabupaten team; not by the kecamatan team (same rank)
    Role.PEMBINA_KABUPATEN: 5,
    Role.ADMIN: 6,
}


# Roles that manage no accounts whatever their rank: an OPD officer works beside the Tim Pembina, and a
# Puskesmas officer outside the posyandu's chain; neither is above anyone.
MANAGES_NOBODY = (Role.OPD, Role.PUSKESMAS)


def rank(user) -> float:
    if user.is_admin_role:
        return RANK[Role.ADMIN]
    return 0 if user.role in MANAGES_NOBODY else RANK.get(user.role, 0)


def assignable_roles(user) -> list[str]:
    """The roles ``user`` may give, lowest first: every role strictly below their own."""
    own = rank(user)
    return [role for role, value in RANK.items() if value < own]


def can_manage_accounts(user) -> bool:
    """Pengurus and above manage accounts (of the levels below them)."""
    return user.is_authenticated and user.is_active and bool(assignable_roles(user))


def require_account_manager(user) -> None:
    """Refuse (403) anyone who manages no accounts."""
    if not can_manage_accounts(user):
        raise PermissionDenied(_("Akun dikelola oleh pengurus, operator desa dan Tim Pembina."))
