"""The read-only JSON API under ``/api/v1/`` (django-ninja), its OpenAPI document and its error answers.

Each endpoint finds its object among those the caller may see, through the selectors the portal's pages
use (404 for an outsider, who cannot tell it exists), then asks the django-rules permission the matching
page asks (403 with the rule's message). A token's requests are its owner's: the rules read the owner.
Every list is paged (``paging.PortalPagination``); every error is JSON with a ``detail`` in the portal's
language (``errors``).
``docs/api.md`` documents it for a developer of another agency.
"""

import csv
import io

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Query
from ninja.pagination import paginate

from innovasi.accounts.models import User
from innovasi.accounts.permissions import allowed, require

from . import schemas, selectors
from .auth import RateLimit, TokenAuth
from .errors import ERRORS, errors_answer
from .paging import PortalPagination, page_link, page_numbers, page_of

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
errors_answer(api)

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
