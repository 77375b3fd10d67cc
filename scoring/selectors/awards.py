"""Reads of award schemes: the schemes of a region, a juror's seats, a category's sheet, jury progress, and
for a kabupaten or kota the schemes of its province open to it with its own entries (never another's)."""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _

from innovasi.accounts.enums import Role
from innovasi.accounts.models import Opd, Region, User
from submissions.enums import InnovationState
from submissions.models import Innovation

from .. import awards
from ..enums import Aggregation, ConflictChange, ExclusionReason
from ..models import (
    AwardCategory,
    AwardScheme,
    ConflictRecord,
    JuryExclusion,
    JuryMember,
    JuryScore,
    Nomination,
)


def schemes_of(*, region_id):
    return (
        AwardScheme.objects.filter(cycle__region_id=region_id).select_related("cycle").order_by("-created_at")
    )


def scheme_get(*, region_id, pk):
    try:
        return (
            AwardScheme.objects.select_related("cycle__region", "cycle__catalogue")
            .prefetch_related("criteria")
            .get(pk=pk, cycle__region_id=region_id)
        )
    except AwardScheme.DoesNotExist:
        raise Http404(_("Skema penghargaan tidak ditemukan.")) from None


def scheme_categories(scheme):
    """The categories with their nominations (and innovations, results) and jurors (4 queries)."""
    return _with_entries(scheme.categories.all())


def categories_of(*pks):
    """The categories ``pks`` as ``scheme_categories`` gives them."""
    return _with_entries(AwardCategory.objects.filter(pk__in=pks))


def _with_entries(categories):
    return list(
        categories.prefetch_related(
            Prefetch(
                "nominations",
                queryset=Nomination.objects.select_related("innovation__opd__region", "result").order_by(
                    "innovation__name"
                ),
            ),
            Prefetch(
                "jurors", queryset=JuryMember.objects.select_related("juror").order_by("juror__username")
            ),
        )
    )


def nomination_candidates(scheme):
    """The verified innovations of the scheme's cycle not yet nominated, by name."""
    return (
        Innovation.objects.filter(cycle=scheme.cycle, state=InnovationState.TERVERIFIKASI)
        .exclude(nominations__scheme=scheme)
        .select_related("opd")
        .order_by("name")
    )


def nomination_suggestions(scheme, limit=10):
    """Verified innovations of the scheme's cycle not yet nominated, highest verified kematangan first."""
    return (
        Innovation.objects.filter(cycle=scheme.cycle, state=InnovationState.TERVERIFIKASI)
        .exclude(nominations__scheme=scheme)
        .select_related("opd", "urusan_utama")
        .order_by("-kematangan_verified", "submitted_at")[:limit]
    )


def jury_progress(scheme):
    """Per juror seat: nominees to score, scores given, submitted or not; the declared conflicts, their
    history and the OPDs of the seat's nominees (``conflict_choices``, for the admin's change) (5 queries).
    """
    criteria = scheme.criteria.count()
    members = list(
        JuryMember.objects.filter(category__scheme=scheme)
        .select_related("juror", "category")
        .prefetch_related(
            Prefetch(
                "conflict_regions" if scheme.open_to_regions_below else "conflict_opds",
                queryset=(Region if scheme.open_to_regions_below else Opd).objects.order_by("name"),
            ),
            Prefetch("conflict_records", queryset=ConflictRecord.objects.select_related("changed_by")),
        )
        .annotate(
            nominees=Count("category__nominations", distinct=True),
            excluded=Count("exclusions", distinct=True),
            given=Count("scores", distinct=True),
        )
        .order_by("category__position", "juror__username")
    )
    nominee_opds: dict[int, dict[int, Opd]] = {}
    for nomination in Nomination.objects.filter(scheme=scheme).select_related("innovation__opd"):
        nominee_opds.setdefault(nomination.category_id, {})[nomination.innovation.opd_id] = (
            nomination.innovation.opd
        )
    regions_below = list(regions_entering(scheme)) if scheme.open_to_regions_below else []
    for member in members:
        member.expected = (member.nominees - member.excluded) * criteria
        member.percent = round(100 * member.given / member.expected) if member.expected else 100
        if scheme.open_to_regions_below:
            member.conflict_choices = regions_below
            continue
        choices = nominee_opds.get(member.category_id, {}) | {
            opd.pk: opd for opd in member.conflict_opds.all()
        }
        member.conflict_choices = sorted(choices.values(), key=lambda opd: opd.name)
    return members


def conflict_choices(member):
    """What a seat's conflict declaration may name: the OPDs of its category's nominees, and any it names
    already (a nomination since removed); in a scheme open to the regions below, those regions, before any
    has entered (a juror declares without seeing the entries)."""
    scheme = member.category.scheme
    if scheme.open_to_regions_below:
        return regions_entering(scheme)
    return Opd.objects.filter(
        Q(pk__in=member.category.nominations.values("innovation__opd")) | Q(pk__in=member.conflict_opds.all())
    ).order_by("name")


def regions_entering(scheme):
    """The kabupaten and kota that may enter a scheme open to the regions below its province."""
    return Region.objects.filter(parent_id=scheme.cycle.region_id).order_by("name")


def seats_of(user):
    """A juror's seats, newest scheme first, with their category and scheme."""
    return (
        JuryMember.objects.filter(juror=user)
        .select_related("category__scheme__cycle")
        .order_by("-category__scheme__created_at", "category__position")
    )


def seat_get(*, user, pk):
    try:
        return JuryMember.objects.select_related("category__scheme__cycle", "juror").get(pk=pk, juror=user)
    except JuryMember.DoesNotExist:
        raise Http404(_("Kursi juri tidak ditemukan.")) from None


def sheet(member):
    """The nominees of a juror's category with the juror's own scores and any exclusion (3 queries). The
    entries of a region the juror declared a conflict with are not among them: the juror never sees
    them."""
    reasons = dict(JuryExclusion.objects.filter(member=member).values_list("nomination_id", "reason"))
    hidden = [pk for pk, reason in reasons.items() if reason == ExclusionReason.DECLARED_REGION]
    nominations = list(
        member.category.nominations.exclude(pk__in=hidden)
        .select_related("innovation__opd__region")
        .order_by("innovation__name")
    )
    scores: dict[int, dict[int, JuryScore]] = {}
    for score in JuryScore.objects.filter(member=member):
        scores.setdefault(score.nomination_id, {})[score.criterion_id] = score
    for nomination in nominations:
        nomination.my_scores = scores.get(nomination.pk, {})
        nomination.exclusion_reason = reasons.get(nomination.pk)
        nomination.is_excluded = nomination.exclusion_reason is not None
        nomination.excluded_as_own_opd = nomination.exclusion_reason == ExclusionReason.OWN_OPD
    return nominations


def others_visible(member):
    """Whether a juror may see the other jurors' scores: after submitting, or when the scheme allows it."""
    return bool(member.submitted_at) or not member.category.scheme.hide_scores_until_submitted


def sheet_nomination(member, pk):
    """A nominee of the seat's category as the score URL may name it: once the juror has declared, and
    never an entry of a region they declared a conflict with; Http404 otherwise (the score URL shows no
    more than the sheet)."""
    entry = (
        Nomination.objects.select_related("innovation__opd__region")
        .filter(pk=pk, category_id=member.category_id)
        .exclude(
            Exists(
                JuryExclusion.objects.filter(
                    member=member, nomination=OuterRef("pk"), reason=ExclusionReason.DECLARED_REGION
                )
            )
        )
        .first()
    )
    if entry is None or member.declared_at is None:
        raise Http404(_("Nominasi tidak ditemukan."))
    return entry


def hidden_from(member) -> int:
    """How many entries of the seat's category come from regions the juror declared a conflict with."""
    return JuryExclusion.objects.filter(member=member, reason=ExclusionReason.DECLARED_REGION).count()


def nominations_of_innovation(innovation):
    """The award schemes an innovation is nominated in, for its page (1 query)."""
    return Nomination.objects.filter(innovation=innovation).select_related("scheme", "category")


def scheme_rankings(scheme, categories):
    """{category id: its ranking} from the submitted sheets, for ``categories`` of ``scheme`` (as
    ``scheme_categories`` gives them, nominations and jurors loaded): 1 query whatever their number."""
    weights = {criterion.pk: criterion.weight for criterion in scheme.criteria.all()}
    collected: dict[int, dict[int, dict[int, int]]] = {}
    submitted_scores = JuryScore.objects.filter(
        member__category__scheme=scheme, member__submitted_at__isnull=False
    ).values_list("member_id", "nomination_id", "criterion_id", "score")
    for member_id, nomination_id, criterion_id, score in submitted_scores:
        collected.setdefault(member_id, {}).setdefault(nomination_id, {})[criterion_id] = score
    rankings = {}
    for category in categories:
        members = {member.pk for member in category.jurors.all() if member.submitted_at}
        totals = {
            str(member_id): {
                str(nomination_id): awards.weighted_total(scores, weights)
                for nomination_id, scores in by_nomination.items()
                if set(scores) == set(weights)
            }
            for member_id, by_nomination in collected.items()
            if member_id in members
        }
        nominees = [
            awards.Nominee(
                ref=str(nomination.pk),
                kematangan_verified=nomination.innovation.kematangan_verified or Decimal(0),
                submitted_at=nomination.innovation.submitted_at or nomination.nominated_at,
            )
            for nomination in category.nominations.all()
        ]
        rankings[category.pk] = awards.rank_category(
            nominees=nominees,
            totals=totals,
            method=scheme.aggregation or Aggregation.MEAN,
            normalise_scores=scheme.normalise,
            scale=(scheme.scale_min, scheme.scale_max),
            winners=scheme.winners,
            honourable=scheme.honourable_mentions,
            disagreement_threshold=scheme.disagreement_threshold,
            tie_break=scheme.tie_break,
        )
    return rankings


def scheme_gaps(categories, rankings) -> list[str]:
    """What is incomplete in the results of ``categories`` (``scheme_categories``) and their ``rankings``
    (``scheme_rankings``), each as a sentence: a category without nominees or jurors, a nominee scored by
    fewer jurors than sit on its category (a declared conflict counts as not scoring)."""
    gaps = []
    for category in categories:
        seated = len(category.jurors.all())
        nominations = {str(nomination.pk): nomination for nomination in category.nominations.all()}
        if not nominations:
            gaps.append(_("Kategori %(category)s tanpa nominasi.") % {"category": category.name})
            continue
        if not seated:
            gaps.append(_("Kategori %(category)s tanpa juri.") % {"category": category.name})
            continue
        for row in rankings[category.pk]:
            if row.jurors < seated:
                gaps.append(
                    _("%(innovation)s (%(category)s) dinilai %(jurors)d dari %(seated)d juri.")
                    % {
                        "innovation": nominations[row.ref].innovation.name,
                        "category": category.name,
                        "jurors": row.jurors,
                        "seated": seated,
                    }
                )
    return gaps


def nomination_get(*, region_id, pk):
    try:
        return Nomination.objects.select_related("scheme__cycle").get(
            pk=pk, scheme__cycle__region_id=region_id
        )
    except Nomination.DoesNotExist:
        raise Http404(_("Nominasi tidak ditemukan.")) from None


def schemes_open_to(region):
    """The schemes of the region's province open to the regions below it, newest first."""
    if region.parent_id is None:
        return AwardScheme.objects.none()
    return (
        AwardScheme.objects.filter(cycle__region_id=region.parent_id, open_to_regions_below=True)
        .select_related("cycle__region", "cycle__catalogue")
        .annotate(
            own_entries=Count("nominations", filter=Q(nominations__innovation__opd__region_id=region.pk))
        )
        .order_by("-created_at")
    )


def scheme_open_to(*, region, pk):
    """A scheme of the region's province open to the regions below it; Http404 for any other."""
    scheme = schemes_open_to(region).prefetch_related("categories").filter(pk=pk).first()
    if scheme is None:
        raise Http404(_("Skema penghargaan tidak ditemukan."))
    return scheme


def entry_get(*, region, pk):
    """An entry of the region in a scheme of its province open to it (not final or final); Http404 for
    any other, another region's entry included."""
    entry = (
        Nomination.objects.select_related("scheme__cycle", "innovation__opd")
        .filter(
            pk=pk,
            innovation__opd__region_id=region.pk,
            scheme__open_to_regions_below=True,
            scheme__cycle__region_id=region.parent_id,
        )
        .first()
    )
    if entry is None:
        raise Http404(_("Entri tidak ditemukan."))
    return entry


def entries_of(scheme, *, region_id):
    """A region's own entries in a scheme, by category, each with whether a juror has scored it (then it
    cannot be withdrawn) and its result once the scheme is final (the result is fixed then; before it the
    ranking is the province's and its jurors' alone)."""
    return list(
        Nomination.objects.filter(scheme=scheme, innovation__opd__region_id=region_id)
        .select_related("category", "innovation__opd", "nominated_by", "result")
        .annotate(scored=Exists(JuryScore.objects.filter(nomination=OuterRef("pk"))))
        .order_by("category__position", "innovation__name")
    )


def entry_candidates(scheme, *, region_id):
    """The region's verified innovations on the scheme's catalogue not entered yet, highest verified
    kematangan first."""
    return (
        Innovation.objects.filter(
            opd__region_id=region_id,
            state=InnovationState.TERVERIFIKASI,
            cycle__catalogue_id=scheme.cycle.catalogue_id,
        )
        .exclude(nominations__scheme=scheme)
        .select_related("opd")
        .order_by("-kematangan_verified", "name")
    )


def entries_per_region(scheme):
    """[(region, entries)] of a scheme open to the regions below, every region below listed (1 query)."""
    return [
        (region, region.entries)
        for region in regions_entering(scheme).annotate(
            entries=Count(
                "opds__innovations__nominations", filter=Q(opds__innovations__nominations__scheme=scheme)
            )
        )
    ]


def juror_accounts(*, region_id):
    """The region's active jury accounts, to seat on a category."""
    return User.objects.filter(role=Role.JURI, region_id=region_id, is_active=True).order_by("username")


def declaration(member):
    """A seat's conflict declaration as it stands: the OPDs it names and the regions (in a scheme open to
    the regions below, which names no OPD), and the admin's changes of it (with who, when and why), oldest
    first (2 queries)."""
    changes = member.conflict_records.filter(kind=ConflictChange.CHANGED_BY_ADMIN).select_related(
        "changed_by"
    )
    if member.category.scheme.open_to_regions_below:
        return [], list(member.conflict_regions.order_by("name")), list(changes)
    return list(member.conflict_opds.order_by("name")), [], list(changes)
