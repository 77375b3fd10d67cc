"""Writes of the reports app: asking for a document, rendering it (in a worker), issuing certificates."""

import datetime
import logging

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from innovasi.errors import PortalError
from innovasi.standards.models import Cycle
from scoring.enums import AwardPlace
from scoring.models import AwardResult, AwardScheme
from submissions.enums import InnovationState
from submissions.models import Innovation

from . import excel
from .enums import ReportKind, ReportState
from .models import Certificate, GeneratedReport
from .rendering import html_render, pdf_combine, pdf_document, pdf_render
from .selectors import dashboard as dashboard_selectors
from .selectors import documents

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


def _render_after_commit(report):
    """Enqueue the rendering after commit; a queue that cannot be reached fails the report at once, with a
    message, so that it can be retried rather than wait for ever."""
    from .tasks import render_report  # the task calls this module: imported here, not at the top

    render_report.delay_on_commit(
        report_id=str(report.pk),
        if_unreachable=lambda: _failed(
            report, _("Antrean pembuatan laporan tidak dapat dihubungi. Coba lagi sebentar lagi.")
        ),
    )


@transaction.atomic
def certificates_issue(*, cycle) -> list[Certificate]:
    """A certificate for every verified innovation of the cycle that has none yet (idempotent)."""
    region = cycle.region
    award = _("Inovasi Daerah Terverifikasi — %(cycle)s") % {"cycle": cycle.catalogue.name}
    existing = set(
        Certificate.objects.filter(cycle=cycle, award=award).values_list("innovation_id", flat=True)
    )
    new = [
        Certificate(
            cycle=cycle,
            innovation=innovation,
            award=award,
            holder_opd=innovation.opd.name,
            holder_innovation=innovation.name,
            year=cycle.catalogue.year,
            signatory_name=region.signatory_name or _("Kepala Daerah"),
            signatory_title=region.signatory_title or _("Kepala Daerah %(region)s") % {"region": region.name},
            region_name=region.name,
        )
        for innovation in Innovation.objects.filter(cycle=cycle, state=InnovationState.TERVERIFIKASI)
        .exclude(pk__in=existing)
        .select_related("opd")
    ]
    Certificate.objects.bulk_create(new)
    return new


@transaction.atomic
def award_certificates_issue(*, scheme) -> list[Certificate]:
    """A certificate for every winner and honourable mention of a finalised scheme (idempotent)."""
    if not scheme.is_final:
        raise PortalError(_("Piagam juara diterbitkan setelah skema difinalkan."))
    region = scheme.cycle.region
    source = f"award:{scheme.pk}"
    existing = set(Certificate.objects.filter(source=source).values_list("innovation_id", flat=True))
    new = []
    for result in AwardResult.objects.filter(
        nomination__scheme=scheme, place__in=[AwardPlace.WINNER, AwardPlace.HONOURABLE]
    ).select_related("nomination__innovation__opd", "nomination__category"):
        innovation = result.nomination.innovation
        if innovation.pk in existing:
            continue
        title = (
            _("Juara %(rank)d") % {"rank": result.rank}
            if result.place == AwardPlace.WINNER
            else _("Juara Harapan")
        )
        new.append(
            Certificate(
                cycle=scheme.cycle,
                innovation=innovation,
                award=f"{title} — {result.nomination.category.name} — {scheme.name}",
                holder_opd=innovation.opd.name,
                holder_innovation=innovation.name,
                year=scheme.cycle.catalogue.year,
                signatory_name=region.signatory_name or _("Kepala Daerah"),
                signatory_title=region.signatory_title
                or _("Kepala Daerah %(region)s") % {"region": region.name},
                region_name=region.name,
                source=source,
            )
        )
    Certificate.objects.bulk_create(new)
    return new


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
        certificates = documents.certificates_of(cycle=scheme.cycle, source=f"award:{scheme.pk}")
        return f"piagam-juara-{slugify(scheme.name)[:60]}.pdf", _certificates_pdf(report, certificates)
    cycle = Cycle.objects.select_related("region", "catalogue").get(pk=params["cycle_id"])
    if report.kind == ReportKind.CYCLE_PDF:
        context = documents.cycle_report_context(cycle)
        _progress(report, 40)
        return f"laporan-indeks-{slugify(cycle.name)[:60]}.pdf", pdf_render("reports/pdf/cycle.html", context)
    if report.kind == ReportKind.BRIEF_PDF:
        # The dashboard's figures on one page, for the Bupati's desk.
        context = dashboard_selectors.dashboard(cycle) | {
            "region": cycle.region,
            "generated_at": timezone.localtime(),
        }
        _progress(report, 40)
        return f"ringkasan-{slugify(cycle.name)[:60]}.pdf", pdf_render("reports/pdf/brief.html", context)
    if report.kind == ReportKind.CYCLE_XLSX:
        return f"rekap-inovasi-{slugify(cycle.name)[:60]}.xlsx", excel.cycle_workbook(cycle)
    if report.kind == ReportKind.CERTIFICATES_PDF:
        certificates = documents.certificates_of(cycle=cycle, source="verified")
        return f"piagam-{slugify(cycle.name)[:60]}.pdf", _certificates_pdf(report, certificates)
    raise PortalError(_("Jenis laporan tidak dikenal."))


def _certificates_pdf(report, certificates):
    """One PDF of the certificates, one page each, reporting progress certificate by certificate."""
    if not certificates:
        raise PortalError(_("Belum ada piagam untuk dicetak."))
    pages = []
    for position, item in enumerate(documents.certificates_context(certificates), start=1):
        pages.append(pdf_document(html_render("reports/pdf/certificate.html", {"items": [item]})))
        _progress(report, 5 + 90 * position // len(certificates))
    return pdf_combine(pages)


def report_render(*, report_id):
    """Render a requested report into its file; record a failure rather than raising it.

    Idempotent: a report already done is left as it is.
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
    report.file.save(name, ContentFile(content), save=False)
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
    stalled = GeneratedReport.objects.filter(
        Q(state=ReportState.PENDING, created_at__lt=now - PENDING_AT_MOST)
        | Q(state=ReportState.RUNNING, started_at__lt=now - running_at_most)
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
