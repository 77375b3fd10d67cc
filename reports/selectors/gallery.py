"""The public gallery: published (and therefore verified) innovations, never their evidence."""

from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404

from innovasi.accounts.models import Opd
from innovasi.standards.models import Urusan
from submissions.enums import Bentuk, InnovationState, Jenis
from submissions.models import Innovation

PAGE_SIZE = 24


def _published():
    return Innovation.objects.filter(is_published=True, state=InnovationState.TERVERIFIKASI).select_related(
        "opd__region", "urusan_utama", "cycle__catalogue"
    )


def gallery_innovations(*, query="", urusan="", opd_id=None, jenis="", bentuk="", year=None):
    """The published innovations matching the filters, newest year first, then by name (a queryset): what
    the gallery pages and the API's open data list alike. ``opd_id`` and ``year`` are whole numbers already
    checked (innovasi.http.int_param), or None for any."""
    innovations = _published()
    if query:
        innovations = innovations.filter(
            Q(name__icontains=query) | Q(opd__name__icontains=query) | Q(opd__short_name__icontains=query)
        )
    if urusan:
        innovations = innovations.filter(urusan_utama__code=urusan)
    if opd_id is not None:
        innovations = innovations.filter(opd_id=opd_id)
    if jenis in Jenis.values:
        innovations = innovations.filter(jenis=jenis)
    if bentuk in Bentuk.values:
        innovations = innovations.filter(bentuk=bentuk)
    if year is not None:
        innovations = innovations.filter(cycle__catalogue__year=year)
    # The id last: two innovations of one year and name keep their order from page to page.
    return innovations.order_by("-cycle__catalogue__year", "name", "pk")


def gallery_page(*, query="", urusan="", opd_id=None, jenis="", bentuk="", year=None, page=1):
    """One page of ``gallery_innovations`` (2 queries)."""
    innovations = gallery_innovations(
        query=query, urusan=urusan, opd_id=opd_id, jenis=jenis, bentuk=bentuk, year=year
    )
    return Paginator(innovations, PAGE_SIZE).get_page(page)


def gallery_filters():
    """The choices of the gallery's filters, from what is published (3 queries)."""
    published = _published()
    return {
        "urusan": Urusan.objects.filter(code__in=published.values("urusan_utama__code")).order_by("position"),
        "opds": Opd.objects.filter(pk__in=published.values("opd_id")).order_by("name"),
        "years": sorted(set(published.values_list("cycle__catalogue__year", flat=True)), reverse=True),
        "jenis": Jenis.choices,
        "bentuk": Bentuk.choices,
    }


def gallery_innovation(pk):
    try:
        return _published().prefetch_related("urusan_lain").get(pk=pk)
    except Innovation.DoesNotExist:
        raise Http404 from None


def published_fingerprint():
    """What the gallery shows, in a few characters (1 query, on the ``innovation_published`` index): how
    many innovations are published and the newest moment one was published, saved or scored.

    Publishing sets ``published_at`` (and ``updated_at``) to now and unpublishing lowers the count, so
    either changes the fingerprint at once; so does any save of a published innovation (the services
    move ``updated_at``) or a new kematangan (``scored_at``). Published implies verified
    (innovation_published_only_verified), so ``is_published`` alone selects them.
    """
    found = Innovation.objects.filter(is_published=True).aggregate(
        count=Count("pk"), published=Max("published_at"), updated=Max("updated_at"), scored=Max("scored_at")
    )
    moments = (found[name].isoformat() if found[name] else "-" for name in ("published", "updated", "scored"))
    return ":".join([str(found["count"]), *moments])
