from django.urls import path

from laporan import views, views_pengaturan, views_rakor

app_name = "laporan"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("peta.json", views.peta_json, name="peta_json"),
    path("kelengkapan/", views.kelengkapan, name="kelengkapan"),
    path("riwayat/", views.riwayat, name="riwayat"),
    path("pengaturan/", views_pengaturan.pengaturan_kabupaten, name="pengaturan"),
    path("posyandu/<int:posyandu_pk>/<str:month>/", views.laporan_posyandu, name="laporan_posyandu"),
    path("posyandu/<int:posyandu_pk>/<str:month>/tindakan/", views.laporan_transition, name="laporan_transition"),
    path("posyandu/<int:posyandu_pk>/<str:month>/f2.pdf", views.laporan_pdf, name="laporan_pdf"),
    path("rakor.pdf", views.rakor_pdf, name="rakor_pdf"),
    path("rakor/", views_rakor.rakor_list, name="rakor_list"),
    path("rakor/baru/", views_rakor.rakor_create, name="rakor_create"),
    path("rakor/<int:pk>/", views_rakor.rakor_detail, name="rakor_detail"),
    path("rakor/keputusan/<int:pk>/", views_rakor.keputusan_detail, name="keputusan_detail"),
    path("rakor/keputusan/<int:pk>/ubah/", views_rakor.keputusan_edit, name="keputusan_edit"),
    path("kelengkapan.xlsx", views.excel_kelengkapan, name="excel_kelengkapan"),
    path("indikator.xlsx", views.excel_indikator, name="excel_indikator"),
    path("warga.xlsx", views.excel_warga, name="excel_warga"),
    path("kader.xlsx", views.excel_kader, name="excel_kader"),
    path("keluarga.xlsx", views.excel_keluarga, name="excel_keluarga"),
    path("warga/<int:pk>/data.json", views.warga_data, name="warga_data"),
    path("hari-buka/<int:pk>/lembar.pdf", views.lembar_hari_buka, name="lembar_hari_buka"),
    path("kader/rekap.pdf", views.kader_rekap, name="kader_rekap"),
    path("kader/<int:pk>/sertifikat.pdf", views.kader_sertifikat, name="kader_sertifikat"),
]
