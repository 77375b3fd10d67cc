"""The writes of the workbook: importing one (all of it or nothing), and an upload's way from its preview to
its import.

``workbook_import`` checks the whole file again under the cycle's lock (``plan.plan_build``) and, only when
no cell has a problem, writes everything the plan says in one transaction, in bulk: the new innovations
with an empty row per SID indicator, the changed profiles and rows, the evidence files (checked like a
browser upload, stored under random names), the documents and the SPD rows. Every record it writes is in
the history with "impor workbook" and the file's name and the importing user; a changed row's verdict goes
back to pending, a changed SPD row's acceptance is withdrawn, and the cycle's recompute is asked for once,
after commit. An innovation imported as submitted is recorded as imported: nobody verified it, and the
importing user is its creator (so the conflict rule keeps them from verifying it).

An upload on the portal (``WorkbookImport``) keeps its files between the preview and the confirmation: a
worker checks it (``workbook_upload_check``), its uploader confirms it (``workbook_upload_confirm``), a
worker imports it (``workbook_upload_run``), checking again.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from innovasi.accounts.models import User
from innovasi.accounts.permissions import is_admin, require
from innovasi.errors import PortalError
from innovasi.standards.enums import EvidenceKind, IndicatorGroup
from innovasi.standards.models import Cycle
from innovasi.uploads import safe_name
from scoring.enums import Verdict
from scoring.models import SpdEntry, SpdEvidence, Verification
from submissions import signals
from submissions.enums import InnovationState
from submissions.models import Claim, Document, Evidence, Innovation, unguessable_path
from submissions.richtext import richtext_words

from ..enums import WorkbookImportState
from ..models import WorkbookImport
from .archive import EvidenceArchive
from .plan import ACTION_CHANGE, ACTION_NEW, Actor, ClaimPlan, FileRef, InnovationPlan, Plan, plan_build
from .reader import Problem, WorkbookRows, workbook_file_check, workbook_read

logger = logging.getLogger(__name__)

# An upload waits this long for its confirmation, and its files are kept as long after its import.
UPLOAD_KEPT = datetime.timedelta(days=1)
# A check or an import running past this was stopped without a word (its worker killed): failed.
TIME_LIMIT_SECONDS = max(600, settings.REPORT_TIME_LIMIT_SECONDS)
WAITING_AT_MOST = datetime.timedelta(minutes=30)


class WorkbookRefused(PortalError):
    """The workbook has problems (``plan.problems``): nothing was imported."""

    def __init__(self, plan: Plan):
        count = len(plan.problems)
        super().__init__(
            ngettext(
                "Buku kerja memuat %(count)d masalah: tidak ada yang diimpor.",
                "Buku kerja memuat %(count)d masalah: tidak ada yang diimpor.",
                count,
            )
            % {"count": count}
        )
        self.plan = plan


def actor_of(user: User, opd=None) -> Actor:
    """Who imports on the portal: an admin with the region admin's rights, anyone else (an operator) held
    to their own OPD, making drafts."""
    if is_admin(user):
        return Actor(user=user, admin=True, opd=opd)
    return Actor(user=user, admin=False, opd=user.opd)


def history_reason(file_name: str) -> str:
    return _("Dari impor workbook «%(name)s»") % {"name": file_name}


def workbook_import(
    *, cycle: Cycle, actor: Actor, rows: WorkbookRows, archive: EvidenceArchive | None
) -> Plan:
    """Import ``rows`` (and the files of ``archive``) into ``cycle`` as ``actor``: all of it, or nothing
    when any cell has a problem (WorkbookRefused, with the plan and its problems). Returns the plan it
    carried out. Files stored before a failure are removed again."""
    stored: list[str] = []
    try:
        return _import(cycle=cycle, actor=actor, rows=rows, archive=archive, stored=stored)
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


@transaction.atomic
def _import(*, cycle, actor, rows, archive, stored) -> Plan:
    # The cycle's row first (as a recompute takes it): one import of a cycle at a time, and no recompute
    # reads the cycle halfway through it. Innovation rows are only taken after it, so no deadlock.
    cycle = (
        Cycle.objects.select_for_update(no_key=True, of=("self",))
        .select_related("catalogue", "region")
        .get(pk=cycle.pk)
    )
    plan = plan_build(cycle=cycle, actor=actor, rows=rows, archive=archive)
    if not plan.ok:
        raise WorkbookRefused(plan)
    _Apply(cycle=cycle, actor=actor, plan=plan, archive=archive, stored=stored).run()
    return plan


class _Apply:
    """Write a clean plan, in bulk (a fixed number of queries per kind of record, whatever the rows)."""

    def __init__(
        self, *, cycle, actor: Actor, plan: Plan, archive: EvidenceArchive | None, stored: list[str]
    ):
        self.cycle, self.user, self.plan, self.archive, self.stored = cycle, actor.user, plan, archive, stored
        self.reason = history_reason(plan.file_name)
        self.now = timezone.now()
        self.new = [item for item in plan.innovations if item.action == ACTION_NEW]
        self.changed = [item for item in plan.innovations if item.action == ACTION_CHANGE]
        self.any_change = False

    def run(self) -> None:
        created = self._innovations_new()
        self._innovations_changed()
        self._urusan_lain(created)
        self._claims()
        self._evidence()
        self._documents()
        self._spd()
        if self.any_change:
            signals.scores_changed.send(sender=Innovation, cycle_id=self.cycle.pk)

    def _history(self, objects: Iterable[Any], reason: str | None = None) -> None:
        for obj in objects:
            obj._history_user = self.user
            obj._change_reason = reason or self.reason

    def _state_reason(self, state: str | None) -> str:
        if state == InnovationState.DIAJUKAN:
            return _("%(reason)s: status Diajukan (diimpor; belum diverifikasi)") % {"reason": self.reason}
        return self.reason

    def _store(self, model, ref: FileRef) -> str:
        assert self.archive is not None  # a plan names files only with an archive
        member = self.archive.open(ref.path)
        try:
            name = default_storage.save(unguessable_path(model, ref.name), member)
        finally:
            member.close()
        self.stored.append(name)
        return name

    def _innovations_new(self) -> list[Innovation]:
        innovations = []
        for item in self.new:
            innovation = Innovation(
                cycle=self.cycle,
                opd=item.opd,
                created_by=self.user,
                key=item.key,
                state=item.state or InnovationState.DRAFT,
                **item.values,
            )
            innovation.rancang_bangun_words = richtext_words(innovation.rancang_bangun)
            if innovation.state == InnovationState.DIAJUKAN:
                innovation.submitted_at = self.now
            self._history([innovation], self._state_reason(innovation.state))
            innovations.append(innovation)
        created = bulk_create_with_history(innovations, Innovation, default_user=self.user)
        for item, innovation in zip(self.new, created, strict=True):
            item.existing = innovation  # what the rows, files and urusan below belong to
        self.any_change = self.any_change or bool(created)
        return created

    def _innovations_changed(self) -> None:
        updated, fields = [], {"version", "updated_at"}
        for item in self.changed:
            innovation = item.existing
            assert innovation is not None
            if not (item.values or item.state or item.urusan_lain is not None):
                continue
            for name, value in item.values.items():
                setattr(innovation, name, value)
                fields.add(name)
            if "rancang_bangun" in item.values:
                innovation.rancang_bangun_words = richtext_words(innovation.rancang_bangun)
                fields.add("rancang_bangun_words")
            if item.state:
                innovation.state = item.state
                innovation.submitted_at, innovation.return_note = self.now, ""
                fields |= {"state", "submitted_at", "return_note"}
            innovation.version += (
                1  # safe: the cycle's lock keeps other imports out; a form open on it is refused
            )
            innovation.updated_at = self.now
            reason = self._state_reason(item.state)
            if item.urusan_lain is not None:
                names = ", ".join(urusan.name for urusan in item.urusan_lain) or "—"
                reason = _("%(reason)s. Urusan lain: %(names)s") % {"reason": reason, "names": names}
            self._history([innovation], reason)
            updated.append(innovation)
        if updated:
            bulk_update_with_history(updated, Innovation, sorted(fields), default_user=self.user)
            self.any_change = True

    def _urusan_lain(self, created: list[Innovation]) -> None:
        through = Innovation.urusan_lain.through
        pairs = [
            (innovation.pk, item.urusan_lain)
            for item, innovation in zip(self.new, created, strict=True)
            if item.urusan_lain
        ]
        replaced = [
            item.existing.pk
            for item in self.changed
            if item.existing is not None and item.urusan_lain is not None
        ]
        pairs += [
            (item.existing.pk, item.urusan_lain)
            for item in self.changed
            if item.existing is not None and item.urusan_lain
        ]
        if replaced:
            through.objects.filter(innovation_id__in=replaced).delete()
        through.objects.bulk_create(
            [through(innovation_id=pk, urusan_id=urusan.pk) for pk, urusans in pairs for urusan in urusans]
        )

    def _claims(self) -> None:
        indicators = list(
            self.cycle.catalogue.indicators.filter(group=IndicatorGroup.SID).order_by("position")
        )
        new_claims: list[Claim] = []
        for item in self.new:
            planned = {plan.indicator.pk: plan for plan in item.claims}
            for indicator in indicators:
                plan = planned.get(indicator.pk)
                claim = Claim(innovation=item.existing, indicator=indicator)
                if plan is not None:
                    claim.level, claim.basis, claim.note = plan.level or 0, plan.basis or "", plan.note or ""
                    plan.claim = claim
                new_claims.append(claim)
        updated: list[Claim] = []
        reset: list[int] = []
        for item in self.changed:
            for plan in item.claims:
                if plan.claim is None:
                    plan.claim = Claim(
                        innovation=item.existing,
                        indicator=plan.indicator,
                        level=plan.level or 0,
                        basis=plan.basis or "",
                        note=plan.note or "",
                    )
                    new_claims.append(plan.claim)
                    continue
                claim = plan.claim
                if plan.changed:
                    for name in plan.changed:
                        setattr(claim, name, getattr(plan, name))
                    claim.version += 1
                    claim.updated_at = self.now
                    updated.append(claim)
                if {"level", "basis"} & set(plan.changed) or plan.files or plan.links:
                    reset.append(claim.pk)
        self._history(new_claims)
        bulk_create_with_history(new_claims, Claim, default_user=self.user)
        self._history(updated)
        if updated:
            bulk_update_with_history(
                updated, Claim, ["level", "basis", "note", "version", "updated_at"], default_user=self.user
            )
        self.any_change = self.any_change or bool(new_claims or updated)
        self._verdicts_reset(reset)

    def _verdicts_reset(self, claim_ids: list[int]) -> None:
        """A changed row's verdict no longer holds (as ``scoring.services.verification.claim_verdict_reset``)."""
        if not claim_ids:
            return
        verdicts = list(Verification.objects.filter(claim_id__in=claim_ids).exclude(verdict=Verdict.PENDING))
        for verdict in verdicts:
            verdict.verdict, verdict.level = Verdict.PENDING, 0
            verdict.version += 1
            verdict.updated_at = self.now
        self._history(
            verdicts,
            _("%(reason)s: tingkat atau bukti diubah; putusan kembali menunggu") % {"reason": self.reason},
        )
        if verdicts:
            bulk_update_with_history(
                verdicts, Verification, ["verdict", "level", "version", "updated_at"], default_user=self.user
            )

    def _claim_plans(self) -> Iterable[ClaimPlan]:
        for item in (*self.new, *self.changed):
            yield from item.claims

    def _evidence(self) -> None:
        evidence = []
        for plan in self._claim_plans():
            for ref in plan.files:
                evidence.append(
                    Evidence(
                        claim=plan.claim,
                        kind=ref.kind,
                        file=self._store(Evidence, ref),
                        original_name=ref.name,
                        size=ref.size,
                        uploaded_by=self.user,
                    )
                )
            for link in plan.links:
                evidence.append(
                    Evidence(claim=plan.claim, kind=EvidenceKind.LINK, link=link, uploaded_by=self.user)
                )
        self._history(evidence)
        bulk_create_with_history(evidence, Evidence, default_user=self.user)
        self.any_change = self.any_change or bool(evidence)

    def _documents(self) -> None:
        wanted: list[tuple[InnovationPlan, str, FileRef]] = [
            (item, kind, ref) for item in (*self.new, *self.changed) for kind, ref in item.documents
        ]
        if not wanted:
            return
        present = {
            (document.innovation_id, document.kind): document
            for document in Document.objects.filter(
                innovation_id__in=[item.existing.pk for item, _kind, _ref in wanted if item.existing]
            )
        }
        added, replaced = [], []
        for item, kind, ref in wanted:
            assert item.existing is not None
            document = present.get((item.existing.pk, kind))
            name = self._store(Document, ref)
            if document is None:
                added.append(
                    Document(
                        innovation=item.existing,
                        kind=kind,
                        file=name,
                        original_name=ref.name,
                        size=ref.size,
                        uploaded_by=self.user,
                    )
                )
                continue
            document.file, document.original_name, document.size = name, ref.name, ref.size
            document.uploaded_by = self.user
            replaced.append(document)
        self._history([*added, *replaced])
        bulk_create_with_history(added, Document, default_user=self.user)
        if replaced:
            bulk_update_with_history(
                replaced, Document, ["file", "original_name", "size", "uploaded_by"], default_user=self.user
            )

    def _spd(self) -> None:
        rows = [row for row in self.plan.spd if row.is_changed]
        if not rows:
            return
        missing = [SpdEntry(cycle=self.cycle, indicator=row.indicator) for row in rows if row.entry is None]
        if missing:
            SpdEntry.objects.bulk_create(missing)
            found = {entry.indicator_id: entry for entry in SpdEntry.objects.filter(cycle=self.cycle)}
            for row in rows:
                row.entry = row.entry or found[row.indicator.pk]
        entries, evidence = [], []
        for row in rows:
            entry = row.entry
            assert entry is not None
            if row.level is not None:
                entry.level = row.level
            if row.note is not None:
                entry.note = row.note
            # A changed row must be accepted again (four eyes): its author is now the importing user.
            entry.entered_by, entry.accepted_by, entry.accepted_at = self.user, None, None
            entry.version += 1
            entry.updated_at = self.now
            entries.append(entry)
            for ref in row.files:
                evidence.append(
                    SpdEvidence(
                        entry=entry,
                        kind=ref.kind,
                        file=self._store(SpdEvidence, ref),
                        original_name=ref.name,
                        size=ref.size,
                        uploaded_by=self.user,
                    )
                )
        self._history(entries)
        bulk_update_with_history(
            entries,
            SpdEntry,
            ["level", "note", "entered_by", "accepted_by", "accepted_at", "version", "updated_at"],
            default_user=self.user,
        )
        self._history(evidence)
        bulk_create_with_history(evidence, SpdEvidence, default_user=self.user)
        self.any_change = True


# --- An upload on the portal, from its preview to its import ------------------------------------------


def _check_after_commit(upload: WorkbookImport) -> None:
    from ..tasks import check_workbook  # the task calls this module: imported here, not at the top

    check_workbook.delay_on_commit(
        upload_id=str(upload.pk),
        if_unreachable=lambda: _failed(
            upload, _("Antrean pemeriksaan tidak dapat dihubungi. Unggah lagi sebentar lagi.")
        ),
    )


def _run_after_commit(upload: WorkbookImport) -> None:
    from ..tasks import import_workbook

    import_workbook.delay_on_commit(
        upload_id=str(upload.pk),
        if_unreachable=lambda: _failed(
            upload, _("Antrean impor tidak dapat dihubungi; belum ada yang diimpor. Coba lagi sebentar lagi.")
        ),
    )


def _failed(upload: WorkbookImport, message: str) -> None:
    WorkbookImport.objects.filter(pk=upload.pk).update(
        state=WorkbookImportState.FAILED, error=message, finished_at=timezone.now()
    )


@transaction.atomic
def workbook_upload_create(*, cycle: Cycle, user: User, workbook, evidence=None) -> WorkbookImport:
    """Keep an uploaded workbook (and its ZIP of evidence) for its preview and enqueue its check after
    commit. The files are checked as files first (size, content: a workbook, a ZIP): one that is not is
    refused here with a ValidationError, and nothing is kept."""
    require(user, "reports.import_workbook", cycle, error=PortalError)
    workbook_file_check(workbook)
    if evidence is not None:
        EvidenceArchive(evidence).close()
    upload = WorkbookImport(
        region_id=cycle.region_id,
        cycle=cycle,
        opd=actor_of(user).opd,
        requested_by=user,
        workbook_name=safe_name(workbook.name or ""),
        evidence_name=safe_name(evidence.name or "") if evidence is not None else "",
        language=translation.get_language() or settings.LANGUAGE_CODE,
        expires_at=timezone.now() + UPLOAD_KEPT,
    )
    upload.workbook.save(upload.workbook_name, workbook, save=False)
    if evidence is not None:
        upload.evidence.save(upload.evidence_name, evidence, save=False)
    upload.save()
    _check_after_commit(upload)
    return upload


def _opened(upload: WorkbookImport) -> tuple[WorkbookRows, EvidenceArchive | None]:
    with upload.workbook.open("rb") as stored:
        rows = workbook_read(stored, limit=None)
    rows.name = upload.workbook_name
    archive = EvidenceArchive(upload.evidence.open("rb")) if upload.evidence else None
    if archive is not None:
        archive.name = upload.evidence_name
    return rows, archive


def _problems(items: Iterable[Problem]) -> list[dict[str, Any]]:
    return [item.as_dict() for item in items]


def _actor(upload: WorkbookImport) -> Actor:
    return actor_of(upload.requested_by)


def workbook_upload_check(*, upload_id) -> WorkbookImport | None:
    """Check a kept upload (a worker's task): every problem, or what the import would do; records it and
    never raises at the user. Idempotent: an upload already checked is left as it is."""
    upload = (
        WorkbookImport.objects.select_related("cycle__catalogue", "cycle__region", "requested_by__opd")
        .filter(pk=upload_id)
        .first()
    )
    if upload is None or upload.state != WorkbookImportState.CHECKING:
        return upload
    WorkbookImport.objects.filter(pk=upload.pk).update(progress=10)
    with translation.override(upload.language):
        archive = None
        try:
            rows, archive = _opened(upload)
            WorkbookImport.objects.filter(pk=upload.pk).update(progress=40)
            plan = plan_build(cycle=upload.cycle, actor=_actor(upload), rows=rows, archive=archive)
        except ValidationError as error:
            return _recorded(
                upload, WorkbookImportState.REFUSED, problems=[Problem("", None, "", error.messages[0])]
            )
        except SoftTimeLimitExceeded:
            return _recorded(upload, WorkbookImportState.FAILED, error=_("Waktu pemeriksaan habis."))
        except Exception as error:  # recorded for the user, with its cause logged
            logger.exception("workbook upload %s: check failed", upload.pk)
            return _recorded(
                upload,
                WorkbookImportState.FAILED,
                error=_("Pemeriksaan gagal (%(error)s). Unggah lagi.") % {"error": type(error).__name__},
            )
        finally:
            if archive is not None:
                archive.close()
        state = WorkbookImportState.READY if plan.ok else WorkbookImportState.REFUSED
        return _recorded(upload, state, problems=plan.problems, summary=plan.summary())


def _recorded(upload, state, *, problems=(), summary=None, error="") -> WorkbookImport:
    now = timezone.now()
    values: dict[str, Any] = {
        "state": state,
        "progress": 100,
        "error": error,
        "problems": _problems(problems),
    }
    if summary is not None:
        values["summary"] = summary
    if state in (WorkbookImportState.READY, WorkbookImportState.REFUSED):
        values["checked_at"] = now
    if state in (WorkbookImportState.DONE, WorkbookImportState.FAILED):
        values["finished_at"] = now
    if state == WorkbookImportState.DONE:
        values["expires_at"] = now + UPLOAD_KEPT
    WorkbookImport.objects.filter(pk=upload.pk).update(**values)
    upload.refresh_from_db()
    return upload


@transaction.atomic
def workbook_upload_confirm(*, upload: WorkbookImport, user: User) -> WorkbookImport:
    """The uploader confirms a clean preview: the import is enqueued after commit (a worker imports it,
    checking it again). Refused for an upload that is not waiting for it, or has expired."""
    upload = WorkbookImport.objects.select_for_update().select_related("cycle").get(pk=upload.pk)
    require(user, "reports.import_workbook", upload.cycle, error=PortalError)
    if upload.requested_by_id != user.pk:
        raise PortalError(_("Buku kerja ini diunggah orang lain."))
    retry = upload.state == WorkbookImportState.FAILED and upload.checked_at and not upload.problems
    if upload.state != WorkbookImportState.READY and not retry:
        raise PortalError(
            _("Buku kerja ini berstatus «%(state)s»: hanya pratinjau yang bersih yang dapat diimpor.")
            % {"state": upload.get_state_display()}
        )
    if upload.expires_at < timezone.now():
        raise PortalError(_("Pratinjau ini sudah kedaluwarsa. Unggah buku kerjanya lagi."))
    upload.state, upload.progress, upload.error = WorkbookImportState.IMPORTING, 0, ""
    upload.started_at = timezone.now()
    upload.save(update_fields=["state", "progress", "error", "started_at"])
    _run_after_commit(upload)
    return upload


def workbook_upload_run(*, upload_id) -> WorkbookImport | None:
    """Import a confirmed upload (a worker's task): all of it, or nothing with the problems found now (the
    cycle may have changed since its preview). Records the outcome and never raises at the user.
    Idempotent: an upload not waiting to be imported is left as it is."""
    upload = (
        WorkbookImport.objects.select_related("cycle__catalogue", "cycle__region", "requested_by__opd")
        .filter(pk=upload_id)
        .first()
    )
    if upload is None or upload.state != WorkbookImportState.IMPORTING:
        return upload
    with translation.override(upload.language):
        archive = None
        try:
            require(upload.requested_by, "reports.import_workbook", upload.cycle, error=PortalError)
            rows, archive = _opened(upload)
            WorkbookImport.objects.filter(pk=upload.pk).update(progress=20)
            plan = workbook_import(cycle=upload.cycle, actor=_actor(upload), rows=rows, archive=archive)
        except WorkbookRefused as refused:
            return _recorded(
                upload,
                WorkbookImportState.REFUSED,
                problems=refused.plan.problems,
                summary=refused.plan.summary(),
            )
        except ValidationError as error:
            return _recorded(
                upload, WorkbookImportState.REFUSED, problems=[Problem("", None, "", error.messages[0])]
            )
        except PortalError as error:
            return _recorded(upload, WorkbookImportState.FAILED, error=error.message)
        except SoftTimeLimitExceeded:
            return _recorded(
                upload, WorkbookImportState.FAILED, error=_("Waktu impor habis; tidak ada yang diimpor.")
            )
        except Exception as error:  # recorded for the user, with its cause logged
            logger.exception("workbook upload %s: import failed", upload.pk)
            return _recorded(
                upload,
                WorkbookImportState.FAILED,
                error=_("Impor gagal (%(error)s); tidak ada yang diimpor. Coba lagi.")
                % {"error": type(error).__name__},
            )
        finally:
            if archive is not None:
                archive.close()
        return _recorded(upload, WorkbookImportState.DONE, summary=plan.summary())


def workbook_uploads_fail_stalled(now=None) -> int:
    """Record as failed the checks and imports that stopped without a word (their worker killed, their task
    lost): nothing was imported, and the uploader may try again. Returns how many."""
    now = now or timezone.now()
    running_at_most = datetime.timedelta(seconds=TIME_LIMIT_SECONDS + 60)
    stalled = WorkbookImport.objects.filter(
        Q(state=WorkbookImportState.CHECKING, created_at__lt=now - WAITING_AT_MOST)
        | Q(state=WorkbookImportState.IMPORTING, started_at__lt=now - running_at_most)
    )
    return stalled.update(
        state=WorkbookImportState.FAILED,
        error=_("Pemeriksaan atau impor terhenti sebelum selesai; tidak ada yang diimpor. Coba lagi."),
        finished_at=now,
    )


def workbook_uploads_expire(now=None) -> int:
    """Remove the kept files (and rows) of uploads past their expiry that no worker is busy with."""
    expired = WorkbookImport.objects.filter(expires_at__lt=now or timezone.now()).exclude(
        state__in=(WorkbookImportState.CHECKING, WorkbookImportState.IMPORTING)
    )
    count = 0
    for upload in expired:
        for stored in (upload.workbook, upload.evidence):
            if stored:
                stored.delete(save=False)
        upload.delete()
        count += 1
    return count
