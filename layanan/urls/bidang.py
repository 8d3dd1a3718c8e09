"""URLs of the five SPM fields other than kesehatan, mounted at ``bidang/`` (health is at ``kesehatan/``)."""

from django.urls import path

from layanan.views import home, kegiatan, pendidikan, permintaan, survei, trantibum

app_name = "bidang"

urlpatterns = [
    path("", home.home, name="home"),
    path("keluarga/<int:pk>/survei/", survei.keluarga_survei, name="keluarga_survei"),
    path("keluarga/<int:pk>/survei/baru/", survei.survei_create, name="survei_create"),
    path("pendidikan/", pendidikan.pendidikan_list, name="pendidikan_list"),
    path("warga/<int:pk>/pendidikan/baru/", pendidikan.pendidikan_create, name="pendidikan_create"),
    path("kegiatan/", kegiatan.kegiatan_list, name="kegiatan_list"),
    path("kegiatan/baru/", kegiatan.kegiatan_create, name="kegiatan_create"),
    path("kejadian/", trantibum.kejadian_list, name="kejadian_list"),
    path("kejadian/baru/", trantibum.kejadian_create, name="kejadian_create"),
    path("kejadian/<int:pk>/", trantibum.kejadian_detail, name="kejadian_detail"),
    path("permintaan/", permintaan.permintaan_list, name="permintaan_list"),
    path("permintaan/baru/", permintaan.permintaan_create, name="permintaan_create"),
    path("permintaan/<int:pk>/", permintaan.permintaan_detail, name="permintaan_detail"),
    path("permintaan/<int:pk>/status/", permintaan.permintaan_transition, name="permintaan_transition"),
    path("permintaan/<int:pk>/dokumen/", permintaan.dokumen_upload, name="dokumen_upload"),
    path("dokumen/<int:pk>/", permintaan.dokumen_download, name="dokumen_download"),
]
