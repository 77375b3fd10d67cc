from django.contrib import admin

from innovasi.accounts.admin import RegionScopedAdmin

from .models import Catalogue, Cycle, Indicator, Option, Urusan


class ReadMostlyAdmin(admin.ModelAdmin):
    """National standards: loaded from files with ``load_catalog``; only a superuser edits them here."""

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class OptionInline(admin.TabularInline):
    model = Option
    extra = 0

    has_add_permission = ReadMostlyAdmin.has_add_permission
    has_change_permission = ReadMostlyAdmin.has_change_permission
    has_delete_permission = ReadMostlyAdmin.has_delete_permission


class IndicatorInline(admin.TabularInline):
    model = Indicator
    fields = ["code", "group", "name_id", "weight", "mandatory", "evidence_kinds"]
    extra = 0
    show_change_link = True

    has_add_permission = ReadMostlyAdmin.has_add_permission
    has_change_permission = ReadMostlyAdmin.has_change_permission
    has_delete_permission = ReadMostlyAdmin.has_delete_permission


@admin.register(Catalogue)
class CatalogueAdmin(ReadMostlyAdmin):
    list_display = ["code", "year", "name"]
    inlines = [IndicatorInline]


@admin.register(Indicator)
class IndicatorAdmin(ReadMostlyAdmin):
    list_display = ["code", "catalogue", "group", "name_id", "weight", "mandatory"]
    list_filter = ["catalogue", "group", "mandatory"]
    list_select_related = ["catalogue"]
    inlines = [OptionInline]


@admin.register(Urusan)
class UrusanAdmin(ReadMostlyAdmin):
    list_display = ["position", "code", "name", "group"]
    list_filter = ["group"]


@admin.register(Cycle)
class CycleAdmin(RegionScopedAdmin):
    list_display = ["name", "region", "catalogue", "opens_on", "closes_on", "state"]
    list_filter = ["state", "catalogue"]
    list_select_related = ["region", "catalogue"]
