"""Celery tasks of the scoring app: recomputing snapshots and notifying people. Each task takes ids,
re-reads its rows, returns quietly if they are gone, and calls a service."""

import logging

from django.db import InterfaceError, OperationalError

from innovasi.celery import app

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


@app.task(name="innovasi.scoring.recompute_cycle")
def recompute_cycle(*, cycle_id):
    """Recompute a cycle's claimed and verified snapshots (idempotent: unchanged inputs write nothing).

    Not retried, and acknowledged when it starts: whatever stops it (the database away, the worker killed)
    leaves the cycle pending in the database, and the sweep sends it again.
    """
    try:
        outcome = index.cycle_recompute(cycle_id=cycle_id)
    except TRANSIENT as error:
        logger.warning(
            "cycle %s: recompute stopped, the database failed (%s); the sweep retries it", cycle_id, error
        )
        return
    if outcome is None:
        logger.info("cycle %s is gone; nothing to recompute", cycle_id)
        return
    written = [str(kind) for kind, (_computed, _stored, was_written) in outcome.items() if was_written]
    logger.info("cycle %s recomputed; new snapshots: %s", cycle_id, ", ".join(written) or "none")


@app.task(name="innovasi.scoring.recompute_pending")
def recompute_pending():
    """Every few seconds (Celery beat): send the recompute of every cycle left pending in the database."""
    try:
        cycle_ids = index.cycles_pending()
    except TRANSIENT as error:
        logger.warning("pending recomputes not swept: the database failed (%s)", error)
        return
    for cycle_id in cycle_ids:
        recompute_cycle.enqueue(cycle_id=cycle_id)
    if cycle_ids:
        logger.info("swept pending recomputes of cycles %s", ", ".join(map(str, cycle_ids)))


@app.task(name="innovasi.scoring.recompute_open_cycles")
def recompute_open_cycles():
    """Nightly (Celery beat): recompute every cycle still open or in verification, so that a new engine
    version or catalogue reaches every running cycle even if no change was recorded."""
    for cycle_id in index.cycles_running():
        recompute_cycle.enqueue(cycle_id=cycle_id)


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


@app.task(name="innovasi.scoring.notify_regional_call", **NOTIFY)
def notify_regional_call(*, scheme_id):
    notifications.regional_call_opened(scheme_id=scheme_id)


@app.task(name="innovasi.scoring.notify_entry_removed", **NOTIFY)
def notify_entry_removed(*, scheme_id, innovation_id):
    notifications.entry_removed(scheme_id=scheme_id, innovation_id=innovation_id)


@app.task(name="innovasi.scoring.notify_jury", **NOTIFY)
def notify_jury(*, member_id):
    notifications.jury_seat_given(member_id=member_id)


@app.task(name="innovasi.scoring.remind_jurors")
def remind_jurors():
    """Daily (Celery beat): remind jurors whose sheet is not submitted while their scheme is open."""
    notifications.jury_reminders()
