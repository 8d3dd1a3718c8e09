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


# ---------------------------------------------------------------------------------------------
# The five other SPM fields. The holiday calendar (HariLibur) is edited here by admins: it sets
# the 5-working-day deadline of service requests. Requests change status only through the app.
# ---------------------------------------------------------------------------------------------
from layanan.models import (  # noqa: E402
    DokumenPermintaan,
    HariLibur,
    Kegiatan,
    Kejadian,
    PendidikanAnak,
    PermintaanLayanan,
    RiwayatStatusPermintaan,
    SurveiKeluarga,
)


@admin.register(HariLibur)
class HariLiburAdmin(admin.ModelAdmin):
    list_display = ("date", "name")
    search_fields = ("name",)
    date_hierarchy = "date"


@admin.register(SurveiKeluarga)
class SurveiKeluargaAdmin(admin.ModelAdmin):
    list_display = ("keluarga", "survey_date", "has_safe_water", "has_proper_latrine", "is_rtlh", "is_poor")
    list_filter = ("has_safe_water", "has_proper_latrine", "is_rtlh", "is_poor", "receives_bansos")
    search_fields = ("keluarga__head_name",)
    raw_id_fields = ("keluarga", "surveyed_by")


@admin.register(PendidikanAnak)
class PendidikanAnakAdmin(admin.ModelAdmin):
    list_display = ("warga", "recorded_on", "status", "reason")
    list_filter = ("status", "reason")
    raw_id_fields = ("warga", "recorded_by")


@admin.register(Kegiatan)
class KegiatanAdmin(admin.ModelAdmin):
    list_display = ("posyandu", "field", "kind", "topic", "date", "reporting_month")
    list_filter = ("field", "kind", "reporting_month")
    raw_id_fields = ("posyandu", "recorded_by")


@admin.register(Kejadian)
class KejadianAdmin(admin.ModelAdmin):
    list_display = ("posyandu", "kind", "occurred_on", "people_affected", "confidential")
    list_filter = ("kind", "confidential")
    raw_id_fields = ("posyandu", "recorded_by")


class RiwayatInline(admin.TabularInline):
    model = RiwayatStatusPermintaan
    extra = 0
    can_delete = False
    readonly_fields = ("from_status", "to_status", "changed_by", "changed_at", "note")


@admin.register(PermintaanLayanan)
class PermintaanLayananAdmin(admin.ModelAdmin):
    list_display = ("posyandu", "field", "kind", "status", "recorded_on", "due_on")
    list_filter = ("field", "status", "kind")
    raw_id_fields = ("posyandu", "keluarga", "warga", "recorded_by")
    readonly_fields = ("status", "verified_on", "due_on", "forwarded_to", "forwarded_on", "closed_on")
    inlines = [RiwayatInline]


@admin.register(DokumenPermintaan)
class DokumenPermintaanAdmin(admin.ModelAdmin):
    """Listed only: a document is attached on the request's page, where its content is checked and a
    closed request is refused (``layanan.services.permintaan.dokumen_attach``)."""

    list_display = ("permintaan", "kind", "original_name", "size", "uploaded_at")
    raw_id_fields = ("permintaan", "uploaded_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
