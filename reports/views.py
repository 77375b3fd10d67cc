"""Asking for documents and fetching them; the public certificate page. Rendering happens in workers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from innovasi.standards.models import Cycle
from submissions import selectors as submission_selectors
from submissions.files import attachment

from . import selectors, services
from .enums import ReportKind, ReportState
from .models import Certificate, GeneratedReport

CYCLE_KINDS = {ReportKind.CYCLE_PDF, ReportKind.CYCLE_XLSX}


def _cycle(request, pk):
    cycle = (
        Cycle.objects.select_related("catalogue", "region")
        .filter(pk=pk, region_id=request.user.region_id)
        .first()
    )
    if cycle is None:
        raise Http404(_("Siklus tidak ditemukan."))
    return cycle


@login_required
@require_POST
def report_request(request):
    """Create the report row and enqueue its rendering; the user waits on its status page."""
    kind = request.POST.get("kind", "")
    if kind == ReportKind.INNOVATION_PDF:
        innovation = submission_selectors.innovation_get(
            user=request.user, pk=request.POST.get("innovation") or 0
        )
        report = services.report_request(
            kind=kind,
            user=request.user,
            title=_("Laporan Inovasi Daerah — %(name)s") % {"name": innovation.name},
            innovation_id=innovation.pk,
        )
    elif kind in CYCLE_KINDS:
        if not request.user.has_perm("reports.request_cycle_report"):
            raise PermissionDenied(_("Laporan siklus untuk Bappeda dan pimpinan daerah."))
        cycle = _cycle(request, request.POST.get("cycle") or 0)
        report = services.report_request(
            kind=kind, user=request.user, title=f"{ReportKind(kind).label} — {cycle.name}", cycle_id=cycle.pk
        )
    elif kind == ReportKind.CERTIFICATES_PDF:
        if not request.user.has_perm("reports.issue_certificates"):
            raise PermissionDenied(_("Hanya admin Bappeda yang mencetak piagam."))
        cycle = _cycle(request, request.POST.get("cycle") or 0)
        issued = services.certificates_issue(cycle=cycle)
        if issued:
            messages.info(request, _("%(count)d piagam baru diterbitkan.") % {"count": len(issued)})
        report = services.report_request(
            kind=kind,
            user=request.user,
            title=_("Piagam penghargaan — %(cycle)s") % {"cycle": cycle.name},
            cycle_id=cycle.pk,
        )
    else:
        raise Http404(_("Jenis laporan tidak dikenal."))
    return redirect("reports:status", pk=report.pk)


def _own_report(request, pk):
    return get_object_or_404(GeneratedReport, pk=pk, requested_by=request.user)


@login_required
def report_list(request):
    return render(request, "reports/report_list.html", {"reports": selectors.reports_of(request.user)})


@login_required
def report_status(request, pk):
    report = _own_report(request, pk)
    template = "reports/includes/_status.html" if request.htmx else "reports/report_status.html"
    return render(
        request,
        template,
        {"report": report, "finished": report.state in (ReportState.DONE, ReportState.FAILED)},
    )


@login_required
def report_download(request, pk):
    report = _own_report(request, pk)
    if report.state != ReportState.DONE or not report.file:
        raise Http404(_("Laporan belum selesai atau sudah kedaluwarsa."))
    return attachment(report.file, report.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def report_retry(request, pk):
    report = _own_report(request, pk)
    try:
        services.report_retry(report=report)
    except services.ReportError as error:
        messages.error(request, error.message)
    return redirect("reports:status", pk=report.pk)


@cache_page(300)
@vary_on_headers("Cookie")
def certificate(request, code):
    """The public page a certificate's QR code leads to: what it certifies, for anyone."""
    found = get_object_or_404(Certificate.objects.select_related("cycle", "innovation"), code=code.upper())
    return render(request, "reports/certificate.html", {"certificate": found})
