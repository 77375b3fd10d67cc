"""Asking for documents and fetching them; the public certificate page. Rendering happens in workers."""

import hashlib
import re

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_POST, require_safe

from innovasi.accounts import selectors as account_selectors
from innovasi.accounts.models import Opd
from innovasi.accounts.permissions import allowed, is_operator, permission_required, public, require
from innovasi.accounts.selectors import certificate_refusal
from innovasi.errors import PortalError
from innovasi.http import int_param, text_param
from innovasi.standards.models import Cycle
from innovasi.standards.selectors import cycle_current, cycle_stages
from scoring.models import AwardScheme
from scoring.selectors import index as index_selectors
from submissions import selectors as submission_selectors
from submissions.files import attachment

from . import services
from .certificate_views import chosen_drafts
from .enums import ReportKind, ReportState
from .models import Certificate, GeneratedReport
from .permissions import PackageScope
from .selectors import certificates as certificate_selectors
from .selectors import dashboard as dashboard_selectors
from .selectors import documents
from .selectors import gallery as gallery_selectors
from .selectors import package as package_selectors
from .selectors import ranking as ranking_selectors
from .tasks import send_reminder

CERTIFICATE_CODE = re.compile(r"[A-Z0-9]{5}-[A-Z0-9]{5}")  # the shape of models.certificate_code()
CYCLE_KINDS = {
    ReportKind.CYCLE_PDF,
    ReportKind.BRIEF_PDF,
    ReportKind.CYCLE_XLSX,
    ReportKind.WORKBOOK_XLSX,
    ReportKind.WORKBOOK_ZIP,
}
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


@require_POST
@permission_required("accounts.use_portal")
def report_request(request):
    """Create the report row and enqueue its rendering; the user waits on its status page."""
    kind = request.POST.get("kind", "")
    if kind == ReportKind.INNOVATION_PDF:
        innovation = submission_selectors.innovation_get(
            user=request.user, pk=int_param(request.POST, "innovation", required=True)
        )
        report = services.report_request(
            kind=kind,
            user=request.user,
            title=_("Laporan Inovasi Daerah — %(name)s") % {"name": innovation.name},
            innovation_id=innovation.pk,
        )
    elif kind == ReportKind.VERIFICATION_RECORD_PDF:
        innovation = submission_selectors.innovation_get(
            user=request.user, pk=int_param(request.POST, "innovation", required=True)
        )
        require(request.user, "scoring.view_verdicts", innovation)
        if not innovation.is_verified:
            messages.error(request, _("Berita acara dibuat setelah verifikasi inovasi selesai."))
            return redirect("submissions:detail", pk=innovation.pk)
        report = services.report_request(
            kind=kind,
            user=request.user,
            title=_("Berita acara verifikasi — %(name)s") % {"name": innovation.name},
            innovation_id=innovation.pk,
        )
    elif kind in CYCLE_KINDS:
        require(request.user, "reports.request_cycle_report")
        cycle = _cycle(request, int_param(request.POST, "cycle", required=True))
        report = services.report_request(
            kind=kind, user=request.user, title=f"{ReportKind(kind).label} — {cycle.name}", cycle_id=cycle.pk
        )
    elif kind == ReportKind.CERTIFICATES_PDF:
        # Printing only: certificates are issued on their own page, after a confirmation.
        require(request.user, "reports.issue_certificates")
        cycle = _cycle(request, int_param(request.POST, "cycle", required=True))
        if not certificate_selectors.issued_of(cycle=cycle):
            messages.error(request, _("Belum ada piagam untuk dicetak: terbitkan piagamnya dulu."))
            return redirect("reports:certificates", pk=cycle.pk)
        report = services.report_request(
            kind=kind,
            user=request.user,
            title=_("Piagam penghargaan — %(cycle)s") % {"cycle": cycle.name},
            cycle_id=cycle.pk,
        )
    elif kind in (ReportKind.AWARD_PDF, ReportKind.AWARD_CERTIFICATES_PDF):
        require(request.user, "reports.issue_certificates")
        scheme = get_object_or_404(
            AwardScheme,
            pk=int_param(request.POST, "scheme", required=True),
            cycle__region_id=request.user.region_id,
        )
        if kind == ReportKind.AWARD_CERTIFICATES_PDF and not certificate_selectors.issued_of(scheme=scheme):
            messages.error(request, _("Belum ada piagam juara untuk dicetak: terbitkan piagamnya dulu."))
            return redirect("scoring:award", pk=scheme.pk)
        report = services.report_request(
            kind=kind,
            user=request.user,
            title=f"{ReportKind(kind).label} — {scheme.name}",
            scheme_id=scheme.pk,
        )
    elif kind in (ReportKind.RANKING_PDF, ReportKind.RANKING_XLSX):
        from .ranking_views import ranking_report_request  # it renders the dashboard's body from here

        report = ranking_report_request(request, kind)
    elif kind == ReportKind.CERTIFICATE_PREVIEW_PDF:
        report, page = _certificate_preview_request(request)
        if report is None:
            return redirect(page)
    else:
        raise Http404(_("Jenis laporan tidak dikenal."))
    return redirect("reports:status", pk=report.pk)


def _certificate_preview_request(request):
    """(report, issuing page): the preview of the first certificate the issuing form chose (of a cycle, or
    of a scheme when the form names one); no report, with a message, when there is nothing to preview."""
    require(request.user, "reports.issue_certificates")
    scheme_pk = int_param(request.POST, "scheme")
    if scheme_pk is not None:
        scheme = get_object_or_404(
            AwardScheme.objects.select_related("cycle__region", "cycle__catalogue"),
            pk=scheme_pk,
            cycle__region_id=request.user.region_id,
        )
        cycle, drafts = scheme.cycle, certificate_selectors.award_drafts(scheme)
        page = reverse("reports:award_certificates", args=[scheme.pk])
    else:
        scheme = None
        cycle = _cycle(request, int_param(request.POST, "cycle", required=True))
        drafts = certificate_selectors.cycle_drafts(cycle)
        page = reverse("reports:certificates", args=[cycle.pk])
    refusal = certificate_refusal(cycle.region)
    chosen = chosen_drafts(request, drafts)
    if refusal or not chosen:
        messages.error(request, refusal or _("Pilih sedikitnya satu inovasi untuk pratinjau piagam."))
        return None, page
    innovation = chosen[0].innovation
    return services.report_request(
        kind=ReportKind.CERTIFICATE_PREVIEW_PDF,
        user=request.user,
        title=_("Pratinjau piagam — %(name)s") % {"name": innovation.name},
        cycle_id=cycle.pk,
        innovation_id=innovation.pk,
        **({"scheme_id": scheme.pk} if scheme else {}),
    ), page


def _own_report(request, pk):
    return get_object_or_404(GeneratedReport, pk=pk, requested_by=request.user)


@require_safe
@permission_required("accounts.use_portal")
def report_list(request):
    return render(request, "reports/report_list.html", {"reports": documents.reports_of(request.user)})


@require_safe
@permission_required("reports.view_report", of=_own_report)
def report_status(request, report):
    template = "reports/includes/_status.html" if request.htmx else "reports/report_status.html"
    return render(
        request,
        template,
        {"report": report, "finished": report.state in (ReportState.DONE, ReportState.FAILED)},
    )


@require_safe
@permission_required("reports.view_report", of=_own_report)
def report_download(request, report):
    if report.state != ReportState.DONE or not report.file:
        raise Http404(_("Laporan belum selesai atau sudah kedaluwarsa."))
    return attachment(report.file, report.file.name.rsplit("/", 1)[-1])


@require_POST
@permission_required("reports.view_report", of=_own_report)
def report_retry(request, report):
    try:
        services.report_retry(report=report)
    except PortalError as error:
        messages.error(request, error.message)
    return redirect("reports:status", pk=report.pk)


@require_safe
@permission_required("reports.view_national_package", of=_cycle)
def national_package(request, cycle):
    """The national upload packages of a cycle: the region's and each OPD's (an operator: their OPD's),
    with how many innovations each holds, and the packages this user asked for."""
    user = request.user
    opds = package_selectors.package_opds(cycle=cycle, opd_id=user.opd_id if is_operator(user) else None)
    return render(
        request,
        "reports/national_package.html",
        {
            "cycle": cycle,
            "region_allowed": allowed(user, "reports.build_national_package", PackageScope(cycle.region_id)),
            "opds": [
                (opd, count)
                for opd, count in opds
                if allowed(user, "reports.build_national_package", PackageScope(cycle.region_id, opd.pk))
            ],
            "total": sum(count for _opd, count in opds),
            "packages": package_selectors.packages_of(user=user, cycle=cycle),
        },
    )


@require_POST
@permission_required("reports.view_national_package", of=_cycle)
def national_package_build(request, cycle):
    """Ask for one package (``opd``: that OPD's; none: the region's); the user waits on its status page."""
    opd = None
    opd_pk = int_param(request.POST, "opd")
    if opd_pk is not None:
        opd = get_object_or_404(Opd, pk=opd_pk, region_id=cycle.region_id)
    require(
        request.user, "reports.build_national_package", PackageScope(cycle.region_id, opd.pk if opd else None)
    )
    report = services.national_package_request(cycle=cycle, opd=opd, user=request.user)
    return redirect("reports:status", pk=report.pk)


def _certificate_code(typed):
    """The code as printed, from what someone typed: case, spaces and the dash do not matter."""
    code = "".join(typed.split()).upper()
    if len(code) == 10 and "-" not in code:
        code = f"{code[:5]}-{code[5:]}"
    return code


def _certificate_found(code):
    if not CERTIFICATE_CODE.fullmatch(code):  # resolves nothing; PostgreSQL would refuse a NUL in it
        return None
    return Certificate.objects.select_related("cycle", "innovation").filter(code=code).first()


def _certificate_unknown(request, code):
    context = {"code": code[:20], "unknown": True}  # as long as the form's field takes
    return render(request, "reports/certificate_find.html", context, status=404)


@require_safe
@public
def certificate_find(request):
    """The check anyone can make by typing the code printed under a certificate's QR code."""
    typed = text_param(request.GET, "kode")
    if not typed:
        return render(request, "reports/certificate_find.html", {"code": ""})
    code = _certificate_code(typed)
    if _certificate_found(code) is None:
        return _certificate_unknown(request, code)
    return redirect("reports:certificate", code=code)


@require_safe
@public
@cache_page(300)
def certificate(request, code):
    """The public page a certificate's QR code leads to: what it certifies, for anyone."""
    code = _certificate_code(code)
    found = _certificate_found(code)
    if found is None:
        return _certificate_unknown(request, code)
    return render(request, "reports/certificate.html", {"certificate": found})


def _dashboard_cycle(request):
    cycle = cycle_current(region_id=request.user.region_id)
    if cycle is None:
        raise Http404(_("Belum ada siklus penilaian untuk wilayah Anda."))
    return cycle


def dashboard_body(cycle, *, foreign=False):
    """The dashboard's body for ``cycle``, from the newest snapshots: rendered once per change of the cycle's
    data and kept in the cache, shared by everyone who may read it (``foreign``: the read-only variant a
    region above reads, without links into the region's own pages)."""
    state = index_selectors.score_state(cycle)
    # Every change of the cycle's data moves changed_at, every recompute computed_at: until then the
    # figures, and so the rendered body, stay the same for everyone who may see the dashboard.
    moments = ":".join(
        moment.isoformat() if moment else "-"
        for moment in (state and state.changed_at, state and state.computed_at)
    )
    # The region's OPD-head endorsement decides whether its funnel has that step; a region read from above
    # (``foreign``) is drawn without its links.
    variant = "foreign" if foreign else "own"
    key = (
        f"dashboard:{cycle.pk}:{variant}:{moments}:{get_language()}:{timezone.localdate().isoformat()}:"
        f"{int(cycle.region.opd_endorsement)}"
    )

    body = cache.get(key)
    if body is None:
        context = dashboard_selectors.dashboard(cycle)
        context["chart_data"] = dashboard_selectors.chart_data(context, links=not foreign)
        context["foreign"] = foreign
        body = render_to_string("reports/includes/_dashboard_body.html", context)
        cache.set(key, body, DASHBOARD_CACHE_SECONDS)
    return body


@require_safe
@permission_required("reports.view_dashboard")
def dashboard(request):
    """The Bupati's dashboard: every figure from the newest snapshots, each one leading further down; for a
    regency in a province, its rank among its neighbours; for a region with regions below it, the way to
    their ranking."""
    user = request.user
    cycle = cycle_current(region_id=user.region_id)
    context = {"region": user.region, "ranking": allowed(user, "reports.view_ranking")}
    if cycle is None:
        return render(request, "reports/dashboard_empty.html", context)
    if allowed(user, "reports.view_neighbours"):
        context["neighbours"] = ranking_selectors.neighbours(region=user.region, catalogue=cycle.catalogue)
    return render(
        request,
        "reports/dashboard.html",
        {**context, "cycle": cycle, "stages": cycle_stages(cycle=cycle), "body": dashboard_body(cycle)},
    )


def _own_region_opd(request, pk):
    return get_object_or_404(Opd, pk=pk, region_id=request.user.region_id)


@require_safe
@permission_required("reports.view_dashboard", of=_own_region_opd)
def dashboard_opd(request, opd):
    """One OPD: its innovations in the cycle (drafts only counted) and its share of the IID."""
    cycle = _dashboard_cycle(request)
    return render(
        request,
        "reports/dashboard_opd.html",
        dashboard_selectors.opd_detail(cycle=cycle, opd=opd),
    )


@require_safe
@permission_required("reports.monitor_opds")
def monitoring(request):
    """Every OPD with its innovations per state, its last activity and the reminders it was sent (before the
    region's first cycle: a page that says so, like the dashboard's)."""
    cycle = cycle_current(region_id=request.user.region_id)
    if cycle is None:
        return render(request, "reports/monitoring.html", {"cycle": None})
    return render(
        request, "reports/monitoring.html", {"cycle": cycle, **dashboard_selectors.monitoring_table(cycle)}
    )


@require_POST
@permission_required("reports.monitor_opds", of=_own_region_opd)
def remind(request, opd):
    """Send an OPD's operators a reminder about their drafts now (by a worker); an OPD without an active
    operator, the admin is told so instead (nobody would receive it)."""
    cycle = _dashboard_cycle(request)
    if not account_selectors.opd_has_operator(opd=opd):
        messages.warning(
            request,
            _(
                "Pengingat tidak dikirim: %(opd)s belum punya operator aktif yang dapat menerimanya. Undang "
                "operatornya di halaman Pengguna."
            )
            % {"opd": opd.name},
        )
    elif send_reminder.enqueue(cycle_id=cycle.pk, opd_id=opd.pk, requested_at=timezone.now().isoformat()):
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


@require_safe
@public
def gallery(request):
    """The public gallery of published innovations (no login, no user data: cached for everyone)."""
    return _public_page(request, lambda: _gallery(request))


def _gallery(request):
    params = {key: text_param(request.GET, key) for key in ("q", "urusan", "opd", "jenis", "bentuk", "tahun")}
    page = gallery_selectors.gallery_page(
        query=params["q"],
        urusan=params["urusan"],
        # Not str.isdigit() and int(): "²" is a digit to the one and not to the other, and a number past
        # the database's integers breaks the query (SQLite: OverflowError). Either is a 400 with a message.
        opd_id=int_param(request.GET, "opd"),
        jenis=params["jenis"],
        bentuk=params["bentuk"],
        year=int_param(request.GET, "tahun"),
        page=request.GET.get("halaman", 1),
    )
    return render(
        request,
        "reports/gallery.html",
        {"page": page, "params": params, "filters": gallery_selectors.gallery_filters()},
    )


@require_safe
@public
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
