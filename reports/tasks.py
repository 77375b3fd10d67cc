"""Celery tasks of the reports app: rendering documents and removing expired ones."""

from django.conf import settings

from innovasi.celery import app

from . import services


@app.task(
    name="innovasi.reports.render",
    acks_late=True,
    soft_time_limit=settings.REPORT_TIME_LIMIT_SECONDS,
    time_limit=settings.REPORT_TIME_LIMIT_SECONDS + 30,
)
def render_report(*, report_id):
    """Render one requested report; a failure is recorded on the report, never raised at the user."""
    services.report_render(report_id=report_id)


@app.task(name="innovasi.reports.expire")
def expire_reports():
    """Daily (Celery beat): remove the files of reports past their expiry."""
    return services.reports_expire()
