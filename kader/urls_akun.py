"""The bulk kader import, in the account pages' URL namespace ``akun``.

config/urls.py joins these to posyandu/urls_akun.py under one namespace.
"""

from django.urls import path

from kader import views_akun

urlpatterns = [
    path("pengguna/impor-kader/", views_akun.kader_import, name="kader_import"),
    path("pengguna/impor-kader/contoh.xlsx", views_akun.kader_import_template, name="kader_import_template"),
]
