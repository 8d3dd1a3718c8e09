"""Reads for account management: the accounts a manager may manage, the places they may assign, the log."""

from django.db.models import Exists, OuterRef, QuerySet

from posyandu.akun.models import RiwayatAkun, SandiSementara
from posyandu.akun.permissions import assignable_roles
from posyandu.models import ROLE_AREA_LEVEL, Opd, Posyandu, Puskesmas, Role, User, Wilayah
from posyandu.scope import get_object_for_user, scoped


def manageable_accounts(*, user) -> QuerySet:
    """Accounts inside ``user``'s area whose role is below theirs (never their own account)."""
    return (
        scoped(User.objects.all(), user)
        .filter(role__in=assignable_roles(user))
        .exclude(pk=user.pk)
        .exclude(is_superuser=True)
        .select_related("posyandu__desa", "wilayah", "opd", "puskesmas")
        .annotate(has_one_time_password=Exists(SandiSementara.objects.filter(user=OuterRef("pk"))))
        .order_by("-is_active", "role", "posyandu__name", "first_name", "username")
    )


def get_account_for_manager(*, user, pk: int) -> User:
    """One account ``user`` may manage, or 404 (outside the area, or at or above their own role)."""
    return get_object_for_user(manageable_accounts(user=user), user, pk=pk)


def assignable_posyandu(*, user) -> QuerySet:
    return scoped(Posyandu.objects.select_related("desa"), user).order_by("desa__name", "name")


def assignable_areas(*, user) -> QuerySet:
    """Areas ``user`` may give to an area role below theirs (a desa for an operator, a kecamatan for a team)."""
    levels = [ROLE_AREA_LEVEL[role] for role in assignable_roles(user) if role in ROLE_AREA_LEVEL]
    return scoped(Wilayah.objects.filter(level__in=levels), user).order_by("level", "code")


def assignable_opd(*, user) -> QuerySet:
    """The OPD whose accounts ``user`` may create: those of their kabupaten, when they may give the role."""
    if Role.OPD not in assignable_roles(user):
        return Opd.objects.none()
    return scoped(Opd.objects.select_related("kabupaten"), user).order_by("kabupaten", "name")


def assignable_puskesmas(*, user) -> QuerySet:
    """Puskesmas ``user`` may give a Puskesmas officer (those of their kabupaten)."""
    return scoped(Puskesmas.objects.select_related("kabupaten"), user).order_by("name")


def account_events(*, user, account: User | None = None, limit: int = 200) -> QuerySet:
    """The account log inside ``user``'s area, newest first."""
    rows = scoped(RiwayatAkun.objects.select_related("actor", "account"), user)
    if account is not None:
        rows = rows.filter(account=account)
    return rows[:limit]


def must_change_password(*, account: User) -> bool:
    """The account's password is a one-time password a manager set."""
    return SandiSementara.objects.filter(user=account).exists()


def slip_accounts(*, user, ids: list[int]) -> list[User]:
    """The accounts of ``ids`` that ``user`` manages and that still wait for their first login, in order."""
    rows = manageable_accounts(user=user).filter(pk__in=ids, is_active=True, has_one_time_password=True)
    by_pk = {a.pk: a for a in rows}
    return [by_pk[pk] for pk in ids if pk in by_pk]


def qr_svg(address: str) -> str:
    """The QR code of ``address`` as inline SVG (segno, error correction M): only path data, no text."""
    import segno

    return segno.make(address, error="m").svg_inline(scale=3, border=2, omitsize=False)
