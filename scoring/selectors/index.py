"""Reads of the index: the newest snapshots, what changed between them, the yandas coverage, the OPD
contributions and the next actions in plain words."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _

from innovasi.accounts.models import Opd
from innovasi.standards.enums import UrusanGroup
from innovasi.standards.models import Cycle, Urusan
from submissions.enums import OPD_ONLY_STATES, InnovationState
from submissions.models import Innovation

from ..enums import SnapshotKind
from ..models import CycleScoreState, IndexSnapshot


def snapshots_newest(*, cycle):
    """{kind: the newest snapshot of the cycle, or None}: one indexed query per kind, whatever the number
    stored."""
    return {
        kind: IndexSnapshot.objects.filter(cycle=cycle, kind=kind).order_by("-computed_at", "-pk").first()
        for kind in SnapshotKind.values
    }


@dataclass(frozen=True)
class Figures:
    """What a snapshot tells of its cycle at a glance: the IID, its category and when it was computed."""

    iid: Decimal
    category: str
    computed_at: datetime.datetime


def newest_figures(cycles: QuerySet[Cycle]) -> dict[int, dict[str, Figures | None]]:
    """{cycle id: {kind: the figures of the cycle's newest snapshot of that kind, or None}} for every cycle
    of ``cycles``: ``snapshots_newest`` for many cycles at once, in 2 queries whatever their number (the
    newest of each cycle and kind found on the ``snapshot_newest`` index; the payloads are not read)."""
    newest = {
        f"newest_{kind}": Subquery(
            IndexSnapshot.objects.filter(cycle=OuterRef("pk"), kind=kind)
            .order_by("-computed_at", "-pk")
            .values("pk")[:1]
        )
        for kind in SnapshotKind.values
    }
    rows = list(cycles.order_by().annotate(**newest).values("pk", *newest))
    wanted = {row[name] for row in rows for name in newest if row[name] is not None}
    found = {
        snapshot["pk"]: Figures(snapshot["iid"], snapshot["category"], snapshot["computed_at"])
        for snapshot in IndexSnapshot.objects.filter(pk__in=wanted).values(
            "pk", "iid", "category", "computed_at"
        )
    }
    return {
        row["pk"]: {kind: found.get(row[f"newest_{kind}"]) for kind in SnapshotKind.values} for row in rows
    }


def yandas_coverage(snapshot):
    """[(urusan, covered?)] for the yandas affairs, as ``snapshot`` counted them: covered when the urusan
    utama of one of its eligible innovations, read from the inputs it was computed from (2 queries)."""
    eligible = {item["ref"] for item in snapshot.result["innovations"] if item["eligible"]}
    innovations = (
        IndexSnapshot.objects.filter(pk=snapshot.pk)
        .values_list("inputs__scenario__innovations", flat=True)
        .get()
    )
    covered = {item["urusan_utama"] for item in innovations if item["ref"] in eligible}
    return [
        (urusan, urusan.code in covered) for urusan in Urusan.objects.filter(group=UrusanGroup.WAJIB_YANDAS)
    ]


def score_state(cycle):
    """The cycle's recompute bookkeeping (pending or not), or None before the first change."""
    return CycleScoreState.objects.filter(cycle=cycle).first()


# The states after which more verdicts are to come: waiting for the OPD head (then for the verifier),
# waiting for the verifier, or back with the OPD for revision.
PROVISIONAL_STATES = (
    InnovationState.MENUNGGU_PENGESAHAN,
    InnovationState.DIAJUKAN,
    InnovationState.REVISI,
)


def verification_under_way(cycle) -> bool:
    """Whether the verified index is still provisional: an innovation of the cycle waits for its OPD
    head's endorsement or its verifier, or is back with its OPD for revision, so more verdicts are to come
    (1 query)."""
    return Innovation.objects.filter(cycle=cycle, state__in=PROVISIONAL_STATES).exists()


def next_band(bands, iid):
    """(name, points still missing) of the lowest band above ``iid``, None at the top (``bands``: the
    catalogue's ``(name, minimum)`` pairs)."""
    above = sorted((minimum, name) for name, minimum in bands if minimum > iid)
    if not above:
        return None
    minimum, name = above[0]
    return name, minimum - iid


@dataclass(frozen=True)
class ActionView:
    text: str
    gain: Decimal
    # Where the work is done; None for an innovation waiting for its OPD head's endorsement, which Bappeda
    # and the pimpinan cannot open yet (``awaiting_endorsement``).
    url: str | None
    # Who does the step: the OPD of the innovation (its verifier for a row not judged yet), or None when
    # any OPD may (one more innovation).
    owner: str | None
    # The index after the step, as it would be shown: the shown index plus the gain, exactly.
    after: Decimal
    awaiting_endorsement: bool = False


def actions_described(*, cycle, payload, rules, limit=10):
    """The snapshot's next actions in plain words, with a link to where the work is done (3 queries);
    ``rules``: the cycle's catalogue rules (``inputs.catalogue_rules``)."""
    actions = payload.get("next_actions", [])[:limit]
    refs = {int(action["ref"]) for action in actions if action["ref"]}
    found = {
        pk: (name, state, opd)
        for pk, name, state, opd in Innovation.objects.filter(pk__in=refs).values_list(
            "pk", "name", "state", "opd__name"
        )
    }
    indicators = {indicator.code: indicator.name for indicator in cycle.catalogue.indicators.all()}

    urusan = dict(Urusan.objects.values_list("code", "name"))
    reasons = {innovation["ref"]: innovation["ineligible_reasons"] for innovation in payload["innovations"]}
    reason_text = {
        "window": _("waktu penerapan dalam rentang penilaian"),
        "rancang_bangun": _("rancang bangun minimal %(minimum)d kata") % {"minimum": rules.min_words},
    }
    iid = Decimal(str(payload["iid"])).quantize(Decimal("0.01"))  # the payload keeps it as a JSON number
    described = []
    for action in actions:
        kind, ref, code = action["kind"], action["ref"], action["code"]
        name, state, owner = found.get(int(ref), (None, None, None)) if ref else (None, None, None)
        awaiting = state == InnovationState.MENUNGGU_PENGESAHAN
        url = reverse("submissions:detail", args=[ref]) if ref else reverse("submissions:list")
        if kind == "cover_yandas":
            text = _(
                "Tambah satu inovasi layak pada urusan %(urusan)s: urusan pelayanan dasar ke-%(n)d "
                "menghidupkan skor jumlah inovasi"
            ) % {"urusan": urusan.get(action["urusan"], action["urusan"]), "n": rules.yandas_required}
        elif kind == "fill_seat":
            text = _("Tambah satu inovasi layak, dari OPD mana pun, untuk mengisi kursi kosong")
        elif kind == "make_eligible":
            text = _("Jadikan «%(name)s» layak: %(reasons)s") % {
                "name": name,
                "reasons": ", ".join(str(reason_text.get(r, r)) for r in reasons.get(ref, [])),
            }
        elif kind == "fix_mandatory" and state == InnovationState.DIAJUKAN:
            # The row is claimed but not judged yet: the work is the verifier's, not the OPD's.
            owner = _("verifikator Bappeda")
            text = _("Selesaikan verifikasi indikator wajib %(code)s %(indicator)s pada «%(name)s»") % {
                "code": code,
                "indicator": indicators.get(code, ""),
                "name": name,
            }
        elif kind == "fix_mandatory":
            text = _("Lengkapi indikator wajib %(code)s %(indicator)s pada «%(name)s»") % {
                "code": code,
                "indicator": indicators.get(code, ""),
                "name": name,
            }
        else:
            text = _("Naikkan %(code)s %(indicator)s pada «%(name)s» satu tingkat") % {
                "code": code,
                "indicator": indicators.get(code, ""),
                "name": name,
            }
        gain = Decimal(action["gain"])
        described.append(
            ActionView(
                text=text,
                gain=gain,
                url=None if awaiting else url,
                owner=owner,
                after=iid + gain,
                awaiting_endorsement=awaiting,
            )
        )
    return described


def contributions_named(*, payload):
    """The snapshot's OPD contributions with the OPD names, highest first (1 query)."""
    contributions = payload.get("contributions", [])
    opds = Opd.objects.in_bulk([int(item["opd_id"]) for item in contributions if item["opd_id"]])
    return [
        {
            **item,
            "opd": opds.get(int(item["opd_id"])) if item["opd_id"] else None,
            "points": Decimal(item["iid_points"]),
        }
        for item in contributions
    ]


def snapshot_history(*, cycle, kind, limit=50):
    """The snapshots of a cycle and kind, newest first, each with the IID change from the one before."""
    snapshots = list(
        IndexSnapshot.objects.filter(cycle=cycle, kind=kind)
        .order_by("-computed_at", "-pk")
        .only("pk", "computed_at", "iid", "category", "kind", "engine_version")[: limit + 1]
    )
    for position, snapshot in enumerate(snapshots):
        previous = snapshots[position + 1] if position + 1 < len(snapshots) else None
        snapshot.delta = snapshot.iid - previous.iid if previous else None
    return snapshots[:limit]


def snapshot_changes(snapshot):
    """What changed from the previous snapshot of the same cycle and kind: the IID, the SPD rows and the
    innovations whose kematangan, eligibility or rows changed."""
    previous = (
        IndexSnapshot.objects.filter(
            cycle_id=snapshot.cycle_id, kind=snapshot.kind, computed_at__lt=snapshot.computed_at
        )
        .order_by("-computed_at", "-pk")
        .first()
    )
    new, old = snapshot.result, previous.result if previous else {"innovations": [], "spd_row_scores": {}}
    old_innovations = {item["ref"]: item for item in old["innovations"]}
    refs = set()
    innovations = []
    for item in new["innovations"]:
        before = old_innovations.pop(item["ref"], None)
        rows = [
            (code, (before or {}).get("row_scores", {}).get(code, "0.00"), score)
            for code, score in item.get("row_scores", {}).items()
            if (before or {}).get("row_scores", {}).get(code, "0.00") != score
        ]
        if before is None or rows or before["eligible"] != item["eligible"]:
            refs.add(int(item["ref"]))
            innovations.append({"ref": item["ref"], "before": before, "after": item, "rows": rows})
    for ref, before in old_innovations.items():
        refs.add(int(ref))
        innovations.append({"ref": ref, "before": before, "after": None, "rows": []})
    found = {
        pk: (name, state)
        for pk, name, state in Innovation.objects.filter(pk__in=refs).values_list("pk", "name", "state")
    }
    for change in innovations:
        name, state = found.get(int(change["ref"]), (change["ref"], None))
        change["name"] = name
        # Counted as filed, but not at Bappeda yet: named, not linked (its readers cannot open it yet).
        change["awaiting_endorsement"] = state == InnovationState.MENUNGGU_PENGESAHAN
        change["linkable"] = state is not None and state not in OPD_ONLY_STATES
    spd_rows = [
        (code, old["spd_row_scores"].get(code, "0.00"), score)
        for code, score in new.get("spd_row_scores", {}).items()
        if old["spd_row_scores"].get(code, "0.00") != score
    ]
    return {
        "previous": previous,
        "iid_delta": snapshot.iid - previous.iid if previous else None,
        "innovations": innovations,
        "spd_rows": spd_rows,
    }
