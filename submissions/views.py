"""The OPD's screens: its innovations, the profile, the indicator rows with evidence, and submission.

Indicator rows save one by one (htmx) so that an error in one row never touches what was typed in
another; every write answers with the row re-rendered and a ``scoreChanged`` event that refreshes the
live score panel (served by the scoring app).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST, require_safe

from innovasi.accounts.permissions import allowed, permission_required
from innovasi.errors import PortalError
from innovasi.http import choice_param, int_param, text_param
from innovasi.standards.enums import DeadlineKind, EvidenceKind
from innovasi.standards.scoring import row_score
from innovasi.standards.selectors import catalogue_guide, cycle_current, cycle_stages, deadline_window

from . import selectors, services
from .enums import DocumentKind, InnovationState
from .files import INLINE_KINDS, attachment, inline
from .forms import (
    ClaimForm,
    CopyForm,
    DocumentForm,
    EvidenceFileForm,
    EvidenceLinkForm,
    InnovationCreateForm,
    InnovationProfileForm,
)


def _visible(request, pk):
    """The innovation among those the user may see, or 404 (an outsider cannot tell it exists)."""
    return selectors.innovation_get(user=request.user, pk=pk)


def _filing_cycle(request):
    """The cycle the operator files new innovations into, or None with a message saying why not (no cycle,
    or their OPD's filing window closed)."""
    cycle, window = selectors.filing_cycle(user=request.user)
    if cycle is None:
        messages.error(request, _("Belum ada siklus penilaian yang dibuka; inovasi baru belum dapat dibuat."))
        return None
    if not window.is_open:
        messages.error(request, window.refusal)
        return None
    return cycle


def _rows_key(innovations, scope_opd):
    """Everything the list's rows show: their rendered HTML is cached under it (``{% cache %}`` in the
    template), so a row that changes in any way is rendered afresh. A new column belongs here too."""
    return "|".join(
        f"{i.pk};{i.name};{i.opd};{i.state};{i.kematangan_claimed};{i.kematangan_verified};"
        f"{','.join(i.mandatory_gaps)};{i.updated_at.isoformat()};{i.can_change};{scope_opd is None}"
        for i in innovations
    )


@require_safe
@permission_required("submissions.list_innovations")
def innovation_list(request):
    """The OPD's home (and, for Bappeda and the pimpinan, the region's submitted innovations)."""
    cycle = cycle_current(region_id=request.user.region_id)
    state = choice_param(request.GET, "status", InnovationState.values)
    query = text_param(request.GET, "q")
    innovations = (
        selectors.innovation_list(
            user=request.user,
            cycle=cycle,
            state=state,
            query=query,
            opd_id=int_param(request.GET, "opd"),
            page=request.GET.get("halaman", 1),
        )
        if cycle
        else None
    )
    for innovation in innovations or []:
        innovation.can_change = allowed(request.user, "submissions.change_innovation", innovation)
    scope_opd = selectors.scope_opd(request.user)
    files = allowed(request.user, "submissions.add_innovation")
    stages = cycle_stages(cycle=cycle, opd_id=request.user.opd_id if files else None) if cycle else None
    return render(
        request,
        "submissions/innovation_list.html",
        {
            "cycle": cycle,
            "stages": stages,
            "innovations": innovations,
            "rows_key": _rows_key(innovations or [], scope_opd),
            "scope_opd": scope_opd,
            "state_counts": selectors.innovation_state_counts(user=request.user, cycle=cycle)
            if cycle
            else [],
            "state": state,
            "query": query,
            "files": files,
            "can_file": bool(files and stages and stages.filing.is_open),
        },
    )


@permission_required("submissions.add_innovation")
def innovation_create(request):
    cycle = _filing_cycle(request)
    if cycle is None:
        return redirect("submissions:list")
    form = InnovationCreateForm(request.POST or None)
    if form.is_valid():
        innovation = services.innovation_create(
            cycle=cycle, opd=request.user.opd, user=request.user, name=form.cleaned_data["name"]
        )
        messages.success(request, _("Draf inovasi dibuat. Lengkapi profil dan indikatornya."))
        return redirect("submissions:edit", pk=innovation.pk)
    return render(request, "submissions/innovation_create.html", {"form": form, "cycle": cycle})


@require_safe
@permission_required("accounts.use_portal")
def guide(request, code):
    """The Panduan of a catalogue, printable: every indicator with its levels, the evidence asked for,
    examples of valid evidence and the common reasons a row is rejected, in the page's language."""
    catalogue, indicators = catalogue_guide(code)
    entries = [
        {
            "indicator": indicator,
            "options": [
                (indicator.basis_display(option.basis), option.level, option.label)
                for option in indicator.options.all()
            ],
        }
        for indicator in indicators
    ]
    return render(request, "submissions/guide.html", {"catalogue": catalogue, "entries": entries})


@permission_required("submissions.add_innovation")
def innovation_copy(request):
    cycle = _filing_cycle(request)
    if cycle is None:
        return redirect("submissions:list")
    form = CopyForm(request.POST or None, sources=selectors.copy_sources(user=request.user, cycle=cycle))
    if form.is_valid():
        innovation = services.innovation_copy(
            source=form.cleaned_data["source"],
            cycle=cycle,
            user=request.user,
            change_note=form.cleaned_data["change_note"],
        )
        messages.success(
            request,
            _(
                "Profil dan pilihan tingkat disalin. Unggah bukti yang berlaku untuk tahun ini pada setiap indikator."
            ),
        )
        return redirect("submissions:edit", pk=innovation.pk)
    return render(request, "submissions/innovation_copy.html", {"form": form, "cycle": cycle})


@require_safe
@permission_required("submissions.view_innovation", of=_visible)
def innovation_detail(request, innovation):
    return render(
        request,
        "submissions/innovation_detail.html",
        {
            "innovation": innovation,
            "rows": selectors.innovation_rows(innovation),
            "documents": selectors.innovation_documents(innovation),
            "history": selectors.innovation_history(innovation),
            "can_change": allowed(request.user, "submissions.change_innovation", innovation),
            "can_publish": allowed(request.user, "submissions.publish_innovation", innovation)
            and innovation.state == InnovationState.TERVERIFIKASI,
            "can_view_verdicts": allowed(request.user, "scoring.view_verdicts", innovation),
            **_endorsement_context(request, innovation),
        },
    )


def _endorsement_context(request, innovation):
    """What the detail page shows the OPD head of a submission waiting for them: whether they may decide,
    where sending it back takes it, and whether the OPD could still submit it again (its window)."""
    if not allowed(request.user, "submissions.endorse_innovation", innovation):
        return {"can_endorse": False}
    back_to = selectors.endorsement_return_state(innovation)
    kind = DeadlineKind.REVISION if back_to == InnovationState.REVISI else DeadlineKind.FILING
    return {
        "can_endorse": True,
        "back_to": back_to,
        "back_window": deadline_window(cycle=innovation.cycle, opd_id=innovation.opd_id, kind=kind),
    }


@permission_required("submissions.change_innovation", of=_visible)
def innovation_edit(request, innovation):
    """The profile form (saved as a whole) beside the indicator rows (saved one by one)."""
    form = InnovationProfileForm(request.POST or None, instance=innovation)
    if request.method == "POST" and form.is_valid():
        data = {field: value for field, value in form.cleaned_data.items() if field != "version"}
        try:
            services.innovation_update_profile(
                innovation=innovation, user=request.user, data=data, version=form.cleaned_data["version"]
            )
        except PortalError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Profil disimpan sebagai draf."))
            return redirect(reverse("submissions:edit", kwargs={"pk": innovation.pk}) + "#profil")
    elif request.method == "POST":
        messages.error(request, _("Profil belum disimpan: periksa isian yang ditandai merah."))
    return render(request, "submissions/innovation_edit.html", _edit_context(request, innovation, form))


def _to_fix(rows):
    """The rows the verifier noted at the last return, for the banner: which, and how many marked fixed."""
    return {"to_fix": rows, "to_fix_done": sum(claim.fixed for claim in rows)}


def _edit_context(request, innovation, form):
    claims = selectors.innovation_rows(innovation)
    return {
        "innovation": innovation,
        "form": form,
        "rows": [_row_context(innovation, claim) for claim in claims],
        **_to_fix([claim for claim in claims if claim.needs_fix]),
        "answerable": allowed(request.user, "submissions.answer_review", innovation),
        "documents": selectors.innovation_documents(innovation),
        **_checklist_context(innovation),
    }


def _checklist_context(innovation):
    """What the submit box (and the phone's bar) shows: what still stops submission, whether the deadline
    still allows it, and the rows filled."""
    checklist = selectors.innovation_checklist(innovation)
    filled, total = checklist["filled"], checklist["total"]
    return {
        "problems": checklist["problems"],
        "filling": {"filled": filled, "total": total, "left": total - filled},
        "submit_window": selectors.submission_window(innovation),
        "endorsement": selectors.endorsement_required(innovation),
    }


def _row_context(innovation, claim, *, error=None):
    return {
        "innovation": innovation,
        "claim": claim,
        "score": row_score(claim.indicator.weight, claim.level, bool(claim.evidence.all())),
        "max_upload": filesizeformat(settings.UPLOAD_MAX_BYTES),
        "accept": ",".join(
            f".{kind}" for kind in claim.indicator.evidence_kinds if kind != EvidenceKind.LINK
        ),
        "form": ClaimForm(claim=claim, prefix=f"c{claim.pk}"),
        "file_form": EvidenceFileForm(prefix=f"f{claim.pk}"),
        "link_form": EvidenceLinkForm(prefix=f"l{claim.pk}")
        if "link" in claim.indicator.evidence_kinds
        else None,
        "error": error,
    }


def _row_response(
    request, innovation, claim, *, error=None, saved=False, basis_changed=False, evidence_changed=False
):
    """Answer an indicator-row write with out-of-band fragments of that row (``claim`` as it stands now,
    loaded as ``selectors.innovation_row`` does) and, after a change, of what still stops submission
    (htmx), or, without JavaScript, go back to the edit page at that row."""
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("submissions:edit", kwargs={"pk": innovation.pk}) + f"#indikator-{claim.pk}")
    context = _row_context(innovation, claim, error=error)
    context.update(saved=saved, basis_changed=basis_changed, evidence_changed=evidence_changed)
    if saved:
        context.update(_checklist_context(innovation))
    response = render(request, "submissions/includes/_claim_row_update.html", context)
    if saved:
        response["HX-Trigger"] = "scoreChanged"
    return response


@require_POST
@permission_required("submissions.change_innovation", of=_visible)
def claim_save(request, innovation, claim_pk):
    claim = selectors.innovation_row(innovation, claim_pk)
    form = ClaimForm(request.POST, claim=claim, prefix=f"c{claim.pk}")
    if not form.is_valid():
        errors = [message for field_errors in form.errors.values() for message in field_errors]
        return _row_response(request, innovation, claim, error=" ".join(errors))
    basis_changed = form.cleaned_data.get("basis", "") != claim.basis
    try:
        saved = services.claim_update(
            claim=claim,
            user=request.user,
            level=form.cleaned_data["level"],
            basis=form.cleaned_data.get("basis", ""),
            note=form.cleaned_data["note"],
            version=form.cleaned_data["version"],
        )
    except PortalError as error:
        return _row_response(request, innovation, claim, error=error.message)
    # The row answered with as saved; its indicator, options and evidence are those already loaded.
    for field in ("level", "basis", "note", "version", "updated_at"):
        setattr(claim, field, getattr(saved, field))
    return _row_response(request, innovation, claim, saved=True, basis_changed=basis_changed)


@require_POST
@permission_required("submissions.answer_review", of=_visible)
def claim_answer(request, innovation, claim_pk):
    """The OPD answers the verifier's note on a row and marks it fixed (or not yet); htmx gets the row's
    thread and the banner of rows to fix back, without JavaScript the edit page at that row."""
    claim = selectors.claim_get(innovation=innovation, pk=claim_pk)
    error = None
    try:
        services.claim_answer(
            claim=claim,
            user=request.user,
            body=text_param(request.POST, "body"),
            fixed=request.POST.get("fixed") == "1",
        )
    except PortalError as refused:
        error = refused.message
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("submissions:edit", kwargs={"pk": innovation.pk}) + f"#indikator-{claim.pk}")
    context = {
        "innovation": innovation,
        "claim": selectors.row_thread(innovation, claim.pk),
        **_to_fix(selectors.rows_to_fix(innovation)),
        "answerable": True,
        "error": error,
        "saved": error is None,
    }
    return render(request, "submissions/includes/_row_review_update.html", context)


@require_POST
@permission_required("submissions.change_innovation", of=_visible)
def evidence_add(request, innovation, claim_pk):
    claim = selectors.claim_get(innovation=innovation, pk=claim_pk)
    file_form = EvidenceFileForm(request.POST, request.FILES, prefix=f"f{claim.pk}")
    link_form = EvidenceLinkForm(request.POST, prefix=f"l{claim.pk}")
    try:
        if file_form.is_valid():
            services.evidence_add(claim=claim, user=request.user, uploaded=file_form.cleaned_data["file"])
        elif request.POST.get(link_form.add_prefix("link")):
            if not link_form.is_valid():
                raise ValidationError(link_form.errors["link"])
            services.evidence_add(claim=claim, user=request.user, link=link_form.cleaned_data["link"])
        else:
            raise ValidationError(_("Pilih berkas bukti terlebih dahulu."))
    except ValidationError as error:
        error_message = " ".join(error.messages)
    except PortalError as error:
        error_message = error.message
    else:
        row = selectors.innovation_row(innovation, claim.pk)
        return _row_response(request, innovation, row, saved=True, evidence_changed=True)
    return _row_response(
        request, innovation, selectors.innovation_row(innovation, claim.pk), error=error_message
    )


@require_POST
@permission_required("submissions.change_innovation", of=_visible)
def evidence_remove(request, innovation, evidence_pk):
    evidence = selectors.evidence_get(innovation=innovation, pk=evidence_pk)
    try:
        services.evidence_remove(evidence=evidence, user=request.user)
    except PortalError as error:
        return _row_response(
            request, innovation, selectors.innovation_row(innovation, evidence.claim_id), error=error.message
        )
    row = selectors.innovation_row(innovation, evidence.claim_id)
    return _row_response(request, innovation, row, saved=True, evidence_changed=True)


@require_safe
@permission_required("submissions.view_innovation", of=_visible)
def evidence_download(request, innovation, evidence_pk):
    evidence = selectors.evidence_get(innovation=innovation, pk=evidence_pk)
    if not evidence.file:
        raise Http404(_("Bukti ini berupa tautan, bukan berkas."))
    return attachment(evidence.file, evidence.original_name)


@require_safe
@xframe_options_sameorigin
@permission_required("submissions.view_innovation", of=_visible)
def evidence_preview(request, innovation, evidence_pk):
    """The evidence itself, for the verifier's preview pane: PDFs and images only, shown in a frame of
    the portal, with no script allowed to run."""
    evidence = selectors.evidence_get(innovation=innovation, pk=evidence_pk)
    if not evidence.file or evidence.kind not in INLINE_KINDS:
        raise Http404(_("Bukti ini tidak dapat dipratinjau; unduh berkasnya."))
    return inline(evidence.file, evidence.original_name, INLINE_KINDS[evidence.kind])


@require_POST
@permission_required("submissions.change_innovation", of=_visible)
def document_put(request, innovation, kind):
    if kind not in DocumentKind.values:
        raise Http404
    form = DocumentForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(_("Pilih berkas PDF terlebih dahulu."))
        services.document_put(
            innovation=innovation, kind=kind, user=request.user, uploaded=form.cleaned_data["file"]
        )
    except ValidationError as error:
        return _documents_answer(request, innovation, error=" ".join(error.messages))
    except PortalError as error:
        return _documents_answer(request, innovation, error=error.message)
    return _documents_answer(
        request, innovation, notice=_("Dokumen %(kind)s disimpan.") % {"kind": DocumentKind(kind).label}
    )


@require_POST
@permission_required("submissions.change_innovation", of=_visible)
def document_remove(request, innovation, kind):
    document = selectors.document_get(innovation=innovation, kind=kind)
    services.document_remove(document=document, user=request.user)
    return _documents_answer(
        request, innovation, notice=_("Dokumen %(kind)s dihapus.") % {"kind": document.get_kind_display()}
    )


def _documents_answer(request, innovation, *, notice="", error=""):
    """The documents list again (htmx: only the list is swapped, so the profile the operator is typing on
    the same page stays as it is), or, without JavaScript, back to the edit page with a message."""
    if request.htmx:
        return render(
            request,
            "submissions/includes/_documents.html",
            {
                "innovation": innovation,
                "documents": selectors.innovation_documents(innovation),
                "editable": True,
                "notice": notice,
                "error": error,
            },
        )
    messages.add_message(request, messages.ERROR if error else messages.SUCCESS, error or notice)
    return redirect(reverse("submissions:edit", kwargs={"pk": innovation.pk}) + "#dokumen")


@require_safe
@permission_required("submissions.view_innovation", of=_visible)
def document_download(request, innovation, kind):
    document = selectors.document_get(innovation=innovation, kind=kind)
    return attachment(document.file, document.original_name)


@require_POST
@permission_required("submissions.submit_innovation", of=_visible)
def innovation_submit(request, innovation):
    try:
        submitted = services.innovation_transition(
            innovation=innovation,
            user=request.user,
            to_state=selectors.submission_target(innovation),
            actor="opd",
        )
    except PortalError as error:
        messages.error(request, error.message)
        for problem in error.problems:
            messages.warning(request, problem)
        return redirect("submissions:edit", pk=innovation.pk)
    if submitted.is_awaiting_endorsement:
        messages.success(
            request, _("Inovasi diajukan kepada kepala OPD untuk disahkan, lalu diteruskan ke Bappeda.")
        )
    else:
        messages.success(request, _("Inovasi diajukan ke Bappeda untuk diverifikasi."))
    return redirect("submissions:detail", pk=innovation.pk)


@require_safe
@permission_required("submissions.list_endorsements")
def endorsements(request):
    """The OPD head's home: what their operators submitted and waits for their endorsement, the longest
    waiting first, under the current cycle's stages with their OPD's deadlines."""
    cycle = cycle_current(region_id=request.user.region_id)
    return render(
        request,
        "submissions/endorsements.html",
        {
            "waiting": selectors.endorsements_waiting(user=request.user),
            "required": request.user.region.opd_endorsement,
            "stages": cycle_stages(cycle=cycle, opd_id=request.user.opd_id) if cycle else None,
        },
    )


@require_POST
@permission_required("submissions.endorse_innovation", of=_visible)
def innovation_endorse(request, innovation):
    """The head endorses a submission (on to Bappeda) or sends it back to the operator with a note."""
    action = request.POST.get("action", "")
    try:
        decided = services.innovation_endorse(
            innovation=innovation, user=request.user, action=action, note=text_param(request.POST, "note")
        )
    except PortalError as error:
        messages.error(request, error.message)
        return redirect(reverse("submissions:detail", kwargs={"pk": innovation.pk}) + "#pengesahan")
    if decided.state == InnovationState.DIAJUKAN:
        messages.success(
            request, _("«%(name)s» disahkan dan diteruskan ke Bappeda.") % {"name": decided.name}
        )
    else:
        messages.success(
            request,
            _("«%(name)s» dikembalikan kepada operator dengan catatan Anda.") % {"name": decided.name},
        )
    return redirect("submissions:endorsements")


@require_POST
@permission_required("submissions.publish_innovation", of=_visible)
def innovation_publish(request, innovation):
    """The admin shows a verified innovation in the public gallery, or withdraws it."""
    published = request.POST.get("published") == "1"
    try:
        services.innovation_publish(innovation=innovation, user=request.user, published=published)
    except PortalError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Inovasi terbit di galeri.") if published else _("Inovasi ditarik dari galeri.")
        )
    return redirect("submissions:detail", pk=innovation.pk)
