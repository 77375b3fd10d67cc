from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from innovasi.accounts.enums import RegionKind
from innovasi.accounts.services.people import region_set_up
from innovasi.errors import PortalError


class Command(BaseCommand):
    help = (
        "Set up a region without the demo: the region and its first admin, who gets an invitation e-mail "
        "with a set-password link (printed here too). Non-interactive; refuses a code already in use."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help='e.g. "Kabupaten Mojokerto"')
        parser.add_argument("--kind", required=True, choices=RegionKind.values)
        parser.add_argument(
            "--code",
            required=True,
            help="the Kemendagri code: 35.16 (regency, city), 35 (province); ID for the nation",
        )
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", default="", help="the admin's full name (default: the user name)")
        parser.add_argument(
            "--parent",
            default="",
            metavar="CODE",
            help="the code of the region it lies in: a province's (35) for a regency or city, the nation's "
            "(ID) for a province",
        )

    def handle(self, *args, **options):
        try:
            result = region_set_up(
                name=options["name"],
                kind=options["kind"],
                code=options["code"],
                admin_username=options["admin_username"],
                admin_email=options["admin_email"],
                admin_name=options["admin_name"],
                base_url=settings.PORTAL_BASE_URL,
                parent_code=options["parent"],
            )
        except PortalError as error:
            raise CommandError(error.message) from error
        link = result.link
        self.stdout.write(
            self.style.SUCCESS(f"{result.region.name} ({result.region.code}) is set up.")
            + (
                f"\nIt lies in {result.region.parent.name} ({result.region.parent.code})."
                if result.region.parent
                else ""
            )
            + f"\nAdmin: {result.admin.username} <{result.admin.email}>, invited by e-mail."
            + f"\nSet-password link (valid once, until {timezone.localtime(link.valid_until):%Y-%m-%d %H:%M %Z}):\n{link.url}"
        )
