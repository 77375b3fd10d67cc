"""Every report prints the region's settings: the letterhead on its first page (and there only), and the
place and date with the head of Bappeda's signatory block at its end. Read back with poppler's pdftotext,
page by page."""

import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from innovasi.accounts import selectors as account_selectors
from innovasi.accounts import services as account_services
from reports import services
from reports.enums import ReportKind, ReportState
from submissions.models import Innovation
from submissions.samples import image_bytes

pytestmark = pytest.mark.django_db

LETTERHEAD = (
    "PEMERINTAH KABUPATEN UJI",
    "BADAN PERENCANAAN PEMBANGUNAN DAERAH",
    "Jl. Uji No. 1, Kota Uji 61300",
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def signed(verified_cycle, admin_user):
    region = verified_cycle.region
    return account_services.region_settings_update(
        region=region,
        user=admin_user,
        version=region.settings_version,
        values={
            "letterhead_government": LETTERHEAD[0],
            "letterhead_office": LETTERHEAD[1],
            "letterhead_address": LETTERHEAD[2],
            "signing_place": "Kota Uji",
            "report_signatory_name": "Ir. Kepala Perencana, M.T.",
            "report_signatory_title": "Kepala Bappeda Kabupaten Uji",
            "report_signatory_nip": "19700101 199503 1 001",
        },
        logo=SimpleUploadedFile("logo.png", image_bytes("LOGO")),
    )


def render(kind, user, **params):
    report = services.report_request(kind=kind, user=user, title="uji", **params)
    services.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert (report.state, report.error) == (ReportState.DONE, "")
    return report


def pages(report):
    """The text of each page (pdftotext separates pages with a form feed)."""
    text = subprocess.run(
        ["pdftotext", "-layout", report.file.path, "-"], check=True, capture_output=True, text=True
    ).stdout
    return [" ".join(page.split()) for page in text.split("\f") if page.strip()]


def first_page_images(report):
    listing = subprocess.run(
        ["pdfimages", "-list", "-f", "1", "-l", "1", report.file.path],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return listing.splitlines()[2:]


def assert_paper(report, region):
    text = pages(report)
    place_date = f"Kota Uji, {account_selectors.region_date(region, timezone.localdate())}"
    for line in LETTERHEAD:
        assert line in text[0], line
        assert all(line not in page for page in text[1:]), f"{line} past the first page"
    assert len(first_page_images(report)) == 1  # the logo (charts and QR codes are vector)
    signature = (
        f"{place_date} Kepala Bappeda Kabupaten Uji, Ir. Kepala Perencana, M.T. NIP. 19700101 199503 1 001"
    )
    assert signature in text[-1]


def test_innovation_report_has_the_letterhead_and_the_signatory(signed, verified_cycle, admin_user):
    innovation = Innovation.objects.get(name="Ambulans Desa")

    report = render(ReportKind.INNOVATION_PDF, admin_user, innovation_id=innovation.pk)

    assert_paper(report, signed)


def test_cycle_report_has_the_letterhead_and_the_signatory(signed, verified_cycle, admin_user):
    report = render(ReportKind.CYCLE_PDF, admin_user, cycle_id=verified_cycle.pk)

    assert_paper(report, signed)


def test_award_report_has_the_letterhead_and_the_signatory(signed, final_scheme, admin_user):
    report = render(ReportKind.AWARD_PDF, admin_user, scheme_id=final_scheme.pk)

    assert_paper(report, signed)


def test_report_of_a_region_without_settings_has_its_name_and_no_signature(verified_cycle, admin_user):
    text = pages(render(ReportKind.CYCLE_PDF, admin_user, cycle_id=verified_cycle.pk))

    assert text[0].startswith("PEMERINTAH KABUPATEN UJI Laporan Indeks Inovasi Daerah")
    assert "NIP." not in text[-1]
    assert "Kepala" not in text[-1]
