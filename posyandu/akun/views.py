"""Account management views. Thin: authorise, call one service or selector, render.

An account outside the manager's area, or at or above their role, is a 404 (``posyandu.scope``).
One-time passwords appear once, in the response that made them, and in the slips PDF while
``posyandu.akun.slips`` keeps them.
"""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from posyandu.akun import selectors, services
from posyandu.akun.forms import AccountFilterForm, AccountForm
from posyandu.akun.middleware import SESSION_KEY
from posyandu.akun.permissions import require_account_manager
from posyandu.akun.slips import one_time_password_page, slips_forget, slips_read
from posyandu.forms import LoginForm
from posyandu.pdf import render_pdf
from posyandu.viewkit import form_add_errors, paginate

PAGE_SIZE = 50


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


def account_list(request):
    require_account_manager(request.user)
    form = AccountFilterForm(request.GET or None)
    rows = selectors.manageable_accounts(user=request.user)
    if form.is_valid() and (q := form.cleaned_data["q"]):
        rows = rows.filter(Q(first_name__icontains=q) | Q(username__icontains=q))
    page, query = paginate(request, rows, PAGE_SIZE)
    return render(request, "akun/account_list.html", {"form": form, "page": page, "query": query, "can_import": True})


def account_create(request):
    require_account_manager(request.user)
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
    require_account_manager(request.user)
    page, query = paginate(request, selectors.account_events(user=request.user, limit=1000), PAGE_SIZE)
    return render(request, "akun/account_log.html", {"page": page, "query": query})


def slips_pdf(request):
    """The login slips kept in this session (posyandu.akun.slips): one per account still waiting for its first login."""
    require_account_manager(request.user)
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
    require_account_manager(request.user)
    slips_forget(request)
    messages.success(request, _("Kata sandi sementara dihapus dari layar ini; slip tidak bisa dicetak lagi."))
    return redirect("akun:account_list")
