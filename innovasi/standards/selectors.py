from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from .enums import CycleState
from .models import Catalogue, Cycle, Option

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


def catalogue_guide(code):
    """A catalogue with its indicators in order, each with its options (2 queries); Http404 when unknown."""
    catalogue = Catalogue.objects.filter(code=code).first()
    if catalogue is None:
        raise Http404(_("Katalog tidak ditemukan."))
    indicators = catalogue.indicators.order_by("position").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("basis", "level"))
    )
    return catalogue, list(indicators)
