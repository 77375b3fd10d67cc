"""Reads of the standards app: the region's cycles, their stages as people read them, the deadline an OPD
is held to (the one place that decides it: services, predicates and pages all ask ``deadline_window``),
the history shown on a cycle's page, and a catalogue's guide."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from innovasi.accounts.models import Opd
from innovasi.history import HistoryEntry, field_changes, paired

from .enums import CycleState, DeadlineKind
from .models import SCHEDULE_FIELDS, Catalogue, Cycle, DeadlineExtension, Option

CURRENT_CYCLE_PRIORITY: dict[str, int] = {
    CycleState.OPEN: 0,
    CycleState.VERIFICATION: 1,
    CycleState.REVISION: 2,
}


def cycle_current(*, region_id):
    """The cycle a region works in now: one in pengisian first, then in verifikasi, then in perbaikan,
    then the newest.

    A region has one cycle a year, so they are all read (a plain query, cheap to build on every page)
    and the choice is made here.
    """
    if region_id is None:
        return None
    cycles = Cycle.objects.filter(region_id=region_id).select_related("catalogue", "region")
    return min(
        cycles,
        key=lambda cycle: (
            CURRENT_CYCLE_PRIORITY.get(cycle.state, 3),
            -cycle.catalogue.year,
            -cycle.opens_on.toordinal(),
        ),
        default=None,
    )


def cycles_of(*, region_id):
    """The region's cycles, newest assessment year first, with their catalogue (1 query)."""
    return list(
        Cycle.objects.filter(region_id=region_id).select_related("catalogue").order_by("-catalogue__year")
    )


def cycle_get(*, region_id, pk, queryset=None) -> Cycle:
    """One cycle of the region, with its catalogue and region, or 404: another region's cycle is not told
    apart from a missing one. ``queryset``: the cycles to look in, loaded with what the caller needs
    instead (the API's index: only the cycle's score state)."""
    cycles = queryset if queryset is not None else Cycle.objects.select_related("catalogue", "region")
    # Unordered: one row at most, and the model's ordering (region, catalogue year) would join for nothing.
    cycle = cycles.filter(pk=pk, region_id=region_id).order_by().first()
    if cycle is None:
        raise Http404(_("Siklus tidak ditemukan."))
    return cycle


def catalogues_without_cycle(*, region_id):
    """The catalogues the region has no cycle on yet (a region has one cycle per catalogue)."""
    return Catalogue.objects.exclude(cycles__region_id=region_id).order_by("-year", "code")


def extensions_of(cycle):
    """The cycle's extensions with their OPD and who granted them, by OPD."""
    return list(cycle.extensions.select_related("opd", "granted_by").order_by("opd__name", "kind"))


def extension_get(*, cycle, pk) -> DeadlineExtension:
    extension = cycle.extensions.select_related("opd", "cycle").filter(pk=pk).first()
    if extension is None:
        raise Http404(_("Perpanjangan tidak ditemukan."))
    return extension


def opds_of(cycle):
    """The OPDs an extension may be granted to: the cycle's region's active ones."""
    return Opd.objects.filter(region_id=cycle.region_id, is_active=True).order_by("name")


def day(value: datetime.date) -> str:
    """A date as the portal's pages write it, in the page's language ("31 Agustus 2026")."""
    return date_format(value, "j F Y")


@dataclass(frozen=True)
class Window:
    """Whether an OPD may still submit (``kind`` filing: a draft; revision: a returned innovation) in a
    cycle, until when (``closes_on``: the cycle's deadline, or the OPD's later ``extension``, None when it
    has none that gives it more time), and if not, why (``refusal``, in the page's language; empty while
    open)."""

    kind: str
    closes_on: datetime.date
    extension: DeadlineExtension | None
    refusal: str
    # The refusal in a few words, for a disabled button ("batas pengisian sudah lewat").
    short: str = ""

    @property
    def is_open(self) -> bool:
        return not self.refusal


def _extension(cycle, opd_id, kind):
    if opd_id is None:
        return None
    return DeadlineExtension.objects.filter(cycle=cycle, opd_id=opd_id, kind=kind).first()


def deadline_window(*, cycle, opd_id, kind, today=None, extension=False) -> Window:
    """The window of ``kind`` (a DeadlineKind) that the OPD ``opd_id`` is held to in ``cycle`` today.

    A cycle in persiapan or final takes nothing. A draft is submitted while the cycle is in pengisian,
    up to and including its filing deadline. A returned innovation is resubmitted up to and including the
    revision deadline, whatever the running stage. An OPD's extension moves its deadline later (never
    earlier) and, for filing, holds past the end of the pengisian stage: the OPD that was given more time
    files while the others are verified. 1 query for the extension unless ``extension`` (the OPD's
    extension of that kind, or None) is given.
    """
    today = today or timezone.localdate()
    if extension is False:
        extension = _extension(cycle, opd_id, kind)
    closes_on = cycle.deadline(kind)
    if extension is not None and extension.closes_on > closes_on:
        closes_on = extension.closes_on
    facts = {"cycle": cycle.name, "date": day(closes_on), "stage": cycle.get_state_display()}
    extended = extension is not None and closes_on == extension.closes_on
    ask = _("Bila OPD Anda memerlukan waktu, minta perpanjangan kepada admin Bappeda.")
    refusal = short = ""
    if cycle.state == CycleState.DRAFT:
        refusal = _("%(cycle)s masih dalam tahap Persiapan: pengisian belum dibuka.") % facts
        short = _("pengisian belum dibuka")
    elif cycle.state == CycleState.FINAL:
        refusal = _("%(cycle)s sudah final: tidak ada lagi yang dapat diajukan.") % facts
        short = _("siklus sudah final")
    elif kind == DeadlineKind.FILING:
        if today > closes_on and extended:
            short = _("perpanjangan batas pengisian sudah lewat")
            refusal = (
                _(
                    "Perpanjangan batas pengisian untuk OPD Anda sampai %(date)s sudah lewat: inovasi tidak dapat diajukan lagi."
                )
                % facts
            )
        elif today > closes_on:
            short = _("batas pengisian sudah lewat")
            refusal = (
                _(
                    "Batas pengisian %(cycle)s adalah %(date)s dan sudah lewat: inovasi tidak dapat diajukan lagi."
                )
                % facts
                + " "
                + ask
            )
        elif cycle.state != CycleState.OPEN and not extended:
            short = _("tahap pengisian sudah berakhir")
            refusal = (
                _(
                    "Tahap pengisian %(cycle)s sudah berakhir (kini tahap %(stage)s): inovasi tidak dapat diajukan lagi."
                )
                % facts
                + " "
                + ask
            )
    elif today > closes_on and extended:
        short = _("perpanjangan batas perbaikan sudah lewat")
        refusal = (
            _(
                "Perpanjangan batas perbaikan untuk OPD Anda sampai %(date)s sudah lewat: inovasi yang dikembalikan tidak dapat diajukan kembali."
            )
            % facts
        )
    elif today > closes_on:
        short = _("batas perbaikan sudah lewat")
        refusal = (
            _(
                "Batas perbaikan %(cycle)s adalah %(date)s dan sudah lewat: inovasi yang dikembalikan tidak dapat diajukan kembali."
            )
            % facts
            + " "
            + ask
        )
    return Window(
        kind=kind,
        closes_on=closes_on,
        extension=extension if extended else None,
        refusal=refusal,
        short=short,
    )


@dataclass(frozen=True)
class Stage:
    """One stage of a cycle as the homes show it: its dates and where today is."""

    state: str
    label: str
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    is_current: bool
    is_done: bool


@dataclass(frozen=True)
class CycleStages:
    """A cycle's stages, the one it is in, the days left of it, and for an OPD its own two windows."""

    cycle: Cycle
    stages: tuple[Stage, ...]
    current: str
    current_label: str
    ends_on: datetime.date | None
    days_left: int | None
    filing: Window | None = None
    revision: Window | None = None


def _stage_dates(cycle) -> dict[str, tuple[datetime.date, datetime.date | None]]:
    """(first day, last day or None) of each stage but persiapan."""
    one_day = datetime.timedelta(days=1)
    return {
        CycleState.OPEN: (cycle.opens_on, cycle.filing_closes_on),
        CycleState.VERIFICATION: (cycle.filing_closes_on + one_day, cycle.verification_closes_on),
        CycleState.REVISION: (cycle.verification_closes_on + one_day, cycle.revision_closes_on),
        CycleState.FINAL: (cycle.final_on, None),
    }


def stage_end(*, cycle, today=None) -> tuple[datetime.date | None, int | None]:
    """(the day the cycle's current stage ends, the days left to it) — to the opening while in persiapan,
    (None, None) once final: what ``cycle_stages`` says of it, without the stages' labels (the ranking asks
    it of hundreds of cycles)."""
    today = today or timezone.localdate()
    ends_on = (
        cycle.opens_on if cycle.state == CycleState.DRAFT else _stage_dates(cycle)[CycleState(cycle.state)][1]
    )
    return ends_on, (ends_on - today).days if ends_on else None


def cycle_stages(*, cycle, opd_id=None, today=None) -> CycleStages:
    """What every role's home shows of the cycle: the four stages with their dates, the current one and
    the days left to its end (to the opening while in persiapan, ``stage_end``); with ``opd_id``, the OPD's
    filing and revision windows (1 query for its extensions)."""
    today = today or timezone.localdate()
    dates = _stage_dates(cycle)
    order = list(CycleState)
    position = order.index(CycleState(cycle.state))
    stages = tuple(
        Stage(
            state=state.value,
            label=str(state.label),
            starts_on=dates[state][0],
            ends_on=dates[state][1],
            is_current=state == cycle.state,
            is_done=order.index(state) < position,
        )
        for state in order
        if state != CycleState.DRAFT
    )
    ends_on, days_left = stage_end(cycle=cycle, today=today)
    windows = {}
    if opd_id is not None:
        extensions = {
            item.kind: item for item in DeadlineExtension.objects.filter(cycle=cycle, opd_id=opd_id)
        }
        windows = {
            kind: deadline_window(
                cycle=cycle, opd_id=opd_id, kind=kind, today=today, extension=extensions.get(kind)
            )
            for kind in DeadlineKind
        }
    return CycleStages(
        cycle=cycle,
        stages=stages,
        current=cycle.state,
        current_label=cycle.get_state_display(),
        ends_on=ends_on,
        days_left=days_left,
        filing=windows.get(DeadlineKind.FILING),
        revision=windows.get(DeadlineKind.REVISION),
    )


CYCLE_HISTORY_FIELDS = ("name", *SCHEDULE_FIELDS, "state")


def cycle_history(cycle, limit=200):
    """What was changed on a cycle's page, newest first: the cycle's name, dates and stage with their old
    and new values and the reason given, and each extension granted, changed or withdrawn (2 queries, and
    1 for the OPDs' names)."""
    cycle_fields = [Cycle._meta.get_field(name) for name in CYCLE_HISTORY_FIELDS]
    # A move of stage says it in its reason ("Tahap: Pengisian → Verifikasi"): not listed again beneath it.
    reasoned_fields = [field for field in cycle_fields if field.name != "state"]

    def describe_cycle(record, previous):
        reason = record.history_change_reason or ""
        if previous is None:
            return HistoryEntry(record.history_date, record.history_user, reason or _("Siklus dibuat"))
        changes = field_changes(record, previous, reasoned_fields if reason else cycle_fields)
        if not reason and not changes:
            return None
        return HistoryEntry(record.history_date, record.history_user, reason or _("Siklus diubah"), changes)

    entries = paired(
        cycle.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit],
        describe_cycle,
    )
    extension_fields = [DeadlineExtension._meta.get_field(name) for name in ("closes_on", "reason")]
    records = list(
        DeadlineExtension.history.filter(cycle_id=cycle.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    opds = dict(Opd.objects.filter(pk__in={record.opd_id for record in records}).values_list("pk", "name"))

    def describe(record, previous):
        facts = {"kind": record.get_kind_display().lower(), "opd": opds.get(record.opd_id, "—")}
        if record.history_type == "-":
            what = _("Perpanjangan %(kind)s %(opd)s dicabut") % facts
            return HistoryEntry(record.history_date, record.history_user, what)
        if previous is None:
            what = _("Perpanjangan %(kind)s %(opd)s diberikan") % facts
            return HistoryEntry(
                record.history_date,
                record.history_user,
                what,
                field_changes(record, None, extension_fields),
            )
        changes = field_changes(record, previous, extension_fields)
        if not changes:
            return None
        what = _("Perpanjangan %(kind)s %(opd)s diubah") % facts
        return HistoryEntry(record.history_date, record.history_user, what, changes)

    entries += paired(records, describe)
    return sorted(entries, key=lambda entry: entry.when, reverse=True)[:limit]


def transition_effects(*, cycle, to_state, today=None) -> list[str]:
    """What moving ``cycle`` to ``to_state`` changes for the OPDs and Bappeda, in plain words, for the
    confirmation page (what the deadlines then allow is ``deadline_window``'s)."""
    today = today or timezone.localdate()
    facts = {
        "filing": day(cycle.filing_closes_on),
        "verification": day(cycle.verification_closes_on),
        "revision": day(cycle.revision_closes_on),
        "final": day(cycle.final_on),
    }
    effects = []
    if to_state == CycleState.DRAFT:
        effects.append(_("Pengisian ditutup untuk semua OPD sampai siklus dibuka kembali."))
    elif to_state == CycleState.OPEN:
        effects.append(
            _("OPD dapat membuat dan mengajukan inovasi sampai batas pengisian, %(filing)s.") % facts
        )
        if today > cycle.filing_closes_on:
            effects.append(
                _(
                    "Batas pengisian %(filing)s sudah lewat: ubah jadwal terlebih dahulu, atau tidak ada OPD yang dapat mengajukan."
                )
                % facts
            )
    elif to_state == CycleState.VERIFICATION:
        effects.append(
            _(
                "Pengisian ditutup: OPD tidak dapat lagi membuat atau mengajukan inovasi baru, kecuali OPD yang diberi perpanjangan."
            )
        )
        if today <= cycle.filing_closes_on:
            effects.append(
                _("Batas pengisian %(filing)s belum lewat: pengisian ditutup lebih awal dari jadwal.") % facts
            )
        effects.append(_("Verifikator memeriksa inovasi yang diajukan sampai %(verification)s.") % facts)
    elif to_state == CycleState.REVISION:
        effects.append(
            _("OPD memperbaiki inovasi yang dikembalikan dan mengajukannya kembali sampai %(revision)s.")
            % facts
        )
    elif to_state == CycleState.FINAL:
        effects.append(
            _(
                "Siklus dikunci: tidak ada inovasi yang dapat diubah, diajukan, dikembalikan atau diverifikasi lagi; angka indeks tidak dihitung ulang."
            )
        )
    if to_state in CycleState.values and to_state != CycleState.FINAL and cycle.state == CycleState.FINAL:
        effects.append(_("Siklus dibuka kembali dari tahap Final: inovasinya dapat diubah lagi."))
    if to_state in (CycleState.OPEN, CycleState.VERIFICATION):
        effects.append(
            _("Inovasi yang dikembalikan dapat diajukan kembali sampai batas perbaikan, %(revision)s.")
            % facts
        )
    return effects


def catalogue_guide(code):
    """A catalogue with its indicators in order, each with its options (2 queries); Http404 when unknown."""
    catalogue = Catalogue.objects.filter(code=code).first()
    if catalogue is None:
        raise Http404(_("Katalog tidak ditemukan."))
    indicators = catalogue.indicators.order_by("position").prefetch_related(
        Prefetch("options", queryset=Option.objects.order_by("basis", "level"))
    )
    return catalogue, list(indicators)
