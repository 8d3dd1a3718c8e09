"""Accounts managed in the app: who still has a one-time password, and the log of account actions.

A one-time password (``SandiSementara``) is hashed like any password (on the user); this row only
says that the password was set by a manager and must be replaced at the next login. The plain text
is never stored (the slips of a bulk import keep it, encrypted, in the manager's session for
``posyandu.akun.slips.SLIP_MINUTES``).

``RiwayatAkun`` is the audit trail of account actions (created, changed, deactivated, password reset,
unlocked, own password set): who did what to whom, when. The user table has no simple-history (every
login would write a version); the account's place (posyandu / area code) is copied on each entry so the
log is scoped like the rest (``posyandu.scope``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from posyandu.scope import ScopePaths


class SandiSementara(models.Model):
    """The user's password is a one-time password set by ``issued_by``: change it at the next login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="one_time_password",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuat oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("kata sandi sementara")
        verbose_name_plural = _("kata sandi sementara")

    def __str__(self) -> str:
        return str(self.user)


class RiwayatAkun(models.Model):
    """One action on an account, with who did it."""

    class Action(models.TextChoices):
        CREATE = "buat", _("akun dibuat")
        UPDATE = "ubah", _("akun diubah")
        DEACTIVATE = "nonaktifkan", _("akun dinonaktifkan")
        ACTIVATE = "aktifkan", _("akun diaktifkan kembali")
        PASSWORD_RESET = "sandi_sementara", _("kata sandi sementara dibuat")
        UNLOCK = "buka_kunci", _("kunci login dibuka")
        PASSWORD_SET = "sandi_baru", _("kata sandi baru diatur pemilik akun")

    SCOPE_PATHS = ScopePaths(posyandu="posyandu", area="area_code")

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oleh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("akun"), on_delete=models.CASCADE, related_name="account_events"
    )
    action = models.CharField(_("tindakan"), max_length=20, choices=Action.choices)
    detail = models.CharField(_("keterangan"), max_length=255, blank=True)
    posyandu = models.ForeignKey(
        "posyandu.Posyandu", verbose_name=_("posyandu"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    area_code = models.CharField(_("kode wilayah"), max_length=13, blank=True)

    class Meta:
        verbose_name = _("riwayat akun")
        verbose_name_plural = _("riwayat akun")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.account}"
