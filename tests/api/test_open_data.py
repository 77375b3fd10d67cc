"""The public gallery as open data: without a token, the same entries in the same order with the same
fields as the gallery's pages, in JSON and in CSV."""

import csv
import datetime
import html
import io
import re
from decimal import Decimal

import pytest
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat
from django.urls import reverse

from reports.selectors.gallery import PAGE_SIZE
from submissions import services as submission_services
from submissions.models import Innovation

pytestmark = pytest.mark.django_db

CARD = re.compile(
    r'<a class="stretched-link" href="/galeri/(?P<id>\d+)/">(?P<name>.*?)</a></h2>\s*'
    r'<p class="small text-body-secondary mb-2">(?P<opd>.*?) · (?P<year>\d+)</p>\s*'
    r'<p class="small mb-0"><span class="badge text-bg-light border">(?P<urusan>.*?)</span> '
    r'<span class="badge text-bg-light border">(?P<jenis>.*?)</span></p>.*?'
    r"<strong>(?P<kematangan>.*?)</strong> / 111",
    re.DOTALL,
)


@pytest.fixture
def published(verified_cycle, admin_user):
    """The verified cycle's three innovations published, one of them with urusan lain and a video."""
    innovations = list(Innovation.objects.filter(cycle=verified_cycle).order_by("pk"))
    for innovation in innovations:
        submission_services.innovation_publish(innovation=innovation, user=admin_user, published=True)
    first = innovations[0]
    Innovation.objects.filter(pk=first.pk).update(video_url="https://youtu.be/uji")
    from innovasi.standards.models import Urusan

    first.urusan_lain.set(Urusan.objects.filter(code__in=["pendidikan", "sosial"]))
    return innovations


def _cards(client, query):
    page = client.get(reverse("reports:gallery"), query).content.decode()
    return [
        {key: html.unescape(value) for key, value in card.groupdict().items()} for card in CARD.finditer(page)
    ]


def _entries(client, query):
    response = client.get(reverse("api:gallery"), {**query, "per_halaman": PAGE_SIZE})
    assert response.status_code == 200
    return response.json()["results"]


def _as_card(entry):
    """An entry of the API as the gallery's card writes it."""
    return {
        "id": str(entry["id"]),
        "name": entry["name"],
        "opd": entry["opd"],
        "year": str(entry["year"]),
        "urusan": entry["urusan_utama"] or "—",
        "jenis": entry["jenis_label"],
        "kematangan": floatformat(Decimal(entry["kematangan_verified"]), 2),
    }


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": "literasi"},
        {"q": "dinas pendidikan"},
        {"jenis": "digital"},
        {"bentuk": "pelayanan_publik", "urusan": "kesehatan"},
        {"tahun": "2026"},
        {"tahun": "2023"},
        {"q": "", "urusan": "", "opd": "", "jenis": "", "bentuk": "", "tahun": ""},  # the form's "any"
    ],
)
def test_open_data_holds_the_gallerys_entries_in_its_order(client, published, query):
    cards = _cards(client, query)

    entries = _entries(client, query)

    assert [_as_card(entry) for entry in entries] == cards


def test_open_data_filters_by_opd_as_the_gallery_does(client, published, opd_b):
    query = {"opd": str(opd_b.pk)}

    assert [_as_card(entry) for entry in _entries(client, query)] == _cards(client, query)
    assert [entry["name"] for entry in _entries(client, query)] == ["Sekolah Literasi"]


def test_open_data_entry_shows_what_its_gallery_page_shows(client, published):
    for entry in _entries(client, {}):
        page = html.unescape(
            client.get(reverse("reports:gallery_innovation", args=[entry["id"]])).content.decode()
        )
        detail = client.get(reverse("api:gallery_innovation", args=[entry["id"]])).json()

        assert {key: detail[key] for key in entry} == entry
        assert entry["url"] == f"http://testserver/galeri/{entry['id']}/"
        for key in (
            "name",
            "opd",
            "region",
            "catalogue",
            "tahapan_label",
            "rancang_bangun",
            "tujuan",
            "manfaat",
            "hasil",
        ):
            assert detail[key] in page, key
        assert f"{detail['jenis_label']} · {detail['bentuk_label']}" in page
        assert ", ".join([detail["urusan_utama"], *detail["urusan_lain"]]) in page
        assert date_filter(datetime.date.fromisoformat(detail["waktu_penerapan"]), "j F Y") in page
        assert (f'href="{detail["video_url"]}"' in page) == bool(detail["video_url"])


def test_open_data_shows_nothing_unpublished(client, published, admin_user):
    hidden = published[1]
    submission_services.innovation_publish(innovation=hidden, user=admin_user, published=False)

    names = [entry["name"] for entry in _entries(client, {})]
    detail = client.get(reverse("api:gallery_innovation", args=[hidden.pk]))

    assert hidden.name not in names
    assert len(names) == 2
    assert detail.status_code == 404
    assert client.get(reverse("reports:gallery_innovation", args=[hidden.pk])).status_code == 404


def test_open_data_csv_is_the_same_entries_and_fields(client, published):
    Innovation.objects.filter(pk=published[2].pk).update(name="=1+2 Inovasi Rumus")
    entries = _entries(client, {})

    response = client.get(reverse("api:gallery_csv"), {"per_halaman": PAGE_SIZE})

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    expected = [
        {
            key: "; ".join(value) if isinstance(value, list) else "" if value is None else str(value)
            for key, value in entry.items()
        }
        for entry in entries
    ]
    formula = next(row for row in expected if row["name"] == "=1+2 Inovasi Rumus")
    formula["name"] = "'=1+2 Inovasi Rumus"  # kept as text by a spreadsheet
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["X-Total-Count"] == "3"
    assert rows == expected
    first = next(row for row in rows if row["id"] == str(published[0].pk))
    assert first["urusan_lain"] == "; ".join(urusan.name for urusan in published[0].urusan_lain.all())
    assert first["urusan_lain"].count("; ") == 1


def test_open_data_csv_is_paged_with_link_headers(client, published):
    url = reverse("api:gallery_csv")

    first = client.get(url, {"per_halaman": 2})
    second = client.get(url, {"per_halaman": 2, "halaman": 2})

    assert len(list(csv.DictReader(io.StringIO(first.content.decode())))) == 2
    assert len(list(csv.DictReader(io.StringIO(second.content.decode())))) == 1
    assert first["Link"] == f'<http://testserver{url}?halaman=2&per_halaman=2>; rel="next"'
    assert second["Link"] == f'<http://testserver{url}?halaman=1&per_halaman=2>; rel="prev"'
    assert first["X-Total-Count"] == second["X-Total-Count"] == "3"


@pytest.mark.parametrize("count", [1, 3])
def test_open_data_query_count_does_not_grow(
    client,
    verified_cycle,
    admin_user,
    count,
    django_assert_num_queries,
):
    for innovation in Innovation.objects.filter(cycle=verified_cycle).order_by("pk")[:count]:
        submission_services.innovation_publish(innovation=innovation, user=admin_user, published=True)

    # The count, the page with OPD, region, urusan and catalogue, the page's urusan lain.
    with django_assert_num_queries(3):
        response = client.get(reverse("api:gallery"))

    assert len(response.json()["results"]) == count
