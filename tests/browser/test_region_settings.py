"""The admin's settings page and the certificates it makes possible, in Chromium: a region without a
signatory is told what to set; the admin sets the letterhead, logo and signatory (the history shows it),
previews a certificate, chooses which to issue, confirms, and the numbered certificates are printed."""

import re

import pytest
from playwright.sync_api import expect

from reports.enums import ReportKind
from reports.models import Certificate, GeneratedReport
from submissions.samples import image_bytes

from ..reports.conftest import verified_cycle  # noqa: F401
from .conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_admin_sets_the_signatory_then_issues_after_confirming(page, verified_cycle, admin_user):  # noqa: F811
    admin_user.set_password("inovasi-demo")
    admin_user.save()
    region = verified_cycle.region
    region.signatory_name = region.signatory_title = ""
    region.save()
    log_in(page, "admin.bappeda", "inovasi-demo")

    # No signatory yet: the certificates page says what to set, and leads there.
    page.goto("/verifikasi/indeks/")
    page.get_by_role("link", name="Piagam", exact=True).click()
    expect(page.get_by_test_id("certificate-refusal")).to_contain_text(
        "Isi nama kepala daerah dan jabatan kepala daerah di Pengaturan wilayah"
    )
    expect(page.get_by_role("button", name="Lanjutkan ke konfirmasi")).to_have_count(0)

    # The settings page, from the admin's menu.
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="Pengaturan wilayah", exact=True).click()
    page.get_by_label("Logo baru").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": image_bytes("LOGO")}
    )
    page.get_by_label("Kop: baris pemerintah daerah").fill("PEMERINTAH KABUPATEN UJI")
    page.get_by_label("Tempat penandatanganan").fill("Kota Uji")
    page.get_by_label("Nama kepala daerah").fill("Dr. H. Uji Coba, M.Si.")
    page.get_by_label("Jabatan kepala daerah").fill("Bupati Uji")
    page.get_by_label("Pola nomor piagam").fill("PIAGAM")  # no running number: refused
    page.get_by_role("button", name="Simpan pengaturan").click()
    expect(page.get_by_text("Pola nomor piagam harus memuat nomor urut {nomor}")).to_be_visible()
    page.get_by_label("Logo baru").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": image_bytes("LOGO")}
    )
    page.get_by_label("Pola nomor piagam").fill("{nomor:3}/PGH/{tahun}")
    page.get_by_role("button", name="Simpan pengaturan").click()
    expect(page.get_by_text("Pengaturan wilayah disimpan.")).to_be_visible()
    expect(page.get_by_role("img", name="Logo saat ini")).to_be_visible()
    history = page.locator(".history-list")
    expect(history).to_contain_text("Bupati Uji")
    expect(history).to_contain_text("admin.bappeda")
    expect(page.get_by_test_id("certificate-refusal")).to_have_count(0)

    # The certificates: a preview of the first chosen opens in its own tab and uses no number.
    page.goto(f"/piagam/siklus/{verified_cycle.pk}/")
    year = page.get_by_test_id("next-number").inner_text().rsplit("/", 1)[1]
    expect(page.get_by_test_id("next-number")).to_have_text(f"001/PGH/{year}")
    page.get_by_label("Hanya yang dicentang di bawah").check()
    page.get_by_label("Posyandu <b>Digital</b> & Co").uncheck()
    with page.context.expect_page() as opened:
        page.get_by_role("button", name="Pratinjau piagam pertama (PDF)").click()
    preview = opened.value
    expect(preview.get_by_text("Laporan siap.")).to_be_visible()
    preview.close()
    assert Certificate.objects.count() == 0

    # Issuing asks first, with the count and the numbers; only the confirmation issues.
    page.get_by_role("button", name="Lanjutkan ke konfirmasi").click()
    expect(page.get_by_test_id("confirm-count")).to_have_text("2 piagam akan diterbitkan.")
    expect(page.get_by_role("cell", name=f"002/PGH/{year}")).to_be_visible()
    assert Certificate.objects.count() == 0
    page.get_by_role("button", name="Ya, terbitkan 2 piagam").click()
    expect(page.get_by_text("2 piagam diterbitkan, nomor 001/PGH/")).to_be_visible()
    expect(page.get_by_text("Laporan siap.")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh laporan").click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    assert sorted(Certificate.objects.values_list("holder_innovation", "number")) == [
        ("Ambulans Desa", f"001/PGH/{year}"),
        ("Sekolah Literasi", f"002/PGH/{year}"),
    ]
    printed = GeneratedReport.objects.get(kind=ReportKind.CERTIFICATES_PDF)
    assert len(printed.params["certificate_ids"]) == 2

    # The issue is in the settings page's history, with who issued it.
    page.goto("/akun/wilayah/pengaturan/")
    expect(page.locator(".history-list")).to_contain_text(re.compile(f"Piagam 002/PGH/{year} diterbitkan"))
