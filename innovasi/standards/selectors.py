from django.db.models import Case, IntegerField, Value, When

from .enums import CycleState
from .models import Cycle


def cycle_current(*, region_id):
    """The cycle a region works in now: an open one first, then one in verification, then the newest."""
    if region_id is None:
        return None
    priority = Case(
        When(state=CycleState.OPEN, then=Value(0)),
        When(state=CycleState.VERIFICATION, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        Cycle.objects.filter(region_id=region_id)
        .select_related("catalogue", "region")
        .order_by(priority, "-catalogue__year", "-opens_on")
        .first()
    )
