import pytest

from scoring.services import index, verification
from submissions import services as submission_services

from ..factories import innovation_create
from ..scoring.conftest import admin2, assigned, judge_all, submitted, verifikator2  # noqa: F401
from ..submissions.conftest import MANDATORY, complete_profile, draft, fill, ready  # noqa: F401


@pytest.fixture
def verified_cycle(cycle, opd_a, opd_b, operator_a, operator_b, verifikator, admin_user):
    """A cycle with three verified innovations in two OPDs (one with an HTML-looking name) and snapshots,
    in a region whose head signs its certificates."""
    region = cycle.region
    region.signatory_name, region.signatory_title = "Dr. H. Uji Coba, M.Si.", "Bupati Uji"
    region.save(update_fields=["signatory_name", "signatory_title"])
    names = [
        (opd_a, operator_a, "Posyandu <b>Digital</b> & Co"),
        (opd_a, operator_a, "Ambulans Desa"),
        (opd_b, operator_b, "Sekolah Literasi"),
    ]
    for opd, user, name in names:
        innovation = innovation_create(cycle, opd, user, name=name, **complete_profile())
        fill(innovation, user, dict.fromkeys(MANDATORY, 2))
        submission_services.innovation_transition(innovation=innovation, user=user, to_state="diajukan")
        verification.assignment_set(innovation=innovation, verifikator=verifikator, by=admin_user)
        judge_all(innovation, verifikator)
        verification.verification_finish(innovation=innovation, user=verifikator, action="verify")
    index.cycle_recompute(cycle_id=cycle.pk)
    return cycle


@pytest.fixture
def final_scheme(verified_cycle, admin_user, juri):
    """A finalised presentation scheme of the verified cycle: one winner (Sekolah Literasi, scored
    highest) and one honourable mention."""
    from scoring.services import awards as award_services
    from submissions.models import Innovation

    scheme = award_services.scheme_from_preset(cycle=verified_cycle, preset="presentasi")
    category = scheme.categories.get()
    for innovation in Innovation.objects.filter(cycle=verified_cycle).order_by("pk"):
        award_services.nominate(category=category, innovation=innovation, by=admin_user)
    member = award_services.jury_assign(category=category, juror=juri)
    award_services.conflicts_declare(member=member, opds=[], note="")
    for number, nomination in enumerate(category.nominations.order_by("pk")):
        scores = {criterion.pk: 60 + 10 * number for criterion in scheme.criteria.all()}
        award_services.scores_save(member=member, nomination=nomination, scores=scores, comment="")
    award_services.sheet_submit(member=member)
    scheme.winners = 1
    scheme.honourable_mentions = 1
    scheme.save()
    return award_services.scheme_finalise(scheme=scheme, by=admin_user)


def waiting_for_the_head(cycle, opd, operator, name, *, after_a_return=None):
    """An innovation of ``opd`` its operator submitted where the region asks for the OPD head's endorsement
    (turned on here); ``after_a_return``: (verifikator, admin), to have it verified in part and returned with
    SID-17 rejected first, so that the verified index holds it with that gap."""
    from innovasi.accounts.enums import Role
    from scoring.services import verification

    from ..factories import UserFactory
    from ..scoring.conftest import judge_all

    innovation = innovation_create(cycle, opd, operator, name=name, **complete_profile())
    fill(innovation, operator, dict.fromkeys(MANDATORY, 2))
    if after_a_return:
        verifikator, admin = after_a_return
        submission_services.innovation_transition(innovation=innovation, user=operator, to_state="diajukan")
        verification.assignment_set(innovation=innovation, verifikator=verifikator, by=admin)
        judge_all(innovation, verifikator, **{"SID-17": {"verdict": "tidak_sesuai", "reason": "SK lama"}})
        verification.verification_finish(innovation=innovation, user=verifikator, action="return")
    region = cycle.region
    region.opd_endorsement = True
    region.save(update_fields=["opd_endorsement"])
    if not opd.users.filter(role=Role.KEPALA_OPD).exists():
        UserFactory(username=f"kepala.{opd.pk}", region=region, role=Role.KEPALA_OPD, opd=opd)
    innovation.refresh_from_db()
    submission_services.innovation_transition(
        innovation=innovation, user=operator, to_state="menunggu_pengesahan"
    )
    index.cycle_recompute(cycle_id=cycle.pk)
    return innovation


def regency_scored(parent, code, name, *, kind="kabupaten", spd_level=None):
    """A region in ``parent`` with a cycle on iid-2026 in pengisian; with ``spd_level``, its SPD rows at that
    level with evidence, accepted, and its snapshots computed by the engine (an IID of SPD points only)."""
    from innovasi.accounts.enums import Role
    from scoring.models import SpdEntry, SpdEvidence

    from ..factories import CycleFactory, RegionFactory, UserFactory

    region = RegionFactory(name=name, code=code, kind=kind, parent=parent)
    cycle = CycleFactory(region=region)
    if spd_level is not None:
        admin = UserFactory(username=f"admin.{code}", region=region, role=Role.ADMIN, opd=None)
        verifikator = UserFactory(
            username=f"verifikator.{code}", region=region, role=Role.VERIFIKATOR, opd=None
        )
        entries = SpdEntry.objects.filter(cycle=cycle)
        entries.update(level=spd_level, entered_by=admin, accepted_by=verifikator)
        SpdEvidence.objects.bulk_create(
            SpdEvidence(
                entry=entry, kind="pdf", file="spd/uji.pdf", original_name="spd.pdf", uploaded_by=admin
            )
            for entry in entries
        )
        index.cycle_recompute(cycle_id=cycle.pk)
    return region
