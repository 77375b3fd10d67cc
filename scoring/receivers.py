"""How scoring reacts to the submissions app's signals (connected in ``ScoringConfig.ready``)."""

from django.db import transaction

from innovasi.standards import signals as standards_signals
from innovasi.standards.enums import CycleState
from innovasi.standards.models import Cycle
from submissions import signals

from .services import index, verification
from .tasks import notify_state_change


class _Recompute:
    """An on-commit callback sharing one set of cycles with the others of the same transaction: the first
    to run after the commit requests the recomputes, the rest find the set empty."""

    def __init__(self, cycles):
        self.cycles = cycles

    def __call__(self):
        pending = sorted(self.cycles)
        self.cycles.clear()
        for cycle_id in pending:
            index.recompute_request(cycle_id)


def scores_changed(cycle_id, **_kwargs):
    """Recompute the cycle after commit, once per commit however many changes the transaction holds.

    The set of cycles is found through the callbacks this transaction has registered so far (Django's
    ``connection.run_on_commit``, emptied by a commit or a rollback), so nothing outlives its transaction.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        index.recompute_request(cycle_id)
        return
    registered = (callback for _ids, callback, _robust in reversed(connection.run_on_commit))
    cycles = next((callback.cycles for callback in registered if isinstance(callback, _Recompute)), set())
    cycles.add(cycle_id)
    transaction.on_commit(_Recompute(cycles))


def catalogue_changed(catalogue_id, **_kwargs):
    """A catalogue's rules changed: every cycle still running on it is recomputed after commit (a closed
    cycle keeps the figures it closed with)."""
    running = Cycle.objects.filter(
        catalogue_id=catalogue_id, state__in=[CycleState.OPEN, CycleState.VERIFICATION]
    )
    for cycle_id in running.values_list("pk", flat=True):
        scores_changed(cycle_id)


def claim_changed(claim, **_kwargs):
    verification.claim_verdict_reset(claim=claim)


def innovation_state_changed(innovation, **_kwargs):
    event = innovation.history.latest().history_id
    notify_state_change.delay_on_commit(innovation_id=innovation.pk, event=event)


def connect():
    signals.scores_changed.connect(scores_changed, dispatch_uid="scoring.scores_changed")
    standards_signals.catalogue_changed.connect(catalogue_changed, dispatch_uid="scoring.catalogue_changed")
    signals.claim_changed.connect(claim_changed, dispatch_uid="scoring.claim_changed")
    signals.innovation_state_changed.connect(innovation_state_changed, dispatch_uid="scoring.state_changed")
