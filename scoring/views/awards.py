"""Award schemes for the admin (settings, nominations, jurors, results, finalising), score sheets for
jurors, and the entries of a kabupaten or kota in its province's schemes. A juror sees other jurors'
scores only after submitting their own, unless the scheme allows it."""

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from innovasi.accounts.enums import RegionKind
from innovasi.accounts.models import User
from innovasi.accounts.permissions import allowed, permission_required
from innovasi.errors import PortalError
from innovasi.http import int_param, text_param, texts_param
from innovasi.standards.selectors import cycle_current, cycle_stages
from submissions.models import Innovation

from ..forms import ConflictChangeForm, ConflictForm, SchemeSettingsForm
from ..models import AwardCategory, JuryMember
from ..selectors import awards as award_selectors
from ..services import awards as award_services


def _scheme(request, pk):
    return award_selectors.scheme_get(region_id=request.user.region_id, pk=pk)


def _seat(request, pk):
    return award_selectors.seat_get(user=request.user, pk=pk)


def _jury_member(request, pk):
    return get_object_or_404(
        JuryMember.objects.select_related("category__scheme__cycle", "juror"),
        pk=pk,
        category__scheme__cycle__region_id=request.user.region_id,
    )


def _nomination(request, pk):
    return award_selectors.nomination_get(region_id=request.user.region_id, pk=pk)


def _scheme_open_to(request, pk):
    return award_selectors.scheme_open_to(region=request.user.region, pk=pk)


def _entry(request, pk):
    return award_selectors.entry_get(region=request.user.region, pk=pk)


@permission_required("scoring.manage_awards")
def scheme_list(request):
    cycle = cycle_current(region_id=request.user.region_id)
    if request.method == "POST" and cycle is not None:
        try:
            scheme = award_services.scheme_from_preset(cycle=cycle, preset=request.POST.get("preset", ""))
        except PortalError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Skema «%(name)s» dibuat.") % {"name": scheme.name})
            return redirect("scoring:award", pk=scheme.pk)
    return render(
        request,
        "scoring/awards/scheme_list.html",
        {
            "schemes": award_selectors.schemes_of(region_id=request.user.region_id),
            "cycle": cycle,
            "for_regions_below": request.user.region.kind == RegionKind.PROVINSI,
        },
    )


@require_safe
@permission_required("scoring.manage_awards", of=_scheme)
def scheme_detail(request, scheme):
    categories = award_selectors.scheme_categories(scheme)
    rankings = award_selectors.scheme_rankings(scheme, categories)
    return render(
        request,
        "scoring/awards/scheme_detail.html",
        {
            "scheme": scheme,
            "categories": [
                (category, _ranking_rows(category, rankings[category.pk])) for category in categories
            ],
            "criteria": list(scheme.criteria.all()),
            "settings_form": SchemeSettingsForm(instance=scheme),
            **_nomination_sources(scheme),
            "juri_accounts": award_selectors.juror_accounts(region_id=request.user.region_id),
            "progress": award_selectors.jury_progress(scheme),
            "weights_total": sum(criterion.weight for criterion in scheme.criteria.all()),
            "gaps": [] if scheme.is_final else award_selectors.scheme_gaps(categories, rankings),
        },
    )


def _nomination_sources(scheme):
    """Where the scheme's nominees come from: the region's verified innovations the admin nominates (the
    best suggested), or, in a scheme open to the regions below, the entries each of them has made."""
    if scheme.open_to_regions_below:
        return {"entries_per_region": award_selectors.entries_per_region(scheme)}
    return {
        "suggestions": award_selectors.nomination_suggestions(scheme),
        "verified": award_selectors.nomination_candidates(scheme),
    }


def _ranking_rows(category, ranking, *, names=True, shown=None):
    """A category's ranking for display: each row with its nomination and every juror's values (only the
    nominations of ``shown`` when given: a juror's own sheet)."""
    nominations = {str(nomination.pk): nomination for nomination in category.nominations.all()}
    jurors = {str(member.pk): member.juror for member in category.jurors.all()}
    seated = len(jurors)
    rows = []
    for row in ranking:
        if shown is not None and int(row.ref) not in shown:
            continue
        scores = [
            (
                str(jurors[juror]) if names else _("Juri %(n)d") % {"n": position},
                raw,
                row.normalised[juror] if row.normalised else None,
            )
            for position, (juror, raw) in enumerate(row.raw.items(), start=1)
        ]
        rows.append({"row": row, "nomination": nominations[row.ref], "scores": scores, "seated": seated})
    return rows


@require_POST
@permission_required("scoring.manage_awards", of=_scheme)
def scheme_settings(request, scheme):
    form = SchemeSettingsForm(request.POST, instance=scheme)
    names = texts_param(request.POST, "criterion_name")
    weights = request.POST.getlist("criterion_weight")
    ids = request.POST.getlist("criterion_id")
    category_names = texts_param(request.POST, "category_name")
    category_ids = request.POST.getlist("category_id")
    try:
        criteria = [
            (int(pk_) if pk_ else None, name.strip(), int(weight))
            for pk_, name, weight in zip(ids, names, weights, strict=True)
            if name.strip()
        ]
        categories = [
            (int(pk_) if pk_ else None, name.strip())
            for pk_, name in zip(category_ids, category_names, strict=True)
            if name.strip()
        ]
    except ValueError:
        messages.error(request, _("Bobot kriteria harus bilangan bulat."))
        return redirect("scoring:award", pk=scheme.pk)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect("scoring:award", pk=scheme.pk)
    try:
        with transaction.atomic():
            award_services.scheme_update(
                scheme=scheme,
                version=form.cleaned_data["version"],
                settings=form.settings,
                criteria=criteria,
                categories=categories,
            )
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Pengaturan skema disimpan."))
    return redirect("scoring:award", pk=scheme.pk)


@require_POST
@permission_required("scoring.manage_awards", of=_scheme)
def nominate(request, scheme):
    category = get_object_or_404(
        AwardCategory, pk=int_param(request.POST, "category", required=True), scheme=scheme
    )
    innovation = get_object_or_404(
        Innovation,
        pk=int_param(request.POST, "innovation", required=True),
        cycle=scheme.cycle,
        opd__region_id=request.user.region_id,
    )
    try:
        award_services.nominate(category=category, innovation=innovation, by=request.user)
        messages.success(request, _("«%(name)s» dinominasikan.") % {"name": innovation.name})
    except PortalError as error:
        messages.error(request, error.message)
    return redirect(reverse("scoring:award", args=[scheme.pk]) + "#nominasi")


@require_POST
@permission_required("scoring.manage_awards", of=_nomination)
def nomination_remove(request, nomination):
    scheme = nomination.scheme
    try:
        award_services.nomination_remove(nomination=nomination, by=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    return redirect(reverse("scoring:award", args=[scheme.pk]) + "#nominasi")


@require_POST
@permission_required("scoring.manage_awards", of=_scheme)
def jury_assign(request, scheme):
    category = get_object_or_404(
        AwardCategory, pk=int_param(request.POST, "category", required=True), scheme=scheme
    )
    juror = get_object_or_404(
        User, pk=int_param(request.POST, "juror", required=True), region_id=request.user.region_id
    )
    try:
        award_services.jury_assign(category=category, juror=juror)
        messages.success(
            request, _("%(user)s menjadi juri %(category)s.") % {"user": juror, "category": category}
        )
    except PortalError as error:
        messages.error(request, error.message)
    return redirect(reverse("scoring:award", args=[scheme.pk]) + "#juri")


@require_POST
@permission_required("scoring.manage_awards", of=_scheme)
def finalise(request, scheme):
    try:
        award_services.scheme_finalise(
            scheme=scheme, by=request.user, reason=text_param(request.POST, "reason")
        )
        messages.success(request, _("Skema difinalkan; hasilnya terkunci."))
    except PortalError as error:
        messages.error(request, error.message)
    return redirect("scoring:award", pk=scheme.pk)


@require_POST
@permission_required("scoring.manage_awards", of=_jury_member)
def jury_conflicts_change(request, member):
    """The admin changes a juror's conflict declaration (an OPD removed or added), saying why."""
    scheme = member.category.scheme
    form = ConflictChangeForm(request.POST, choices=award_selectors.conflict_choices(member))
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(reverse("scoring:award", args=[scheme.pk]) + "#juri")
    try:
        award_services.conflicts_change(
            member=member,
            opds=form.cleaned_data["opds"],
            regions=form.cleaned_data["regions"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
        messages.success(request, _("Pernyataan konflik %(user)s diubah.") % {"user": member.juror})
    except PortalError as error:
        messages.error(request, error.message)
    return redirect(reverse("scoring:award", args=[scheme.pk]) + "#juri")


@require_safe
@permission_required("scoring.judge_awards")
def jury_home(request):
    cycle = cycle_current(region_id=request.user.region_id)
    return render(
        request,
        "scoring/awards/jury_home.html",
        {
            "seats": award_selectors.seats_of(request.user),
            "stages": cycle_stages(cycle=cycle) if cycle else None,
        },
    )


@require_safe
@permission_required("scoring.score_seat", of=_seat)
def jury_sheet(request, member):
    """The juror's sheet: declare conflicts first, then score each nominee on each criterion."""
    scheme = member.category.scheme
    context = {
        "member": member,
        "scheme": scheme,
        "criteria": list(scheme.criteria.all()),
        "scale": range(scheme.scale_min, scheme.scale_max + 1),
    }
    if member.declared_at is None:
        context["conflict_form"] = ConflictForm(choices=award_selectors.conflict_choices(member))
    else:
        context["declared_opds"], context["declared_regions"], context["conflict_changes"] = (
            award_selectors.declaration(member)
        )
        if not member.submitted_at and not scheme.is_final:
            # A later declaration may only add: the form offers what is not declared yet.
            remaining = award_selectors.conflict_choices(member).exclude(
                pk__in=[item.pk for item in context["declared_opds"] or context["declared_regions"]]
            )
            context["conflict_add_form"] = ConflictForm(choices=remaining)
        context["nominations"] = award_selectors.sheet(member)
        context["hidden"] = award_selectors.hidden_from(member) if scheme.open_to_regions_below else 0
        if award_selectors.others_visible(member):
            (category,) = award_selectors.categories_of(member.category_id)
            ranking = award_selectors.scheme_rankings(scheme, [category])[category.pk]
            shown = {nomination.pk for nomination in context["nominations"]}
            context["ranking"] = _ranking_rows(category, ranking, names=False, shown=shown)
            # Ranks among entries the juror does not see would tell where those entries came.
            context["ranks_shown"] = not context["hidden"]
    return render(request, "scoring/awards/jury_sheet.html", context)


@require_POST
@permission_required("scoring.score_seat", of=_seat)
def jury_declare(request, member):
    form = ConflictForm(request.POST, choices=award_selectors.conflict_choices(member))
    if not form.is_valid():
        messages.error(request, _("Centang pernyataan bahwa daftar konflik Anda lengkap."))
        return redirect("scoring:jury_sheet", pk=member.pk)
    try:
        award_services.conflicts_declare(
            member=member,
            opds=form.cleaned_data["opds"],
            regions=form.cleaned_data["regions"],
            note=form.cleaned_data["note"],
        )
    except PortalError as error:
        messages.error(request, error.message)
    return redirect("scoring:jury_sheet", pk=member.pk)


@require_POST
@permission_required("scoring.score_seat", of=_seat)
def jury_score(request, member, nomination_pk):
    """Save a draft of one nominee's scores (htmx answers the nominee's row)."""
    nomination = award_selectors.sheet_nomination(member, nomination_pk)
    criteria = list(member.category.scheme.criteria.all())
    error = None
    try:
        scores = {
            criterion.pk: int(request.POST[f"c{criterion.pk}"])
            if request.POST.get(f"c{criterion.pk}")
            else None
            for criterion in criteria
        }
        award_services.scores_save(
            member=member, nomination=nomination, scores=scores, comment=text_param(request.POST, "comment")
        )
    except ValueError:
        error = _("Nilai harus bilangan bulat.")
    except PortalError as failure:
        error = failure.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("scoring:jury_sheet", args=[member.pk]) + f"#nominasi-{nomination.pk}")
    row = next(item for item in award_selectors.sheet(member) if item.pk == nomination.pk)
    return render(
        request,
        "scoring/awards/includes/_score_row.html",
        {
            "member": member,
            "nomination": row,
            "criteria": criteria,
            "error": error,
            "saved": error is None,
            "scheme": member.category.scheme,
        },
    )


@require_POST
@permission_required("scoring.score_seat", of=_seat)
def jury_submit(request, member):
    try:
        award_services.sheet_submit(member=member)
        messages.success(request, _("Nilai Anda terkirim. Terima kasih."))
    except PortalError as error:
        messages.error(request, error.message)
    return redirect("scoring:jury_sheet", pk=member.pk)


@require_safe
@permission_required("scoring.view_entries")
def entry_schemes(request):
    """The schemes of the region's province open to it, with how many entries the region has in each."""
    return render(
        request,
        "scoring/awards/entry_schemes.html",
        {"schemes": award_selectors.schemes_open_to(request.user.region)},
    )


@require_safe
@permission_required("scoring.view_entries", of=_scheme_open_to)
def entry_scheme(request, scheme):
    """A province's scheme as a kabupaten or kota sees it: the call (categories, limit, deadline), its own
    entries with their status and, once final, their result; and for its admin the form to enter more."""
    entries = award_selectors.entries_of(scheme, region_id=request.user.region_id)
    deadline_passed = timezone.localdate() > scheme.entry_deadline
    may_enter = allowed(request.user, "scoring.enter_awards", scheme)
    return render(
        request,
        "scoring/awards/entry_scheme.html",
        {
            "scheme": scheme,
            "entries": entries,
            "places_left": max(scheme.entries_per_region - len(entries), 0),
            "deadline_passed": deadline_passed,
            "candidates": award_selectors.entry_candidates(scheme, region_id=request.user.region_id),
            "may_enter": may_enter,
            # Entering and withdrawing: the region's admin, until the deadline, before the results.
            "may_change": may_enter and not deadline_passed and not scheme.is_final,
        },
    )


@require_POST
@permission_required("scoring.enter_awards", of=_scheme_open_to)
def entry_submit(request, scheme):
    category = get_object_or_404(
        AwardCategory, pk=int_param(request.POST, "category", required=True), scheme=scheme
    )
    innovation = get_object_or_404(
        Innovation.objects.select_related("opd__region", "cycle"),
        pk=int_param(request.POST, "innovation", required=True),
        opd__region_id=request.user.region_id,
    )
    try:
        award_services.entry_submit(category=category, innovation=innovation, by=request.user)
        messages.success(
            request,
            _("«%(name)s» diajukan ke kategori %(category)s.")
            % {"name": innovation.name, "category": category},
        )
    except PortalError as error:
        messages.error(request, error.message)
    return redirect("scoring:entry_scheme", pk=scheme.pk)


@require_POST
@permission_required("scoring.withdraw_entry", of=_entry)
def entry_withdraw(request, entry):
    try:
        award_services.entry_withdraw(nomination=entry)
        messages.success(request, _("Entri «%(name)s» ditarik.") % {"name": entry.innovation.name})
    except PortalError as error:
        messages.error(request, error.message)
    return redirect("scoring:entry_scheme", pk=entry.scheme_id)
