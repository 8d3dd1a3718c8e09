"""Bulk kader import into accounts (``kader.kader_import``), under the account pages (URL namespace ``akun``).

Managing accounts is the foundation's (``posyandu.akun``); registering kader with them is this app's.
"""

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kader import kader_import as bulk
from kader.forms import KaderImportForm
from posyandu.akun.permissions import require_account_manager
from posyandu.akun.slips import slips_keep
from posyandu.viewkit import form_add_errors

IMPORT_SALT = "akun.kader_import"  # unchanged: a preview signed before the move still verifies
IMPORT_MAX_AGE = 60 * 60  # seconds a preview stays valid


def kader_import(request):
    """Upload kader from Excel, see every row's problems, confirm: all accounts at once or none."""
    require_account_manager(request.user)
    form = KaderImportForm()
    preview = None
    token = ""
    if request.method == "POST" and "token" in request.POST:
        try:
            data = signing.loads(request.POST["token"], salt=IMPORT_SALT, max_age=IMPORT_MAX_AGE)
            if data["user"] != request.user.pk:
                raise signing.BadSignature
            created = bulk.kader_accounts_import(by=request.user, payload=data["rows"])
        except signing.BadSignature:
            messages.error(request, _("Pratinjau sudah kedaluwarsa; unggah berkas sekali lagi."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            slips_keep(request, rows=[(kader.user_id, password) for kader, password in created])
            return render(request, "akun/kader_import_done.html", {"created": [k for k, _p in created]})
    elif request.method == "POST":
        form = KaderImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                preview = bulk.kader_import_preview(by=request.user, file=form.cleaned_data["file"])
            except ValidationError as exc:
                form_add_errors(form, exc)
            else:
                if preview.can_save:
                    rows = [row.payload() for row in preview.rows]
                    token = signing.dumps({"user": request.user.pk, "rows": rows}, salt=IMPORT_SALT, compress=True)
    return render(request, "akun/kader_import.html", {"form": form, "preview": preview, "token": token})


def kader_import_template(request):
    require_account_manager(request.user)
    response = HttpResponse(
        bulk.import_template(by=request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="contoh-impor-kader.xlsx"'
    return response
