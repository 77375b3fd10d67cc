"""Bappeda's screens: every URL with every persona, the queue's query count, the verdict row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from scoring.models import Verification
from scoring.services import index, verification
from submissions import services

from ..conftest import PERSONAS
from ..factories import innovation_create
from ..submissions.conftest import MANDATORY, complete_profile, fill

pytestmark = pytest.mark.django_db

BAPPEDA = {
    "operator_a": 403,
    "operator_b": 403,
    "verifikator": 200,
    "admin_user": 200,
    "juri": 403,
    "pimpinan": 403,
}
ADMIN_ONLY = {**BAPPEDA, "verifikator": 403}
READERS = {**BAPPEDA, "pimpinan": 200}


def expect(table, persona):
    return 302 if persona == "anonymous" else table[persona]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("scoring:queue", BAPPEDA),
        ("scoring:assignments", ADMIN_ONLY),
        ("scoring:spd", READERS),
        ("scoring:index", READERS),
    ],
)
def test_permission_walk_pages(persona_client, persona, name, table, cycle):
    assert persona_client(persona).get(reverse(name)).status_code == expect(table, persona)


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_walk_verification_of_one_innovation(persona_client, persona, assigned):
    client = persona_client(persona)
    claim = assigned.claims.get(indicator__code="SID-16")
    pk = assigned.pk
    verdicts_table = {**READERS, "operator_a": 200, "operator_b": 404, "juri": 404}

    verify = client.get(reverse("scoring:verify", args=[pk])).status_code
    progress = client.get(reverse("scoring:verify_progress", args=[pk])).status_code
    verdicts = client.get(reverse("scoring:innovation_verdicts", args=[pk])).status_code
    verdict = client.post(
        reverse("scoring:verdict_save", args=[pk, claim.pk]),
        {f"v{claim.pk}-verdict": "sesuai", f"v{claim.pk}-level": "2", f"v{claim.pk}-version": "1"},
        HTTP_HX_REQUEST="true",
    ).status_code
    finish = client.post(reverse("scoring:verify_finish", args=[pk]), {"action": "verify"}).status_code

    assert (verify, progress, verdicts) == (
        expect(BAPPEDA, persona),
        expect(BAPPEDA, persona),
        expect(verdicts_table, persona),
    )
    assert verdict == expect(BAPPEDA, persona)
    assert finish == (302 if persona in ("anonymous", "verifikator", "admin_user") else 403)
    judged = Verification.objects.filter(claim=claim, verdict="sesuai").exists()
    assert judged == (persona in ("verifikator", "admin_user"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_walk_spd_assignments_and_snapshot(persona_client, persona, assigned, cycle, admin_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from scoring.models import SpdEvidence
    from scoring.services import spd
    from submissions.samples import pdf_bytes

    spd.spd_entries_ensure(cycle)
    entry = cycle.spd_entries.order_by("pk").first()
    spd.spd_entry_save(entry=entry, user=admin_user, level=2, note="", version=None)
    upload = SimpleUploadedFile("perda.pdf", pdf_bytes(), content_type="application/pdf")
    evidence = spd.spd_evidence_add(entry=entry, user=admin_user, uploaded=upload)
    index.cycle_recompute(cycle_id=cycle.pk)
    snapshot = cycle.snapshots.first()
    client = persona_client(persona)
    denied = dict.fromkeys(BAPPEDA, 403)
    admin_writes = {**denied, "admin_user": 302}

    download = client.get(reverse("scoring:spd_evidence_download", args=[evidence.pk])).status_code
    snapshot_page = client.get(reverse("scoring:snapshot", args=[snapshot.pk])).status_code
    writes = {
        "spd_save": client.post(reverse("scoring:spd_save", args=[entry.pk])).status_code,
        "spd_upload": client.post(reverse("scoring:spd_upload", args=[entry.pk])).status_code,
        "spd_accept": client.post(reverse("scoring:spd_accept", args=[entry.pk])).status_code,
        "assignments": client.post(reverse("scoring:assignments")).status_code,
        "reassign": client.post(reverse("scoring:reassign", args=[assigned.pk])).status_code,
        "spd_evidence_remove": client.post(
            reverse("scoring:spd_evidence_remove", args=[evidence.pk])
        ).status_code,
    }

    assert (download, snapshot_page) == (expect(READERS, persona), expect(READERS, persona))
    assert writes == {
        "spd_save": expect(admin_writes, persona),
        "spd_upload": expect(admin_writes, persona),
        "spd_accept": expect({**admin_writes, "verifikator": 302}, persona),
        "assignments": expect({**denied, "admin_user": 200}, persona),
        "reassign": expect(admin_writes, persona),
        "spd_evidence_remove": expect(admin_writes, persona),
    }
    assert SpdEvidence.objects.filter(pk=evidence.pk).exists() == (persona != "admin_user")


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
