"""How scoring reacts to the submissions app's signals (connected in ``ScoringConfig.ready``)."""

from django.db import transaction

from submissions import signals

from .services import index, verification
from .tasks import notify_state_change

_PENDING = "_scoring_pending_cycles"


def _flush_recomputes():
    """Request one recompute per cycle noted since the last flush; later flushes of the commit find none."""
    connection = transaction.get_connection()
    pending = getattr(connection, _PENDING, set())
    setattr(connection, _PENDING, set())
    for cycle_id in sorted(pending):
        index.recompute_request(cycle_id)


def scores_changed(cycle_id, **_kwargs):
    """Recompute the cycle after commit, once per commit however many changes the transaction holds.

    Cycles are noted on the connection and every change registers the (cheap) flush: the first flush
    after the commit does the work, the others find nothing left. A rolled-back change leaves at most
    one recompute too many, never one too few.
    """
    connection = transaction.get_connection()
    if not hasattr(connection, _PENDING):
        setattr(connection, _PENDING, set())
    getattr(connection, _PENDING).add(cycle_id)
    transaction.on_commit(_flush_recomputes)


def claim_changed(claim, **_kwargs):
    verification.claim_verdict_reset(claim=claim)


def innovation_state_changed(innovation, **_kwargs):
    event = innovation.history.latest().history_id
    notify_state_change.delay_on_commit(innovation_id=innovation.pk, event=event)


def connect():
    signals.scores_changed.connect(scores_changed, dispatch_uid="scoring.scores_changed")
    signals.claim_changed.connect(claim_changed, dispatch_uid="scoring.claim_changed")
    signals.innovation_state_changed.connect(innovation_state_changed, dispatch_uid="scoring.state_changed")
