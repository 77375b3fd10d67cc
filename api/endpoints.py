"""The read-only JSON API under ``/api/v1/`` (django-ninja), its OpenAPI document and its error answers.

Each endpoint finds its object among those the caller may see, through the selectors the portal's pages
use (404 for an outsider, who cannot tell it exists), then asks the django-rules permission the matching
page asks (403 with the rule's message). A token's requests are its owner's: the rules read the owner.
Every list is paged (``PortalPagination``); every error is JSON with a ``detail`` in the portal's language.
``docs/api.md`` documents it for a developer of another agency.
"""

import csv
import io
import math
from typing import Any

from django.core.cache import cache
from django.core.exceptions import BadRequest, PermissionDenied
from django.core.paginator import EmptyPage, Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.pagination import PaginationBase, paginate

from innovasi.accounts.models import User
from innovasi.accounts.permissions import allowed, require

from . import schemas, selectors
from .auth import RateLimit, TokenAuth

api = NinjaAPI(
    title="Portal Inovasi Daerah API",
    version="1",
    # The document speaks the portal's language, like its messages; docs/api.md is its English guide.
    description=(
        "API JSON Portal Inovasi Daerah, hanya baca: siklus penilaian sebuah wilayah, potret indeks klaim "
        "dan terverifikasi terbaru dengan kontribusi setiap OPD, inovasi dengan klaim dan putusan "
        "verifikasinya (sejauh pemilik token boleh melihatnya), dan galeri publik sebagai data terbuka "
        "(JSON dan CSV, tanpa token). Kirim `Authorization: Bearer <token>`; setiap daftar berhalaman "
        '(`halaman`, `per_halaman`); angka adalah desimal tepat berupa teks ("57.32").'
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,  # the interactive page loads its script from a CDN, which the portal's CSP refuses
    auth=TokenAuth(),
    throttle=[RateLimit()],
)

# The django-rules permission each endpoint asks (None: open to everyone), by URL name: the permission
# matrix reads it from each URL's view (``view.permission``), as it does from the pages.
PERMISSIONS: dict[str, str | None] = {"openapi-json": None, "api-root": None}


def asks(permission: str | None):
    """Declare the permission an endpoint asks (its URL name is the function's name)."""

    def decorator(view):
        PERMISSIONS[view.__name__] = permission
        return view

    return decorator


def _caller(request: HttpRequest) -> User:
    return request.auth.user  # type: ignore[attr-defined]  # the token TokenAuth found


# --- Errors: JSON with a message in the portal's language ----------------------------------------------


def _answer(request, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


def _problem(error: dict) -> dict:
    """One parameter refused by the schema, in plain words."""
    name = str(error.get("loc", ["?"])[-1])
    kind, context = error.get("type", ""), error.get("ctx") or {}
    if kind in ("int_parsing", "int_type", "int_from_float"):
        message = _("Parameter «%(name)s» harus bilangan bulat.")
    elif kind == "greater_than_equal":
        message = _("Parameter «%(name)s» paling kecil %(limit)s.")
        context = {"limit": context.get("ge")}
    elif kind == "less_than_equal":
        message = _("Parameter «%(name)s» paling besar %(limit)s.")
        context = {"limit": context.get("le")}
    elif kind in ("enum", "literal_error"):
        message = _("Parameter «%(name)s» harus salah satu dari: %(expected)s.")
        # pydantic lists the values in English ("'a', 'b' or 'c'"): a plain list instead.
        context = {"expected": str(context.get("expected", "")).replace("' or '", "', '")}
    elif kind == "string_too_long":
        message = _("Parameter «%(name)s» paling panjang %(limit)s karakter.")
        context = {"limit": context.get("max_length")}
    elif kind == "missing":
        message = _("Parameter «%(name)s» wajib diisi.")
    elif kind == "value_error":
        message = _("Parameter «%(name)s» memuat karakter yang tidak diizinkan.")
    else:
        message = _("Parameter «%(name)s» tidak sah.")
    return {"parameter": name, "message": message % {"name": name, **context}}


def _bad_parameters(request: HttpRequest, error: Any) -> HttpResponse:  # a ValidationError
    problems = [_problem(item) for item in error.errors]
    return _answer(request, 400, " ".join(p["message"] for p in problems), errors=problems)


def _unauthorized(request: HttpRequest, error: Any) -> HttpResponse:  # an AuthenticationError
    response = _answer(
        request,
        401,
        _(
            "Token tidak ada, tidak dikenal atau sudah dicabut. Kirim «Authorization: Bearer <token>» "
            "dengan token dari halaman Token API akun Anda."
        ),
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def _throttled(request: HttpRequest, error: Any) -> HttpResponse:  # Throttled
    wait = max(1, math.ceil(error.wait or 1))
    response = _answer(
        request,
        429,
        _("Terlalu banyak permintaan. Coba lagi %(seconds)d detik lagi.") % {"seconds": wait},
    )
    response["Retry-After"] = str(wait)
    return response


api.add_exception_handler(ValidationError, _bad_parameters)
api.add_exception_handler(AuthenticationError, _unauthorized)
api.add_exception_handler(Throttled, _throttled)
api.add_exception_handler(HttpError, lambda request, error: _answer(request, error.status_code, str(error)))
api.add_exception_handler(
    Http404, lambda request, error: _answer(request, 404, str(error) or _("Tidak ditemukan."))
)
api.add_exception_handler(
    PermissionDenied,
    lambda request, error: _answer(request, 403, str(error) or _("Data ini bukan untuk peran Anda.")),
)
api.add_exception_handler(BadRequest, lambda request, error: _answer(request, 400, str(error)))

ERRORS: dict[int, type[Schema]] = {
    400: schemas.BadParameters,
    401: schemas.Error,
    403: schemas.Error,
    404: schemas.Error,
    429: schemas.Error,
}


# --- Paging ----------------------------------------------------------------------------------------------


def page_of(items, paging: schemas.PageQuery) -> Page:
    """Page ``paging.halaman`` of ``items`` with ``paging.per_halaman`` entries (1 count query); 404 past
    the last page (the first page of an empty list is an empty page)."""
    paginator = Paginator(items, paging.per_halaman)
    try:
        return paginator.page(paging.halaman)
    except EmptyPage:
        raise Http404(
            _("Halaman %(page)d tidak ada: daftar ini %(pages)d halaman.")
            % {"page": paging.halaman, "pages": paginator.num_pages}
        ) from None


def page_link(request: HttpRequest, number: int | None) -> str | None:
    """The address of page ``number`` of the same list, with the same filters (None: no such page)."""
    if number is None:
        return None
    query = request.GET.copy()
    query["halaman"] = str(number)
    return request.build_absolute_uri(f"{request.path}?{urlencode(sorted(query.lists()), doseq=True)}")


def page_numbers(page: Page) -> tuple[int | None, int | None]:
    return (
        page.next_page_number() if page.has_next() else None,
        page.previous_page_number() if page.has_previous() else None,
    )


class PortalPagination(PaginationBase):
    """Page numbers: ``halaman`` (from 1) and ``per_halaman`` (default 25, at most 100); the answer holds
    the page's ``results`` with ``count`` (entries in all), ``page``, ``pages``, ``page_size`` and the
    addresses of the ``next`` and ``previous`` pages (null at the ends)."""

    class Input(schemas.PageQuery):
        pass

    class Output(Schema):
        count: int
        page: int
        pages: int
        page_size: int
        next: str | None
        previous: str | None
        results: list[Any]

    items_attribute = "results"

    def paginate_queryset(self, queryset, pagination: schemas.PageQuery, request: HttpRequest, **params):
        page = page_of(queryset, pagination)
        following, previous = page_numbers(page)
        return {
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "page_size": pagination.per_halaman,
            "next": page_link(request, following),
            "previous": page_link(request, previous),
            "results": page.object_list,
        }


# --- Regions and cycles ----------------------------------------------------------------------------------


@api.get(
    "/wilayah/",
    response={200: list[schemas.RegionOut], **ERRORS},
    url_name="regions",
    summary="Wilayah yang dapat Anda baca",
    tags=["wilayah"],
)
@paginate(PortalPagination)
@asks("api.view_region")
def regions(request):
    user = _caller(request)
    require(user, "api.view_region")
    return selectors.regions_readable(user)


@api.get(
    "/wilayah/{int:pk}/siklus/",
    response={200: list[schemas.CycleOut], **ERRORS},
    url_name="region_cycles",
    summary="Siklus penilaian sebuah wilayah, tahun terbaru dahulu",
    tags=["wilayah"],
)
@paginate(PortalPagination)
@asks("api.view_region")
def region_cycles(request, pk: schemas.Id):
    user = _caller(request)
    region = selectors.region_get(user=user, pk=pk)
    require(user, "api.view_region", region)
    return selectors.cycles_of(region)


INDEX_CACHE_SECONDS = 600  # bounds only what the score state does not see: an OPD renamed


@api.get(
    "/siklus/{int:pk}/indeks/",
    response={200: schemas.IndexOut, **ERRORS},
    url_name="cycle_index",
    summary="Potret indeks terbaru (klaim dan terverifikasi) dengan kontribusi OPD",
    tags=["indeks"],
)
@asks("scoring.view_index")
def cycle_index(request, pk: schemas.Id):
    """The answer is made once per state of the cycle's scores and kept in the cache for everyone who may
    read it: reading two snapshots with their inputs and naming their OPDs costs far more than the check."""
    user = _caller(request)
    cycle = selectors.cycle_get(user=user, pk=pk, with_score_state=True)
    require(user, "scoring.view_index", cycle)
    state = selectors.cycle_score_state(cycle)
    key = selectors.cycle_index_key(cycle, state)
    content = cache.get(key)
    if content is None:
        index = schemas.IndexOut.model_validate(selectors.cycle_index(cycle, state=state))
        content = api.renderer.render(request, index.model_dump(), response_status=200)
        cache.set(key, content, INDEX_CACHE_SECONDS)
    return HttpResponse(content, content_type=api.get_content_type())


# --- Innovations -------------------------------------------------------------------------------------------


@api.get(
    "/siklus/{int:pk}/inovasi/",
    response={200: list[schemas.InnovationOut], **ERRORS},
    url_name="cycle_innovations",
    summary="Inovasi sebuah siklus yang dapat Anda lihat, urut dibuat",
    tags=["inovasi"],
)
@paginate(PortalPagination)
@asks("submissions.list_innovations")
def cycle_innovations(request, pk: schemas.Id, filters: Query[schemas.InnovationFilters]):
    user = _caller(request)
    cycle = selectors.cycle_get(user=user, pk=pk)
    require(user, "submissions.list_innovations")
    return selectors.innovations_of(
        user=user, cycle=cycle, state=filters.status or "", opd_id=filters.opd, query=filters.q
    )


@api.get(
    "/inovasi/{int:pk}/",
    response={200: schemas.InnovationDetailOut, **ERRORS},
    url_name="innovation",
    summary="Satu inovasi dengan profil, klaim setiap indikator dan putusannya",
    tags=["inovasi"],
)
@asks("submissions.view_innovation")
def innovation(request, pk: schemas.Id):
    user = _caller(request)
    found = selectors.innovation_get(user=user, pk=pk)
    require(user, "submissions.view_innovation", found)
    found.verdicts_visible = allowed(user, "scoring.view_verdicts", found)  # type: ignore[attr-defined]
    found.claim_rows = selectors.claims_with_verdicts(found, verdicts=found.verdicts_visible)  # type: ignore[attr-defined]
    return found


# --- Open data: the public gallery, without a token ---------------------------------------------------------

GALLERY_TAGS = ["data terbuka"]


@api.get(
    "/galeri/",
    response={
        200: list[schemas.GalleryOut],
        400: schemas.BadParameters,
        404: schemas.Error,
        429: schemas.Error,
    },
    auth=None,
    url_name="gallery",
    summary="Galeri inovasi (data terbuka, tanpa token)",
    tags=GALLERY_TAGS,
)
@paginate(PortalPagination)
@asks(None)
def gallery(request, filters: Query[schemas.GalleryFilters]):
    return selectors.gallery_innovations(**filters.selector_kwargs())


# The CSV's columns: every field of a gallery entry, lists joined.
CSV_COLUMNS = list(schemas.GalleryOut.model_fields)


def _cell(value) -> str:
    """A value as a CSV cell: lists joined by "; ", and text a spreadsheet would take for a formula
    (starting with =, +, -, @, a tab or a carriage return) led by an apostrophe, so it stays text."""
    if isinstance(value, list):
        value = "; ".join(str(item) for item in value)
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@api.get(
    "/galeri.csv",
    response={400: schemas.BadParameters, 404: schemas.Error, 429: schemas.Error},
    auth=None,
    url_name="gallery_csv",
    summary="Galeri inovasi sebagai CSV (data terbuka, tanpa token)",
    description=(
        "Entri dan kolom yang sama dengan `/galeri/`, satu baris per entri, UTF-8, dipisah koma, dengan baris "
        "judul; berhalaman seperti `/galeri/`: `X-Total-Count` memberi banyak entri, `Link` halaman berikut "
        "dan sebelumnya."
    ),
    tags=GALLERY_TAGS,
    openapi_extra={
        "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}}
    },
)
@asks(None)
def gallery_csv(request, filters: Query[schemas.GalleryFilters], paging: Query[schemas.PageQuery]):
    page = page_of(selectors.gallery_innovations(**filters.selector_kwargs()), paging)
    entries = [
        schemas.GalleryOut.from_orm(innovation, context={"request": request}).model_dump()
        for innovation in page.object_list
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    writer.writerows([_cell(entry[column]) for column in CSV_COLUMNS] for entry in entries)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="galeri-inovasi.csv"'
    response["X-Total-Count"] = str(page.paginator.count)
    following, previous = page_numbers(page)
    links = [
        f'<{page_link(request, number)}>; rel="{rel}"'
        for number, rel in ((following, "next"), (previous, "prev"))
        if number is not None
    ]
    if links:
        response["Link"] = ", ".join(links)
    return response


@api.get(
    "/galeri/{int:pk}/",
    response={
        200: schemas.GalleryDetailOut,
        400: schemas.BadParameters,
        404: schemas.Error,
        429: schemas.Error,
    },
    auth=None,
    url_name="gallery_innovation",
    summary="Satu inovasi galeri dengan teks profilnya (data terbuka, tanpa token)",
    tags=GALLERY_TAGS,
)
@asks(None)
def gallery_innovation(request, pk: schemas.Id):
    return selectors.gallery_innovation(pk)


# --- The URLs ------------------------------------------------------------------------------------------------


@require_safe
def index(request):
    """``/api/v1/``: where to start (no token needed)."""
    return JsonResponse(
        {
            "name": str(gettext_lazy("Portal Inovasi Daerah API")),
            "version": "1",
            "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
            "open_data": request.build_absolute_uri(reverse("api:gallery")),
        }
    )


def _declared(patterns) -> list[URLPattern]:
    """django-ninja's URL patterns, each view carrying the permission its endpoint asks; the root answers
    with ``index`` (django-ninja's own root only says 404)."""
    declared = []
    for pattern in patterns:
        if pattern.name == "api-root":
            pattern = URLPattern(pattern.pattern, index, name=pattern.name)
        elif pattern.name == "openapi-json":  # a GET like every endpoint: another method is a 405
            pattern = URLPattern(pattern.pattern, require_safe(pattern.callback), name=pattern.name)
        pattern.callback.permission = PERMISSIONS[pattern.name]
        declared.append(pattern)
    return declared


app_name = "api"
urlpatterns = _declared(api.urls[0])
