from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from innovasi.accounts.demo import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Create the demo region (Kabupaten Mojokerto) with its OPDs, demo logins and an open cycle; with "
        "--province, also the Province of East Java over it with its 37 other kabupaten/kota (synthetic data). "
        "Idempotent: running it again completes what is missing and changes nothing else."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--province",
            action="store_true",
            help="also build Provinsi Jawa Timur (35) with its 38 kabupaten/kota, Mojokerto the full demo "
            "and the others synthetic, and the province's logins (admin.jatim, gubernur, juri.prov1-3)",
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
            # The province after the whole regency demo: it places Mojokerto, seeded by then, in it.
            for module in ("demo", "demo_province") if options["province"] else ("demo",):
                for app_config in apps.get_app_configs():
                    try:
                        demo = import_module(f"{app_config.name}.{module}")
                    except ModuleNotFoundError as error:
                        if error.name != f"{app_config.name}.{module}":
                            raise
                        continue
                    getattr(demo, "seed_province" if module == "demo_province" else "seed")(context)
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password: {DEMO_PASSWORD}):"))
        for username, role in context["logins"]:
            self.stdout.write(f"  {username:<20} {role}")
