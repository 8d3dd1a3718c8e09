from django.urls import path

from laporan import views

app_name = "laporan"

urlpatterns = [
    path("hari-buka/<int:pk>/lembar.pdf", views.lembar_hari_buka, name="lembar_hari_buka"),
    path("kader/rekap.pdf", views.kader_rekap, name="kader_rekap"),
    path("kader/<int:pk>/sertifikat.pdf", views.kader_sertifikat, name="kader_sertifikat"),
]
