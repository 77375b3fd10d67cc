from .enums import CycleState
from .models import Cycle

CURRENT_CYCLE_PRIORITY: dict[str, int] = {CycleState.OPEN: 0, CycleState.VERIFICATION: 1}


def cycle_current(*, region_id):
    """The cycle a region works in now: an open one first, then one in verification, then the newest.

    A region has one cycle a year, so they are all read (a plain query, cheap to build on every page)
    and the choice is made here.
    """
    if region_id is None:
        return None
    cycles = Cycle.objects.filter(region_id=region_id).select_related("catalogue", "region")
    return min(
        cycles,
        key=lambda cycle: (
            CURRENT_CYCLE_PRIORITY.get(cycle.state, 2),
            -cycle.catalogue.year,
            -cycle.opens_on.toordinal(),
        ),
        default=None,
    )
