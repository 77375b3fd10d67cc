"""Assigning innovations to verifikators, the verdict on each claim, and finishing a verification."""

from django.db import transaction
from django.utils.translation import gettext as _

from innovasi.accounts.permissions import require
from innovasi.errors import PortalError
from submissions import services as submission_services
from submissions.enums import InnovationState
from submissions.models import Claim, Innovation

from ..enums import Verdict
from ..models import Assignment, Verification
from ..permissions import assignment_refusal
from ..selectors import verification as verification_selectors
from ..selectors.verification import OPEN_STATES

REASON_REQUIRED = (Verdict.TIDAK_SESUAI, Verdict.TIDAK_DAPAT_DIUKUR)


@transaction.atomic
def assignment_set(*, innovation, verifikator, by) -> Assignment:
    """Assign (or reassign) an innovation; refuses a verifikator the rule ``scoring.be_assigned`` refuses
    (another region, a conflict of interest) and says why.

    Verdicts already given stay: they belong to the claims, whoever judges next.
    """
    innovation = (
        Innovation.objects.select_for_update(of=("self",)).select_related("opd").get(pk=innovation.pk)
    )
    require(by, "scoring.assign", innovation, error=PortalError)
    if innovation.state not in OPEN_STATES:
        raise PortalError(
            _(
                "Inovasi «%(name)s» berstatus %(state)s: hanya inovasi yang diajukan atau direvisi yang ditugaskan."
            )
            % {"name": innovation.name, "state": innovation.get_state_display()}
        )
    refusal = assignment_refusal(verifikator, innovation)
    if refusal:
        raise PortalError(refusal)
    assignment = Assignment.objects.filter(innovation=innovation).first() or Assignment(innovation=innovation)
    if assignment.pk and assignment.verifikator_id == verifikator.pk:
        return assignment
    assignment.verifikator, assignment.assigned_by = verifikator, by
    assignment._history_user = by  # type: ignore[attr-defined]  # simple-history reads it at save; it ships no types
    assignment.save()
    from ..tasks import notify_assignment  # the tasks call these services: imported here, not at the top

    notify_assignment.delay_on_commit(
        assignment_id=assignment.pk, event=assignment.history.latest().history_id
    )
    return assignment


@transaction.atomic
def assignments_balance(*, innovations, by):
    """Assign each innovation to the verifikator with the fewest open assignments whom the rule allows.

    The candidates are read once and their open work counted on as they are given innovations. Returns
    (innovation, assignment or None, reason) for each, in order; one refusal does not stop the rest.
    """
    candidates = verification_selectors.verifikators_by_open_work(by.region_id)
    results: list[tuple[Innovation, Assignment | None, str]] = []
    for innovation in innovations:
        allowed_ones = [user for user in candidates if assignment_refusal(user, innovation) is None]
        if not allowed_ones:
            results.append((innovation, None, _("Tidak ada verifikator tanpa konflik kepentingan.")))
            continue
        chosen = min(allowed_ones, key=lambda user: user.open_work)
        try:
            results.append((innovation, assignment_set(innovation=innovation, verifikator=chosen, by=by), ""))
        except PortalError as error:
            results.append((innovation, None, error.message))
        else:
            chosen.open_work += 1
    return results


@transaction.atomic
def verdict_save(*, claim, user, verdict, level, reason, opd_note, version) -> Verification:
    """Judge one claim: sesuai at the claimed level or lower, or a rejection with its reason.

    ``version`` is the verdict's version the verifier saw; an older one is refused (another verifier
    saved in between). Every change is kept in the verdict's history.
    """
    innovation = (
        Innovation.objects.select_for_update(of=("self",))
        .select_related("opd", "assignment")
        .get(pk=claim.innovation_id)
    )
    require(user, "scoring.judge_innovation", innovation, error=PortalError)
    if innovation.state != InnovationState.DIAJUKAN:
        raise PortalError(
            _("Inovasi berstatus %(state)s: putusan hanya dapat diubah selama inovasi diajukan.")
            % {"state": innovation.get_state_display()}
        )
    claim = Claim.objects.select_related("indicator").get(pk=claim.pk)
    if not claim.level:
        raise PortalError(
            _("Indikator %(code)s tidak diklaim OPD: tidak ada yang dinilai.")
            % {"code": claim.indicator.code}
        )
    verification = Verification.objects.select_for_update().filter(claim=claim).first() or Verification(
        claim=claim
    )
    if version is not None and int(version) != verification.version:
        raise PortalError(
            _(
                "Putusan indikator %(code)s baru saja disimpan oleh %(user)s. Putusan Anda belum disimpan: "
                "muat ulang baris ini untuk melihat putusan terbaru."
            )
            % {"code": claim.indicator.code, "user": verification.judged_by or _("orang lain")}
        )
    reason, opd_note = reason.strip(), opd_note.strip()
    if verdict == Verdict.SESUAI:
        level = level or claim.level
        if not 1 <= level <= claim.level:
            raise PortalError(
                _("Tingkat yang diterima harus antara 1 dan tingkat klaim OPD (%(level)d).")
                % {"level": claim.level}
            )
    elif verdict in REASON_REQUIRED:
        if not reason:
            raise PortalError(
                _("Tuliskan alasan untuk putusan «%(verdict)s».") % {"verdict": Verdict(verdict).label}
            )
        level = 0
    else:
        raise PortalError(_("Pilih putusan: sesuai, tidak sesuai, atau tidak dapat diukur."))
    verification.verdict, verification.level = verdict, level
    verification.reason, verification.opd_note = reason, opd_note
    verification.judged_by = user
    verification.version += 1
    verification._history_user = user  # type: ignore[attr-defined]  # simple-history reads it at save; it ships no types
    verification.save()
    submission_services.announce_scores(innovation)
    return verification


def claim_verdict_reset(*, claim, **_signal):
    """The OPD changed this claim's level or evidence: its verdict no longer holds (``claim_changed``)."""
    verification = Verification.objects.filter(claim=claim).exclude(verdict=Verdict.PENDING).first()
    if verification is None:
        return
    verification.verdict, verification.level = Verdict.PENDING, 0
    verification.version += 1
    verification._change_reason = _("OPD mengubah tingkat atau bukti; putusan kembali menunggu")  # type: ignore[attr-defined]  # simple-history reads it at save; it ships no types
    verification.save()


@transaction.atomic
def verification_finish(*, innovation, user, action, note="") -> Innovation:
    """Verify the innovation, or return it to its OPD with the row notes; every claimed row must be judged."""
    innovation = (
        Innovation.objects.select_for_update(of=("self",))
        .select_related("opd", "assignment")
        .get(pk=innovation.pk)
    )
    require(user, "scoring.judge_innovation", innovation, error=PortalError)
    waiting = verification_selectors.pending_rows(innovation)
    if waiting:
        raise PortalError(
            _("Masih ada baris yang belum dinilai: %(codes)s.")
            % {"codes": ", ".join(claim.indicator.code for claim in waiting)}
        )
    if action == "return":
        # The note for the OPD on each row; a rejected row without one carries its verdict and reason, so
        # that the OPD sees every row it has to fix.
        notes = {}
        for verdict in Verification.objects.filter(claim__innovation=innovation):
            if verdict.opd_note:
                notes[verdict.claim_id] = verdict.opd_note
            elif verdict.verdict in REASON_REQUIRED:
                notes[verdict.claim_id] = f"{verdict.get_verdict_display()}: {verdict.reason}"
        if not notes and not note.strip():
            raise PortalError(
                _("Tuliskan catatan untuk OPD pada baris yang perlu diperbaiki sebelum mengembalikan.")
            )
        submission_services.claims_return(innovation=innovation, notes=notes, user=user)
        target = InnovationState.REVISI
    elif action == "verify":
        target = InnovationState.TERVERIFIKASI
    else:
        raise PortalError(_("Tindakan tidak dikenal."))
    return submission_services.innovation_transition(
        innovation=innovation, user=user, to_state=target, actor="verifier", note=note.strip()
    )
