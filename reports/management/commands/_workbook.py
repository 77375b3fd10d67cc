"""What the three workbook commands share: finding the cycle and describing a plan on the terminal."""

from django.core.management.base import CommandError

from innovasi.standards.models import Cycle


def cycle_get(pk: int) -> Cycle:
    cycle = Cycle.objects.select_related("catalogue", "region").filter(pk=pk).first()
    if cycle is None:
        raise CommandError(f"no cycle with id {pk}", returncode=2)
    return cycle
