"""The checks every upload passes, whatever it is for: a name reduced to safe characters, not empty, not
over ``UPLOAD_MAX_BYTES`` (or a smaller limit of its own, a region's logo), and its content sniffed (the
name a user gave says nothing about it): ``upload_check`` for evidence files and logos, which must be one
of the kinds we recognise (HTML, SVG, scripts and programs never are); ``innovasi.tables`` for the
workbooks and CSV files of an import. Files are stored under random names.
"""

from pathlib import PurePosixPath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from innovasi.standards.enums import EvidenceKind

SNIFF_BYTES = 8192


def safe_name(name):
    """The last component of the name, reduced to safe characters (no path, no control characters)."""
    base = PurePosixPath(name.replace("\\", "/")).name
    cleaned = get_valid_filename(base) if base.strip(". ") else ""
    return cleaned[-120:] or "berkas"


def size_check(uploaded, limit=None):
    """The safe name of ``uploaded``; ValidationError when it is empty or over ``limit`` bytes
    (``UPLOAD_MAX_BYTES`` unless a kind of upload needs less)."""
    name = safe_name(uploaded.name or "")
    if uploaded.size == 0:
        raise ValidationError(_("Berkas «%(name)s» kosong. Pilih berkas yang berisi.") % {"name": name})
    limit = settings.UPLOAD_MAX_BYTES if limit is None else limit
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


# Sniffed MIME type -> the kind we store. Nothing else is ever accepted.
KIND_BY_MIME = {
    "application/pdf": EvidenceKind.PDF,
    "image/jpeg": EvidenceKind.JPG,
    "image/png": EvidenceKind.PNG,
    "video/mp4": EvidenceKind.MP4,
}
KIND_BY_EXTENSION = {
    ".pdf": EvidenceKind.PDF,
    ".jpg": EvidenceKind.JPG,
    ".jpeg": EvidenceKind.JPG,
    ".png": EvidenceKind.PNG,
    ".mp4": EvidenceKind.MP4,
}


def kinds_label(kinds):
    """'PDF, JPG atau PNG' for a list of kinds (links excluded)."""
    labels = [str(EvidenceKind(kind).label) for kind in kinds if kind != EvidenceKind.LINK]
    if len(labels) <= 1:
        return "".join(labels)
    return _("%(list)s atau %(last)s") % {"list": ", ".join(labels[:-1]), "last": labels[-1]}


def upload_check(uploaded, allowed_kinds, *, limit=None):
    """Return (kind, safe name) of an acceptable upload, or raise ValidationError saying what is wrong
    (``limit``: as ``size_check``'s)."""
    name = size_check(uploaded, limit)
    kind = KIND_BY_MIME.get(sniffed_mime(uploaded))
    accepted = kinds_label(allowed_kinds)
    if kind is None:
        raise ValidationError(
            _(
                "Isi berkas «%(name)s» bukan %(accepted)s. Berkas HTML, SVG, dokumen Office dan program tidak diterima."
            )
            % {"name": name, "accepted": accepted}
        )
    if KIND_BY_EXTENSION.get(extension(name)) != kind:
        raise ValidationError(
            _(
                "Isi berkas «%(name)s» adalah %(kind)s, tetapi nama berkasnya tidak berakhiran .%(extension)s. Periksa berkasnya lalu unggah lagi."
            )
            % {"name": name, "kind": kind.label, "extension": kind.value}
        )
    if kind not in allowed_kinds:
        raise ValidationError(
            _("Berkas «%(name)s» adalah %(kind)s; di sini hanya %(accepted)s yang diterima.")
            % {"name": name, "kind": kind.label, "accepted": accepted}
        )
    return kind, name
