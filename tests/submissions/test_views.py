"""The OPD's screens: every URL with every persona, the list's query count, downloads, the htmx rows and
the live score."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from innovasi.standards.models import Indicator
from scoring import engine
from scoring.selectors import catalogue_rules, innovation_input
from submissions import selectors, services
from submissions.enums import InnovationState
from submissions.samples import pdf_bytes

from ..conftest import PERSONAS
from ..factories import innovation_create
from .conftest import fill

pytestmark = pytest.mark.django_db

OWNER_ONLY = {
    "operator_a": 200,
    "operator_b": 404,
    "verifikator": 404,
    "admin_user": 404,
    "juri": 404,
    "pimpinan": 404,
}
READERS = {
    "operator_a": 200,
    "operator_b": 404,
    "verifikator": 200,
    "admin_user": 200,
    "juri": 404,
    "pimpinan": 200,
}


def expect(table, persona, anonymous=302):
    return anonymous if persona == "anonymous" else table[persona]


@pytest.fixture
def submitted(ready, operator_a):
    services.innovation_transition(innovation=ready, user=operator_a, to_state=InnovationState.DIAJUKAN)
    ready.refresh_from_db()
    return ready


def with_document(innovation, user):
    """``innovation`` with its SID-16 row filled and an anggaran document, so every URL has its object."""
    fill(innovation, user, {"SID-16": 1})
    upload = SimpleUploadedFile("anggaran.pdf", pdf_bytes(), content_type="application/pdf")
    services.document_put(innovation=innovation, kind="anggaran", user=user, uploaded=upload)
    return innovation


def draft_urls(innovation):
    claim = innovation.claims.get(indicator__code="SID-16")
    evidence = claim.evidence.first()
    pk = innovation.pk
    return [
        ("get", reverse("submissions:detail", args=[pk]), OWNER_ONLY),
        ("get", reverse("submissions:edit", args=[pk]), OWNER_ONLY),
        ("get", reverse("submissions:checklist", args=[pk]), OWNER_ONLY),
        ("get", reverse("scoring:innovation_panel", args=[pk]), OWNER_ONLY),
        ("get", reverse("submissions:evidence_download", args=[pk, evidence.pk]), OWNER_ONLY),
        ("get", reverse("submissions:evidence_preview", args=[pk, evidence.pk]), OWNER_ONLY),
        ("get", reverse("submissions:document_download", args=[pk, "anggaran"]), OWNER_ONLY),
        ("post", reverse("submissions:claim_save", args=[pk, claim.pk]), OWNER_ONLY),
        ("post", reverse("submissions:evidence_add", args=[pk, claim.pk]), OWNER_ONLY),
        ("post", reverse("submissions:evidence_remove", args=[pk, evidence.pk]), OWNER_ONLY),
        ("post", reverse("submissions:document_put", args=[pk, "anggaran"]), OWNER_ONLY),
        ("post", reverse("submissions:document_remove", args=[pk, "anggaran"]), OWNER_ONLY),
        ("post", reverse("submissions:submit", args=[pk]), OWNER_ONLY),
        ("post", reverse("submissions:publish", args=[pk]), {**OWNER_ONLY, "operator_a": 403}),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("index", range(14))
def test_permission_walk_draft_urls(persona_client, persona, index, draft, operator_a):
    with_document(draft, operator_a)
    method, url, table = draft_urls(draft)[index]
    client = persona_client(persona)

    response = getattr(client, method)(url, HTTP_HX_REQUEST="true") if method == "post" else client.get(url)

    status = response.status_code
    if persona == "operator_a" and method == "post" and table["operator_a"] == 200:
        assert status in (200, 302)  # an htmx row answers 200, a plain form redirects
    else:
        assert status == expect(table, persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_walk_submitted_innovation(persona_client, persona, ready, operator_a):
    submitted = services.innovation_transition(
        innovation=with_document(ready, operator_a), user=operator_a, to_state=InnovationState.DIAJUKAN
    )
    client = persona_client(persona)
    pk = submitted.pk
    claim = submitted.claims.get(indicator__code="SID-16")
    evidence = claim.evidence.first()
    locked = {**READERS, "operator_a": 403, "verifikator": 403, "admin_user": 403, "pimpinan": 403}
    reads = [
        reverse("submissions:detail", args=[pk]),
        reverse("submissions:evidence_download", args=[pk, evidence.pk]),
        reverse("submissions:evidence_preview", args=[pk, evidence.pk]),
        reverse("submissions:document_download", args=[pk, "anggaran"]),
    ]
    writes = [
        reverse("submissions:claim_save", args=[pk, claim.pk]),
        reverse("submissions:evidence_add", args=[pk, claim.pk]),
        reverse("submissions:evidence_remove", args=[pk, evidence.pk]),
        reverse("submissions:document_put", args=[pk, "anggaran"]),
        reverse("submissions:document_remove", args=[pk, "anggaran"]),
    ]

    before = (submitted.documents.count(), claim.evidence.count())

    read = {client.get(url).status_code for url in reads}
    edit = client.get(reverse("submissions:edit", args=[pk])).status_code
    written = {client.post(url, HTTP_HX_REQUEST="true").status_code for url in writes}

    assert (read, edit, written) == (
        {expect(READERS, persona)},
        expect(locked, persona),
        {expect(locked, persona)},
    )
    assert (submitted.documents.count(), claim.evidence.count()) == before  # nothing written


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_walk_copy_from_a_previous_cycle(persona_client, persona, cycle):
    status = persona_client(persona).get(reverse("submissions:copy")).status_code

    assert status == expect({**dict.fromkeys(READERS, 403), "operator_a": 200, "operator_b": 200}, persona)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "operators"), [("submissions:list", 200), ("submissions:create", 200)])
def test_permission_walk_list_and_create(persona_client, persona, name, operators, cycle):
    response = persona_client(persona).get(reverse(name))

    if persona == "anonymous":
        assert response.status_code == 302
    elif persona.startswith("operator"):
        assert response.status_code == operators
    else:
        assert response.status_code == (200 if name == "submissions:list" else 403)


def test_locked_innovation_refuses_edit_with_a_message(client, operator_a, submitted):
    client.force_login(operator_a)

    response = client.get(reverse("submissions:edit", args=[submitted.pk]))

    assert response.status_code == 403
    assert "OPD tidak dapat mengubahnya sampai dikembalikan untuk revisi" in response.content.decode()


@pytest.mark.parametrize(("language", "other"), [("id", "en"), ("en", "id")])
def test_edit_page_shows_the_guidance_in_the_page_language(client, draft, operator_a, language, other):
    regulation = Indicator.objects.get(catalogue=draft.cycle.catalogue, code="SID-16")
    benefit = Indicator.objects.get(catalogue=draft.cycle.catalogue, code="SID-33")
    client.force_login(operator_a)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})

    response = client.get(reverse("submissions:edit", args=[draft.pk]))

    page = response.content.decode()
    assert response["Content-Language"] == language
    for text in (f"description_{language}", f"evidence_{language}"):
        assert escape(getattr(regulation, text)) in page
    for text in (f"description_{other}", f"evidence_{other}"):
        assert escape(getattr(regulation, text)) not in page
    label = benefit.basis_labels["a"][language]
    assert f'<option value="a">a · {escape(label)}</option>' in page


@pytest.mark.parametrize("count", [1, 3])
def test_list_query_count_does_not_grow(client, cycle, opd_a, operator_a, count):
    for number in range(count):
        innovation = innovation_create(cycle, opd_a, operator_a, name=f"Inovasi {number}")
        fill(innovation, operator_a, {"SID-16": 2, "SID-17": 1})
    client.force_login(operator_a)
    client.get(reverse("submissions:list"))  # warm the session and the content types

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("submissions:list"))

    assert response.status_code == 200
    assert len(response.context["innovations"].object_list) == count

    assert len(queries) == 9  # the page adds its count query


def test_list_names_the_mandatory_rows_still_missing(client, draft, operator_a):
    fill(draft, operator_a, {"SID-16": 2, "SID-17": 1})
    client.force_login(operator_a)

    page = client.get(reverse("submissions:list")).content.decode()

    assert "Belum lengkap: SID-32, SID-33, SID-35" in page


def test_list_rows_show_every_change_despite_their_cache(client, draft, operator_a):
    from submissions.models import Innovation

    client.force_login(operator_a)
    assert "Posyandu Digital" in client.get(reverse("submissions:list")).content.decode()

    # A change that leaves updated_at alone (a bulk update) still reaches the cached rows.
    Innovation.objects.filter(pk=draft.pk).update(name="Nama Baru", kematangan_claimed=Decimal("42.50"))
    page = client.get(reverse("submissions:list")).content.decode()

    assert "Nama Baru" in page
    assert "42,50" in page


def test_download_is_an_attachment_that_is_never_rendered(client, draft, operator_a):
    fill(draft, operator_a, {"SID-16": 1})
    evidence = draft.claims.get(indicator__code="SID-16").evidence.get()
    client.force_login(operator_a)

    response = client.get(reverse("submissions:evidence_download", args=[draft.pk, evidence.pk]))

    assert response["Content-Disposition"] == 'attachment; filename="bukti.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_claim_row_save_answers_the_row_and_refreshes_the_score(client, draft, operator_a):
    claim = draft.claims.get(indicator__code="SID-16")
    client.force_login(operator_a)

    response = client.post(
        reverse("submissions:claim_save", args=[draft.pk, claim.pk]),
        {f"c{claim.pk}-level": "3", f"c{claim.pk}-note": "Perda 2025", f"c{claim.pk}-version": "1"},
        HTTP_HX_REQUEST="true",
    )

    claim.refresh_from_db()
    assert (claim.level, claim.note) == (3, "Perda 2025")
    assert response["HX-Trigger"] == "scoreChanged"
    assert response.templates[0].name == "submissions/includes/_claim_row_update.html"


def test_failed_upload_keeps_the_row_and_says_why(client, draft, operator_a):
    fill(draft, operator_a, {"SID-16": 2})
    claim = draft.claims.get(indicator__code="SID-16")
    client.force_login(operator_a)
    bad = SimpleUploadedFile("halaman.pdf", b"<html><body>bukan pdf</body></html>")

    response = client.post(
        reverse("submissions:evidence_add", args=[draft.pk, claim.pk]),
        {f"f{claim.pk}-file": bad},
        HTTP_HX_REQUEST="true",
    )

    assert "Isi berkas «halaman.pdf» bukan PDF." in response.content.decode()
    assert claim.evidence.count() == 1
    claim.refresh_from_db()
    assert claim.level == 2


def test_profile_conflict_keeps_what_was_typed(client, draft, operator_a):
    client.force_login(operator_a)
    url = reverse("submissions:edit", args=[draft.pk])
    services.innovation_update_profile(
        innovation=draft, user=operator_a, data={"name": "Disimpan orang lain"}, version=1
    )

    response = client.post(
        url, {"name": "Ketikan saya", "version": "1", "rancang_bangun": "Uraian panjang saya"}
    )

    assert response.status_code == 200
    assert "baru saja disimpan oleh orang lain" in response.content.decode()
    assert response.context["form"]["name"].value() == "Ketikan saya"
    assert response.context["form"]["rancang_bangun"].value() == "Uraian panjang saya"
    draft.refresh_from_db()
    assert draft.name == "Disimpan orang lain"


def test_live_score_equals_the_engine(client, ready, operator_a):
    fill(ready, operator_a, {"SID-18": 3, "SID-34": 1}, evidence=False)  # levels without evidence score 0
    client.force_login(operator_a)

    response = client.get(reverse("scoring:innovation_panel", args=[ready.pk]))

    rules = catalogue_rules(ready.cycle.catalogue)
    region = engine.RegionInput(
        spd=(), innovations=(innovation_input(ready, selectors.innovation_rows(ready)),)
    )
    expected = engine.compute(rules, region).innovations[0]
    result = response.context["result"]
    # Mandatory rows at level 2: 3×2 + 2×2 + 2×2 + 3×2 + 4×2 = 28; SID-18 and SID-34 have no evidence.
    assert result == expected
    assert result.kematangan == Decimal("28.00")
    assert result.eligible
    assert response.context["missing"] == []


def test_document_upload_swaps_only_the_documents_list_and_says_what_happened(client, draft, operator_a):
    client.force_login(operator_a)
    url = reverse("submissions:document_put", args=[draft.pk, "anggaran"])
    good = SimpleUploadedFile("rab.pdf", pdf_bytes(), content_type="application/pdf")
    bad = SimpleUploadedFile(
        "rab.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )

    saved = client.post(url, {"file": good}, HTTP_HX_REQUEST="true")
    refused = client.post(url, {"file": bad}, HTTP_HX_REQUEST="true")
    without_javascript = client.post(url, {"file": SimpleUploadedFile("rab.pdf", pdf_bytes())})

    assert saved.status_code == refused.status_code == 200
    assert "<html" not in saved.content.decode()  # the list alone: the profile form on the page is left alone
    assert "Dokumen Anggaran disimpan." in saved.content.decode()
    assert "rab.pdf" in saved.content.decode()
    assert 'role="alert"' in refused.content.decode()
    assert draft.documents.get().original_name == "rab.pdf"
    assert without_javascript.status_code == 302
