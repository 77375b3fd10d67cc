"""Reads of verification and of the index.

``catalogue_rules`` turns a catalogue into the engine's Rules and ``innovation_input`` one innovation, as
its OPD claims it, into the engine's InnovationInput (the cycle-wide inputs are built in
``services.index.cycle_inputs``). Then: the verifier's queue and rows, the SPD rows, the newest snapshots
and what changed between them, the OPD contributions and the next actions in plain words.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, F, Prefetch, Q, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from innovasi.accounts.enums import Role
from innovasi.accounts.models import Opd
from innovasi.standards.enums import UrusanGroup
from innovasi.standards.models import Catalogue, Option, Urusan
from innovasi.standards.services import catalogue_parse, shipped_catalogue_files, urusan_parse
from submissions.enums import InnovationState
from submissions.models import Evidence, Innovation

from ..engine import InnovationInput, Row, Rules
from ..enums import Verdict
from ..models import CycleScoreState, IndexSnapshot, SpdEntry, Verification


def catalogue_rules(catalogue: Catalogue) -> Rules:
    """The engine's Rules for a catalogue (its indicators in order, its rules, the yandas affairs)."""
    indicators = catalogue.indicators.order_by("position").values("code", "group", "weight", "mandatory")
    yandas = Urusan.objects.filter(group=UrusanGroup.WAJIB_YANDAS).values_list("code", flat=True)
    return Rules.from_catalogue(
        code=catalogue.code, rules=catalogue.rules, indicators=indicators, yandas=yandas
    )


def shipped_catalogue_rules(code):
    """The engine's Rules for catalogue ``code`` and the known urusan codes, read from the shipped files
    (``innovasi/standards/data``) without the database; None when no shipped file holds that catalogue."""
    path = shipped_catalogue_files().get(code)
    if path is None:
        return None
    code, fields, indicators = catalogue_parse(path)
    urusan = urusan_parse()
    rules = Rules.from_catalogue(
        code=code,
        rules=fields["rules"],
        indicators=[{"code": indicator_code, **values} for indicator_code, values, _options in indicators],
        yandas=[entry["code"] for entry in urusan if entry["group"] == UrusanGroup.WAJIB_YANDAS],
    )
    return rules, frozenset(entry["code"] for entry in urusan)


def innovation_input(innovation, claims) -> InnovationInput:
    """The innovation as claimed by its OPD; ``claims`` come with their indicator and evidence loaded."""
    return InnovationInput(
        ref=str(innovation.pk),
        tahapan=innovation.tahapan,
        penerapan=innovation.waktu_penerapan,
        pengembangan=innovation.waktu_pengembangan,
        urusan_utama=innovation.urusan_utama.code if innovation.urusan_utama_id else None,
        rancang_bangun_words=innovation.rancang_bangun_words,
        rows=tuple(
            Row(
                code=claim.indicator.code,
                level=claim.level,
                counts=bool(claim.evidence.all()),
                basis=claim.basis or None,
            )
            for claim in claims
        ),
        group=str(innovation.opd_id),
    )


def queue(*, user, cycle, state="", opd_id=None, query="", verifikator_id=None):
    """The innovations a verifier works on (an admin: all of the region's), oldest submission first,
    with the number of claimed rows judged and still pending."""
    claimed = Q(claims__level__gt=0)
    judged = claimed & Q(
        claims__verification__verdict__in=[v for v in Verdict.values if v != Verdict.PENDING]
    )
    queryset = (
        Innovation.objects.filter(cycle=cycle, opd__region_id=user.region_id)
        .exclude(state=InnovationState.DRAFT)
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
    if user.role == Role.VERIFIKATOR:
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
    """An innovation of the user's region past draft, with its OPD and assignment, or 404."""
    try:
        return (
            Innovation.objects.select_related(
                "opd", "cycle__catalogue", "assignment__verifikator", "urusan_utama"
            )
            .exclude(state=InnovationState.DRAFT)
            .get(pk=pk, opd__region_id=user.region_id)
        )
    except Innovation.DoesNotExist:
        raise Http404(_("Inovasi tidak ditemukan.")) from None


def verification_rows(innovation):
    """The claims in catalogue order with indicator, options, evidence, verdict and the verdict history."""
    claims = list(
        innovation.claims.select_related("indicator", "verification__judged_by")
        .prefetch_related(
            Prefetch("indicator__options", queryset=Option.objects.order_by("basis", "level")),
            Prefetch("evidence", queryset=Evidence.objects.order_by("uploaded_at", "pk")),
        )
        .order_by("indicator__position")
    )
    history = {}
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


def snapshot_newest(*, cycle, kind):
    return IndexSnapshot.objects.filter(cycle=cycle, kind=kind).order_by("-computed_at", "-pk").first()


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


def spd_rows(cycle):
    return list(
        SpdEntry.objects.filter(cycle=cycle)
        .select_related("indicator", "entered_by", "accepted_by")
        .prefetch_related("indicator__options", "evidence")
        .order_by("indicator__position")
    )


def score_state(cycle):
    """The cycle's recompute bookkeeping (pending or not), or None before the first change."""
    return CycleScoreState.objects.filter(cycle=cycle).first()


@dataclass(frozen=True)
class ActionView:
    text: str
    gain: Decimal
    url: str


def actions_described(*, cycle, payload, limit=10):
    """The snapshot's next actions in plain words, with a link to where the work is done (3 queries)."""
    actions = payload.get("next_actions", [])[:limit]
    refs = {int(action["ref"]) for action in actions if action["ref"]}
    found = {
        pk: (name, state)
        for pk, name, state in Innovation.objects.filter(pk__in=refs).values_list("pk", "name", "state")
    }
    indicators = {indicator.code: indicator.name for indicator in cycle.catalogue.indicators.all()}

    urusan = dict(Urusan.objects.values_list("code", "name"))
    reasons = {innovation["ref"]: innovation["ineligible_reasons"] for innovation in payload["innovations"]}
    reason_text = {
        "window": _("waktu penerapan dalam rentang penilaian"),
        "rancang_bangun": _("rancang bangun minimal 300 kata"),
    }
    described = []
    for action in actions:
        kind, ref, code = action["kind"], action["ref"], action["code"]
        name, state = found.get(int(ref), (None, None)) if ref else (None, None)
        url = reverse("submissions:detail", args=[ref]) if ref else reverse("submissions:list")
        if kind == "cover_yandas":
            text = _(
                "Tambah satu inovasi layak pada urusan %(urusan)s (pelayanan dasar yang belum tercakup)"
            ) % {"urusan": urusan.get(action["urusan"], action["urusan"])}
        elif kind == "fill_seat":
            text = _("Tambah satu inovasi layak untuk mengisi kursi kosong")
        elif kind == "make_eligible":
            text = _("Jadikan «%(name)s» layak: %(reasons)s") % {
                "name": name,
                "reasons": ", ".join(str(reason_text.get(r, r)) for r in reasons.get(ref, [])),
            }
        elif kind == "fix_mandatory" and state == InnovationState.DIAJUKAN:
            # The row is claimed but not judged yet: the work is the verifier's, not the OPD's.
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
        described.append(ActionView(text=text, gain=Decimal(action["gain"]), url=url))
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
    names = dict(Innovation.objects.filter(pk__in=refs).values_list("pk", "name"))
    for change in innovations:
        change["name"] = names.get(int(change["ref"]), change["ref"])
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
