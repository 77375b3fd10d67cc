from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan dan dasbor")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the rules permissions)
        from .selectors import certificates  # noqa: F401  (shows the certificates in a region's history)
