"""Issuing certificates: the region's signatory, place and date, logo and numbering on each; refused without
a signatory; numbers unique per region and never reused (also under concurrent issuing, on PostgreSQL);
the preview, the confirmation and the history."""

import datetime
import subprocess
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from innovasi.accounts import selectors as account_selectors
from innovasi.accounts import services as account_services
from innovasi.errors import PortalError
from reports import services
from reports.enums import ReportKind, ReportState
from reports.models import Certificate, CertificateSequence, GeneratedReport
from submissions.enums import InnovationState
from submissions.models import Innovation
from submissions.samples import image_bytes

from ..factories import innovation_create

pytestmark = pytest.mark.django_db

NAMES = ["Ambulans Desa", "Posyandu <b>Digital</b> & Co", "Sekolah Literasi"]  # by OPD, then name


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def signed(verified_cycle, admin_user):
    """The verified cycle's region with its whole settings: letterhead, logo, place, both signatories."""
    region = verified_cycle.region
    return account_services.region_settings_update(
        region=region,
        user=admin_user,
        version=region.settings_version,
        values={
            "letterhead_government": "PEMERINTAH KABUPATEN UJI",
            "letterhead_office": "BADAN PERENCANAAN PEMBANGUNAN DAERAH",
            "letterhead_address": "Jl. Uji No. 1, Kota Uji",
            "signing_place": "Kota Uji",
            "signatory_name": "Dr. H. Uji Coba, M.Si.",
            "signatory_title": "Bupati Uji",
            "signatory_nip": "",
            "report_signatory_name": "Ir. Kepala Perencana, M.T.",
            "report_signatory_title": "Kepala Bappeda Kabupaten Uji",
            "report_signatory_nip": "19700101 199503 1 001",
            "certificate_number_pattern": "{nomor:3}/PIAGAM/BAPPEDA/{tahun}",
        },
        logo=SimpleUploadedFile("logo.png", image_bytes("LOGO")),
    )


def pdftotext(report, *options):
    """The text of a report's PDF as poppler's pdftotext reads it (with ``-layout``: one line per line;
    ``-raw``: in the order it was drawn, rotated text too)."""
    return subprocess.run(
        ["pdftotext", *(options or ["-layout"]), report.file.path, "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def images_in(report):
    listing = subprocess.run(
        ["pdfimages", "-list", report.file.path], check=True, capture_output=True, text=True
    ).stdout
    return listing.splitlines()[2:]  # below the two header lines


def render(kind, user, **params):
    report = services.report_request(kind=kind, user=user, title="uji", **params)
    services.report_render(report_id=report.pk)
    report.refresh_from_db()
    return report


def this_year():
    return timezone.localdate().year


def test_certificates_carry_the_region_signatory_number_place_and_logo(
    signed, verified_cycle, admin_user, tmp_path
):
    issued = services.certificates_issue(cycle=verified_cycle, by=admin_user)

    year = this_year()
    today = account_selectors.region_date(signed, timezone.localdate())
    assert [(c.holder_innovation, c.number) for c in issued] == [
        (name, f"{n:03d}/PIAGAM/BAPPEDA/{year}") for n, name in enumerate(NAMES, start=1)
    ]
    first = Certificate.objects.get(number=f"001/PIAGAM/BAPPEDA/{year}")
    assert (first.signatory_name, first.signatory_title, first.signatory_nip) == (
        "Dr. H. Uji Coba, M.Si.",
        "Bupati Uji",
        "",
    )
    assert (first.place_date, first.heading, first.logo.name) == (
        f"Kota Uji, {today}",
        "PEMERINTAH KABUPATEN UJI",
        signed.logo.name,
    )
    assert (first.region, first.issued_by) == (signed, admin_user)

    report = render(ReportKind.CERTIFICATES_PDF, admin_user, cycle_id=verified_cycle.pk)
    text = pdftotext(report)
    assert report.state == ReportState.DONE
    assert text.count("PIAGAM PENGHARGAAN") == 3
    for line in (
        "P E M E R I N TA H K A B U PAT E N U J I",  # letter-spaced, as printed
        f"Nomor: 001/PIAGAM/BAPPEDA/{year}",
        f"Nomor: 003/PIAGAM/BAPPEDA/{year}",
        f"Kota Uji, {today}",
        "Bupati Uji,",
        "Dr. H. Uji Coba, M.Si.",
    ):
        assert line in text, line
    assert len(images_in(report)) == 3  # the logo on each page (the QR codes are vector)


def test_certificate_with_the_head_nip_prints_it(signed, verified_cycle, admin_user):
    signed.signatory_nip = "19680202 199003 1 002"
    signed.save()
    services.certificates_issue(cycle=verified_cycle, by=admin_user)

    text = pdftotext(render(ReportKind.CERTIFICATES_PDF, admin_user, cycle_id=verified_cycle.pk))

    assert text.count("NIP. 19680202 199003 1 002") == 3


def test_certificates_refused_without_signatory_and_nothing_issued(verified_cycle, admin_user):
    region = verified_cycle.region
    region.signatory_name = ""
    region.save()

    with pytest.raises(PortalError) as refused:
        services.certificates_issue(cycle=verified_cycle, by=admin_user)

    assert refused.value.message == (
        "Piagam belum dapat diterbitkan: penandatangan piagam belum diatur. Isi nama kepala daerah di "
        "Pengaturan wilayah (admin Bappeda)."
    )
    assert (
        Certificate.objects.count(),
        CertificateSequence.objects.count(),
        Certificate.history.count(),
    ) == (0, 0, 0)


def test_issuing_page_says_what_to_set_and_the_issue_is_refused(client, verified_cycle, admin_user):
    region = verified_cycle.region
    region.signatory_name = region.signatory_title = ""
    region.save()
    client.force_login(admin_user)
    message = (
        "Piagam belum dapat diterbitkan: penandatangan piagam belum diatur. Isi nama kepala daerah dan "
        "jabatan kepala daerah di Pengaturan wilayah (admin Bappeda)."
    )

    page = client.get(reverse("reports:certificates", args=[verified_cycle.pk]))
    refused = client.post(
        reverse("reports:certificates_issue", args=[verified_cycle.pk]),
        {"pilih": "semua", "confirmed": "1"},
        follow=True,
    )

    assert message in page.content.decode()
    assert reverse("accounts:region_settings") in page.content.decode()
    assert message in refused.content.decode()
    assert Certificate.objects.count() == 0


def test_award_certificates_refused_without_signatory(final_scheme, admin_user):
    region = final_scheme.cycle.region
    region.signatory_title = ""
    region.save()

    with pytest.raises(PortalError, match="Isi jabatan kepala daerah di Pengaturan wilayah"):
        services.award_certificates_issue(scheme=final_scheme, by=admin_user)

    assert Certificate.objects.count() == 0


def test_a_number_is_never_given_again(signed, verified_cycle, admin_user):
    first, second = (Innovation.objects.get(name=name).pk for name in NAMES[:2])
    services.certificates_issue(cycle=verified_cycle, by=admin_user, innovation_ids=[first, second])
    Certificate.objects.get(innovation_id=second).delete()  # a certificate issued by mistake, removed

    again = services.certificates_issue(cycle=verified_cycle, by=admin_user)

    year = this_year()
    assert [(c.innovation_id, c.number) for c in again] == [
        (second, f"003/PIAGAM/BAPPEDA/{year}"),
        (Innovation.objects.get(name=NAMES[2]).pk, f"004/PIAGAM/BAPPEDA/{year}"),
    ]


def test_numbers_taken_under_an_earlier_pattern_are_skipped(signed, verified_cycle, admin_user):
    innovation = Innovation.objects.get(name=NAMES[0])
    Certificate.objects.create(
        region=signed,
        cycle=verified_cycle,
        innovation=innovation,
        award="Penghargaan lama",
        holder_opd="Dinas Kesehatan",
        holder_innovation=innovation.name,
        year=2025,
        signatory_name="Bupati",
        signatory_title="Bupati Uji",
        region_name=signed.name,
        number="PGH-2",
        source="lama",
    )
    signed.certificate_number_pattern = "PGH-{nomor}"
    signed.save()

    issued = services.certificates_issue(cycle=verified_cycle, by=admin_user)

    assert [c.number for c in issued] == ["PGH-1", "PGH-3", "PGH-4"]


def test_the_running_number_starts_again_each_year_when_the_pattern_has_the_year(
    signed, verified_cycle, admin_user, monkeypatch
):
    first, second, third = (Innovation.objects.get(name=name).pk for name in NAMES)
    year = this_year()
    services.certificates_issue(cycle=verified_cycle, by=admin_user, innovation_ids=[first])
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(year + 1, 1, 2))  # a new year

    new_year = services.certificates_issue(cycle=verified_cycle, by=admin_user, innovation_ids=[second])
    signed.certificate_number_pattern = "PGH-{nomor:3}"
    signed.save()
    no_year = services.certificates_issue(cycle=verified_cycle, by=admin_user, innovation_ids=[third])

    assert new_year[0].number == f"001/PIAGAM/BAPPEDA/{year + 1}"
    assert no_year[0].number == "PGH-001"
    assert set(CertificateSequence.objects.values_list("year", "last")) == {(year, 1), (year + 1, 1), (0, 1)}


def test_a_selection_issues_only_the_chosen(signed, verified_cycle, admin_user):
    chosen = Innovation.objects.get(name="Sekolah Literasi")

    issued = services.certificates_issue(cycle=verified_cycle, by=admin_user, innovation_ids=[chosen.pk])

    assert [(c.innovation, c.number) for c in issued] == [(chosen, f"001/PIAGAM/BAPPEDA/{this_year()}")]
    assert Certificate.objects.count() == 1


def test_issuing_twice_issues_once(signed, verified_cycle, admin_user):
    services.certificates_issue(cycle=verified_cycle, by=admin_user)

    assert services.certificates_issue(cycle=verified_cycle, by=admin_user) == []
    assert CertificateSequence.objects.get().last == 3


def test_issued_certificates_are_in_the_region_history(signed, verified_cycle, admin_user):
    services.certificates_issue(cycle=verified_cycle, by=admin_user)

    entries = account_selectors.region_settings_history(signed)

    year = this_year()
    issued = [entry for entry in entries if entry.what.startswith("Piagam ")]
    assert sorted(entry.what for entry in issued) == [
        f"Piagam {n:03d}/PIAGAM/BAPPEDA/{year} diterbitkan" for n in (1, 2, 3)
    ]
    third = next(entry for entry in issued if entry.what.startswith("Piagam 003/"))
    assert third.who == admin_user
    assert third.changes[:2] == (
        ("nomor piagam", "", f"003/PIAGAM/BAPPEDA/{year}"),
        ("inovasi", "", "Sekolah Literasi"),
    )
    settings_change = next(entry for entry in entries if entry.what == "Data diubah")
    assert ("kop: baris pemerintah daerah", "", "PEMERINTAH KABUPATEN UJI") in settings_change.changes


def test_the_preview_uses_no_number_and_issues_nothing(signed, verified_cycle, admin_user):
    innovation = Innovation.objects.get(name="Sekolah Literasi")

    report = render(
        ReportKind.CERTIFICATE_PREVIEW_PDF,
        admin_user,
        cycle_id=verified_cycle.pk,
        innovation_id=innovation.pk,
    )

    text = pdftotext(report)
    assert report.state == ReportState.DONE
    assert "PRATINJAU · BELUM DITERBITKAN" in pdftotext(report, "-raw")  # the watermark, drawn rotated
    assert f"Nomor: 001/PIAGAM/BAPPEDA/{this_year()}" in text
    assert "Sekolah Literasi" in text
    assert "Dr. H. Uji Coba, M.Si." in text
    assert (Certificate.objects.count(), CertificateSequence.objects.count()) == (0, 0)


# The issuing pages


def test_issuing_asks_for_confirmation_with_the_count_then_issues_and_prints(
    client, signed, verified_cycle, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    issue = reverse("reports:certificates_issue", args=[verified_cycle.pk])
    page = client.get(reverse("reports:certificates", args=[verified_cycle.pk]))

    asked = client.post(issue, {"pilih": "semua"})

    year = this_year()
    assert page.status_code == 200
    assert "Semua yang layak (3)" in page.content.decode()
    assert asked.status_code == 200
    assert "3 piagam akan diterbitkan." in asked.content.decode()
    assert f"003/PIAGAM/BAPPEDA/{year}" in asked.content.decode()
    assert Certificate.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):  # the printing is enqueued after commit
        done = client.post(
            issue,
            {
                "pilih": "pilihan",
                "innovation": [d.innovation.pk for d, _number in asked.context["rows"]],
                "confirmed": "1",
            },
        )

    report = GeneratedReport.objects.get(kind=ReportKind.CERTIFICATES_PDF)
    assert done.url == reverse("reports:status", args=[report.pk])
    assert sorted(report.params["certificate_ids"]) == sorted(
        Certificate.objects.values_list("pk", flat=True)
    )
    assert Certificate.objects.count() == 3
    assert report.state == ReportState.DONE  # rendered at once: tasks run eagerly here


def test_issuing_a_selection_confirms_only_the_ticked(client, signed, verified_cycle, admin_user):
    client.force_login(admin_user)
    chosen = Innovation.objects.get(name="Ambulans Desa")

    asked = client.post(
        reverse("reports:certificates_issue", args=[verified_cycle.pk]),
        {"pilih": "pilihan", "innovation": [chosen.pk]},
    )

    assert "1 piagam akan diterbitkan." in asked.content.decode()
    assert [draft.innovation for draft, _number in asked.context["rows"]] == [chosen]


def test_issuing_nothing_ticked_is_refused(client, signed, verified_cycle, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("reports:certificates_issue", args=[verified_cycle.pk]), {"pilih": "pilihan"}, follow=True
    )

    assert "Pilih sedikitnya satu inovasi yang akan diberi piagam." in response.content.decode()


def test_preview_button_asks_for_the_first_chosen(client, signed, verified_cycle, admin_user):
    client.force_login(admin_user)
    chosen = Innovation.objects.get(name="Sekolah Literasi")

    response = client.post(
        reverse("reports:request"),
        {
            "kind": "certificate_preview_pdf",
            "cycle": verified_cycle.pk,
            "pilih": "pilihan",
            "innovation": [chosen.pk],
        },
    )

    report = GeneratedReport.objects.get(kind=ReportKind.CERTIFICATE_PREVIEW_PDF)
    assert response.url == reverse("reports:status", args=[report.pk])
    assert report.params == {"cycle_id": verified_cycle.pk, "innovation_id": chosen.pk}


def test_award_certificates_are_issued_on_their_page(
    client, signed, final_scheme, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    issue = reverse("reports:award_certificates_issue", args=[final_scheme.pk])

    asked = client.post(issue, {"pilih": "semua"})
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(issue, {"pilih": "semua", "confirmed": "1"})

    assert "2 piagam akan diterbitkan." in asked.content.decode()
    assert done.status_code == 302
    winner = Certificate.objects.get(award__startswith="Juara 1")
    assert (winner.holder_innovation, winner.number) == (
        "Sekolah Literasi",
        f"001/PIAGAM/BAPPEDA/{this_year()}",
    )
    report = GeneratedReport.objects.get(kind=ReportKind.AWARD_CERTIFICATES_PDF)
    assert (report.state, report.error) == (ReportState.DONE, "")
    text = pdftotext(report)
    assert "Juara 1 — Presentasi Kepala Perangkat Daerah" in " ".join(text.split())
    assert "Dr. H. Uji Coba, M.Si." in text


@pytest.mark.parametrize("count", [1, 3])
def test_issuing_page_query_count_does_not_grow(client, signed, verified_cycle, admin_user, count):
    from django.test.utils import CaptureQueriesContext

    client.force_login(admin_user)
    chosen = [Innovation.objects.get(name=name).pk for name in NAMES[:count]]
    services.certificates_issue(cycle=verified_cycle, by=admin_user, innovation_ids=chosen)
    url = reverse("reports:certificates", args=[verified_cycle.pk])
    client.get(url)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert len(response.context["issued"]) == count
    assert len(queries) == 9


# Concurrent issuing


@pytest.mark.django_db(transaction=True)
def test_numbers_stay_unique_when_admins_issue_at_once(region, cycle, opd_a, opd_b, admin_user):
    """Six admins' requests at once, each on its own database connection: two issue every certificate
    still to be issued, four a selection each (overlapping). Every innovation gets one certificate and
    the numbers are 1…n, each once."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): SQLite's writers take turns on the whole database")
    region.signatory_name, region.signatory_title = "Dr. Uji", "Bupati Uji"
    region.save()
    innovations = [
        innovation_create(cycle, (opd_a, opd_b)[n % 2], name=f"Inovasi {n:02d}") for n in range(12)
    ]
    Innovation.objects.filter(cycle=cycle).update(state=InnovationState.TERVERIFIKASI)
    ids = [innovation.pk for innovation in innovations]
    selections = [None, None, ids[0:5], ids[3:8], ids[6:11], ids[9:12]]
    start = threading.Barrier(len(selections))
    issued, errors = [], []

    def issue(selection):
        try:
            start.wait(10)
            issued.extend(services.certificates_issue(cycle=cycle, by=admin_user, innovation_ids=selection))
        except Exception as error:  # reported below: a thread's exception is not the test's
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(selection,)) for selection in selections]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    numbers = list(Certificate.objects.values_list("number", flat=True))
    year = this_year()
    assert errors == []
    assert len(issued) == 12
    assert sorted(numbers) == [f"{n:03d}/PIAGAM/{year}" for n in range(1, 13)]
    assert sorted(Certificate.objects.values_list("innovation_id", flat=True)) == sorted(ids)
    assert CertificateSequence.objects.get(region=region).last == 12
