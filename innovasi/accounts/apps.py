from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "innovasi.accounts"
    label = "accounts"
    verbose_name = _("Pengguna dan OPD")

    def ready(self):
        from . import checks, permissions  # noqa: F401  (registers the system checks and rules permissions)
