import json

from django.core.management.base import BaseCommand, CommandError

from innovasi.standards.models import Cycle
from scoring.enums import SnapshotKind
from scoring.scenario import region_to_scenario
from scoring.services.index import cycle_inputs


class Command(BaseCommand):
    help = (
        "Write a cycle's current data as a scenario (the iid_simulate format): iid_simulate on it gives the "
        "figures the cycle's snapshot of that kind holds once it is up to date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="the cycle's id")
        parser.add_argument("--kind", choices=SnapshotKind.values, default=SnapshotKind.CLAIMED)
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, cycle, kind, output, **options):
        found = Cycle.objects.select_related("catalogue").filter(pk=cycle).first()
        if found is None:
            raise CommandError(f"no cycle with id {cycle}", returncode=2)
        data = cycle_inputs(found)
        region = data.claimed if kind == SnapshotKind.CLAIMED else data.verified
        text = json.dumps(region_to_scenario(data.rules.catalogue, region), indent=1, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)
