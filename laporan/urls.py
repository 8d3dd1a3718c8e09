from django.urls import path

from laporan import views

app_name = "laporan"

urlpatterns = [
    path("hari-buka/<int:pk>/lembar.pdf", views.lembar_hari_buka, name="lembar_hari_buka"),
]
