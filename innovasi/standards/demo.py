"""Demo data of the standards app (``seed_demo``): last assessment's cycle and the one in pengisian now, with
the stages' dates, and one OPD's extended filing deadline."""

import datetime

from django.utils import timezone

from innovasi.accounts.models import User

from .enums import CycleState, DeadlineKind
from .models import Catalogue, Cycle, DeadlineExtension
from .services import DATA_DIR, SHIPPED_CATALOGUES, catalogue_load
from .services.cycles import cycle_update, extension_save

# The 2023 cycle as it ran; the scoring app's demo gives it these dates and moves it to final once its
# innovations are verified (they are filed while it is still in pengisian).
PREVIOUS_SCHEDULE = {
    "opens_on": datetime.date(2023, 1, 2),
    "filing_closes_on": datetime.date(2023, 6, 30),
    "verification_closes_on": datetime.date(2023, 7, 31),
    "revision_closes_on": datetime.date(2023, 8, 15),
    "final_on": datetime.date(2023, 8, 31),
}
EXTENDED_OPD = "Dispendik"
EXTENSION_DAYS = 7
EXTENSION_REASON = "Menunggu SK Bupati yang menetapkan inovasi sekolah (indikator 16)."


def schedule(today):
    """The dates of a demo cycle in pengisian on ``today``: filing a month more, verification a month after,
    two weeks of revision, final two weeks later."""
    return {
        "opens_on": datetime.date(today.year, 1, 2) if today.month > 1 else today,
        "filing_closes_on": today + datetime.timedelta(days=30),
        "verification_closes_on": today + datetime.timedelta(days=60),
        "revision_closes_on": today + datetime.timedelta(days=74),
        "final_on": today + datetime.timedelta(days=88),
    }


def seed(context):
    """The shipped catalogues as their files are now; the 2023 cycle (final once the other apps have filled
    it) for the trend; the 2026 cycle in pengisian, its filing deadline a month from the first seeding and
    one OPD's a week later.

    A demo database seeded long ago still lets an operator submit: when the 2026 cycle is in pengisian and
    its filing deadline has passed, its dates move on from today (through the service, so the change is in
    its history). Seeding twice the same day changes nothing the second time."""
    # A demo database made before a catalogue file changed (new guidance texts, say) gets the change here:
    # migrating loads only catalogues that are missing. Loading is idempotent, so a second run changes nothing.
    for file_name in SHIPPED_CATALOGUES:
        result = catalogue_load(path=DATA_DIR / file_name)
        context["stdout"].write(f"{result.catalogue.name}: loaded from {file_name}")
    region = context["region"]
    admin = User.objects.get(username="admin")
    today = timezone.localdate()
    # Made as they stood while filing (both in pengisian for a moment, which the admin's transitions would
    # refuse): the demo files last year's innovations through the same services as this year's.
    previous, _ = Cycle.objects.get_or_create(
        region=region,
        catalogue=Catalogue.objects.get(code="iid-2023"),
        defaults={"name": f"IID 2023 — {region.name}", **schedule(today), "state": CycleState.OPEN},
    )
    cycle, created = Cycle.objects.get_or_create(
        region=region,
        catalogue=Catalogue.objects.get(code="iid-2026"),
        defaults={"name": f"IID 2026 — {region.name}", **schedule(today), "state": CycleState.OPEN},
    )
    if not created and cycle.state == CycleState.OPEN and today > cycle.filing_closes_on:
        cycle = cycle_update(
            cycle=cycle,
            user=admin,
            name=cycle.name,
            schedule=schedule(today),
            version=None,
            reason="Demo: jadwal digeser agar pengisian tetap terbuka",
        )
    extended = DeadlineExtension.objects.filter(
        cycle=cycle, opd=context["opds"][EXTENDED_OPD], kind=DeadlineKind.FILING
    ).first()
    if cycle.state == CycleState.OPEN and (extended is None or extended.closes_on <= cycle.filing_closes_on):
        extension_save(
            cycle=cycle,
            opd=context["opds"][EXTENDED_OPD],
            kind=DeadlineKind.FILING,
            closes_on=cycle.filing_closes_on + datetime.timedelta(days=EXTENSION_DAYS),
            reason=EXTENSION_REASON,
            user=admin,
        )
    context.update(cycle=cycle, previous_cycle=previous, previous_schedule=PREVIOUS_SCHEDULE)
    for item in (previous, cycle):
        context["stdout"].write(
            f"{item.name}: {item.get_state_display()}, filing closes {item.filing_closes_on:%Y-%m-%d}"
        )
