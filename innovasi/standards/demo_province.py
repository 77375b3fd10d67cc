"""Demo data of the standards app for ``seed_demo --province``: the province's own IID 2026 cycle in
pengisian, and one for each synthetic regency or city — most in verifikasi, some still in pengisian, a few
in perbaikan — made in bulk once (a region keeps the cycle it has)."""

import datetime
import random

from django.utils import timezone

from .demo import schedule
from .enums import CycleState
from .models import Catalogue, Cycle

SEED = 2035
CATALOGUE = "iid-2026"
# Of the 37 synthetic regions, how many are still filing and how many already in revision.
STILL_FILING = 8
IN_REVISION = 6


def _dates(state, today):
    """A cycle's dates as they stand on ``today`` in ``state``."""
    day = datetime.timedelta(days=1)
    if state == CycleState.OPEN:
        return schedule(today)
    if state == CycleState.VERIFICATION:
        return {
            "opens_on": today - 150 * day,
            "filing_closes_on": today - 15 * day,
            "verification_closes_on": today + 20 * day,
            "revision_closes_on": today + 40 * day,
            "final_on": today + 55 * day,
        }
    return {
        "opens_on": today - 180 * day,
        "filing_closes_on": today - 50 * day,
        "verification_closes_on": today - 5 * day,
        "revision_closes_on": today + 15 * day,
        "final_on": today + 30 * day,
    }


def seed_province(context):
    """The province's cycle (through the ORM: its SPD rows come with it) and the synthetic regions' cycles
    (in bulk: their SPD rows are the scoring app's demo's)."""
    catalogue = Catalogue.objects.get(code=CATALOGUE)
    today = timezone.localdate()
    province = context["province"]
    province_cycle, _created = Cycle.objects.get_or_create(
        region=province,
        catalogue=catalogue,
        defaults={"name": f"IID 2026 — {province.name}", **schedule(today), "state": CycleState.OPEN},
    )
    regions = {code: item["region"] for code, item in context["synthetic_regions"].items()}
    existing = {
        cycle.region_id: cycle
        for cycle in Cycle.objects.filter(region__in=regions.values(), catalogue=catalogue)
    }
    rng = random.Random(SEED)
    codes = sorted(regions)
    filing = set(rng.sample(codes, STILL_FILING))
    revising = set(rng.sample([code for code in codes if code not in filing], IN_REVISION))
    missing = []
    for code in codes:
        region = regions[code]
        if region.pk in existing:
            continue
        state = (
            CycleState.OPEN
            if code in filing
            else CycleState.REVISION
            if code in revising
            else CycleState.VERIFICATION
        )
        missing.append(
            Cycle(
                region=region,
                catalogue=catalogue,
                name=f"IID 2026 — {region.name}",
                state=state,
                **_dates(state, today),
            )
        )
    made = Cycle.objects.bulk_create(missing)
    for cycle in made:
        existing[cycle.region_id] = cycle
    context.update(province_cycle=province_cycle, synthetic_cycles=existing, new_synthetic_cycles=made)
    states = [cycle.state for cycle in existing.values()]
    context["stdout"].write(
        f"{province.name}: its own cycle {province_cycle.get_state_display()}; {len(existing)} regional cycles "
        f"({states.count(CycleState.OPEN)} still filing, {len(made)} new)"
    )
