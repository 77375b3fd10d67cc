"""Writes of a region's cycles: creating one on a catalogue, changing its dates, moving it from stage to
stage (``cycle_transition``, the one place a stage changes), and extending one OPD's deadline.

Each service runs in one transaction, asks the caller's rule again (it may be called from elsewhere than
its page), refuses a form opened on an older version of the cycle, and records the change in the history
with the acting user, so that the cycle's page lists who changed what, when, from which value to which.
"""

import itertools

from django.db import transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from innovasi.accounts.permissions import require
from innovasi.errors import PortalError

from ..enums import CYCLE_STAGES, CycleState, DeadlineKind
from ..models import SCHEDULE_FIELDS, Cycle, DeadlineExtension
from ..selectors import day


class VersionConflict(PortalError):
    """Someone changed the cycle since the caller's form was opened."""


def schedule_problems(schedule) -> dict[str, str]:
    """What is wrong with a cycle's dates (``schedule``: field name -> date, every one of
    ``SCHEDULE_FIELDS``), by the field the message belongs to; empty when each date follows the one
    before it. The forms show the same messages beside their fields."""
    problems = {}
    labels = {
        field.name: str(field.verbose_name) for field in Cycle._meta.fields if field.name in SCHEDULE_FIELDS
    }
    for earlier, later in itertools.pairwise(SCHEDULE_FIELDS):
        if schedule.get(earlier) is None or schedule.get(later) is None:
            continue
        facts = {"later": capfirst(labels[later]), "earlier": labels[earlier]}
        if earlier == "opens_on" and schedule[later] < schedule[earlier]:
            problems[later] = _("%(later)s tidak boleh sebelum %(earlier)s.") % facts
        elif earlier != "opens_on" and schedule[later] <= schedule[earlier]:
            problems[later] = _("%(later)s harus setelah %(earlier)s.") % facts
    return problems


def _require_schedule(schedule):
    problems = schedule_problems(schedule)
    if problems:
        raise PortalError(_("Tanggal tahap belum berurutan:"), problems.values())


def _require_version(cycle, version):
    if version is not None and int(version) != cycle.version:
        raise VersionConflict(
            _(
                "Siklus ini baru saja diubah oleh orang lain. Perubahan Anda belum disimpan: muat ulang "
                "halaman untuk melihat versi terbaru, lalu ulangi perubahan Anda."
            )
        )


def _locked(cycle):
    return Cycle.objects.select_for_update(of=("self",)).select_related("catalogue").get(pk=cycle.pk)


def _save(instance, fields, *, user, reason=""):
    instance._history_user = user
    if reason:
        instance._change_reason = reason
    instance.save(update_fields=fields)


@transaction.atomic
def cycle_create(*, region, catalogue, name, schedule, user) -> Cycle:
    """A new cycle of ``region`` on ``catalogue`` in the persiapan stage, with its dates in order. A region
    has one cycle per catalogue. (Its SPD rows are made by the scoring app on the cycle's creation.)"""
    require(user, "standards.add_cycle", region, error=PortalError)
    if Cycle.objects.filter(region=region, catalogue=catalogue).exists():
        raise PortalError(
            _("%(region)s sudah memiliki siklus pada katalog %(catalogue)s.")
            % {"region": region.name, "catalogue": catalogue.name}
        )
    _require_schedule(schedule)
    cycle = Cycle(region=region, catalogue=catalogue, name=name.strip(), state=CycleState.DRAFT, **schedule)
    cycle._history_user = user  # type: ignore[attr-defined]  # simple-history reads it at save; it ships no types
    cycle.save()
    return cycle


@transaction.atomic
def cycle_update(*, cycle, user, name, schedule, version, reason="") -> Cycle:
    """Change a cycle's name and dates if ``version`` is still the newest. A final cycle keeps its dates:
    they are what its results were made under."""
    cycle = _locked(cycle)
    require(user, "standards.change_cycle", cycle, error=PortalError)
    _require_version(cycle, version)
    if cycle.state == CycleState.FINAL:
        raise PortalError(_("%(cycle)s sudah final: jadwalnya tidak diubah lagi.") % {"cycle": cycle.name})
    _require_schedule(schedule)
    cycle.name = name.strip()
    for field, value in schedule.items():
        setattr(cycle, field, value)
    cycle.version += 1  # safe: the row is locked until commit
    _save(cycle, ["name", *schedule, "version"], user=user, reason=reason.strip())
    return cycle


def transition_refusal(cycle, to_state, note="") -> str:
    """Why ``cycle`` may not move to ``to_state`` (with ``note`` as its reason), or "" when it may.

    A cycle moves one stage at a time: to the next, or back to the one before with a reason. Only one
    cycle of a region is in pengisian at a time, so that the OPDs know which one they file into."""
    order = list(CYCLE_STAGES)
    if to_state not in CycleState.values:
        return _("Pilih tahap tujuan.")
    current, target = order.index(CycleState(cycle.state)), order.index(CycleState(to_state))
    facts = {"cycle": cycle.name, "stage": cycle.get_state_display(), "target": CycleState(to_state).label}
    if target == current:
        return _("%(cycle)s sudah pada tahap %(stage)s.") % facts
    if abs(target - current) != 1:
        return (
            _(
                "%(cycle)s pada tahap %(stage)s hanya dapat dipindahkan ke tahap sesudahnya atau sebelumnya, tidak ke %(target)s."
            )
            % facts
        )
    if target < current and not note.strip():
        return _("Tuliskan alasan memundurkan siklus ke tahap %(target)s.") % facts
    if to_state == CycleState.OPEN:
        other = Cycle.objects.filter(region_id=cycle.region_id, state=CycleState.OPEN).exclude(pk=cycle.pk)
        if other.exists():
            return _(
                "%(other)s masih pada tahap Pengisian: pindahkan dahulu ke tahap berikutnya, supaya OPD tahu ke siklus mana mereka mengajukan."
            ) % {"other": other.first()}
    return ""


def transition_goes_back(cycle, to_state) -> bool:
    """Whether moving ``cycle`` to ``to_state`` takes it back to an earlier stage (which needs a reason)."""
    order = list(CYCLE_STAGES)
    return to_state in CycleState.values and order.index(CycleState(to_state)) < order.index(
        CycleState(cycle.state)
    )


def transition_targets(cycle):
    """The stages ``cycle`` may be moved to from where it is: the next one first, then the one before."""
    order = list(CYCLE_STAGES)
    position = order.index(CycleState(cycle.state))
    return [order[i] for i in (position + 1, position - 1) if 0 <= i < len(order)]


@transaction.atomic
def cycle_transition(*, cycle, user, to_state, note="", version=None) -> Cycle:
    """Move a cycle to another stage: the one place a stage changes. Checks the move
    (``transition_refusal``) and records it in the history with its reason."""
    cycle = _locked(cycle)
    require(user, "standards.change_cycle", cycle, error=PortalError)
    _require_version(cycle, version)
    refusal = transition_refusal(cycle, to_state, note)
    if refusal:
        raise PortalError(refusal)
    old = CycleState(cycle.state)
    cycle.state = to_state
    cycle.version += 1  # safe: the row is locked until commit
    reason = _("Tahap: %(old)s → %(new)s") % {"old": old.label, "new": CycleState(to_state).label}
    _save(
        cycle, ["state", "version"], user=user, reason=f"{reason}. {note.strip()}" if note.strip() else reason
    )
    return cycle


def extension_problems(*, cycle, kind, closes_on) -> str:
    """Why an extension of ``kind`` to ``closes_on`` does not fit ``cycle``, or "": it must give more time
    than the cycle's deadline and leave time after it (filing: up to the verification deadline; revision:
    before the final date)."""
    facts = {"kind": DeadlineKind(kind).label.lower(), "date": day(cycle.deadline(kind))}
    if closes_on <= cycle.deadline(kind):
        return _("Perpanjangan harus setelah %(kind)s siklus, %(date)s.") % facts
    if kind == DeadlineKind.FILING and closes_on > cycle.verification_closes_on:
        return _("Perpanjangan batas pengisian paling lambat batas verifikasi, %(date)s.") % {
            "date": day(cycle.verification_closes_on)
        }
    if kind == DeadlineKind.REVISION and closes_on >= cycle.final_on:
        return _("Perpanjangan batas perbaikan harus sebelum tanggal final, %(date)s.") % {
            "date": day(cycle.final_on)
        }
    return ""


@transaction.atomic
def extension_save(*, cycle, opd, kind, closes_on, reason, user) -> DeadlineExtension:
    """Give one OPD of the cycle's region a later deadline of ``kind``, with its reason, or change the one
    it has (one per OPD and kind). The OPD's operators file or resubmit until then (``deadline_window``)."""
    cycle = _locked(cycle)
    require(user, "standards.change_cycle", cycle, error=PortalError)
    if cycle.state == CycleState.FINAL:
        raise PortalError(
            _("%(cycle)s sudah final: batas waktunya tidak diperpanjang lagi.") % {"cycle": cycle.name}
        )
    if opd.region_id != cycle.region_id:
        raise PortalError(_("OPD ini bukan OPD wilayah siklus ini."))
    if not reason.strip():
        raise PortalError(_("Tuliskan alasan perpanjangan."))
    problem = extension_problems(cycle=cycle, kind=kind, closes_on=closes_on)
    if problem:
        raise PortalError(problem)
    extension = DeadlineExtension.objects.select_for_update().filter(
        cycle=cycle, opd=opd, kind=kind
    ).first() or DeadlineExtension(cycle=cycle, opd=opd, kind=kind)
    extension.closes_on, extension.reason, extension.granted_by = closes_on, reason.strip(), user
    extension._history_user = user  # type: ignore[attr-defined]  # simple-history reads it at save; it ships no types
    extension.save()
    return extension


@transaction.atomic
def extension_remove(*, extension, user) -> None:
    """Withdraw an OPD's extension: the cycle's own deadline holds for it again. Kept in the history."""
    cycle = _locked(extension.cycle)
    require(user, "standards.change_cycle", cycle, error=PortalError)
    if cycle.state == CycleState.FINAL:
        raise PortalError(
            _("%(cycle)s sudah final: perpanjangannya tidak diubah lagi.") % {"cycle": cycle.name}
        )
    extension._history_user = user
    extension.delete()
