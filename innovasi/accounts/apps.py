from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "innovasi.accounts"
    label = "accounts"
    verbose_name = _("Pengguna dan OPD")

    def ready(self):
        from simple_history.signals import post_create_historical_record

        from innovasi.middleware import change_committed

        from . import checks, permissions  # noqa: F401  (registers the system checks and rules permissions)

        post_create_historical_record.connect(change_committed, dispatch_uid="accounts.change_committed")
