import json

from django.core.management.base import BaseCommand, CommandError

from innovasi.standards.models import Cycle
from scoring.enums import SnapshotKind
from scoring.models import IndexSnapshot
from scoring.scenario import region_to_scenario
from scoring.selectors.inputs import catalogue_rules, cycle_inputs
from scoring.services.index import inputs_hash


class Command(BaseCommand):
    help = (
        "Write a scenario (the iid_simulate format): a cycle's current data (--cycle, --kind), on which "
        "iid_simulate gives the figures of the cycle's snapshot of that kind once it is up to date; or the "
        "inputs a stored snapshot was computed from (--snapshot), on which it gives that snapshot's figures "
        "(refused, with status 1, once the catalogue's rules or the engine have changed since)."
    )

    def add_arguments(self, parser):
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--cycle", type=int, help="the cycle's id: its current data")
        source.add_argument(
            "--snapshot", type=int, help="a stored snapshot's id: the data it was computed from"
        )
        parser.add_argument("--kind", choices=SnapshotKind.values, default=SnapshotKind.CLAIMED)
        parser.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, cycle, snapshot, kind, output, **options):
        if snapshot is not None:
            stored = IndexSnapshot.objects.select_related("cycle__catalogue").filter(pk=snapshot).first()
            if stored is None:
                raise CommandError(f"no snapshot with id {snapshot}", returncode=2)
            if inputs_hash(catalogue_rules(stored.cycle.catalogue), stored.inputs) != stored.inputs_hash:
                raise CommandError(
                    f"snapshot {snapshot} was computed with other catalogue rules or another engine version: "
                    "iid_simulate on its inputs would not give its figures",
                    returncode=1,
                )
            scenario = stored.inputs["scenario"]
        else:
            found = Cycle.objects.select_related("catalogue").filter(pk=cycle).first()
            if found is None:
                raise CommandError(f"no cycle with id {cycle}", returncode=2)
            data = cycle_inputs(found)
            region = data.claimed if kind == SnapshotKind.CLAIMED else data.verified
            scenario = region_to_scenario(data.rules.catalogue, region)
        text = json.dumps(scenario, indent=1, ensure_ascii=False)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)
