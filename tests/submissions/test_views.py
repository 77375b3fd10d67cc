"""The OPD's screens: the list's query count, downloads, the htmx rows and the live score (who may open
what: test_permission_matrix)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from innovasi.standards.models import Catalogue, Cycle, Indicator
from scoring import engine
from scoring.selectors.inputs import catalogue_rules, innovation_as_claimed
from submissions import services
from submissions.enums import DocumentKind, InnovationState
from submissions.samples import pdf_bytes

from ..factories import CycleFactory, innovation_create
from .conftest import fill, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(ready, operator_a):
    services.innovation_transition(innovation=ready, user=operator_a, to_state=InnovationState.DIAJUKAN)
    ready.refresh_from_db()
    return ready


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
    # What still stops submission comes with the row (no request of its own): SID-16 now lacks evidence.
    page = response.content.decode()
    assert '<div id="submit-check" hx-swap-oob="innerHTML">' in page
    assert "Indikator wajib SID-16 belum ada buktinya." in page
    assert "Indikator wajib SID-16 belum dipilih tingkatnya." not in page


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
    region = engine.RegionInput(spd=(), innovations=(innovation_as_claimed(ready),))
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


@pytest.mark.parametrize("count", [1, 3])
def test_detail_and_edit_query_counts_do_not_grow(
    client, draft, operator_a, count, django_assert_num_queries
):
    claim = draft.claims.get(indicator__code="SID-16")
    services.claim_update(claim=claim, user=operator_a, level=2, basis="", note="", version=None)
    for number in range(count):  # each row's evidence, each document, each line of the history
        services.evidence_add(claim=claim, user=operator_a, uploaded=pdf_upload(f"bukti-{number}.pdf"))
        services.innovation_update_profile(
            innovation=draft, user=operator_a, data={"name": f"Posyandu {number}"}, version=None
        )
    for kind in list(DocumentKind.values)[:count]:
        services.document_put(
            innovation=draft, kind=kind, user=operator_a, uploaded=pdf_upload(f"{kind}.pdf")
        )
    client.force_login(operator_a)
    detail, edit = (
        reverse("submissions:detail", args=[draft.pk]),
        reverse("submissions:edit", args=[draft.pk]),
    )
    client.get(detail)

    # Each page loads the rows' threads too; the detail page also lists the threads in its history; the
    # edit page asks for the OPD's extension (its submit button says whether the deadline has passed).
    with django_assert_num_queries(18):
        shown = client.get(detail)
    with django_assert_num_queries(14):
        edited = client.get(edit)

    row = next(row for row in shown.context["rows"] if row.pk == claim.pk)
    assert len(row.evidence.all()) == count
    assert len([document for _kind, _label, document in edited.context["documents"] if document]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_copy_query_count_does_not_grow(
    client, cycle, region, opd_a, operator_a, count, django_assert_num_queries
):
    earlier = CycleFactory(region=region, catalogue=Catalogue.objects.get(code="iid-2023"))
    for number in range(count):
        innovation_create(earlier, opd_a, operator_a, name=f"Inovasi 2023 {number}")
    Cycle.objects.filter(pk=earlier.pk).update(state="final")
    client.force_login(operator_a)
    client.get(reverse("submissions:copy"))

    # The filing cycle and the OPD's extension (is its filing window open?) are one query each.
    with django_assert_num_queries(7):
        response = client.get(reverse("submissions:copy"))

    assert len(response.context["form"].fields["source"].queryset) == count


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("waktu_uji_coba", "2999-01-01", "Tanggal ini belum terjadi"),
        ("waktu_penerapan", "1900-05-01", "Tanggal sebelum 17 Agustus 1945 tidak mungkin"),
        ("waktu_pengembangan", "2999-01-01", "Tanggal ini belum terjadi"),
    ],
)
def test_impossible_dates_are_refused_with_a_message_and_nothing_is_saved(
    client, draft, operator_a, field, value, message
):
    client.force_login(operator_a)

    response = client.post(
        reverse("submissions:edit", args=[draft.pk]),
        {"name": "Nama baru", "version": draft.version, field: value},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    draft.refresh_from_db()
    assert draft.name != "Nama baru"
    assert getattr(draft, field) is None


def test_trial_after_application_is_refused(client, draft, operator_a):
    client.force_login(operator_a)

    response = client.post(
        reverse("submissions:edit", args=[draft.pk]),
        {
            "name": draft.name,
            "version": draft.version,
            "waktu_uji_coba": "2024-06-01",
            "waktu_penerapan": "2024-01-01",
        },
    )

    assert "Waktu penerapan tidak boleh sebelum waktu uji coba." in response.content.decode()


def test_the_profile_marks_what_submission_requires_and_counts_words_under_the_rancang_bangun(
    client, draft, operator_a
):
    from submissions.selectors import REQUIRED_PROFILE_FIELDS

    client.force_login(operator_a)

    page = client.get(reverse("submissions:edit", args=[draft.pk])).content.decode()

    assert page.count('class="required-mark"') == len(REQUIRED_PROFILE_FIELDS)
    for name in REQUIRED_PROFILE_FIELDS:
        label = page[page.index(f'for="id_{name.removesuffix("_id")}"') :]
        assert label.index('class="required-mark"') < label.index("</label>"), name
    counter = page.index('data-word-count-for="id_rancang_bangun"')
    assert page.index('id="id_rancang_bangun"') < counter < page.index('id="id_tujuan"')


def test_the_submit_box_counts_the_rows_filled_and_says_why_it_cannot_be_used(client, draft, operator_a):
    fill(draft, operator_a, {"SID-16": 2, "SID-17": 1})
    client.force_login(operator_a)

    page = client.get(reverse("submissions:edit", args=[draft.pk])).content.decode()

    total = draft.claims.count()
    assert f"2 dari {total} baris terisi" in page
    assert f"{total - 2} baris belum terisi" in page  # the phone's bar
    assert 'data-testid="submit-disabled"' in page
    assert reverse("submissions:submit", args=[draft.pk]) not in page


@pytest.mark.parametrize("code", ["iid-2023", "iid-2026"])
def test_the_guide_lists_every_indicator_with_its_levels_evidence_examples_and_rejection_reasons(
    client, operator_a, code
):
    catalogue = Catalogue.objects.get(code=code)
    client.force_login(operator_a)

    page = client.get(reverse("submissions:guide", args=[code])).content.decode()

    for indicator in catalogue.indicators.prefetch_related("options"):
        section = page[page.index(f'id="panduan-{indicator.code}"') :]
        section = section[: section.index("</section>")]
        assert escape(indicator.name_id) in section
        assert escape(indicator.evidence_id) in section
        for line in (*indicator.examples_id, *indicator.rejection_reasons_id):
            assert escape(line) in section, (indicator.code, line)
        for option in indicator.options.all():
            assert escape(option.label_id) in section
    sid33 = page[page.index('id="panduan-SID-33"') :]
    assert "a · Jumlah penerima manfaat" in sid33[: sid33.index("</section>")]


def test_the_guide_of_an_unknown_catalogue_is_404(client, operator_a):
    client.force_login(operator_a)

    assert client.get(reverse("submissions:guide", args=["iid-1999"])).status_code == 404
