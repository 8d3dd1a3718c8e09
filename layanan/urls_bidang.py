"""URLs of the five other SPM fields, mounted at ``bidang/`` (health is at ``kesehatan/``)."""

from django.urls import path

from layanan import views_bidang as views

app_name = "bidang"

urlpatterns = [
    path("", views.home, name="home"),
    path("keluarga/<int:pk>/survei/", views.keluarga_survei, name="keluarga_survei"),
    path("keluarga/<int:pk>/survei/baru/", views.survei_create, name="survei_create"),
    path("pendidikan/", views.pendidikan_list, name="pendidikan_list"),
    path("warga/<int:pk>/pendidikan/baru/", views.pendidikan_create, name="pendidikan_create"),
    path("kegiatan/", views.kegiatan_list, name="kegiatan_list"),
    path("kegiatan/baru/", views.kegiatan_create, name="kegiatan_create"),
    path("kejadian/", views.kejadian_list, name="kejadian_list"),
    path("kejadian/baru/", views.kejadian_create, name="kejadian_create"),
    path("kejadian/<int:pk>/", views.kejadian_detail, name="kejadian_detail"),
    path("permintaan/", views.permintaan_list, name="permintaan_list"),
    path("permintaan/baru/", views.permintaan_create, name="permintaan_create"),
    path("permintaan/<int:pk>/", views.permintaan_detail, name="permintaan_detail"),
    path("permintaan/<int:pk>/status/", views.permintaan_transition, name="permintaan_transition"),
    path("permintaan/<int:pk>/dokumen/", views.dokumen_upload, name="dokumen_upload"),
    path("dokumen/<int:pk>/", views.dokumen_download, name="dokumen_download"),
]
