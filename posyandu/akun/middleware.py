"""Whoever logged in with a one-time password sets their own before anything else."""

from django.shortcuts import redirect
from django.urls import reverse

SESSION_KEY = "akun_must_change_password"  # set by posyandu.akun.views.LoginView


class OneTimePasswordMiddleware:
    """Every page but the set-a-password page and logging out sends such a session there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(SESSION_KEY) and request.user.is_authenticated:
            allowed = (reverse("akun:password_set"), reverse("logout"))
            if request.path not in allowed:
                return redirect("akun:password_set")
        return self.get_response(request)
