"""Celery tasks of the reports app: rendering documents and removing expired ones."""

from django.conf import settings
from django.utils import timezone

from innovasi.celery import app
from innovasi.standards.models import Cycle
from scoring.notifications import opd_reminder

from . import services
from .workbook import services as workbook_services


@app.task(
    name="innovasi.reports.render",
    soft_time_limit=settings.REPORT_TIME_LIMIT_SECONDS,
    time_limit=settings.REPORT_TIME_LIMIT_SECONDS + 30,
)
def render_report(*, report_id):
    """Render one requested report; a failure is recorded on the report, never raised at the user."""
    services.report_render(report_id=report_id)


@app.task(
    name="innovasi.reports.build_package",
    soft_time_limit=settings.PACKAGE_TIME_LIMIT_SECONDS,
    time_limit=settings.PACKAGE_TIME_LIMIT_SECONDS + 30,
)
def build_package(*, report_id):
    """Build one national upload package (a GeneratedReport of its kind), with its own time limit: a
    region's package renders a PDF per innovation and copies every evidence file."""
    services.report_render(report_id=report_id)


@app.task(
    name="innovasi.reports.workbook_check",
    soft_time_limit=workbook_services.TIME_LIMIT_SECONDS,
    time_limit=workbook_services.TIME_LIMIT_SECONDS + 30,
)
def check_workbook(*, upload_id):
    """Check an uploaded workbook for its preview; the outcome is recorded on the upload."""
    workbook_services.workbook_upload_check(upload_id=upload_id)


@app.task(
    name="innovasi.reports.workbook_import",
    soft_time_limit=workbook_services.TIME_LIMIT_SECONDS,
    time_limit=workbook_services.TIME_LIMIT_SECONDS + 30,
)
def import_workbook(*, upload_id):
    """Import a confirmed workbook (all of it or nothing); the outcome is recorded on the upload."""
    workbook_services.workbook_upload_run(upload_id=upload_id)


@app.task(name="innovasi.reports.expire")
def expire_reports():
    """Daily (Celery beat): remove the files of reports and of workbook uploads past their expiry."""
    return services.reports_expire() + workbook_services.workbook_uploads_expire()


@app.task(name="innovasi.reports.fail_stalled")
def fail_stalled_reports():
    """Every minute (Celery beat): a report whose rendering stopped without a word (its worker killed, its
    task lost with Redis) is recorded as failed, so that its requester can ask again; so is a workbook's
    check or import."""
    return services.reports_fail_stalled() + workbook_services.workbook_uploads_fail_stalled()


@app.task(name="innovasi.reports.send_reminder")
def send_reminder(*, cycle_id, opd_id, requested_at):
    """The admin's "send a reminder now": once per press (``requested_at`` names the press)."""
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None:
        return
    days_left = (cycle.filing_closes_on - timezone.localdate()).days
    opd_reminder(
        cycle=cycle,
        opd_id=opd_id,
        days_left=days_left,
        key=f"reminder:{cycle_id}:{opd_id}:manual:{requested_at}",
    )
