"""Asking for documents and fetching them; the public certificate page. Rendering happens in workers."""

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_POST

from innovasi.accounts.models import Opd
from innovasi.standards.models import Cycle
from innovasi.standards.selectors import cycle_current
from scoring import selectors as scoring_selectors
from scoring.models import AwardScheme
from submissions import selectors as submission_selectors
from submissions.enums import InnovationState
from submissions.files import attachment

from . import services
from .enums import ReportKind, ReportState
from .models import Certificate, GeneratedReport
from .selectors import dashboard as dashboard_selectors
from .selectors import documents
from .selectors import gallery as gallery_selectors
from .tasks import send_reminder

CYCLE_KINDS = {ReportKind.CYCLE_PDF, ReportKind.CYCLE_XLSX}
DASHBOARD_CACHE_SECONDS = 600


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
    elif kind in (ReportKind.AWARD_PDF, ReportKind.AWARD_CERTIFICATES_PDF):
        if not request.user.has_perm("reports.issue_certificates"):
            raise PermissionDenied(_("Dokumen penghargaan untuk admin Bappeda."))
        scheme = get_object_or_404(
            AwardScheme, pk=request.POST.get("scheme") or 0, cycle__region_id=request.user.region_id
        )
        if kind == ReportKind.AWARD_CERTIFICATES_PDF:
            try:
                services.award_certificates_issue(scheme=scheme)
            except services.ReportError as error:
                messages.error(request, error.message)
                return redirect("scoring:award", pk=scheme.pk)
        report = services.report_request(
            kind=kind,
            user=request.user,
            title=f"{ReportKind(kind).label} — {scheme.name}",
            scheme_id=scheme.pk,
        )
    else:
        raise Http404(_("Jenis laporan tidak dikenal."))
    return redirect("reports:status", pk=report.pk)


def _own_report(request, pk):
    return get_object_or_404(GeneratedReport, pk=pk, requested_by=request.user)


@login_required
def report_list(request):
    return render(request, "reports/report_list.html", {"reports": documents.reports_of(request.user)})


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
def certificate(request, code):
    """The public page a certificate's QR code leads to: what it certifies, for anyone."""
    found = get_object_or_404(Certificate.objects.select_related("cycle", "innovation"), code=code.upper())
    return render(request, "reports/certificate.html", {"certificate": found})


def _dashboard_cycle(request):
    if not request.user.has_perm("reports.view_dashboard"):
        raise PermissionDenied(_("Dasbor untuk pimpinan daerah dan admin Bappeda."))
    cycle = cycle_current(region_id=request.user.region_id)
    if cycle is None:
        raise Http404(_("Belum ada siklus penilaian untuk wilayah Anda."))
    return cycle


@login_required
def dashboard(request):
    """The Bupati's dashboard: every figure from the newest snapshots, each one leading further down."""
    if not request.user.has_perm("reports.view_dashboard"):
        raise PermissionDenied(_("Dasbor untuk pimpinan daerah dan admin Bappeda."))
    cycle = cycle_current(region_id=request.user.region_id)
    if cycle is None:
        return render(request, "reports/dashboard_empty.html")
    state = scoring_selectors.score_state(cycle)
    # Every change of the cycle's data moves changed_at, every recompute computed_at: until then the
    # figures, and so the rendered body, stay the same for everyone who may see the dashboard.
    moments = ":".join(
        moment.isoformat() if moment else "-"
        for moment in (state and state.changed_at, state and state.computed_at)
    )
    key = f"dashboard:{cycle.pk}:{moments}:{get_language()}:{timezone.localdate().isoformat()}"

    body = cache.get(key)
    if body is None:
        context = dashboard_selectors.dashboard(cycle)
        context["chart_data"] = dashboard_selectors.chart_data(context)
        body = render_to_string("reports/includes/_dashboard_body.html", context)
        cache.set(key, body, DASHBOARD_CACHE_SECONDS)
    return render(request, "reports/dashboard.html", {"cycle": cycle, "body": body})


@login_required
def dashboard_opd(request, pk):
    """One OPD: its innovations in the cycle (drafts only counted) and its share of the IID."""
    cycle = _dashboard_cycle(request)
    opd = get_object_or_404(Opd, pk=pk, region_id=request.user.region_id)
    return render(
        request,
        "reports/dashboard_opd.html",
        dashboard_selectors.opd_detail(cycle=cycle, opd=opd),
    )


@login_required
def monitoring(request):
    """Every OPD with its innovations per state, its last activity and the reminders it was sent."""
    if not request.user.has_perm("reports.monitor_opds"):
        raise PermissionDenied(_("Pemantauan OPD untuk admin Bappeda."))
    cycle = _dashboard_cycle(request)
    return render(
        request,
        "reports/monitoring.html",
        {"cycle": cycle, "opds": dashboard_selectors.opd_activity(cycle), "states": InnovationState},
    )


@login_required
@require_POST
def remind(request, pk):
    """Send an OPD's operators a reminder about their drafts now (by a worker)."""
    if not request.user.has_perm("reports.monitor_opds"):
        raise PermissionDenied(_("Pemantauan OPD untuk admin Bappeda."))
    cycle = _dashboard_cycle(request)
    opd = get_object_or_404(Opd, pk=pk, region_id=request.user.region_id)
    if send_reminder.enqueue(cycle_id=cycle.pk, opd_id=opd.pk, requested_at=timezone.now().isoformat()):
        messages.success(request, _("Pengingat untuk %(opd)s dikirim.") % {"opd": opd.name})
    else:
        messages.error(
            request, _("Antrean pengiriman tidak dapat dihubungi: pengingat belum dikirim. Coba lagi.")
        )
    return redirect("reports:monitoring")


GALLERY_CACHE_SECONDS = 300  # bounds only what the fingerprint does not see: an OPD or urusan renamed


def _public_page(request, build):
    """A public page (no user data) rendered once per state of what is published and shared by everyone:
    cached under the gallery's fingerprint, so that publishing or unpublishing shows at once."""
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    key = f"gallery:{gallery_selectors.published_fingerprint()}:{get_language()}:{address}"
    content = cache.get(key)
    if content is None:
        content = build().content
        cache.set(key, content, GALLERY_CACHE_SECONDS)
    return HttpResponse(content)


def gallery(request):
    """The public gallery of published innovations (no login, no user data: cached for everyone)."""
    return _public_page(request, lambda: _gallery(request))


def _gallery(request):
    params = {
        key: request.GET.get(key, "").strip() for key in ("q", "urusan", "opd", "jenis", "bentuk", "tahun")
    }
    page = gallery_selectors.gallery_page(
        query=params["q"],
        urusan=params["urusan"],
        opd=params["opd"],
        jenis=params["jenis"],
        bentuk=params["bentuk"],
        year=params["tahun"],
        page=request.GET.get("halaman", 1),
    )
    return render(
        request,
        "reports/gallery.html",
        {"page": page, "params": params, "filters": gallery_selectors.gallery_filters()},
    )


def gallery_innovation(request, pk):
    """A published innovation for the public: its profile, verified kematangan and video; no evidence.
    404 as soon as it is no longer published (the 404 is not cached)."""
    return _public_page(
        request,
        lambda: render(
            request,
            "reports/gallery_innovation.html",
            {"innovation": gallery_selectors.gallery_innovation(pk)},
        ),
    )
