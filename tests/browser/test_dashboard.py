"""The Bupati's two minutes: the IID and its category, the OPD ranking, an OPD, an innovation with its
evidence, and the cycle report downloaded."""

import pytest
from playwright.sync_api import expect

from scoring.enums import SnapshotKind
from scoring.selectors import index as index_selectors

from ..reports.conftest import verified_cycle  # noqa: F401
from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_bupati_reads_drills_down_and_downloads(page, verified_cycle, pimpinan):  # noqa: F811
    pimpinan.set_password("inovasi-demo")
    pimpinan.save()
    verified = index_selectors.snapshots_newest(cycle=verified_cycle)[SnapshotKind.VERIFIED]

    log_in(page, "bupati", "inovasi-demo")

    expect(page.get_by_test_id("dashboard-iid-verified")).to_have_text(
        f"{verified.iid:.2f}".replace(".", ",")
    )
    expect(page.get_by_test_id("dashboard-category")).to_have_text(verified.category)
    page.get_by_text("Tabel peringkat lengkap").click()
    page.get_by_role("link", name="Dinkes").click()
    expect(page.locator("h1")).to_have_text("Dinas Kesehatan")
    page.get_by_role("link", name="Ambulans Desa").click()
    expect(page.locator("h1")).to_contain_text("Ambulans Desa")
    expect(page.get_by_role("link", name="bukti.pdf").first).to_be_visible()  # the evidence, one click away

    page.get_by_role("link", name="Dasbor").click()
    page.get_by_role("button", name="Unduh laporan indeks (PDF)").click()
    expect(page.get_by_text("Laporan siap.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh laporan").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
