from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Pengajuan inovasi")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the rules permissions)
