"""URL wiring: each app under its own prefix, the auth pages under akun/."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from akun.views import LoginView
from layanan import offline
from posyandu.views import PasswordChangeView

urlpatterns = [
    path("akun/masuk/", LoginView.as_view(), name="login"),  # a one-time password: set your own first
    path("akun/keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("akun/kata-sandi/", PasswordChangeView.as_view(), name="password_change"),
    path("akun/kata-sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", include("akun.urls")),  # accounts managed in the app: pengguna/ (akun/urls.py)
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
