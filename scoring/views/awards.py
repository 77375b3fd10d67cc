"""Award schemes for the admin (settings, nominations, jurors, results, finalising) and score sheets for
jurors. A juror sees other jurors' scores only after submitting their own, unless the scheme allows it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from innovasi.accounts.enums import Role
from innovasi.accounts.models import User
from innovasi.standards.selectors import cycle_current
from submissions.enums import InnovationState
from submissions.models import Innovation

from ..forms import ConflictChangeForm, ConflictForm, SchemeSettingsForm
from ..models import AwardCategory, JuryMember, Nomination
from ..selectors import awards as award_selectors
from ..services import awards as award_services
from ..services.verification import ScoringError


def _admin(request):
    if not request.user.has_perm("scoring.manage_awards"):
        raise PermissionDenied(_("Skema penghargaan dikelola admin Bappeda."))


def _scheme(request, pk):
    return award_selectors.scheme_get(region_id=request.user.region_id, pk=pk)


@login_required
def scheme_list(request):
    _admin(request)
    cycle = cycle_current(region_id=request.user.region_id)
    if request.method == "POST" and cycle is not None:
        try:
            scheme = award_services.scheme_from_preset(cycle=cycle, preset=request.POST.get("preset", ""))
        except ScoringError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Skema «%(name)s» dibuat.") % {"name": scheme.name})
            return redirect("scoring:award", pk=scheme.pk)
    return render(
        request,
        "scoring/awards/scheme_list.html",
        {"schemes": award_selectors.schemes_of(region_id=request.user.region_id), "cycle": cycle},
    )


@login_required
def scheme_detail(request, pk):
    _admin(request)
    scheme = _scheme(request, pk)
    categories = award_selectors.scheme_categories(scheme)
    return render(
        request,
        "scoring/awards/scheme_detail.html",
        {
            "scheme": scheme,
            "categories": [(category, _ranking_rows(category)) for category in categories],
            "criteria": list(scheme.criteria.all()),
            "settings_form": SchemeSettingsForm(instance=scheme),
            "suggestions": award_selectors.nomination_suggestions(scheme),
            "verified": Innovation.objects.filter(cycle=scheme.cycle, state=InnovationState.TERVERIFIKASI)
            .exclude(nominations__scheme=scheme)
            .select_related("opd")
            .order_by("name"),
            "juri_accounts": User.objects.filter(
                role=Role.JURI, region_id=request.user.region_id, is_active=True
            ),
            "progress": award_selectors.jury_progress(scheme),
            "weights_total": sum(criterion.weight for criterion in scheme.criteria.all()),
        },
    )


def _ranking_rows(category, *, names=True):
    """The category's ranking for display: each row with its nomination and every juror's values."""
    nominations = {str(nomination.pk): nomination for nomination in category.nominations.all()}
    jurors = {str(member.pk): member.juror for member in category.jurors.all()}
    rows = []
    for row in award_services.category_ranking(category):
        scores = [
            (
                str(jurors[juror]) if names else _("Juri %(n)d") % {"n": position},
                raw,
                row.normalised[juror] if row.normalised else None,
            )
            for position, (juror, raw) in enumerate(row.raw.items(), start=1)
        ]
        rows.append({"row": row, "nomination": nominations[row.ref], "scores": scores})
    return rows


@login_required
@require_POST
def scheme_settings(request, pk):
    _admin(request)
    scheme = _scheme(request, pk)
    form = SchemeSettingsForm(request.POST, instance=scheme)
    names = request.POST.getlist("criterion_name")
    weights = request.POST.getlist("criterion_weight")
    ids = request.POST.getlist("criterion_id")
    category_names = request.POST.getlist("category_name")
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
    fields = {field: form.cleaned_data[field] for field in SchemeSettingsForm.Meta.fields}
    try:
        with transaction.atomic():
            award_services.scheme_update(
                scheme=scheme,
                version=form.cleaned_data["version"],
                settings=fields,
                criteria=criteria,
                categories=categories,
            )
    except ScoringError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Pengaturan skema disimpan."))
    return redirect("scoring:award", pk=scheme.pk)


@login_required
@require_POST
def nominate(request, pk):
    _admin(request)
    scheme = _scheme(request, pk)
    category = get_object_or_404(AwardCategory, pk=request.POST.get("category") or 0, scheme=scheme)
    innovation = get_object_or_404(
        Innovation,
        pk=request.POST.get("innovation") or 0,
        cycle=scheme.cycle,
        opd__region_id=request.user.region_id,
    )
    try:
        award_services.nominate(category=category, innovation=innovation, by=request.user)
        messages.success(request, _("«%(name)s» dinominasikan.") % {"name": innovation.name})
    except ScoringError as error:
        messages.error(request, error.message)
    return redirect(reverse("scoring:award", args=[scheme.pk]) + "#nominasi")


@login_required
@require_POST
def nomination_remove(request, pk):
    _admin(request)
    nomination = get_object_or_404(Nomination.objects.select_related("scheme__cycle"), pk=pk)
    scheme = _scheme(request, nomination.scheme_id)
    try:
        award_services.nomination_remove(nomination=nomination)
    except ScoringError as error:
        messages.error(request, error.message)
    return redirect(reverse("scoring:award", args=[scheme.pk]) + "#nominasi")


@login_required
@require_POST
def jury_assign(request, pk):
    _admin(request)
    scheme = _scheme(request, pk)
    category = get_object_or_404(AwardCategory, pk=request.POST.get("category") or 0, scheme=scheme)
    juror = get_object_or_404(User, pk=request.POST.get("juror") or 0, region_id=request.user.region_id)
    try:
        award_services.jury_assign(category=category, juror=juror)
        messages.success(
            request, _("%(user)s menjadi juri %(category)s.") % {"user": juror, "category": category}
        )
    except ScoringError as error:
        messages.error(request, error.message)
    return redirect(reverse("scoring:award", args=[scheme.pk]) + "#juri")


@login_required
@require_POST
def finalise(request, pk):
    _admin(request)
    scheme = _scheme(request, pk)
    try:
        award_services.scheme_finalise(scheme=scheme, by=request.user)
        messages.success(request, _("Skema difinalkan; hasilnya terkunci."))
    except ScoringError as error:
        messages.error(request, error.message)
    return redirect("scoring:award", pk=scheme.pk)


@login_required
@require_POST
def jury_conflicts_change(request, pk):
    """The admin changes a juror's conflict declaration (an OPD removed or added), saying why."""
    _admin(request)
    member = get_object_or_404(JuryMember.objects.select_related("category", "juror"), pk=pk)
    scheme = _scheme(request, member.category.scheme_id)
    form = ConflictChangeForm(request.POST, opds=award_selectors.conflict_choices(member))
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect(reverse("scoring:award", args=[scheme.pk]) + "#juri")
    try:
        award_services.conflicts_change(
            member=member, opds=form.cleaned_data["opds"], reason=form.cleaned_data["reason"], by=request.user
        )
        messages.success(request, _("Pernyataan konflik %(user)s diubah.") % {"user": member.juror})
    except ScoringError as error:
        messages.error(request, error.message)
    return redirect(reverse("scoring:award", args=[scheme.pk]) + "#juri")


@login_required
def jury_home(request):
    if request.user.role != Role.JURI:
        raise PermissionDenied(_("Halaman ini untuk juri."))
    return render(request, "scoring/awards/jury_home.html", {"seats": award_selectors.seats_of(request.user)})


def _seat(request, pk):
    if request.user.role != Role.JURI:
        raise PermissionDenied(_("Halaman ini untuk juri."))
    return award_selectors.seat_get(user=request.user, pk=pk)


@login_required
def jury_sheet(request, pk):
    """The juror's sheet: declare conflicts first, then score each nominee on each criterion."""
    member = _seat(request, pk)
    scheme = member.category.scheme
    context = {
        "member": member,
        "scheme": scheme,
        "criteria": list(scheme.criteria.all()),
        "scale": range(scheme.scale_min, scheme.scale_max + 1),
    }
    if member.declared_at is None:
        context["conflict_form"] = ConflictForm(opds=award_selectors.conflict_choices(member))
    else:
        context["declared_opds"], context["conflict_changes"] = award_selectors.declaration(member)
        if not member.submitted_at and not scheme.is_final:
            # A later declaration may only add: the form offers the OPDs not declared yet.
            remaining = award_selectors.conflict_choices(member).exclude(pk__in=member.conflict_opds.all())
            context["conflict_add_form"] = ConflictForm(opds=remaining)
        context["nominations"] = award_selectors.sheet(member)
        if award_selectors.others_visible(member):
            context["ranking"] = _ranking_rows(member.category, names=False)
    return render(request, "scoring/awards/jury_sheet.html", context)


@login_required
@require_POST
def jury_declare(request, pk):
    member = _seat(request, pk)
    form = ConflictForm(request.POST, opds=award_selectors.conflict_choices(member))
    if not form.is_valid():
        messages.error(request, _("Centang pernyataan bahwa daftar konflik Anda lengkap."))
        return redirect("scoring:jury_sheet", pk=member.pk)
    try:
        award_services.conflicts_declare(
            member=member, opds=form.cleaned_data["opds"], note=form.cleaned_data["note"]
        )
    except ScoringError as error:
        messages.error(request, error.message)
    return redirect("scoring:jury_sheet", pk=member.pk)


@login_required
@require_POST
def jury_score(request, pk, nomination_pk):
    """Save a draft of one nominee's scores (htmx answers the nominee's row)."""
    member = _seat(request, pk)
    nomination = get_object_or_404(
        Nomination.objects.select_related("innovation__opd"), pk=nomination_pk, category=member.category
    )
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
            member=member, nomination=nomination, scores=scores, comment=request.POST.get("comment", "")
        )
    except ValueError:
        error = _("Nilai harus bilangan bulat.")
    except ScoringError as failure:
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


@login_required
@require_POST
def jury_submit(request, pk):
    member = _seat(request, pk)
    try:
        award_services.sheet_submit(member=member)
        messages.success(request, _("Nilai Anda terkirim. Terima kasih."))
    except ScoringError as error:
        messages.error(request, error.message)
    return redirect("scoring:jury_sheet", pk=member.pk)
