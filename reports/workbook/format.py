"""The workbook format: its sheets, their columns with headers and notes, and the lists the drop-downs offer.

Everything that writes or reads a workbook (the template, the export, the import) takes the format from
here, so that what the export writes the import reads. The headers, notes and list labels are the format
itself, not interface text: they are written in Indonesian whatever the language of the page (as the
national form's are), and read back in any case and spacing, with or without the "*" that marks a
required column. Choices are read as their Indonesian or English label or their stored value.

A sheet's columns may stand in any order and unknown columns are ignored; columns marked ``export_only``
(grey headers) are written by the export and never read. An absent optional column leaves its field as
it is; an empty cell in a present column empties the field (a level: 0).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils import translation

from submissions.enums import Bentuk, DocumentKind, Inisiator, InnovationState, Jenis, Tahapan, Tematik
from submissions.models import KEY_MAX_LENGTH

FORMAT_NAME = "Buku kerja Portal Inovasi Daerah"
FORMAT_VERSION = "1"

SHEET_README = "Petunjuk"
SHEET_INNOVATIONS = "Inovasi"
SHEET_CLAIMS = "Klaim"
SHEET_SPD = "SPD"
SHEET_INDICATORS = "Indikator"
SHEET_LISTS = "Daftar"

# The read-me sheet's labels the import reads back (column A; the value is in column B).
README_FORMAT = "Format"
README_VERSION = "Versi format"
README_CATALOGUE = "Kode katalog"

# Cells that hold several entries (urusan lain, evidence files and links): one per line, or split by ";".
SEPARATORS = ("\n", ";")
# The most rows a sheet may hold (300 innovations × 20 claims is 6,000): a file cannot make the server read
# without end.
MAX_ROWS = {SHEET_INNOVATIONS: 5000, SHEET_CLAIMS: 60000, SHEET_SPD: 200}
MAX_COLUMNS = 60
# Rows given a drop-down below the data in the template and the export, for rows still to be typed.
DROPDOWN_SPARE_ROWS = 1000


class Kind(StrEnum):
    """How a cell is read."""

    KEY = "key"  # the innovation's key: one line, at most KEY_MAX_LENGTH characters
    TEXT = "text"  # one line
    LONG_TEXT = "long_text"  # several lines kept (rich text of the profile, notes)
    CHOICE = "choice"  # one of ``CHOICES[column.key]``
    STATE = "state"  # an innovation's status (InnovationState)
    OPD = "opd"  # an OPD of the region by short name (or full name)
    URUSAN = "urusan"  # an urusan by name or code
    URUSAN_LIST = "urusan_list"  # several, one per line or split by ";"
    DATE = "date"  # an Excel date, or YYYY-MM-DD, DD-MM-YYYY, DD/MM/YYYY
    URL = "url"  # an http(s) address
    LEVEL = "level"  # 0–3, and a level the indicator has
    BASIS = "basis"  # a measurement basis a–f of an indicator that asks for one
    INDICATOR = "indicator"  # an indicator code of the catalogue
    FILES = "files"  # paths inside the ZIP of evidence and links, one per line or split by ";"
    FILE = "file"  # one path inside the ZIP of evidence
    VALUE = "value"  # written by the export only


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: Kind = Kind.TEXT
    width: int = 18
    required: bool = False
    export_only: bool = False
    aliases: tuple[str, ...] = ()
    note: str = ""
    # The list of the "Daftar" sheet the drop-down of this column offers ("" for none).
    choices: str = ""
    max_length: int | None = None

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.header, *self.aliases)

    @property
    def title(self) -> str:
        """The header as written: a required column's ends with " *"."""
        return f"{self.header} *" if self.required else self.header


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    required: bool = False

    def column(self, key: str) -> Column:
        return next(column for column in self.columns if column.key == key)

    @property
    def read_columns(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if not column.export_only)


def header_key(text: object) -> str:
    """A header as compared: without "*", in any case and spacing."""
    return " ".join(str(text or "").replace("*", " ").split()).casefold()


DATE_NOTE = "Tanggal Excel, atau ditulis TTTT-BB-HH (2025-03-01), HH-BB-TTTT atau HH/BB/TTTT."
EXPORT_NOTE = "Diisi ekspor; tidak dibaca saat impor."
FILES_NOTE = (
    "Satu per baris (atau dipisah titik koma): jalur berkas di dalam ZIP bukti, misalnya "
    "bukti/sk-bupati.pdf, atau tautan https:// bila indikatornya menerima tautan. Impor menambahkan "
    "berkas yang belum ada (nama dan ukuran yang sama tidak ditambahkan lagi) dan tidak menghapus bukti."
)

# The profile's single-valued fields in the national form's order (submissions.models.PROFILE_FIELDS),
# after the key, the OPD and the status.
INNOVATION_COLUMNS = (
    Column(
        "key",
        "Kode inovasi",
        Kind.KEY,
        width=16,
        required=True,
        aliases=("Kode", "Kunci"),
        max_length=KEY_MAX_LENGTH,
        note=(
            "Kunci inovasi di siklus ini. Impor ulang dengan kode yang sama memperbarui inovasi itu, "
            "tidak menggandakannya. Inovasi baru boleh diberi kode apa saja (mis. DINKES-01)."
        ),
    ),
    Column("name", "Nama inovasi", width=40, required=True, max_length=255),
    Column(
        "opd",
        "OPD",
        Kind.OPD,
        width=16,
        required=True,
        aliases=("Nama singkat OPD", "OPD (nama singkat)"),
        choices="opd",
        note="Nama singkat OPD seperti di daftar OPD portal. OPD yang belum ada ditambahkan dulu di portal.",
    ),
    Column(
        "state",
        "Status",
        Kind.STATE,
        width=14,
        choices="status",
        note=(
            "Kosong atau Draf: draf. Impor admin Bappeda: status lain (Menunggu pengesahan kepala OPD, "
            "Diajukan, Revisi, Terverifikasi) masuk sebagai Diajukan (diimpor, belum diverifikasi: verifikasi "
            "selalu pekerjaan wilayah sendiri). Operator OPD hanya membuat draf."
        ),
    ),
    Column("tahapan", "Tahapan", Kind.CHOICE, width=14, choices="tahapan"),
    Column("inisiator", "Inisiator", Kind.CHOICE, width=16, choices="inisiator"),
    Column("inisiator_name", "Nama inisiator", width=24, max_length=200),
    Column("jenis", "Jenis", Kind.CHOICE, width=14, choices="jenis"),
    Column("bentuk", "Bentuk", Kind.CHOICE, width=28, choices="bentuk"),
    Column("tematik", "Tematik", Kind.CHOICE, width=28, choices="tematik"),
    Column("urusan_utama", "Urusan utama", Kind.URUSAN, width=28, choices="urusan"),
    Column(
        "urusan_lain",
        "Urusan lain yang beririsan",
        Kind.URUSAN_LIST,
        width=28,
        aliases=("Urusan lain",),
        note="Nama urusan, satu per baris (atau dipisah titik koma).",
    ),
    Column(
        "rancang_bangun",
        "Rancang bangun dan pokok perubahan",
        Kind.LONG_TEXT,
        width=60,
        aliases=("Rancang bangun",),
        note=(
            "Paling sedikit sejumlah kata yang diminta katalog (lembar Petunjuk) agar inovasi layak "
            "dihitung. Paragraf dipisah baris kosong."
        ),
    ),
    Column("tujuan", "Tujuan", Kind.LONG_TEXT, width=40),
    Column("manfaat", "Manfaat", Kind.LONG_TEXT, width=40),
    Column("hasil", "Hasil inovasi", Kind.LONG_TEXT, width=40, aliases=("Hasil",)),
    Column("waktu_uji_coba", "Waktu uji coba", Kind.DATE, width=14, note=DATE_NOTE),
    Column("waktu_penerapan", "Waktu penerapan", Kind.DATE, width=14, note=DATE_NOTE),
    Column("waktu_pengembangan", "Waktu pengembangan", Kind.DATE, width=14, note=DATE_NOTE),
    Column("video_url", "Tautan video", Kind.URL, width=30, max_length=500),
    *(
        Column(
            f"document_{kind}",
            f"{label} (PDF)",
            Kind.FILE,
            width=24,
            note="Jalur berkas PDF di dalam ZIP bukti. Berkas lain dengan nama dan ukuran yang sama tidak diganti.",
        )
        for kind, label in (
            (DocumentKind.ANGGARAN, "Anggaran"),
            (DocumentKind.PROFIL_BISNIS, "Profil bisnis"),
            (DocumentKind.HAKI, "Dokumen HAKI"),
            (DocumentKind.PENGHARGAAN, "Penghargaan"),
        )
    ),
    Column("opd_name", "Nama OPD", Kind.VALUE, width=30, export_only=True, note=EXPORT_NOTE),
    Column("words", "Jumlah kata rancang bangun", Kind.VALUE, width=12, export_only=True, note=EXPORT_NOTE),
    Column(
        "kematangan_claimed", "Kematangan klaim", Kind.VALUE, width=12, export_only=True, note=EXPORT_NOTE
    ),
    Column(
        "kematangan_verified",
        "Kematangan terverifikasi",
        Kind.VALUE,
        width=12,
        export_only=True,
        note=EXPORT_NOTE,
    ),
    Column(
        "eligible",
        "Layak dihitung",
        Kind.VALUE,
        width=10,
        export_only=True,
        note="Ya bila inovasi masuk hitungan jumlah inovasi (tahapan, waktu penerapan, rancang bangun). "
        + EXPORT_NOTE,
    ),
    Column(
        "ineligible_reasons", "Alasan tidak layak", Kind.VALUE, width=40, export_only=True, note=EXPORT_NOTE
    ),
    Column("submitted_at", "Diajukan pada", Kind.VALUE, width=14, export_only=True, note=EXPORT_NOTE),
)

CLAIM_COLUMNS = (
    Column(
        "key",
        "Kode inovasi",
        Kind.KEY,
        width=16,
        required=True,
        aliases=("Kode", "Kunci"),
        note="Kode inovasi di lembar Inovasi.",
    ),
    Column("innovation_name", "Nama inovasi", Kind.VALUE, width=30, export_only=True, note=EXPORT_NOTE),
    Column(
        "indicator",
        "Indikator",
        Kind.INDICATOR,
        width=11,
        required=True,
        aliases=("Kode indikator",),
        choices="sid",
        note="Kode indikator SID katalog siklus ini, mis. SID-16 (atau 16).",
    ),
    Column("indicator_name", "Nama indikator", Kind.VALUE, width=30, export_only=True, note=EXPORT_NOTE),
    Column(
        "level",
        "Tingkat",
        Kind.LEVEL,
        width=9,
        aliases=("Tingkat klaim",),
        choices="tingkat",
        note="0 (belum diklaim) sampai 3; tingkat yang dimiliki indikator itu (lembar Indikator).",
    ),
    Column(
        "basis",
        "Dasar pengukuran (SID-33)",
        Kind.BASIS,
        width=14,
        aliases=("Dasar pengukuran", "Dasar"),
        choices="dasar",
        note="Untuk indikator Kemanfaatan (SID-33): huruf a–f, wajib bila tingkatnya di atas 0.",
    ),
    Column("note", "Catatan", Kind.LONG_TEXT, width=30),
    Column("evidence", "Berkas bukti", Kind.FILES, width=40, aliases=("Bukti",), note=FILES_NOTE),
    Column("score", "Skor klaim", Kind.VALUE, width=10, export_only=True, note=EXPORT_NOTE),
    Column("verdict", "Putusan verifikasi", Kind.VALUE, width=16, export_only=True, note=EXPORT_NOTE),
    Column("verified_level", "Tingkat diterima", Kind.VALUE, width=10, export_only=True, note=EXPORT_NOTE),
    Column("verdict_reason", "Alasan putusan", Kind.VALUE, width=30, export_only=True, note=EXPORT_NOTE),
    Column("verified_score", "Skor terverifikasi", Kind.VALUE, width=10, export_only=True, note=EXPORT_NOTE),
)

SPD_COLUMNS = (
    Column(
        "indicator",
        "Indikator",
        Kind.INDICATOR,
        width=11,
        required=True,
        aliases=("Kode indikator",),
        choices="spd",
        note="Kode indikator SPD katalog siklus ini, mis. SPD-01. Diisi admin Bappeda.",
    ),
    Column("indicator_name", "Nama indikator", Kind.VALUE, width=40, export_only=True, note=EXPORT_NOTE),
    Column("level", "Tingkat", Kind.LEVEL, width=9, choices="tingkat", note="0 sampai 3."),
    Column("note", "Catatan", Kind.LONG_TEXT, width=30),
    Column("evidence", "Berkas bukti", Kind.FILES, width=40, aliases=("Bukti",), note=FILES_NOTE),
    Column("score", "Skor klaim", Kind.VALUE, width=10, export_only=True, note=EXPORT_NOTE),
    Column(
        "accepted",
        "Diterima (empat mata)",
        Kind.VALUE,
        width=12,
        export_only=True,
        note="Ya bila verifikator atau admin lain sudah menerimanya. " + EXPORT_NOTE,
    ),
    Column("verified_score", "Skor terverifikasi", Kind.VALUE, width=10, export_only=True, note=EXPORT_NOTE),
)

INNOVATIONS = Sheet(SHEET_INNOVATIONS, INNOVATION_COLUMNS, required=True)
CLAIMS = Sheet(SHEET_CLAIMS, CLAIM_COLUMNS)
SPD = Sheet(SHEET_SPD, SPD_COLUMNS)
DATA_SHEETS = (INNOVATIONS, CLAIMS, SPD)

# The profile columns and the model field each fills.
PROFILE_COLUMNS = tuple(
    column
    for column in INNOVATION_COLUMNS
    if not column.export_only and column.key not in ("key", "opd", "state") and column.kind != Kind.FILE
)
DOCUMENT_COLUMNS = tuple(column for column in INNOVATION_COLUMNS if column.kind == Kind.FILE)

# The choices of each CHOICE and STATE column.
CHOICES: dict[str, type[models.TextChoices]] = {
    "state": InnovationState,
    "tahapan": Tahapan,
    "inisiator": Inisiator,
    "jenis": Jenis,
    "bentuk": Bentuk,
    "tematik": Tematik,
}
LEVELS = (0, 1, 2, 3)
BASES = ("a", "b", "c", "d", "e", "f")


def labels_id(choices: type[models.TextChoices]) -> list[tuple[str, str]]:
    """(value, Indonesian label) of each choice: the workbook's wording whatever the page's language."""
    with translation.override("id"):
        return [(str(value), str(label)) for value, label in choices.choices]


@functools.cache
def choice_spellings(choices: type[models.TextChoices]) -> dict[str, str]:
    """{spelling (casefolded): value} for the value and the Indonesian and English labels of each choice
    (kept per process: the labels are the code's)."""
    spellings: dict[str, str] = {}
    for language in ("en", "id"):
        with translation.override(language):
            for value, label in choices.choices:
                spellings[str(label).casefold()] = str(value)
    for value in choices.values:
        spellings[str(value).casefold()] = str(value)
        spellings[str(value).replace("_", " ").casefold()] = str(value)
    return spellings


def split_entries(text: str) -> list[str]:
    """The entries of a cell that holds several (one per line or split by ";"), stripped, none empty."""
    for separator in SEPARATORS[1:]:
        text = text.replace(separator, SEPARATORS[0])
    return [entry.strip() for entry in text.split(SEPARATORS[0]) if entry.strip()]


def join_entries(entries: Iterable[str]) -> str:
    return "\n".join(entries)
