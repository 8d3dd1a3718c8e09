from django.urls import path

from kader import views

app_name = "kader"

urlpatterns = [
    path("", views.kader_list, name="kader_list"),
    path("baru/", views.kader_create, name="kader_create"),
    path("<int:pk>/", views.kader_detail, name="kader_detail"),
    path("<int:pk>/ubah/", views.kader_update, name="kader_update"),
    path("<int:pk>/berhenti/", views.kader_deactivate, name="kader_deactivate"),
    path("<int:pk>/penilaian/", views.penilaian_create, name="penilaian_create"),
    path("posyandu/<int:pk>/", views.roster, name="roster"),
    path("pelatihan/", views.pelatihan_list, name="pelatihan_list"),
    path("pelatihan/baru/", views.pelatihan_create, name="pelatihan_create"),
    path("pelatihan/contoh-impor.xlsx", views.peserta_template, name="peserta_template"),
    path("pelatihan/<int:pk>/", views.pelatihan_detail, name="pelatihan_detail"),
    path("pelatihan/<int:pk>/ubah/", views.pelatihan_update, name="pelatihan_update"),
    path("pelatihan/<int:pk>/peserta/tambah/", views.peserta_add, name="peserta_add"),
    path("pelatihan/<int:pk>/peserta/impor/", views.peserta_import, name="peserta_import"),
    path("pelatihan/<int:pk>/peserta/ubah/", views.peserta_update, name="peserta_update"),
    path("cakupan/", views.coverage, name="coverage"),
]
