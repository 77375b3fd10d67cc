"""The cycle workbook (reports.workbook): one format both ways, as commands and on the portal.

The round trip is the promise: a cycle exported with its evidence and imported by an admin into an empty
cycle of another region gives the same claimed IID to the cent. Around it: a workbook with any bad cell is
refused whole with every problem listed, a re-import updates without duplicating, locked innovations are
reported and left, an operator stays in their OPD, evidence inside the ZIP is checked like an upload, and
text that looks like a formula stays text.
"""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.text import slugify
from openpyxl import load_workbook

from innovasi.accounts.enums import Role
from innovasi.standards.enums import CycleState
from innovasi.standards.models import Catalogue, Urusan
from reports.enums import ReportKind, WorkbookImportState
from reports.models import GeneratedReport, WorkbookImport
from reports.workbook.archive import EvidenceArchive
from reports.workbook.export import export_data, template_data
from reports.workbook.plan import ACTION_LOCKED, plan_build, richtext_plain
from reports.workbook.reader import workbook_read
from reports.workbook.services import (
    WorkbookRefused,
    actor_of,
    workbook_import,
    workbook_uploads_expire,
    workbook_uploads_fail_stalled,
)
from reports.workbook.writer import workbook_bytes
from scoring.enums import SnapshotKind
from scoring.models import IndexSnapshot, SpdEntry, Verification
from scoring.services import index, spd, verification
from submissions import services as submission_services
from submissions.enums import InnovationState
from submissions.models import Claim, Evidence, Innovation
from submissions.richtext import richtext_words
from submissions.samples import image_bytes, pdf_bytes

from ..factories import CycleFactory, OpdFactory, RegionFactory, UserFactory, innovation_create
from ..scoring.conftest import admin2, judge_all, submitted  # noqa: F401  (fixtures)
from ..submissions.conftest import MANDATORY, complete_profile, draft, fill, pdf_upload, png_upload, ready  # noqa: F401

pytestmark = pytest.mark.django_db

PDF = pdf_bytes("Bukti uji")
PNG = image_bytes("Bukti uji")


def workbook(cycle, innovations=(), claims=(), spd_rows=(), opd=None):
    """A workbook in the format of ``cycle`` holding these rows (dicts by column key)."""
    data = template_data(cycle=cycle, opd=opd)
    data.innovations, data.claims, data.spd = list(innovations), list(claims), list(spd_rows)
    return workbook_bytes(data)


def zip_of(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def rows_of(content, name="uji.xlsx"):
    return workbook_read(SimpleUploadedFile(name, content))


def archive_of(content):
    return EvidenceArchive(SimpleUploadedFile("bukti.zip", content)) if content is not None else None


def check(cycle, user, content, files=None):
    return plan_build(cycle=cycle, actor=actor_of(user), rows=rows_of(content), archive=archive_of(files))


def run(cycle, user, content, files=None, name="uji.xlsx"):
    return workbook_import(
        cycle=cycle, actor=actor_of(user), rows=rows_of(content, name), archive=archive_of(files)
    )


def innovation_row(key="K-1", **values):
    return {
        "key": key,
        "name": "Posyandu Digital",
        "opd": "Dinkes",
        "tahapan": "Penerapan",
        "jenis": "Digital",
        "urusan_utama": "Kesehatan",
        "rancang_bangun": " ".join(f"kata{number}" for number in range(320)),
        "waktu_penerapan": datetime.date(2024, 6, 1),
        **values,
    }


def problems_of(plan):
    return [(problem.sheet, problem.row, problem.column, problem.reason) for problem in plan.problems]


# --- The round trip ------------------------------------------------------------------------------------


@pytest.fixture
def source(cycle, opd_a, opd_b, operator_a, operator_b, verifikator, admin_user, admin2):  # noqa: F811
    """A cycle with every state and kind of row: verified (a lower level accepted, a basis, urusan lain,
    rich text with a list, a link and a document), returned, submitted outside the eligibility window, a
    draft with evidence, and SPD rows with and without evidence, one accepted."""
    kesehatan, pendidikan = Urusan.objects.get(code="kesehatan"), Urusan.objects.get(code="pendidikan")

    def filed(opd, user, name, **profile):
        innovation = innovation_create(cycle, opd, user, name=name, **{**complete_profile(), **profile})
        fill(innovation, user, dict.fromkeys(MANDATORY, 2))
        return innovation

    def submit(innovation, user):
        submission_services.innovation_transition(innovation=innovation, user=user, to_state="diajukan")
        verification.assignment_set(innovation=innovation, verifikator=verifikator, by=admin_user)

    design = (
        "<p>Dasar <strong>hukum</strong> &amp; masalah</p><ul><li>satu</li><li>dua</li></ul>"
        f"<p>{' '.join(f'kata{number}' for number in range(320))}</p>"
    )
    verified = filed(
        opd_a,
        operator_a,
        "Posyandu Digital",
        rancang_bangun=design,
        rancang_bangun_words=richtext_words(design),
    )
    verified.urusan_lain.set([pendidikan, kesehatan])
    claims = {claim.indicator.code: claim for claim in verified.claims.select_related("indicator")}
    submission_services.claim_update(
        claim=claims["SID-33"], user=operator_a, level=3, basis="b", note="+62 warga", version=None
    )
    submission_services.claim_update(
        claim=claims["SID-19"], user=operator_a, level=2, basis="", note="", version=None
    )
    submission_services.evidence_add(claim=claims["SID-19"], user=operator_a, uploaded=png_upload("alat.png"))
    submission_services.evidence_add(
        claim=claims["SID-16"], user=operator_a, uploaded=pdf_upload("bukti.pdf")
    )
    submission_services.document_put(
        innovation=verified, kind="anggaran", user=operator_a, uploaded=pdf_upload("rab.pdf")
    )
    submit(verified, operator_a)
    judge_all(verified, verifikator, **{"SID-16": {"level": 1}})
    verification.verification_finish(innovation=verified, user=verifikator, action="verify")

    returned = filed(opd_a, operator_a, "Ambulans Desa")
    submit(returned, operator_a)
    judge_all(returned, verifikator, **{"SID-17": {"verdict": "tidak_sesuai", "reason": "SK lama"}})
    verification.verification_finish(innovation=returned, user=verifikator, action="return")

    late = filed(opd_b, operator_b, "Sekolah Literasi", waktu_penerapan=datetime.date(2021, 3, 1))
    submit(late, operator_b)

    drafted = innovation_create(cycle, opd_b, operator_b, name="Rapor Karakter", **complete_profile())
    fill(drafted, operator_b, {"SID-16": 3, "SID-19": 1})

    entries = {
        entry.indicator.code: entry
        for entry in SpdEntry.objects.filter(cycle=cycle).select_related("indicator")
    }
    spd.spd_entry_save(entry=entries["SPD-01"], user=admin_user, level=2, note="RPJMD", version=None)
    spd.spd_evidence_add(entry=entries["SPD-01"], user=admin_user, uploaded=pdf_upload("rpjmd.pdf"))
    spd.spd_entry_save(entry=entries["SPD-06"], user=admin_user, level=3, note="", version=None)
    spd.spd_evidence_add(entry=entries["SPD-06"], user=admin_user, uploaded=png_upload("investasi.png"))
    spd.spd_accept(entry=entries["SPD-06"], user=admin2)
    spd.spd_entry_save(entry=entries["SPD-09"], user=admin_user, level=1, note="tanpa bukti", version=None)
    index.cycle_recompute(cycle_id=cycle.pk)
    return cycle


@pytest.fixture
def target(source):
    """An empty cycle, still in persiapan, of another region on the same catalogue, with OPDs of the same
    short names (their full names differ) and an admin."""
    region = RegionFactory(name="Kabupaten Tujuan", code="35.77")
    OpdFactory(region=region, name="Dinas Kesehatan Tujuan", short_name="Dinkes")
    OpdFactory(region=region, name="Dinas Pendidikan Tujuan", short_name="Dispendik")
    UserFactory(username="admin.tujuan", region=region, role=Role.ADMIN, opd=None)
    return CycleFactory(region=region, catalogue=source.catalogue, state=CycleState.DRAFT)


def claimed(cycle):
    return IndexSnapshot.objects.filter(cycle=cycle, kind=SnapshotKind.CLAIMED).latest()


def test_workbook_round_trip_into_another_region_gives_the_same_claimed_iid(
    source, target, tmp_path, django_capture_on_commit_callbacks
):
    out, files = tmp_path / "siklus.xlsx", tmp_path / "bukti.zip"
    call_command(
        "iid_workbook_export",
        "--cycle",
        str(source.pk),
        str(out),
        "--evidence",
        str(files),
        stdout=io.StringIO(),
    )

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "iid_workbook_import",
            "--cycle",
            str(target.pk),
            str(out),
            "--evidence",
            str(files),
            stdout=io.StringIO(),
        )

    before, after = claimed(source), claimed(target)
    assert after.iid == before.iid
    assert before.iid > Decimal("0")
    for figure in ("spd_score", "sid_average", "n_eligible", "count_score", "yandas_covered", "total"):
        assert after.result[figure] == before.result[figure], figure
    keys = dict(Innovation.objects.values_list("pk", "key"))
    by_key = {keys[int(item["ref"])]: item for item in before.result["innovations"]}
    assert {keys[int(item["ref"])]: item for item in after.result["innovations"]}.keys() == by_key.keys()
    for item in after.result["innovations"]:
        mine = by_key[keys[int(item["ref"])]]
        assert (item["kematangan"], item["eligible"], item["row_scores"]) == (
            mine["kematangan"],
            mine["eligible"],
            mine["row_scores"],
        )
    states = dict(Innovation.objects.filter(cycle=target).values_list("name", "state"))
    assert states == {
        "Posyandu Digital": InnovationState.DIAJUKAN,
        "Ambulans Desa": InnovationState.DIAJUKAN,
        "Sekolah Literasi": InnovationState.DIAJUKAN,
        "Rapor Karakter": InnovationState.DRAFT,
    }
    # Verdicts are not carried: the new region verifies for itself.
    assert Verification.objects.filter(claim__innovation__cycle=target).count() == 0
    assert SpdEntry.objects.filter(cycle=target, accepted_by__isnull=False).count() == 0
    moved = Innovation.objects.get(cycle=target, name="Posyandu Digital")
    original = Innovation.objects.get(cycle=source, name="Posyandu Digital")
    assert moved.rancang_bangun_words == original.rancang_bangun_words == 325
    assert richtext_plain(moved.rancang_bangun) == richtext_plain(original.rancang_bangun)
    assert sorted(moved.urusan_lain.values_list("code", flat=True)) == ["kesehatan", "pendidikan"]
    assert moved.claims.get(indicator__code="SID-33").basis == "b"
    assert moved.documents.get().original_name == "rab.pdf"
    assert moved.created_by.username == "admin.tujuan"


def test_workbook_import_records_every_change_with_the_file_name(source, target, tmp_path):
    out, files = tmp_path / "data-2026.xlsx", tmp_path / "bukti.zip"
    call_command(
        "iid_workbook_export",
        "--cycle",
        str(source.pk),
        str(out),
        "--evidence",
        str(files),
        stdout=io.StringIO(),
    )

    call_command(
        "iid_workbook_import",
        "--cycle",
        str(target.pk),
        str(out),
        "--evidence",
        str(files),
        "--as",
        "admin.tujuan",
        stdout=io.StringIO(),
    )

    imported = Innovation.objects.filter(cycle=target)
    reasons = {
        record.history_change_reason
        for model, queryset in (
            (Innovation, Innovation.history.filter(cycle=target)),
            (Claim, Claim.history.filter(innovation_id__in=imported)),
            (Evidence, Evidence.history.filter(claim__innovation__cycle=target)),
            (SpdEntry, SpdEntry.history.filter(cycle=target, history_type="~")),
        )
        for record in queryset
    }
    assert reasons == {
        "Dari impor workbook «data-2026.xlsx»",
        "Dari impor workbook «data-2026.xlsx»: status Diajukan (diimpor; belum diverifikasi)",
    }
    users = {record.history_user.username for record in Claim.history.filter(innovation_id__in=imported)}
    assert users == {"admin.tujuan"}


def test_workbook_export_holds_states_levels_verdicts_eligibility_and_spd(source, tmp_path):
    call_command(
        "iid_workbook_export", "--cycle", str(source.pk), str(tmp_path / "x.xlsx"), stdout=io.StringIO()
    )

    book = load_workbook(tmp_path / "x.xlsx")
    innovations = _sheet(book["Inovasi"])
    claims = _sheet(book["Klaim"])
    spd_rows = {row["Indikator"]: row for row in _sheet(book["SPD"])}
    by_name = {row["Nama inovasi"]: row for row in innovations}
    assert {name: row["Status"] for name, row in by_name.items()} == {
        "Posyandu Digital": "Terverifikasi",
        "Ambulans Desa": "Revisi",
        "Sekolah Literasi": "Diajukan",
        "Rapor Karakter": "Draf",
    }
    assert (by_name["Sekolah Literasi"]["Layak dihitung"], by_name["Posyandu Digital"]["Layak dihitung"]) == (
        "Tidak",
        "Ya",
    )
    assert by_name["Sekolah Literasi"]["Alasan tidak layak"].startswith(
        "waktu penerapan atau pengembangan di luar"
    )
    row = next(r for r in claims if r["Nama inovasi"] == "Posyandu Digital" and r["Indikator"] == "SID-16")
    assert (
        row["Tingkat"],
        row["Putusan verifikasi"],
        row["Tingkat diterima"],
        row["Skor klaim"],
        row["Skor terverifikasi"],
    ) == (2, "Sesuai", 1, 6, 3)
    basis = next(r for r in claims if r["Nama inovasi"] == "Posyandu Digital" and r["Indikator"] == "SID-33")
    assert basis["Dasar pengukuran (SID-33)"].startswith("b · ")
    rejected = next(r for r in claims if r["Nama inovasi"] == "Ambulans Desa" and r["Indikator"] == "SID-17")
    assert (rejected["Putusan verifikasi"], rejected["Tingkat diterima"], rejected["Alasan putusan"]) == (
        "Tidak sesuai",
        0,
        "SK lama",
    )
    assert (
        spd_rows["SPD-06"]["Tingkat"],
        spd_rows["SPD-06"]["Diterima (empat mata)"],
        spd_rows["SPD-06"]["Skor klaim"],
    ) == (3, "Ya", 4.5)
    assert (spd_rows["SPD-09"]["Tingkat"], spd_rows["SPD-09"]["Skor klaim"]) == (1, 0)
    assert book["Inovasi"].auto_filter.ref == "A1:AE5"
    assert book["Inovasi"].freeze_panes == "C2"


def _sheet(worksheet):
    header = [cell.value.rstrip(" *") for cell in worksheet[1]]
    return [dict(zip(header, row, strict=True)) for row in worksheet.iter_rows(min_row=2, values_only=True)]


# --- Refusals ------------------------------------------------------------------------------------------


def test_workbook_with_each_kind_of_bad_cell_is_refused_whole_with_every_problem(cycle, opd_a, admin_user):
    content = workbook(
        cycle,
        innovations=[
            innovation_row("K-1"),
            innovation_row("K-2", opd="Dinsos"),
            innovation_row("K-3", urusan_utama="Urusan Antah"),
            innovation_row("K-4", waktu_penerapan="tiga Juni"),
            innovation_row("K-5", name=""),
        ],
        claims=[
            {"key": "K-1", "indicator": "SID-16", "level": 4},
            {"key": "K-1", "indicator": "SID-17", "level": 2, "evidence": "bukti/tidak-ada.pdf"},
            {"key": "K-1", "indicator": "SID-32", "level": 2, "evidence": "foto.png"},
            {"key": "K-1", "indicator": "SID-33", "level": 2},
            {"key": "K-1", "indicator": "SID-99", "level": 1},
            {"key": "K-9", "indicator": "SID-18", "level": 1},
        ],
    )

    with pytest.raises(WorkbookRefused) as refused:
        run(cycle, admin_user, content, zip_of({"foto.png": PNG}))

    assert problems_of(refused.value.plan) == [
        (
            "Inovasi",
            3,
            "OPD",
            "OPD «Dinsos» tidak ada di wilayah ini: tambahkan dulu OPD itu (Pengaturan › OPD, atau impor OPD) "
            "dengan nama singkat ini, lalu unggah buku kerja lagi.",
        ),
        (
            "Inovasi",
            4,
            "Urusan utama",
            "Urusan «Urusan Antah» tidak dikenal: pilih dari daftar urusan (lembar Daftar).",
        ),
        (
            "Inovasi",
            5,
            "Waktu penerapan",
            "Tanggal «tiga Juni» tidak dapat dibaca. Tanggal Excel, atau ditulis TTTT-BB-HH (2025-03-01), "
            "HH-BB-TTTT atau HH/BB/TTTT.",
        ),
        ("Inovasi", 6, "Nama inovasi", "Nama inovasi wajib diisi."),
        ("Klaim", 2, "Tingkat", "Tingkat «4» bukan angka 0 sampai 3."),
        ("Klaim", 3, "Berkas bukti", "Berkas «bukti/tidak-ada.pdf» tidak ada di ZIP «bukti.zip»."),
        ("Klaim", 4, "Berkas bukti", "Berkas «foto.png» adalah PNG; di sini hanya PDF yang diterima."),
        ("Klaim", 5, "Dasar pengukuran (SID-33)", "Pilih dasar pengukuran (a–f) sebelum memilih tingkat."),
        ("Klaim", 6, "Indikator", "Indikator «SID-99» tidak ada di katalog iid-2026."),
        ("Klaim", 7, "Kode inovasi", "Kode inovasi «K-9» tidak ada di lembar Inovasi."),
    ]
    assert Innovation.objects.count() == 0
    assert Evidence.objects.count() == 0


def test_workbook_problems_name_their_cell(cycle, opd_a, admin_user):
    plan = check(cycle, admin_user, workbook(cycle, innovations=[innovation_row("K-1", tahapan="Selesai")]))

    assert [(problem.cell, problem.line()) for problem in plan.problems] == [
        (
            "Inovasi!E2",
            "Inovasi!E2 (Tahapan): «Selesai» bukan pilihan Tahapan: Inisiatif, Uji coba, Penerapan.",
        )
    ]


def test_workbook_basis_the_indicator_does_not_have_is_refused(admin_user, region, opd_a):
    old = CycleFactory(region=region, catalogue=Catalogue.objects.get(code="iid-2023"))
    content = workbook(
        old,
        innovations=[innovation_row("K-1")],
        claims=[{"key": "K-1", "indicator": "33", "level": 2, "basis": "b"}],
    )

    plan = check(old, admin_user, content)

    assert problems_of(plan) == [
        ("Klaim", 2, "Dasar pengukuran (SID-33)", "Dasar pengukuran «b» tidak dikenal indikator SID-33: a.")
    ]


def test_workbook_of_another_catalogue_is_refused(cycle, region, opd_a, admin_user):
    old = CycleFactory(region=region, catalogue=Catalogue.objects.get(code="iid-2023"))

    plan = check(cycle, admin_user, workbook(old, innovations=[innovation_row()]))

    assert problems_of(plan) == [
        (
            "Petunjuk",
            None,
            "Kode katalog",
            "Buku kerja ini untuk katalog iid-2023, sedangkan siklus ini memakai iid-2026. Unduh templat siklus ini.",
        )
    ]


def test_workbook_evidence_with_bad_content_inside_the_zip_is_refused(cycle, opd_a, admin_user, tmp_path):
    content = workbook(
        cycle,
        innovations=[innovation_row()],
        claims=[{"key": "K-1", "indicator": "SID-16", "level": 2, "evidence": "bukti/sk.pdf"}],
    )
    files = zip_of({"bukti/sk.pdf": b"<html><script>alert(1)</script></html>"})

    with pytest.raises(WorkbookRefused) as refused:
        run(cycle, admin_user, content, files)

    assert problems_of(refused.value.plan) == [
        (
            "Klaim",
            2,
            "Berkas bukti",
            "Isi berkas «sk.pdf» bukan PDF. Berkas HTML, SVG, dokumen Office dan program tidak diterima.",
        )
    ]
    assert (Innovation.objects.count(), Evidence.objects.count()) == (0, 0)


def test_operator_import_into_another_opd_is_refused(cycle, opd_a, opd_b, operator_a):
    content = workbook(cycle, innovations=[innovation_row("K-1", opd="Dispendik")])

    with pytest.raises(WorkbookRefused) as refused:
        run(cycle, operator_a, content)

    assert problems_of(refused.value.plan) == [
        ("Inovasi", 2, "OPD", "Impor ini hanya untuk OPD Dinkes; baris ini menyebut OPD Dispendik.")
    ]
    assert Innovation.objects.count() == 0


def test_operator_import_makes_drafts_of_their_opd_only(cycle, opd_a, operator_a):
    submitted_row = innovation_row("K-2", state="Diajukan")

    plan = check(
        cycle, operator_a, workbook(cycle, innovations=[innovation_row("K-1", opd=""), submitted_row])
    )

    assert problems_of(plan) == [
        (
            "Inovasi",
            3,
            "Status",
            "Impor operator OPD hanya membuat dan mengubah draf: kosongkan kolom Status, lalu ajukan inovasinya dari halamannya.",
        )
    ]
    plan = run(cycle, operator_a, workbook(cycle, innovations=[innovation_row("K-1", opd="")]))
    assert list(Innovation.objects.values_list("key", "opd__short_name", "state")) == [
        ("K-1", "Dinkes", "draft")
    ]
    assert plan.counts["new"] == 1


def test_operator_cannot_import_spd_rows(cycle, opd_a, operator_a):
    plan = check(
        cycle,
        operator_a,
        workbook(cycle, innovations=[innovation_row()], spd_rows=[{"indicator": "SPD-01", "level": 2}]),
    )

    assert problems_of(plan) == [("SPD", 2, "", "Data SPD diisi oleh admin Bappeda: kosongkan lembar SPD.")]


def test_workbook_without_its_innovation_sheet_is_refused(cycle, admin_user):
    book = load_workbook(io.BytesIO(workbook(cycle)))
    del book["Inovasi"]
    out = io.BytesIO()
    book.save(out)

    plan = check(cycle, admin_user, out.getvalue())

    assert problems_of(plan) == [
        ("Inovasi", None, "", "Lembar «Inovasi» tidak ada di buku kerja. Mulailah dari templat siklus ini.")
    ]


def test_file_that_is_not_a_workbook_is_refused(cycle):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="bukan buku kerja Excel"):
        rows_of(b"<html>bukan buku kerja</html>", name="data.xlsx")


# --- Updating ------------------------------------------------------------------------------------------


def test_workbook_reimport_updates_without_duplicates(cycle, opd_a, admin_user):
    claims = [
        {"key": "K-1", "indicator": "SID-16", "level": 2, "evidence": "bukti/sk.pdf"},
        {"key": "K-1", "indicator": "SID-35", "level": 1, "evidence": "https://youtu.be/uji"},
    ]
    files = zip_of({"bukti/sk.pdf": PDF})
    run(cycle, admin_user, workbook(cycle, innovations=[innovation_row()], claims=claims), files)
    innovation = Innovation.objects.get()

    again = run(cycle, admin_user, workbook(cycle, innovations=[innovation_row()], claims=claims), files)
    changed = run(
        cycle,
        admin_user,
        workbook(
            cycle,
            innovations=[innovation_row("k-1", name="Posyandu Digital Majapahit")],
            claims=[{**claims[0], "key": "k-1", "level": 3}, claims[1]],
        ),
        files,
    )

    assert (again.counts["same"], again.counts["new"], again.counts["files"], again.counts["links"]) == (
        1,
        0,
        0,
        0,
    )
    assert (changed.counts["changed"], changed.counts["new"], changed.counts["claims"]) == (1, 0, 1)
    innovation.refresh_from_db()
    assert (Innovation.objects.count(), Claim.objects.count(), Evidence.objects.count()) == (1, 20, 2)
    assert (innovation.name, innovation.key, innovation.version) == ("Posyandu Digital Majapahit", "K-1", 2)
    assert innovation.claims.get(indicator__code="SID-16").level == 3


def test_workbook_reimport_of_an_export_changes_nothing(source, tmp_path):
    out, files = tmp_path / "x.xlsx", tmp_path / "x.zip"
    call_command(
        "iid_workbook_export",
        "--cycle",
        str(source.pk),
        str(out),
        "--evidence",
        str(files),
        stdout=io.StringIO(),
    )
    admin = UserFactory(username="admin.dua", region=source.region, role=Role.ADMIN, opd=None)

    plan = plan_build(
        cycle=source,
        actor=actor_of(admin),
        rows=rows_of(out.read_bytes()),
        archive=archive_of(files.read_bytes()),
    )

    assert plan.ok, problems_of(plan)
    assert {item.name: item.action for item in plan.innovations} == {
        "Posyandu Digital": "terkunci",
        "Ambulans Desa": "tetap",
        "Sekolah Literasi": "terkunci",
        "Rapor Karakter": "tetap",
    }
    assert plan.counts["spd"] == 0


def test_locked_innovations_are_reported_not_changed(submitted, admin_user):  # noqa: F811
    content = workbook(
        submitted.cycle,
        innovations=[
            innovation_row(submitted.key, name="Nama Baru"),
            innovation_row("BARU-1", name="Inovasi Baru"),
        ],
        claims=[{"key": submitted.key, "indicator": "SID-16", "level": 3}],
    )

    plan = run(submitted.cycle, admin_user, content)

    assert [(item.key, item.action) for item in plan.innovations] == [
        (submitted.key, ACTION_LOCKED),
        ("BARU-1", "baru"),
    ]
    submitted.refresh_from_db()
    assert (submitted.name, submitted.state, submitted.version) == ("Posyandu Digital", "diajukan", 1)
    assert submitted.claims.get(indicator__code="SID-16").level == 2


def test_returned_innovation_changed_by_import_loses_its_changed_rows_verdicts(
    submitted,  # noqa: F811
    verifikator,
    admin_user,
    operator_a,
):
    verification.assignment_set(innovation=submitted, verifikator=verifikator, by=admin_user)
    judge_all(submitted, verifikator, **{"SID-17": {"verdict": "tidak_sesuai", "reason": "SK lama"}})
    verification.verification_finish(innovation=submitted, user=verifikator, action="return")
    content = workbook(
        submitted.cycle,
        innovations=[innovation_row(submitted.key, opd="")],
        claims=[
            {"key": submitted.key, "indicator": "SID-17", "level": 3},
            {"key": submitted.key, "indicator": "SID-16", "level": 2},
        ],
    )

    run(submitted.cycle, operator_a, content)

    verdicts = dict(
        Verification.objects.filter(claim__innovation=submitted).values_list(
            "claim__indicator__code", "verdict"
        )
    )
    assert (verdicts["SID-17"], verdicts["SID-16"]) == ("pending", "sesuai")
    submitted.refresh_from_db()
    assert submitted.state == InnovationState.REVISI


def test_admin_import_keeps_a_submitted_state_as_imported_never_verified(cycle, opd_a, admin_user):
    content = workbook(
        cycle,
        innovations=[
            innovation_row("K-1", state="Terverifikasi"),
            innovation_row("K-2", state="Draf"),
            innovation_row("K-3", state="Menunggu pengesahan kepala OPD"),
        ],
    )

    run(cycle, admin_user, content)

    assert dict(Innovation.objects.values_list("key", "state")) == {
        "K-1": "diajukan",
        "K-2": "draft",
        "K-3": "diajukan",
    }
    assert Innovation.objects.get(key="K-1").submitted_at is not None
    assert Verification.objects.count() == 0


def test_import_queries_do_not_grow_with_rows(cycle, opd_a, admin_user):
    def content(count):
        keys = [f"K-{number}" for number in range(count)]
        claims = [
            {"key": key, "indicator": code, "level": 2, "evidence": "bukti/sk.pdf"}
            for key in keys
            for code in ("SID-16", "SID-17", "SID-18")
        ]
        return workbook(cycle, innovations=[innovation_row(key) for key in keys], claims=claims)

    files = zip_of({"bukti/sk.pdf": PDF})
    run(cycle, admin_user, content(1), files)  # the cycle's first change also makes its score state
    counts = []
    for count in (1, 3):
        Innovation.objects.filter(cycle=cycle).delete()
        written = content(count)
        with CaptureQueriesContext(connection) as queries:
            run(cycle, admin_user, written, files)
        counts.append(len(queries))

    assert Innovation.objects.count() == 3
    assert counts[0] == counts[1]


def test_command_dry_run_writes_nothing_and_a_bad_workbook_exits_1(cycle, opd_a, admin_user, tmp_path):
    good, bad = tmp_path / "baik.xlsx", tmp_path / "buruk.xlsx"
    good.write_bytes(workbook(cycle, innovations=[innovation_row()]))
    bad.write_bytes(workbook(cycle, innovations=[innovation_row(tahapan="Selesai")]))
    out, err = io.StringIO(), io.StringIO()

    call_command("iid_workbook_import", "--cycle", str(cycle.pk), str(good), "--dry-run", stdout=out)
    with pytest.raises(CommandError) as failed:
        call_command(
            "iid_workbook_import", "--cycle", str(cycle.pk), str(bad), stdout=io.StringIO(), stderr=err
        )

    assert "would import: 1 new" in out.getvalue()
    assert failed.value.returncode == 1
    assert (
        err.getvalue()
        == "Inovasi!E2 (Tahapan): «Selesai» bukan pilihan Tahapan: Inisiatif, Uji coba, Penerapan.\n"
    )
    assert Innovation.objects.count() == 0


def test_command_opd_option_holds_rows_to_that_opd(cycle, opd_a, opd_b, admin_user, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(
        workbook(cycle, innovations=[innovation_row("K-1", opd=""), innovation_row("K-2", opd="Dinkes")])
    )

    with pytest.raises(CommandError):
        call_command(
            "iid_workbook_import",
            "--cycle",
            str(cycle.pk),
            str(path),
            "--opd",
            "Dispendik",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    call_command(
        "iid_workbook_import", "--cycle", str(cycle.pk), str(path), "--opd", "dinkes", stdout=io.StringIO()
    )

    assert dict(Innovation.objects.values_list("key", "opd__short_name")) == {
        "K-1": "Dinkes",
        "K-2": "Dinkes",
    }


# --- Formula injection ---------------------------------------------------------------------------------


def test_workbook_export_writes_formula_looking_text_as_text(cycle, opd_a, operator_a, admin_user, tmp_path):
    texts = {
        "name": '=HYPERLINK("http://example.org","klik")',
        "inisiator_name": "+62 811",
        "tujuan": "@SUM(A1)",
    }
    innovation = innovation_create(
        cycle,
        opd_a,
        operator_a,
        name=texts["name"],
        inisiator_name=texts["inisiator_name"],
        tujuan=texts["tujuan"],
    )
    claim = innovation.claims.get(indicator__code="SID-16")
    submission_services.claim_update(
        claim=claim, user=operator_a, level=1, basis="", note="-1 dari target", version=None
    )
    path = tmp_path / "x.xlsx"

    call_command("iid_workbook_export", "--cycle", str(cycle.pk), str(path), stdout=io.StringIO())

    book = load_workbook(path)
    cells = {
        cell.value: cell
        for sheet in ("Inovasi", "Klaim")
        for row in book[sheet].iter_rows(min_row=2)
        for cell in row
    }
    for text in (*texts.values(), "-1 dari target"):
        assert (cells[text].data_type, cells[text].quotePrefix) == ("s", True), text
    with zipfile.ZipFile(path) as archive:
        sheets = [archive.read(name) for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert all(b"<f>" not in sheet and b"<f " not in sheet for sheet in sheets)
    plan = check(cycle, admin_user, path.read_bytes())
    assert plan.innovations[0].action == "tetap"  # read back as the very same text


# --- The portal ----------------------------------------------------------------------------------------


def test_operator_template_offers_their_opd_alone(client, cycle, opd_a, opd_b, operator_a):
    client.force_login(operator_a)

    response = client.get(reverse("reports:workbook_template", args=[cycle.pk]))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="templat-buku-kerja-')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Petunjuk", "Inovasi", "Klaim", "SPD", "Indikator", "Daftar"]
    lists = book["Daftar"]
    opd_column = next(cell.column for cell in lists[1] if cell.value == "opd")
    assert [
        row[0]
        for row in lists.iter_rows(min_row=2, min_col=opd_column, max_col=opd_column, values_only=True)
        if row[0]
    ] == ["Dinkes"]
    assert [cell.value for cell in book["Inovasi"][1]][:3] == ["Kode inovasi *", "Nama inovasi *", "OPD *"]
    assert book["Inovasi"].max_row == 1


def test_portal_upload_previews_then_imports_only_when_confirmed(
    client, cycle, opd_a, operator_a, django_capture_on_commit_callbacks
):
    client.force_login(operator_a)
    content = workbook(
        cycle,
        innovations=[innovation_row(opd="")],
        claims=[{"key": "K-1", "indicator": "SID-16", "level": 2, "evidence": "sk.pdf"}],
        opd=opd_a,
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:workbook_import", args=[cycle.pk]),
            {
                "workbook": SimpleUploadedFile("data.xlsx", content),
                "evidence": SimpleUploadedFile("bukti.zip", zip_of({"sk.pdf": PDF})),
            },
        )
    upload = WorkbookImport.objects.get()
    preview = client.get(response["Location"])

    assert (upload.state, upload.opd, Innovation.objects.count()) == (WorkbookImportState.READY, opd_a, 0)
    assert b'data-testid="workbook-ready"' in preview.content
    assert b'data-action="baru"' in preview.content
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:workbook_upload_confirm", args=[upload.pk]))
    upload.refresh_from_db()
    assert upload.state == WorkbookImportState.DONE
    innovation = Innovation.objects.get()
    assert (innovation.state, innovation.opd, innovation.created_by) == ("draft", opd_a, operator_a)
    assert innovation.claims.get(indicator__code="SID-16").evidence.get().original_name == "sk.pdf"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:workbook_upload_confirm", args=[upload.pk]))
    assert Innovation.objects.count() == 1


def test_portal_upload_lists_every_bad_cell(
    client, cycle, opd_a, admin_user, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    content = workbook(
        cycle, innovations=[innovation_row(opd="Dinsos"), innovation_row("K-2", waktu_penerapan="kemarin")]
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:workbook_import", args=[cycle.pk]),
            {"workbook": SimpleUploadedFile("data.xlsx", content)},
        )
    page = client.get(response["Location"]).content.decode()

    upload = WorkbookImport.objects.get()
    assert upload.state == WorkbookImportState.REFUSED
    assert [
        (problem["sheet"], problem["row"], problem["letter"], problem["column"])
        for problem in upload.problems
    ] == [
        ("Inovasi", 2, "C", "OPD"),
        ("Inovasi", 3, "R", "Waktu penerapan"),
    ]
    assert 'data-testid="workbook-refused"' in page
    assert "Tanggal «kemarin» tidak dapat dibaca." in page
    assert 'data-testid="workbook-confirm"' not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:workbook_upload_confirm", args=[upload.pk]))
    assert (Innovation.objects.count(), WorkbookImport.objects.get().state) == (
        0,
        WorkbookImportState.REFUSED,
    )


def test_portal_upload_refuses_a_file_that_is_no_workbook(client, cycle, admin_user):
    client.force_login(admin_user)

    response = client.post(
        reverse("reports:workbook_import", args=[cycle.pk]),
        {
            "workbook": SimpleUploadedFile("data.xlsx", b"<html></html>"),
            "evidence": SimpleUploadedFile("bukti.zip", b"PK bukan zip"),
        },
    )

    assert response.status_code == 200
    assert "bukan buku kerja Excel (.xlsx)" in response.content.decode()
    assert "bukan arsip ZIP" in response.content.decode()
    assert WorkbookImport.objects.count() == 0


def test_portal_upload_is_its_uploaders_alone(
    client, cycle, opd_a, opd_b, operator_a, operator_b, django_capture_on_commit_callbacks
):
    client.force_login(operator_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reports:workbook_import", args=[cycle.pk]),
            {"workbook": SimpleUploadedFile("data.xlsx", workbook(cycle, innovations=[innovation_row()]))},
        )
    upload = WorkbookImport.objects.get()
    client.force_login(operator_b)

    assert client.get(reverse("reports:workbook_upload", args=[upload.pk])).status_code == 404
    assert client.post(reverse("reports:workbook_upload_confirm", args=[upload.pk])).status_code == 404
    upload.refresh_from_db()
    assert upload.state == WorkbookImportState.READY


def test_portal_export_holds_what_the_requester_may_see(
    cycle,
    opd_a,
    operator_a,
    admin_user,
    ready,  # noqa: F811
    django_capture_on_commit_callbacks,
    client,
):
    innovation_create(cycle, opd_a, operator_a, name="Masih Draf")
    submission_services.innovation_transition(innovation=ready, user=operator_a, to_state="diajukan")
    client.force_login(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:request"), {"kind": ReportKind.WORKBOOK_ZIP, "cycle": cycle.pk})

    report = GeneratedReport.objects.get()
    assert (report.state, report.file.name.endswith(".zip")) == ("done", True)
    with zipfile.ZipFile(report.file.open("rb")) as archive:
        names = archive.namelist()
        book = load_workbook(io.BytesIO(archive.read(names[0])))
    assert names[0] == f"buku-kerja-{slugify(cycle.name)}.xlsx"
    assert [row[1] for row in book["Inovasi"].iter_rows(min_row=2, values_only=True)] == ["Posyandu Digital"]
    # The files of the rows (SID-35's evidence is a link, named in its cell, not a file of the ZIP).
    assert sorted(name.split("/")[-2] for name in names[1:]) == ["SID-16", "SID-17", "SID-32", "SID-33"]


def test_uploads_expire_and_stalled_ones_fail(cycle, opd_a, admin_user):
    from django.core.files.base import ContentFile
    from django.utils import timezone

    now = timezone.now()
    old = WorkbookImport(
        region=cycle.region,
        cycle=cycle,
        requested_by=admin_user,
        workbook_name="a.xlsx",
        expires_at=now - datetime.timedelta(hours=1),
        state=WorkbookImportState.READY,
    )
    old.workbook.save("a.xlsx", ContentFile(b"x"), save=False)
    old.save()
    stalled = WorkbookImport.objects.create(
        region=cycle.region,
        cycle=cycle,
        requested_by=admin_user,
        workbook_name="b.xlsx",
        expires_at=now + datetime.timedelta(days=1),
        state=WorkbookImportState.IMPORTING,
        started_at=now - datetime.timedelta(hours=2),
    )
    stored = old.workbook.name

    assert (workbook_uploads_fail_stalled(), workbook_uploads_expire()) == (1, 1)
    assert list(WorkbookImport.objects.values_list("pk", "state")) == [
        (stalled.pk, WorkbookImportState.FAILED)
    ]
    assert not old.workbook.storage.exists(stored)


def test_export_data_reads_a_fixed_number_of_queries(source, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        data = export_data(cycle=source, innovations=Innovation.objects.all())

    assert (len(data.innovations), len(data.claims), len(data.spd)) == (4, 80, 20)


def test_imported_innovation_history_shows_its_rows_and_the_file(cycle, opd_a, admin_user):
    from submissions.selectors import innovation_history

    run(
        cycle,
        admin_user,
        workbook(
            cycle, innovations=[innovation_row()], claims=[{"key": "K-1", "indicator": "SID-16", "level": 2}]
        ),
        name="data-2026.xlsx",
    )

    entries = innovation_history(Innovation.objects.get())
    assert sorted((entry.what, entry.changes) for entry in entries) == [
        ("Dari impor workbook «data-2026.xlsx»", ()),
        ("Indikator SID-16 diubah", (("tingkat", "", "2"),)),
    ]
