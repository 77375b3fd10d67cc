"""Reading an uploaded workbook into rows by column key (openpyxl, read-only, the values Excel computed).

The file passes the checks of every upload first (``innovasi.uploads``: its size, and its content sniffed:
a .xlsx workbook). A file that cannot be read at all is a ValidationError with its message in Indonesian;
what is wrong inside it (a sheet or a required column missing) is a ``Problem`` like a bad cell's, so that
the preview lists everything at once. Cell values are kept as openpyxl gives them (text, numbers, dates):
``plan`` reads each by its column's kind.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from innovasi.tables import XLSX_MIME, ZIP_MIME
from innovasi.uploads import extension, size_check, sniffed_mime

from . import format as fmt


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the workbook: a cell (sheet, row, column), a row, a column or the file."""

    sheet: str
    row: int | None
    column: str
    reason: str
    letter: str = ""

    @property
    def cell(self) -> str:
        """Where it is: "Inovasi!C5" (a cell, as a spreadsheet names it), "Inovasi, baris 5", "Inovasi", or
        "" (the file as a whole)."""
        if self.sheet and self.row and self.letter:
            return f"{self.sheet}!{self.letter}{self.row}"
        if self.sheet and self.row:
            return _("%(sheet)s, baris %(row)d") % {"sheet": self.sheet, "row": self.row}
        return self.sheet

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "letter": self.letter,
            "reason": self.reason,
        }

    def line(self) -> str:
        """One line for a terminal: "Inovasi!E5 (Tahapan): reason"."""
        where = self.cell or _("Berkas")
        return f"{where} ({self.column}): {self.reason}" if self.column else f"{where}: {self.reason}"


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, Any]


@dataclass
class SheetRows:
    """One sheet: whether it is there, where each column it has is (key → (letter, header as written)),
    and its non-empty rows."""

    sheet: fmt.Sheet
    present: bool = False
    positions: dict[str, tuple[str, str]] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)

    def has(self, key: str) -> bool:
        return key in self.positions

    def letter(self, key: str) -> str:
        return self.positions.get(key, ("", ""))[0]

    def title(self, key: str) -> str:
        return self.positions.get(key, ("", self.sheet.column(key).header))[1]


@dataclass
class WorkbookRows:
    name: str
    sheets: dict[str, SheetRows]
    catalogue: str | None = None
    problems: list[Problem] = field(default_factory=list)


def workbook_file_check(uploaded, limit: int | None = None) -> str:
    """The safe name of ``uploaded`` if it is, as a file, a workbook (size, content sniffed: a .xlsx);
    ValidationError otherwise. Its sheets are not read."""
    name = size_check(uploaded, limit)
    if extension(name) != ".xlsx" or sniffed_mime(uploaded) not in (XLSX_MIME, ZIP_MIME):
        raise ValidationError(
            _(
                "Berkas «%(name)s» bukan buku kerja Excel (.xlsx). Isi berkasnya diperiksa, bukan hanya "
                "namanya; buku kerja .xls lama disimpan dulu sebagai .xlsx."
            )
            % {"name": name}
        )
    return name


def workbook_read(uploaded, *, limit: int | None = None) -> WorkbookRows:
    """The data sheets of ``uploaded`` (an .xlsx file) by column key; ``limit``: the largest size accepted
    (``UPLOAD_MAX_BYTES`` when None). Raises ValidationError when it is no workbook or cannot be read, or
    a sheet has more rows than ``format.MAX_ROWS`` allows."""
    name = workbook_file_check(uploaded, limit)
    uploaded.seek(0)
    try:
        workbook = load_workbook(uploaded, read_only=True, data_only=True)
        try:
            return _read(workbook, name)
        finally:
            workbook.close()
    # What openpyxl raises for a damaged workbook (SyntaxError: ElementTree's ParseError of broken XML).
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as error:
        raise ValidationError(
            _("Buku kerja «%(name)s» tidak dapat dibaca. Buka dan simpan ulang di Excel, lalu unggah lagi.")
            % {"name": name}
        ) from error
    finally:
        uploaded.seek(0)


def _read(workbook, name: str) -> WorkbookRows:
    by_name = {sheet.title.strip().casefold(): sheet for sheet in workbook.worksheets}
    result = WorkbookRows(name=name, sheets={})
    readme = by_name.get(fmt.SHEET_README.casefold())
    if readme is not None:
        result.catalogue = _readme_value(readme, fmt.README_CATALOGUE)
    for sheet in fmt.DATA_SHEETS:
        rows = SheetRows(sheet)
        result.sheets[sheet.name] = rows
        worksheet = by_name.get(sheet.name.casefold())
        if worksheet is None:
            if sheet.required:
                result.problems.append(
                    Problem(
                        sheet.name,
                        None,
                        "",
                        _("Lembar «%(sheet)s» tidak ada di buku kerja. Mulailah dari templat siklus ini.")
                        % {"sheet": sheet.name},
                    )
                )
            continue
        rows.present = True
        _read_sheet(worksheet, rows, result.problems)
    return result


def _readme_value(worksheet, label: str) -> str | None:
    wanted = fmt.header_key(label)
    for cells in worksheet.iter_rows(max_col=2, max_row=60, values_only=True):
        if cells and fmt.header_key(cells[0]) == wanted:
            return str(cells[1]).strip() if len(cells) > 1 and cells[1] is not None else ""
    return None


def _lines(worksheet, sheet: fmt.Sheet) -> Iterator[tuple[int, tuple]]:
    """The sheet's rows with their numbers, refusing to read past its limit (and the header)."""
    limit = fmt.MAX_ROWS[sheet.name]
    seen = 0
    for number, cells in enumerate(worksheet.iter_rows(max_col=fmt.MAX_COLUMNS, values_only=True), start=1):
        if not any(cell not in (None, "") for cell in cells):
            continue
        seen += 1
        if seen > limit + 1:
            raise ValidationError(
                _("Lembar «%(sheet)s» memuat lebih dari %(count)d baris. Bagi menjadi beberapa buku kerja.")
                % {"sheet": sheet.name, "count": limit}
            )
        yield number, cells


# Rows above the header a sheet may have (a title, a date): the header is the first row naming a required
# column.
HEADER_SEARCH_ROWS = 10


def _read_sheet(worksheet, rows: SheetRows, problems: list[Problem]) -> None:
    """The sheet's header (the first row naming a required column) and the rows below it. A sheet that
    lacks a required column is one problem, and its rows are not read."""
    sheet = rows.sheet
    spellings = {
        fmt.header_key(spelling): column for column in sheet.read_columns for spelling in column.spellings
    }
    required = [column for column in sheet.read_columns if column.required]
    indexes: dict[str, int] | None = None
    seen = 0
    for seen, (number, cells) in enumerate(_lines(worksheet, sheet), start=1):
        if indexes is None:
            found = {}
            for index, cell in enumerate(cells):
                column = spellings.get(fmt.header_key(cell))
                if column is not None and column.key not in found:
                    found[column.key] = (index, " ".join(str(cell).replace("*", " ").split()))
            if not any(column.key in found for column in required):
                if seen < HEADER_SEARCH_ROWS:
                    continue
                found = {}
            missing = [column for column in required if column.key not in found]
            if missing:
                problems.append(
                    Problem(
                        sheet.name,
                        number if found else None,
                        missing[0].header,
                        _(
                            "Baris judul lembar ini tidak memuat kolom %(missing)s. Kolom wajibnya: %(columns)s."
                        )
                        % {
                            "missing": ", ".join(f"«{column.header}»" for column in missing),
                            "columns": ", ".join(f"«{column.header}»" for column in required),
                        },
                    )
                )
                return
            indexes = {key: index for key, (index, _title) in found.items()}
            rows.positions = {
                key: (get_column_letter(index + 1), title) for key, (index, title) in found.items()
            }
            continue
        values = {key: cells[index] if index < len(cells) else None for key, index in indexes.items()}
        if any(value not in (None, "") for value in values.values()):
            rows.rows.append(Row(number, values))
    if indexes is None and seen:  # an empty sheet is no problem: it brings nothing
        problems.append(
            Problem(
                sheet.name,
                None,
                "",
                _("Baris judul lembar ini tidak ditemukan. Kolom wajibnya: %(columns)s.")
                % {"columns": ", ".join(f"«{column.header}»" for column in required)},
            )
        )
