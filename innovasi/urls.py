from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from . import views

admin.site.site_header = _("Portal Inovasi Daerah")
admin.site.site_title = _("Portal Inovasi Daerah")

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("akun/", include("innovasi.accounts.urls")),
    path("inovasi/", include("submissions.urls")),
    path("", include("scoring.urls")),
    path("", include("reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler403 = "innovasi.views.permission_denied"
handler404 = "innovasi.views.page_not_found"
handler500 = "innovasi.views.server_error"
