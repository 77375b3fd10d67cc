"""Reads of verification: the verifier's queue, what waits for a verifikator, the rows of an innovation
with their verdicts, and the region's SPD rows."""

from typing import Any

from django.db.models import Case, Count, F, Prefetch, Q, Value, When

from innovasi.accounts.enums import Role
from innovasi.accounts.models import User
from innovasi.accounts.permissions import allowed
from innovasi.standards.models import Option
from submissions import selectors as submission_selectors
from submissions.enums import OPD_ONLY_STATES, InnovationState
from submissions.models import Evidence, Innovation

from ..enums import Verdict
from ..models import SpdEntry, Verification
from ..permissions import assignment_refusal

OPEN_STATES = (InnovationState.DIAJUKAN, InnovationState.REVISI)


def queue(*, user, cycle, state="", opd_id=None, query="", verifikator_id=None):
    """The innovations a verifikator is assigned (whoever assigns, ``scoring.assign``: all of the
    region's), oldest submission first, with the number of claimed rows judged and still pending. Neither
    drafts nor those waiting for their OPD head's endorsement: they have not reached Bappeda."""
    claimed = Q(claims__level__gt=0)
    judged = claimed & Q(
        claims__verification__verdict__in=[v for v in Verdict.values if v != Verdict.PENDING]
    )
    queryset = (
        Innovation.objects.filter(cycle=cycle, opd__region_id=user.region_id)
        .exclude(state__in=OPD_ONLY_STATES)
        .select_related("opd", "assignment__verifikator")
        .annotate(
            rows_claimed=Count("claims", filter=claimed),
            rows_judged=Count("claims", filter=judged),
            # Work still to do first: submitted, then returned, then verified.
            stage=Case(
                When(state=InnovationState.DIAJUKAN, then=Value(0)),
                When(state=InnovationState.REVISI, then=Value(1)),
                default=Value(2),
            ),
        )
        .order_by("stage", F("submitted_at").asc(nulls_last=True), "pk")
    )
    if not allowed(user, "scoring.assign"):
        queryset = queryset.filter(assignment__verifikator=user)
    elif verifikator_id:
        queryset = queryset.filter(assignment__verifikator_id=verifikator_id)
    if state:
        queryset = queryset.filter(state=state)
    if opd_id:
        queryset = queryset.filter(opd_id=opd_id)
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(opd__name__icontains=query))
    return queryset


def unassigned(*, cycle):
    """Submitted innovations of a cycle that no verifikator has yet, oldest submission first."""
    return (
        Innovation.objects.filter(cycle=cycle, state__in=[InnovationState.DIAJUKAN, InnovationState.REVISI])
        .filter(assignment__isnull=True)
        .select_related("opd", "created_by")
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
    )


def innovation_for_verification(*, user, pk):
    """An innovation the user may see (``submissions.view_innovation``), with its OPD and assignment, or
    404: whether it exists is not told to those who may not see it."""
    return submission_selectors.innovation_get(
        user=user, pk=pk, queryset=Innovation.objects.select_related("assignment__verifikator")
    )


def verification_rows(innovation):
    """The claims in catalogue order with indicator, options, evidence, thread, verdict and the verdict
    history."""
    claims = list(
        innovation.claims.select_related("indicator", "verification__judged_by")
        .prefetch_related(
            Prefetch("indicator__options", queryset=Option.objects.order_by("basis", "level")),
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk")),
            submission_selectors.THREADS,
        )
        .order_by("indicator__position")
    )
    # Historical records: simple-history makes their classes at run time, so they have no static type.
    history: dict[int, list[Any]] = {}
    records = (
        Verification.history.filter(claim_id__in=[claim.pk for claim in claims])
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    for record in records:
        earlier = history.setdefault(record.claim_id, [])
        record.previous = earlier[-1] if earlier else None  # the value this record replaced
        earlier.append(record)
    for claim in claims:
        claim.verdict_history = list(reversed(history.get(claim.pk, [])))
    return claims


def last_returned_at(innovation):
    """When the innovation was last returned to its OPD (None if never): files added since are new to
    the verifier."""
    return (
        Innovation.history.filter(id=innovation.pk, state=InnovationState.REVISI)
        .order_by("-history_date")
        .values_list("history_date", flat=True)
        .first()
    )


def claimed_rows_with_verdicts(innovation):
    """The claimed rows (level above 0) with indicator and verdict: what each row of the OPD's page says
    of its verification (1 query)."""
    return list(
        innovation.claims.filter(level__gt=0)
        .select_related("indicator", "verification")
        .order_by("indicator__position")
    )


def spd_rows(cycle):
    """The cycle's SPD rows with what the page shows of each: its options, evidence and people, and its
    cycle, which "may accept this row" asks for the region (3 queries)."""
    return list(
        SpdEntry.objects.filter(cycle=cycle)
        .select_related("cycle", "indicator", "entered_by", "accepted_by")
        .prefetch_related("indicator__options", "evidence")
        .order_by("indicator__position")
    )


def pending_rows(innovation):
    """The claimed rows (level above 0) still without a verdict."""
    return list(
        innovation.claims.filter(level__gt=0)
        .filter(Q(verification__isnull=True) | Q(verification__verdict=Verdict.PENDING))
        .select_related("indicator")
        .order_by("indicator__position")
    )


def verifikators_by_open_work(region_id):
    """The region's active verifikators, fewest open assignments first (then by name): the suggestion."""
    return list(
        User.objects.filter(region_id=region_id, role=Role.VERIFIKATOR, is_active=True)
        .select_related("opd")
        .annotate(open_work=Count("assignments", filter=Q(assignments__innovation__state__in=OPEN_STATES)))
        .order_by("open_work", "first_name", "username")
    )


def suggested_verifikator(innovation, verifikators):
    """The first of ``verifikators`` (fewest open assignments first) whom the rule allows, or None."""
    return next((user for user in verifikators if assignment_refusal(user, innovation) is None), None)
