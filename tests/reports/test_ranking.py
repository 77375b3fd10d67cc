"""The view from above: the ranking at /peringkat/ equals the regions' newest snapshots, in constant
queries; a province reads its regencies' dashboards read-only and nothing of another province; a regency
sees of its neighbours only the published figures; the exports list what the page shows."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from innovasi.accounts.enums import RegionKind, Role
from innovasi.accounts.models import Region
from reports.enums import ReportKind, ReportState
from reports.models import GeneratedReport
from reports.selectors import ranking as ranking_selectors
from scoring.enums import SnapshotKind
from scoring.models import IndexSnapshot
from scoring.selectors import index as index_selectors

from ..factories import RegionFactory, UserFactory
from .conftest import regency_scored

pytestmark = pytest.mark.django_db


@pytest.fixture
def jatim(verified_cycle):
    """Indonesia ⊃ {Jawa Uji ⊃ {Kabupaten Uji (the verified cycle), Kota Lain, Kabupaten Tiga (no index
    yet)}, Provinsi Lain ⊃ {Kabupaten Seberang}}, with the admin and pimpinan of each level."""
    nation = RegionFactory(name="Indonesia", kind=RegionKind.NASIONAL, code="ID")
    province = RegionFactory(name="Provinsi Jawa Uji", kind=RegionKind.PROVINSI, code="35", parent=nation)
    other_province = RegionFactory(name="Provinsi Lain", kind=RegionKind.PROVINSI, code="36", parent=nation)
    regency = verified_cycle.region
    Region.objects.filter(pk=regency.pk).update(parent=province)
    city = regency_scored(province, "35.98", "Kota Lain", kind=RegionKind.KOTA, spd_level=2)
    third = regency_scored(province, "35.97", "Kabupaten Tiga")
    across = regency_scored(other_province, "36.01", "Kabupaten Seberang", spd_level=3)
    users = {
        name: UserFactory(username=name, region=region, role=role, opd=None)
        for name, region, role in [
            ("admin.jatim", province, Role.ADMIN),
            ("gubernur", province, Role.PIMPINAN),
            ("admin.lain", other_province, Role.ADMIN),
            ("admin.nasional", nation, Role.ADMIN),
            ("menteri", nation, Role.PIMPINAN),
            ("admin.seberang", across, Role.ADMIN),
        ]
    }
    return {
        "nation": nation,
        "province": province,
        "other_province": other_province,
        "regency": Region.objects.get(pk=regency.pk),
        "city": city,
        "third": third,
        "across": across,
        "users": users,
    }


def _page(client, user, url=None, **params):
    client.force_login(user)
    return client.get(url or reverse("reports:ranking"), params)


def test_the_ranking_equals_the_regions_newest_snapshots(client, jatim):
    # An older snapshot of the regency stays in its history: the ranking reads the newest only.
    older = index_selectors.snapshots_newest(cycle=jatim["city"].cycles.get())[SnapshotKind.VERIFIED]
    IndexSnapshot.objects.create(
        **{
            f.name: getattr(older, f.name)
            for f in IndexSnapshot._meta.concrete_fields
            if f.name not in ("id",)
        }
        | {"computed_at": older.computed_at - datetime.timedelta(days=3), "iid": Decimal("99.99")}
    )

    response = _page(client, jatim["users"]["admin.jatim"])

    ranking = ranking_selectors.ranking(region=jatim["province"])
    shown = {row.region.code: row for row in ranking.rows}
    assert sorted(shown) == ["35.97", "35.98", "35.99"]
    for code, row in shown.items():
        cycle = Region.objects.get(code=code).cycles.get()
        newest = index_selectors.snapshots_newest(cycle=cycle)
        for kind, figures in ((SnapshotKind.VERIFIED, row.verified), (SnapshotKind.CLAIMED, row.claimed)):
            snapshot = newest[kind]
            assert (figures and (figures.iid, figures.category)) == (
                snapshot and (snapshot.iid, snapshot.category)
            )
    assert shown["35.97"].verified is None
    assert shown["35.97"].rank is None
    page = response.content.decode()
    assert response.status_code == 200
    for row in shown.values():
        if row.verified:
            assert f"{row.verified.iid:.2f}".replace(".", ",") in page
    assert "99,99" not in page


def test_the_national_ranking_lists_every_region_and_filters_by_province(client, jatim):
    user = jatim["users"]["menteri"]

    everything = _page(client, user)
    ranking = ranking_selectors.ranking(region=jatim["nation"])
    in_other = _page(client, user, provinsi=jatim["other_province"].pk)

    codes = lambda response: [  # noqa: E731
        line.split('data-code="')[1].split('"')[0]
        for line in response.content.decode().splitlines()
        if 'data-testid="ranking-row"' in line
    ]
    assert sorted(codes(everything)) == ["35", "35.97", "35.98", "35.99", "36", "36.01"]
    assert sorted(codes(in_other)) == ["36", "36.01"]
    # Ranked among their kind: the two provinces have no index, the two kabupaten with one are 1 and 2.
    ranks = {row.region.code: (row.rank, row.rank_of) for row in ranking.rows}
    assert ranks["35.98"] == (1, 1)
    assert {ranks["35.99"], ranks["36.01"]} == {(1, 2), (2, 2)}


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({"jenis": "kota"}, ["35.98"]),
        ({"kategori": "belum"}, ["35.97"]),
        ({"urut": "nama", "arah": "naik"}, ["35.97", "35.99", "35.98"]),
        ({"urut": "kode", "arah": "turun"}, ["35.99", "35.98", "35.97"]),
    ],
)
def test_the_ranking_filters_and_sorts(client, jatim, params, codes):
    response = _page(client, jatim["users"]["gubernur"], **params)
    shown = [
        line.split('data-code="')[1].split('"')[0]
        for line in response.content.decode().splitlines()
        if 'data-testid="ranking-row"' in line
    ]

    assert shown == codes


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"jenis": "desa"}, "Parameter «jenis» tidak dikenal: «desa»."),
        ({"urut": "gaji"}, "Parameter «urut» tidak dikenal: «gaji»."),
        ({"provinsi": "36"}, "Provinsi itu tidak berada di bawah wilayah Anda."),
    ],
)
def test_the_ranking_refuses_a_filter_it_does_not_offer(client, jatim, params, message):
    if "provinsi" in params:
        params = {"provinsi": str(jatim["other_province"].pk)}

    response = _page(client, jatim["users"]["admin.jatim"], **params)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_province_sees_nothing_of_another_province(client, jatim):
    admin = jatim["users"]["admin.jatim"]

    page = _page(client, admin).content.decode()
    drill_across = _page(client, admin, reverse("reports:region_dashboard", args=[jatim["across"].pk]))
    drill_province = _page(
        client, admin, reverse("reports:region_dashboard", args=[jatim["other_province"].pk])
    )
    drill_nation = _page(client, admin, reverse("reports:region_dashboard", args=[jatim["nation"].pk]))

    assert "Kabupaten Seberang" not in page
    assert "Provinsi Lain" not in page
    assert (drill_across.status_code, drill_province.status_code, drill_nation.status_code) == (404, 404, 404)


def test_a_regency_is_read_from_above_read_only(client, jatim):
    regency = jatim["regency"]

    response = _page(
        client, jatim["users"]["gubernur"], reverse("reports:region_dashboard", args=[regency.pk])
    )

    page = response.content.decode().split("<main")[1].split("</main>")[0]
    assert response.status_code == 200
    assert 'data-testid="foreign-banner"' in page
    assert "Anda membaca dasbor <strong>Kabupaten Uji</strong>, wilayah di bawah Provinsi Jawa Uji." in page
    verified = index_selectors.snapshots_newest(cycle=regency.cycles.get())[SnapshotKind.VERIFIED]
    assert f'data-testid="dashboard-iid-verified">{verified.iid:.2f}</div>'.replace(".", ",") in page
    # No write action and no link into the regency's own pages, which are not the province's.
    for url in (
        reverse("reports:request"),
        reverse("submissions:list"),
        reverse("scoring:index"),
        "/dasbor/opd/",
        "/inovasi/",
    ):
        assert f'href="{url}' not in page
        assert f'action="{url}' not in page
    assert 'method="post"' not in page


def test_a_regency_sees_its_rank_among_its_neighbours_and_their_published_figures_only(
    client, jatim, pimpinan
):
    client.force_login(pimpinan)  # the Bupati of Kabupaten Uji
    pimpinan.refresh_from_db()

    page = client.get(reverse("reports:dashboard")).content.decode()
    neighbours = ranking_selectors.neighbours(
        region=jatim["regency"], catalogue=jatim["regency"].cycles.get().catalogue
    )
    ranking_page = client.get(reverse("reports:ranking"))
    drill = client.get(reverse("reports:region_dashboard", args=[jatim["third"].pk]))

    # Kabupaten: Uji (its verified cycle) and Tiga (no index yet); Kota Lain is a city, ranked with cities.
    assert [(n.name, n.rank, n.is_self) for n in neighbours] == [
        ("Kabupaten Uji", 1, True),
        ("Kabupaten Tiga", None, False),
    ]
    section = page.split('data-testid="neighbours"')[1].split("</section>")[0]
    assert "Wilayah Anda di peringkat <strong>1</strong> dari 2 kabupaten." in section
    assert "Kabupaten Tiga" in section
    assert "Kota Lain" not in section
    assert "Kabupaten Seberang" not in section
    # Nothing but the IID and the category: no claimed index, no count of innovations, no link.
    assert "klaim" not in section.lower()
    assert "href" not in section
    assert (ranking_page.status_code, drill.status_code) == (403, 404)


def test_ranking_queries_do_not_grow_with_the_regions(client, django_assert_num_queries, db):
    counts = []
    for size in (1, 3):
        nation = RegionFactory(name=f"Negeri {size}", kind=RegionKind.NASIONAL, code=f"N{size}")
        province = RegionFactory(
            name=f"Provinsi {size}", kind=RegionKind.PROVINSI, code=f"{40 + size}", parent=nation
        )
        for number in range(size):
            regency_scored(
                province,
                f"{40 + size}.{number + 1:02d}",
                f"Kabupaten {size}-{number}",
                spd_level=1 + number % 3,
            )
        admin = UserFactory(username=f"admin.{size}", region=province, role=Role.ADMIN, opd=None)
        client.force_login(admin)
        client.get(reverse("reports:ranking"))  # the catalogue's rules, read once per process
        cache.clear()
        with CaptureQueriesContext(connection) as computed:
            response = client.get(reverse("reports:ranking"))
        with CaptureQueriesContext(connection) as cached:
            client.get(reverse("reports:ranking"))
        assert response.content.decode().count('data-testid="ranking-row"') == size
        counts.append((len(computed), len(cached)))

    assert counts[0] == counts[1]


def test_the_ranking_exports_list_what_the_page_shows(client, jatim, django_capture_on_commit_callbacks):
    client.force_login(jatim["users"]["admin.jatim"])
    jatim["province"].letterhead_government = "PEMERINTAH PROVINSI JAWA UJI"
    jatim["province"].save(update_fields=["letterhead_government"])

    with django_capture_on_commit_callbacks(execute=True):
        for kind in (ReportKind.RANKING_XLSX, ReportKind.RANKING_PDF):
            client.post(
                reverse("reports:request"),
                {"kind": kind, "katalog": "iid-2026", "urut": "kode", "arah": "naik"},
            )

    xlsx, pdf = GeneratedReport.objects.order_by("created_at")
    assert (xlsx.state, pdf.state) == (ReportState.DONE, ReportState.DONE), (xlsx.error, pdf.error)
    sheet = load_workbook(io.BytesIO(xlsx.file.read()))["Peringkat wilayah"]
    codes = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert codes == ["35.97", "35.98", "35.99"]
    uji = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if row[1] == "35.99")
    verified = index_selectors.snapshots_newest(cycle=jatim["regency"].cycles.get())[SnapshotKind.VERIFIED]
    assert (uji[0], Decimal(str(uji[5])).quantize(Decimal("0.01")), uji[6]) == (
        1,
        verified.iid,
        verified.category,
    )
    reader = PdfReader(io.BytesIO(pdf.file.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert pdf.file.name.endswith(".pdf")
    assert "PEMERINTAH PROVINSI JAWA UJI" in text
    assert "Peringkat Wilayah di Bawah Provinsi Jawa Uji" in text
    assert text.index("Kabupaten Tiga") < text.index("Kota Lain") < text.index("Kabupaten Uji")
    assert "Kabupaten Seberang" not in text


def test_a_regency_cannot_export_a_ranking(client, jatim, admin_user):
    client.force_login(admin_user)

    response = client.post(reverse("reports:request"), {"kind": ReportKind.RANKING_PDF})

    assert response.status_code == 403
    assert not GeneratedReport.objects.exists()


def test_days_left_follow_the_cycle(jatim):
    ranking = ranking_selectors.ranking(region=jatim["province"], today=timezone.localdate())
    row = next(row for row in ranking.rows if row.region.code == "35.98")

    assert row.days_left == (row.cycle.filing_closes_on - timezone.localdate()).days


def test_the_ranking_is_paged_and_the_chart_counts_every_row(client, jatim, monkeypatch):
    from reports import ranking_views

    monkeypatch.setattr(ranking_views, "PAGE_SIZE", 2)
    first = _page(client, jatim["users"]["admin.jatim"], urut="kode", arah="naik")
    second = _page(client, jatim["users"]["admin.jatim"], urut="kode", arah="naik", halaman="2")

    def codes(response):
        return [
            line.split('data-code="')[1].split('"')[0]
            for line in response.content.decode().splitlines()
            if 'data-testid="ranking-row"' in line
        ]

    assert (codes(first), codes(second)) == (["35.97", "35.98"], ["35.99"])
    page = first.content.decode()
    assert 'href="?katalog=iid-2026&amp;urut=kode&amp;arah=naik&amp;halaman=2"' in page
    # The chart and the counts are of every row the filters choose, not of the page.
    distribution = page.split('data-testid="band-distribution">')[1].split("</p>")[0]
    assert sum(int(count) for count in re.findall(r": (\d+)</a>", distribution)) == 3
    assert "Belum dinilai: 1</a>" in distribution
    assert "3 dari 3 wilayah." in page


def test_the_neighbours_card_queries_do_not_grow_with_the_neighbours(client, verified_cycle, pimpinan):
    regency = verified_cycle.region
    counts = []
    for size in (1, 3):
        province = RegionFactory(name=f"Provinsi {size}", kind=RegionKind.PROVINSI, code=f"{50 + size}")
        Region.objects.filter(pk=regency.pk).update(parent=province)
        for number in range(size):
            regency_scored(
                province, f"{50 + size}.{number + 1:02d}", f"Kabupaten {size}-{number}", spd_level=2
            )
        pimpinan.refresh_from_db()
        client.force_login(pimpinan)
        client.get(reverse("reports:dashboard"))  # the dashboard's body, cached: the card is not
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("reports:dashboard")).content.decode()
        section = page.split('data-testid="neighbours"')[1].split("</section>")[0]
        assert section.count("<tr") == 1 + size + 1  # the header, the neighbours, the region itself
        counts.append(len(queries))

    assert counts[0] == counts[1]
