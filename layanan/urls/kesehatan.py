from django.urls import path

from layanan.views import kesehatan as views

app_name = "layanan"

urlpatterns = [
    path("hari-buka/", views.haribuka_list, name="haribuka_list"),
    path("hari-buka/baru/", views.haribuka_create, name="haribuka_create"),
    path("hari-buka/<int:pk>/", views.haribuka_detail, name="haribuka_detail"),
    path("hari-buka/<int:pk>/tabel/", views.haribuka_batch, name="haribuka_batch"),
    path("hari-buka/<int:pk>/catat/<int:warga_pk>/", views.kunjungan_entry, name="kunjungan_entry"),
    path("kunjungan/<int:pk>/", views.kunjungan_result, name="kunjungan_result"),
    path("kunjungan/<int:pk>/ubah/", views.kunjungan_update, name="kunjungan_update"),
    path("kunjungan/<int:pk>/rujuk/", views.rujukan_create, name="rujukan_create"),
    path("kunjungan-rumah/<int:warga_pk>/", views.kunjungan_rumah, name="kunjungan_rumah"),
    path("rujukan/", views.rujukan_list, name="rujukan_list"),
    path("rujukan/<int:pk>/tindak-lanjut/", views.rujukan_follow_up, name="rujukan_follow_up"),
    path("imunisasi/terlambat/", views.imunisasi_overdue, name="imunisasi_overdue"),
    path("warga/<int:pk>/kesehatan/", views.warga_health, name="warga_health"),
    path("warga/<int:pk>/imunisasi/baru/", views.imunisasi_create, name="imunisasi_create"),
    path("warga/<int:pk>/kehamilan/baru/", views.kehamilan_create, name="kehamilan_create"),
    path("kehamilan/<int:pk>/selesai/", views.kehamilan_end, name="kehamilan_end"),
]
