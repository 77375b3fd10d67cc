"""Checks on uploaded files: the content is sniffed and must be an allowed kind, whatever the name says.

HTML, SVG, scripts and programs are never one of the kinds we recognise, so they are refused; an empty
file or one over the configured limit is refused too (``innovasi.uploads``, the checks every upload
passes). The name a user gave is only kept, sanitised, for display: files are stored under random names
(``models.unguessable_path``).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from innovasi.standards.enums import EvidenceKind
from innovasi.uploads import extension, safe_name, size_check, sniffed_mime

__all__ = ["kinds_label", "safe_name", "upload_check"]

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
    labels = [EvidenceKind(kind).label for kind in kinds if kind != EvidenceKind.LINK]
    if len(labels) <= 1:
        return "".join(labels)
    return _("%(list)s atau %(last)s") % {"list": ", ".join(labels[:-1]), "last": labels[-1]}


def upload_check(uploaded, allowed_kinds):
    """Return (kind, safe name) of an acceptable upload, or raise ValidationError saying what is wrong."""
    name = size_check(uploaded)
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
