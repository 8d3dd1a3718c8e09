"""URL wiring: each app under its own prefix, the auth pages under akun/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kader import urls_akun as kader_urls_akun
from layanan import offline
from posyandu import urls_akun
from posyandu.akun.views import LoginView
from posyandu.views import PasswordChangeView

urlpatterns = [
    path("akun/masuk/", LoginView.as_view(), name="login"),  # a one-time password: set your own first
    path("akun/keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/kata-sandi/", PasswordChangeView.as_view(), name="password_change"),
    path("akun/kata-sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # Accounts managed in the app, namespace "akun": pengguna/ (posyandu/urls_akun.py) and the bulk kader
    # import (kader/urls_akun.py), one namespace so the foundation need not import the kader app.
    path("", include((urls_akun.urlpatterns + kader_urls_akun.urlpatterns, urls_akun.app_name))),
    path("admin/", admin.site.urls),
    path("kesehatan/offline/", include("layanan.urls.offline")),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("kesehatan/", include("layanan.urls.kesehatan")),
    path("bidang/", include("layanan.urls.bidang")),
    path("kader/", include("kader.urls")),
    path("laporan/", include("laporan.urls")),
    path("format/", include("laporan.urls_format")),
    path("", include("posyandu.urls")),
]
