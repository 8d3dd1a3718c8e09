"""Account management views. Thin: authorise, call one service or selector, render.

An account outside the manager's area, or at or above their role, is a 404 (``posyandu.scope``).
One-time passwords appear once, in the response that made them, and in the slips PDF while
``akun.slips`` keeps them.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from akun import kader_import as bulk
from akun import selectors, services
from akun.forms import AccountFilterForm, AccountForm, KaderImportForm
from akun.middleware import SESSION_KEY
from akun.permissions import can_manage_accounts
from akun.slips import slips_forget, slips_keep, slips_read
from laporan.pdf import render_pdf
from posyandu.forms import LoginForm
from posyandu.viewkit import form_add_errors, paginate

PAGE_SIZE = 50
IMPORT_SALT = "akun.kader_import"
IMPORT_MAX_AGE = 60 * 60  # seconds a preview stays valid


class LoginView(auth_views.LoginView):
    """Django's login; a one-time password sends the person to set their own first."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if selectors.must_change_password(account=self.request.user):
            self.request.session[SESSION_KEY] = True
            return redirect("akun:password_set")
        return response


def password_set(request):
    """The owner of a one-time password chooses their own (the one-time password was just typed)."""
    if not request.session.get(SESSION_KEY):
        return redirect("password_change")
    form = SetPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.account_password_set(account=request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        request.session.pop(SESSION_KEY, None)
        messages.success(request, _("Kata sandi baru tersimpan. Selamat bekerja!"))
        return redirect("posyandu:home")
    return render(request, "akun/password_set.html", {"form": form})


def _require_manager(request) -> None:
    if not can_manage_accounts(request.user):
        raise PermissionDenied(_("Akun dikelola oleh pengurus, operator desa dan Tim Pembina."))


def account_list(request):
    _require_manager(request)
    form = AccountFilterForm(request.GET or None)
    rows = selectors.manageable_accounts(user=request.user)
    if form.is_valid() and (q := form.cleaned_data["q"]):
        rows = rows.filter(Q(first_name__icontains=q) | Q(username__icontains=q))
    page, query = paginate(request, rows, PAGE_SIZE)
    return render(request, "akun/account_list.html", {"form": form, "page": page, "query": query, "can_import": True})


def one_time_password_page(request, *, account, password: str, created: bool):
    """The one time a one-time password is shown; it is kept for the slip PDF (akun.slips) for 30 minutes."""
    slips_keep(request, rows=[(account.pk, password)])
    return render(request, "akun/password_shown.html", {"account": account, "password": password, "created": created})


def account_create(request):
    _require_manager(request)
    form = AccountForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account, password = services.account_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            return one_time_password_page(request, account=account, password=password, created=True)
    return render(request, "akun/account_form.html", {"form": form, "account": None})


def account_detail(request, pk: int):
    account = selectors.get_account_for_manager(user=request.user, pk=pk)
    events = selectors.account_events(user=request.user, account=account, limit=50)
    return render(request, "akun/account_detail.html", {"account": account, "events": events})


def account_update(request, pk: int):
    account = selectors.get_account_for_manager(user=request.user, pk=pk)
    form = AccountForm(request.POST or None, instance=account, manager=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_update(by=request.user, account=account, data=form.cleaned_data)
        except ValidationError as exc:
            form_add_errors(form, exc)
        else:
            messages.success(request, _("Akun %(name)s tersimpan.") % {"name": account.username})
            return redirect("akun:account_detail", pk=account.pk)
    return render(request, "akun/account_form.html", {"form": form, "account": account})


def _act(request, pk: int, action, message: str):
    account = selectors.get_account_for_manager(user=request.user, pk=pk)
    try:
        action(by=request.user, account=account)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, message % {"name": account.username})
    return redirect("akun:account_detail", pk=account.pk)


@require_POST
def account_deactivate(request, pk: int):
    return _act(request, pk, services.account_deactivate, _("Akun %(name)s dinonaktifkan: tidak bisa masuk lagi."))


@require_POST
def account_activate(request, pk: int):
    return _act(request, pk, services.account_activate, _("Akun %(name)s aktif kembali."))


@require_POST
def account_unlock(request, pk: int):
    return _act(request, pk, services.account_unlock, _("Kunci login %(name)s dibuka: silakan coba masuk lagi."))


@require_POST
def account_password_reset(request, pk: int):
    account = selectors.get_account_for_manager(user=request.user, pk=pk)
    try:
        password = services.account_password_reset(by=request.user, account=account)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("akun:account_detail", pk=account.pk)
    return one_time_password_page(request, account=account, password=password, created=False)


def account_log(request):
    _require_manager(request)
    page, query = paginate(request, selectors.account_events(user=request.user, limit=1000), PAGE_SIZE)
    return render(request, "akun/account_log.html", {"page": page, "query": query})


def slips_pdf(request):
    """The login slips kept in this session (akun.slips): one per account still waiting for its first login."""
    _require_manager(request)
    kept = slips_read(request)
    accounts = selectors.slip_accounts(user=request.user, ids=list(kept))
    if not accounts:
        messages.error(request, _("Tidak ada slip untuk dicetak (sudah lewat 30 menit atau sudah selesai)."))
        return redirect("akun:account_list")
    address = request.build_absolute_uri("/")
    slips = [{"account": a, "password": kept[a.pk]} for a in accounts]
    pdf = render_pdf("akun/pdf/slips.html", {"slips": slips, "address": address, "qr": selectors.qr_svg(address)})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="slip-login.pdf"'
    return response


@require_POST
def slips_done(request):
    _require_manager(request)
    slips_forget(request)
    messages.success(request, _("Kata sandi sementara dihapus dari layar ini; slip tidak bisa dicetak lagi."))
    return redirect("akun:account_list")


def kader_import(request):
    """Upload kader from Excel, see every row's problems, confirm: all accounts at once or none."""
    _require_manager(request)
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
    _require_manager(request)
    response = HttpResponse(
        bulk.import_template(by=request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="contoh-impor-kader.xlsx"'
    return response
