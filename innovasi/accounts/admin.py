from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Opd, Region, User


class RegionScopedAdmin(admin.ModelAdmin):
    """Django admin pages a regency's admin may use: they see and pick only their own region's rows.

    ``region_path`` is the lookup from the model to its region. A superuser sees every region.
    """

    region_path = "region"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{self.region_path: request.user.region_id})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            if db_field.name == "region":
                kwargs["queryset"] = Region.objects.filter(pk=request.user.region_id)
            elif db_field.name == "opd":
                kwargs["queryset"] = Opd.objects.filter(region=request.user.region_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Region)
class RegionAdmin(RegionScopedAdmin):
    region_path = "pk"
    list_display = ["name", "kind", "code"]
    search_fields = ["name", "code"]


@admin.register(Opd)
class OpdAdmin(RegionScopedAdmin):
    list_display = ["name", "short_name", "kind", "region", "is_active"]
    list_filter = ["kind", "is_active", "region"]
    search_fields = ["name", "short_name"]
    list_select_related = ["region"]


@admin.register(User)
class UserAdmin(RegionScopedAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "opd", "region", "is_active"]
    list_filter = ["role", "is_active", "region"]
    list_select_related = ["opd", "region"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Peran di portal"), {"fields": ["region", "role", "opd"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Peran di portal"), {"fields": ["email", "first_name", "last_name", "region", "role", "opd"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser hands out superuser or staff rights, or Django's own permission lists.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return ["is_superuser", "is_staff", "groups", "user_permissions", "last_login", "date_joined"]
