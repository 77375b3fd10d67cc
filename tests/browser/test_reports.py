"""Asking for the cycle report in the browser: the status page polls while a worker renders it, then the
download arrives as a PDF."""

import pytest
from playwright.sync_api import expect

from reports import services
from reports.models import GeneratedReport

from ..reports.conftest import verified_cycle  # noqa: F401
from ..scoring.conftest import judge_all  # noqa: F401
from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_asks_for_the_cycle_report_and_downloads_it(page, verified_cycle, admin_user, celery_broker):  # noqa: F811
    admin_user.set_password("inovasi-demo")
    admin_user.save()
    # No worker yet: the task waits in the (in-memory) queue, so the page shows it waiting.
    celery_broker("memory://")
    log_in(page, "admin.bappeda", "inovasi-demo")
    page.goto("/verifikasi/indeks/")
    page.get_by_role("button", name="Laporan indeks (PDF)").click()
    expect(page.get_by_text("Menunggu giliran dibuat…")).to_be_visible()

    services.report_render(report_id=GeneratedReport.objects.get().pk)  # what the worker does

    expect(page.get_by_text("Laporan siap.")).to_be_visible()  # the page polled and saw it
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh laporan").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    assert download.value.suggested_filename.startswith("laporan-indeks-")
