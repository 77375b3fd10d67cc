"""The view from above: the regions below a region ranked by their newest snapshots, and a regency's rank
among its neighbours. A fixed number of queries whatever the number of regions (the figures through
``scoring.selectors.index.newest_figures``); filtering and sorting happen here on the few hundred rows.

A region is ranked among the regions of its own kind (provinsi, kabupaten, kota), as the national index
ranks them: by its verified IID, highest first, ties sharing a rank. A region without a cycle on the
catalogue, or whose cycle has no verified snapshot yet, is listed but not ranked.

What a regency sees of its neighbours is the **published** figure: the IID and category of the newest
verified snapshot of each neighbour's cycle on the same catalogue (the verified index is the one the
portal shows as the region's; the claimed one is the OPDs' own and stays with the region).
"""

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, Max, Q, Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from innovasi.accounts.enums import RegionKind
from innovasi.accounts.models import Region, below
from innovasi.standards.enums import CycleState
from innovasi.standards.models import Catalogue, Cycle
from innovasi.standards.selectors import cycle_current, stage_end
from scoring.enums import SnapshotKind
from scoring.selectors import index as index_selectors
from scoring.selectors import inputs
from scoring.selectors.index import Figures
from submissions.enums import InnovationState
from submissions.models import Innovation

UNRATED = "belum"  # the band filter's value for regions without a verified snapshot
# Sort keys of the table (the ``urut`` parameter) and whether each reads highest first by default.
SORTS = {
    "peringkat": False,
    "iid": True,
    "klaim": True,
    "selisih": False,
    "nama": False,
    "kode": False,
    "diajukan": True,
    "terverifikasi": True,
    "sisa": False,
}
DEFAULT_SORT = "iid"
DIRECTIONS = {"naik": False, "turun": True}  # the ``arah`` parameter: ascending, descending
FUNNEL_CLASSES = {
    InnovationState.DRAFT: "bg-secondary",
    InnovationState.MENUNGGU_PENGESAHAN: "bg-primary",
    InnovationState.DIAJUKAN: "bg-info",
    InnovationState.REVISI: "bg-warning",
    InnovationState.TERVERIFIKASI: "bg-success",
}


@dataclass(frozen=True)
class FunnelPart:
    state: str
    label: str
    count: int
    percent: Decimal  # of the region's innovations in the cycle, one decimal
    css: str


@dataclass
class RankingRow:
    """One region of the ranking: its cycle on the catalogue (None without one) and its figures."""

    region: Region
    cycle: Cycle | None
    verified: Figures | None
    claimed: Figures | None
    counts: dict[str, int]
    next_band: tuple[str, Decimal] | None
    days_left: int | None
    stage: str
    rank: int | None = None
    rank_of: int = 0  # how many regions of its kind are ranked

    @property
    def band_slug(self) -> str:
        return slugify(self.verified.category) if self.verified else UNRATED

    @property
    def province(self) -> Region | None:
        """The province the region lies in (itself for a province), for the national level's filter."""
        if self.region.kind == RegionKind.PROVINSI:
            return self.region
        parent = self.region.parent
        return parent if parent is not None and parent.kind == RegionKind.PROVINSI else None

    @cached_property
    def n_total(self) -> int:
        return sum(self.counts.values())

    @property
    def n_filed(self) -> int:
        """Submitted by the OPD at least once: every state but draft (one with its head counts too, as in
        the claimed index)."""
        return self.n_total - self.counts.get(InnovationState.DRAFT, 0)

    @property
    def n_verified(self) -> int:
        return self.counts.get(InnovationState.TERVERIFIKASI, 0)

    @cached_property
    def funnel(self) -> list[FunnelPart]:
        total = self.n_total
        return [
            FunnelPart(
                state=state.value,
                label=str(state.label),
                count=self.counts.get(state, 0),
                percent=(Decimal(100 * self.counts.get(state, 0)) / total).quantize(Decimal("0.1"))
                if total
                else Decimal(0),
                css=FUNNEL_CLASSES[state],
            )
            for state in InnovationState
        ]


@dataclass
class Ranking:
    """Everything the ranking page shows of the regions below ``region`` on ``catalogue``: its outline
    (what the filters offer) and, but in an outline (``ranking_outline``), the rows and the region's own."""

    region: Region
    catalogue: Catalogue | None
    catalogues: list[Catalogue]
    provinces: list[Region]  # the provinces below (the national level filters by them)
    bands: list[tuple[str, Decimal]] = field(default_factory=list)
    own: RankingRow | None = None
    rows: list[RankingRow] | None = None

    @property
    def kinds(self) -> list[tuple[str, str]]:
        present = {row.region.kind for row in self.rows or ()}
        return [(kind.value, str(kind.label)) for kind in RegionKind if kind in present]

    @property
    def band_choices(self) -> list[tuple[str, str]]:
        return [(slugify(name), name) for name, _minimum in self.bands] + [(UNRATED, _("Belum dinilai"))]


def _region_and_below(region: Region):
    return Region.objects.filter(Q(pk=region.pk) | below(region.pk))


def catalogues_below(region: Region) -> list[Catalogue]:
    """The catalogues on which the region or a region below it has a cycle, newest year first (1 query;
    the catalogues found by id, not by DISTINCT over their rules)."""
    used = Cycle.objects.filter(region__in=_region_and_below(region)).values("catalogue_id")
    return list(Catalogue.objects.filter(pk__in=used).order_by("-year", "code"))


def catalogue_chosen(region: Region, catalogues: list[Catalogue], code: str = "") -> Catalogue | None:
    """The catalogue ``code`` among ``catalogues``; without a code, that of the region's own current cycle
    when it is one of them, else the newest (no query but the region's cycles)."""
    if code:
        return next((catalogue for catalogue in catalogues if catalogue.code == code), None)
    current = cycle_current(region_id=region.pk)
    if current is not None and any(catalogue.pk == current.catalogue_id for catalogue in catalogues):
        return next(catalogue for catalogue in catalogues if catalogue.pk == current.catalogue_id)
    return catalogues[0] if catalogues else None


def fingerprint(region: Region) -> str:
    """What the ranking of the regions below ``region`` depends on, in short (1 query): the region and those
    below it (how many, where they lie) and each one's cycles on any catalogue, with their versions and
    recompute moments. Every change that moves a figure moves one of them (a change of an innovation, a
    verdict or an SPD row is counted in its cycle's ``CycleScoreState``, a recompute stamps it, a change of
    a cycle's dates or stage raises its version, a region placed elsewhere changes the parents); the days
    left move with the date, which the caller's cache key carries."""
    figures = _region_and_below(region).aggregate(
        n_regions=Count("pk", distinct=True),
        ids=Sum("pk"),
        parents=Sum("parent_id"),
        n_cycles=Count("cycles", distinct=True),
        cycle_ids=Sum("cycles__id"),
        versions=Sum("cycles__version"),
        changes=Sum("cycles__score_state__changes"),
        changed=Max("cycles__score_state__changed_at"),
        computed=Max("cycles__score_state__computed_at"),
    )
    return hashlib.sha256(repr(sorted(figures.items())).encode()).hexdigest()[:32]


def _rows(regions: Iterable[Region], catalogue: Catalogue, today: datetime.date) -> list[RankingRow]:
    """A row per region with its cycle on ``catalogue``, the cycle's newest figures and its innovations per
    state (4 queries, and 2 the first time a process meets the catalogue's revision)."""
    regions = list(regions)
    cycles_qs = Cycle.objects.filter(region__in=[region.pk for region in regions], catalogue=catalogue)
    cycles = {cycle.region_id: cycle for cycle in cycles_qs.select_related("catalogue")}
    figures = index_selectors.newest_figures(cycles_qs)
    counts: dict[int, dict[str, int]] = {}
    for cycle_id, state, n in (
        Innovation.objects.filter(cycle__in=[cycle.pk for cycle in cycles.values()])
        .order_by()
        .values_list("cycle_id", "state")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(cycle_id, {})[state] = n
    bands = _bands(catalogue)
    labels = {state.value: str(state.label) for state in CycleState}
    rows = []
    for region in regions:
        cycle = cycles.get(region.pk)
        kinds = figures.get(cycle.pk, {}) if cycle else {}
        verified, claimed = kinds.get(SnapshotKind.VERIFIED), kinds.get(SnapshotKind.CLAIMED)
        _ends_on, days_left = stage_end(cycle=cycle, today=today) if cycle else (None, None)
        rows.append(
            RankingRow(
                region=region,
                cycle=cycle,
                verified=verified,
                claimed=claimed,
                counts=counts.get(cycle.pk, {}) if cycle else {},
                next_band=index_selectors.next_band(bands, verified.iid) if verified else None,
                days_left=days_left,
                stage=labels[cycle.state] if cycle else "",
            )
        )
    return rows


def _rank(rows: list[RankingRow]) -> None:
    """Rank the rows with a verified IID among those of their kind: highest first, ties sharing a rank."""
    for kind in RegionKind:
        rated = sorted(
            (row for row in rows if row.region.kind == kind and row.verified is not None),
            key=lambda row: -row.verified.iid,  # type: ignore[union-attr]  # rated rows have one
        )
        previous: Decimal | None = None
        rank = 0
        for position, row in enumerate(rated, start=1):
            assert row.verified is not None
            if row.verified.iid != previous:
                rank, previous = position, row.verified.iid
            row.rank, row.rank_of = rank, len(rated)


def _bands(catalogue: Catalogue | None) -> list[tuple[str, Decimal]]:
    if catalogue is None:
        return []
    return [(band.name, band.min) for band in inputs.catalogue_rules(catalogue).bands]


def ranking_outline(*, region: Region, catalogue_code: str = "") -> Ranking:
    """What the ranking of the regions below ``region`` offers, without its figures: the catalogues, the
    one chosen (``catalogue_chosen``), the provinces below and the catalogue's bands (3 queries): enough to
    check a request's filters and find the rendered page in the cache."""
    catalogues = catalogues_below(region)
    catalogue = catalogue_chosen(region, catalogues, catalogue_code)
    provinces = list(Region.objects.filter(below(region.pk), kind=RegionKind.PROVINSI).order_by("name"))
    return Ranking(
        region=region,
        catalogue=catalogue,
        catalogues=catalogues,
        provinces=provinces,
        bands=_bands(catalogue),
    )


def ranking(*, region: Region, catalogue_code: str = "", today: datetime.date | None = None) -> Ranking:
    """The regions below ``region`` with their figures on the chosen catalogue (``catalogue_chosen``), ranked
    (``_rank``), and the region's own figures beside them: 7 queries whatever the number of regions."""
    today = today or timezone.localdate()
    catalogues = catalogues_below(region)
    catalogue = catalogue_chosen(region, catalogues, catalogue_code)
    regions = list(Region.objects.filter(below(region.pk)).select_related("parent").order_by("code"))
    provinces = sorted(
        (item for item in regions if item.kind == RegionKind.PROVINSI), key=lambda item: item.name
    )
    result = Ranking(
        region=region,
        catalogue=catalogue,
        catalogues=catalogues,
        provinces=provinces,
        bands=_bands(catalogue),
    )
    if catalogue is None:
        result.rows = []
        return result
    rows = _rows([region, *regions], catalogue, today)
    result.own, result.rows = rows[0], rows[1:]
    _rank(result.rows)
    return result


def _sort_key(name: str):
    def key(row: RankingRow):
        missing = row.verified is None
        if name == "peringkat":
            return (row.rank is None, row.region.kind, row.rank or 0, row.region.name)
        if name == "iid":
            return (missing, row.verified.iid if row.verified else 0, row.region.name)
        if name == "klaim":
            return (row.claimed is None, row.claimed.iid if row.claimed else 0, row.region.name)
        if name == "selisih":
            return (row.next_band is None, row.next_band[1] if row.next_band else 0, row.region.name)
        if name == "nama":
            return (row.region.name,)
        if name == "kode":
            return (row.region.code,)
        if name == "diajukan":
            return (row.n_filed, row.region.name)
        if name == "terverifikasi":
            return (row.n_verified, row.region.name)
        return (row.days_left is None, row.days_left or 0, row.region.name)

    return key


def rows_chosen(
    ranking: Ranking,
    *,
    kind: str = "",
    band: str = "",
    province: int | None = None,
    sort: str = DEFAULT_SORT,
    descending: bool | None = None,
) -> list[RankingRow]:
    """The ranking's rows of ``kind``, in the band ``band`` (a slug of ``band_choices``), in ``province``
    (its own row and those of the regions in it), sorted by ``sort`` (a key of ``SORTS``): highest first
    for the figures unless ``descending`` says otherwise. Regions without the figure sorted on come last."""
    rows = ranking.rows or []
    if kind:
        rows = [row for row in rows if row.region.kind == kind]
    if band:
        rows = [row for row in rows if row.band_slug == band]
    if province is not None:
        rows = [row for row in rows if row.province is not None and row.province.pk == province]
    sort = sort if sort in SORTS else DEFAULT_SORT
    descending = SORTS[sort] if descending is None else descending
    key = _sort_key(sort)
    present = [row for row in rows if not _lacks(row, sort)]
    lacking = [row for row in rows if _lacks(row, sort)]
    return sorted(present, key=key, reverse=descending) + sorted(lacking, key=_sort_key("nama"))


def rows_filtered(ranking: Ranking, filters: dict) -> list[RankingRow]:
    """``rows_chosen`` with the page's parameters (``reports.ranking_views.ranking_filters``): the same
    rows on the page and in its exports."""
    return rows_chosen(
        ranking,
        kind=filters.get("jenis", ""),
        band=filters.get("kategori", ""),
        province=filters.get("provinsi"),
        sort=filters.get("urut") or DEFAULT_SORT,
        descending=DIRECTIONS.get(filters.get("arah", "")),
    )


def filters_described(ranking: Ranking, filters: dict) -> str:
    """The filters in words, for the exports: "Jenis: Kabupaten · Kategori: Inovatif" ('' for none)."""
    parts = []
    if filters.get("jenis"):
        parts.append(_("Jenis: %(kind)s") % {"kind": RegionKind(filters["jenis"]).label})
    if filters.get("kategori"):
        band = dict(ranking.band_choices).get(filters["kategori"], filters["kategori"])
        parts.append(_("Kategori: %(band)s") % {"band": band})
    if filters.get("provinsi") is not None:
        province = next((item.name for item in ranking.provinces if item.pk == filters["provinsi"]), "")
        parts.append(_("Provinsi: %(province)s") % {"province": province})
    return " · ".join(parts)


def _lacks(row: RankingRow, sort: str) -> bool:
    """The row has no value for the figure sorted on (it goes last, whatever the direction)."""
    return {
        "peringkat": row.rank is None,
        "iid": row.verified is None,
        "klaim": row.claimed is None,
        "selisih": row.next_band is None,
        "sisa": row.days_left is None,
    }.get(sort, False)


def band_distribution(ranking: Ranking, rows: list[RankingRow]) -> list[tuple[str, str, int]]:
    """(slug, band, how many of ``rows`` are in it) for each band of the catalogue, highest first, and the
    regions not rated yet."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.band_slug] = counts.get(row.band_slug, 0) + 1
    return [(slug, name, counts.get(slug, 0)) for slug, name in ranking.band_choices]


@dataclass(frozen=True)
class Neighbour:
    """A region of the same kind in the same province, with its published figure only."""

    name: str
    iid: Decimal | None
    category: str
    rank: int | None
    is_self: bool


def neighbours(*, region: Region, catalogue: Catalogue) -> list[Neighbour]:
    """The regions of ``region``'s kind in its province (``region`` among them), each with the IID and
    category of its newest verified snapshot on ``catalogue`` and its rank by them, best first: nothing else
    of another region (4 queries). Empty for a region placed in no province."""
    if region.parent_id is None or region.kind not in (RegionKind.KABUPATEN, RegionKind.KOTA):
        return []
    siblings = dict(
        Region.objects.filter(parent_id=region.parent_id, kind=region.kind).values_list("pk", "name")
    )
    cycles = Cycle.objects.filter(region_id__in=list(siblings), catalogue=catalogue)
    figures = index_selectors.newest_figures(cycles)
    verified = {
        region_id: figures[cycle_id][SnapshotKind.VERIFIED]
        for cycle_id, region_id in cycles.values_list("pk", "region_id")
    }
    rated = sorted(
        ((figure.iid, siblings[pk], pk) for pk, figure in verified.items() if figure is not None),
        key=lambda item: (-item[0], item[1]),
    )
    ranks: dict[int, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (iid, _name, pk) in enumerate(rated, start=1):
        if iid != previous:
            rank, previous = position, iid
        ranks[pk] = rank
    listed = [
        Neighbour(
            name=name,
            iid=figure.iid if (figure := verified.get(pk)) else None,
            category=figure.category if figure else "",
            rank=ranks.get(pk),
            is_self=pk == region.pk,
        )
        for pk, name in siblings.items()
    ]
    return sorted(listed, key=lambda item: (item.rank is None, item.rank or 0, item.name))
