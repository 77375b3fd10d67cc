"""Celery tasks of the scoring app: recomputing snapshots and notifying people. Each task takes ids,
re-reads its rows, returns quietly if they are gone, and calls a service."""

import logging

from django.db import InterfaceError, OperationalError

from innovasi.celery import app
from innovasi.standards.enums import CycleState
from innovasi.standards.models import Cycle

from . import notifications
from .services import index

logger = logging.getLogger(__name__)

TRANSIENT = (OperationalError, InterfaceError)
# Notifying: retried while the database is away, and run in the web process when the broker is.
NOTIFY = {
    "autoretry_for": TRANSIENT,
    "retry_backoff": True,
    "max_retries": 5,
    "inline_when_broker_down": True,
}


@app.task(
    name="innovasi.scoring.recompute_cycle",
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    max_retries=5,
)
def recompute_cycle(*, cycle_id):
    """Recompute a cycle's claimed and verified snapshots (idempotent: unchanged inputs write nothing).

    ``acks_late``: a worker killed mid-run leaves the old snapshots (the write is one transaction at the
    end) and the message goes back to the queue for another worker.
    """
    if not Cycle.objects.filter(pk=cycle_id).exists():
        logger.info("cycle %s is gone; nothing to recompute", cycle_id)
        return
    outcome = index.cycle_recompute(cycle_id=cycle_id)
    written = [str(kind) for kind, (_computed, _stored, was_written) in outcome.items() if was_written]
    logger.info("cycle %s recomputed; new snapshots: %s", cycle_id, ", ".join(written) or "none")


@app.task(name="innovasi.scoring.recompute_open_cycles")
def recompute_open_cycles():
    """Nightly (Celery beat): recompute every cycle still open or in verification, catching up on any
    change whose recompute could not be enqueued."""
    for cycle_id in Cycle.objects.filter(state__in=[CycleState.OPEN, CycleState.VERIFICATION]).values_list(
        "pk", flat=True
    ):
        recompute_cycle.delay(cycle_id=cycle_id)


@app.task(name="innovasi.scoring.notify_assignment", **NOTIFY)
def notify_assignment(*, assignment_id, event):
    notifications.assignment_made(assignment_id=assignment_id, event=event)


@app.task(name="innovasi.scoring.notify_state_change", **NOTIFY)
def notify_state_change(*, innovation_id, event):
    notifications.state_changed(innovation_id=innovation_id, event=event)


@app.task(name="innovasi.scoring.remind_drafts")
def remind_drafts():
    """Daily (Celery beat): remind OPDs that still have drafts, the configured days before closing."""
    notifications.draft_reminders()


@app.task(name="innovasi.scoring.notify_nomination", **NOTIFY)
def notify_nomination(*, nomination_id):
    notifications.nomination_made(nomination_id=nomination_id)


@app.task(name="innovasi.scoring.notify_jury", **NOTIFY)
def notify_jury(*, member_id):
    notifications.jury_seat_given(member_id=member_id)


@app.task(name="innovasi.scoring.remind_jurors")
def remind_jurors():
    """Daily (Celery beat): remind jurors whose sheet is not submitted while their scheme is open."""
    notifications.jury_reminders()
