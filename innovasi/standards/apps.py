from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class StandardsConfig(AppConfig):
    name = "innovasi.standards"
    label = "standards"
    verbose_name = _("Standar penilaian")

    def ready(self):
        from . import permissions  # noqa: F401  (registers the rules permissions)
        from .services import shipped_standards_load

        # A fresh database (including the test database) gets the catalogues and urusan after migrating.
        post_migrate.connect(shipped_standards_load, sender=self, dispatch_uid="standards_shipped_load")
