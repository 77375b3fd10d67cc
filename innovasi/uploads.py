"""The checks every upload passes, whatever it is for: a name reduced to safe characters, not empty, not
over ``UPLOAD_MAX_BYTES``, and its content sniffed (the name a user gave says nothing about it).

``submissions.uploads`` adds the kinds an evidence file may be; ``innovasi.tables`` the workbooks and CSV
files of an import.
"""

from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

SNIFF_BYTES = 8192


def safe_name(name):
    """The last component of the name, reduced to safe characters (no path, no control characters)."""
    base = PurePosixPath(name.replace("\\", "/")).name
    cleaned = get_valid_filename(base) if base.strip(". ") else ""
    return cleaned[-120:] or "berkas"


def size_check(uploaded):
    """The safe name of ``uploaded``; ValidationError when it is empty or over the configured limit."""
    name = safe_name(uploaded.name or "")
    if uploaded.size == 0:
        raise ValidationError(_("Berkas «%(name)s» kosong. Pilih berkas yang berisi.") % {"name": name})
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("Berkas «%(name)s» berukuran %(size)s, melebihi batas %(limit)s per berkas.")
            % {"name": name, "size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)}
        )
    return name


def sniffed_mime(uploaded):
    """The MIME type the content of ``uploaded`` shows (None for text and for what is not recognised);
    the file is left at its start."""
    uploaded.seek(0)
    head = uploaded.read(SNIFF_BYTES)
    uploaded.seek(0)
    sniffed = filetype.guess(head)
    return sniffed.mime if sniffed else None


def extension(name):
    return PurePosixPath(name).suffix.lower()
