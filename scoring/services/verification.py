"""Assigning innovations to verifikators, the verdict on each claim, and finishing a verification."""

from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from innovasi.accounts.enums import Role
from innovasi.accounts.models import User
from submissions import services as submission_services
from submissions.enums import InnovationState
from submissions.models import Claim, Innovation

from ..enums import Verdict
from ..models import Assignment, Verification

OPEN_STATES = (InnovationState.DIAJUKAN, InnovationState.REVISI)
REASON_REQUIRED = (Verdict.TIDAK_SESUAI, Verdict.TIDAK_DAPAT_DIUKUR)


class ScoringError(Exception):
    """A write the portal refuses; the message says why, in the user's language."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def assignment_conflict(innovation, verifikator):
    """Why ``verifikator`` may not verify ``innovation`` (conflict of interest, wrong role), or None."""
    if verifikator.role != Role.VERIFIKATOR or not verifikator.is_active:
        return _("%(user)s bukan verifikator aktif.") % {"user": verifikator}
    if verifikator.region_id != innovation.opd.region_id:
        return _("%(user)s bukan verifikator wilayah ini.") % {"user": verifikator}
    if verifikator.opd_id == innovation.opd_id:
        return _(
            "%(user)s berasal dari OPD yang sama (%(opd)s): tidak boleh memverifikasi inovasi OPD sendiri."
        ) % {
            "user": verifikator,
            "opd": innovation.opd,
        }
    if innovation.created_by_id == verifikator.pk:
        return _("%(user)s membuat inovasi ini sendiri: tidak boleh memverifikasinya.") % {
            "user": verifikator
        }
    return None


def verifikators_by_open_work(region_id):
    """The region's active verifikators, fewest open assignments first (then by name): the suggestion."""
    return list(
        User.objects.filter(region_id=region_id, role=Role.VERIFIKATOR, is_active=True)
        .annotate(open_work=Count("assignments", filter=Q(assignments__innovation__state__in=OPEN_STATES)))
        .order_by("open_work", "first_name", "username")
    )


@transaction.atomic
def assignment_set(*, innovation, verifikator, by) -> Assignment:
    """Assign (or reassign) an innovation; refuses a conflict of interest and says why.

    Verdicts already given stay: they belong to the claims, whoever judges next.
    """
    innovation = Innovation.objects.select_for_update().select_related("opd").get(pk=innovation.pk)
    if innovation.state not in OPEN_STATES:
        raise ScoringError(
            _(
                "Inovasi «%(name)s» berstatus %(state)s: hanya inovasi yang diajukan atau direvisi yang ditugaskan."
            )
            % {"name": innovation.name, "state": innovation.get_state_display()}
        )
    conflict = assignment_conflict(innovation, verifikator)
    if conflict:
        raise ScoringError(conflict)
    assignment = Assignment.objects.filter(innovation=innovation).first() or Assignment(innovation=innovation)
    if assignment.pk and assignment.verifikator_id == verifikator.pk:
        return assignment
    assignment.verifikator, assignment.assigned_by = verifikator, by
    assignment._history_user = by
    assignment.save()
    from ..tasks import notify_assignment  # the tasks call these services: imported here, not at the top

    notify_assignment.delay_on_commit(
        assignment_id=assignment.pk, event=assignment.history.latest().history_id
    )
    return assignment


@transaction.atomic
def assignments_balance(*, innovations, by, verifikators=None):
    """Assign each innovation to the verifikator with the fewest open assignments who has no conflict.

    Returns (innovation, assignment or None, reason) for each, in order; one refusal does not stop the rest.
    """
    results = []
    for innovation in innovations:
        candidates = verifikators_by_open_work(innovation.opd.region_id)
        if verifikators is not None:
            candidates = [user for user in candidates if user in verifikators]
        chosen = next((user for user in candidates if assignment_conflict(innovation, user) is None), None)
        if chosen is None:
            results.append((innovation, None, _("Tidak ada verifikator tanpa konflik kepentingan.")))
            continue
        try:
            results.append((innovation, assignment_set(innovation=innovation, verifikator=chosen, by=by), ""))
        except ScoringError as error:
            results.append((innovation, None, error.message))
    return results


def _require_may_judge(innovation, user):
    if user.role == Role.ADMIN and user.region_id == innovation.opd.region_id:
        return
    assignment = getattr(innovation, "assignment", None)
    if user.role != Role.VERIFIKATOR or assignment is None or assignment.verifikator_id != user.pk:
        raise ScoringError(
            _("Hanya verifikator yang ditugaskan (atau admin) yang dapat menilai inovasi ini.")
        )
    if assignment_conflict(innovation, user):
        raise ScoringError(assignment_conflict(innovation, user))


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
    _require_may_judge(innovation, user)
    if innovation.state != InnovationState.DIAJUKAN:
        raise ScoringError(
            _("Inovasi berstatus %(state)s: putusan hanya dapat diubah selama inovasi diajukan.")
            % {"state": innovation.get_state_display()}
        )
    claim = Claim.objects.select_related("indicator").get(pk=claim.pk)
    if not claim.level:
        raise ScoringError(
            _("Indikator %(code)s tidak diklaim OPD: tidak ada yang dinilai.")
            % {"code": claim.indicator.code}
        )
    verification = Verification.objects.select_for_update().filter(claim=claim).first() or Verification(
        claim=claim
    )
    if version is not None and int(version) != verification.version:
        raise ScoringError(
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
            raise ScoringError(
                _("Tingkat yang diterima harus antara 1 dan tingkat klaim OPD (%(level)d).")
                % {"level": claim.level}
            )
    elif verdict in REASON_REQUIRED:
        if not reason:
            raise ScoringError(
                _("Tuliskan alasan untuk putusan «%(verdict)s».") % {"verdict": Verdict(verdict).label}
            )
        level = 0
    else:
        raise ScoringError(_("Pilih putusan: sesuai, tidak sesuai, atau tidak dapat diukur."))
    verification.verdict, verification.level = verdict, level
    verification.reason, verification.opd_note = reason, opd_note
    verification.judged_by = user
    verification.version += 1
    verification._history_user = user
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
    verification._change_reason = _("OPD mengubah tingkat atau bukti; putusan kembali menunggu")
    verification.save()


def pending_rows(innovation):
    """The claimed rows (level above 0) still without a verdict."""
    return list(
        innovation.claims.filter(level__gt=0)
        .filter(Q(verification__isnull=True) | Q(verification__verdict=Verdict.PENDING))
        .select_related("indicator")
        .order_by("indicator__position")
    )


@transaction.atomic
def verification_finish(*, innovation, user, action, note="") -> Innovation:
    """Verify the innovation, or return it to its OPD with the row notes; every claimed row must be judged."""
    innovation = (
        Innovation.objects.select_for_update(of=("self",))
        .select_related("opd", "assignment")
        .get(pk=innovation.pk)
    )
    _require_may_judge(innovation, user)
    waiting = pending_rows(innovation)
    if waiting:
        raise ScoringError(
            _("Masih ada baris yang belum dinilai: %(codes)s.")
            % {"codes": ", ".join(claim.indicator.code for claim in waiting)}
        )
    try:
        if action == "return":
            # The note for the OPD on each row; a rejected row without one carries its verdict and reason,
            # so that the OPD sees every row it has to fix.
            notes = {}
            for verdict in Verification.objects.filter(claim__innovation=innovation):
                if verdict.opd_note:
                    notes[verdict.claim_id] = verdict.opd_note
                elif verdict.verdict in REASON_REQUIRED:
                    notes[verdict.claim_id] = f"{verdict.get_verdict_display()}: {verdict.reason}"
            if not notes and not note.strip():
                raise ScoringError(
                    _("Tuliskan catatan untuk OPD pada baris yang perlu diperbaiki sebelum mengembalikan.")
                )
            submission_services.claims_set_revision_notes(innovation=innovation, notes=notes, user=user)
            target = InnovationState.REVISI
        elif action == "verify":
            target = InnovationState.TERVERIFIKASI
        else:
            raise ScoringError(_("Tindakan tidak dikenal."))
        return submission_services.innovation_transition(
            innovation=innovation, user=user, to_state=target, actor="verifier", note=note.strip()
        )
    except submission_services.SubmissionError as error:
        raise ScoringError(error.message) from error
