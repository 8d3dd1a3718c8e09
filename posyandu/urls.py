from django.urls import path

from posyandu import views
from posyandu.puskesmas import views as puskesmas_views

app_name = "posyandu"

urlpatterns = [
    path("", views.home, name="home"),
    path("posyandu/", views.posyandu_list, name="list"),
    path("posyandu/baru/", views.posyandu_create, name="create"),
    path("posyandu/<int:pk>/", views.posyandu_detail, name="detail"),
    path("posyandu/<int:pk>/ubah/", views.posyandu_update, name="update"),
    path("posyandu/<int:pk>/pengurus/baru/", views.pengurus_create, name="pengurus_create"),
    path("pengurus/<int:pk>/berhenti/", views.pengurus_end, name="pengurus_end"),
    path("warga/", views.warga_list, name="warga_list"),
    path("warga/baru/", views.warga_create, name="warga_create"),
    path("warga/cari-ibu/", views.warga_search, name="warga_search"),
    path("warga/cari-nik/", views.warga_find_nik, name="warga_find_nik"),
    path("warga/<int:pk>/", views.warga_detail, name="warga_detail"),
    path("warga/<int:pk>/ubah/", views.warga_update, name="warga_update"),
    path("warga/<int:pk>/pindah/", views.warga_move, name="warga_move"),
    path("warga/<int:pk>/status/", views.warga_status, name="warga_status"),
    path("warga/<int:pk>/anonimkan/", views.warga_anonymise, name="warga_anonymise"),
    path("keluarga/", views.keluarga_list, name="keluarga_list"),
    path("keluarga/baru/", views.keluarga_create, name="keluarga_create"),
    path("keluarga/<int:pk>/", views.keluarga_detail, name="keluarga_detail"),
    path("keluarga/<int:pk>/ubah/", views.keluarga_update, name="keluarga_update"),
    path("opd/", views.opd_list, name="opd_list"),
    path("opd/baru/", views.opd_create, name="opd_create"),
    path("opd/<int:pk>/ubah/", views.opd_update, name="opd_update"),
    # Puskesmas and their working areas (posyandu/puskesmas/)
    path("puskesmas/", puskesmas_views.puskesmas_list, name="puskesmas_list"),
    path("puskesmas/baru/", puskesmas_views.puskesmas_create, name="puskesmas_create"),
    path("puskesmas/<int:pk>/", puskesmas_views.puskesmas_detail, name="puskesmas_detail"),
    path("puskesmas/<int:pk>/ubah/", puskesmas_views.puskesmas_update, name="puskesmas_update"),
    path("puskesmas/<int:pk>/wilayah-kerja/", puskesmas_views.wilayah_kerja_assign, name="wilayah_kerja_assign"),
    path(
        "puskesmas/<int:pk>/wilayah-kerja/keluar/", puskesmas_views.wilayah_kerja_release, name="wilayah_kerja_release"
    ),
]
