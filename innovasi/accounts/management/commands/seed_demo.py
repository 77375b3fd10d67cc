from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from innovasi.accounts.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Create the demo region (Kabupaten Mojokerto) with its OPDs, demo logins and an open cycle. "
        "Idempotent: running it again completes what is missing and changes nothing else."
    )

    def handle(self, *args, **options):
        # Each app seeds its own part in a module named demo.py, in INSTALLED_APPS order, so that the
        # command never imports an app that depends on it (imports flow one way).
        context = {"stdout": self.stdout}
        # Demo accounts have .invalid addresses: their notifications stay in the portal, no mail goes out.
        with (
            override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
            transaction.atomic(),
        ):
            for app_config in apps.get_app_configs():
                try:
                    demo = import_module(f"{app_config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app_config.name}.demo":
                        raise
                    continue
                demo.seed(context)
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password: {DEMO_PASSWORD}):"))
        for username, role in context["logins"]:
            self.stdout.write(f"  {username:<20} {role}")
