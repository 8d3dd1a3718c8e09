"""Login slips: one-time passwords kept just long enough to print them.

Why the session, encrypted, for ``SLIP_MINUTES``: the manager who created the accounts must be able
to print (and, when the printer jams, print again) the slips, but nobody else, and not for long.
The password hash on the user is the only lasting copy. The session row lives in the database, so
each password is encrypted there with the server's personal-data key (``posyandu.crypto``; the key is
in the environment, never in the database or its backups) and dropped after ``SLIP_MINUTES``, when
the manager presses "Selesai", or when they log out. Only accounts still waiting for their first
login are printed: a slip of someone who already set their own password is useless and not shown.
"""

import datetime

from django.shortcuts import render

from posyandu import crypto, dates

SESSION_KEY = "akun_slips"
SLIP_MINUTES = 30
PURPOSE = "one-time-password"


def slips_keep(request, *, rows: list[tuple[int, str]]) -> None:
    """Keep ``(user id, one-time password)`` pairs for printing (replacing earlier ones)."""
    expires = dates.now() + datetime.timedelta(minutes=SLIP_MINUTES)
    request.session[SESSION_KEY] = {
        "expires": expires.isoformat(),
        "rows": [[pk, crypto.encrypt(password, purpose=PURPOSE)] for pk, password in rows],
    }


def slips_read(request) -> dict[int, str]:
    """User id → one-time password, in the order kept; empty when none or expired."""
    kept = request.session.get(SESSION_KEY)
    if not kept:
        return {}
    if datetime.datetime.fromisoformat(kept["expires"]) < dates.now():
        slips_forget(request)
        return {}
    return {pk: crypto.decrypt(sealed, purpose=PURPOSE) for pk, sealed in kept["rows"]}


def slips_forget(request) -> None:
    request.session.pop(SESSION_KEY, None)


def one_time_password_page(request, *, account, password: str, created: bool):
    """The one time a one-time password is shown (a page of account management or of the kader registry).

    It is kept for the slip PDF (``slips_keep``) for ``SLIP_MINUTES``."""
    slips_keep(request, rows=[(account.pk, password)])
    return render(request, "akun/password_shown.html", {"account": account, "password": password, "created": created})
