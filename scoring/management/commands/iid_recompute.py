from django.core.management.base import BaseCommand, CommandError

from innovasi.standards.models import Cycle
from scoring.services.index import cycle_recompute


class Command(BaseCommand):
    help = (
        "Recompute a cycle's claimed and verified snapshots now. With --check, compute without writing and "
        "report whether the stored snapshots still match (exit status 1 and the differences when not)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cycle", type=int, required=True, help="the cycle's id")
        parser.add_argument(
            "--check", action="store_true", help="compare with the stored snapshots; write nothing"
        )

    def handle(self, *args, cycle, check, **options):
        if not Cycle.objects.filter(pk=cycle).exists():
            raise CommandError(f"no cycle with id {cycle}", returncode=2)
        outcome = cycle_recompute(cycle_id=cycle, write=not check)
        differences = []
        for kind, (computed, stored, written) in outcome.items():
            if check:
                differences.extend(_differences(kind, computed.payload, stored.result if stored else None))
                continue
            state = "written" if written else "unchanged"
            self.stdout.write(f"{kind}: {state}, IID {computed.result.iid} ({computed.result.category})")
        if not check:
            return
        if differences:
            for line in differences:
                self.stdout.write(line)
            raise CommandError("the stored snapshots do not match the data", returncode=1)
        self.stdout.write("the stored snapshots match the data")


def _differences(kind, fresh, stored):
    """Lines naming each figure that differs between a fresh result and a stored one."""
    if stored is None:
        return [f"{kind}: no snapshot stored"]
    lines = [
        f"{kind}: {key} stored {stored.get(key)!r}, now {fresh[key]!r}"
        for key in fresh
        if key != "innovations" and stored.get(key) != fresh[key]
    ]
    stored_innovations = {item["ref"]: item for item in stored.get("innovations", [])}
    for item in fresh["innovations"]:
        old = stored_innovations.pop(item["ref"], None)
        if old != item:
            lines.append(f"{kind}: innovation {item['ref']} stored {old!r}, now {item!r}")
    lines.extend(
        f"{kind}: innovation {ref} is stored but no longer in the data" for ref in stored_innovations
    )
    return lines
