"""Bappeda's screens: the verification queue, assignments, the verification screen, the SPD rows; and
the score fragments the OPD's pages load (the live panel, the verdicts)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from innovasi.accounts.models import Opd
from innovasi.accounts.permissions import allowed, permission_required, visible_or_404
from innovasi.errors import PortalError
from innovasi.http import choice_param, int_param, text_param
from innovasi.standards.scoring import row_score
from innovasi.standards.selectors import cycle_current, cycle_stages
from submissions import selectors as submission_selectors
from submissions.enums import OPD_ONLY_STATES, InnovationState
from submissions.files import attachment

from .. import engine
from ..enums import SnapshotKind
from ..forms import AssignForm, SpdEntryForm, SpdEvidenceForm, VerdictForm
from ..models import IndexSnapshot, SpdEntry, SpdEvidence
from ..selectors import awards as award_selectors
from ..selectors import index as index_selectors
from ..selectors import inputs
from ..selectors import verification as selectors
from ..services import spd as spd_services
from ..services import verification as verification_services


def _current_cycle(request):
    cycle = cycle_current(region_id=request.user.region_id)
    if cycle is None:
        messages.info(request, _("Belum ada siklus penilaian untuk wilayah Anda."))
    return cycle


def _innovation(request, pk):
    """The innovation among those the user may see, with what the verification screens show (or 404)."""
    return selectors.innovation_for_verification(user=request.user, pk=pk)


def _visible_innovation(request, pk):
    return submission_selectors.innovation_get(user=request.user, pk=pk)


def _spd_entry(request, pk):
    return visible_or_404(
        SpdEntry.objects.select_related("cycle", "indicator"),
        pk,
        request.user,
        "scoring.view_spd",
        _("Baris SPD tidak ditemukan."),
    )


def _spd_evidence(request, pk):
    return visible_or_404(
        SpdEvidence.objects.select_related("entry__cycle", "entry__indicator"),
        pk,
        request.user,
        "scoring.view_spd",
        _("Bukti SPD tidak ditemukan."),
    )


def _snapshot(request, pk):
    return visible_or_404(
        IndexSnapshot.objects.select_related("cycle"),
        pk,
        request.user,
        "scoring.view_index",
        _("Potret indeks tidak ditemukan."),
    )


@require_safe
@permission_required("submissions.view_innovation", of=_visible_innovation)
def innovation_panel(request, innovation):
    """The live score of one innovation as claimed: kematangan, empty mandatory rows, eligibility checks.

    Kematangan and eligibility depend on the innovation alone, so the engine runs on a region holding
    just this innovation: the numbers are the ones the cycle's index uses.
    """
    rules = inputs.catalogue_rules(innovation.cycle.catalogue)
    region = engine.RegionInput(spd=(), innovations=(inputs.innovation_as_claimed(innovation),))
    result = engine.compute(rules, region).innovations[0]
    maximum = rules.sid_maximum
    names = inputs.indicator_names(innovation.cycle.catalogue, result.missing_mandatory)
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


@require_safe
@permission_required("scoring.view_verdicts", of=_visible_innovation)
def innovation_verdicts(request, innovation):
    """The verdict on every row of an innovation, for the OPD's and the readers' innovation page."""
    return render(
        request,
        "scoring/includes/_verdicts.html",
        {
            "innovation": innovation,
            "rows": selectors.verification_rows(innovation),
            "nominations": award_selectors.nominations_of_innovation(innovation),
        },
    )


@require_safe
@permission_required("scoring.view_verdicts", of=_visible_innovation)
def row_verdicts(request, innovation):
    """Each claimed row's verdict for the OPD's edit page, out of band into the row: the verdict, the
    level accepted and what that row scores as verified; a row changed since is waiting again."""
    rows = selectors.claimed_rows_with_verdicts(innovation)
    for claim in rows:
        verdict = getattr(claim, "verification", None)
        claim.verdict = verdict
        claim.accepted_score = row_score(claim.indicator.weight, verdict.level, True) if verdict else None
    return render(request, "scoring/includes/_row_verdicts.html", {"rows": rows})


@require_safe
@permission_required("scoring.view_queue")
def queue(request):
    cycle = _current_cycle(request)
    state = choice_param(request.GET, "status", InnovationState.values)
    manages = allowed(request.user, "scoring.assign")
    items = (
        selectors.queue(
            user=request.user,
            cycle=cycle,
            state=state,
            opd_id=int_param(request.GET, "opd"),
            query=text_param(request.GET, "q"),
            verifikator_id=int_param(request.GET, "verifikator"),
        )
        if cycle
        else []
    )
    return render(
        request,
        "scoring/queue.html",
        {
            "cycle": cycle,
            "stages": cycle_stages(cycle=cycle) if cycle else None,
            "items": items,
            "state": state,
            "states": [s for s in InnovationState if s not in OPD_ONLY_STATES],
            "opds": Opd.objects.filter(region_id=request.user.region_id, is_active=True).order_by("name"),
            "manages": manages,
            "verifikators": selectors.verifikators_by_open_work(request.user.region_id) if manages else [],
        },
    )


@permission_required("scoring.assign")
def assignments(request):
    """The admin assigns submitted innovations, one by one or in bulk, helped by the balanced suggestion."""
    cycle = _current_cycle(request)
    verifikators = selectors.verifikators_by_open_work(request.user.region_id)
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
                except PortalError as error:
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
    return render(
        request,
        "scoring/assignments.html",
        {
            "cycle": cycle,
            "form": form,
            "waiting": [
                (innovation, selectors.suggested_verifikator(innovation, verifikators))
                for innovation in waiting
            ],
            "verifikators": verifikators,
        },
    )


@require_POST
@permission_required("scoring.assign", of=_innovation)
def reassign(request, innovation):
    """Change the verifikator of one innovation (its verdicts stay)."""
    chosen = int_param(request.POST, "verifikator")
    verifikator = next(
        (user for user in selectors.verifikators_by_open_work(request.user.region_id) if user.pk == chosen),
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
        except PortalError as error:
            messages.error(request, error.message)
    return redirect("scoring:verify", pk=innovation.pk)


def _row_context(innovation, claim, *, returned_at, error=None, saved=False, form=None):
    return {
        "innovation": innovation,
        "claim": claim,
        "form": form or VerdictForm(claim=claim, prefix=f"v{claim.pk}"),
        "error": error,
        "saved": saved,
        "editable": innovation.state == InnovationState.DIAJUKAN,
        "returned_at": returned_at,
    }


def _finish_context(innovation):
    """The finish box: the rows still pending, and the kematangan verified so far beside the claimed one
    (the rows not yet judged count 0 until they are)."""
    rules = inputs.catalogue_rules(innovation.cycle.catalogue)
    claimed, verified = (
        engine.compute(rules, engine.RegionInput(spd=(), innovations=(one,))).innovations[0].kematangan
        for one in inputs.innovation_inputs(innovation)
    )
    maximum = rules.sid_maximum
    return {
        "innovation": innovation,
        "pending": selectors.pending_rows(innovation),
        "editable": innovation.state == InnovationState.DIAJUKAN,
        "kematangan_claimed": claimed,
        "kematangan_verified": verified,
        "kematangan_maximum": maximum,
        "claimed_percent": round(100 * claimed / maximum) if maximum else 0,
        "verified_percent": round(100 * verified / maximum) if maximum else 0,
    }


@require_safe
@permission_required("scoring.judge_innovation", of=_innovation)
def verify(request, innovation):
    """The verification screen: per row the claim, the requirement, the evidence and the verdict."""
    rows = selectors.verification_rows(innovation)
    returned_at = selectors.last_returned_at(innovation)
    manages = allowed(request.user, "scoring.assign", innovation)
    return render(
        request,
        "scoring/verify.html",
        {
            **_finish_context(innovation),
            "rows": [
                _row_context(innovation, claim, returned_at=returned_at) for claim in rows if claim.level
            ],
            "unclaimed": [claim for claim in rows if not claim.level],
            "verifikators": selectors.verifikators_by_open_work(request.user.region_id) if manages else [],
            "documents": submission_selectors.innovation_documents(innovation),
        },
    )


@require_POST
@permission_required("scoring.judge_innovation", of=_innovation)
def verdict_save(request, innovation, claim_pk):
    claim = next((row for row in selectors.verification_rows(innovation) if row.pk == claim_pk), None)
    if claim is None:
        raise Http404(_("Indikator tidak ditemukan."))
    form = VerdictForm(request.POST, claim=claim, prefix=f"v{claim.pk}")
    error = None
    if form.is_valid():
        try:
            verification_services.verdict_save(claim=claim, user=request.user, **form.cleaned_data)
        except PortalError as failure:
            error = failure.message
    else:
        error = " ".join(message for errors in form.errors.values() for message in errors)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("scoring:verify", args=[innovation.pk]) + f"#baris-{claim.pk}")
    claim = next(row for row in selectors.verification_rows(innovation) if row.pk == claim_pk)
    context = _row_context(
        innovation,
        claim,
        returned_at=selectors.last_returned_at(innovation),
        error=error,
        saved=error is None,
        form=form if error else None,
    )
    response = render(request, "scoring/includes/_verdict_row.html", context)
    response["HX-Trigger"] = "verdictSaved"
    return response


@require_safe
@permission_required("scoring.judge_innovation", of=_innovation)
def verify_progress(request, innovation):
    """The finish box, refreshed after each verdict: rows still pending, the running kematangan, and the
    verify / return buttons once no row is pending."""
    return render(
        request, "scoring/includes/_finish_status.html", {**_finish_context(innovation), "oob": True}
    )


@require_POST
@permission_required("scoring.judge_innovation", of=_innovation)
def verify_finish(request, innovation):
    action = text_param(request.POST, "action")
    try:
        verification_services.verification_finish(
            innovation=innovation, user=request.user, action=action, note=text_param(request.POST, "note")
        )
    except PortalError as error:
        messages.error(request, error.message)
        return redirect("scoring:verify", pk=innovation.pk)
    if action == "verify":
        messages.success(request, _("«%(name)s» terverifikasi. OPD diberi tahu.") % {"name": innovation.name})
    else:
        messages.success(
            request, _("«%(name)s» dikembalikan ke OPD untuk diperbaiki.") % {"name": innovation.name}
        )
    return redirect("scoring:queue")


@require_safe
@permission_required("scoring.view_spd")
def spd(request):
    """The region's own indicator rows: the admin fills them, a verifikator or another admin accepts."""
    cycle = _current_cycle(request)
    if cycle is None:
        return redirect("home")
    newest = index_selectors.snapshots_newest(cycle=cycle)
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
                    "can_accept": allowed(request.user, "scoring.accept_spd", entry),
                }
                for entry in selectors.spd_rows(cycle)
            ],
            "can_change": allowed(request.user, "scoring.change_spd"),
            "claimed": newest[SnapshotKind.CLAIMED],
            "verified": newest[SnapshotKind.VERIFIED],
        },
    )


@require_POST
@permission_required("scoring.change_spd", of=_spd_entry)
def spd_save(request, entry):
    form = SpdEntryForm(request.POST, entry=entry, prefix=f"s{entry.pk}")
    try:
        if not form.is_valid():
            raise PortalError(" ".join(m for errors in form.errors.values() for m in errors))
        spd_services.spd_entry_save(entry=entry, user=request.user, **form.cleaned_data)
        messages.success(request, _("Baris %(code)s disimpan.") % {"code": entry.indicator.code})
    except PortalError as error:
        messages.error(request, error.message)
    return redirect(reverse("scoring:spd") + f"#spd-{entry.pk}")


@require_POST
@permission_required("scoring.change_spd", of=_spd_entry)
def spd_upload(request, entry):
    form = SpdEvidenceForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(_("Pilih berkas bukti terlebih dahulu."))
        spd_services.spd_evidence_add(entry=entry, user=request.user, uploaded=form.cleaned_data["file"])
        messages.success(request, _("Bukti %(code)s diunggah.") % {"code": entry.indicator.code})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PortalError as error:
        messages.error(request, error.message)
    return redirect(reverse("scoring:spd") + f"#spd-{entry.pk}")


@require_POST
@permission_required("scoring.change_spd", of=_spd_evidence)
def spd_evidence_remove(request, evidence):
    try:
        spd_services.spd_evidence_remove(evidence=evidence, user=request.user)
    except PortalError as error:
        messages.error(request, error.message)
    return redirect(reverse("scoring:spd") + f"#spd-{evidence.entry_id}")


@require_safe
@permission_required("scoring.view_spd", of=_spd_evidence)
def spd_evidence_download(request, evidence):
    return attachment(evidence.file, evidence.original_name)


@require_POST
@permission_required("scoring.accept_spd", of=_spd_entry)
def spd_accept(request, entry):
    try:
        spd_services.spd_accept(entry=entry, user=request.user)
        messages.success(
            request, _("Baris %(code)s diterima untuk indeks terverifikasi.") % {"code": entry.indicator.code}
        )
    except PortalError as error:
        messages.error(request, error.message)
    return redirect(reverse("scoring:spd") + f"#spd-{entry.pk}")


@require_safe
@permission_required("scoring.view_index")
def index_overview(request):
    """The cycle's index as the newest snapshots hold it, its next best actions and its history."""
    cycle = _current_cycle(request)
    if cycle is None:
        return redirect("home")
    kind = request.GET.get("jenis", SnapshotKind.VERIFIED)
    if kind not in SnapshotKind.values:
        kind = SnapshotKind.VERIFIED
    newest = index_selectors.snapshots_newest(cycle=cycle)
    verified, claimed = newest[SnapshotKind.VERIFIED], newest[SnapshotKind.CLAIMED]
    rules = inputs.catalogue_rules(cycle.catalogue)
    bands = [(band.name, band.min) for band in rules.bands]
    return render(
        request,
        "scoring/index.html",
        {
            "cycle": cycle,
            "claimed": claimed,
            "verified": verified,
            "verified_next": verified and index_selectors.next_band(bands, verified.iid),
            "claimed_next": claimed and index_selectors.next_band(bands, claimed.iid),
            "score_state": index_selectors.score_state(cycle),
            "provisional": index_selectors.verification_under_way(cycle),
            "divisor_floor": rules.sid_divisor_floor,
            "actions": index_selectors.actions_described(cycle=cycle, payload=verified.result, rules=rules)
            if verified
            else [],
            "contributions": index_selectors.contributions_named(payload=verified.result) if verified else [],
            "kind": kind,
            "kinds": SnapshotKind,
            "history": index_selectors.snapshot_history(cycle=cycle, kind=kind),
        },
    )


@require_safe
@permission_required("scoring.view_index", of=_snapshot)
def snapshot_detail(request, snapshot):
    """What changed in one snapshot from the one before it."""
    return render(
        request,
        "scoring/snapshot_detail.html",
        {"snapshot": snapshot, "changes": index_selectors.snapshot_changes(snapshot)},
    )
