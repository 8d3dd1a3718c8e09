from django.urls import path

from akun import views

app_name = "akun"

urlpatterns = [
    path("kata-sandi-baru/", views.password_set, name="password_set"),
    path("kelola/", views.account_list, name="account_list"),
    path("kelola/baru/", views.account_create, name="account_create"),
    path("kelola/riwayat/", views.account_log, name="account_log"),
    path("kelola/slip/", views.slips_pdf, name="slips_pdf"),
    path("kelola/slip/selesai/", views.slips_done, name="slips_done"),
    path("kelola/impor-kader/", views.kader_import, name="kader_import"),
    path("kelola/impor-kader/contoh.xlsx", views.kader_import_template, name="kader_import_template"),
    path("kelola/<int:pk>/", views.account_detail, name="account_detail"),
    path("kelola/<int:pk>/ubah/", views.account_update, name="account_update"),
    path("kelola/<int:pk>/nonaktifkan/", views.account_deactivate, name="account_deactivate"),
    path("kelola/<int:pk>/aktifkan/", views.account_activate, name="account_activate"),
    path("kelola/<int:pk>/buka-kunci/", views.account_unlock, name="account_unlock"),
    path("kelola/<int:pk>/kata-sandi-sementara/", views.account_password_reset, name="account_password_reset"),
]
