"""Offline entry (layanan/offline.py): the phone's app shell and its JSON endpoints."""

from django.urls import path

from layanan import offline

app_name = "layanan_offline"

urlpatterns = [
    path("", offline.app_shell, name="app"),
    path("sesi/", offline.session_status, name="session"),
    path("kirim/", offline.sync_visits, name="sync"),
    path("hari-buka/<int:pk>/data/", offline.day_data, name="day_data"),
    path("who/", offline.who_tables, name="who_tables"),
]
