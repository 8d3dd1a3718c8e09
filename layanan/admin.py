"""Admin for the health records: for the admin role (the whole Django admin is admin-only)."""

from django.contrib import admin

from layanan.models import HariBuka, Imunisasi, Kehamilan, Kunjungan, Rujukan


@admin.register(HariBuka)
class HariBukaAdmin(admin.ModelAdmin):
    list_display = ("posyandu", "date", "reporting_month", "kader_present")
    list_filter = ("reporting_month",)
    search_fields = ("posyandu__name",)
    raw_id_fields = ("posyandu", "created_by")
    date_hierarchy = "date"


@admin.register(Kunjungan)
class KunjunganAdmin(admin.ModelAdmin):
    list_display = ("warga", "posyandu", "reporting_month", "kind", "stage", "weight_kg", "growth_code", "z_lhfa")
    list_filter = ("kind", "stage", "growth_code", "reporting_month")
    search_fields = ("warga__name", "posyandu__name")
    raw_id_fields = ("warga", "posyandu", "hari_buka", "kehamilan", "recorded_by")
    list_select_related = ("warga", "posyandu")


@admin.register(Imunisasi)
class ImunisasiAdmin(admin.ModelAdmin):
    list_display = ("warga", "antigen", "given_on", "place")
    list_filter = ("antigen",)
    search_fields = ("warga__name",)
    raw_id_fields = ("warga", "kunjungan", "recorded_by")


@admin.register(Kehamilan)
class KehamilanAdmin(admin.ModelAdmin):
    list_display = ("mother", "registered_on", "hpht", "due_date", "outcome", "ended_on")
    list_filter = ("outcome",)
    search_fields = ("mother__name",)
    raw_id_fields = ("mother", "baby")


@admin.register(Rujukan)
class RujukanAdmin(admin.ModelAdmin):
    list_display = ("kunjungan", "destination", "referred_on", "status", "follow_up_on")
    list_filter = ("status", "destination")
    raw_id_fields = ("kunjungan", "created_by")
