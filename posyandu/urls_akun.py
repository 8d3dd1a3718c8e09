from django.urls import path

from posyandu.akun import views

app_name = "akun"

# The owner's own page sits with the login (akun/); managing others' accounts under pengguna/.
# The bulk kader import (pengguna/impor-kader/) joins this namespace from kader/urls_akun.py (config/urls.py).

urlpatterns = [
    path("akun/kata-sandi-baru/", views.password_set, name="password_set"),
    path("pengguna/", views.account_list, name="account_list"),
    path("pengguna/baru/", views.account_create, name="account_create"),
    path("pengguna/riwayat/", views.account_log, name="account_log"),
    path("pengguna/slip/", views.slips_pdf, name="slips_pdf"),
    path("pengguna/slip/selesai/", views.slips_done, name="slips_done"),
    path("pengguna/<int:pk>/", views.account_detail, name="account_detail"),
    path("pengguna/<int:pk>/ubah/", views.account_update, name="account_update"),
    path("pengguna/<int:pk>/nonaktifkan/", views.account_deactivate, name="account_deactivate"),
    path("pengguna/<int:pk>/aktifkan/", views.account_activate, name="account_activate"),
    path("pengguna/<int:pk>/buka-kunci/", views.account_unlock, name="account_unlock"),
    path("pengguna/<int:pk>/kata-sandi-sementara/", views.account_password_reset, name="account_password_reset"),
]
