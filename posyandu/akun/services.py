"""Writes of account management. Keyword-only; every action checks the manager's reach and is logged.

``by`` is always the manager acting. The checks here repeat the forms' (whose choices are already
limited to the manager's area and the roles below theirs), so a crafted POST gets the same refusal.

Usernames follow one readable scheme (README, "Akun"): the first two words of the person's name in
lower-case ASCII letters joined by a dot (``Sitti Aminah Daeng`` → ``sitti.aminah``); when taken, the
smallest number from 2 that makes it free (``sitti.aminah2``). One-time passwords are three groups of
four letters and digits without look-alikes (``k7pm-4wqx-9hta``, about 59 bits).
"""

import secrets
import unicodedata

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Func, Value
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from posyandu.akun import selectors
from posyandu.akun.hashers import one_time_password_hash
from posyandu.akun.models import RiwayatAkun, SandiSementara
from posyandu.akun.permissions import assignable_roles
from posyandu.models import POSYANDU_ROLES, ROLE_AREA_LEVEL, Opd, Posyandu, Role, User, Wilayah
from posyandu.saving import as_validation_error, record_save
from posyandu.signals import account_changed, account_changing

ACCOUNT_FIELDS = ("first_name", "role", "posyandu", "wilayah", "field", "phone", "opd", "puskesmas", "position")
OTP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
USERNAME_MAX = 30
USERNAME_RACES = {"posyandu_user_username_key": _("Nama pengguna ini baru saja dipakai; coba sekali lagi.")}


def one_time_password() -> str:
    return "-".join("".join(secrets.choice(OTP_ALPHABET) for _ in range(4)) for _ in range(3))


def username_base(name: str) -> str:
    """``Sitti Aminah Daeng`` → ``sitti.aminah``; accents dropped, other characters ignored."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = ["".join(c for c in word if "a" <= c <= "z") for word in ascii_name.replace(".", " ").split()]
    words = [word for word in words if word]
    return ".".join(words[:2])[:USERNAME_MAX] or "pengguna"


def usernames_for(names: list[str]) -> list[str]:
    """``username_for`` of many names at once (a bulk import): the usernames already taken by any of
    their bases read in one query, then the first free one of each, in order."""
    bases = [username_base(name) for name in names]
    stem = Func(Lower("username"), Value("[0-9]+$"), Value(""), function="regexp_replace")
    taken = {u.lower() for u in User.objects.annotate(stem=stem).filter(stem__in=set(bases))
             .values_list("username", flat=True)}  # fmt: skip
    chosen = []
    for base in bases:
        name, number = base, 2
        while name in taken:
            name, number = f"{base}{number}", number + 1
        taken.add(name)
        chosen.append(name)
    return chosen


def username_for(name: str, *, taken: set[str] | None = None) -> str:
    """The first free username of the scheme for ``name`` (``taken``: names given in the same batch)."""
    base = username_base(name)
    taken = set(taken or ())
    taken |= {u.lower() for u in User.objects.filter(username__iregex=rf"^{base.replace('.', r'\.')}[0-9]*$")
              .values_list("username", flat=True)}  # fmt: skip
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


def _log(*, by, account: User, action: str, detail: str = "") -> RiwayatAkun:
    place = account.posyandu.desa_id if account.posyandu_id else (account.wilayah_id or "")
    if account.puskesmas_id:
        place = account.puskesmas.kabupaten_id
    return RiwayatAkun.objects.create(
        actor=by, account=account, action=action, detail=detail[:255], posyandu_id=account.posyandu_id, area_code=place
    )


def _check_reach(
    *, by, role: str, posyandu: Posyandu | None, wilayah: Wilayah | None, opd: Opd | None = None, puskesmas=None
) -> None:
    """Refuse a role at or above ``by``'s own, or a place (an OPD, a Puskesmas) outside ``by``'s area."""
    if role not in assignable_roles(by):
        raise ValidationError({"role": _("Anda tidak berwenang memberi peran ini.")})
    if role == Role.PUSKESMAS:
        if puskesmas is None or not selectors.assignable_puskesmas(user=by).filter(pk=puskesmas.pk).exists():
            raise ValidationError({"puskesmas": _("Puskesmas ini di luar wilayah Anda.")})
        return
    if role == Role.OPD:
        if opd is None or not selectors.assignable_opd(user=by).filter(pk=opd.pk).exists():
            raise ValidationError({"opd": _("Pilih OPD pengampu di kabupaten Anda.")})
    elif role in POSYANDU_ROLES:
        if posyandu is None or not selectors.assignable_posyandu(user=by).filter(pk=posyandu.pk).exists():
            raise ValidationError({"posyandu": _("Posyandu ini di luar wilayah Anda.")})
    elif role in ROLE_AREA_LEVEL and (
        wilayah is None or not selectors.assignable_areas(user=by).filter(pk=wilayah.pk).exists()
    ):
        raise ValidationError({"wilayah": _("Wilayah ini di luar wilayah Anda atau tidak setingkat perannya.")})


def _check_manageable(*, by, account: User) -> None:
    if not selectors.manageable_accounts(user=by).filter(pk=account.pk).exists():
        raise ValidationError(_("Anda tidak berwenang mengelola akun ini."))


def _issue_one_time_password(*, by, account: User) -> str:
    password = one_time_password()
    account.password = one_time_password_hash(password)  # a light hash: a random secret (posyandu.akun.hashers)
    account.save(update_fields=["password"])
    SandiSementara.objects.update_or_create(user=account, defaults={"issued_by": by})
    return password


@transaction.atomic
def account_create(
    *,
    by,
    first_name: str,
    role: str,
    posyandu: Posyandu | None = None,
    wilayah: Wilayah | None = None,
    field: str = "",
    phone: str = "",
    username: str = "",
    taken: set[str] | None = None,
    opd: Opd | None = None,
    puskesmas=None,
    position: str = "",
) -> tuple[User, str]:
    """A new account with a one-time password (returned, never stored in clear): changed at first login."""
    first_name = " ".join((first_name or "").split())
    if not first_name:
        raise ValidationError({"first_name": _("Isi nama pemilik akun.")})
    _check_reach(by=by, role=role, posyandu=posyandu, wilayah=wilayah, opd=opd, puskesmas=puskesmas)
    account = User(
        username=username or username_for(first_name, taken=taken),
        first_name=first_name,
        role=role,
        posyandu=posyandu if role in POSYANDU_ROLES else None,
        wilayah=wilayah if role in ROLE_AREA_LEVEL else (opd.kabupaten if role == Role.OPD else None),
        field=field if role == Role.KADER else "",
        phone=phone,
        opd=opd if role == Role.OPD else None,
        puskesmas=puskesmas if role == Role.PUSKESMAS else None,
        position=position if role == Role.PUSKESMAS else "",
    )
    account.set_unusable_password()
    record_save(account, constraint_errors=USERNAME_RACES)
    password = _issue_one_time_password(by=by, account=account)
    _log(by=by, account=account, action=RiwayatAkun.Action.CREATE, detail=account.get_role_display())
    return account, password


def kader_accounts_create(*, by, people: list[dict]) -> list[tuple[User, str]]:
    """Kader accounts for many people at once (the bulk kader import): each ``{"first_name", "posyandu",
    "field", "phone"}``. The same rules as ``account_create`` (a role below ``by``'s, a posyandu in
    their area, the username scheme, a one-time password each, logged), in a fixed number of queries
    instead of a dozen per person: the reach, the usernames, and one insert each of the accounts, the
    one-time password markers and the log. Call inside the caller's transaction."""
    if Role.KADER not in assignable_roles(by):
        raise ValidationError({"role": _("Anda tidak berwenang memberi peran ini.")})
    places = {person["posyandu"].pk for person in people}
    reachable = set(selectors.assignable_posyandu(user=by).filter(pk__in=places).values_list("pk", flat=True))
    if places - reachable:
        raise ValidationError({"posyandu": _("Posyandu ini di luar wilayah Anda.")})
    names = [" ".join((person["first_name"] or "").split()) for person in people]
    if not all(names):
        raise ValidationError({"first_name": _("Isi nama pemilik akun.")})
    passwords = [one_time_password() for _person in people]
    accounts = [
        User(username=username, first_name=name, role=Role.KADER, posyandu=person["posyandu"],
             field=person["field"], phone=person.get("phone") or "", password=one_time_password_hash(password))
        for username, name, person, password in zip(usernames_for(names), names, people, passwords, strict=True)
    ]  # fmt: skip
    try:
        with transaction.atomic():
            User.objects.bulk_create(accounts)
    except DatabaseError as exc:
        raise as_validation_error(exc, USERNAME_RACES) from exc
    SandiSementara.objects.bulk_create([SandiSementara(user=account, issued_by=by) for account in accounts])
    detail = str(Role.KADER.label)
    log = [
        RiwayatAkun(actor=by, account=account, action=RiwayatAkun.Action.CREATE, detail=detail,
                    posyandu_id=account.posyandu_id, area_code=account.posyandu.desa_id)
        for account in accounts
    ]  # fmt: skip
    RiwayatAkun.objects.bulk_create(log)
    return list(zip(accounts, passwords, strict=True))


@transaction.atomic
def account_update(*, by, account: User, data: dict) -> User:
    """Change name, phone, role, field or place, within ``by``'s reach (before and after)."""
    _check_manageable(by=by, account=account)
    unknown = set(data) - set(ACCOUNT_FIELDS)
    if unknown:
        raise TypeError(f"account_update() got unexpected fields: {sorted(unknown)}")
    before = {name: getattr(account, name) for name in ACCOUNT_FIELDS}
    role = data.get("role", account.role)
    posyandu = data.get("posyandu", account.posyandu)
    wilayah = data.get("wilayah", account.wilayah)
    opd = data.get("opd", account.opd)
    puskesmas = data.get("puskesmas", account.puskesmas)
    _check_reach(by=by, role=role, posyandu=posyandu, wilayah=wilayah, opd=opd, puskesmas=puskesmas)
    account_changing.send(sender=User, account=account, changes={**data, "role": role, "posyandu": posyandu})
    for name in ACCOUNT_FIELDS:
        if name in data:
            setattr(account, name, data[name])
    if account.role not in POSYANDU_ROLES:
        account.posyandu = None
    if account.role not in ROLE_AREA_LEVEL:
        account.wilayah = account.opd.kabupaten if account.role == Role.OPD and account.opd_id else None
    if account.role != Role.OPD:
        account.opd = None
    if account.role != Role.PUSKESMAS:
        account.puskesmas, account.position = None, ""
    record_save(account)
    account_changed.send(sender=User, account=account)
    changed = [str(User._meta.get_field(n).verbose_name) for n in ACCOUNT_FIELDS if getattr(account, n) != before[n]]
    _log(by=by, account=account, action=RiwayatAkun.Action.UPDATE, detail=", ".join(changed))
    return account


@transaction.atomic
def account_deactivate(*, by, account: User, reason: str = "") -> User:
    """The account can no longer log in (its data and history stay); its sessions end at their next request."""
    _check_manageable(by=by, account=account)
    if not account.is_active:
        raise ValidationError(_("Akun ini sudah nonaktif."))
    account.is_active = False
    account.save(update_fields=["is_active"])
    _log(by=by, account=account, action=RiwayatAkun.Action.DEACTIVATE, detail=reason)
    return account


@transaction.atomic
def account_activate(*, by, account: User) -> User:
    _check_manageable(by=by, account=account)
    if account.is_active:
        raise ValidationError(_("Akun ini sudah aktif."))
    account_changing.send(sender=User, account=account, changes={"is_active": True})
    account.is_active = True
    account.save(update_fields=["is_active"])
    _log(by=by, account=account, action=RiwayatAkun.Action.ACTIVATE)
    return account


@transaction.atomic
def account_password_reset(*, by, account: User) -> str:
    """A new one-time password (returned once); the old password and every open session stop working."""
    _check_manageable(by=by, account=account)
    if not account.is_active:
        raise ValidationError(_("Aktifkan akun ini dulu."))
    password = _issue_one_time_password(by=by, account=account)
    _log(by=by, account=account, action=RiwayatAkun.Action.PASSWORD_RESET)
    return password


@transaction.atomic
def account_unlock(*, by, account: User) -> int:
    """Lift the lockout of this username (django-axes), from every address. Returns the attempts cleared."""
    from axes.utils import reset

    _check_manageable(by=by, account=account)
    cleared = reset(username=account.username) or 0
    _log(by=by, account=account, action=RiwayatAkun.Action.UNLOCK, detail=str(cleared))
    return cleared


@transaction.atomic
def account_password_set(*, account: User, password: str) -> User:
    """The owner replaces a one-time password with their own (validated by the form)."""
    account.set_password(password)
    account.save(update_fields=["password"])
    SandiSementara.objects.filter(user=account).delete()
    _log(by=account, account=account, action=RiwayatAkun.Action.PASSWORD_SET)
    return account


@transaction.atomic
def account_retire(*, by, account: User, reason: str) -> User:
    """Deactivate an account because the person's role ended elsewhere (a kader's service: ``kader.services``).

    The caller has already authorised that act (no reach check here); an account already inactive is left
    as it is. Logged like ``account_deactivate``."""
    if account.is_active:
        account.is_active = False
        account.save(update_fields=["is_active"])
        _log(by=by, account=account, action=RiwayatAkun.Action.DEACTIVATE, detail=reason)
    return account


@transaction.atomic
def kabupaten_account_start(*, wilayah: Wilayah, first_name: str, username: str = "") -> tuple[User, str]:
    """The first account of a new installation: the kabupaten's Tim Pembina, with a one-time password.

    Nobody manages it (there is nobody yet): ``kabupaten_start`` calls this once. From it, the team
    creates the kecamatan teams and desa operators in the app."""
    if wilayah.level != Wilayah.Level.KABUPATEN:
        raise ValidationError(_("Wilayah %(code)s bukan kabupaten/kota.") % {"code": wilayah.code})
    account = User(
        username=username or username_for(first_name),
        first_name=" ".join(first_name.split()),
        role=Role.PEMBINA_KABUPATEN,
        wilayah=wilayah,
    )
    account.set_unusable_password()
    record_save(account, constraint_errors=USERNAME_RACES)
    password = _issue_one_time_password(by=None, account=account)
    _log(by=None, account=account, action=RiwayatAkun.Action.CREATE, detail="manage.py kabupaten_start")
    return account, password
