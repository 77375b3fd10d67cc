"""PDFs rendered for real, the Excel recap, certificates, the URL fetcher and the report task."""

import datetime
import io
import os
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from innovasi.accounts.enums import Role
from reports import services
from reports.enums import ReportKind, ReportState
from reports.models import Certificate, GeneratedReport
from reports.rendering import PortalURLFetcher, static_file_url
from scoring.enums import SnapshotKind
from scoring.selectors import awards as award_selectors
from scoring.selectors import index as index_selectors
from submissions.enums import InnovationState
from submissions.models import Innovation

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def render(kind, user, **params):
    report = services.report_request(kind=kind, user=user, title="uji", **params)
    services.report_render(report_id=report.pk)
    report.refresh_from_db()
    return report


def pdf_text(report):
    content = report.file.read()
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def indonesian(value):
    return f"{Decimal(value):.2f}".replace(".", ",")


def test_innovation_report_has_the_profile_and_indicator_table(verified_cycle, admin_user):
    innovation = Innovation.objects.get(name="Ambulans Desa")

    report = render(ReportKind.INNOVATION_PDF, admin_user, innovation_id=innovation.pk)

    reader, text = pdf_text(report)
    assert report.state == ReportState.DONE
    # The indicator table fills page 3 and ends on page 4 (SID-33's basis label takes a line of its own).
    assert len(reader.pages) == 4
    assert "Laporan Inovasi Daerah" in text
    assert "1.1 Nama inovasi Ambulans Desa" in text
    assert text.index("1.14 Hasil inovasi") < text.index("1.15 Anggaran") < text.index("1.16 Profil bisnis")
    words = " ".join(text.split())  # the table's cells wrap where their column widths fall
    assert "SID-35 Video inovasi daerah" in words
    assert "a · Jumlah penerima manfaat — Penerima manfaat 201-500 orang" in words
    assert "Halaman 1 dari 4" in text


def test_innovation_name_with_html_prints_as_text(verified_cycle, admin_user):
    innovation = Innovation.objects.get(name__startswith="Posyandu")

    _reader, text = pdf_text(render(ReportKind.INNOVATION_PDF, admin_user, innovation_id=innovation.pk))

    assert "Posyandu <b>Digital</b> & Co" in text


def test_cycle_report_shows_the_snapshot_iid_and_every_opd(verified_cycle, admin_user):
    report = render(ReportKind.CYCLE_PDF, admin_user, cycle_id=verified_cycle.pk)

    reader, text = pdf_text(report)
    verified = index_selectors.snapshots_newest(cycle=verified_cycle)[SnapshotKind.VERIFIED]
    claimed = index_selectors.snapshots_newest(cycle=verified_cycle)[SnapshotKind.CLAIMED]
    # Summary; OPD ranking and next actions; SID breakdown and the SPD table running onto a fourth page.
    assert len(reader.pages) == 4
    assert "Rincian SID per indikator" in reader.pages[2].extract_text()
    assert f"IID terverifikasi\n{indonesian(verified.iid)}" in text
    assert indonesian(claimed.iid) in text
    assert "Dinkes" in text
    assert "Dispendik" in text
    for name in Innovation.objects.filter(cycle=verified_cycle).values_list("name", flat=True):
        assert name in text  # in the next actions
    assert "Kabupaten Uji".upper() in text


def test_certificates_one_page_each_and_their_code_resolves(verified_cycle, admin_user, client):
    services.certificates_issue(cycle=verified_cycle, by=admin_user)
    report = render(ReportKind.CERTIFICATES_PDF, admin_user, cycle_id=verified_cycle.pk)

    reader, text = pdf_text(report)
    certificate = Certificate.objects.get(holder_innovation="Sekolah Literasi")
    assert len(reader.pages) == 3
    assert certificate.code in text
    page = client.get(reverse("reports:certificate", args=[certificate.code]))
    assert page.status_code == 200
    assert "Sekolah Literasi" in page.content.decode()
    unknown = client.get(reverse("reports:certificate", args=["ABCDE-FGHJK"]))
    assert unknown.status_code == 404
    assert "Kode ABCDE-FGHJK tidak dikenal" in unknown.content.decode()
    assert "hubungi Bappeda" in unknown.content.decode()


def test_certificate_check_finds_a_code_typed_by_hand(verified_cycle, admin_user, client):
    services.certificates_issue(cycle=verified_cycle, by=admin_user)
    code = Certificate.objects.get(holder_innovation="Sekolah Literasi").code
    find = reverse("reports:certificate_find")

    typed = f" {code.lower().replace('-', ' ')} "
    assert client.get(find, {"kode": typed}).url == reverse("reports:certificate", args=[code])
    unknown = client.get(find, {"kode": "abcde fghjk"})
    assert unknown.status_code == 404
    assert "Kode ABCDE-FGHJK tidak dikenal" in unknown.content.decode()
    assert 'name="kode"' in client.get(find).content.decode()


def test_a_visitor_at_the_root_sees_the_landing_with_its_ways_in(client):
    page = client.get("/").content.decode()
    for url in (reverse("reports:gallery"), reverse("reports:certificate_find"), reverse("accounts:login")):
        assert f'href="{url}"' in page or f'action="{url}"' in page
    assert reverse("set_language") in page


@pytest.mark.parametrize("code", ["ABCDE_FGHJK", "%00", "ABCDE-FGHJK-LMNPQ"])
def test_certificate_code_of_another_shape_resolves_nothing(client, code):
    # Never sent to the database: PostgreSQL refuses a NUL in a string (a server error).
    response = client.get(f"/sertifikat/{code}/")

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_report_list_query_count_does_not_grow(client, admin_user, count, django_assert_num_queries):
    for number in range(count):
        GeneratedReport.objects.create(
            kind=ReportKind.CYCLE_PDF,
            params={},
            region=admin_user.region,
            requested_by=admin_user,
            title=f"Laporan {number}",
            state=ReportState.DONE,
        )
    client.force_login(admin_user)
    client.get(reverse("reports:list"))

    with django_assert_num_queries(4):
        response = client.get(reverse("reports:list"))

    assert len(response.context["reports"]) == count


def test_certificates_issue_is_idempotent(verified_cycle, admin_user):
    first = services.certificates_issue(cycle=verified_cycle, by=admin_user)
    second = services.certificates_issue(cycle=verified_cycle, by=admin_user)

    assert (len(first), len(second), Certificate.objects.count()) == (3, 0, 3)


def test_excel_recap_figures_equal_the_snapshot(verified_cycle, admin_user):
    report = render(ReportKind.CYCLE_XLSX, admin_user, cycle_id=verified_cycle.pk)

    workbook = load_workbook(io.BytesIO(report.file.read()))
    recap, ranking = workbook["Rekap inovasi"], workbook["Peringkat OPD"]
    header = [cell.value for cell in recap[1]]
    rows = {
        row[0]: dict(zip(header, row, strict=True)) for row in recap.iter_rows(min_row=2, values_only=True)
    }
    verified = index_selectors.snapshots_newest(cycle=verified_cycle)[SnapshotKind.VERIFIED]
    claimed = index_selectors.snapshots_newest(cycle=verified_cycle)[SnapshotKind.CLAIMED]
    names = dict(Innovation.objects.filter(cycle=verified_cycle).values_list("pk", "name"))
    assert len(rows) == len(verified.result["innovations"]) == 3
    for snapshot, score in ((claimed, "skor klaim"), (verified, "skor verifikasi")):
        for item in snapshot.result["innovations"]:
            row = rows[names[int(item["ref"])]]
            assert row[f"Kematangan {'klaim' if snapshot == claimed else 'terverifikasi'}"] == float(
                Decimal(item["kematangan"])
            )
            for code, value in item["row_scores"].items():
                assert row[f"{code} {score}"] == float(Decimal(value)), (row["Nama inovasi"], code)
    assert isinstance(rows["Ambulans Desa"]["SID-16 verifikasi"], int)
    assert rows["Ambulans Desa"]["Anggaran"] is None  # the document columns are there, empty here
    last = list(ranking.iter_rows(values_only=True))[-1]
    assert last[1:] == ("IID terverifikasi", None, None, float(verified.iid))


def test_excel_recap_keeps_text_that_looks_like_a_formula_as_text(verified_cycle, admin_user):
    Innovation.objects.filter(name="Ambulans Desa").update(name='=HYPERLINK("http://example.org","klik")')

    report = render(ReportKind.CYCLE_XLSX, admin_user, cycle_id=verified_cycle.pk)

    recap = load_workbook(io.BytesIO(report.file.read()))["Rekap inovasi"]
    cell = next(row[0] for row in recap.iter_rows(min_row=2) if row[0].value.startswith("=HYPERLINK"))
    assert cell.data_type == "s"


def test_url_fetcher_refuses_remote_and_outside_paths(tmp_path):
    fetcher = PortalURLFetcher()
    outside = tmp_path / "secret.css"
    outside.write_text("body{}")

    with pytest.raises(
        ValueError, match=r"refused: https://example\.org/x\.png is not a local static or media file"
    ):
        fetcher.fetch("https://example.org/x.png")
    with pytest.raises(ValueError, match="is outside the static and media files"):
        fetcher.fetch(outside.as_uri())
    with pytest.raises(ValueError, match="is outside the static and media files"):
        fetcher.fetch("file:///etc/passwd")
    assert fetcher.fetch(static_file_url("css/print.css")).status == 200


def test_report_task_twice_renders_once(verified_cycle, admin_user):
    report = render(ReportKind.CYCLE_XLSX, admin_user, cycle_id=verified_cycle.pk)
    first_file = report.file.name

    services.report_render(report_id=report.pk)

    report.refresh_from_db()
    assert (report.state, report.file.name) == (ReportState.DONE, first_file)


def test_report_failure_is_recorded_and_can_be_retried(verified_cycle, admin_user):
    report = render(ReportKind.CERTIFICATES_PDF, admin_user, cycle_id=verified_cycle.pk)  # none issued yet

    assert report.state == ReportState.FAILED
    assert report.error == "Belum ada piagam untuk dicetak."

    services.certificates_issue(cycle=verified_cycle, by=admin_user)
    services.report_retry(report=report)
    services.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.state == ReportState.DONE


def test_report_rendering_is_enqueued_after_commit(
    verified_cycle, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        report = services.report_request(
            kind=ReportKind.CYCLE_XLSX, user=admin_user, title="uji", cycle_id=verified_cycle.pk
        )

    assert GeneratedReport.objects.get(pk=report.pk).state == ReportState.PENDING
    assert len(callbacks) == 1


def test_report_asked_while_redis_is_stopped_fails_at_once_with_a_message(
    verified_cycle, admin_user, redis_stopped, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(
            kind=ReportKind.CYCLE_XLSX, user=admin_user, title="uji", cycle_id=verified_cycle.pk
        )

    report.refresh_from_db()
    assert report.state == ReportState.FAILED
    assert report.error.startswith("Antrean pembuatan laporan tidak dapat dihubungi.")


def test_expired_reports_are_removed(verified_cycle, admin_user):
    report = render(ReportKind.CYCLE_XLSX, admin_user, cycle_id=verified_cycle.pk)
    path = report.file.path

    removed = services.reports_expire(now=report.expires_at + datetime.timedelta(seconds=1))

    assert removed == 1
    assert not GeneratedReport.objects.exists()
    assert not os.path.exists(path)


@pytest.mark.parametrize(
    ("persona", "status"),
    [("operator_a", 403), ("juri", 403), ("pimpinan", 302), ("admin_user", 302), ("verifikator", 302)],
)
def test_cycle_report_request_permissions(persona_client, persona, status, verified_cycle):
    response = persona_client(persona).post(
        reverse("reports:request"), {"kind": "cycle_pdf", "cycle": verified_cycle.pk}
    )

    assert response.status_code == status


def test_report_download_is_only_for_who_asked(client, verified_cycle, admin_user, pimpinan):
    report = render(ReportKind.CYCLE_XLSX, admin_user, cycle_id=verified_cycle.pk)
    client.force_login(pimpinan)

    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404
    client.force_login(admin_user)
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 200


def test_award_report_and_winners_certificates(verified_cycle, admin_user, juri, client):
    from scoring.services import awards as award_services

    scheme = award_services.scheme_from_preset(cycle=verified_cycle, preset="presentasi")
    category = scheme.categories.get()
    for innovation in Innovation.objects.filter(cycle=verified_cycle).order_by("pk"):
        award_services.nominate(category=category, innovation=innovation, by=admin_user)
    member = award_services.jury_assign(category=category, juror=juri)
    award_services.conflicts_declare(member=member, opds=[], note="")
    for number, nomination in enumerate(category.nominations.order_by("pk")):
        scores = {criterion.pk: 60 + 10 * number for criterion in scheme.criteria.all()}
        award_services.scores_save(member=member, nomination=nomination, scores=scores, comment="")
    award_services.sheet_submit(member=member)
    scheme.winners = 1
    scheme.honourable_mentions = 1
    scheme.save()
    scheme = award_services.scheme_finalise(scheme=scheme, by=admin_user)

    report = render(ReportKind.AWARD_PDF, admin_user, scheme_id=scheme.pk)
    services.award_certificates_issue(scheme=scheme, by=admin_user)
    certificates = render(ReportKind.AWARD_CERTIFICATES_PDF, admin_user, scheme_id=scheme.pk)

    _reader, text = pdf_text(report)
    assert "Juara 1" in text
    assert "Sekolah Literasi" in text  # the last nominated scored highest
    reader, text = pdf_text(certificates)
    assert len(reader.pages) == 2  # the winner and the honourable mention
    winner = Certificate.objects.get(source=f"award:{scheme.pk}", award__startswith="Juara 1")
    assert winner.holder_innovation == "Sekolah Literasi"
    page = client.get(reverse("reports:certificate", args=[winner.code]))
    assert "Juara 1 — Presentasi Kepala Perangkat Daerah" in page.content.decode()


def test_award_report_flags_a_nominee_scored_by_fewer_jurors_and_prints_the_finalise_reason(
    verified_cycle, admin_user, juri, opd_b
):
    from scoring.services import awards as award_services

    scheme = award_services.scheme_from_preset(cycle=verified_cycle, preset="presentasi")
    category = scheme.categories.get()
    for innovation in Innovation.objects.filter(cycle=verified_cycle).order_by("pk"):
        award_services.nominate(category=category, innovation=innovation, by=admin_user)
    juri2 = UserFactory(username="juri2", region=admin_user.region, role=Role.JURI, opd=None)
    for user, conflicts in ((juri, []), (juri2, [opd_b])):  # juri2 may not score Sekolah Literasi
        member = award_services.jury_assign(category=category, juror=user)
        award_services.conflicts_declare(member=member, opds=conflicts, note="Saudara" if conflicts else "")
        for nomination in award_selectors.sheet(member):
            if not nomination.is_excluded:
                scores = {criterion.pk: 70 for criterion in scheme.criteria.all()}
                award_services.scores_save(member=member, nomination=nomination, scores=scores, comment="")
        award_services.sheet_submit(member=member)
    scheme = award_services.scheme_finalise(scheme=scheme, by=admin_user, reason="Juri kedua berkonflik")

    _reader, text = pdf_text(render(ReportKind.AWARD_PDF, admin_user, scheme_id=scheme.pk))

    words = " ".join(text.split())
    assert words.count("dinilai 1 dari 2 juri") == 2  # in the finalising note and at the nominee's value
    assert "Alasan: Juri kedua berkonflik" in words


def test_brief_is_one_page_with_the_dashboard_figures(verified_cycle, admin_user):
    verified = index_selectors.snapshots_newest(cycle=verified_cycle)[SnapshotKind.VERIFIED]

    reader, text = pdf_text(render(ReportKind.BRIEF_PDF, admin_user, cycle_id=verified_cycle.pk))

    words = " ".join(text.split())
    assert len(reader.pages) == 1
    assert "Ringkasan Inovasi Daerah" in words
    assert f"IID terverifikasi {indonesian(verified.iid)} {verified.category}" in words
    assert "poin lagi ke" in words
    assert "Langkah paling berharga" in words
    assert "Sumbangan OPD terbesar" in words
    top = index_selectors.contributions_named(payload=verified.result)[0]
    assert f"1 {top['opd']} {top['n_eligible']}" in words


def test_verification_record_lists_every_verdict_the_verifier_and_the_signature_places(
    verified_cycle, admin_user, verifikator
):
    innovation = Innovation.objects.get(name="Ambulans Desa")
    claims = innovation.claims.filter(level__gt=0).select_related("indicator", "verification")

    _reader, text = pdf_text(
        render(ReportKind.VERIFICATION_RECORD_PDF, admin_user, innovation_id=innovation.pk)
    )

    words = " ".join(text.split())
    assert "Berita Acara Verifikasi Inovasi Daerah" in words
    assert f"Verifikator {verifikator.get_full_name() or verifikator.username}" in words
    for claim in claims:
        assert f"{claim.indicator.code} " in words
    assert (
        f"Baris yang diklaim {len(claims)}, diterima {sum(c.verification.is_accepted for c in claims)}"
        in words
    )
    assert "Kepala " + innovation.opd.name in words
    assert "Demikian berita acara ini dibuat" in words


def test_verification_record_is_for_those_who_see_the_verdicts_and_only_once_verified(
    client, verified_cycle, operator_a, operator_b, admin_user
):
    innovation = Innovation.objects.get(name="Ambulans Desa")  # of operator_a's OPD
    data = {"kind": ReportKind.VERIFICATION_RECORD_PDF, "innovation": innovation.pk}

    client.force_login(operator_b)
    assert client.post(reverse("reports:request"), data).status_code == 404
    client.force_login(operator_a)
    response = client.post(reverse("reports:request"), data)
    report = GeneratedReport.objects.get(kind=ReportKind.VERIFICATION_RECORD_PDF)
    assert response.url == reverse("reports:status", args=[report.pk])

    waiting = Innovation.objects.get(name="Sekolah Literasi")
    Innovation.objects.filter(pk=waiting.pk).update(state=InnovationState.DIAJUKAN)  # submitted again
    client.force_login(admin_user)
    response = client.post(reverse("reports:request"), {**data, "innovation": waiting.pk}, follow=True)
    assert "Berita acara dibuat setelah verifikasi inovasi selesai." in response.content.decode()
    assert GeneratedReport.objects.filter(kind=ReportKind.VERIFICATION_RECORD_PDF).count() == 1
