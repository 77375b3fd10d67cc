from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Verifikasi dan penilaian")

    def ready(self):
        from . import permissions, receivers  # noqa: F401  (registers the rules permissions)

        receivers.connect()
