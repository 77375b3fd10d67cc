"""Demo data of the standards app (``seed_demo``): last assessment's cycle (final) and the open one."""

import datetime

from django.utils import timezone

from .enums import CycleState
from .models import Catalogue, Cycle
from .services import DATA_DIR, SHIPPED_CATALOGUES, catalogue_load


def seed(context):
    """The shipped catalogues as their files are now; the 2023 cycle, closed, for the trend; the open 2026
    cycle, closing a month from the first seeding."""
    # A demo database made before a catalogue file changed (new guidance texts, say) gets the change here:
    # migrating loads only catalogues that are missing. Loading is idempotent, so a second run changes nothing.
    for file_name in SHIPPED_CATALOGUES:
        result = catalogue_load(path=DATA_DIR / file_name)
        context["stdout"].write(f"{result.catalogue.name}: loaded from {file_name}")
    region = context["region"]
    today = timezone.localdate()
    previous, _ = Cycle.objects.get_or_create(
        region=region,
        catalogue=Catalogue.objects.get(code="iid-2023"),
        defaults={
            "name": f"IID 2023 — {region.name}",
            "opens_on": datetime.date(2023, 1, 2),
            "closes_on": datetime.date(2023, 8, 31),
            # Filed and verified by the other apps' demo seeding, then closed (scoring's demo).
            "state": CycleState.VERIFICATION,
        },
    )

    cycle, _ = Cycle.objects.get_or_create(
        region=region,
        catalogue=Catalogue.objects.get(code="iid-2026"),
        defaults={
            "name": f"IID 2026 — {region.name}",
            "opens_on": datetime.date(today.year, 1, 2) if today.month > 1 else today,
            "closes_on": today + datetime.timedelta(days=30),
            "state": CycleState.OPEN,
        },
    )
    context.update(cycle=cycle, previous_cycle=previous)
    for item in (previous, cycle):
        context["stdout"].write(f"{item.name}: {item.get_state_display()}, closes {item.closes_on:%Y-%m-%d}")
