"""Stored files as HTTP responses. Uploaded content is never trusted: downloads are attachments that no
browser renders; previews are limited to PDFs and images, with their true type and no script."""

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from innovasi.standards.enums import EvidenceKind

INLINE_KINDS = {
    EvidenceKind.PDF: "application/pdf",
    EvidenceKind.JPG: "image/jpeg",
    EvidenceKind.PNG: "image/png",
}


def _open(stored_file):
    try:
        return stored_file.open("rb")
    except FileNotFoundError:
        raise Http404(_("Berkas tidak ditemukan di penyimpanan.")) from None


def attachment(stored_file, filename):
    """A download: attachment, nosniff, sandboxed, not cached by shared caches."""
    response = FileResponse(_open(stored_file), as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def inline(stored_file, filename, content_type):
    """A preview inside the portal's own frame: the sniffed type only, no script, no other origin."""
    response = FileResponse(_open(stored_file), filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Chromium's PDF viewer needs its own plugin frame; scripts of the document itself stay forbidden.
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'self'"
    )
    response["Cache-Control"] = "private, no-store"
    return response
