"""PDF rendering with WeasyPrint, safely: Django templates in, PDF bytes out.

The URL fetcher reads only the project's static files and media files, and data: URIs (the inline QR
codes and charts); a remote URL or any other local path is refused. User text reaches the templates
through Django's autoescaping, so an innovation named ``<b>x</b>`` prints as text.
"""

import base64
import functools
import io
from pathlib import Path
from urllib.parse import unquote, urlsplit

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

BASE_URL = "file:///"


def _allowed_roots():
    roots = [
        Path(settings.MEDIA_ROOT),
        Path(settings.STATIC_ROOT),
        *(Path(p) for p in settings.STATICFILES_DIRS),
    ]
    return [root.resolve() for root in roots]


class PortalURLFetcher(URLFetcher):
    """Fetches only files under the static and media roots, and data: URIs; refuses everything else."""

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise ValueError(f"refused: {url} is not a local static or media file")
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in _allowed_roots()) or not path.is_file():
            raise ValueError(f"refused: {path} is outside the static and media files")
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": _content_type(path)})


def _content_type(path):
    return {
        ".css": "text/css",
        ".woff2": "font/woff2",
        ".woff": "font/woff",
        ".svg": "image/svg+xml",
        ".png": "image/png",
        ".jpg": "image/jpeg",
        ".jpeg": "image/jpeg",
    }.get(path.suffix.lower(), "application/octet-stream")


def static_file_url(path):
    """The file:// URL of a static asset, for PDF templates (None when the asset does not exist)."""
    found = finders.find(path)
    return Path(found).resolve().as_uri() if found else None


def media_file_url(stored_file):
    """The file:// URL of a stored file (a region's logo), for PDF templates; None without a file or when
    the file is missing from the storage (the document is printed without it)."""
    if not stored_file:
        return None
    path = Path(settings.MEDIA_ROOT, stored_file.name).resolve()
    return path.as_uri() if path.is_file() else None


def qr_data_uri(text):
    """A QR code of ``text`` as an SVG data: URI (no file, nothing fetched)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    out = io.BytesIO()
    image.save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def svg_data_uri(svg):
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def html_render(template, context):
    """The HTML of a PDF template, always in Indonesian: these documents leave the building."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(template, {**context, "pdf_css": static_file_url("css/print.css")})


@functools.cache
def _fonts():
    """One font configuration per process: the vendored fonts are decoded once, not for every document."""
    return FontConfiguration()


def pdf_document(html):
    """A WeasyPrint document (its pages can be combined with other documents')."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=PortalURLFetcher()).render(font_config=_fonts())


def pdf_combine(documents):
    """One PDF of the pages of several rendered documents, in order."""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


def pdf_render(template, context):
    return pdf_document(html_render(template, context)).write_pdf()
