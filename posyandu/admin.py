"""Django admin for master data: admins only (is_staff is given to the admin role alone)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from posyandu.models import (
    Keluarga,
    Pengurus,
    Posyandu,
    Puskesmas,
    User,
    Warga,
    WargaPindah,
    Wilayah,
    WilayahKerjaPuskesmas,
)


@admin.register(Wilayah)
class WilayahAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)


class PengurusInline(admin.TabularInline):
    model = Pengurus
    extra = 0


@admin.register(Posyandu)
class PosyanduAdmin(admin.ModelAdmin):
    list_display = ("name", "desa", "registration_number", "status")
    list_filter = ("status",)
    search_fields = ("name", "registration_number", "desa__name", "desa__code")
    raw_id_fields = ("desa",)
    list_select_related = ("desa",)
    inlines = [PengurusInline]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "role", "posyandu", "wilayah", "is_active")
    list_filter = ("role", "is_active")
    list_select_related = ("posyandu", "wilayah")
    raw_id_fields = ("posyandu", "wilayah", "puskesmas")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (
            _("Peran dan cakupan"),
            {"fields": ("role", "posyandu", "wilayah", "field", "phone", "puskesmas", "position")},
        ),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Peran dan cakupan"), {"fields": ("role", "posyandu", "wilayah", "field", "puskesmas", "position")}),
    )


# People: NIK and KK numbers are masked in lists and never searchable (a search puts them in the URL).
@admin.register(Keluarga)
class KeluargaAdmin(admin.ModelAdmin):
    list_display = ("head_name", "kk_masked", "rt", "rw", "dusun", "posyandu")
    search_fields = ("head_name", "posyandu__name")
    raw_id_fields = ("posyandu",)
    list_select_related = ("posyandu",)

    @admin.display(description=_("nomor KK"))
    def kk_masked(self, obj: Keluarga) -> str:
        return obj.kk_number_masked or "—"


@admin.register(Warga)
class WargaAdmin(admin.ModelAdmin):
    list_display = ("name", "nik_masked", "sex", "birth_date", "posyandu", "status")
    list_filter = ("status", "sex")
    search_fields = ("name", "mother_name", "posyandu__name")
    raw_id_fields = ("mother", "keluarga", "posyandu")
    list_select_related = ("posyandu",)
    date_hierarchy = "birth_date"

    @admin.display(description=_("NIK"))
    def nik_masked(self, obj: Warga) -> str:
        return obj.nik_masked or "—"


@admin.register(WargaPindah)
class WargaPindahAdmin(admin.ModelAdmin):
    list_display = ("warga", "from_posyandu", "to_posyandu", "moved_on", "recorded_by")
    search_fields = ("warga__name",)
    raw_id_fields = ("warga", "from_posyandu", "to_posyandu", "recorded_by")
    list_select_related = ("warga", "from_posyandu", "to_posyandu", "recorded_by")
    date_hierarchy = "moved_on"


class WilayahKerjaInline(admin.TabularInline):
    """The working area, read only. A desa moves on the app's Puskesmas page, through the service that
    ends the old row the day the new one starts and explains an overlap; rows typed here bypassed it, and
    two overlapping rows in one save were a server error (the database refuses them)."""

    model = WilayahKerjaPuskesmas
    extra = 0
    fields = ("desa", "valid_from", "valid_to")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Puskesmas)
class PuskesmasAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kabupaten")
    search_fields = ("code", "name")
    raw_id_fields = ("kabupaten",)
    list_select_related = ("kabupaten",)
    inlines = [WilayahKerjaInline]
