import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection

from innovasi.standards.models import Catalogue, Urusan
from innovasi.standards.services import CatalogueError, shipped_catalogue_files
from scoring import engine
from scoring.scenario import ScenarioError, parse_scenario, read_scenario, result_to_dict
from scoring.selectors.inputs import catalogue_rules, shipped_catalogue_rules


def _standards(code):
    """(Rules, known urusan codes) of catalogue ``code``: from the database, else from the shipped files
    (a fresh checkout whose database is not migrated, or a catalogue the database has not got)."""
    try:
        tables = set(connection.introspection.table_names())
        known = set()
        if {Catalogue._meta.db_table, Urusan._meta.db_table} <= tables:
            catalogue = Catalogue.objects.filter(code=code).first() if isinstance(code, str) else None
            if catalogue is not None:
                return catalogue_rules(catalogue), frozenset(Urusan.objects.values_list("code", flat=True))
            known = set(Catalogue.objects.values_list("code", flat=True))
    except DatabaseError as error:
        raise CommandError(
            f"cannot read the catalogues from the database ({error}): check DATABASE_URL"
        ) from None
    shipped = shipped_catalogue_rules(code) if isinstance(code, str) else None
    if shipped is None:
        known = ", ".join(sorted(known | set(shipped_catalogue_files())))
        raise ScenarioError(f"unknown catalogue {code!r} (known: {known})")
    return shipped


class Command(BaseCommand):
    help = (
        "Compute the IID of a scenario file (see ../shared/domain/scenario-format.md) with the portal's engine "
        "and the catalogues in the database, or the shipped catalogue files (innovasi/standards/data) when the "
        "database has not got them (not migrated); print the result as JSON. Bad input exits with status 2."
    )

    def add_arguments(self, parser):
        parser.add_argument("scenario", help="path of the scenario JSON file")

    def handle(self, *args, scenario, **options):
        try:
            try:
                text = Path(scenario).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise ScenarioError(
                    f"cannot read {scenario}: {getattr(error, 'strerror', None) or error}"
                ) from None
            data = read_scenario(text)
            try:
                rules, urusan = _standards(data.get("catalog"))
            except CatalogueError as error:
                raise CommandError(f"a shipped catalogue file cannot be read: {error}") from None
            region = parse_scenario(data, rules, urusan)
        except ScenarioError as error:
            raise CommandError(str(error), returncode=2) from None
        result = engine.compute(rules, region)
        self.stdout.write(json.dumps(result_to_dict(result), indent=1, ensure_ascii=False))
