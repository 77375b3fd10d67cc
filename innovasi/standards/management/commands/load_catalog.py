from django.core.management.base import BaseCommand, CommandError

from innovasi.standards.services import CatalogueError, catalogue_load


class Command(BaseCommand):
    help = "Load (or update) an indicator catalogue from a YAML file; loading the same file twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the catalogue file, e.g. innovasi/standards/data/iid-2026.yaml")

    def handle(self, *args, path, **options):
        try:
            result = catalogue_load(path=path)
        except CatalogueError as error:
            raise CommandError(str(error)) from None
        verb = "created" if result.created else "updated"
        self.stdout.write(
            f"{result.catalogue.code}: {verb}, {result.indicators} indicators, {result.options} options"
        )
