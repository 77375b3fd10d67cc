"""Bappeda's screens: the verification queue, assignments, the verification screen, the SPD rows; and
the score fragments the OPD's pages load (the live panel, the verdicts)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from innovasi.accounts.models import Opd
from innovasi.standards.selectors import cycle_current
from submissions import selectors as submission_selectors
from submissions.enums import InnovationState
from submissions.files import attachment

from .. import engine, selectors
from ..enums import SnapshotKind
from ..forms import AssignForm, SpdEntryForm, SpdEvidenceForm, VerdictForm
from ..models import IndexSnapshot, SpdEntry, SpdEvidence
from ..selectors import awards as award_selectors
from ..services import spd as spd_services
from ..services import verification as verification_services
from ..services.verification import ScoringError, pending_rows, verifikators_by_open_work


def _require(request, perm, obj=None, message=None):
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied(message or _("Halaman ini bukan untuk peran Anda."))


def _current_cycle(request):
    cycle = cycle_current(region_id=request.user.region_id)
    if cycle is None:
        messages.info(request, _("Belum ada siklus penilaian untuk wilayah Anda."))
    return cycle


@login_required
def innovation_panel(request, pk):
    """The live score of one innovation as claimed: kematangan, empty mandatory rows, eligibility checks.

    Kematangan and eligibility depend on the innovation alone, so the engine runs on a region holding
    just this innovation: the numbers are the ones the cycle's index uses.
    """
    innovation = submission_selectors.innovation_get(user=request.user, pk=pk)
    claims = submission_selectors.innovation_rows(innovation)
    rules = selectors.catalogue_rules(innovation.cycle.catalogue)
    region = engine.RegionInput(spd=(), innovations=(selectors.innovation_input(innovation, claims),))
    result = engine.compute(rules, region).innovations[0]
    maximum = sum(claim.indicator.max_score for claim in claims)
    names = {claim.indicator.code: claim.indicator.name for claim in claims}
    return render(
        request,
        "scoring/includes/_innovation_panel.html",
        {
            "innovation": innovation,
            "result": result,
            "maximum": maximum,
            "percent": round(100 * result.kematangan / maximum) if maximum else 0,
            "missing": [(code, names[code]) for code in result.missing_mandatory],
            "checks": _eligibility_checks(innovation, rules, result),
        },
    )


def _eligibility_checks(innovation, rules, result):
    """(passed, title, hint) for each eligibility rule, in the engine's order."""
    window = {
        "start": date_format(rules.window_start, "j F Y"),
        "end": date_format(rules.window_end, "j F Y"),
    }
    return [
        (
            engine.REASON_TAHAPAN not in result.ineligible_reasons,
            _("Tahapan penerapan"),
            _("Hanya inovasi pada tahapan penerapan yang dihitung dalam indeks."),
        ),
        (
            engine.REASON_WINDOW not in result.ineligible_reasons,
            _("Diterapkan %(start)s – %(end)s") % window,
            _("Waktu penerapan atau pengembangan harus berada dalam rentang ini."),
        ),
        (
            engine.REASON_RANCANG_BANGUN not in result.ineligible_reasons,
            _("Rancang bangun %(words)d / %(minimum)d kata")
            % {"words": innovation.rancang_bangun_words, "minimum": rules.min_words},
            _("Tambah uraian rancang bangun sampai paling sedikit %(minimum)d kata.")
            % {"minimum": rules.min_words},
        ),
    ]


@login_required
def innovation_verdicts(request, pk):
    """The verdict on every row of an innovation, for the OPD's and the readers' innovation page."""
    innovation = submission_selectors.innovation_get(user=request.user, pk=pk)
    _require(request, "scoring.view_verdicts", innovation)
    return render(
        request,
        "scoring/includes/_verdicts.html",
        {
            "innovation": innovation,
            "rows": selectors.verification_rows(innovation),
            "nominations": award_selectors.nominations_of_innovation(innovation),
        },
    )


@login_required
def queue(request):
    _require(request, "scoring.view_queue")
    cycle = _current_cycle(request)
    state = request.GET.get("status", "")
    items = (
        selectors.queue(
            user=request.user,
            cycle=cycle,
            state=state,
            opd_id=request.GET.get("opd") or None,
            query=request.GET.get("q", "").strip(),
            verifikator_id=request.GET.get("verifikator") or None,
        )
        if cycle
        else []
    )
    return render(
        request,
        "scoring/queue.html",
        {
            "cycle": cycle,
            "items": items,
            "state": state,
            "states": [s for s in InnovationState if s != InnovationState.DRAFT],
            "opds": Opd.objects.filter(region_id=request.user.region_id, is_active=True).order_by("name"),
            "verifikators": verifikators_by_open_work(request.user.region_id)
            if request.user.role == "admin"
            else [],
        },
    )


@login_required
def assignments(request):
    """The admin assigns submitted innovations, one by one or in bulk, helped by the balanced suggestion."""
    _require(request, "scoring.assign")
    cycle = _current_cycle(request)
    verifikators = verifikators_by_open_work(request.user.region_id)
    waiting = list(selectors.unassigned(cycle=cycle)) if cycle else []
    form = AssignForm(request.POST or None, innovations=waiting, verifikators=verifikators)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["innovations"]
        if form.cleaned_data["verifikator"]:
            for innovation in chosen:
                try:
                    assignment = verification_services.assignment_set(
                        innovation=innovation, verifikator=form.cleaned_data["verifikator"], by=request.user
                    )
                    messages.success(
                        request,
                        _("«%(name)s» ditugaskan kepada %(verifikator)s.")
                        % {"name": innovation.name, "verifikator": assignment.verifikator},
                    )
                except ScoringError as error:
                    messages.error(request, f"«{innovation.name}»: {error.message}")
        else:
            for innovation, assignment, reason in verification_services.assignments_balance(
                innovations=chosen, by=request.user
            ):
                if assignment:
                    messages.success(
                        request,
                        _("«%(name)s» → %(user)s")
                        % {"name": innovation.name, "user": assignment.verifikator},
                    )
                else:
                    messages.error(request, f"«{innovation.name}»: {reason}")
        return redirect("scoring:assignments")
    suggestions = {
        innovation.pk: next(
            (
                user
                for user in verifikators
                if verification_services.assignment_conflict(innovation, user) is None
            ),
            None,
        )
        for innovation in waiting
    }
    return render(
        request,
        "scoring/assignments.html",
        {
            "cycle": cycle,
            "form": form,
            "waiting": [(innovation, suggestions[innovation.pk]) for innovation in waiting],
            "verifikators": verifikators,
        },
    )


@login_required
@require_POST
def reassign(request, pk):
    """Change the verifikator of one innovation (its verdicts stay)."""
    _require(request, "scoring.assign")
    innovation = selectors.innovation_for_verification(user=request.user, pk=pk)
    verifikator = next(
        (
            user
            for user in verifikators_by_open_work(request.user.region_id)
            if str(user.pk) == request.POST.get("verifikator")
        ),
        None,
    )
    if verifikator is None:
        messages.error(request, _("Pilih verifikator."))
    else:
        try:
            verification_services.assignment_set(
                innovation=innovation, verifikator=verifikator, by=request.user
            )
            messages.success(request, _("Verifikator diganti; putusan yang sudah ada tetap tersimpan."))
        except ScoringError as error:
            messages.error(request, error.message)
    return redirect("scoring:verify", pk=innovation.pk)


def _row_context(innovation, claim, *, error=None, saved=False, form=None):
    return {
        "innovation": innovation,
        "claim": claim,
        "form": form or VerdictForm(claim=claim, prefix=f"v{claim.pk}"),
        "error": error,
        "saved": saved,
        "editable": innovation.state == InnovationState.DIAJUKAN,
    }


@login_required
def verify(request, pk):
    """The verification screen: per row the claim, the requirement, the evidence and the verdict."""
    innovation = selectors.innovation_for_verification(user=request.user, pk=pk)
    _require(
        request,
        "scoring.judge_innovation",
        innovation,
        _("Hanya verifikator yang ditugaskan (atau admin) yang dapat memverifikasi inovasi ini."),
    )
    rows = selectors.verification_rows(innovation)
    return render(
        request,
        "scoring/verify.html",
        {
            "innovation": innovation,
            "rows": [_row_context(innovation, claim) for claim in rows if claim.level],
            "unclaimed": [claim for claim in rows if not claim.level],
            "pending": pending_rows(innovation),
            "editable": innovation.state == InnovationState.DIAJUKAN,
            "verifikators": verifikators_by_open_work(request.user.region_id)
            if request.user.role == "admin"
            else [],
            "documents": submission_selectors.innovation_documents(innovation),
        },
    )


@login_required
@require_POST
def verdict_save(request, pk, claim_pk):
    innovation = selectors.innovation_for_verification(user=request.user, pk=pk)
    _require(request, "scoring.judge_innovation", innovation)
    claim = next((row for row in selectors.verification_rows(innovation) if row.pk == claim_pk), None)
    if claim is None:
        raise PermissionDenied
    form = VerdictForm(request.POST, claim=claim, prefix=f"v{claim.pk}")
    error = None
    if form.is_valid():
        try:
            verification_services.verdict_save(claim=claim, user=request.user, **form.cleaned_data)
        except ScoringError as failure:
            error = failure.message
    else:
        error = " ".join(message for errors in form.errors.values() for message in errors)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("scoring:verify", args=[innovation.pk]) + f"#baris-{claim.pk}")
    claim = next(row for row in selectors.verification_rows(innovation) if row.pk == claim_pk)
    context = _row_context(innovation, claim, error=error, saved=error is None, form=form if error else None)
    response = render(request, "scoring/includes/_verdict_row.html", context)
    response["HX-Trigger"] = "verdictSaved"
    return response


@login_required
def verify_progress(request, pk):
    """The finish box: rows still pending, and the verify / return buttons once none are."""
    innovation = selectors.innovation_for_verification(user=request.user, pk=pk)
    _require(request, "scoring.judge_innovation", innovation)
    return render(
        request,
        "scoring/includes/_finish.html",
        {
            "innovation": innovation,
            "pending": pending_rows(innovation),
            "editable": innovation.state == InnovationState.DIAJUKAN,
        },
    )


@login_required
@require_POST
def verify_finish(request, pk):
    innovation = selectors.innovation_for_verification(user=request.user, pk=pk)
    _require(request, "scoring.judge_innovation", innovation)
    action = request.POST.get("action", "")
    try:
        verification_services.verification_finish(
            innovation=innovation, user=request.user, action=action, note=request.POST.get("note", "")
        )
    except ScoringError as error:
        messages.error(request, error.message)
        return redirect("scoring:verify", pk=innovation.pk)
    if action == "verify":
        messages.success(request, _("«%(name)s» terverifikasi. OPD diberi tahu.") % {"name": innovation.name})
    else:
        messages.success(
            request, _("«%(name)s» dikembalikan ke OPD untuk diperbaiki.") % {"name": innovation.name}
        )
    return redirect("scoring:queue")


@login_required
def spd(request):
    """The region's own indicator rows: the admin fills them, a verifikator or another admin accepts."""
    _require(request, "scoring.view_spd")
    cycle = _current_cycle(request)
    if cycle is None:
        return redirect("home")
    spd_services.spd_entries_ensure(cycle)
    rows = selectors.spd_rows(cycle)
    return render(
        request,
        "scoring/spd.html",
        {
            "cycle": cycle,
            "rows": [
                {
                    "entry": entry,
                    "form": SpdEntryForm(entry=entry, prefix=f"s{entry.pk}"),
                    "upload": SpdEvidenceForm(),
                }
                for entry in rows
            ],
            "can_change": request.user.has_perm("scoring.change_spd"),
            "can_accept": request.user.has_perm("scoring.accept_spd"),
            "claimed": selectors.snapshot_newest(cycle=cycle, kind=SnapshotKind.CLAIMED),
            "verified": selectors.snapshot_newest(cycle=cycle, kind=SnapshotKind.VERIFIED),
        },
    )


def _spd_entry(request, pk):
    entry = get_object_or_404(SpdEntry.objects.select_related("cycle", "indicator"), pk=pk)
    if entry.cycle.region_id != request.user.region_id:
        raise Http404(_("Baris SPD tidak ditemukan."))
    return entry


@login_required
@require_POST
def spd_save(request, pk):
    entry = _spd_entry(request, pk)
    _require(request, "scoring.change_spd", entry)
    form = SpdEntryForm(request.POST, entry=entry, prefix=f"s{entry.pk}")
    try:
        if not form.is_valid():
            raise ScoringError(" ".join(m for errors in form.errors.values() for m in errors))
        spd_services.spd_entry_save(entry=entry, user=request.user, **form.cleaned_data)
        messages.success(request, _("Baris %(code)s disimpan.") % {"code": entry.indicator.code})
    except ScoringError as error:
        messages.error(request, error.message)
    return redirect(reverse("scoring:spd") + f"#spd-{entry.pk}")


@login_required
@require_POST
def spd_upload(request, pk):
    entry = _spd_entry(request, pk)
    _require(request, "scoring.change_spd", entry)
    form = SpdEvidenceForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(_("Pilih berkas bukti terlebih dahulu."))
        spd_services.spd_evidence_add(entry=entry, user=request.user, uploaded=form.cleaned_data["file"])
        messages.success(request, _("Bukti %(code)s diunggah.") % {"code": entry.indicator.code})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except ScoringError as error:
        messages.error(request, error.message)
    return redirect(reverse("scoring:spd") + f"#spd-{entry.pk}")


@login_required
@require_POST
def spd_evidence_remove(request, pk):
    evidence = get_object_or_404(SpdEvidence.objects.select_related("entry__cycle"), pk=pk)
    entry = _spd_entry(request, evidence.entry_id)
    _require(request, "scoring.change_spd", entry)
    try:
        spd_services.spd_evidence_remove(evidence=evidence, user=request.user)
    except ScoringError as error:
        messages.error(request, error.message)
    return redirect(reverse("scoring:spd") + f"#spd-{entry.pk}")


@login_required
def spd_evidence_download(request, pk):
    evidence = get_object_or_404(SpdEvidence.objects.select_related("entry__cycle"), pk=pk)
    entry = _spd_entry(request, evidence.entry_id)
    _require(request, "scoring.view_spd", entry)
    return attachment(evidence.file, evidence.original_name)


@login_required
@require_POST
def spd_accept(request, pk):
    entry = _spd_entry(request, pk)
    _require(request, "scoring.accept_spd", entry)
    try:
        spd_services.spd_accept(entry=entry, user=request.user)
        messages.success(
            request, _("Baris %(code)s diterima untuk indeks terverifikasi.") % {"code": entry.indicator.code}
        )
    except ScoringError as error:
        messages.error(request, error.message)
    return redirect(reverse("scoring:spd") + f"#spd-{entry.pk}")


def _snapshot_context(cycle):
    claimed = selectors.snapshot_newest(cycle=cycle, kind=SnapshotKind.CLAIMED)
    verified = selectors.snapshot_newest(cycle=cycle, kind=SnapshotKind.VERIFIED)
    return {
        "cycle": cycle,
        "claimed": claimed,
        "verified": verified,
        "score_state": selectors.score_state(cycle),
        "actions": selectors.actions_described(cycle=cycle, payload=verified.result) if verified else [],
        "contributions": selectors.contributions_named(payload=verified.result) if verified else [],
    }


@login_required
def index_overview(request):
    """The cycle's index as the newest snapshots hold it, its next best actions and its history."""
    _require(request, "scoring.view_index")
    cycle = _current_cycle(request)
    if cycle is None:
        return redirect("home")
    kind = request.GET.get("jenis", SnapshotKind.VERIFIED)
    if kind not in SnapshotKind.values:
        kind = SnapshotKind.VERIFIED
    return render(
        request,
        "scoring/index.html",
        {
            **_snapshot_context(cycle),
            "kind": kind,
            "kinds": SnapshotKind,
            "history": selectors.snapshot_history(cycle=cycle, kind=kind),
        },
    )


@login_required
def snapshot_detail(request, pk):
    """What changed in one snapshot from the one before it."""
    _require(request, "scoring.view_index")
    snapshot = get_object_or_404(IndexSnapshot.objects.select_related("cycle"), pk=pk)
    if snapshot.cycle.region_id != request.user.region_id:
        raise Http404(_("Potret indeks tidak ditemukan."))
    return render(
        request,
        "scoring/snapshot_detail.html",
        {"snapshot": snapshot, "changes": selectors.snapshot_changes(snapshot)},
    )
