"""How scoring reacts to the submissions app's signals (connected in ``ScoringConfig.ready``)."""

from django.db.models.signals import post_save

from innovasi.standards import signals as standards_signals
from innovasi.standards.enums import RUNNING_CYCLE_STATES
from innovasi.standards.models import Cycle
from submissions import signals

from .services import index, spd, verification
from .tasks import notify_state_change


def scores_changed(cycle_id, **_kwargs):
    """Count the change in the cycle's pending work, inside the transaction that makes it."""
    index.change_record(cycle_id)


def catalogue_changed(catalogue_id, **_kwargs):
    """A catalogue's rules or indicators changed: every cycle still running on it gets an SPD row for any
    new SPD indicator and is recomputed (a closed cycle keeps the figures it closed with)."""
    running = Cycle.objects.filter(catalogue_id=catalogue_id, state__in=RUNNING_CYCLE_STATES).select_related(
        "catalogue"
    )
    for cycle in running:
        spd.spd_entries_ensure(cycle)
        scores_changed(cycle.pk)


def cycle_saved(instance, created, raw=False, **_kwargs):
    """A new cycle starts with one empty SPD row per SPD indicator of its catalogue."""
    if created and not raw:
        spd.spd_entries_ensure(instance)


def claim_changed(claim, **_kwargs):
    verification.claim_verdict_reset(claim=claim)


def innovation_state_changed(innovation, **_kwargs):
    event = innovation.history.latest().history_id
    notify_state_change.delay_on_commit(innovation_id=innovation.pk, event=event)


def connect():
    post_save.connect(cycle_saved, sender=Cycle, dispatch_uid="scoring.cycle_saved")
    signals.scores_changed.connect(scores_changed, dispatch_uid="scoring.scores_changed")
    standards_signals.catalogue_changed.connect(catalogue_changed, dispatch_uid="scoring.catalogue_changed")
    signals.claim_changed.connect(claim_changed, dispatch_uid="scoring.claim_changed")
    signals.innovation_state_changed.connect(innovation_state_changed, dispatch_uid="scoring.state_changed")
