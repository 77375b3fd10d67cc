"""Bappeda's screens: the queue's query count, the verdict row (who may open what: test_permission_matrix)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from innovasi.accounts.enums import Role
from scoring.models import SpdEntry, Verification
from scoring.services import awards, index, spd, verification
from submissions import services
from submissions.models import Evidence

from ..factories import UserFactory, innovation_create
from ..submissions.conftest import MANDATORY, complete_profile, fill, pdf_upload
from .conftest import judge_all

pytestmark = pytest.mark.django_db


def test_outsider_admin_gets_404(client, outsider_admin, assigned, cycle):
    client.force_login(outsider_admin)

    assert client.get(reverse("scoring:verify", args=[assigned.pk])).status_code == 404
    index.cycle_recompute(cycle_id=cycle.pk)
    snapshot = cycle.snapshots.first()
    assert client.get(reverse("scoring:snapshot", args=[snapshot.pk])).status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_queue_query_count_does_not_grow(client, cycle, opd_a, operator_a, verifikator, admin_user, count):
    for number in range(count):
        innovation = innovation_create(
            cycle, opd_a, operator_a, name=f"Inovasi {number}", **complete_profile()
        )
        fill(innovation, operator_a, dict.fromkeys(MANDATORY, 2))
        services.innovation_transition(innovation=innovation, user=operator_a, to_state="diajukan")
        verification.assignment_set(innovation=innovation, verifikator=verifikator, by=admin_user)
    client.force_login(verifikator)
    client.get(reverse("scoring:queue"))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("scoring:queue"))

    assert len(response.context["items"]) == count
    assert len(queries) == 6


def test_verdict_row_saves_and_reports_errors_in_place(client, verifikator, assigned):
    claim = assigned.claims.get(indicator__code="SID-17")
    client.force_login(verifikator)
    url = reverse("scoring:verdict_save", args=[assigned.pk, claim.pk])

    row = f"v{claim.pk}"
    without_version = client.post(
        url, {f"{row}-verdict": "tidak_sesuai", f"{row}-reason": "SK tidak sah"}, HTTP_HX_REQUEST="true"
    )
    refused = client.post(
        url,
        {f"{row}-verdict": "tidak_sesuai", f"{row}-reason": "", f"{row}-version": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert not Verification.objects.filter(claim=claim).exclude(verdict="pending").exists()
    saved = client.post(
        url,
        {f"{row}-verdict": "tidak_sesuai", f"{row}-reason": "SK tidak sah", f"{row}-version": "1"},
        HTTP_HX_REQUEST="true",
    )

    assert "Versi putusan tidak terkirim" in without_version.content.decode()
    assert "Tuliskan alasan untuk putusan «Tidak sesuai»." in refused.content.decode()
    assert "Putusan tersimpan" in saved.content.decode()
    assert Verification.objects.get(claim=claim).reason == "SK tidak sah"


def test_verdict_history_shows_who_when_and_the_old_and_new_value(client, verifikator, assigned):
    claim = assigned.claims.get(indicator__code="SID-16")
    verification.verdict_save(
        claim=claim, user=verifikator, verdict="sesuai", level=2, reason="", opd_note="", version=None
    )
    verification.verdict_save(
        claim=claim,
        user=verifikator,
        verdict="tidak_sesuai",
        level=0,
        reason="SK kedaluwarsa",
        opd_note="",
        version=None,
    )
    client.force_login(verifikator)

    page = client.get(reverse("scoring:verify", args=[assigned.pk])).content.decode()

    history = page.split(f'id="baris-{claim.pk}"')[1].split("</details>")[0]
    assert "Riwayat putusan (" in history
    assert "<del>Sesuai (tingkat 2)</del> → Tidak sesuai — SK kedaluwarsa" in history
    assert str(verifikator) in history


def test_verdict_row_names_the_basis_and_the_evidence_in_the_page_language(client, verifikator, assigned):
    claim = assigned.claims.select_related("indicator").get(indicator__code="SID-33")  # claimed on basis a
    client.force_login(verifikator)

    page = client.get(reverse("scoring:verify", args=[assigned.pk])).content.decode()

    row = page.split(f'id="baris-{claim.pk}"')[1].split("</article>")[0]
    assert '<span class="badge text-bg-secondary">dasar a · Jumlah penerima manfaat</span>' in row
    assert f'<p class="small mb-0">{escape(claim.indicator.evidence_id)}</p>' in row


def test_assignment_message_names_the_verifikator(client, admin_user, verifikator, submitted):
    client.force_login(admin_user)

    page = client.post(
        reverse("scoring:assignments"),
        {"innovations": [submitted.pk], "verifikator": verifikator.pk},
        follow=True,
    ).content.decode()

    assert f"«{submitted.name}» ditugaskan kepada {verifikator}." in page


@pytest.mark.parametrize("count", [1, 3])
def test_spd_query_count_does_not_grow(client, cycle, admin_user, count, django_assert_num_queries):
    entries = list(SpdEntry.objects.filter(cycle=cycle).select_related("cycle", "indicator"))
    SpdEntry.objects.filter(pk__in=[entry.pk for entry in entries[count:]]).delete()
    for entry in entries[:count]:
        spd.spd_evidence_add(entry=entry, user=admin_user, uploaded=pdf_upload("spd.pdf"))
    client.force_login(admin_user)
    client.get(reverse("scoring:spd"))

    with django_assert_num_queries(9):
        response = client.get(reverse("scoring:spd"))

    assert len(response.context["rows"]) == count


def _submitted(cycle, opd, user, name):
    innovation = innovation_create(cycle, opd, user, name=name, **complete_profile())
    fill(innovation, user, dict.fromkeys(MANDATORY, 2))
    services.innovation_transition(innovation=innovation, user=user, to_state="diajukan")
    return innovation


@pytest.mark.parametrize("count", [1, 3])
def test_assignments_query_count_does_not_grow(
    client, cycle, opd_a, operator_a, bappeda, admin_user, count, django_assert_num_queries
):
    for number in range(count):
        _submitted(cycle, opd_a, operator_a, f"Inovasi {number}")
        UserFactory(region=cycle.region, role=Role.VERIFIKATOR, opd=bappeda)  # each one a suggestion
    client.force_login(admin_user)
    client.get(reverse("scoring:assignments"))

    with django_assert_num_queries(6):
        response = client.get(reverse("scoring:assignments"))

    assert (len(response.context["waiting"]), len(response.context["verifikators"])) == (count, count)


@pytest.mark.parametrize("count", [1, 3])
def test_index_history_query_count_does_not_grow(
    client, cycle, opd_a, operator_a, verifikator, count, django_assert_num_queries
):
    for number in range(count):  # each recompute after a change writes a new claimed snapshot
        _submitted(cycle, opd_a, operator_a, f"Inovasi {number}")
        index.cycle_recompute(cycle_id=cycle.pk)
    client.force_login(verifikator)
    url = reverse("scoring:index") + "?jenis=claimed"
    client.get(url)

    with django_assert_num_queries(11):
        response = client.get(url)

    assert len(response.context["history"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_verify_query_count_does_not_grow(
    client, operator_a, verifikator, assigned, count, django_assert_num_queries
):
    claim = assigned.claims.get(indicator__code="SID-16")
    for number in range(count - 1):  # the evidence of a row, and the rows' verdict history
        Evidence.objects.create(
            claim=claim,
            kind="pdf",
            file=pdf_upload(),
            original_name=f"bukti-{number}.pdf",
            size=1,
            uploaded_by=operator_a,
        )
        verification.verdict_save(
            claim=claim, user=verifikator, verdict="sesuai", level=2, reason="", opd_note="", version=None
        )
    client.force_login(verifikator)
    client.get(reverse("scoring:verify", args=[assigned.pk]))

    with django_assert_num_queries(13):
        response = client.get(reverse("scoring:verify", args=[assigned.pk]))

    row = next(row for row in response.context["rows"] if row["claim"].pk == claim.pk)
    assert len(row["claim"].evidence.all()) == count


@pytest.mark.parametrize("count", [1, 3])
def test_verdicts_query_count_does_not_grow(
    client, cycle, opd_a, operator_a, verifikator, admin_user, count, django_assert_num_queries
):
    innovation = _submitted(cycle, opd_a, operator_a, "Ambulans Desa")
    verification.assignment_set(innovation=innovation, verifikator=verifikator, by=admin_user)
    judge_all(innovation, verifikator)
    verification.verification_finish(innovation=innovation, user=verifikator, action="verify")
    innovation.refresh_from_db()
    for _number in range(count):  # the schemes it is nominated in, listed under its verdicts
        scheme = awards.scheme_from_preset(cycle=cycle, preset="presentasi")
        awards.nominate(category=scheme.categories.get(), innovation=innovation, by=admin_user)
    client.force_login(operator_a)
    url = reverse("scoring:innovation_verdicts", args=[innovation.pk])
    client.get(url)

    with django_assert_num_queries(10):
        response = client.get(url)

    assert len(response.context["nominations"]) == count
