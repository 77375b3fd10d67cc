"""Recomputing a cycle's index snapshots (claimed and verified) in workers, never in a request, and the
database's record of the changes still to be counted.

The inputs come from ``scoring.selectors.inputs`` and are kept in the snapshot as a scenario (the format
of ``iid_simulate``), so that ``iid_export_scenario`` + ``iid_simulate`` reproduce every snapshot exactly.
A run whose inputs hash equals the newest snapshot's writes nothing (idempotent).

How the snapshots catch up after any fault (docs/scoring.md, "Catching up after a fault"): a change
counts itself in ``CycleScoreState.changes`` inside its own transaction, and a recompute takes the
cycle's lock before it reads anything. Whatever is lost in between (a task never sent because Redis was
away, a task taken by a worker that was then killed, a recompute whose database went away) leaves the
cycle pending in the database, where the sweep that beat runs every few seconds finds it.
"""

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from innovasi.standards.enums import RUNNING_CYCLE_STATES
from innovasi.standards.models import Cycle
from submissions.models import Innovation

from .. import engine
from ..enums import SnapshotKind
from ..models import CycleScoreState, IndexSnapshot
from ..scenario import region_to_scenario, result_to_dict
from ..selectors.index import snapshots_newest
from ..selectors.inputs import cycle_inputs

logger = logging.getLogger(__name__)

# The sweep leaves a change this long to the task sent after it before sending another…
SWEEP_GRACE = timedelta(seconds=2)
# … and a task sent this recently, and not yet started, this long to start.
SWEEP_WAIT = timedelta(seconds=10)


def snapshot_inputs(rules, region):
    """What a snapshot keeps of its inputs: the scenario and each innovation's OPD."""
    return {
        "scenario": region_to_scenario(rules.catalogue, region),
        "groups": {innovation.ref: innovation.group for innovation in region.innovations},
    }


def _rules_data(rules):
    """The rules as plain data with sets sorted: the same in every process, whatever its hash seed."""
    return {
        key: sorted(value) if isinstance(value, frozenset) else value for key, value in asdict(rules).items()
    }


def inputs_hash(rules, inputs):
    """SHA-256 of the inputs, the catalogue's rules and the engine version: equal hashes, equal results."""
    canonical = json.dumps(
        {"engine": engine.ENGINE_VERSION, "rules": _rules_data(rules), "inputs": inputs},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def result_payload(result, actions):
    """The engine's whole result as JSON: the scenario output plus rows, contributions and actions."""
    payload = result_to_dict(result)
    row_scores = {innovation.ref: innovation.row_scores for innovation in result.innovations}
    for innovation in payload["innovations"]:
        innovation["row_scores"] = {code: str(score) for code, score in row_scores[innovation["ref"]]}
    payload["spd_row_scores"] = {code: str(score) for code, score in result.spd_row_scores}
    payload["spd_points"] = str(result.spd_points)
    payload["contributions"] = [
        {
            "opd_id": contribution.group,
            "n_eligible": contribution.n_eligible,
            "kematangan_sum": str(contribution.kematangan_sum),
            "average_kematangan": str(contribution.average_kematangan),
            "iid_points": str(contribution.iid_points),
        }
        for contribution in result.contributions
    ]
    payload["next_actions"] = [
        {"kind": a.kind, "gain": str(a.gain), "ref": a.ref, "code": a.code, "urusan": a.urusan}
        for a in actions
    ]
    return payload


@dataclass(frozen=True)
class Computed:
    kind: str
    hash: str
    inputs: dict
    result: engine.Result
    payload: dict


def cycle_compute(cycle) -> tuple[list[Computed], engine.Result]:
    """Run the engine on a cycle: the claimed and verified results, and the drafts' own result.

    The next best actions are worked out for the verified index only: that is the one they aim to raise.
    """
    data = cycle_inputs(cycle)
    computed = []
    for kind, region in ((SnapshotKind.CLAIMED, data.claimed), (SnapshotKind.VERIFIED, data.verified)):
        result = engine.compute(data.rules, region)
        actions = engine.next_actions(data.rules, region, limit=10) if kind == SnapshotKind.VERIFIED else ()

        inputs = snapshot_inputs(data.rules, region)
        computed.append(
            Computed(kind, inputs_hash(data.rules, inputs), inputs, result, result_payload(result, actions))
        )
    return computed, engine.compute(data.rules, data.drafts)


def cycle_recompute(*, cycle_id, write=True):
    """Recompute a cycle's snapshots; write the ones whose inputs changed (``write=False``: compare only).

    Returns {kind: (computed, newest stored snapshot before this run, written?)}, or None when the cycle
    is gone. The cycle's row is locked before anything is read, so two recomputes of one cycle run one
    after the other and the second compares with what the first wrote: never a duplicate snapshot.
    Marks the changes it counted (``CycleScoreState``) in the same transaction as the snapshots.
    """
    if not write:
        cycle = Cycle.objects.select_related("catalogue").filter(pk=cycle_id).first()
        if cycle is None:
            return None
        computed, _drafts = cycle_compute(cycle)
        stored = snapshots_newest(cycle=cycle)
        return {item.kind: (item, stored[item.kind], False) for item in computed}
    CycleScoreState.objects.filter(cycle_id=cycle_id).update(started_at=timezone.now())
    with transaction.atomic():
        # FOR NO KEY UPDATE: held against other recomputes only; rows that refer to the cycle (claims,
        # verdicts, snapshots) are still written meanwhile.
        cycle = (
            Cycle.objects.select_for_update(no_key=True, of=("self",))
            .select_related("catalogue")
            .filter(pk=cycle_id)
            .first()
        )
        if cycle is None:
            return None
        # Read after the lock and before the data: every change counted here is visible to the reads below.
        counted = _state(cycle_id).changes
        started = timezone.now()
        computed, drafts = cycle_compute(cycle)
        stored = snapshots_newest(cycle=cycle)
        outcome = {}
        for item in computed:
            written = stored[item.kind] is None or stored[item.kind].inputs_hash != item.hash
            if written:
                IndexSnapshot.objects.create(
                    cycle=cycle,
                    kind=item.kind,
                    computed_at=started,
                    catalogue_code=cycle.catalogue.code,
                    engine_version=engine.ENGINE_VERSION,
                    inputs_hash=item.hash,
                    inputs=item.inputs,
                    result=item.payload,
                    iid=item.result.iid,
                    category=item.result.category,
                )
            outcome[item.kind] = (item, stored[item.kind], written)
        _copy_kematangan(cycle, computed, drafts, started)
        CycleScoreState.objects.filter(cycle_id=cycle_id).update(
            computed_changes=counted, computed_at=started
        )
    return outcome


def _state(cycle_id):
    """The cycle's CycleScoreState, created when missing (safe against a concurrent creation)."""
    CycleScoreState.objects.bulk_create([CycleScoreState(cycle_id=cycle_id)], ignore_conflicts=True)
    return CycleScoreState.objects.get(cycle_id=cycle_id)


def _copy_kematangan(cycle, computed, drafts, now):
    """Copy each innovation's claimed and verified kematangan onto it, for the lists (changed ones only)."""
    by_kind = {item.kind: {r.ref: r.kematangan for r in item.result.innovations} for item in computed}
    claimed = {**by_kind[SnapshotKind.CLAIMED], **{r.ref: r.kematangan for r in drafts.innovations}}
    verified = by_kind[SnapshotKind.VERIFIED]
    changed = [
        (pk, claimed.get(str(pk)), verified.get(str(pk)))
        for pk, old_claimed, old_verified in Innovation.objects.filter(cycle=cycle).values_list(
            "pk", "kematangan_claimed", "kematangan_verified"
        )
        if (old_claimed, old_verified) != (claimed.get(str(pk)), verified.get(str(pk)))
    ]
    # One UPDATE … FROM (VALUES …) per thousand rows (PostgreSQL, and SQLite since 3.33): Django's
    # bulk_update writes a CASE per row and field, which cost most of a national recompute.
    table = Innovation._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(changed), 1000):
            batch = changed[start : start + 1000]
            cursor.execute(
                f"UPDATE {table} SET kematangan_claimed = CAST(v.column2 AS NUMERIC), "
                f"kematangan_verified = CAST(v.column3 AS NUMERIC), scored_at = %s "
                f"FROM (VALUES {', '.join(['(%s, %s, %s)'] * len(batch))}) AS v WHERE {table}.id = v.column1",
                [now, *(value for row in batch for value in row)],
            )


def change_record(cycle_id):
    """Something that may move a number of the cycle changed: count it, in the transaction that makes the
    change, and send a recompute once that transaction commits (unless one is already waiting).

    The count is what makes the snapshots catch up whatever happens next: if the task is never sent or
    never runs, the sweep (``cycles_pending``) finds the cycle pending.
    """
    from ..tasks import recompute_cycle  # the task calls this module: imported here, not at the top

    now = timezone.now()
    counted = F("changes") + 1
    if not CycleScoreState.objects.filter(cycle_id=cycle_id).update(changes=counted, changed_at=now):
        _state(cycle_id)
        CycleScoreState.objects.filter(cycle_id=cycle_id).update(changes=counted, changed_at=now)
    recompute_cycle.delay_on_commit(
        cycle_id=cycle_id,
        only_if=lambda: _enqueue_claim(cycle_id),
        if_unreachable=lambda: CycleScoreState.objects.filter(cycle_id=cycle_id).update(enqueued_at=None),
    )


def _enqueue_claim(cycle_id):
    """True (and the moment noted) when the cycle has a change no recompute has counted yet and no
    recompute task of it is waiting to start: bursts of changes share the task that is already waiting,
    which will read them all.

    A change already counted needs no task: a recompute that started after its commit read it. That is
    every change of a transaction but the first when tasks run eagerly (no broker): the first callback's
    recompute runs at once, after the commit, and counts them all; without this test each of a burst's
    callbacks (some 1,600 in ``seed_demo``) ran one more recompute that wrote nothing.
    """
    no_task_waiting = Q(enqueued_at__isnull=True) | Q(started_at__gte=F("enqueued_at"))
    return bool(
        CycleScoreState.objects.filter(
            no_task_waiting, cycle_id=cycle_id, changes__gt=F("computed_changes")
        ).update(enqueued_at=timezone.now())
    )


def cycles_pending():
    """The sweep's work (beat, every few seconds): the cycles with a change not yet counted in their
    snapshots that no live task will count, noted as enqueued again. Their task was never sent (Redis was
    away), lost with Redis, taken by a worker that was killed, or its run failed (the database was away).
    """
    now = timezone.now()
    no_live_task = (
        Q(enqueued_at__isnull=True)
        | Q(enqueued_at__lt=now - SWEEP_WAIT)
        | Q(started_at__gte=F("enqueued_at"))
    )
    pending = CycleScoreState.objects.filter(
        no_live_task, changes__gt=F("computed_changes"), changed_at__lt=now - SWEEP_GRACE
    )
    cycle_ids = list(pending.values_list("cycle_id", flat=True))
    CycleScoreState.objects.filter(cycle_id__in=cycle_ids).update(enqueued_at=now)
    return cycle_ids


def cycles_running():
    """The cycles in pengisian, verifikasi or perbaikan (the nightly recompute's)."""
    return list(Cycle.objects.filter(state__in=RUNNING_CYCLE_STATES).values_list("pk", flat=True))
