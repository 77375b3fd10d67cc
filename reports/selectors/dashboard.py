"""The Bupati's dashboard and the monitoring of OPDs: every figure from the newest snapshots, read with a
fixed number of queries whatever the number of OPDs and innovations."""

import datetime
from typing import TYPE_CHECKING, TypedDict, cast

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery

from innovasi.accounts import selectors as account_selectors
from innovasi.accounts.enums import Role
from innovasi.accounts.models import Opd, User
from innovasi.standards.models import Cycle
from scoring.enums import SnapshotKind
from scoring.models import IndexSnapshot
from scoring.selectors import index as index_selectors
from scoring.selectors import inputs
from submissions.enums import OPD_ONLY_STATES, InnovationState
from submissions.models import Claim, Evidence, Innovation

from .. import charts
from ..rendering import svg_data_uri
from .documents import number

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class OpdActivity(TypedDict):
    """What ``opd_activity`` adds to each OPD besides the counts: its newest changes (annotations that
    django-stubs cannot see through the ``**counts`` beside them) and the newest of them."""

    last_profile: datetime.datetime | None
    last_row: datetime.datetime | None
    last_evidence: datetime.datetime | None
    last_activity: datetime.datetime | None
    has_operator: bool


def _newest(model, field, innovation, cycle):
    """The newest ``field`` of the ``model`` rows of the outer OPD's innovations in ``cycle`` (``innovation``:
    the path from ``model`` to the innovation)."""
    rows = model.objects.filter(**{f"{innovation}__opd": OuterRef("pk"), f"{innovation}__cycle": cycle})
    return Subquery(rows.order_by(f"-{field}").values(field)[:1])


def opd_activity(cycle):
    """Every active OPD of the cycle's region with its innovations per state, its last activity (the
    newest change to one of its innovations, their indicator rows or their evidence) and whether an active
    operator works for it: reminders reach it only through one (1 query)."""
    in_cycle = Q(innovations__cycle=cycle)
    counts = {
        f"n_{state.value}": Count("innovations", filter=in_cycle & Q(innovations__state=state), distinct=True)
        for state in InnovationState
    }
    reminder_prefix = f"reminder:{cycle.pk}:"
    opds = list(
        Opd.objects.filter(region_id=cycle.region_id, is_active=True)
        .annotate(
            **counts,
            n_total=Count("innovations", filter=in_cycle, distinct=True),
            last_profile=Max("innovations__updated_at", filter=in_cycle),
            last_row=_newest(Claim, "updated_at", "innovation", cycle),
            last_evidence=_newest(Evidence, "uploaded_at", "claim__innovation", cycle),
            reminders=Count(
                "users__notifications__key",
                filter=Q(users__notifications__key__startswith=reminder_prefix),
                distinct=True,
            ),
            has_operator=Exists(User.objects.filter(opd=OuterRef("pk"), role=Role.OPERATOR, is_active=True)),
        )
        .order_by("name")
    )
    for opd in cast("list[WithAnnotations[Opd, OpdActivity]]", opds):
        moments = [moment for moment in (opd.last_profile, opd.last_row, opd.last_evidence) if moment]
        opd.last_activity = max(moments, default=None)
    return opds


def monitoring_table(cycle):
    """The admin's monitoring of every OPD (``opd_activity``), with the states it has a column for and each
    OPD's ``counts`` in that order. "Menunggu pengesahan kepala OPD" is a column where the region asks for
    the OPD head's endorsement (then each OPD also says whether it has an active head: ``has_head``) or
    where one still waits (1 query; 2 with the endorsement)."""
    opds = opd_activity(cycle)
    endorsement = cycle.region.opd_endorsement
    awaiting = InnovationState.MENUNGGU_PENGESAHAN
    states = [
        state
        for state in InnovationState
        if state != awaiting or endorsement or any(getattr(opd, f"n_{awaiting.value}") for opd in opds)
    ]
    headless = (
        {opd.pk for opd in account_selectors.opds_without_head(region_id=cycle.region_id)}
        if endorsement
        else set()
    )
    for opd in opds:
        opd.counts = [getattr(opd, f"n_{state.value}") for state in states]
        opd.has_head = opd.pk not in headless
    return {"states": states, "opds": opds, "endorsement": endorsement}


def _trend(region_id):
    """The newest verified IID of each of the region's cycles, oldest year first (1 query)."""
    newest = IndexSnapshot.objects.filter(cycle=OuterRef("pk"), kind=SnapshotKind.VERIFIED).order_by(
        "-computed_at"
    )
    return [
        (cycle.catalogue.year, cycle.iid)
        for cycle in Cycle.objects.filter(region_id=region_id)
        .select_related("catalogue")
        .annotate(iid=Subquery(newest.values("iid")[:1]))
        .order_by("catalogue__year")
        if cycle.iid is not None
    ]


def dashboard(cycle):
    """Everything the dashboard shows for a cycle."""
    snapshots = index_selectors.snapshots_newest(cycle=cycle)
    rules = inputs.catalogue_rules(cycle.catalogue)
    claimed, verified = snapshots[SnapshotKind.CLAIMED], snapshots[SnapshotKind.VERIFIED]
    opds = opd_activity(cycle)
    funnel = [
        (state.label, sum(getattr(opd, f"n_{state.value}") for opd in opds), state.value)
        for state in InnovationState
    ]
    counts = {state: count for _label, count, state in funnel}
    # Waiting for the OPD head: a step of the funnel only where the region asks for it (or one still waits).
    funnel = [
        step
        for step in funnel
        if step[2] != InnovationState.MENUNGGU_PENGESAHAN or step[1] or cycle.region.opd_endorsement
    ]
    bands = [(band.name, band.min) for band in rules.bands]
    trend = _trend(cycle.region_id)
    earlier = [(year, iid) for year, iid in trend if year < cycle.catalogue.year]
    context = {
        "cycle": cycle,
        "claimed": claimed,
        "verified": verified,
        "score_state": index_selectors.score_state(cycle),
        "funnel": funnel,
        "no_innovation": [opd for opd in opds if opd.n_total == 0],
        "drafts_only": [opd for opd in opds if opd.n_total and opd.n_total == opd.n_draft],
        "trend": trend,
        "bands": bands,
        # More verdicts are to come while an innovation waits for its OPD head or its verifier, or is back
        # for revision.
        "provisional": any(counts[state] for state in index_selectors.PROVISIONAL_STATES),
        "verified_next": verified and index_selectors.next_band(bands, verified.iid),
        "claimed_next": claimed and index_selectors.next_band(bands, claimed.iid),
        # (year, change) against the newest earlier cycle's verified IID, None without one.
        "change": (earlier[-1][0], verified.iid - earlier[-1][1]) if verified and earlier else None,
        "divisor_floor": rules.sid_divisor_floor,
    }
    markers = [
        (label, snapshot.iid)
        for label, snapshot in (("Terverifikasi", verified), ("Klaim", claimed))
        if snapshot
    ]
    context["band_chart"] = (
        svg_data_uri(charts.band_chart(context["bands"], markers, number=number)) if markers else None
    )
    if verified is None:
        return context
    payload = verified.result
    context["contributions"] = index_selectors.contributions_named(payload=payload)
    context["actions"] = index_selectors.actions_described(cycle=cycle, payload=payload, rules=rules, limit=5)
    context["yandas"] = index_selectors.yandas_coverage(verified)
    # Mandatory rows that do not (yet) count in the verified index: what the ministry would find missing.
    gaps = {
        int(item["ref"]): item["missing_mandatory"]
        for item in payload["innovations"]
        if item["missing_mandatory"]
    }
    rows = Innovation.objects.filter(pk__in=gaps).values_list("pk", "name", "state")
    # (pk, name, codes, waiting for the verifier?, waiting for the OPD head?): a row not judged yet is
    # missing too, for another reason; one waiting for its OPD head is named without a link (not at Bappeda).
    context["gaps"] = sorted(
        (
            (
                pk,
                name,
                gaps[pk],
                state == InnovationState.DIAJUKAN,
                state == InnovationState.MENUNGGU_PENGESAHAN,
            )
            for pk, name, state in rows
        ),
        key=lambda gap: gap[1],
    )
    return context


def chart_data(context, *, links=True):
    """The data of the dashboard's Chart.js charts, for ``json_script`` (no inline script); without
    ``links``, the ranking's bars lead nowhere (the dashboard read from a region above)."""
    ranking = [item for item in context.get("contributions", []) if item["points"] > 0][:15]
    return {
        "ranking": {
            "labels": [str(item["opd"]) for item in ranking],
            "values": [float(item["points"]) for item in ranking],
            "ids": [item["opd"].pk if item["opd"] and links else None for item in ranking],
        },
        "funnel": {
            "labels": [str(label) for label, _count, _state in context["funnel"]],
            "values": [count for _l, count, _s in context["funnel"]],
            "states": [state for _l, _c, state in context["funnel"]],
        },
        "trend": {
            "labels": [str(year) for year, _iid in context["trend"]],
            "values": [float(iid) for _year, iid in context["trend"]],
        },
    }


def opd_detail(*, cycle, opd):
    """An OPD's innovations in a cycle as the user may see them (those at Bappeda), with its contribution
    and how many are still with the OPD: drafts, and submissions waiting for its head (4 queries)."""
    innovations = list(
        Innovation.objects.filter(cycle=cycle, opd=opd)
        .exclude(state__in=OPD_ONLY_STATES)
        .select_related("urusan_utama")
        .order_by("-kematangan_verified", "name")
    )
    with_opd = Innovation.objects.filter(cycle=cycle, opd=opd, state__in=OPD_ONLY_STATES).aggregate(
        drafts=Count("pk", filter=Q(state=InnovationState.DRAFT)),
        awaiting=Count("pk", filter=Q(state=InnovationState.MENUNGGU_PENGESAHAN)),
    )
    verified = index_selectors.snapshots_newest(cycle=cycle)[SnapshotKind.VERIFIED]
    contribution = None
    if verified:
        contribution = next(
            (item for item in verified.result["contributions"] if item["opd_id"] == str(opd.pk)), None
        )
    return {
        "opd": opd,
        "innovations": innovations,
        "drafts": with_opd["drafts"],
        "awaiting_endorsement": with_opd["awaiting"],
        "contribution": contribution,
        "cycle": cycle,
        "provisional": index_selectors.verification_under_way(cycle),
    }
