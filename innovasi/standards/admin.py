from django.contrib import admin

from innovasi.accounts.admin import RegionScopedAdmin, StaleChangeRefusedAdmin

from . import services
from .models import Catalogue, Cycle, Indicator, Option, Urusan


class ReadMostlyAdmin(StaleChangeRefusedAdmin, admin.ModelAdmin):
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


class CatalogueChangeAnnounced:
    """Saving or deleting here announces the change of the catalogues it touches, so their running cycles
    are recomputed."""

    def catalogues_of(self, objs):
        return {obj.catalogue_id for obj in objs}

    def _announce(self, catalogue_ids):
        for catalogue_id in catalogue_ids:
            services.catalogue_changed(catalogue_id)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self._announce(self.catalogues_of([form.instance]))

    def delete_model(self, request, obj):
        touched = self.catalogues_of([obj])
        super().delete_model(request, obj)
        self._announce(touched)

    def delete_queryset(self, request, queryset):
        touched = self.catalogues_of(queryset)
        super().delete_queryset(request, queryset)
        self._announce(touched)


@admin.register(Catalogue)
class CatalogueAdmin(CatalogueChangeAnnounced, ReadMostlyAdmin):
    list_display = ["code", "year", "name"]
    inlines = [IndicatorInline]

    def catalogues_of(self, objs):
        return {obj.pk for obj in objs}


@admin.register(Indicator)
class IndicatorAdmin(CatalogueChangeAnnounced, ReadMostlyAdmin):
    list_display = ["code", "catalogue", "group", "name_id", "weight", "mandatory"]
    list_filter = ["catalogue", "group", "mandatory"]
    list_select_related = ["catalogue"]
    inlines = [OptionInline]


@admin.register(Urusan)
class UrusanAdmin(CatalogueChangeAnnounced, ReadMostlyAdmin):
    """An urusan's group decides the yandas coverage of every catalogue's index."""

    def catalogues_of(self, objs):
        return set(Catalogue.objects.values_list("pk", flat=True))

    list_display = ["position", "code", "name", "group"]
    list_filter = ["group"]


@admin.register(Cycle)
class CycleAdmin(RegionScopedAdmin):
    """Read-only for a regency's admin: cycles are opened, dated and moved from stage to stage on the
    portal's cycle pages, which check each move and keep its history; only a superuser edits one here."""

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    list_display = ["name", "region", "catalogue", "state", "opens_on", "filing_closes_on", "final_on"]
    list_filter = ["state", "catalogue"]
    list_select_related = ["region", "catalogue"]
