"""Login protection around django-axes: what is counted, what is locked, and what the locked-out person reads.

Two locks (settings ``AXES_*``, docs in config/settings.py):

- **a username from one address** (``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]``) after
  ``AXES_FAILURE_LIMIT`` wrong passwords: guessing one person's password is stopped, but a stranger
  elsewhere typing the kabupaten account's name five times locks only themselves out, never the
  real user at their own address;
- **an address** after ``AXES_IP_FAILURE_LIMIT`` wrong passwords for any usernames (looser: a village
  can share one carrier address), so trying one password on every username from one address is
  stopped too. A successful login clears that person's failures from the address (axes'
  ``AXES_RESET_ON_SUCCESS``), so cadres' corrected typos do not add up against their village.

A wrong old password on the password-change form counts like a wrong password at the login
(:func:`password_check_allowed`, :func:`password_check_failed`): whoever holds an unattended session
cannot guess the password there without limit.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum
from django.shortcuts import render

from posyandu import selectors

USERNAME_MAX_LENGTH = 150  # the User model's


def client_ip_address(request) -> str:
    """The client's address (``AXES_CLIENT_IP_CALLABLE``). Behind ``TRUSTED_PROXY_COUNT`` proxies (1 for
    the nginx of the README, which appends the address it saw to ``X-Forwarded-For``) it is that many
    entries from the right of ``X-Forwarded-For``: entries further left are the client's own claims,
    which anyone can forge. Without a proxy, ``REMOTE_ADDR``. Were every request counted under the
    proxy's 127.0.0.1, the lock by username and address would again be a lock by username alone."""
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote  # not through the expected proxies (a direct request on the app's port)
    return forwarded[-proxies][:45]  # the longest IPv6 text form


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler plus the looser lock of one address (``AXES_IP_FAILURE_LIMIT``)."""

    def address_failures(self, request) -> int:
        """Wrong passwords from the request's address within the cool-off, for any username."""
        attempts = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        )
        return attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0

    def is_address_locked(self, request) -> bool:
        return self.address_failures(request) >= settings.AXES_IP_FAILURE_LIMIT

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self.is_address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out or self.is_whitelisted(request, credentials):
            return
        if self.is_address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def _handler() -> LockoutHandler:
    return AxesProxyHandler.get_implementation()


def password_check_allowed(request, *, username: str) -> bool:
    """False while ``username`` is locked out from this address: the old password is then not even
    checked, and the view shows the lockout page (as the login does)."""
    credentials = {settings.AXES_USERNAME_FORM_FIELD: username}
    if AxesProxyHandler.is_allowed(request, credentials):
        return True
    request.axes_locked_out = True
    request.axes_credentials = credentials
    return False


def password_check_failed(request, *, username: str) -> None:
    """Count a wrong old password like a wrong password at the login: Django's ``user_login_failed``
    signal, which axes records (and which locks the username at this address at the limit)."""
    user_login_failed.send(sender=__name__, credentials={settings.AXES_USERNAME_FORM_FIELD: username}, request=request)


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page (``AXES_LOCKOUT_CALLABLE``): why, for how long, and who can let them in again."""
    username = get_client_username(request, credentials) or ""
    if len(username) > USERNAME_MAX_LENGTH or "\x00" in username:
        username = ""  # never looked up; the login form refuses such names before axes sees them
    pair_limit = get_failure_limit(request, credentials)
    by_address = _handler().get_failures(request, credentials) < pair_limit
    cool_off = get_cool_off(request)
    context = {
        "username": username,
        "by_address": by_address,
        "failure_limit": settings.AXES_IP_FAILURE_LIMIT if by_address else pair_limit,
        "cooloff_minutes": max(1, round(cool_off.total_seconds() / 60)) if cool_off else None,
        "unlockers": selectors.account_unlockers(username=username) if username else [],
    }
    return render(request, "registration/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
