"""Reads of the submissions app; every query that lists or fetches innovations goes through here."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from innovasi.accounts.models import User
from innovasi.accounts.permissions import is_kepala_opd, is_operator, is_reader
from innovasi.accounts.selectors import opd_has_head
from innovasi.history import HistoryEntry, field_changes, paired
from innovasi.standards.enums import DeadlineKind
from innovasi.standards.models import Option, Urusan
from innovasi.standards.selectors import cycle_current, deadline_window

from .enums import OPD_ONLY_STATES, DocumentKind, InnovationState
from .models import PROFILE_FIELDS, Claim, ClaimComment, Document, Evidence, Innovation

PROFILE_HISTORY_FIELDS = (*PROFILE_FIELDS, "state")

REQUIRED_PROFILE_FIELDS = (
    "tahapan",
    "inisiator",
    "inisiator_name",
    "jenis",
    "bentuk",
    "urusan_utama_id",
    "tujuan",
    "manfaat",
    "hasil",
    "waktu_uji_coba",
    "waktu_penerapan",
)


def visible(user, queryset=None):
    """The innovations ``user`` may read: the queryset form of ``submissions.view_innovation``, built from
    the same predicates (a test holds the two equal for every persona)."""
    queryset = (queryset if queryset is not None else Innovation.objects).select_related(
        "opd__region", "cycle__catalogue", "urusan_utama"
    )
    if is_operator(user) or is_kepala_opd(user):
        return queryset.filter(opd_id=user.opd_id)
    if is_reader(user):
        return queryset.filter(opd__region_id=user.region_id).exclude(state__in=OPD_ONLY_STATES)
    return queryset.none()


def scope_opd(user):
    """The OPD whose innovations are all that ``user`` sees (an operator's or its head's), or None."""
    return user.opd if is_operator(user) or is_kepala_opd(user) else None


def innovation_get(*, user, pk, queryset=None):
    """One innovation ``user`` may read, or 404: an outsider cannot tell it exists."""
    try:
        return visible(user, queryset).get(pk=pk)
    except Innovation.DoesNotExist:
        raise Http404(_("Inovasi tidak ditemukan.")) from None


LIST_PAGE_SIZE = 25


def innovation_list(*, user, cycle, state="", query="", opd_id=None, page=1):
    """One page of the innovations of a cycle ``user`` may read, newest change first, each with a
    ``mandatory_gaps``: the codes of its mandatory rows without a level or evidence (3 queries: the count,
    the page with its OPD, the page's gaps)."""
    queryset = visible(user).filter(cycle=cycle).select_related(None).select_related("opd")
    if state:
        queryset = queryset.filter(state=state)
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(opd__name__icontains=query))
    if opd_id:
        queryset = queryset.filter(opd_id=opd_id)
    columns = queryset.only("name", "state", "opd", "kematangan_claimed", "kematangan_verified", "updated_at")
    listing = Paginator(columns.order_by("-updated_at", "-pk"), LIST_PAGE_SIZE).get_page(page)
    innovations = list(listing.object_list)
    # A mandatory claim without a level, or without any evidence (the left join finds none).
    gaps: dict[int, list[str]] = {}
    for innovation_id, code in (
        Claim.objects.filter(innovation__in=innovations, indicator__mandatory=True)
        .filter(Q(level=0) | Q(evidence__isnull=True))
        .values_list("innovation_id", "indicator__code")
        .distinct()
        .order_by("indicator__position")
    ):
        gaps.setdefault(innovation_id, []).append(code)
    for innovation in innovations:
        innovation.mandatory_gaps = gaps.get(innovation.pk, [])
    listing.object_list = innovations
    return listing


def innovation_state_counts(*, user, cycle):
    """(state, count) of the cycle's innovations ``user`` may read, in the workflow's order. "Menunggu
    pengesahan kepala OPD" only where it can occur for the reader: their OPD's, while their region asks
    for the head's endorsement or one still waits (Bappeda never sees one)."""
    rows = visible(user).filter(cycle=cycle).values("state").annotate(n=Count("pk"))
    counts = {row["state"]: row["n"] for row in rows}
    awaiting = InnovationState.MENUNGGU_PENGESAHAN
    shown = [
        state
        for state in InnovationState
        if state != awaiting
        or counts.get(state.value)
        or (scope_opd(user) is not None and user.region.opd_endorsement)
    ]
    return [(state, counts.get(state.value, 0)) for state in shown]


def _rows(claims):
    return claims.select_related("indicator").prefetch_related(
        Prefetch("indicator__options", queryset=Option.objects.order_by("basis", "level")),
        Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk")),
    )


# Each row's thread with its authors: the verifier's notes at the returns and the OPD's answers.
THREADS = Prefetch("comments", queryset=ClaimComment.objects.select_related("author"))


def innovation_rows(innovation):
    """The claims of an innovation in catalogue order, with indicator, options, evidence and thread
    loaded."""
    return list(_rows(innovation.claims.order_by("indicator__position")).prefetch_related(THREADS))


def innovation_row(innovation, pk):
    """One claim of an innovation as ``innovation_rows`` loads it (the row a write answers with)."""
    try:
        return _rows(innovation.claims.filter(pk=pk)).get()
    except Claim.DoesNotExist:
        raise Http404(_("Indikator tidak ditemukan.")) from None


def row_thread(innovation, pk):
    """One claim of an innovation with its indicator and its thread (what an answer is answered with)."""
    try:
        return innovation.claims.select_related("indicator").prefetch_related(THREADS).get(pk=pk)
    except Claim.DoesNotExist:
        raise Http404(_("Indikator tidak ditemukan.")) from None


def rows_to_fix(innovation):
    """The rows the verifier noted at the last return, in catalogue order."""
    return list(innovation.claims.filter(needs_fix=True).select_related("indicator"))


def claim_get(*, innovation, pk):
    try:
        return innovation.claims.select_related("indicator", "innovation__opd").get(pk=pk)
    except Claim.DoesNotExist:
        raise Http404(_("Indikator tidak ditemukan.")) from None


def evidence_get(*, innovation, pk):
    try:
        return Evidence.objects.select_related("claim__indicator", "claim__innovation").get(
            pk=pk, claim__innovation=innovation
        )
    except Evidence.DoesNotExist:
        raise Http404(_("Bukti tidak ditemukan.")) from None


def document_get(*, innovation, kind):
    try:
        return innovation.documents.get(kind=kind)
    except Document.DoesNotExist:
        raise Http404(_("Dokumen tidak ditemukan.")) from None


def innovation_documents(innovation):
    """(kind, label, document or None) for every kind of supporting document, in the form's order."""
    present = {document.kind: document for document in innovation.documents.all()}
    return [(kind, label, present.get(kind)) for kind, label in DocumentKind.choices]


def endorsement_required(innovation) -> bool:
    """Whether what the operator submits goes to the OPD's head first (the region's setting, read through
    the innovation's OPD, which ``visible`` and the services' row lock load with its region)."""
    return innovation.opd.region.opd_endorsement


def submission_target(innovation) -> InnovationState:
    """Where the operator's Ajukan takes ``innovation``: to the OPD's head, or straight to Bappeda."""
    if endorsement_required(innovation):
        return InnovationState.MENUNGGU_PENGESAHAN
    return InnovationState.DIAJUKAN


def endorsement_return_state(innovation) -> InnovationState:
    """Where the head's sending back takes an innovation waiting for them: to the state the operator
    submitted it from, a draft or one returned by its verifier (which has been at Bappeda before)."""
    return InnovationState.REVISI if innovation.has_reached_bappeda else InnovationState.DRAFT


@dataclass(frozen=True)
class WaitingEndorsement:
    """A submission waiting for its OPD head: since when, and whose Ajukan it was."""

    innovation: Innovation
    since: datetime.datetime | None
    submitted_by: User | None


def endorsements_waiting(*, user) -> list[WaitingEndorsement]:
    """What waits for the head ``user``: their OPD's innovations waiting for endorsement, the longest
    waiting first, each with when and by whom it was submitted, read from the history record of that
    Ajukan (2 queries, whatever their number)."""
    records = Innovation.history.filter(
        id=OuterRef("pk"), state=InnovationState.MENUNGGU_PENGESAHAN
    ).order_by("-history_date", "-history_id")
    rows = list(
        Innovation.objects.filter(opd_id=user.opd_id, state=InnovationState.MENUNGGU_PENGESAHAN)
        .select_related("cycle")
        .annotate(
            waiting_since=Subquery(records.values("history_date")[:1]),
            submitted_by_id=Subquery(records.values("history_user_id")[:1]),
        )
        .order_by("waiting_since", "pk")
    )
    people = User.objects.in_bulk({row.submitted_by_id for row in rows} - {None})
    return [
        WaitingEndorsement(
            innovation=row, since=row.waiting_since, submitted_by=people.get(row.submitted_by_id)
        )
        for row in rows
    ]


def innovation_checklist(innovation):
    """What still stops the OPD from submitting, in plain words (empty when it may be submitted), and how far
    the indicator rows are filled in: ``{"problems": [...], "filled": rows with a level, "total": rows}``
    (1 query for the rows)."""
    problems = []
    if endorsement_required(innovation) and not opd_has_head(opd_id=innovation.opd_id):
        problems.append(
            _(
                "%(opd)s belum mempunyai kepala OPD di portal, padahal setiap pengajuan menunggu pengesahannya. "
                "Minta admin Bappeda mendaftarkan kepala OPD Anda (peran Kepala OPD)."
            )
            % {"opd": innovation.opd.name}
        )
    labels = {field.attname: field.verbose_name for field in Innovation._meta.fields}
    empty = [str(labels[field]) for field in REQUIRED_PROFILE_FIELDS if not getattr(innovation, field)]
    if empty:
        problems.append(_("Lengkapi profil: %(fields)s.") % {"fields": ", ".join(empty)})
    minimum = innovation.cycle.catalogue.min_words
    if innovation.rancang_bangun_words < minimum:
        problems.append(
            _("Rancang bangun baru %(words)d kata; paling sedikit %(minimum)d kata.")
            % {"words": innovation.rancang_bangun_words, "minimum": minimum}
        )
    rows = (
        Claim.objects.filter(innovation=innovation)
        .annotate(has_evidence=Exists(Evidence.objects.filter(claim=OuterRef("pk"))))
        .order_by("indicator__position")
        .values_list("indicator__code", "indicator__mandatory", "level", "has_evidence")
    )
    filled = total = 0
    for code, mandatory, level, has_evidence in rows:
        total += 1
        filled += level > 0
        if mandatory and not level:
            problems.append(_("Indikator wajib %(code)s belum dipilih tingkatnya.") % {"code": code})
        elif mandatory and not has_evidence:
            problems.append(_("Indikator wajib %(code)s belum ada buktinya.") % {"code": code})
    return {"problems": problems, "filled": filled, "total": total}


def copy_sources(*, user, cycle):
    """The OPD's innovations of earlier cycles of the same region, to start a new draft from."""
    return (
        visible(user)
        .filter(cycle__region_id=cycle.region_id, cycle__catalogue__year__lt=cycle.catalogue.year)
        .select_related("cycle")
        .order_by("-cycle__catalogue__year", "name")
    )


def filing_cycle(*, user):
    """The cycle the operator ``user`` files new innovations into (the region's current one) and the
    filing window their OPD is held to in it, or (None, None) without a cycle (2 queries)."""
    cycle = cycle_current(region_id=user.region_id)
    if cycle is None:
        return None, None
    return cycle, deadline_window(cycle=cycle, opd_id=user.opd_id, kind=DeadlineKind.FILING)


def submission_window(innovation):
    """The window in which the OPD may submit ``innovation``: the filing window for a draft, the revision
    window for one returned to it (1 query, for the OPD's extension)."""
    kind = DeadlineKind.REVISION if innovation.is_returned else DeadlineKind.FILING
    return deadline_window(cycle=innovation.cycle, opd_id=innovation.opd_id, kind=kind)


def innovation_history(innovation, limit=200):
    """Every recorded change of the innovation, its claims, evidence and documents, newest first.

    One query per kind of record; changes are worked out in Python by pairing consecutive records.
    """
    profile_fields = [field for field in Innovation._meta.fields if field.name in PROFILE_HISTORY_FIELDS]
    # A record with a reason (a transition, a copy, a change of urusan lain) says it in its reason; a state
    # change is not listed again beneath it.
    reasoned_fields = [field for field in profile_fields if field.name != "state"]
    claim_fields = [Claim._meta.get_field(name) for name in ("level", "basis", "note", "fixed")]

    def describe_innovation(record, previous):
        if record.history_change_reason:
            changes = field_changes(record, previous, reasoned_fields, urusan_names) if previous else ()
            return HistoryEntry(
                record.history_date, record.history_user, record.history_change_reason, changes
            )
        if previous is None:
            return HistoryEntry(record.history_date, record.history_user, _("Inovasi dibuat"))
        changes = field_changes(record, previous, profile_fields, urusan_names)
        return (
            HistoryEntry(record.history_date, record.history_user, _("Profil diubah"), changes)
            if changes
            else None
        )

    def describe_claim(record, previous):
        if previous is None and not (record.level or record.note):
            return None  # the empty rows created with the innovation
        # A row made with its level (a workbook import) is shown from nothing to what it holds.
        changes = field_changes(record, previous, claim_fields if previous else claim_fields[:3])
        what = _("Indikator %(code)s diubah") % {"code": codes.get(record.indicator_id, "")}
        return HistoryEntry(record.history_date, record.history_user, what, changes) if changes else None

    def describe_file(record, previous):
        verbs = {"+": _("ditambahkan"), "-": _("dihapus"), "~": _("diganti")}
        label = getattr(record, "original_name", "") or getattr(record, "link", "")
        if hasattr(record, "claim_id"):
            target = _("Bukti %(code)s") % {"code": codes.get(claim_indicator.get(record.claim_id), "")}
        else:
            target = _("Dokumen %(kind)s") % {"kind": record.get_kind_display()}
        return HistoryEntry(
            record.history_date, record.history_user, f"{target} {verbs[record.history_type]}: {label}"
        )

    urusan_names = dict(Urusan.objects.values_list("pk", "name"))
    claims = list(innovation.claims.select_related("indicator"))
    codes = {claim.indicator_id: claim.indicator.code for claim in claims}
    claim_indicator = {claim.pk: claim.indicator_id for claim in claims}
    entries = [
        *paired(innovation.history.select_related("history_user")[:limit], describe_innovation),
        *paired(
            Claim.history.filter(innovation_id=innovation.pk).select_related("history_user")[: limit * 2],
            describe_claim,
        ),
        *paired(
            Evidence.history.filter(claim_id__in=claim_indicator).select_related("history_user")[:limit],
            describe_file,
        ),
        *paired(
            Document.history.filter(innovation_id=innovation.pk).select_related("history_user")[:limit],
            describe_file,
        ),
        *(
            HistoryEntry(
                comment.created_at,
                comment.author,
                f"{codes.get(claim_indicator.get(comment.claim_id), '')} · {comment.get_kind_display()}: "
                f"{Truncator(comment.body).chars(120)}",
            )
            for comment in ClaimComment.objects.filter(claim_id__in=claim_indicator).select_related("author")[
                :limit
            ]
        ),
    ]
    return sorted(entries, key=lambda entry: entry.when, reverse=True)[:limit]
