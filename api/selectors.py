"""Reads of the API: the token a request carries, a user's tokens and their history, and what each
endpoint serves, each found through the selectors the portal's pages use (the same scoping, the same 404s).
"""

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from innovasi.accounts.models import Region, User
from innovasi.history import HistoryEntry, paired
from innovasi.standards import selectors as standards_selectors
from innovasi.standards.models import Cycle
from reports.selectors import gallery as gallery_selectors
from scoring.enums import SnapshotKind
from scoring.selectors import index as index_selectors
from submissions import selectors as submission_selectors
from submissions.models import Innovation

from .models import AccessToken
from .permissions import has_a_region_role
from .services import token_digest


def token_active(*, raw: str) -> AccessToken | None:
    """The active token ``raw`` is, with its owner (1 query on the digest's unique index); None for an
    unknown or revoked token, or one whose owner's account is deactivated."""
    try:
        # get(), not first(): the digest is unique, and first() would order by the model's ordering, which
        # costs every API request the compiling of an ORDER BY.
        return AccessToken.objects.select_related("user").get(
            digest=token_digest(raw), revoked_at__isnull=True, user__is_active=True
        )
    except AccessToken.DoesNotExist:
        return None


def tokens_of(user: User) -> list[AccessToken]:
    """The user's tokens, newest first, revoked ones included (1 query)."""
    return list(AccessToken.objects.filter(user=user))


def token_get(*, user: User, pk: int) -> AccessToken:
    """One of the user's own tokens, or 404: another's token is not told apart from a missing one."""
    token = AccessToken.objects.filter(pk=pk, user=user).first()
    if token is None:
        raise Http404(_("Token tidak ditemukan."))
    return token


def tokens_history(user: User, limit: int = 100) -> list[HistoryEntry]:
    """What was done to the user's tokens (made, revoked), newest first, with who did it (1 query)."""
    records = (
        AccessToken.history.filter(user_id=user.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )

    def describe(record, previous):
        return HistoryEntry(record.history_date, record.history_user, record.history_change_reason or "")

    entries = [entry for entry in paired(records, describe) if entry.what]
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def regions_readable(user: User) -> QuerySet[Region]:
    """The regions ``user`` may read through the API: their own (regions do not nest yet)."""
    if not has_a_region_role(user) or user.region_id is None:
        return Region.objects.none()
    return Region.objects.filter(pk=user.region_id).order_by("pk")


def region_get(*, user: User, pk: int) -> Region:
    """A region ``user`` may read, or 404: another region is not told apart from a missing one."""
    region = regions_readable(user).filter(pk=pk).first()
    if region is None:
        raise Http404(_("Wilayah tidak ditemukan."))
    return region


def cycles_of(region: Region) -> list[Cycle]:
    """The region's cycles, newest assessment year first (the cycle pages' selector, 1 query)."""
    return standards_selectors.cycles_of(region_id=region.pk)


def cycle_get(*, user: User, pk: int, with_score_state: bool = False) -> Cycle:
    """A cycle of the user's region with its catalogue and region, or 404 (the cycle pages' selector);
    ``with_score_state``: with its recompute bookkeeping instead (``cycle_score_state``), all the index
    needs of it."""
    return standards_selectors.cycle_get(
        region_id=getattr(user, "region_id", None),
        pk=pk,
        queryset=Cycle.objects.select_related("score_state") if with_score_state else None,
    )


def cycle_score_state(cycle: Cycle):
    """The cycle's recompute bookkeeping (``CycleScoreState``), or None before its first change: no query
    when ``cycle_get(with_score_state=True)`` loaded it (a missing one raises RelatedObjectDoesNotExist,
    an AttributeError)."""
    return getattr(cycle, "score_state", None)


def _exact(value) -> Decimal:
    """A figure of a snapshot's payload as the exact two-decimal number it was computed as: the payload
    keeps the region's figures as JSON numbers (floats of two-decimal values), the contributions as text."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def cycle_index_key(cycle: Cycle, state) -> str:
    """The cache key of the cycle's index as the API answers it: every change of the cycle's data moves
    ``changed_at``, every recompute ``computed_at`` (the dashboard's cache is keyed the same way), so the
    answer stays the same under one key."""
    moments = ":".join(
        moment.isoformat() if moment else "-"
        for moment in (state and state.changed_at, state and state.computed_at)
    )
    return f"api-index:{cycle.pk}:{moments}"


def cycle_index(cycle: Cycle, *, state) -> dict:
    """The cycle's newest claimed and verified snapshots as stored (nothing is recomputed), each with its
    OPD contributions named, and whether more is to come: a recompute pending (``state``: the cycle's
    ``score_state``), verification under way."""
    newest = index_selectors.snapshots_newest(cycle=cycle)

    def described(snapshot):
        if snapshot is None:
            return None
        payload = snapshot.result
        return {
            "id": snapshot.pk,
            "kind": snapshot.kind,
            "computed_at": snapshot.computed_at,
            "catalogue": snapshot.catalogue_code,
            "engine_version": snapshot.engine_version,
            "inputs_hash": snapshot.inputs_hash,
            "iid": snapshot.iid,
            "category": snapshot.category,
            **{key: _exact(payload[key]) for key in ("spd_score", "sid_average", "count_score", "total")},
            "spd_points": _exact(payload["spd_points"]),
            **{key: payload[key] for key in ("n_eligible", "sid_divisor", "yandas_covered", "empty_seats")},
            "contributions": [
                {
                    "opd_id": item["opd"].pk if item["opd"] else None,
                    "opd": item["opd"].name if item["opd"] else None,
                    "n_eligible": item["n_eligible"],
                    "kematangan_sum": Decimal(item["kematangan_sum"]),
                    "average_kematangan": Decimal(item["average_kematangan"]),
                    "iid_points": item["points"],
                }
                for item in index_selectors.contributions_named(payload=payload)
            ],
        }

    return {
        "cycle_id": cycle.pk,
        "recompute_pending": bool(state and state.is_pending),
        "verification_under_way": index_selectors.verification_under_way(cycle),
        "claimed": described(newest[SnapshotKind.CLAIMED]),
        "verified": described(newest[SnapshotKind.VERIFIED]),
    }


def innovations_of(*, user: User, cycle: Cycle, state: str = "", opd_id: int | None = None, query: str = ""):
    """The cycle's innovations ``user`` may read (``submissions.selectors.visible``: the list page's
    scoping), in the order they were made, so that pages stay put while the data changes."""
    innovations = submission_selectors.visible(user).filter(cycle=cycle)
    if state:
        innovations = innovations.filter(state=state)
    if opd_id is not None:
        innovations = innovations.filter(opd_id=opd_id)
    if query:
        innovations = innovations.filter(Q(name__icontains=query) | Q(opd__name__icontains=query))
    return innovations.select_related(None).select_related("opd").order_by("pk")


def innovation_get(*, user: User, pk: int) -> Innovation:
    """One innovation ``user`` may read, with its urusan, or 404 (the innovation pages' selector)."""
    return submission_selectors.innovation_get(
        user=user, pk=pk, queryset=Innovation.objects.prefetch_related("urusan_lain")
    )


def claims_with_verdicts(innovation: Innovation, *, verdicts: bool) -> list[Any]:
    """Every claim of the innovation in catalogue order, with its indicator and its number of evidence
    files and links (1 query); ``verdict_shown`` is its verdict (None before any) when ``verdicts`` (the
    reader may see them: ``scoring.view_verdicts``), None otherwise."""
    claims = list(
        innovation.claims.select_related("indicator", "verification")
        .annotate(evidence_count=Count("evidence"))
        .order_by("indicator__position")
    )
    for claim in claims:
        # A claim without a verification raises RelatedObjectDoesNotExist, an AttributeError.
        claim.verdict_shown = getattr(claim, "verification", None) if verdicts else None  # type: ignore[attr-defined]
    return claims


def gallery_innovations(**filters) -> QuerySet[Innovation]:
    """The gallery's published innovations for the filters, in the gallery's order, with the urusan lain
    its entries show (the gallery's selector)."""
    return gallery_selectors.gallery_innovations(**filters).prefetch_related("urusan_lain")


def gallery_innovation(pk: int) -> Innovation:
    """One published innovation, or 404 (the gallery's selector)."""
    return gallery_selectors.gallery_innovation(pk)
