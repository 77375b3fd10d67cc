from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from innovasi.accounts.admin import StaleChangeRefusedAdmin

from .models import Innovation


@admin.register(Innovation)
class InnovationAdmin(StaleChangeRefusedAdmin, SimpleHistoryAdmin):
    """Read-only for support staff: innovations change only through the portal's services."""

    list_display = ["name", "opd", "cycle", "state", "updated_at"]
    list_filter = ["state", "cycle"]
    search_fields = ["name", "opd__name"]
    list_select_related = ["opd", "cycle"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
