"""Formats in and out of the institutions around the posyandu: e-PPGBM by-name data (export and
import) and the Sistem Informasi Posyandu (SIP) books."""

from django.urls import path

from laporan import views_format as views

app_name = "format"

urlpatterns = [
    path("posyandu/<int:pk>/", views.posyandu_formats, name="posyandu"),
    path("eppgbm.xlsx", views.eppgbm_export, name="eppgbm_export"),
    path("posyandu/<int:pk>/eppgbm/impor/", views.eppgbm_import, name="eppgbm_import"),
    path("posyandu/<int:pk>/eppgbm/impor/simpan/", views.eppgbm_import_confirm, name="eppgbm_import_confirm"),
    path("posyandu/<int:pk>/sip.pdf", views.sip_pdf, name="sip_pdf"),
    path("posyandu/<int:pk>/sip.xlsx", views.sip_excel, name="sip_excel"),
    path("rekap-puskesmas.pdf", views.rekap_puskesmas_pdf, name="rekap_puskesmas_pdf"),
    path("rekap-puskesmas.xlsx", views.rekap_puskesmas_excel, name="rekap_puskesmas_excel"),
]
