"""The Excel recap read back with openpyxl: its SPD sheet, eligibility and its reasons, the SID-33 basis,
the drafts on a sheet of their own (counted, never shown), filters and frozen headers, and text that a
spreadsheet would take for a formula."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from reports import services
from reports.enums import ReportKind
from scoring.enums import SnapshotKind
from scoring.models import SpdEntry
from scoring.selectors import index as index_selectors
from scoring.services import index, spd
from submissions.models import Innovation

from ..factories import innovation_create
from ..submissions.conftest import complete_profile, pdf_upload

pytestmark = pytest.mark.django_db

SHEETS = ["Rekap inovasi", "Data SPD", "Draf", "Peringkat OPD"]


def recap(user, cycle):
    report = services.report_request(kind=ReportKind.CYCLE_XLSX, user=user, title="uji", cycle_id=cycle.pk)
    services.report_render(report_id=report.pk)
    report.refresh_from_db()
    return load_workbook(io.BytesIO(report.file.read()))


def rows_of(sheet):
    header = [cell.value for cell in sheet[1]]
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def recap_cycle(verified_cycle, opd_a, opd_b, operator_a, operator_b, admin_user, verifikator):
    """The verified cycle with "Ambulans Desa" made ineligible (too short a rancang bangun, a trial only),
    two drafts of OPD A and one of OPD B, and two SPD rows, one accepted by a second person."""
    Innovation.objects.filter(name="Ambulans Desa").update(rancang_bangun_words=120, tahapan="uji_coba")
    for opd, user, name in (
        (opd_a, operator_a, "Draf Rahasia Satu"),
        (opd_a, operator_a, "Draf Rahasia Dua"),
    ):
        innovation_create(verified_cycle, opd, user, name=name, **complete_profile())
    innovation_create(verified_cycle, opd_b, operator_b, name="Draf Rahasia Tiga")
    entries = list(SpdEntry.objects.filter(cycle=verified_cycle).order_by("indicator__position")[:2])
    for entry in entries:
        spd.spd_entry_save(entry=entry, user=admin_user, level=2, note="RPJMD 2025", version=entry.version)
        spd.spd_evidence_add(entry=entry, user=admin_user, uploaded=pdf_upload("perda.pdf"))
    spd.spd_accept(entry=SpdEntry.objects.get(pk=entries[0].pk), user=verifikator)
    index.cycle_recompute(cycle_id=verified_cycle.pk)
    return verified_cycle


def test_recap_has_every_sheet_with_frozen_headers_and_a_filter(recap_cycle, admin_user):
    workbook = recap(admin_user, recap_cycle)

    assert workbook.sheetnames == SHEETS
    for sheet in workbook.worksheets:
        last = sheet.cell(row=1, column=sheet.max_column).column_letter
        assert sheet.freeze_panes == "B2", sheet.title
        assert sheet.auto_filter.ref.startswith(f"A1:{last}"), sheet.title
    ranking = workbook["Peringkat OPD"]
    opds = len([row for row in ranking.iter_rows(min_row=2, values_only=True) if row[0] is not None])
    assert ranking.auto_filter.ref == f"A1:E{1 + opds}"  # the totals below the table stay out of it


def test_recap_flags_eligibility_with_its_reasons(recap_cycle, admin_user):
    rows = {row["Nama inovasi"]: row for row in rows_of(recap(admin_user, recap_cycle)["Rekap inovasi"])}

    claimed = index_selectors.snapshots_newest(cycle=recap_cycle)[SnapshotKind.CLAIMED]
    names = dict(Innovation.objects.values_list("pk", "name"))
    for item in claimed.result["innovations"]:
        assert rows[names[int(item["ref"])]]["Layak (dihitung dalam n)"] == (
            "Ya" if item["eligible"] else "Tidak"
        )
    assert rows["Ambulans Desa"]["Layak (dihitung dalam n)"] == "Tidak"
    assert rows["Ambulans Desa"]["Alasan tidak layak"] == (
        "tahapan belum penerapan; rancang bangun 120 kata, kurang dari 300"
    )
    assert rows["Sekolah Literasi"]["Alasan tidak layak"] is None


def test_recap_gives_the_sid33_basis_beside_its_level(recap_cycle, admin_user):
    sheet = recap(admin_user, recap_cycle)["Rekap inovasi"]

    header = [cell.value for cell in sheet[1]]
    assert header.index("SID-33 dasar pengukuran") == header.index("SID-33 klaim") + 1
    assert "SID-32 dasar pengukuran" not in header  # only indicators that have a basis
    rows = rows_of(sheet)
    innovation = Innovation.objects.get(name="Sekolah Literasi")
    claim = innovation.claims.select_related("indicator").get(indicator__code="SID-33")
    assert {row["SID-33 dasar pengukuran"] for row in rows} == {claim.basis_display}
    assert claim.basis_display.startswith("a · ")


def test_recap_spd_sheet_holds_every_row_with_the_snapshot_scores(recap_cycle, admin_user):
    rows = rows_of(recap(admin_user, recap_cycle)["Data SPD"])

    entries = list(SpdEntry.objects.filter(cycle=recap_cycle).select_related("indicator"))
    assert [row["Kode"] for row in rows] == [entry.indicator.code for entry in entries]
    newest = index_selectors.snapshots_newest(cycle=recap_cycle)
    filled = [row for row in rows if row["Tingkat"]]
    assert [(row["Tingkat"], row["Jumlah bukti"], row["Bukti"], row["Catatan"]) for row in filled] == [
        (2, 1, "perda.pdf", "RPJMD 2025"),
        (2, 1, "perda.pdf", "RPJMD 2025"),
    ]
    assert [row["Diterima (empat mata)"] for row in filled] == ["Ya", "Tidak"]
    for row in filled:
        claimed = newest[SnapshotKind.CLAIMED].result["spd_row_scores"][row["Kode"]]
        verified = newest[SnapshotKind.VERIFIED].result["spd_row_scores"][row["Kode"]]
        assert (row["Skor klaim"], row["Skor terverifikasi"]) == (
            float(Decimal(claimed)),
            float(Decimal(verified)),
        )
    assert filled[1]["Skor terverifikasi"] == 0  # not accepted yet: no verified score


def test_recap_counts_drafts_on_their_own_sheet_and_shows_none_of_them(recap_cycle, admin_user):
    workbook = recap(admin_user, recap_cycle)

    drafts = rows_of(workbook["Draf"])
    assert [(row["OPD"], row["Jumlah draf"]) for row in drafts] == [
        ("Dinas Kesehatan", 2),
        ("Dinas Pendidikan", 1),
    ]
    assert all(row["Draf terakhir diubah"] is not None for row in drafts)
    everything = [
        cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    ]
    assert not any(isinstance(cell, str) and "Rahasia" in cell for cell in everything)
    assert len(rows_of(workbook["Rekap inovasi"])) == 3  # the submitted innovations only


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_recap_keeps_text_that_starts_like_a_formula_as_text(recap_cycle, admin_user, start):
    name = f'{start}HYPERLINK("http://example.org","klik")'
    Innovation.objects.filter(name="Ambulans Desa").update(name=name, inisiator_name=f"{start}1+2")

    sheet = recap(admin_user, recap_cycle)["Rekap inovasi"]

    header = [cell.value for cell in sheet[1]]
    row = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == name)
    initiator = row[header.index("Nama inisiator")]
    for cell in (row[0], initiator):
        assert (cell.data_type, cell.quotePrefix) == ("s", True)
    assert initiator.value == f"{start}1+2"
    assert row[1].quotePrefix is False  # an ordinary text keeps no prefix


def test_a_submission_waiting_for_its_head_is_counted_not_shown_in_the_recap_and_left_out_of_the_package(
    recap_cycle, admin_user, opd_a, operator_a
):
    from reports.selectors.package import package_innovations, package_opds

    from .conftest import waiting_for_the_head

    waiting_for_the_head(recap_cycle, opd_a, operator_a, "Rahasia Menunggu Kepala")

    workbook = recap(admin_user, recap_cycle)

    drafts = {row["OPD"]: row for row in rows_of(workbook["Draf"])}
    assert drafts["Dinas Kesehatan"]["Menunggu pengesahan kepala OPD"] == 1
    assert drafts["Dinas Kesehatan"]["Jumlah draf"] == 2
    everything = [
        cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
    ]
    assert not any(isinstance(cell, str) and "Rahasia Menunggu" in cell for cell in everything)
    names = {innovation.name for innovation in package_innovations(cycle=recap_cycle)}
    assert "Rahasia Menunggu Kepala" not in names
    assert {opd.name: n for opd, n in package_opds(cycle=recap_cycle)}["Dinas Kesehatan"] == 2
