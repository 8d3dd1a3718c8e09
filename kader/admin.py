"""Django admin for master data: competencies (non-health ones can be added here) and level rules."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from kader import services
from kader.models import Kader, Kompetensi, KompetensiGroup, LevelRule, Pelatihan, PesertaPelatihan


class KompetensiInline(admin.TabularInline):
    model = Kompetensi
    extra = 1


@admin.register(KompetensiGroup)
class KompetensiGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "field", "counts_for_level", "order")
    list_filter = ("field", "counts_for_level")
    inlines = [KompetensiInline]


@admin.action(description=_("Hitung ulang jenjang semua kader"))
def recompute_levels(modeladmin, request, queryset):
    changed = services.kader_levels_refresh()
    messages.success(request, _("%(n)s kader berubah jenjang.") % {"n": changed})


@admin.register(LevelRule)
class LevelRuleAdmin(admin.ModelAdmin):
    list_display = ("level", "rank", "min_complete_groups", "min_competencies", "description")
    filter_horizontal = ("required_groups",)
    actions = [recompute_levels]


@admin.register(Kader)
class KaderAdmin(admin.ModelAdmin):
    list_display = ("name", "posyandu", "field", "status", "level", "start_date")
    list_filter = ("status", "field", "level")
    search_fields = ("name", "posyandu__name")
    raw_id_fields = ("posyandu", "warga", "user")
    list_select_related = ("posyandu",)


class PesertaInline(admin.TabularInline):
    model = PesertaPelatihan
    raw_id_fields = ("kader",)
    extra = 0


@admin.register(Pelatihan)
class PelatihanAdmin(admin.ModelAdmin):
    list_display = ("title", "organiser_level", "field", "start_date", "end_date", "wilayah")
    list_filter = ("organiser_level", "field")
    search_fields = ("title", "organiser_opd")
    raw_id_fields = ("wilayah",)
    inlines = [PesertaInline]
