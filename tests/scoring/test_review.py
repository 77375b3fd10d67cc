"""The loop between the verifier and the OPD after a return: the rows to fix, their verdicts and notes,
the OPD's answers and "sudah diperbaiki" marks, what the verifier sees on re-verification, and what the
OPD is told."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from innovasi.accounts.models import Notification
from innovasi.errors import PortalError
from scoring.services import verification
from submissions import services as submission_services
from submissions.enums import CommentKind, InnovationState
from submissions.models import Claim, ClaimComment

from ..submissions.conftest import pdf_upload
from .conftest import judge_all

pytestmark = pytest.mark.django_db

NOTES = {
    "SID-17": {
        "verdict": "tidak_sesuai",
        "reason": "SK tidak menyebut inovasi",
        "opd_note": "Unggah SK yang benar",
    },
    "SID-32": {"verdict": "tidak_dapat_diukur", "reason": "Foto buram"},
    "SID-16": {"verdict": "sesuai", "level": 1, "opd_note": "Tingkat 2 butuh laporan evaluasi"},
}


@pytest.fixture
def returned(assigned, verifikator, django_capture_on_commit_callbacks):
    judge_all(assigned, verifikator, **NOTES)
    with django_capture_on_commit_callbacks(execute=True):
        verification.verification_finish(innovation=assigned, user=verifikator, action="return")
    assigned.refresh_from_db()
    return assigned


def _row(innovation, code):
    return innovation.claims.select_related("indicator").get(indicator__code=code)


def test_a_return_opens_a_thread_on_each_noted_row(returned, verifikator):
    noted = {
        claim.indicator.code: claim
        for claim in returned.claims.filter(needs_fix=True).select_related("indicator")
    }

    assert sorted(noted) == ["SID-16", "SID-17", "SID-32"]
    assert [(c.kind, c.body, c.author) for c in noted["SID-17"].comments.all()] == [
        (CommentKind.RETURN_NOTE, "Unggah SK yang benar", verifikator)
    ]
    # A rejection without a note for the OPD reaches it with its verdict and reason.
    assert [c.body for c in noted["SID-32"].comments.all()] == ["Tidak dapat diukur: Foto buram"]
    assert not any(claim.fixed for claim in noted.values())


def test_the_return_notification_and_mail_name_every_row_and_its_note(returned, operator_a):
    notification = Notification.objects.get(user=operator_a)

    assert notification.body.startswith("Perlu diperbaiki: SID-16, SID-17, SID-32.")
    assert "- SID-17 " in notification.body
    assert ": Unggah SK yang benar" in notification.body
    assert ": Tidak dapat diukur: Foto buram" in notification.body
    assert ": Tingkat 2 butuh laporan evaluasi" in notification.body
    sent = [message for message in mail.outbox if operator_a.email in message.to]
    assert len(sent) == 1
    assert "Unggah SK yang benar" in sent[0].body


def test_the_opd_answers_a_note_and_marks_rows_fixed(returned, operator_a):
    sk = _row(returned, "SID-17")

    submission_services.claim_answer(claim=sk, user=operator_a, body="SK baru sudah diunggah", fixed=True)
    submission_services.claim_answer(claim=_row(returned, "SID-32"), user=operator_a, body="", fixed=True)

    sk.refresh_from_db()
    assert sk.fixed
    assert [(c.kind, c.body) for c in sk.comments.all()] == [
        (CommentKind.RETURN_NOTE, "Unggah SK yang benar"),
        (CommentKind.ANSWER, "SK baru sudah diunggah"),
    ]
    assert (
        ClaimComment.objects.filter(claim=_row(returned, "SID-32")).count() == 1
    )  # a mark alone adds no text
    assert sk.history.first().history_change_reason == "Ditandai sudah diperbaiki"


def test_an_answer_is_refused_where_there_is_nothing_to_answer(returned, assigned, operator_a):
    with pytest.raises(PortalError, match="tidak diberi catatan"):
        submission_services.claim_answer(
            claim=_row(returned, "SID-33"), user=operator_a, body="?", fixed=False
        )
    with pytest.raises(PortalError, match="Tulis jawaban"):
        submission_services.claim_answer(
            claim=_row(returned, "SID-17"), user=operator_a, body=" ", fixed=False
        )
    assert ClaimComment.objects.filter(kind=CommentKind.ANSWER).count() == 0


def test_no_answer_once_resubmitted(returned, operator_a):
    submission_services.claim_answer(claim=_row(returned, "SID-17"), user=operator_a, body="", fixed=True)
    submission_services.innovation_transition(
        innovation=returned, user=operator_a, to_state=InnovationState.DIAJUKAN
    )

    with pytest.raises(PortalError, match="dijawab selama inovasi dikembalikan"):
        submission_services.claim_answer(
            claim=_row(returned, "SID-17"), user=operator_a, body="lagi", fixed=True
        )


def test_a_second_return_keeps_the_thread_and_asks_again(returned, operator_a, verifikator):
    submission_services.claim_answer(
        claim=_row(returned, "SID-17"), user=operator_a, body="Sudah", fixed=True
    )
    submission_services.claim_answer(claim=_row(returned, "SID-32"), user=operator_a, body="", fixed=True)
    submission_services.innovation_transition(
        innovation=returned, user=operator_a, to_state=InnovationState.DIAJUKAN
    )
    judge_all(returned, verifikator, **{"SID-17": {"verdict": "tidak_sesuai", "reason": "Masih SK lama"}})

    verification.verification_finish(innovation=returned, user=verifikator, action="return")

    sk, photo = _row(returned, "SID-17"), _row(returned, "SID-32")
    assert (sk.needs_fix, sk.fixed, photo.needs_fix, photo.fixed) == (True, False, False, False)
    assert [c.body for c in sk.comments.all()] == [
        "Unggah SK yang benar",
        "Sudah",
        "Tidak sesuai: Masih SK lama",
    ]


def test_the_edit_page_lists_the_rows_to_fix_with_links_and_their_threads(client, returned, operator_a):
    sk = _row(returned, "SID-17")
    submission_services.claim_answer(claim=sk, user=operator_a, body="SK baru diunggah", fixed=True)
    client.force_login(operator_a)

    page = client.get(reverse("submissions:edit", args=[returned.pk])).content.decode()

    banner = page[page.index('data-testid="to-fix"') :][:2000]
    links = [
        f'href="#indikator-{_row(returned, code).pk}">{code}</a>' for code in ("SID-16", "SID-17", "SID-32")
    ]
    assert all(link in banner for link in links)
    assert "1 dari 3 sudah ditandai diperbaiki" in banner
    assert "Unggah SK yang benar" in page
    assert "SK baru diunggah" in page
    assert page.count('name="fixed"') == 3  # an answer form on each row to fix, none elsewhere
    assert reverse("scoring:row_verdicts", args=[returned.pk]) in page


def test_each_claimed_row_shows_its_verdict_and_the_level_accepted(client, returned, operator_a):
    client.force_login(operator_a)

    fragment = client.get(reverse("scoring:row_verdicts", args=[returned.pk])).content.decode()

    accepted = fragment[fragment.index(f'id="row-verdict-{_row(returned, "SID-16").pk}"') :][:900]
    assert "tingkat 1 diterima (diklaim 2)" in accepted
    assert "skor terverifikasi" in accepted
    assert "<strong>3</strong> / 9" in accepted  # weight 3 × level 1
    rejected = fragment[fragment.index(f'id="row-verdict-{_row(returned, "SID-17").pk}"') :][:900]
    assert "Tidak sesuai" in rejected
    assert "SK tidak menyebut inovasi" in rejected


def test_the_answer_view_answers_with_the_thread_and_the_banner(client, returned, operator_a):
    sk = _row(returned, "SID-17")
    client.force_login(operator_a)

    response = client.post(
        reverse("submissions:claim_answer", args=[returned.pk, sk.pk]),
        {"body": "Sudah saya ganti", "fixed": "1"},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="row-review-{sk.pk}"' in body
    assert "Sudah saya ganti" in body
    assert "Jawaban tersimpan" in body
    assert 'id="revision-banner" hx-swap-oob="innerHTML"' in body
    assert "1 dari 3" in body


def test_the_verifier_sees_the_answers_the_marks_and_the_new_files(client, returned, operator_a, verifikator):
    sk = _row(returned, "SID-17")
    old_file = sk.evidence.get()
    later = timezone.now() + datetime.timedelta(seconds=1)
    submission_services.evidence_add(claim=sk, user=operator_a, uploaded=pdf_upload("sk-baru.pdf"))
    new_file = sk.evidence.get(original_name="sk-baru.pdf")
    type(new_file).objects.filter(pk=new_file.pk).update(uploaded_at=later)
    submission_services.claim_answer(claim=sk, user=operator_a, body="SK baru sudah diunggah", fixed=True)
    submission_services.innovation_transition(
        innovation=returned, user=operator_a, to_state=InnovationState.DIAJUKAN
    )
    client.force_login(verifikator)

    page = client.get(reverse("scoring:verify", args=[returned.pk])).content.decode()

    row = page[page.index(f'id="baris-{sk.pk}"') :]
    row = row[: row.index("</article>")]
    assert "SK baru sudah diunggah" in row
    assert "OPD: sudah diperbaiki" in row
    new_at = row.index("sk-baru.pdf")
    assert 'data-testid="evidence-new"' in row[new_at : new_at + 900]
    assert row.count('data-testid="evidence-new"') == 1, f"{old_file.original_name} is not new"
    assert 'data-testid="running-kematangan"' in page


def test_the_running_kematangan_counts_what_is_accepted_so_far(client, assigned, verifikator):
    client.force_login(verifikator)
    url = reverse("scoring:verify_progress", args=[assigned.pk])

    before = client.get(url).content.decode()
    judge_all(assigned, verifikator, **{"SID-16": {"level": 1}})
    after = client.get(url).content.decode()

    # Claimed 3×2 + 2×2 + 2×2 + 3×2 + 4×2 = 28; accepted so far: nothing, then 28 − 3 = 25.
    assert "<strong>0.00</strong>" in before or "<strong>0,00</strong>" in before
    assert "<strong>25,00</strong>" in after or "<strong>25.00</strong>" in after
    assert 'id="finish-buttons" hx-swap-oob="true"' in after  # the note typed in the box stays


def test_the_notes_of_earlier_returns_become_threads(transactional_db):
    """The migration turns each note a row ever had (its history) into a message by its author."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    before, after = (
        [("submissions", "0006_innovation_published_index")],
        [("submissions", "0007_row_threads")],
    )
    old = executor.migrate(before).apps  # every other app as it is now
    region = old.get_model("accounts", "Region").objects.create(name="Uji", kind="kabupaten", code="99.01")
    opd = old.get_model("accounts", "Opd").objects.create(region=region, name="Dinas", short_name="D")
    user = old.get_model("accounts", "User").objects.create(username="v", region=region, role="verifikator")
    catalogue = old.get_model("standards", "Catalogue").objects.first()
    cycle = old.get_model("standards", "Cycle").objects.create(
        region=region,
        catalogue=catalogue,
        name="Uji",
        opens_on=datetime.date(2026, 1, 2),
        filing_closes_on=datetime.date(2026, 8, 31),
        verification_closes_on=datetime.date(2026, 9, 30),
        revision_closes_on=datetime.date(2026, 10, 31),
        final_on=datetime.date(2026, 11, 30),
    )
    innovation = old.get_model("submissions", "Innovation").objects.create(
        cycle=cycle, opd=opd, created_by=user, name="Uji"
    )
    indicator = old.get_model("standards", "Indicator").objects.filter(catalogue=catalogue).first()
    claim = old.get_model("submissions", "Claim").objects.create(
        innovation=innovation, indicator=indicator, revision_note="Kedua"
    )
    history = old.get_model("submissions", "HistoricalClaim")
    base = {"id": claim.pk, "innovation_id": innovation.pk, "indicator_id": indicator.pk, "level": 0}
    for moment, note in ((1, ""), (2, "Pertama"), (3, "Kedua")):
        history.objects.create(
            **base,
            revision_note=note,
            version=1,
            updated_at=timezone.now(),
            history_date=timezone.now() + datetime.timedelta(minutes=moment),
            history_type="~",
            history_user_id=user.pk,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(after)

    comments = list(ClaimComment.objects.filter(claim_id=claim.pk).values_list("body", "author_id"))
    needs_fix = Claim.objects.get(pk=claim.pk).needs_fix
    # The later migrations again, as the tests after this one expect the schema (the models' own).
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert comments == [("Pertama", user.pk), ("Kedua", user.pk)]
    assert needs_fix
