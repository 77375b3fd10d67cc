"""The national upload package: its folders, file names and index sheet against the innovations, the profile
PDF in the national form's order, who may build and fetch it, and the worker that builds it."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from innovasi.errors import PortalError
from reports import services, tasks
from reports.enums import ReportKind, ReportState
from reports.models import GeneratedReport
from reports.selectors.package import evidence_name, short_title, unique_name
from scoring.models import SpdEntry
from scoring.services import index, spd
from submissions import services as submission_services
from submissions.models import Evidence, Innovation
from submissions.samples import pdf_bytes

from ..factories import OpdFactory, UserFactory, innovation_create
from ..submissions.conftest import MANDATORY, complete_profile, fill, pdf_upload

pytestmark = pytest.mark.django_db

LONG_NAME = "Keputusan Bupati Mojokerto Nomor 188.45 Tahun 2025 — Inovasi Daérah (final).pdf"
# The labels of the national "Laporan Inovasi Daerah", in its order (IID.md §2).
NATIONAL_ORDER = [
    "Nama inovasi",
    "Dibuat oleh",
    "Tahapan",
    "Inisiator",
    "Jenis",
    "Bentuk",
    "Tematik",
    "Urusan",
    "Rancang bangun dan pokok perubahan",
    "Tujuan",
    "Manfaat",
    "Hasil",
    "Waktu uji coba",
    "Waktu penerapan",
    "Anggaran",
    "Profil bisnis",
    "Dokumen HAKI",
    "Penghargaan",
    "Kematangan",
]


@pytest.fixture
def package_cycle(verified_cycle, opd_a, operator_a, admin_user, verifikator):
    """The verified cycle (Dinkes: "Ambulans Desa", "Posyandu <b>Digital</b> & Co"; Dispendik: "Sekolah
    Literasi"), and in Dinkes a submitted "Klinik Lansia" whose SID-16 has a second file with a long name and
    which has a budget document, a draft that must stay out, and two SPD rows with evidence."""
    klinik = innovation_create(verified_cycle, opd_a, operator_a, name="Klinik Lansia", **complete_profile())
    fill(klinik, operator_a, dict.fromkeys(MANDATORY, 2))
    sid16 = klinik.claims.get(indicator__code="SID-16")
    upload = SimpleUploadedFile(LONG_NAME, pdf_bytes("SK"), content_type="application/pdf")
    submission_services.evidence_add(claim=sid16, user=operator_a, uploaded=upload)
    submission_services.document_put(
        innovation=klinik, kind="anggaran", user=operator_a, uploaded=pdf_upload("RAB 2026.pdf")
    )
    submission_services.innovation_transition(innovation=klinik, user=operator_a, to_state="diajukan")
    innovation_create(verified_cycle, opd_a, operator_a, name="Rahasia Draf", **complete_profile())
    for entry in SpdEntry.objects.filter(cycle=verified_cycle).order_by("indicator__position")[:2]:
        spd.spd_entry_save(entry=entry, user=admin_user, level=2, note="", version=entry.version)
        spd.spd_evidence_add(entry=entry, user=admin_user, uploaded=pdf_upload("Perda RPJMD.pdf"))
    index.cycle_recompute(cycle_id=verified_cycle.pk)
    return verified_cycle


def build(user, cycle, opd=None):
    report = services.national_package_request(cycle=cycle, opd=opd, user=user)
    report.refresh_from_db()  # rendered at commit (eager tasks): the test's transaction never commits
    services.report_render(report_id=report.pk)
    report.refresh_from_db()
    assert report.state == ReportState.DONE, report.error
    return report


def opened(report):
    return zipfile.ZipFile(io.BytesIO(report.file.read()))


def expected_files(innovation, folder):
    """What the package must hold for ``innovation``: its profile, its budget document, then per claimed row
    in catalogue order each file as ``<indicator>-<n>-<short title>.<kind>``: the demo uploads are
    "bukti.pdf" / "bukti.png", the long one is cut at a word."""
    # The upload check keeps a safe form of the long name: "Keputusan_Bupati_…_Daérah_final.pdf".
    titles = {
        "bukti.pdf": "bukti",
        "bukti.png": "bukti",
        long_name(): "keputusan-bupati-mojokerto-nomor-188-45",
    }
    names = [f"{folder}/profil-inovasi.pdf"]
    if innovation.documents.exists():
        names.append(f"{folder}/anggaran-rab-2026.pdf")
    for claim in innovation.claims.filter(level__gt=0).order_by("indicator__position"):
        files = claim.evidence.exclude(file="").order_by("uploaded_at", "pk")
        for number, evidence in enumerate(files, start=1):
            names.append(
                f"{folder}/{claim.indicator.code}-{number}-{titles[evidence.original_name]}.{evidence.kind}"
            )
    return names


def long_name():
    return Evidence.objects.get(original_name__startswith="Keputusan").original_name


FOLDERS = {
    "Ambulans Desa": "dinkes/01-ambulans-desa",
    "Klinik Lansia": "dinkes/02-klinik-lansia",
    "Posyandu <b>Digital</b> & Co": "dinkes/03-posyandu-b-digital-b-co",
    "Sekolah Literasi": "dispendik/01-sekolah-literasi",
}


def test_region_package_names_every_file_as_documented(package_cycle, admin_user):
    report = build(admin_user, package_cycle)

    names = opened(report).namelist()
    expected = ["indeks.xlsx", "SPD/data-spd.pdf"]
    for name, folder in FOLDERS.items():
        expected += expected_files(Innovation.objects.get(name=name), folder)
    codes = SpdEntry.objects.filter(cycle=package_cycle, level__gt=0).order_by("indicator__position")
    expected += [f"SPD/{entry.indicator.code}-1-perda-rpjmd.pdf" for entry in codes]
    assert sorted(names) == sorted(expected)
    assert "dinkes/02-klinik-lansia/SID-16-2-keputusan-bupati-mojokerto-nomor-188-45.pdf" in names
    assert not any("rahasia" in name for name in names)  # the draft stays with its OPD
    assert report.file.name.endswith("paket-nasional-iid-2026-kabupaten-uji-wilayah.zip")


def test_region_package_copies_the_stored_files_unchanged(package_cycle, admin_user):
    report = build(admin_user, package_cycle)

    archive = opened(report)
    evidence = Evidence.objects.get(original_name=long_name())
    with evidence.file.open("rb") as stored:
        assert archive.read(
            "dinkes/02-klinik-lansia/SID-16-2-keputusan-bupati-mojokerto-nomor-188-45.pdf"
        ) == (stored.read())


def test_index_sheet_lists_every_innovation_folder_and_file(package_cycle, admin_user):
    report = build(admin_user, package_cycle)

    archive = opened(report)
    workbook = load_workbook(io.BytesIO(archive.read("indeks.xlsx")))
    innovations = list(workbook["Inovasi"].iter_rows(min_row=2, values_only=True))
    header = [cell.value for cell in workbook["Inovasi"][1]]
    rows = [dict(zip(header, row, strict=True)) for row in innovations]
    assert [(row["Nama inovasi"], row["Folder"], row["Profil"]) for row in rows] == [
        (name, folder, f"{folder}/profil-inovasi.pdf") for name, folder in FOLDERS.items()
    ]
    assert {row["Nama inovasi"]: row["Status"] for row in rows}["Klinik Lansia"] == "Diajukan"
    files = workbook["Berkas"]
    header = [cell.value for cell in files[1]]
    listed = [dict(zip(header, row, strict=True)) for row in files.iter_rows(min_row=2, values_only=True)]
    in_zip = set(archive.namelist()) - {"indeks.xlsx"}
    assert {f"{row['Folder']}/{row['Nama berkas']}" for row in listed if row["Nama berkas"]} == in_zip
    assert len([row for row in listed if row["Nama berkas"]]) == len(in_zip)  # each file once
    long = next(row for row in listed if row["Nama berkas asli"] == long_name())
    assert (long["Indikator"], long["No bukti"], long["Inovasi"]) == ("SID-16", 2, "Klinik Lansia")
    links = [row for row in listed if row["Jenis"] == "tautan bukti"]
    assert {row["Inovasi"] for row in links} == set(FOLDERS)  # SID-35's video link, one per innovation
    assert {row["Tautan"] for row in links} == {"https://youtu.be/demo"}


def test_opd_package_holds_that_opd_alone_without_spd(package_cycle, operator_a, opd_a):
    report = build(operator_a, package_cycle, opd=opd_a)

    names = opened(report).namelist()
    folders = {name.rsplit("/", 1)[0] for name in names if "/" in name}
    assert folders == {folder for name, folder in FOLDERS.items() if folder.startswith("dinkes/")}
    assert report.file.name.endswith("paket-nasional-iid-2026-kabupaten-uji-dinkes.zip")


def test_profile_pdf_has_the_national_fields_in_the_national_order(package_cycle, admin_user):
    report = build(admin_user, package_cycle)

    content = opened(report).read("dinkes/02-klinik-lansia/profil-inovasi.pdf")
    assert content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    lines = text.splitlines()
    positions = [
        next(i for i, line in enumerate(lines) if line.startswith(label)) for label in NATIONAL_ORDER
    ]
    assert positions == sorted(positions)
    assert "Nama inovasi Klinik Lansia" in text
    assert "PEMERINTAH KABUPATEN UJI" in text  # the region's letterhead, as every report
    assert "Anggaran anggaran-rab-2026.pdf (berkas asli: RAB_2026.pdf)" in text
    words = " ".join(text.split())
    assert "SID-16-2-keputusan-bupati-mojokerto-nomor-188-45.pdf" in words.replace("- ", "-")


def test_spd_pdf_lists_the_filled_rows(package_cycle, admin_user):
    report = build(admin_user, package_cycle)

    reader = PdfReader(io.BytesIO(opened(report).read("SPD/data-spd.pdf")))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Data Satuan Pemerintahan Daerah (SPD)" in text
    for entry in SpdEntry.objects.filter(cycle=package_cycle, level__gt=0).select_related("indicator"):
        assert entry.indicator.code in text


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Surat Keputusan (SK) Bupati_2025", "surat-keputusan-sk-bupati-2025"),
        ("  Évaluasi   Ñ--Dua  ", "evaluasi-n-dua"),
        ("漢字", "bukti"),
        ("x" * 45, "x" * 40),  # a first word past the limit is cut hard
        (
            "satu-dua-tiga-empat-lima-enam-tujuh-delap",
            "satu-dua-tiga-empat-lima-enam-tujuh",
        ),  # 41: a word cut
        ("satu-dua-tiga-empat-lima-enam-tujuh-dela-x", "satu-dua-tiga-empat-lima-enam-tujuh-dela"),  # at 40
    ],
)
def test_short_title(text, title):
    assert short_title(text) == title
    assert len(title) <= 40


def test_names_are_unique_in_a_folder_ignoring_case():
    taken = {"profil-inovasi.pdf"}

    names = [unique_name(name, taken) for name in ("SID-16-1-a.pdf", "sid-16-1-A.pdf", "SID-16-1-a.pdf", "b")]

    assert names == ["SID-16-1-a.pdf", "sid-16-1-A-2.pdf", "SID-16-1-a-3.pdf", "b"]
    assert evidence_name("SID-33", 2, "Foto Kegiatan.JPEG", "jpg") == "SID-33-2-foto-kegiatan.jpg"


def test_package_build_is_enqueued_after_commit_on_its_own_task(
    package_cycle, admin_user, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(tasks.build_package, "enqueue", lambda **kwargs: sent.append(kwargs) or True)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report = services.national_package_request(cycle=package_cycle, opd=None, user=admin_user)
    assert sent == []
    for callback in callbacks:
        callback()

    assert sent == [{"report_id": str(report.pk)}]


def test_package_built_twice_is_built_once(package_cycle, admin_user):
    report = build(admin_user, package_cycle)
    name = report.file.name

    services.report_render(report_id=report.pk)

    report.refresh_from_db()
    assert (report.state, report.file.name) == (ReportState.DONE, name)


def test_a_file_missing_from_the_storage_is_reported_in_the_index(package_cycle, admin_user):
    evidence = Evidence.objects.get(original_name=long_name())
    evidence.file.storage.delete(evidence.file.name)

    report = build(admin_user, package_cycle)

    archive = opened(report)
    files = archive.namelist()
    assert "dinkes/02-klinik-lansia/SID-16-2-keputusan-bupati-mojokerto-nomor-188-45.pdf" not in files
    sheet = load_workbook(io.BytesIO(archive.read("indeks.xlsx")))["Berkas"]
    missing = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[-1]]
    assert [(row[1], row[-1]) for row in missing] == [
        (
            "SID-16-2-keputusan-bupati-mojokerto-nomor-188-45.pdf",
            "Berkas tidak ditemukan di penyimpanan portal",
        )
    ]


def test_a_package_runs_longer_than_a_document_before_it_counts_as_stalled(
    package_cycle, admin_user, settings
):
    settings.REPORT_TIME_LIMIT_SECONDS, settings.PACKAGE_TIME_LIMIT_SECONDS = 120, 900
    started = timezone.now() - datetime.timedelta(minutes=5)
    common = {"region": package_cycle.region, "requested_by": admin_user, "state": ReportState.RUNNING}
    package = GeneratedReport.objects.create(kind=ReportKind.NATIONAL_PACKAGE, started_at=started, **common)
    document = GeneratedReport.objects.create(kind=ReportKind.CYCLE_PDF, started_at=started, **common)

    assert services.reports_fail_stalled() == 1

    package.refresh_from_db()
    document.refresh_from_db()
    assert (package.state, document.state) == (ReportState.RUNNING, ReportState.FAILED)
    later = timezone.now() + datetime.timedelta(minutes=12)
    assert services.reports_fail_stalled(now=later) == 1


# --- Who may build and fetch it -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "whole", "own"),
    [
        ("operator_a", 403, 302),
        ("operator_b", 403, 403),
        ("verifikator", 302, 302),
        ("admin_user", 302, 302),
        ("pimpinan", 302, 302),
        ("juri", 403, 403),
        ("outsider_admin", 404, 404),
    ],
)
def test_who_may_build_which_package(request, client, package_cycle, persona, whole, own):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("reports:national_package_build", args=[package_cycle.pk])
    opd = request.getfixturevalue("opd_a")

    answers = (client.post(url).status_code, client.post(url, {"opd": opd.pk}).status_code)

    assert answers == (whole, own)
    made = GeneratedReport.objects.filter(kind=ReportKind.NATIONAL_PACKAGE).count()
    assert made == [whole, own].count(302)


def test_an_opd_of_another_region_is_not_found(client, package_cycle, admin_user, other_region):
    client.force_login(admin_user)
    elsewhere = OpdFactory(region=other_region, name="Dinas Lain")

    response = client.post(
        reverse("reports:national_package_build", args=[package_cycle.pk]), {"opd": elsewhere.pk}
    )

    assert response.status_code == 404
    assert GeneratedReport.objects.count() == 0


def test_the_service_refuses_a_package_the_user_may_not_read_whole(package_cycle, operator_a, opd_b):
    with pytest.raises(PortalError):
        services.national_package_request(cycle=package_cycle, opd=None, user=operator_a)
    with pytest.raises(PortalError):
        services.national_package_request(cycle=package_cycle, opd=opd_b, user=operator_a)
    assert GeneratedReport.objects.count() == 0


def test_a_package_is_fetched_only_while_its_requester_may_read_it_whole(
    client, package_cycle, operator_a, opd_a, opd_b
):
    report = build(operator_a, package_cycle, opd=opd_a)
    client.force_login(operator_a)
    download = reverse("reports:download", args=[report.pk])
    assert client.get(download).status_code == 200

    operator_a.opd = opd_b  # moved to another OPD: the package holds what they may no longer see
    operator_a.save(update_fields=["opd"])

    assert client.get(download).status_code == 403
    assert client.get(reverse("reports:status", args=[report.pk])).status_code == 403


def test_package_page_offers_an_operator_their_opd_only(client, package_cycle, operator_a):
    client.force_login(operator_a)

    response = client.get(reverse("reports:national_package", args=[package_cycle.pk]))

    assert response.status_code == 200
    assert [opd.name for opd, _count in response.context["opds"]] == ["Dinas Kesehatan"]
    assert response.context["region_allowed"] is False
    assert b'data-testid="build-region"' not in response.content


def test_package_page_counts_the_submitted_innovations_of_each_opd(client, package_cycle, admin_user):
    client.force_login(admin_user)

    response = client.get(reverse("reports:national_package", args=[package_cycle.pk]))

    counts = {opd.name: count for opd, count in response.context["opds"]}
    assert counts == {"Bappeda": 0, "Dinas Kesehatan": 3, "Dinas Pendidikan": 1}  # the draft is not counted
    assert response.context["total"] == 4


def test_package_page_offers_an_inactive_opd_only_while_it_has_innovations_to_send(
    client, package_cycle, admin_user, opd_b
):
    OpdFactory(region=package_cycle.region, name="Dinas Lama", is_active=False)
    opd_b.is_active = False  # Dinas Pendidikan, merged away after it submitted "Sekolah Literasi"
    opd_b.save(update_fields=["is_active"])
    client.force_login(admin_user)

    response = client.get(reverse("reports:national_package", args=[package_cycle.pk]))

    counts = {opd.name: count for opd, count in response.context["opds"]}
    assert counts == {"Bappeda": 0, "Dinas Kesehatan": 3, "Dinas Pendidikan": 1}
    assert response.context["total"] == 4


@pytest.mark.parametrize("count", [1, 3])
def test_package_page_query_count_does_not_grow(client, cycle, admin_user, count, django_assert_num_queries):
    for number in range(count):
        OpdFactory(region=cycle.region, name=f"Dinas {number}")
        GeneratedReport.objects.create(
            kind=ReportKind.NATIONAL_PACKAGE,
            params={"cycle_id": cycle.pk, "opd_id": None},
            region=cycle.region,
            requested_by=admin_user,
            title=f"Paket {number}",
        )
    client.force_login(admin_user)
    client.get(reverse("reports:national_package", args=[cycle.pk]))  # the session and the user, once

    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("reports:national_package", args=[cycle.pk]))

    assert len(response.context["packages"]) == count


QUERIES = 6


def test_a_package_for_an_opd_without_innovations_holds_its_index_alone(package_cycle, admin_user):
    empty = OpdFactory(region=package_cycle.region, name="Dinas Kosong", short_name="")
    user = UserFactory(username="operator.kosong", region=package_cycle.region, role="operator", opd=empty)

    report = build(user, package_cycle, opd=empty)

    assert opened(report).namelist() == ["indeks.xlsx"]


def test_index_keeps_a_name_that_looks_like_a_formula_as_text(package_cycle, admin_user):
    Innovation.objects.filter(name="Sekolah Literasi").update(name="@SUM(1+1)")

    report = build(admin_user, package_cycle)

    archive = opened(report)
    sheet = load_workbook(io.BytesIO(archive.read("indeks.xlsx")))["Inovasi"]
    cell = next(row[2] for row in sheet.iter_rows(min_row=2) if row[2].value == "@SUM(1+1)")
    assert (cell.data_type, cell.quotePrefix) == ("s", True)
    assert "dispendik/01-sum-1-1/profil-inovasi.pdf" in archive.namelist()
