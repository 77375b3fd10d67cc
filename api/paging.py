"""Paging of the API's lists: by page number (``halaman`` from 1, ``per_halaman`` up to 100), with the
count, the number of pages and the addresses of the next and previous pages."""

from typing import Any

from django.core.paginator import EmptyPage, Page, Paginator
from django.http import Http404, HttpRequest
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.pagination import PaginationBase

from . import schemas


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
