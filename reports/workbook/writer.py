"""Writing the workbook (openpyxl): the read-me, the three data sheets with their headers, notes, drop-down
lists, frozen headers and autofilter, the indicators of the catalogue, and the hidden sheet of lists.

Text from users is written as text: a value starting with "=", "+", "-" or "@" is a text cell marked with
Excel's quote prefix, so that Excel neither runs it as a formula when the file is opened nor turns it into
one when the cell is edited. Numbers stay numbers and dates dates.
"""

from __future__ import annotations

import datetime
import io
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.base import File
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from innovasi.errors import PortalError
from innovasi.standards.enums import EvidenceKind, IndicatorGroup

from . import format as fmt
from .export import WorkbookData, export_data

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="0B4F6C")
EXPORT_FILL = PatternFill("solid", fgColor="7A7A7A")
TITLE_FONT = Font(bold=True, size=14)
LABEL_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
FORMULA_STARTS = ("=", "+", "-", "@")
# Deflating pictures and videos gains nothing and costs time; PDFs are often uncompressed.
STORED_KINDS = {EvidenceKind.JPG, EvidenceKind.PNG, EvidenceKind.MP4}


def cell_value(value: Any) -> Any:
    """What a cell holds: text, a whole number, a float, a date, or None."""
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _put(worksheet, row: int, column: int, value: Any):
    cell = worksheet.cell(row=row, column=column, value=cell_value(value))
    if isinstance(value, str):
        if value.startswith(FORMULA_STARTS):
            cell.data_type = "s"  # openpyxl would have written "=…" as a formula
            cell.quotePrefix = True
        if "\n" in value:
            cell.alignment = WRAP
    elif isinstance(value, datetime.date):
        cell.number_format = "YYYY-MM-DD"
    return cell


def workbook_bytes(data: WorkbookData) -> bytes:
    """The workbook of ``data`` as .xlsx bytes (the template when it holds no rows)."""
    with translation.override("id"):
        workbook = Workbook()
        readme = workbook.active
        readme.title = fmt.SHEET_README
        _readme(readme, data)
        lists = workbook.create_sheet(fmt.SHEET_LISTS)
        ranges = _lists(lists, data)
        for sheet, rows in (
            (fmt.INNOVATIONS, data.innovations),
            (fmt.CLAIMS, data.claims),
            (fmt.SPD, data.spd),
        ):
            _data_sheet(workbook.create_sheet(sheet.name), sheet, rows, ranges, filled=data.filled)
        _indicator_sheet(workbook.create_sheet(fmt.SHEET_INDICATORS), data)
        workbook.move_sheet(lists, offset=len(workbook.sheetnames) - 1 - workbook.index(lists))
        lists.sheet_state = "hidden"
        workbook.active = 1
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()


def _readme(sheet, data: WorkbookData) -> None:
    cycle = data.cycle
    rules = cycle.catalogue.rules["eligibility"]
    start, end = (datetime.date.fromisoformat(day) for day in rules["penerapan_or_development_between"])
    sheet["A1"] = fmt.FORMAT_NAME
    sheet["A1"].font = TITLE_FONT
    facts: list[tuple[str, Any]] = [
        (fmt.README_FORMAT, fmt.FORMAT_NAME),
        (fmt.README_VERSION, fmt.FORMAT_VERSION),
        (fmt.README_CATALOGUE, cycle.catalogue.code),
        ("Katalog", cycle.catalogue.name),
        ("Siklus", cycle.name),
        ("Wilayah", cycle.region.name),
        ("Isi", "Ekspor data siklus" if data.filled else "Templat kosong"),
        ("Cakupan", data.scope),
        ("Dibuat pada", timezone.localtime(data.generated_at).strftime("%Y-%m-%d %H:%M")),
        ("Kata minimum rancang bangun", rules["rancang_bangun_min_words"]),
        (
            "Rentang waktu penerapan atau pengembangan",
            f"{date_format(start, 'j F Y')} – {date_format(end, 'j F Y')}",
        ),
    ]
    for number, (label, value) in enumerate(facts, start=3):
        sheet.cell(row=number, column=1, value=label).font = LABEL_FONT
        _put(sheet, number, 2, value)
    row = len(facts) + 4
    sheet.cell(row=row, column=1, value="Cara mengisi").font = LABEL_FONT
    for number, text in enumerate(GUIDE, start=1):
        _put(sheet, row + number, 1, f"{number}.")
        _put(sheet, row + number, 2, text).alignment = WRAP
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 110


GUIDE = (
    "Lembar Inovasi: satu baris per inovasi, kolomnya mengikuti urutan formulir nasional. Kolom bertanda * "
    "wajib diisi. «Kode inovasi» adalah kuncinya: mengimpor ulang buku kerja dengan kode yang sama "
    "memperbarui inovasi itu, tidak menggandakannya.",
    "Lembar Klaim: satu baris per indikator SID yang diisi untuk sebuah inovasi (kode inovasi dan indikator), "
    "dengan tingkat 0–3, dasar pengukuran untuk SID-33, catatan dan berkas bukti. Indikator yang tidak "
    "disebut tidak diubah.",
    "Lembar SPD: data tingkat daerah, diisi admin Bappeda: satu baris per indikator SPD.",
    "Berkas bukti dan dokumen diunggah bersama buku kerja dalam satu ZIP; sel menyebut jalurnya di dalam ZIP "
    "(satu per baris), atau tautan https:// untuk indikator yang menerima tautan. Setiap berkas diperiksa "
    "seperti unggahan lewat peramban (isi berkas, jenis yang diterima indikatornya). Impor tidak pernah "
    "menghapus bukti, dan berkas dengan nama dan ukuran yang sudah ada tidak ditambahkan lagi.",
    "Kolom dengan judul abu-abu diisi ekspor (status verifikasi, skor, kelayakan) dan tidak dibaca saat impor. "
    "Putusan verifikasi tidak pernah diimpor: verifikasi selalu pekerjaan wilayah sendiri.",
    "Hanya inovasi berstatus Draf atau Revisi yang diubah impor; inovasi yang diajukan atau terverifikasi "
    "dilaporkan terkunci dan dibiarkan.",
    "Operator OPD mengimpor inovasi OPD-nya sendiri sebagai draf. Admin Bappeda mengimpor untuk OPD mana pun "
    "di wilayahnya; status Diajukan, Revisi atau Terverifikasi masuk sebagai Diajukan (diimpor).",
    "Sebelum menyimpan apa pun, portal memeriksa seluruh buku kerja dan menampilkan setiap sel yang "
    "bermasalah (lembar, baris, kolom, alasan). Tidak ada yang disimpan sampai semuanya benar dan Anda "
    "mengonfirmasi impornya.",
    "Tanggal: format tanggal Excel, atau ditulis TTTT-BB-HH (2025-03-01). Beberapa urusan lain: satu per "
    "baris, atau dipisah titik koma. Pilihan ditulis seperti di daftar tarik-turun.",
)


def _lists(sheet, data: WorkbookData) -> dict[str, str]:
    """The drop-down lists, one column each of the hidden sheet; {list name: its cell range}."""
    basis_indicator = next((item for item in data.indicators if item.has_basis), None)
    lists: dict[str, list[Any]] = {
        "status": [label for _value, label in fmt.labels_id(fmt.CHOICES["state"])],
        **{
            key: [label for _value, label in fmt.labels_id(fmt.CHOICES[key])]
            for key in fmt.CHOICES
            if key != "state"
        },
        "urusan": [urusan.name for urusan in data.urusan],
        "opd": [opd.short_name or opd.name for opd in data.opds],
        "sid": [item.code for item in data.indicators if item.group == IndicatorGroup.SID],
        "spd": [item.code for item in data.indicators if item.group == IndicatorGroup.SPD],
        "dasar": [basis_indicator.basis_display(basis) for basis in sorted(basis_indicator.basis_labels)]
        if basis_indicator
        else [],
        "tingkat": list(fmt.LEVELS),
    }
    ranges = {}
    for index, (name, values) in enumerate(lists.items(), start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=name).font = LABEL_FONT
        for number, value in enumerate(values, start=2):
            _put(sheet, number, index, value)
        if values:
            ranges[name] = f"{quote_sheetname(fmt.SHEET_LISTS)}!${letter}$2:${letter}${len(values) + 1}"
    return ranges


def _data_sheet(sheet, spec: fmt.Sheet, rows: Sequence[dict[str, Any]], ranges, *, filled: bool) -> None:
    columns = [column for column in spec.columns if filled or not column.export_only]
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.title)
        cell.font, cell.alignment = HEADER_FONT, WRAP
        cell.fill = EXPORT_FILL if column.export_only else HEADER_FILL
        if column.note:
            cell.comment = Comment(column.note, fmt.FORMAT_NAME, width=320, height=140)
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(columns, start=1):
            value = row.get(column.key)
            if value not in (None, ""):
                _put(sheet, number, index, value)
    last = len(rows) + 1 + fmt.DROPDOWN_SPARE_ROWS
    for index, column in enumerate(columns, start=1):
        if column.choices and column.choices in ranges:
            letter = get_column_letter(index)
            validation = DataValidation(
                type="list",
                formula1=ranges[column.choices],
                allow_blank=True,
                errorStyle="warning",
                error="Pilih dari daftar, atau tulis nilai yang dikenal portal.",
                errorTitle=column.header,
            )
            validation.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "C2" if spec is not fmt.SPD else "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 2)}"
    sheet.row_dimensions[1].height = 45


def _indicator_sheet(sheet, data: WorkbookData) -> None:
    """The catalogue's indicators with their levels and accepted evidence, for reference (not read)."""
    titles = (
        "Kode",
        "Kelompok",
        "Nama",
        "Bobot",
        "Wajib",
        "Dasar pengukuran",
        "Tingkat 1",
        "Tingkat 2",
        "Tingkat 3",
        "Jenis bukti",
    )
    for index, title in enumerate(titles, start=1):
        cell = sheet.cell(row=1, column=index, value=title)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
    number = 2
    for indicator in data.indicators:
        by_basis: dict[str, dict[int, str]] = {}
        for option in indicator.options.all():
            by_basis.setdefault(option.basis, {})[option.level] = option.label_id
        kinds = ", ".join(
            str(EvidenceKind(kind).label) if kind in EvidenceKind.values else kind
            for kind in (indicator.evidence_kinds or ["pdf", "jpg", "png"])
        )
        for basis, labels in sorted(by_basis.items()) or [("", {})]:
            values = (
                indicator.code,
                "SPD" if indicator.group == IndicatorGroup.SPD else "SID",
                indicator.name_id,
                float(indicator.weight),
                "Ya" if indicator.mandatory else "",
                indicator.basis_display(basis) if basis else "",
                labels.get(1, ""),
                labels.get(2, ""),
                labels.get(3, ""),
                kinds,
            )
            for index, value in enumerate(values, start=1):
                _put(sheet, number, index, value)
            number += 1
    for letter, width in zip("ABCDEFGHIJ", (10, 9, 45, 8, 7, 30, 30, 30, 30, 20), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:J{max(number - 1, 2)}"


def archive_write(
    out, files: Sequence[Any], *, extra: Iterable[tuple[str, bytes]] = (), progress=None
) -> int:
    """Write the export's files into the ZIP ``out`` (a file object) under their paths, after the ``extra``
    (name, bytes) entries; returns how many files. ``progress`` is told the share written (0–1) now and
    then. A file missing from the storage stops the export with the path it should have had."""
    count, moment = 0, _zip_time()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in extra:
            archive.writestr(zipfile.ZipInfo(name, date_time=moment), content, zipfile.ZIP_DEFLATED)
        for item in files:
            info = zipfile.ZipInfo(item.path, date_time=moment)
            info.compress_type = zipfile.ZIP_STORED if item.kind in STORED_KINDS else zipfile.ZIP_DEFLATED
            try:
                with item.file.open("rb") as stored, archive.open(info, "w") as target:
                    _copy(stored, target)
            except FileNotFoundError:
                raise MissingFile(item.path) from None
            count += 1
            if progress is not None and count % 50 == 0:
                progress(count / len(files))
    return count


def workbook_report(*, cycle, user, with_evidence: bool, progress) -> tuple[str, Any]:
    """(file name, content) of the portal's export for ``user``: the innovations they may see (drafts are
    their OPD's alone), the SPD rows when they may read them; with the evidence, one ZIP holding the
    workbook and the files under the paths it names (written to a temporary file, not kept in memory)."""
    from innovasi.accounts.permissions import allowed
    from submissions.selectors import visible

    data = export_data(cycle=cycle, innovations=visible(user), spd=allowed(user, "scoring.view_spd", cycle))
    progress(30)
    name = f"buku-kerja-{slugify(cycle.name)[:60]}"
    content = workbook_bytes(data)
    if not with_evidence:
        return f"{name}.xlsx", content
    progress(50)
    out = tempfile.TemporaryFile()  # noqa: SIM115  (handed to the report, which closes it after storing it)
    archive_write(
        out,
        data.files,
        extra=[(f"{name}.xlsx", content)],
        progress=lambda share: progress(50 + int(45 * share)),
    )
    out.seek(0)
    return f"{name}.zip", File(out, name=f"{name}.zip")


def _zip_time() -> tuple[int, int, int, int, int, int]:
    now = timezone.localtime()
    return (now.year, now.month, now.day, now.hour, now.minute, now.second)


def _copy(source, target, chunk: int = 1024 * 1024) -> None:
    while True:
        data = source.read(chunk)
        if not data:
            return
        target.write(data)


class MissingFile(PortalError):
    """A file the export names is gone from the storage: an export with evidence cannot be made whole."""

    def __init__(self, path: str):
        super().__init__(
            _(
                "Berkas bukti «%(path)s» tidak ditemukan di penyimpanan; ekspor dengan bukti tidak dapat dibuat."
            )
            % {"path": path}
        )
        self.path = path
