"""The region's own (SPD) rows: the admin fills them, someone else accepts them (four eyes)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from innovasi.accounts.permissions import require
from innovasi.errors import PortalError
from innovasi.standards.enums import EvidenceKind, IndicatorGroup
from innovasi.uploads import upload_check
from submissions.services import announce_scores

from ..models import SpdEntry, SpdEvidence

SPD_EVIDENCE_KINDS = [EvidenceKind.PDF, EvidenceKind.JPG, EvidenceKind.PNG]


def spd_entries_ensure(cycle):
    """One entry per SPD indicator of the cycle's catalogue, created empty when missing: when a cycle is
    created and when its catalogue changes (``scoring.receivers``), never when a page is read."""
    present = set(SpdEntry.objects.filter(cycle=cycle).values_list("indicator_id", flat=True))
    missing = cycle.catalogue.indicators.filter(group=IndicatorGroup.SPD).exclude(pk__in=present)
    SpdEntry.objects.bulk_create(SpdEntry(cycle=cycle, indicator=indicator) for indicator in missing)


def _locked(entry):
    return (
        SpdEntry.objects.select_for_update(of=("self",)).select_related("cycle", "indicator").get(pk=entry.pk)
    )


def _withdraw_acceptance(entry, user, fields):
    """A changed row must be accepted again: its author is now ``user``."""
    entry.entered_by, entry.accepted_by, entry.accepted_at = user, None, None
    entry.version += 1
    entry._history_user = user
    entry.save(update_fields=[*fields, "entered_by", "accepted_by", "accepted_at", "version", "updated_at"])
    announce_scores(entry)


@transaction.atomic
def spd_entry_save(*, entry, user, level, note, version) -> SpdEntry:
    """Save an SPD row's level and note (refused if someone saved since ``version``)."""
    entry = _locked(entry)
    require(user, "scoring.change_spd", entry, error=PortalError)
    if version is not None and int(version) != entry.version:
        raise PortalError(
            _("Baris %(code)s baru saja disimpan oleh orang lain; muat ulang halaman lalu ulangi.")
            % {"code": entry.indicator.code}
        )
    if not 0 <= level <= 3:
        raise PortalError(_("Tingkat harus 0 sampai 3."))
    entry.level, entry.note = level, note.strip()
    _withdraw_acceptance(entry, user, ["level", "note"])
    return entry


@transaction.atomic
def spd_evidence_add(*, entry, user, uploaded) -> SpdEvidence:
    entry = _locked(entry)
    require(user, "scoring.change_spd", entry, error=PortalError)
    kind, name = upload_check(uploaded, SPD_EVIDENCE_KINDS)
    evidence = SpdEvidence(entry=entry, kind=kind, original_name=name, size=uploaded.size, uploaded_by=user)
    evidence.file.save(name, uploaded, save=False)
    evidence._history_user = user  # type: ignore[attr-defined]  # simple-history reads it at save; it ships no types
    evidence.save()
    _withdraw_acceptance(entry, user, [])
    return evidence


@transaction.atomic
def spd_evidence_remove(*, evidence, user) -> None:
    entry = _locked(evidence.entry)
    require(user, "scoring.change_spd", entry, error=PortalError)
    evidence._history_user = user
    evidence.delete()
    _withdraw_acceptance(entry, user, [])


@transaction.atomic
def spd_accept(*, entry, user) -> SpdEntry:
    """Accept an SPD row for the verified index: a verifikator, or an admin other than its author."""
    entry = _locked(entry)
    require(user, "scoring.accept_spd", entry, error=PortalError)
    if not entry.level or not entry.evidence.exists():
        raise PortalError(_("Baris tanpa tingkat atau bukti tidak dapat diterima."))
    entry.accepted_by, entry.accepted_at = user, timezone.now()
    entry._history_user = user
    entry.save(update_fields=["accepted_by", "accepted_at", "updated_at"])
    announce_scores(entry)
    return entry
