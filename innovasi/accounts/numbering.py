"""A region's certificate numbers and its signatories' NIP: the pattern the admin writes, checked and
applied, and the NIP's 18 digits. Plain functions: the settings form validates with them, the reports app
numbers its certificates with them.

A pattern is text with fields in braces: ``{nomor}`` the running number (``{nomor:3}`` zero-padded to 3
digits: 001), ``{tahun}`` the year of issue, ``{bulan}`` its month in Roman numerals (XII), as Indonesian
letter numbers often carry. Example: ``{nomor:3}/PIAGAM/BAPPEDA/{bulan}/{tahun}`` → 007/PIAGAM/BAPPEDA/XII/2026.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIELD = re.compile(r"\{([^{}]*)\}")
RUNNING = re.compile(r"nomor(?::([1-9]))?")
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
NUMBER_MAX_LENGTH = 100  # reports.Certificate.number
NIP_DIGITS = 18


def certificate_pattern_validate(pattern: str) -> None:
    """Raise ValidationError (in Indonesian, saying what to write) unless ``pattern`` has exactly one
    running number and only known fields."""
    fields = FIELD.findall(pattern)
    unknown = [field for field in fields if not RUNNING.fullmatch(field) and field not in ("tahun", "bulan")]
    if unknown:
        raise ValidationError(
            _(
                "Pola nomor piagam memuat {%(field)s} yang tidak dikenal. Gunakan {nomor}, {nomor:3}, {tahun} atau {bulan}."
            )
            % {"field": unknown[0]},
            code="unknown_field",
        )
    if "{" in FIELD.sub("", pattern) or "}" in FIELD.sub("", pattern):
        raise ValidationError(
            _(
                "Pola nomor piagam memuat kurung kurawal tanpa pasangan. Tulis setiap isian utuh, misalnya {tahun}."
            ),
            code="unbalanced",
        )
    running = [field for field in fields if RUNNING.fullmatch(field)]
    if not running:
        raise ValidationError(
            _(
                "Pola nomor piagam harus memuat nomor urut {nomor} (atau {nomor:3} untuk 001), agar setiap piagam mendapat nomor sendiri."
            ),
            code="no_running_number",
        )
    if len(running) > 1:
        raise ValidationError(_("Pola nomor piagam hanya boleh memuat satu nomor urut."), code="two_running")
    if len(certificate_number(pattern, number=10**9 - 1, on=datetime.date(2000, 12, 1))) > NUMBER_MAX_LENGTH:
        raise ValidationError(
            _("Pola nomor piagam terlalu panjang: nomornya tidak boleh lebih dari %(limit)d karakter.")
            % {"limit": NUMBER_MAX_LENGTH},
            code="too_long",
        )


def pattern_counts_per_year(pattern: str) -> bool:
    """A pattern with the year starts its running number again at 1 each year; one without never does
    (its numbers would repeat)."""
    return "{tahun}" in pattern


def certificate_number(pattern: str, *, number: int, on: datetime.date) -> str:
    """The number of the ``number``-th certificate of a (valid) pattern, issued on ``on``."""

    def field(match: re.Match) -> str:
        name = match.group(1)
        if name == "tahun":
            return str(on.year)
        if name == "bulan":
            return ROMAN_MONTHS[on.month - 1]
        width = RUNNING.fullmatch(name).group(1)  # type: ignore[union-attr]  # a valid pattern's field
        return str(number).zfill(int(width or 0))

    return FIELD.sub(field, pattern)


def nip_normalise(value: str) -> str:
    """A NIP as printed on documents, "19700101 199503 1 001" (birth date, appointment, sex, number), from
    the 18 digits typed with or without spaces; "" stays "". Raise ValidationError for anything else."""
    digits = "".join(value.split())
    if not digits:
        return ""
    if not digits.isascii() or not digits.isdigit() or len(digits) != NIP_DIGITS:
        raise ValidationError(
            _("NIP terdiri atas 18 angka (spasi boleh), misalnya 19700101 199503 1 001."), code="nip"
        )
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def nip_validate(value: str) -> None:
    nip_normalise(value)
