"""Recomputing a cycle's index snapshots (claimed and verified) in workers, never in a request.

The inputs of a cycle are read with a fixed number of queries whatever its size, turned into the
engine's RegionInput, and kept in the snapshot as a scenario (the format of ``iid_simulate``), so that
``iid_export_scenario`` + ``iid_simulate`` reproduce every snapshot exactly. A run whose inputs hash
equals the newest snapshot's writes nothing (idempotent).
"""

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from innovasi.standards.enums import IndicatorGroup
from innovasi.standards.models import Cycle
from submissions.enums import InnovationState
from submissions.models import Claim, Evidence, Innovation

from .. import engine
from ..enums import SnapshotKind, Verdict
from ..models import CycleScoreState, IndexSnapshot, SpdEntry, SpdEvidence
from ..scenario import region_to_scenario, result_to_dict
from ..selectors import catalogue_rules

logger = logging.getLogger(__name__)

# A task enqueued longer ago than this and never started is taken as lost (e.g. Redis restarted).
LOST_TASK_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class CycleInputs:
    """Everything the engine needs for a cycle, in the engine's terms, plus the innovations' OPDs."""

    rules: engine.Rules
    claimed: engine.RegionInput
    verified: engine.RegionInput
    drafts: engine.RegionInput


def _innovation_input(row, rows):
    return engine.InnovationInput(
        ref=str(row["pk"]),
        tahapan=row["tahapan"],
        penerapan=row["waktu_penerapan"],
        pengembangan=row["waktu_pengembangan"],
        urusan_utama=row["urusan_utama__code"],
        rancang_bangun_words=row["rancang_bangun_words"],
        rows=tuple(rows),
        group=str(row["opd_id"]),
    )


def cycle_inputs(cycle) -> CycleInputs:
    """Read a cycle's data in five queries (indicators, yandas, innovations, claims, SPD rows).

    Claimed: every innovation past draft; a row counts when it has a level and evidence. Verified: the
    innovations past draft with at least one accepted row; a row counts, at the verifier's level, only
    when its verdict is ``sesuai``. Drafts are scored apart, for their own kematangan only.
    """
    rules = catalogue_rules(cycle.catalogue)
    innovations = list(
        Innovation.objects.filter(cycle=cycle)
        .order_by("pk")
        .values(
            "pk",
            "opd_id",
            "state",
            "tahapan",
            "waktu_penerapan",
            "waktu_pengembangan",
            "urusan_utama__code",
            "rancang_bangun_words",
        )
    )
    claimed_rows, verified_rows = {}, {}
    claims = (
        Claim.objects.filter(innovation__cycle=cycle)
        .annotate(has_evidence=Exists(Evidence.objects.filter(claim=OuterRef("pk"))))
        .order_by("innovation_id", "indicator__position")
        .values_list(
            "innovation_id",
            "indicator__code",
            "level",
            "basis",
            "has_evidence",
            "verification__verdict",
            "verification__level",
        )
    )
    for innovation_id, code, level, basis, has_evidence, verdict, verified_level in claims.iterator(
        chunk_size=5000
    ):
        basis = basis or None
        claimed_rows.setdefault(innovation_id, []).append(
            engine.Row(code, level, bool(has_evidence and level), basis)
        )
        accepted = verdict == Verdict.SESUAI
        verified_rows.setdefault(innovation_id, []).append(
            engine.Row(code, verified_level if accepted else 0, accepted, basis)
        )
    claimed, verified, drafts = [], [], []
    for row in innovations:
        pk = row["pk"]
        if row["state"] == InnovationState.DRAFT:
            drafts.append(_innovation_input(row, claimed_rows.get(pk, ())))
            continue
        claimed.append(_innovation_input(row, claimed_rows.get(pk, ())))
        if any(item.counts for item in verified_rows.get(pk, ())):
            verified.append(_innovation_input(row, verified_rows[pk]))
    spd_claimed, spd_verified = [], []
    entries = (
        SpdEntry.objects.filter(cycle=cycle, indicator__group=IndicatorGroup.SPD)
        .annotate(has_evidence=Exists(SpdEvidence.objects.filter(entry=OuterRef("pk"))))
        .order_by("indicator__position")
        .values_list("indicator__code", "level", "has_evidence", "accepted_by")
    )
    for code, level, has_evidence, accepted_by in entries:
        counts = bool(level and has_evidence)
        spd_claimed.append(engine.Row(code, level, counts))
        spd_verified.append(
            engine.Row(code, level if counts and accepted_by else 0, bool(counts and accepted_by))
        )
    return CycleInputs(
        rules=rules,
        claimed=engine.RegionInput(spd=tuple(spd_claimed), innovations=tuple(claimed)),
        verified=engine.RegionInput(spd=tuple(spd_verified), innovations=tuple(verified)),
        drafts=engine.RegionInput(spd=(), innovations=tuple(drafts)),
    )


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


def newest_snapshots(cycle):
    """{kind: newest snapshot or None}: one indexed query per kind, whatever the number stored."""
    return {
        kind: IndexSnapshot.objects.filter(cycle=cycle, kind=kind).order_by("-computed_at", "-pk").first()
        for kind in SnapshotKind.values
    }


def cycle_recompute(*, cycle_id, write=True):
    """Recompute a cycle's snapshots; write the ones whose inputs changed (``write=False``: compare only).

    Returns {kind: (computed, newest stored snapshot before this run, written?)}. A run that finds a
    newer run already written (workers racing) writes nothing: the newer data wins.
    """
    started = timezone.now()
    if write:
        CycleScoreState.objects.update_or_create(cycle_id=cycle_id, defaults={"started_at": started})
    cycle = Cycle.objects.select_related("catalogue").get(pk=cycle_id)
    computed, drafts = cycle_compute(cycle)
    stored = newest_snapshots(cycle)
    outcome = {item.kind: (item, stored[item.kind], False) for item in computed}
    if not write:
        return outcome
    with transaction.atomic():
        state = CycleScoreState.objects.select_for_update().get(cycle_id=cycle_id)
        if state.computed_at and state.computed_at > started:
            logger.info("cycle %s: a newer recompute already wrote its snapshots", cycle_id)
            return outcome
        for item in computed:
            if stored[item.kind] is None or stored[item.kind].inputs_hash != item.hash:
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
                outcome[item.kind] = (item, stored[item.kind], True)
        _copy_kematangan(cycle, computed, drafts, started)
        state.computed_at = started
        state.save(update_fields=["computed_at"])
    return outcome


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


def recompute_request(cycle_id):
    """Something in the cycle changed (called after commit): note it and enqueue one recompute.

    Bursts coalesce: while an enqueued task has not started yet, further changes only move
    ``changed_at`` (that task will read them). If the broker cannot be reached the change stays noted
    as pending, and the next change or the nightly run catches up.
    """
    from ..tasks import recompute_cycle  # the task calls this module: imported here, not at the top

    now = timezone.now()
    CycleScoreState.objects.update_or_create(cycle_id=cycle_id, defaults={"changed_at": now})
    may_enqueue = (
        Q(enqueued_at__isnull=True)
        | Q(started_at__isnull=False, enqueued_at__lte=F("started_at"))
        | Q(enqueued_at__lt=now - LOST_TASK_AFTER)
    )
    if not CycleScoreState.objects.filter(may_enqueue, cycle_id=cycle_id).update(enqueued_at=now):
        return
    options = {"kwargs": {"cycle_id": cycle_id}, "countdown": settings.RECOMPUTE_DELAY_SECONDS}
    try:
        if recompute_cycle.app.conf.task_always_eager:
            recompute_cycle.apply_async(**options)
            return
        # A connection of its own, made from the current settings, rather than the app's pooled producer:
        # a broker that went away is then noticed here, at once.
        with recompute_cycle.app.connection_for_write() as connection:
            recompute_cycle.apply_async(**options, connection=connection)
    except Exception:
        # the broker is away; the change is recorded as pending
        logger.exception("cycle %s: could not enqueue the recompute; it stays pending", cycle_id)
        CycleScoreState.objects.filter(cycle_id=cycle_id, enqueued_at=now).update(enqueued_at=None)
