"""Demo data of the standards app: the open IID 2026 cycle of the demo region (``seed_demo``)."""

import datetime

from django.utils import timezone

from .enums import CycleState
from .models import Catalogue, Cycle


def seed(context):
    """Open the demo region's 2026 cycle, closing a month from the first seeding so the demo has time left."""
    region = context["region"]
    today = timezone.localdate()
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
    context["cycle"] = cycle
    context["stdout"].write(f"{cycle.name}: {cycle.get_state_display()}, closes {cycle.closes_on:%Y-%m-%d}")
