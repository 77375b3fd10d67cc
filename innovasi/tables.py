"""Reading the rows of an uploaded table: an Excel workbook (.xlsx, openpyxl) or a CSV file (the stdlib csv
module), for the imports of OPDs and users.

The upload passes the checks of every upload first (``innovasi.uploads``: size and content). The first
non-empty row names the columns, each spelled one of a few ways (case and spaces do not matter; other
columns are ignored; an optional column may be left out, and reads as empty cells); every following
non-empty row is a ``TableRow`` with its number as the spreadsheet shows it, so that a message can name
the row. Every problem of the file as a whole is a ValidationError with its message in Indonesian;
problems of single rows are the importer's to find.
"""

import csv
import io
import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .uploads import extension, size_check, sniffed_mime

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A workbook saved by some programs is sniffed as a plain ZIP archive: openpyxl decides then.
ZIP_MIME = "application/zip"
MAX_ROWS = 2000
MAX_COLUMNS = 30
# Windows' "CSV (comma delimited)" is in the system code page; anything else is taken as UTF-8.
CSV_ENCODINGS = ("utf-8-sig", "cp1252")


@dataclass(frozen=True)
class TableRow:
    number: int
    values: Mapping[str, str]


def _header_key(text: object) -> str:
    return " ".join(str(text or "").replace("*", " ").split()).casefold()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a short name typed as a number, 12, reads back from Excel as 12.0
    return " ".join(str(value).split())


def table_read(
    uploaded, columns: Mapping[str, Sequence[str]], optional: Collection[str] = ()
) -> list[TableRow]:
    """The rows of ``uploaded`` by column key: ``columns`` maps each key to the headers it may have (the
    first spelling is the one messages name); the keys in ``optional`` may have no column. Raises
    ValidationError when the file is no .xlsx or .csv table, cannot be read, lacks one of the other
    columns, has no rows or more than ``MAX_ROWS``."""
    name = size_check(uploaded)
    mime = sniffed_mime(uploaded)
    suffix = extension(name)
    if suffix == ".xls":
        raise ValidationError(
            _(
                "Berkas «%(name)s» berformat Excel lama (.xls). Simpan sebagai .xlsx atau CSV, lalu unggah lagi."
            )
            % {"name": name}
        )
    if mime in (XLSX_MIME, ZIP_MIME) and suffix == ".xlsx":
        lines = _xlsx_lines(uploaded, name)
    elif mime is None and suffix == ".csv":
        lines = _csv_lines(uploaded, name)
    else:
        raise ValidationError(
            _(
                "Berkas «%(name)s» bukan buku kerja Excel (.xlsx) atau berkas CSV (.csv). Isi berkasnya "
                "diperiksa, bukan hanya namanya."
            )
            % {"name": name}
        )
    return _rows(lines, columns, optional, name)


def _xlsx_lines(uploaded, name) -> Iterator[tuple[int, list[str]]]:
    try:
        workbook = load_workbook(uploaded, read_only=True, data_only=True)
        try:
            rows = list(_limited(workbook.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS)))
        finally:
            workbook.close()
    # What openpyxl raises for a damaged workbook (SyntaxError: ElementTree's ParseError of broken XML).
    except (
        InvalidFileException,
        zipfile.BadZipFile,
        KeyError,
        ValueError,
        OSError,
        IndexError,
        SyntaxError,
    ) as error:
        raise ValidationError(
            _("Buku kerja «%(name)s» tidak dapat dibaca. Buka dan simpan ulang di Excel, lalu unggah lagi.")
            % {"name": name}
        ) from error
    finally:
        uploaded.seek(0)
    return ((number, [_cell_text(cell) for cell in row]) for number, row in enumerate(rows, start=1))


def _csv_lines(uploaded, name) -> Iterator[tuple[int, list[str]]]:
    content = uploaded.read()
    uploaded.seek(0)
    if b"\x00" in content:
        raise ValidationError(_("Berkas «%(name)s» bukan berkas teks CSV.") % {"name": name})
    for encoding in CSV_ENCODINGS:
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(
            _(
                "Berkas «%(name)s» tidak dapat dibaca sebagai teks. Simpan sebagai «CSV UTF-8», lalu unggah lagi."
            )
            % {"name": name}
        )
    try:
        # Excel in Indonesian writes ";" between the columns (the comma is the decimal separator there).
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(_limited(csv.reader(io.StringIO(text), dialect)))
    except csv.Error as error:
        raise ValidationError(
            _("Berkas CSV «%(name)s» rusak: %(error)s.") % {"name": name, "error": error}
        ) from error
    return ((number, [_cell_text(cell) for cell in row[:MAX_COLUMNS]]) for number, row in enumerate(rows, 1))


def _limited(rows: Iterable) -> Iterator:
    """The rows, refusing to read past ``MAX_ROWS`` and a header: a file cannot make the server read
    without end."""
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS + 1:
            raise ValidationError(
                _("Berkas memuat lebih dari %(count)d baris. Bagi menjadi beberapa berkas.")
                % {"count": MAX_ROWS}
            )
        yield row


def _rows(lines, columns, optional, name) -> list[TableRow]:
    spellings = {_header_key(spelling): key for key, names in columns.items() for spelling in names}
    positions: dict[str, int] | None = None
    rows = []
    for number, cells in lines:
        if not any(cells):
            continue
        if positions is None:
            positions = {}
            for index, cell in enumerate(cells):
                key = spellings.get(_header_key(cell))
                if key is not None and key not in positions:
                    positions[key] = index
            required = {key: names for key, names in columns.items() if key not in optional}
            missing = [names[0] for key, names in required.items() if key not in positions]
            if missing:
                raise ValidationError(
                    _(
                        "Baris judul berkas «%(name)s» (baris %(number)d) tidak memuat kolom %(missing)s. "
                        "Kolom yang diperlukan: %(columns)s."
                    )
                    % {
                        "name": name,
                        "number": number,
                        "missing": ", ".join(f"«{column}»" for column in missing),
                        "columns": ", ".join(f"«{names[0]}»" for names in required.values()),
                    }
                )
            continue
        # A short row's last cells are empty, and so are those of an optional column left out.
        read = {key: cells[index] for key, index in positions.items() if index < len(cells)}
        values = {key: read.get(key, "") for key in columns}
        if any(values.values()):
            rows.append(TableRow(number=number, values=values))
    if not rows:
        raise ValidationError(_("Berkas «%(name)s» tidak memuat satu baris data pun.") % {"name": name})
    return rows
