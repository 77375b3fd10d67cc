"""The view from above: the ranking of the regions below the user's region (``/peringkat/``), its exports,
and a region's dashboard read from above, read-only."""

import hashlib
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from innovasi.accounts.enums import RegionKind
from innovasi.accounts.models import Region
from innovasi.accounts.permissions import allowed, oversees, permission_required, require
from innovasi.http import choice_param, int_param, text_param
from innovasi.standards.models import Cycle
from innovasi.standards.selectors import cycle_current, cycle_stages

from . import services
from .enums import ReportKind
from .selectors import ranking as ranking_selectors
from .views import dashboard_body

RANKING_CACHE_SECONDS = 300  # bounds only what the fingerprint does not see: a region renamed
PAGE_SIZE = 50  # rows a page: the nation's 586 regions in twelve pages, most provinces' in one
DIRECTIONS = ranking_selectors.DIRECTIONS
# The table's sortable columns: (sort key, header), in the table's order.
COLUMNS = [
    ("peringkat", "#"),
    ("kode", gettext_lazy("Kode")),
    ("nama", gettext_lazy("Wilayah")),
    ("iid", gettext_lazy("IID terverifikasi")),
    ("klaim", gettext_lazy("IID klaim")),
    ("selisih", gettext_lazy("Ke kategori berikutnya")),
    ("diajukan", gettext_lazy("Diajukan")),
    ("terverifikasi", gettext_lazy("Terverifikasi")),
    ("sisa", gettext_lazy("Sisa hari")),
]


def ranking_filters(data, ranking):
    """The filters and order asked for in ``data`` (GET of the page, POST of an export), each checked
    against what the ranking offers: BadRequest with a message for anything else."""
    codes = [catalogue.code for catalogue in ranking.catalogues]
    filters = {
        "katalog": choice_param(data, "katalog", codes)
        or (ranking.catalogue.code if ranking.catalogue else ""),
        "jenis": choice_param(data, "jenis", RegionKind.values),
        "kategori": choice_param(data, "kategori", [slug for slug, _name in ranking.band_choices]),
        "provinsi": int_param(data, "provinsi"),
        "urut": choice_param(data, "urut", list(ranking_selectors.SORTS)) or ranking_selectors.DEFAULT_SORT,
        "arah": choice_param(data, "arah", list(DIRECTIONS)),
    }
    if filters["provinsi"] is not None and filters["provinsi"] not in {p.pk for p in ranking.provinces}:
        raise BadRequest(_("Provinsi itu tidak berada di bawah wilayah Anda."))
    return filters


def _query(filters, **changes):
    values = {**filters, **changes}
    return "?" + urlencode({key: value for key, value in values.items() if value not in ("", None)})


def _headers(filters):
    """(label, link, the column's sort state: "" / "ascending" / "descending") of each sortable column: a
    click sorts by it, a second click the other way."""
    headers = []
    for key, label in COLUMNS:
        active = filters["urut"] == key
        descending = DIRECTIONS.get(filters["arah"], ranking_selectors.SORTS[key])
        next_direction = ("naik" if descending else "turun") if active else ""
        state = ("descending" if descending else "ascending") if active else ""
        headers.append((str(label), _query(filters, urut=key, arah=next_direction), state))
    return headers


def _chart_data(distribution):
    return {
        "labels": [str(name) for _slug, name, _count in distribution],
        "values": [count for _slug, _name, count in distribution],
        "slugs": [slug for slug, _name, _count in distribution],
    }


def _page(region, data):
    """What the ranking page shows for the parameters ``data``: its body and the header's parts (the
    catalogue chosen, the catalogues offered, the checked filters). Computed once per state of the figures
    and per parameters, and shared by every reader of the region's ranking (nothing in it depends on who is
    looking): the cache key is the fingerprint of every cycle of the region and below it (``fingerprint``,
    1 query), the parameters as sent, the language and the date (the days left). A request whose
    parameters the ranking does not offer is refused (BadRequest) before anything is kept."""
    sent = hashlib.sha256(repr(sorted(data.lists())).encode()).hexdigest()[:24]
    fingerprint = ranking_selectors.fingerprint(region)
    key = f"ranking:{region.pk}:{fingerprint}:{sent}:{get_language()}:{timezone.localdate().isoformat()}"
    page = cache.get(key)
    if page is not None:
        return page
    outline = ranking_selectors.ranking_outline(region=region, catalogue_code=text_param(data, "katalog"))
    filters = ranking_filters(data, outline)
    number = int_param(data, "halaman")
    page = {"filters": filters, "catalogue": None, "catalogues": [], "body": ""}
    if outline.catalogue is not None:
        ranking = ranking_selectors.ranking(region=region, catalogue_code=filters["katalog"])
        rows = ranking_selectors.rows_filtered(ranking, filters)
        shown = Paginator(rows, PAGE_SIZE).get_page(number)
        distribution = ranking_selectors.band_distribution(ranking, rows)
        context = {
            "ranking": ranking,
            "rows": rows,
            "shown": shown,
            "previous": _query(filters, halaman=shown.previous_page_number()) if shown.has_previous() else "",
            "next": _query(filters, halaman=shown.next_page_number()) if shown.has_next() else "",
            "filters": filters,
            "headers": _headers(filters),
            "distribution": [
                (slug, name, count, _query(filters, kategori=slug)) for slug, name, count in distribution
            ],
            "chart_data": _chart_data(distribution),
            "national": region.kind == RegionKind.NASIONAL,
            "own_stages": cycle_stages(cycle=ranking.own.cycle)
            if ranking.own and ranking.own.cycle
            else None,
            # One reverse for every row's link: the rows add their region's id.
            "region_link": reverse("reports:region_dashboard", args=[0]).removesuffix("0/"),
        }
        page.update(
            catalogue=(ranking.catalogue.code, ranking.catalogue.name),
            catalogues=[(catalogue.code, catalogue.name) for catalogue in ranking.catalogues],
            body=render_to_string("reports/includes/_ranking_body.html", context),
        )
    cache.set(key, page, RANKING_CACHE_SECONDS)
    return page


@require_safe
@permission_required("reports.view_ranking")
def ranking(request):
    """The regions below the user's region, ranked by their newest verified snapshots, with the region's own
    IID beside them: filterable by kind, band and (nationally) province, sortable by every figure, a page of
    ``PAGE_SIZE`` rows at a time."""
    page = _page(request.user.region, request.GET)
    return render(
        request, "reports/ranking.html", {"region": request.user.region, **page, "report_kinds": ReportKind}
    )


def ranking_report_request(request, kind):
    """An export of the ranking as the page shows it (its filters and order, from the POST), rendered by a
    worker like every document."""
    require(request.user, "reports.view_ranking")
    region = request.user.region
    outline = ranking_selectors.ranking_outline(
        region=region, catalogue_code=text_param(request.POST, "katalog")
    )
    filters = ranking_filters(request.POST, outline)
    if outline.catalogue is None:
        raise Http404(_("Belum ada siklus penilaian di bawah wilayah Anda."))
    return services.report_request(
        kind=kind,
        user=request.user,
        title=_("Peringkat wilayah di bawah %(region)s — %(catalogue)s")
        % {"region": region.name, "catalogue": outline.catalogue.name},
        region_id=region.pk,
        filters=filters,
    )


def _readable_region(request, pk):
    """The region ``pk`` if it is the user's own or lies below it; 404 otherwise (another province, a
    neighbour: the user cannot tell it exists)."""
    region = Region.objects.select_related("parent").filter(pk=pk).first()
    user = request.user
    if region is None or (region.pk != user.region_id and not oversees(user, region)):
        raise Http404(_("Wilayah tidak ditemukan."))
    return region


@require_safe
@permission_required("reports.view_region_dashboard", of=_readable_region)
def region_dashboard(request, region):
    """A region's dashboard read from a region above: the same figures its own Bupati sees, read-only (no
    link into its pages, no document to ask for), under a banner that says whose region it is. The user's
    own region is their own dashboard."""
    if region.pk == request.user.region_id:
        return redirect("reports:dashboard")
    code = text_param(request.GET, "katalog")
    cycle = None
    if code:
        cycle = (
            Cycle.objects.select_related("catalogue", "region")
            .filter(region=region, catalogue__code=code)
            .first()
        )
    cycle = cycle or cycle_current(region_id=region.pk)
    context = {"region": region, "foreign": True, "ranking": allowed(request.user, "reports.view_ranking")}
    if cycle is None:
        return render(request, "reports/dashboard_empty.html", context)
    return render(
        request,
        "reports/dashboard.html",
        {
            **context,
            "cycle": cycle,
            "stages": cycle_stages(cycle=cycle),
            "body": dashboard_body(cycle, foreign=True),
        },
    )
