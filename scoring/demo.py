"""Demo data of the scoring app (``seed_demo``): the region's SPD rows, assignments, and verification in
every stage — verified innovations, returned ones with notes, and some still waiting — with verdicts
from both demo verifikators. Deterministic and idempotent (only innovations not yet assigned are touched).
"""

import random

from django.core.files.uploadedfile import SimpleUploadedFile

from innovasi.accounts.enums import Role
from innovasi.accounts.models import User
from innovasi.standards.enums import CycleState
from innovasi.standards.services import cycles
from submissions.enums import InnovationState
from submissions.models import Innovation
from submissions.samples import pdf_bytes

from .enums import Verdict
from .models import AwardScheme, SpdEntry
from .services import awards, spd, verification

SEED = 2027
# Innovations the demo returns to their OPD (the operators' logins see one each) and leaves waiting.
RETURNED = {
    "Ambulans Desa Siaga 24 Jam",
    "Beasiswa Mojokerto Cerdas Daring",
    "Bank Sampah Digital",
    "Uji KIR Daring",
}
WAITING = {
    "Posyandu Digital Majapahit",
    "Sekolah Penggerak Literasi Desa",
    "Rumah Singgah Disabilitas",
    "Kampung Iklim Mojokerto",
    "Izin Usaha Sehari Jadi",
    "Lumbung Pangan Desa",
    "Perpustakaan Keliling Digital",
    "E-Kinerja ASN Mojokerto",
    "Cuci Darah Tanpa Antre",
    "Whistleblowing System Terpadu",
}


def _spd(cycle, admin, verifikator, rng):
    spd.spd_entries_ensure(cycle)
    for entry in SpdEntry.objects.filter(cycle=cycle, level=0).select_related("indicator", "cycle"):
        if rng.random() < 0.1:
            continue  # a few rows Bappeda has not gathered yet
        spd.spd_entry_save(
            entry=entry, user=admin, level=rng.choices([1, 2, 3], [2, 5, 3])[0], note="", version=None
        )
        upload = SimpleUploadedFile(
            f"{entry.indicator.code.lower()}.pdf",
            pdf_bytes(f"Data {entry.indicator.code}", entry.indicator.name_id),
        )
        spd.spd_evidence_add(entry=entry, user=admin, uploaded=upload)
        if rng.random() < 0.8:
            spd.spd_accept(entry=entry, user=verifikator)


def _judge(innovation, user, rng, *, partly=False, returning=False):
    claims = list(
        innovation.claims.filter(level__gt=0).select_related("indicator").order_by("indicator__position")
    )
    if partly:
        claims = claims[: len(claims) // 2]
    rejected = (
        rng.choice([claim for claim in claims if not claim.indicator.mandatory] or claims)
        if returning
        else None
    )
    for claim in claims:
        if claim == rejected:
            verification.verdict_save(
                claim=claim,
                user=user,
                verdict=Verdict.TIDAK_SESUAI,
                level=0,
                reason="Dokumen tidak menyebut nama inovasi dan tidak berlaku untuk tahun penerapan.",
                opd_note="Unggah dokumen yang menyebut nama inovasi dan berlaku pada tahun penerapan.",
                version=None,
            )
        elif claim.level > 1 and rng.random() < 0.2:
            verification.verdict_save(
                claim=claim,
                user=user,
                verdict=Verdict.SESUAI,
                level=claim.level - 1,
                reason="Bukti hanya mendukung tingkat di bawahnya.",
                opd_note="",
                version=None,
            )
        else:
            verification.verdict_save(
                claim=claim,
                user=user,
                verdict=Verdict.SESUAI,
                level=claim.level,
                reason="",
                opd_note="",
                version=None,
            )


def seed(context):
    admin = User.objects.get(username="admin")
    verifikators = list(
        User.objects.filter(role=Role.VERIFIKATOR, region=context["region"]).order_by("username")
    )
    _seed_cycle(
        context, context["previous_cycle"], admin, verifikators, random.Random(f"{SEED}-previous"), final=True
    )
    _seed_cycle(context, context["cycle"], admin, verifikators, random.Random(SEED), final=False)
    _seed_award(context, admin, random.Random(f"{SEED}-award"))
    previous = context["previous_cycle"]
    if previous.state != CycleState.FINAL:
        # Filed while in pengisian, now verified: it gets the dates it ran under and goes through its stages.
        previous = cycles.cycle_update(
            cycle=previous,
            user=admin,
            name=previous.name,
            schedule=context["previous_schedule"],
            version=None,
            reason="Jadwal siklus 2023 sebagaimana berjalan",
        )
        for stage in (CycleState.VERIFICATION, CycleState.REVISION, CycleState.FINAL):
            previous = cycles.cycle_transition(cycle=previous, user=admin, to_state=stage)
        context["previous_cycle"] = previous


def _seed_award(context, admin, rng):
    """The presentation scheme: the six best verified innovations nominated; juri2 and juri3 have scored
    and submitted, juri1 has begun (a draft), so a demo juror can finish and the admin finalise."""
    cycle = context["cycle"]
    if AwardScheme.objects.filter(cycle=cycle).exists():
        return
    scheme = awards.scheme_from_preset(cycle=cycle, preset="presentasi")
    category = scheme.categories.get()
    best = Innovation.objects.filter(cycle=cycle, state=InnovationState.TERVERIFIKASI).order_by(
        "-kematangan_verified", "pk"
    )
    for innovation in best[:6]:
        awards.nominate(category=category, innovation=innovation, by=admin)
    criteria = list(scheme.criteria.all())
    nominations = list(category.nominations.order_by("pk"))
    for username, base in (("juri2", 70), ("juri3", 55), ("juri1", 75)):  # juri3 marks everyone lower
        member = awards.jury_assign(category=category, juror=User.objects.get(username=username))
        awards.conflicts_declare(member=member, opds=[], note="")
        for nomination in nominations[:2] if username == "juri1" else nominations:
            scores = {criterion.pk: min(100, base + rng.randint(0, 25)) for criterion in criteria}
            awards.scores_save(member=member, nomination=nomination, scores=scores, comment="")
        if username != "juri1":
            awards.sheet_submit(member=member)
    context["stdout"].write(f"{scheme.name}: {len(nominations)} nominees, 3 jurors")


def _seed_cycle(context, cycle, admin, verifikators, rng, *, final):
    """SPD rows and verification of a cycle; in the closed one every innovation ends verified."""
    _spd(cycle, admin, verifikators[0], rng)
    waiting = list(
        Innovation.objects.filter(cycle=cycle, state=InnovationState.DIAJUKAN, assignment__isnull=True)
        .select_related("opd", "created_by")
        .order_by("pk")
    )
    results = verification.assignments_balance(innovations=waiting, by=admin)
    counts = {"verified": 0, "returned": 0, "waiting": 0}
    for innovation, assignment, reason in results:
        if assignment is None:
            context["stdout"].write(f"{innovation.name}: not assigned ({reason})")
            continue
        judge = assignment.verifikator
        if not final and innovation.name in WAITING:
            _judge(innovation, judge, rng, partly=True)
            counts["waiting"] += 1
        elif not final and innovation.name in RETURNED:
            _judge(innovation, judge, rng, returning=True)
            verification.verification_finish(
                innovation=innovation, user=judge, action="return", note="Perbaiki bukti yang ditandai."
            )
            counts["returned"] += 1
        else:
            _judge(innovation, judge, rng)
            verification.verification_finish(innovation=innovation, user=judge, action="verify")
            counts["verified"] += 1
    context["stdout"].write(
        f"{cycle.name}: {counts['verified']} verified, {counts['returned']} returned, {counts['waiting']} waiting"
    )
