"""Every write of the submissions app: creating and copying innovations, saving the profile, claims,
evidence and documents, and the workflow (one function, ``innovation_transition``).

Each service runs in one transaction, checks that the innovation may still be changed and that the
caller saw the newest version, records history (django-simple-history, with the acting user) and
announces what changed through ``submissions.signals`` so that scoring can react after commit.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from innovasi.accounts.permissions import require
from innovasi.errors import PortalError
from innovasi.standards.enums import CycleState, DeadlineKind, EvidenceKind, IndicatorGroup
from innovasi.standards.selectors import deadline_window
from innovasi.uploads import upload_check

from . import selectors, signals
from .enums import EDITABLE_STATES, CommentKind, InnovationState
from .models import PROFILE_FIELDS, RICH_TEXT_FIELDS, Claim, ClaimComment, Document, Evidence, Innovation
from .richtext import richtext_clean, richtext_words

# The workflow: (from, to) -> who may do it. Returning and verifying are the verifier's (scoring app).
# Where the region asks for the OPD head's endorsement, the OPD's submission waits for its head ("head"),
# who passes it on to Bappeda or sends it back to the state it was submitted from.
TRANSITIONS = {
    (InnovationState.DRAFT, InnovationState.DIAJUKAN): "opd",
    (InnovationState.REVISI, InnovationState.DIAJUKAN): "opd",
    (InnovationState.DRAFT, InnovationState.MENUNGGU_PENGESAHAN): "opd",
    (InnovationState.REVISI, InnovationState.MENUNGGU_PENGESAHAN): "opd",
    (InnovationState.MENUNGGU_PENGESAHAN, InnovationState.DIAJUKAN): "head",
    (InnovationState.MENUNGGU_PENGESAHAN, InnovationState.DRAFT): "head",
    (InnovationState.MENUNGGU_PENGESAHAN, InnovationState.REVISI): "head",
    (InnovationState.DIAJUKAN, InnovationState.REVISI): "verifier",
    (InnovationState.DIAJUKAN, InnovationState.TERVERIFIKASI): "verifier",
}


class NotEditable(PortalError):
    """The innovation (or its cycle) is in a state the change is not allowed in."""


class VersionConflict(PortalError):
    """Someone saved a newer version since the caller read it."""


def _locked(innovation):
    """Re-read the innovation under a row lock, so that checks and writes see the same state.

    Only the innovation's own row is locked (``of``): a recompute holds its cycle's row while it writes
    the innovations' kematangan, and a write that also locked the cycle would deadlock with it."""
    return (
        Innovation.objects.select_for_update(of=("self",))
        .select_related("cycle__catalogue", "opd__region")
        .get(pk=innovation.pk)
    )


def _require_cycle_running(innovation):
    """A cycle not yet opened, or closed, keeps its innovations as they are: no edit, no state change."""
    if innovation.cycle.state in (CycleState.DRAFT, CycleState.FINAL):
        raise NotEditable(
            _("Siklus %(cycle)s berstatus %(state)s: inovasinya tidak dapat diubah.")
            % {"cycle": innovation.cycle.name, "state": innovation.cycle.get_state_display()}
        )


def _require_window(window):
    """Past the OPD's deadline (filing for a draft, revision for a returned innovation), nothing is
    submitted: ``innovasi.standards.selectors.deadline_window`` says why."""
    if not window.is_open:
        raise NotEditable(window.refusal)


def _require_editable(innovation):
    _require_cycle_running(innovation)
    if innovation.state not in EDITABLE_STATES:
        raise NotEditable(
            _("Inovasi «%(name)s» berstatus %(state)s dan tidak dapat diubah oleh OPD.")
            % {"name": innovation.name, "state": innovation.get_state_display()}
        )


def _require_version(current, seen, what):
    if seen is not None and int(seen) != current:
        raise VersionConflict(
            _(
                "%(what)s baru saja disimpan oleh orang lain. Perubahan Anda belum disimpan: muat ulang "
                "halaman untuk melihat versi terbaru, lalu ulangi perubahan Anda."
            )
            % {"what": what}
        )


def _save(instance, fields, *, user, reason=None):
    instance._history_user = user
    if reason:
        instance._change_reason = reason
    instance.save(update_fields=[*fields, "updated_at"] if hasattr(instance, "updated_at") else fields)


def announce_scores(innovation):
    """Say that a number of the innovation's cycle may have moved (scoring recomputes after commit)."""
    signals.scores_changed.send(sender=Innovation, cycle_id=innovation.cycle_id)


@transaction.atomic
def innovation_create(*, cycle, opd, user, name) -> Innovation:
    """A new draft with one empty claim per SID indicator of the cycle's catalogue, while the OPD's filing
    window is open (a draft that can never be submitted is not begun)."""
    _require_window(deadline_window(cycle=cycle, opd_id=opd.pk, kind=DeadlineKind.FILING))
    innovation = Innovation(cycle=cycle, opd=opd, created_by=user, name=name.strip())
    innovation._history_user = user  # type: ignore[attr-defined]  # simple-history reads it at save; it ships no types
    innovation.save()
    indicators = cycle.catalogue.indicators.filter(group=IndicatorGroup.SID)
    bulk_create_with_history(
        [Claim(innovation=innovation, indicator=indicator) for indicator in indicators],
        Claim,
        default_user=user,
    )
    announce_scores(innovation)
    return innovation


@transaction.atomic
def innovation_copy(*, source, cycle, user, change_note) -> Innovation:
    """A new draft in ``cycle`` with the profile and the claims (level, basis, note) of ``source``.

    Evidence is not copied: supporting documents must be valid for the year of application.
    """
    if not change_note.strip():
        raise PortalError(_("Jelaskan apa yang berubah sejak siklus sebelumnya."))
    innovation = innovation_create(cycle=cycle, opd=source.opd, user=user, name=source.name)
    for field in PROFILE_FIELDS:
        setattr(innovation, field, getattr(source, field))
    innovation.rancang_bangun_words = source.rancang_bangun_words
    innovation.copied_from = source
    innovation.change_note = change_note.strip()
    _save(
        innovation,
        [*PROFILE_FIELDS, "rancang_bangun_words", "copied_from", "change_note"],
        user=user,
        reason=_("Disalin dari siklus %(cycle)s") % {"cycle": source.cycle.name},
    )
    innovation.urusan_lain.set(source.urusan_lain.all())
    previous = {claim.indicator.code: claim for claim in source.claims.select_related("indicator")}
    for claim in innovation.claims.select_related("indicator"):
        old = previous.get(claim.indicator.code)
        if old and old.level:
            claim.level, claim.basis, claim.note = old.level, old.basis, old.note
            claim._history_user = user  # type: ignore[attr-defined]  # simple-history reads it at save; it ships no types
            claim.save(update_fields=["level", "basis", "note", "updated_at"])
    return innovation


def _urusan_lain_change(innovation, urusan_lain):
    """The history's words for a change of the urusan lain (a many-to-many the record does not hold), or
    None when they stay as they are."""
    if urusan_lain is None:
        return None
    old = sorted(innovation.urusan_lain.values_list("name", flat=True))
    new = sorted(urusan.name for urusan in urusan_lain)
    if old == new:
        return None
    return _("Urusan lain: %(old)s → %(new)s") % {"old": ", ".join(old) or "—", "new": ", ".join(new) or "—"}


@transaction.atomic
def innovation_update_profile(*, innovation, user, data, version) -> Innovation:
    """Save the profile fields in ``data`` (cleaned form data) if ``version`` is still the newest."""
    innovation = _locked(innovation)
    _require_editable(innovation)
    _require_version(innovation.version, version, _("Profil inovasi ini"))
    urusan_lain = data.pop("urusan_lain", None)
    for field, value in data.items():
        if field in RICH_TEXT_FIELDS:
            value = richtext_clean(value)
        setattr(innovation, field, value)
    innovation.rancang_bangun_words = richtext_words(innovation.rancang_bangun)
    innovation.version += 1  # safe: the row is locked until commit
    _save(
        innovation,
        [*data, "rancang_bangun_words", "version"],
        user=user,
        reason=_urusan_lain_change(innovation, urusan_lain),
    )
    if urusan_lain is not None:
        innovation.urusan_lain.set(urusan_lain)
    announce_scores(innovation)
    return innovation


@transaction.atomic
def claim_update(*, claim, user, level, basis, note, version) -> Claim:
    """Save the operator's choice on one indicator row; a changed level or basis voids its verdict."""
    innovation = _locked(claim.innovation)
    _require_editable(innovation)
    claim = Claim.objects.select_for_update(of=("self",)).select_related("indicator").get(pk=claim.pk)
    _require_version(claim.version, version, _("Indikator %(code)s") % {"code": claim.indicator.code})
    basis = basis if claim.indicator.has_basis else ""
    if claim.indicator.has_basis and level and not basis:
        raise PortalError(_("Pilih dasar pengukuran (a–f) sebelum memilih tingkat."))
    level_changed = (claim.level, claim.basis) != (level, basis)
    claim.level, claim.basis, claim.note = level, basis, note.strip()
    claim.version += 1  # safe: the row is locked until commit
    _save(claim, ["level", "basis", "note", "version"], user=user)
    if level_changed:
        signals.claim_changed.send(sender=Claim, claim=claim, what="level")
        announce_scores(innovation)
    return claim


@transaction.atomic
def evidence_add(*, claim, user, uploaded=None, link="") -> Evidence:
    """Attach a checked file or a link to a claim (raises django ValidationError for a bad file)."""
    innovation = _locked(claim.innovation)
    _require_editable(innovation)
    kinds = claim.indicator.evidence_kinds
    if uploaded is not None:
        kind, name = upload_check(uploaded, kinds)
        evidence = Evidence(claim=claim, kind=kind, original_name=name, size=uploaded.size, uploaded_by=user)
        evidence.file.save(name, uploaded, save=False)
    else:
        if EvidenceKind.LINK not in kinds:
            raise PortalError(_("Indikator ini meminta berkas, bukan tautan."))
        evidence = Evidence(claim=claim, kind=EvidenceKind.LINK, link=link, uploaded_by=user)
    evidence._history_user = user  # type: ignore[attr-defined]  # simple-history reads it at save; it ships no types
    evidence.save()
    signals.claim_changed.send(sender=Claim, claim=claim, what="evidence")
    announce_scores(innovation)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence, user) -> None:
    """Detach evidence from its claim; the stored file is kept for the history."""
    innovation = _locked(evidence.claim.innovation)
    _require_editable(innovation)
    evidence._history_user = user
    evidence.delete()
    signals.claim_changed.send(sender=Claim, claim=evidence.claim, what="evidence")
    announce_scores(innovation)


@transaction.atomic
def document_put(*, innovation, kind, user, uploaded) -> Document:
    """Attach (or replace) the supporting document of one kind: a PDF."""
    innovation = _locked(innovation)
    _require_editable(innovation)
    _kind, name = upload_check(uploaded, [EvidenceKind.PDF])
    document = Document.objects.filter(innovation=innovation, kind=kind).first() or Document(
        innovation=innovation, kind=kind
    )
    document.original_name, document.size, document.uploaded_by = name, uploaded.size, user
    document.file.save(name, uploaded, save=False)
    document._history_user = user  # type: ignore[attr-defined]  # simple-history reads it at save; it ships no types
    document.save()
    return document


@transaction.atomic
def document_remove(*, document, user) -> None:
    innovation = _locked(document.innovation)
    _require_editable(innovation)
    document._history_user = user
    document.delete()


@transaction.atomic
def innovation_publish(*, innovation, user, published) -> Innovation:
    """Show (or stop showing) a verified innovation in the public gallery."""
    innovation = _locked(innovation)
    if published and innovation.state != InnovationState.TERVERIFIKASI:
        raise PortalError(_("Hanya inovasi yang sudah terverifikasi yang dapat diterbitkan di galeri."))
    innovation.is_published = published
    innovation.published_at = timezone.now() if published else None
    _save(
        innovation,
        ["is_published", "published_at"],
        user=user,
        reason=_("Terbit di galeri") if published else _("Ditarik dari galeri"),
    )
    return innovation


@transaction.atomic
def claims_return(*, innovation, notes, user) -> None:
    """Record the verifier's note on each row concerned (``notes``: claim id -> text) when an innovation
    is returned: the note opens (or continues) the row's thread, and the row needs fixing until the OPD
    marks it fixed. Rows not named need nothing any more."""
    comments = []
    for claim in innovation.claims.all():
        note = notes.get(claim.pk, "").strip()
        if note:
            comments.append(ClaimComment(claim=claim, kind=CommentKind.RETURN_NOTE, body=note, author=user))
        if (claim.needs_fix, claim.fixed) != (bool(note), False):
            claim.needs_fix, claim.fixed = bool(note), False
            _save(claim, ["needs_fix", "fixed"], user=user)
    ClaimComment.objects.bulk_create(comments)


@transaction.atomic
def claim_answer(*, claim, user, body, fixed) -> Claim:
    """The OPD answers the verifier's note on a row of a returned innovation, marks the row fixed (or not
    yet), or both. The answer joins the row's thread; the mark is kept in the claim's history."""
    innovation = _locked(claim.innovation)
    _require_cycle_running(innovation)
    if not innovation.is_returned:
        raise NotEditable(
            _("Inovasi ini berstatus %(state)s: catatan verifikator dijawab selama inovasi dikembalikan.")
            % {"state": innovation.get_state_display()}
        )
    claim = Claim.objects.select_for_update(of=("self",)).select_related("indicator").get(pk=claim.pk)
    if not claim.needs_fix:
        raise PortalError(
            _("Indikator %(code)s tidak diberi catatan oleh verifikator: tidak ada yang perlu dijawab.")
            % {"code": claim.indicator.code}
        )
    body = body.strip()
    if not body and fixed == claim.fixed:
        raise PortalError(_("Tulis jawaban, atau ubah tanda «sudah diperbaiki»."))
    if body:
        ClaimComment.objects.create(claim=claim, kind=CommentKind.ANSWER, body=body, author=user)
    if fixed != claim.fixed:
        claim.fixed = fixed
        _save(
            claim,
            ["fixed"],
            user=user,
            reason=_("Ditandai sudah diperbaiki") if fixed else _("Tanda sudah diperbaiki dicabut"),
        )
    return claim


def _refused(old, to_state):
    return PortalError(
        _("Inovasi berstatus %(state)s tidak dapat diubah menjadi %(target)s.")
        % {"state": old.label, "target": InnovationState(to_state).label}
    )


@transaction.atomic
def innovation_transition(*, innovation, user, to_state, actor="opd", note="") -> Innovation:
    """Move an innovation through the workflow: the one place a state changes.

    ``actor`` is "opd" for the OPD's own moves (submit, resubmit), "head" for its head's (endorse, send
    back) and "verifier" for the verification app's (return for revision, verify). The OPD submits a draft
    within its filing window and resubmits a returned innovation within its revision window (the cycle's
    deadline, or its own extension); where the region asks for the OPD head's endorsement
    (``selectors.submission_target``) the submission waits for the head, who may decide after that
    deadline (the OPD submitted in time) while the cycle runs, and sends it back only to the state it was
    submitted from. Submitting requires a complete profile and every mandatory indicator with a level and
    evidence. ``submitted_at`` is when it reached Bappeda; the verifier's general note goes when it gets
    there again, the head's when the OPD submits again. Records the change (with the note) in the history
    and announces it.
    """
    innovation = _locked(innovation)
    _require_cycle_running(innovation)
    old = InnovationState(innovation.state)
    to_state = InnovationState(to_state)
    if TRANSITIONS.get((old, to_state)) != actor:
        raise _refused(old, to_state)
    if actor == "opd":
        if to_state != selectors.submission_target(innovation):
            # The region's setting changed since the page was shown: say where a submission goes now.
            raise PortalError(
                _("Inovasi kini diajukan kepada kepala OPD untuk disahkan lebih dahulu: muat ulang halaman.")
                if selectors.endorsement_required(innovation)
                else _("Pengesahan kepala OPD tidak lagi diminta: muat ulang halaman lalu ajukan lagi.")
            )
        _require_window(selectors.submission_window(innovation))
        problems = selectors.innovation_checklist(innovation)["problems"]
        if problems:
            raise PortalError(_("Inovasi belum dapat diajukan:"), problems)
        innovation.endorsement_note = ""
    if actor == "head" and to_state != InnovationState.DIAJUKAN:
        if to_state != selectors.endorsement_return_state(innovation):
            raise _refused(old, to_state)
        innovation.endorsement_note = note
    if to_state == InnovationState.DIAJUKAN:
        innovation.submitted_at = timezone.now()
        innovation.return_note = ""
    if actor == "verifier" and to_state == InnovationState.REVISI:
        innovation.return_note = note
    innovation.state = to_state
    reason = _("Status: %(old)s → %(new)s") % {"old": old.label, "new": to_state.label}
    _save(
        innovation,
        ["state", "submitted_at", "return_note", "endorsement_note"],
        user=user,
        reason=f"{reason}. {note}".strip() if note else reason,
    )
    signals.innovation_state_changed.send(
        sender=Innovation, innovation=innovation, old=old, new=to_state, by=user, note=note
    )
    announce_scores(innovation)
    return innovation


ENDORSE, SEND_BACK = "endorse", "return"


@transaction.atomic
def innovation_endorse(*, innovation, user, action, note="") -> Innovation:
    """The OPD head's decision on a submission waiting for them: endorse it (``ENDORSE``: it goes on to
    Bappeda, "diajukan") or send it back to the operator with a note (``SEND_BACK``: to the draft or the
    returned innovation it was submitted as, the note shown to the OPD as the verifier's return note is).

    Refused (PortalError) unless ``user`` is the head of the innovation's OPD and it waits for them; a
    sending back without a note is refused. Recorded in the history with the note; the operators (and,
    on a resubmission after a return, its verifier) are told after commit.
    """
    innovation = _locked(innovation)
    require(user, "submissions.endorse_innovation", innovation, error=PortalError)
    note = note.strip()
    if action == ENDORSE:
        target = InnovationState.DIAJUKAN
    elif action == SEND_BACK:
        if not note:
            raise PortalError(
                _("Tuliskan catatan untuk operator: apa yang perlu diperbaiki sebelum disahkan.")
            )
        target = selectors.endorsement_return_state(innovation)
    else:
        raise PortalError(_("Tindakan tidak dikenal."))
    return innovation_transition(innovation=innovation, user=user, to_state=target, actor="head", note=note)
