"""Demo data of the scoring app for ``seed_demo --province``: the SPD rows, assignments and verdicts of the
synthetic innovations (in bulk, consistent with each innovation's state: a verified one has every claimed
row judged, a returned one a rejected row, a submitted one part of its rows), then each cycle's snapshots
computed by the engine (``cycle_recompute``, which writes nothing when its inputs did not change)."""

import random

from django.utils import timezone

from innovasi.standards.enums import IndicatorGroup
from submissions.demo_province import SHARED_EVIDENCE, region_quality
from submissions.enums import InnovationState
from submissions.models import Claim, Innovation

from .enums import Verdict
from .models import Assignment, SpdEntry, SpdEvidence, Verification
from .services import index

SEED = 2037
REASON = "Dokumen tidak menyebut nama inovasi atau tidak berlaku pada tahun penerapan."
NOTE = "Unggah dokumen yang menyebut nama inovasi dan berlaku pada tahun penerapan."


def _spd(cycle, admin, verifikator, rng, quality):
    """The cycle's SPD rows filled (most), with one evidence file each, most accepted: once, while none is
    filled."""
    entries = {entry.indicator_id: entry for entry in SpdEntry.objects.filter(cycle=cycle)}
    if any(entry.level for entry in entries.values()):
        return
    diligence = 0.4 + 0.6 * quality
    missing = [
        SpdEntry(cycle=cycle, indicator=indicator)
        for indicator in cycle.catalogue.indicators.filter(group=IndicatorGroup.SPD)
        if indicator.pk not in entries
    ]
    for entry in SpdEntry.objects.bulk_create(missing):
        entries[entry.indicator_id] = entry
    filled = []
    for entry in entries.values():
        if rng.random() > diligence:
            continue
        entry.level = rng.choices([1, 2, 3], [3 - 2 * quality, 5, 1 + 5 * quality])[0]
        entry.entered_by = admin
        if rng.random() < 0.8:
            entry.accepted_by, entry.accepted_at = verifikator, timezone.now()
        filled.append(entry)
    SpdEntry.objects.bulk_update(filled, ["level", "entered_by", "accepted_by", "accepted_at"])
    SpdEvidence.objects.bulk_create(
        SpdEvidence(
            entry=entry,
            kind="pdf",
            file=SHARED_EVIDENCE,
            original_name="data-spd.pdf",
            size=1024,
            uploaded_by=admin,
        )
        for entry in filled
    )


def _verdict(claim, rng, *, rejected, quality):
    if rejected:
        return Verdict.TIDAK_SESUAI, 0, REASON, NOTE
    draw = rng.random()
    refused = 0.02 + 0.12 * (1 - quality)
    if draw < refused:
        return Verdict.TIDAK_SESUAI, 0, REASON, NOTE
    if draw < refused + 0.04:
        return Verdict.TIDAK_DAPAT_DIUKUR, 0, REASON, ""
    lower = claim.level > 1 and rng.random() < 0.15
    return Verdict.SESUAI, claim.level - 1 if lower else claim.level, "", ""


def _verify(cycle, admin, verifikator, rng, quality):
    """Assign the cycle's submitted innovations that have no verifier yet and judge their rows as their
    state says."""
    waiting = list(
        Innovation.objects.filter(cycle=cycle, assignment__isnull=True).exclude(state=InnovationState.DRAFT)
    )
    if not waiting:
        return 0
    Assignment.objects.bulk_create(
        Assignment(innovation=innovation, verifikator=verifikator, assigned_by=admin)
        for innovation in waiting
    )
    states = {innovation.pk: innovation.state for innovation in waiting}
    claims: dict[int, list[Claim]] = {}
    for claim in Claim.objects.filter(innovation__in=waiting, level__gt=0).order_by("innovation_id", "pk"):
        claims.setdefault(claim.innovation_id, []).append(claim)
    verdicts = []
    for innovation_id, rows in claims.items():
        state = states[innovation_id]
        if state == InnovationState.DIAJUKAN:
            rows = rows[: int(len(rows) * rng.uniform(0, 0.6))]
        rejected = rng.choice(rows) if state == InnovationState.REVISI and rows else None
        for claim in rows:
            verdict, level, reason, note = _verdict(claim, rng, rejected=claim is rejected, quality=quality)
            verdicts.append(
                Verification(
                    claim=claim,
                    verdict=verdict,
                    level=level,
                    reason=reason,
                    opd_note=note,
                    judged_by=verifikator,
                )
            )
    Verification.objects.bulk_create(verdicts, batch_size=2000)
    return len(verdicts)


def seed_province(context):
    """SPD rows, verdicts and snapshots of the province's cycle and of every synthetic regional cycle."""
    cycles = [(context["province_cycle"], context["province_staff"])]
    for item in context["synthetic_regions"].values():
        cycles.append((context["synthetic_cycles"][item["region"].pk], item["staff"]))
    judged = 0
    for cycle, staff in cycles:
        rng = random.Random(f"{SEED}-{cycle.region.code}")
        admin = next(user for user in staff.values() if user.role == "admin")
        verifikator = next(user for user in staff.values() if user.role == "verifikator")
        quality = region_quality(cycle.region.code)
        _spd(cycle, admin, verifikator, rng, quality)
        judged += _verify(cycle, admin, verifikator, rng, quality)
    for cycle, _staff in cycles:
        index.cycle_recompute(cycle_id=cycle.pk)
    context["stdout"].write(f"province demo: {judged} synthetic verdicts, {len(cycles)} cycles recomputed")
