"""Django admin for master data: admins only (is_staff is given to the admin role alone)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from posyandu.models import Pengurus, Posyandu, User, Wilayah


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
    raw_id_fields = ("posyandu", "wilayah")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Peran dan cakupan"), {"fields": ("role", "posyandu", "wilayah", "field", "phone")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Peran dan cakupan"), {"fields": ("role", "posyandu", "wilayah", "field")}),
    )
