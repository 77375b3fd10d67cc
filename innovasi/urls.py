from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from . import views
from .accounts.permissions import public

admin.site.site_header = _("Portal Inovasi Daerah")
admin.site.site_title = _("Portal Inovasi Daerah")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("akun/", include("innovasi.accounts.urls")),
    path("siklus/", include("innovasi.standards.urls")),
    path("inovasi/", include("submissions.urls")),
    path("", include("scoring.urls")),
    path("", include("reports.urls")),
    path("akun/token-api/", include("api.urls")),
    path("api/v1/", include("api.endpoints")),
    # Without a CSRF token: the switch sits on public pages that are cached and shared, and switching
    # someone's language is all a forged request could do.
    path("i18n/setlang/", public(csrf_exempt(set_language)), name="set_language"),
    path("admin/", admin.site.urls),
]

handler400 = "innovasi.views.bad_request"
handler403 = "innovasi.views.permission_denied"
handler404 = "innovasi.views.page_not_found"
handler500 = "innovasi.views.server_error"
