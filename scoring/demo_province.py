"""Demo data of the scoring app for ``seed_demo --province``: the SPD rows, assignments and verdicts of the
synthetic innovations (in bulk, consistent with each innovation's state: a verified one has every claimed
row judged, a returned one a rejected row, a submitted one part of its rows), then each cycle's snapshots
computed by the engine (``cycle_recompute``, which writes nothing when its inputs did not change)."""

import datetime
import random

from django.db.models import Count, Q
from django.utils import timezone

from innovasi.accounts.demo_province import FULL_DEMO_CODE
from innovasi.accounts.enums import Role
from innovasi.accounts.models import Region, User
from innovasi.standards.enums import IndicatorGroup
from submissions.demo_province import SHARED_EVIDENCE, region_quality
from submissions.enums import InnovationState
from submissions.models import Claim, Innovation

from .enums import Verdict
from .models import Assignment, AwardScheme, JuryMember, SpdEntry, SpdEvidence, Verification
from .services import awards, index

SEED = 2037
INOTEK_REGIONS = 8  # kabupaten/kota entering the demo's Inotek Award
INOTEK_ENTRIES = 2  # entries of each
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
    _seed_inotek(context)


def _seed_inotek(context):
    """The province's Inotek Award open to its kabupaten/kota, once: entries from the regions with the
    most verified innovations (Mojokerto among them), the three province jurors seated in every category,
    each declared (juri.prov2 with a conflict with one entering region). The entries closed yesterday, so
    that the jurors may send their sheets and the round run to its certificates; juri.prov1's sheet of the
    first category is scored as a draft, the rest is left to judge. (No sheet is sent: the province's
    admin may still move the deadline later to show a regency entering.)"""
    cycle = context["province_cycle"]
    if AwardScheme.objects.filter(cycle=cycle, open_to_regions_below=True).exists():
        return
    admin = context["province_staff"]["admin.jatim"]
    scheme = awards.scheme_from_preset(cycle=cycle, preset="inotek_provinsi")
    categories = list(scheme.categories.all())
    regions = (
        Region.objects.filter(parent=context["province"])
        .annotate(
            verified=Count(
                "opds__innovations",
                filter=Q(
                    opds__innovations__state=InnovationState.TERVERIFIKASI,
                    opds__innovations__cycle__catalogue_id=cycle.catalogue_id,
                ),
            )
        )
        .filter(verified__gt=0)
        .order_by("-verified", "code")
    )
    entering = list(regions[:INOTEK_REGIONS])
    full = next((region for region in regions if region.code == FULL_DEMO_CODE), None)
    if full is not None and full not in entering:
        entering[-1] = full
    position = 0
    for region in entering:
        entered_by = User.objects.filter(region=region, role=Role.ADMIN).order_by("pk").first()
        best = Innovation.objects.filter(
            opd__region=region, state=InnovationState.TERVERIFIKASI, cycle__catalogue_id=cycle.catalogue_id
        ).select_related("opd", "cycle")
        for innovation in best.order_by("-kematangan_verified", "pk")[:INOTEK_ENTRIES]:
            category = categories[position % len(categories)]
            awards.entry_submit(category=category, innovation=innovation, by=entered_by)
            position += 1
    AwardScheme.objects.filter(pk=scheme.pk).update(
        entry_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )
    conflicted = entering[1] if len(entering) > 1 else None
    for username in ("juri.prov1", "juri.prov2", "juri.prov3"):
        juror = User.objects.get(username=username)
        for category in categories:
            member = awards.jury_assign(category=category, juror=juror)
            regions_declared = [conflicted] if username == "juri.prov2" and conflicted else []
            awards.conflicts_declare(member=member, opds=[], regions=regions_declared, note="")
    rng = random.Random(f"{SEED}-inotek")
    member = JuryMember.objects.get(category=categories[0], juror__username="juri.prov1")
    criteria = list(scheme.criteria.all())
    for nomination in categories[0].nominations.all():
        scores = {criterion.pk: rng.randint(60, 95) for criterion in criteria}
        awards.scores_save(member=member, nomination=nomination, scores=scores, comment="")
    context["stdout"].write(
        f"province demo: {scheme.name} with {position} entries from {len(entering)} kabupaten/kota, "
        f"opened by {admin.username}"
    )
