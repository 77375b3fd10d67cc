"""Writes of the reports app: asking for a document, rendering it (in a worker), issuing certificates."""

import datetime
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from innovasi.accounts.models import Opd, Region
from innovasi.accounts.permissions import require
from innovasi.accounts.selectors import certificate_refusal
from innovasi.errors import PortalError
from innovasi.standards.models import Cycle
from scoring.models import AwardScheme
from submissions.models import Innovation

from . import excel, package
from .enums import ReportKind, ReportState
from .models import Certificate, CertificateSequence, GeneratedReport
from .permissions import PackageScope
from .rendering import html_render, pdf_combine, pdf_document, pdf_render
from .selectors import certificates, documents
from .selectors import dashboard as dashboard_selectors
from .selectors import package as package_selectors
from .selectors import ranking as ranking_selectors
from .workbook import writer as workbook_writer

logger = logging.getLogger(__name__)


@transaction.atomic
def report_request(*, kind, user, title, **params) -> GeneratedReport:
    """Record the request and enqueue its rendering after commit; nothing is rendered here."""
    report = GeneratedReport.objects.create(
        kind=kind, params=params, region_id=user.region_id, requested_by=user, title=title
    )
    _render_after_commit(report)
    return report


@transaction.atomic
def report_retry(*, report) -> GeneratedReport:
    if report.state != ReportState.FAILED:
        raise PortalError(_("Hanya laporan yang gagal yang dapat diulang."))
    GeneratedReport.objects.filter(pk=report.pk).update(
        state=ReportState.PENDING, progress=0, error="", created_at=timezone.now(), started_at=None
    )
    _render_after_commit(report)
    report.refresh_from_db()
    return report


@transaction.atomic
def national_package_request(*, cycle, opd, user) -> GeneratedReport:
    """Ask for the national upload package of ``cycle``: one OPD's (``opd``) or, with ``opd`` None, the
    region's. Refused (PortalError) unless ``user`` may read every innovation it holds
    (``reports.build_national_package``); built by a worker like any report."""
    if opd is not None and opd.region_id != cycle.region_id:
        raise PortalError(_("OPD ini bukan OPD wilayah siklus tersebut."))
    scope = PackageScope(region_id=cycle.region_id, opd_id=opd.pk if opd else None)
    require(user, "reports.build_national_package", scope, error=PortalError)
    title = _("Paket unggah nasional — %(scope)s — %(cycle)s") % {
        "scope": opd.name if opd else _("seluruh wilayah"),
        "cycle": cycle.name,
    }
    return report_request(
        kind=ReportKind.NATIONAL_PACKAGE, user=user, title=title, cycle_id=cycle.pk, opd_id=scope.opd_id
    )


def _render_after_commit(report):
    """Enqueue the rendering after commit; a queue that cannot be reached fails the report at once, with a
    message, so that it can be retried rather than wait for ever. The national package has a task of its
    own: its time limit is a package's, not a document's."""
    from .tasks import build_package, render_report  # the tasks call this module: imported here

    task = build_package if report.kind == ReportKind.NATIONAL_PACKAGE else render_report
    task.delay_on_commit(
        report_id=str(report.pk),
        if_unreachable=lambda: _failed(
            report, _("Antrean pembuatan laporan tidak dapat dihubungi. Coba lagi sebentar lagi.")
        ),
    )


@transaction.atomic
def certificates_issue(*, cycle, by, innovation_ids=None) -> list[Certificate]:
    """Issue a certificate for each verified innovation of the cycle that has none yet (``innovation_ids``:
    only those of these innovations). Idempotent; refused as ``_issue`` says."""
    require(by, "reports.issue_certificates", cycle, error=PortalError)
    return _issue(
        region=cycle.region,
        cycle=cycle,
        drafts=lambda: certificates.drafts_chosen(certificates.cycle_drafts(cycle), innovation_ids),
        by=by,
    )


@transaction.atomic
def award_certificates_issue(*, scheme, by, innovation_ids=None) -> list[Certificate]:
    """Issue a certificate for each winner and honourable mention of a finalised scheme that has none yet
    (``innovation_ids``: only those of these innovations). Idempotent; refused as ``_issue`` says."""
    require(by, "reports.issue_certificates", scheme.cycle, error=PortalError)
    if not scheme.is_final:
        raise PortalError(_("Piagam juara diterbitkan setelah skema difinalkan."))
    return _issue(
        region=scheme.cycle.region,
        cycle=scheme.cycle,
        drafts=lambda: certificates.drafts_chosen(certificates.award_drafts(scheme), innovation_ids),
        by=by,
    )


def _issue(*, region, cycle, drafts, by) -> list[Certificate]:
    """Number and store the certificates ``drafts()`` lists, signed with the region's settings of now.

    Refused (PortalError with what to set, nothing issued) while the region has no signatory. The region's
    row is locked first: two admins issuing at once take turns, so that the second sees the first's
    certificates (none is issued twice) and its running number (no number is given twice). Each
    certificate is recorded in its history with ``by``.
    """
    region = Region.objects.select_for_update().get(pk=region.pk)
    refusal = certificate_refusal(region)
    if refusal:
        raise PortalError(refusal)
    chosen = drafts()  # read under the lock: what another admin issued meanwhile is no longer listed
    if not chosen:
        return []
    today = timezone.localdate()
    numbers, last = certificates.numbers_next(region, len(chosen), today)
    sequence, _created = CertificateSequence.objects.get_or_create(
        region=region, year=certificates.sequence_year(region, today)
    )
    sequence.last = last
    sequence.save(update_fields=["last"])
    issued = [
        certificates.certificate_build(
            draft=draft, cycle=cycle, region=region, number=number, on=today, by=by
        )
        for draft, number in zip(chosen, numbers, strict=True)
    ]
    return bulk_create_with_history(issued, Certificate, default_user=by)


def certificate_preview(*, cycle, innovation_id, scheme=None) -> Certificate:
    """The certificate the innovation would get if it were issued now (not saved, no number used): for
    the preview before issuing. Refused (PortalError) like issuing, or when it is not one to be issued."""
    region = cycle.region
    refusal = certificate_refusal(region)
    if refusal:
        raise PortalError(refusal)
    drafts = certificates.award_drafts(scheme) if scheme is not None else certificates.cycle_drafts(cycle)
    chosen = certificates.drafts_chosen(drafts, [innovation_id])
    if not chosen:
        raise PortalError(_("Inovasi ini tidak menunggu piagam: pratinjau tidak dapat dibuat."))
    today = timezone.localdate()
    numbers, _last = certificates.numbers_next(region, 1, today)
    return certificates.certificate_build(
        draft=chosen[0], cycle=cycle, region=region, number=numbers[0], on=today, by=None
    )


def _progress(report, value):
    GeneratedReport.objects.filter(pk=report.pk).update(progress=value)


def _render(report):
    """(file name, bytes) of the report, reporting progress as it goes."""
    params = report.params
    if report.kind == ReportKind.INNOVATION_PDF:
        innovation = Innovation.objects.select_related("opd__region", "cycle__catalogue", "urusan_utama").get(
            pk=params["innovation_id"]
        )
        _progress(report, 30)
        return f"laporan-inovasi-{slugify(innovation.name)[:60]}.pdf", pdf_render(
            "reports/pdf/innovation.html", documents.innovation_report_context(innovation)
        )
    if report.kind == ReportKind.VERIFICATION_RECORD_PDF:
        innovation = Innovation.objects.select_related(
            "opd__region", "cycle__catalogue", "assignment__verifikator"
        ).get(pk=params["innovation_id"])
        return f"berita-acara-verifikasi-{slugify(innovation.name)[:60]}.pdf", pdf_render(
            "reports/pdf/verification_record.html", documents.verification_record_context(innovation)
        )
    if report.kind in (ReportKind.AWARD_PDF, ReportKind.AWARD_CERTIFICATES_PDF):
        scheme = AwardScheme.objects.select_related("cycle__region", "cycle__catalogue").get(
            pk=params["scheme_id"]
        )
        if report.kind == ReportKind.AWARD_PDF:
            return f"laporan-penghargaan-{slugify(scheme.name)[:60]}.pdf", pdf_render(
                "reports/pdf/award.html", documents.award_report_context(scheme)
            )
        issued = documents.certificates_of(
            cycle=scheme.cycle, source=f"award:{scheme.pk}", ids=params.get("certificate_ids")
        )
        return f"piagam-juara-{slugify(scheme.name)[:60]}.pdf", _certificates_pdf(report, issued)
    if report.kind in (ReportKind.RANKING_PDF, ReportKind.RANKING_XLSX):
        return _ranking_document(report)
    cycle = Cycle.objects.select_related("region", "catalogue").get(pk=params["cycle_id"])
    if report.kind == ReportKind.CERTIFICATE_PREVIEW_PDF:
        scheme_id = params.get("scheme_id")
        awarding = AwardScheme.objects.get(pk=scheme_id, cycle=cycle) if scheme_id else None
        preview = certificate_preview(cycle=cycle, scheme=awarding, innovation_id=params["innovation_id"])
        return "pratinjau-piagam.pdf", _certificates_pdf(report, [preview], preview=True)
    if report.kind == ReportKind.CYCLE_PDF:
        context = documents.cycle_report_context(cycle)
        _progress(report, 40)
        return f"laporan-indeks-{slugify(cycle.name)[:60]}.pdf", pdf_render("reports/pdf/cycle.html", context)
    if report.kind == ReportKind.BRIEF_PDF:
        # The dashboard's figures on one page, for the Bupati's desk.
        context = dashboard_selectors.dashboard(cycle) | {
            "region": cycle.region,
            "generated_at": timezone.localtime(),
            "paper": documents.region_paper(cycle.region),
        }
        _progress(report, 40)
        return f"ringkasan-{slugify(cycle.name)[:60]}.pdf", pdf_render("reports/pdf/brief.html", context)
    if report.kind == ReportKind.CYCLE_XLSX:
        return f"rekap-inovasi-{slugify(cycle.name)[:60]}.xlsx", excel.cycle_workbook(cycle)
    if report.kind in (ReportKind.WORKBOOK_XLSX, ReportKind.WORKBOOK_ZIP):
        return workbook_writer.workbook_report(
            cycle=cycle,
            user=report.requested_by,
            with_evidence=report.kind == ReportKind.WORKBOOK_ZIP,
            progress=lambda value: _progress(report, value),
        )
    if report.kind == ReportKind.NATIONAL_PACKAGE:
        opd = (
            Opd.objects.get(pk=params["opd_id"], region_id=cycle.region_id) if params.get("opd_id") else None
        )
        plan = package_selectors.package_plan(cycle=cycle, opd=opd)
        return plan.zip_name, package.package_write(
            package=plan, progress=lambda value: _progress(report, value)
        )
    if report.kind == ReportKind.CERTIFICATES_PDF:
        issued = documents.certificates_of(
            cycle=cycle, source=certificates.VERIFIED_SOURCE, ids=params.get("certificate_ids")
        )
        return f"piagam-{slugify(cycle.name)[:60]}.pdf", _certificates_pdf(report, issued)
    raise PortalError(_("Jenis laporan tidak dikenal."))


def _ranking_document(report):
    """The ranking of the regions below the requester's region as the page showed it (its filters and
    order), computed afresh from the newest snapshots: an Excel workbook or a PDF on the region's paper."""
    region = Region.objects.get(pk=report.params["region_id"])
    filters = report.params["filters"]
    ranking = ranking_selectors.ranking(region=region, catalogue_code=filters.get("katalog", ""))
    if ranking.catalogue is None:
        raise PortalError(_("Belum ada siklus penilaian di bawah wilayah ini."))
    rows = ranking_selectors.rows_filtered(ranking, filters)
    _progress(report, 40)
    name = f"peringkat-{slugify(region.name)[:40]}-{ranking.catalogue.code}"
    if report.kind == ReportKind.RANKING_XLSX:
        return f"{name}.xlsx", excel.ranking_workbook(ranking, rows, filters)
    return f"{name}.pdf", pdf_render(
        "reports/pdf/ranking.html", documents.ranking_report_context(ranking, rows, filters)
    )


def _certificates_pdf(report, issued, *, preview=False):
    """One PDF of the certificates, one page each, reporting progress certificate by certificate."""
    if not issued:
        raise PortalError(_("Belum ada piagam untuk dicetak."))
    pages = []
    for position, item in enumerate(documents.certificates_context(issued, preview=preview), start=1):
        pages.append(pdf_document(html_render("reports/pdf/certificate.html", {"items": [item]})))
        _progress(report, 5 + 90 * position // len(issued))
    return pdf_combine(pages)


def report_render(*, report_id):
    """Render a requested report into its file; record a failure rather than raising it.

    Idempotent: a report already done is left as it is. A renderer gives bytes, or a File (the national
    package's temporary ZIP), which is closed, and so removed, once stored.
    """
    report = GeneratedReport.objects.filter(pk=report_id).first()
    if report is None or report.state == ReportState.DONE:
        return report
    GeneratedReport.objects.filter(pk=report.pk).update(
        state=ReportState.RUNNING, progress=5, error="", started_at=timezone.now()
    )
    try:
        name, content = _render(report)
    except SoftTimeLimitExceeded:
        return _failed(
            report, _("Waktu pembuatan laporan habis. Coba lagi, atau hubungi admin bila berulang.")
        )
    except PortalError as error:
        return _failed(report, error.message)
    except Exception as error:  # a failure of any kind is recorded for the user, with its cause logged
        logger.exception("report %s failed", report.pk)
        return _failed(
            report, _("Laporan gagal dibuat (%(error)s). Coba lagi.") % {"error": type(error).__name__}
        )
    try:
        report.file.save(name, content if isinstance(content, File) else ContentFile(content), save=False)
    finally:
        if isinstance(content, File):
            content.close()
    report.state, report.progress, report.error = ReportState.DONE, 100, ""
    report.finished_at = timezone.now()
    report.expires_at = report.finished_at + datetime.timedelta(days=settings.REPORT_RETENTION_DAYS)
    report.save(update_fields=["file", "state", "progress", "error", "finished_at", "expires_at"])
    return report


def _failed(report, message):
    GeneratedReport.objects.filter(pk=report.pk).update(
        state=ReportState.FAILED, error=message, finished_at=timezone.now()
    )
    report.refresh_from_db()
    return report


# A report waiting this long was never taken by a worker (its task was lost).
PENDING_AT_MOST = datetime.timedelta(minutes=30)


def reports_fail_stalled(now=None):
    """Record as failed the reports left pending or running past any honest wait: their task was lost, or
    the worker rendering them was killed (a render over its time limit records its own failure). Returns
    how many."""
    now = now or timezone.now()
    running_at_most = datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT_SECONDS + 60)
    package_at_most = datetime.timedelta(seconds=settings.PACKAGE_TIME_LIMIT_SECONDS + 60)
    packages = Q(kind=ReportKind.NATIONAL_PACKAGE)
    stalled = GeneratedReport.objects.filter(
        Q(state=ReportState.PENDING, created_at__lt=now - PENDING_AT_MOST)
        | Q(state=ReportState.RUNNING, started_at__lt=now - running_at_most) & ~packages
        | Q(state=ReportState.RUNNING, started_at__lt=now - package_at_most) & packages
    )
    return stalled.update(
        state=ReportState.FAILED,
        error=_("Pembuatan laporan terhenti sebelum selesai. Coba lagi."),
        finished_at=now,
    )


def reports_expire(now=None):
    """Remove the files (and rows) of reports past their expiry; returns how many."""
    expired = GeneratedReport.objects.filter(expires_at__lt=now or timezone.now())
    count = 0
    for report in expired:
        if report.file:
            report.file.delete(save=False)
        report.delete()
        count += 1
    return count
