"""The API's endpoints: what each persona may read (the same rules and selectors as the pages), exact
figures as text, paging, bad parameters answered 400 in plain words, query counts that do not grow, and
the OpenAPI document naming every endpoint."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import URLPattern, reverse

from api import endpoints
from innovasi.accounts.permissions import denied_message
from scoring.enums import SnapshotKind
from scoring.models import IndexSnapshot
from scoring.services import index
from submissions import selectors as submission_selectors
from submissions.models import Innovation

from ..factories import innovation_create
from ..submissions.conftest import complete_profile
from .conftest import bearer

pytestmark = pytest.mark.django_db


def _floats(value):
    """Every float anywhere in a JSON document."""
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [found for item in value.values() for found in _floats(item)]
    if isinstance(value, list):
        return [found for item in value for found in _floats(item)]
    return []


def _get(client, user, name, **kwargs):
    query = kwargs.pop("query", {})
    return client.get(reverse(name, kwargs=kwargs), query, **(bearer(user) if user else {}))


# --- Who sees what ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("operator_a", ["Draf Posyandu", "Ambulans Desa"]),
        ("operator_b", ["Sekolah Literasi"]),
        ("verifikator", ["Ambulans Desa", "Sekolah Literasi"]),
        ("admin_user", ["Ambulans Desa", "Sekolah Literasi"]),
        ("pimpinan", ["Ambulans Desa", "Sekolah Literasi"]),
    ],
)
def test_innovation_list_holds_what_the_persona_may_see_and_nothing_else(
    request, client, api_cycle, persona, expected
):
    user = request.getfixturevalue(persona)

    response = _get(client, user, "api:cycle_innovations", pk=api_cycle.pk)

    names = [item["name"] for item in response.json()["results"]]
    assert response.status_code == 200
    assert names == expected
    assert set(names) == set(submission_selectors.visible(user).values_list("name", flat=True))


def test_innovation_list_refuses_a_juror_403_and_an_outsider_404(client, api_cycle, juri, outsider_admin):
    refused = _get(client, juri, "api:cycle_innovations", pk=api_cycle.pk)
    hidden = _get(client, outsider_admin, "api:cycle_innovations", pk=api_cycle.pk)

    assert refused.status_code == 403
    assert refused.json() == {"detail": denied_message(juri, "submissions.list_innovations")}
    assert hidden.status_code == 404
    assert hidden.json() == {"detail": "Siklus tidak ditemukan."}


def test_innovation_list_filters_by_state_opd_and_words(client, api_cycle, admin_user, opd_b):
    def names(**query):
        response = _get(client, admin_user, "api:cycle_innovations", pk=api_cycle.pk, query=query)
        return [item["name"] for item in response.json()["results"]]

    assert names(status="terverifikasi") == ["Sekolah Literasi"]
    assert names(opd=str(opd_b.pk)) == ["Sekolah Literasi"]
    assert names(q="ambulans") == ["Ambulans Desa"]
    assert names(q="pendidikan") == ["Sekolah Literasi"]  # the OPD's name, as on the list page
    assert names(status="", opd="", q="") == ["Ambulans Desa", "Sekolah Literasi"]  # empty: any


@pytest.mark.parametrize(
    ("persona", "name", "status"),
    [
        ("operator_a", "Draf Posyandu", 200),
        ("operator_b", "Draf Posyandu", 404),
        ("verifikator", "Draf Posyandu", 404),
        ("admin_user", "Draf Posyandu", 404),
        ("pimpinan", "Ambulans Desa", 200),
        ("operator_b", "Ambulans Desa", 404),
        ("juri", "Ambulans Desa", 404),
        ("outsider_admin", "Sekolah Literasi", 404),
    ],
)
def test_innovation_is_read_by_whoever_may_see_its_page(request, client, api_cycle, persona, name, status):
    user = request.getfixturevalue(persona)
    innovation = Innovation.objects.get(name=name)

    response = _get(client, user, "api:innovation", pk=innovation.pk)
    client.force_login(user)
    shown = client.get(reverse("submissions:detail", args=[innovation.pk]))

    assert response.status_code == status
    assert shown.status_code == status
    if status == 404:
        assert response.json() == {"detail": "Inovasi tidak ditemukan."}


def test_innovation_holds_every_claim_with_its_verdict(client, api_cycle, admin_user):
    innovation = Innovation.objects.get(name="Sekolah Literasi")

    body = _get(client, admin_user, "api:innovation", pk=innovation.pk).json()

    claims = {claim["indicator"]: claim for claim in body["claims"]}
    assert [claim["indicator"] for claim in body["claims"]] == list(
        innovation.claims.order_by("indicator__position").values_list("indicator__code", flat=True)
    )
    assert body["verdicts_visible"] is True
    assert body["state"] == "terverifikasi"
    assert body["kematangan_verified"] == str(innovation.kematangan_verified)
    assert claims["SID-16"]["level"] == 2
    assert claims["SID-16"]["evidence_count"] == 1
    assert claims["SID-16"]["mandatory"] is True
    assert claims["SID-16"]["verdict"]["verdict"] == "sesuai"
    assert claims["SID-16"]["verdict"]["verdict_label"] == "Sesuai"
    assert claims["SID-16"]["verdict"]["level"] == 2
    assert claims["SID-33"]["basis"] == "a"
    assert claims["SID-18"]["level"] == 0
    assert claims["SID-18"]["verdict"] is None  # not claimed: never judged
    assert body["urusan_utama"] == "kesehatan"
    assert body["rancang_bangun"].startswith("<p>kata0 kata1")
    assert _floats(body) == []


def test_a_draft_of_ones_own_opd_has_no_verdicts_yet(client, api_cycle, operator_a):
    draft = Innovation.objects.get(name="Draf Posyandu")

    body = _get(client, operator_a, "api:innovation", pk=draft.pk).json()

    assert body["state"] == "draft"
    assert {claim["verdict"] is None for claim in body["claims"]} == {True}


def test_index_is_the_newest_snapshots_as_stored(client, api_cycle, pimpinan):
    response = _get(client, pimpinan, "api:cycle_index", pk=api_cycle.pk)

    body = response.json()
    assert response.status_code == 200
    assert _floats(body) == []
    for kind in SnapshotKind.values:
        stored = IndexSnapshot.objects.filter(cycle=api_cycle, kind=kind).latest()
        snapshot = body[kind]
        assert snapshot["id"] == stored.pk
        assert snapshot["iid"] == str(stored.iid)
        assert snapshot["category"] == stored.category
        assert snapshot["inputs_hash"] == stored.inputs_hash
        assert snapshot["total"] == f"{Decimal(str(stored.result['total'])):.2f}"
        points = [item["iid_points"] for item in snapshot["contributions"]]
        assert points == [item["iid_points"] for item in stored.result["contributions"]]
        # The engine's own invariant, exact: the SPD points and the OPDs' points add up to the IID.
        assert Decimal(snapshot["spd_points"]) + sum(map(Decimal, points)) == Decimal(snapshot["iid"])
    assert [item["opd"] for item in body["verified"]["contributions"]] == ["Dinas Pendidikan"]
    assert body["verification_under_way"] is True  # Ambulans Desa is still with its verifier
    assert body["recompute_pending"] is False


def test_index_refuses_an_operator_403_and_an_outsider_404(client, api_cycle, operator_a, outsider_admin):
    refused = _get(client, operator_a, "api:cycle_index", pk=api_cycle.pk)
    hidden = _get(client, outsider_admin, "api:cycle_index", pk=api_cycle.pk)

    assert refused.status_code == 403
    assert refused.json() == {"detail": "Indeks wilayah untuk Bappeda dan pimpinan daerah."}
    assert hidden.status_code == 404


def test_index_of_a_cycle_without_snapshots_says_so(client, cycle, admin_user):
    body = _get(client, admin_user, "api:cycle_index", pk=cycle.pk).json()

    assert body["claimed"] is None
    assert body["verified"] is None


def test_regions_and_cycles_are_the_callers_own(client, api_cycle, juri, outsider_admin):
    regions = _get(client, juri, "api:regions").json()["results"]
    cycles = _get(client, juri, "api:region_cycles", pk=api_cycle.region_id).json()["results"]
    hidden = _get(client, outsider_admin, "api:region_cycles", pk=api_cycle.region_id)

    assert [region["code"] for region in regions] == ["35.99"]
    assert [(cycle["id"], cycle["catalogue"], cycle["year"]) for cycle in cycles] == [
        (api_cycle.pk, "iid-2026", 2026)
    ]
    assert cycles[0]["filing_closes_on"] == api_cycle.filing_closes_on.isoformat()
    assert hidden.status_code == 404
    assert hidden.json() == {"detail": "Wilayah tidak ditemukan."}


# --- Paging and bad parameters -------------------------------------------------------------------------------


def test_lists_are_paged_with_links_to_the_next_and_previous_pages(client, api_cycle, operator_a, opd_a):
    innovation_create(api_cycle, opd_a, operator_a, name="Draf Ketiga", **complete_profile())
    url = reverse("api:cycle_innovations", args=[api_cycle.pk])
    headers = bearer(operator_a)

    first = client.get(url, {"per_halaman": 2}, **headers).json()
    second = client.get(first["next"], **headers).json()
    past = client.get(url, {"per_halaman": 2, "halaman": 3}, **headers)

    assert {key: first[key] for key in ("count", "page", "pages", "page_size", "previous")} == {
        "count": 3,
        "page": 1,
        "pages": 2,
        "page_size": 2,
        "previous": None,
    }
    assert first["next"] == f"http://testserver{url}?halaman=2&per_halaman=2"
    assert [item["name"] for item in first["results"] + second["results"]] == [
        "Draf Posyandu",
        "Ambulans Desa",
        "Draf Ketiga",
    ]
    assert second["next"] is None
    assert second["previous"] == f"http://testserver{url}?halaman=1&per_halaman=2"
    assert past.status_code == 404
    assert past.json() == {"detail": "Halaman 3 tidak ada: daftar ini 2 halaman."}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"halaman": "0"}, "Parameter «halaman» paling kecil 1."),
        ({"per_halaman": "101"}, "Parameter «per_halaman» paling besar 100."),
        ({"halaman": "dua"}, "Parameter «halaman» harus bilangan bulat."),
        ({"opd": "99999999999999999999"}, "Parameter «opd» paling besar 9223372036854775807."),
        (
            {"status": "dikirim"},
            "Parameter «status» harus salah satu dari: 'draft', 'menunggu_pengesahan', 'diajukan', 'revisi', 'terverifikasi'.",
        ),
        ({"q": "a\x00"}, "Parameter «q» memuat karakter yang tidak diizinkan."),
        ({"q": "x" * 201}, "Parameter «q» paling panjang 200 karakter."),
    ],
)
def test_a_bad_parameter_is_answered_400_in_plain_words(client, api_cycle, admin_user, query, message):
    response = _get(client, admin_user, "api:cycle_innovations", pk=api_cycle.pk, query=query)

    assert response.status_code == 400
    assert response.json()["detail"] == message
    assert response.json()["errors"] == [{"parameter": next(iter(query)), "message": message}]


def test_a_bad_id_is_answered_in_json(client, api_cycle, admin_user):
    missing = _get(client, admin_user, "api:innovation", pk=0)
    huge = client.get("/api/v1/inovasi/99999999999999999999/", **bearer(admin_user))

    assert missing.status_code == 404
    assert missing.json() == {"detail": "Inovasi tidak ditemukan."}
    assert huge.status_code == 400
    assert huge.json()["errors"][0]["parameter"] == "pk"


# --- Query counts ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_innovation_list_query_count_does_not_grow(
    client, cycle, opd_a, operator_a, count, django_assert_num_queries
):
    for number in range(count):
        innovation_create(cycle, opd_a, operator_a, name=f"Inovasi {number}")
    headers = bearer(operator_a)
    url = reverse("api:cycle_innovations", args=[cycle.pk])

    # The token with its owner, the cycle, the count, the page.
    with django_assert_num_queries(4):
        response = client.get(url, **headers)

    assert len(response.json()["results"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_innovation_query_count_does_not_grow(
    client, api_cycle, operator_a, count, django_assert_num_queries
):
    from submissions import services

    from ..submissions.conftest import pdf_upload

    draft = Innovation.objects.get(name="Draf Posyandu")
    claim = draft.claims.get(indicator__code="SID-16")
    for number in range(count):
        services.evidence_add(claim=claim, user=operator_a, uploaded=pdf_upload(f"bukti-{number}.pdf"))
    headers = bearer(operator_a)

    # The token, the innovation, its urusan lain, its claims with verdicts and evidence counted.
    with django_assert_num_queries(4):
        response = client.get(reverse("api:innovation", args=[draft.pk]), **headers)

    sid16 = next(item for item in response.json()["claims"] if item["indicator"] == "SID-16")
    assert sid16["evidence_count"] == count


def test_index_query_count(client, api_cycle, admin_user, django_assert_num_queries):
    headers, other = bearer(admin_user), bearer(admin_user)
    url = reverse("api:cycle_index", args=[api_cycle.pk])

    # The token, the cycle with its score state, the newest snapshot of each kind, whether verification
    # runs, and the OPDs named in each snapshot's contributions.
    with django_assert_num_queries(7):
        first = client.get(url, **headers)
    # Then from the cache, for as long as the cycle's scores stay as they are.
    with django_assert_num_queries(2):
        again = client.get(url, **other)

    assert first.status_code == again.status_code == 200
    assert again.content == first.content


def test_index_follows_a_recompute_at_once(client, api_cycle, pimpinan, verifikator):
    from .conftest import verify

    url = reverse("api:cycle_index", args=[api_cycle.pk])
    headers = bearer(pimpinan)
    before = client.get(url, **headers).json()

    verify(Innovation.objects.get(name="Ambulans Desa"), verifikator)
    index.cycle_recompute(cycle_id=api_cycle.pk)  # what the task enqueued after the commit does
    after = client.get(url, **headers).json()

    assert before["verified"]["n_eligible"] == 1
    assert after["verified"]["n_eligible"] == 2
    assert after["verified"]["iid"] == str(
        IndexSnapshot.objects.filter(cycle=api_cycle, kind="verified").latest().iid
    )
    assert after["verification_under_way"] is False


# --- The OpenAPI document ------------------------------------------------------------------------------------


def _openapi_path(pattern: URLPattern) -> str:
    return "/api/v1/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))


def test_openapi_document_is_served_and_names_every_endpoint(client):
    response = client.get(reverse("api:openapi-json"))

    document = json.loads(response.content)
    endpoints_served = {
        _openapi_path(pattern)
        for pattern in endpoints.urlpatterns
        if pattern.name not in ("openapi-json", "api-root")
    }
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == endpoints_served
    assert {method for path in document["paths"].values() for method in path} == {"get"}
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    for path, operations in document["paths"].items():
        needs_token = "security" in operations["get"]
        assert needs_token == (not path.startswith("/api/v1/galeri")), path


def test_api_root_points_to_the_openapi_document(client):
    body = client.get("/api/v1/").json()

    assert body["openapi"] == "http://testserver/api/v1/openapi.json"
