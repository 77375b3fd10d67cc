import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from innovasi.standards.models import Catalogue, Urusan
from scoring import engine
from scoring.scenario import ScenarioError, parse_scenario, read_scenario, result_to_dict
from scoring.selectors.inputs import catalogue_rules


class Command(BaseCommand):
    help = (
        "Compute the IID of a scenario file (see ../shared/domain/scenario-format.md) with the portal's engine "
        "and the catalogues in the database; print the result as JSON. Bad input exits with status 2."
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
            code = data.get("catalog")
            catalogue = Catalogue.objects.filter(code=code).first() if isinstance(code, str) else None
            if catalogue is None:
                known = ", ".join(Catalogue.objects.order_by("code").values_list("code", flat=True))
                raise ScenarioError(f"unknown catalogue {code!r} (known: {known})")
            rules = catalogue_rules(catalogue)
            region = parse_scenario(data, rules, frozenset(Urusan.objects.values_list("code", flat=True)))
        except ScenarioError as error:
            raise CommandError(str(error), returncode=2) from None
        result = engine.compute(rules, region)
        self.stdout.write(json.dumps(result_to_dict(result), indent=1, ensure_ascii=False))
