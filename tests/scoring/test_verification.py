"""Assignment with its conflict rules, verdicts, finishing, the revision loop, four-eyes SPD rows and
notifications."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from innovasi.accounts.models import Notification
from innovasi.errors import PortalError
from scoring.enums import Verdict
from scoring.models import Verification
from scoring.selectors.verification import verifikators_by_open_work
from scoring.services import spd, verification
from scoring.tasks import notify_state_change
from submissions import services as submission_services
from submissions.enums import InnovationState
from submissions.samples import pdf_bytes

from ..factories import UserFactory, innovation_create
from ..submissions.conftest import fill
from .conftest import judge_all

pytestmark = pytest.mark.django_db


def test_assignment_refuses_a_verifikator_of_the_same_opd(submitted, opd_a, admin_user, verifikator):
    colleague = UserFactory(username="v.dinkes", region=opd_a.region, role="verifikator", opd=opd_a)

    with pytest.raises(PortalError) as error:
        verification.assignment_set(innovation=submitted, verifikator=colleague, by=admin_user)

    assert error.value.message == (
        "v.dinkes berasal dari OPD yang sama (Dinkes): tidak boleh memverifikasi inovasi OPD sendiri."
    )
    assert not hasattr(submitted, "assignment")


def test_assignment_refuses_the_innovation_creator(cycle, opd_a, bappeda, admin_user, verifikator):
    own = innovation_create(cycle, opd_a, verifikator, name="Dibuat verifikator")
    own.state = InnovationState.DIAJUKAN
    own.save()

    with pytest.raises(PortalError, match="membuat inovasi ini sendiri"):
        verification.assignment_set(innovation=own, verifikator=verifikator, by=admin_user)


def test_assignment_suggestion_balances_open_work(assigned, verifikator, verifikator2):
    order = [user.username for user in verifikators_by_open_work(verifikator.region_id)]

    assert order == ["verifikator2", "verifikator"]


def test_assignments_balance_spreads_innovations(
    cycle, opd_a, operator_a, admin_user, verifikator, verifikator2
):
    innovations = []
    for number in range(4):
        innovation = innovation_create(cycle, opd_a, operator_a, name=f"Inovasi {number}")
        innovation.state = InnovationState.DIAJUKAN
        innovation.save()
        innovations.append(innovation)

    results = verification.assignments_balance(innovations=innovations, by=admin_user)

    assert sorted(assignment.verifikator.username for _i, assignment, _r in results) == [
        "verifikator",
        "verifikator",
        "verifikator2",
        "verifikator2",
    ]


def test_reassignment_keeps_the_verdicts(assigned, verifikator, verifikator2, admin_user):
    judge_all(assigned, verifikator)

    verification.assignment_set(innovation=assigned, verifikator=verifikator2, by=admin_user)

    assert Verification.objects.filter(claim__innovation=assigned, verdict=Verdict.SESUAI).count() == 5


def test_verdict_level_above_the_claim_is_refused(assigned, verifikator):
    claim = assigned.claims.get(indicator__code="SID-16")  # claimed at level 2

    with pytest.raises(PortalError, match=r"antara 1 dan tingkat klaim OPD \(2\)"):
        verification.verdict_save(
            claim=claim, user=verifikator, verdict="sesuai", level=3, reason="", opd_note="", version=None
        )


@pytest.mark.parametrize("verdict", ["tidak_sesuai", "tidak_dapat_diukur"])
def test_verdict_rejection_requires_a_reason(assigned, verifikator, verdict):
    claim = assigned.claims.get(indicator__code="SID-16")

    with pytest.raises(PortalError, match="Tuliskan alasan"):
        verification.verdict_save(
            claim=claim, user=verifikator, verdict=verdict, level=0, reason=" ", opd_note="", version=None
        )


def test_verdict_only_by_the_assigned_verifikator(assigned, verifikator2):
    claim = assigned.claims.get(indicator__code="SID-16")

    with pytest.raises(PortalError, match="Hanya verifikator yang ditugaskan"):
        verification.verdict_save(
            claim=claim, user=verifikator2, verdict="sesuai", level=2, reason="", opd_note="", version=None
        )


def test_admin_may_not_judge_an_innovation_of_their_own_opd(client, cycle, bappeda, admin_user):
    from ..submissions.conftest import MANDATORY, complete_profile

    operator = UserFactory(region=bappeda.region, role="operator", opd=bappeda)
    own = innovation_create(cycle, bappeda, operator, name="Musrenbang Daring", **complete_profile())
    fill(own, operator, dict.fromkeys(MANDATORY, 2))
    submission_services.innovation_transition(
        innovation=own, user=operator, to_state=InnovationState.DIAJUKAN
    )
    claim = own.claims.get(indicator__code="SID-16")
    client.force_login(admin_user)

    with pytest.raises(PortalError, match="berasal dari OPD yang sama \\(Bappeda\\)"):
        verification.verdict_save(
            claim=claim, user=admin_user, verdict="sesuai", level=2, reason="", opd_note="", version=None
        )
    page = client.get(reverse("scoring:verify", args=[own.pk]))

    assert page.status_code == 403
    assert "tidak boleh memverifikasi inovasi OPD sendiri" in page.content.decode()


def test_concurrent_verdicts_second_save_gets_a_conflict(assigned, verifikator, admin_user):
    claim = assigned.claims.get(indicator__code="SID-16")
    verification.verdict_save(
        claim=claim, user=verifikator, verdict="sesuai", level=2, reason="", opd_note="", version=1
    )

    with pytest.raises(PortalError, match="baru saja disimpan oleh verifikator"):
        verification.verdict_save(
            claim=claim, user=admin_user, verdict="tidak_sesuai", level=0, reason="x", opd_note="", version=1
        )

    assert Verification.objects.get(claim=claim).verdict == Verdict.SESUAI


def test_finish_needs_every_claimed_row_judged(assigned, verifikator):
    with pytest.raises(
        PortalError, match=r"Masih ada baris yang belum dinilai: SID-16, SID-17, SID-32, SID-33, SID-35\."
    ):
        verification.verification_finish(innovation=assigned, user=verifikator, action="verify")


def test_verify_locks_and_verified_kematangan_differs_where_a_level_was_lowered(
    assigned, verifikator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the recompute runs after commit (eagerly here)
        judge_all(assigned, verifikator, **{"SID-16": {"level": 1}})
        verification.verification_finish(innovation=assigned, user=verifikator, action="verify")

    assigned.refresh_from_db()
    assert assigned.state == InnovationState.TERVERIFIKASI
    # Claimed: 3×2 + 2×2 + 2×2 + 3×2 + 4×2 = 28; SID-16 accepted at level 1 instead of 2: 28 − 3 = 25.
    assert (assigned.kematangan_claimed, assigned.kematangan_verified) == (28, 25)


def test_revision_loop_resets_only_the_changed_row(assigned, verifikator, operator_a):
    rejection = {
        "verdict": "tidak_sesuai",
        "reason": "SK tidak menyebut inovasi",
        "opd_note": "Unggah SK yang benar",
    }
    judge_all(assigned, verifikator, **{"SID-17": rejection})
    verification.verification_finish(innovation=assigned, user=verifikator, action="return")
    assigned.refresh_from_db()
    assert assigned.state == InnovationState.REVISI
    noted = assigned.claims.get(indicator__code="SID-17")
    assert (noted.needs_fix, [c.body for c in noted.comments.all()]) == (True, ["Unggah SK yang benar"])
    assert not assigned.claims.exclude(pk=noted.pk).filter(needs_fix=True).exists()

    claim = assigned.claims.get(indicator__code="SID-17")
    submission_services.evidence_add(
        claim=claim, user=operator_a, uploaded=SimpleUploadedFile("sk-baru.pdf", pdf_bytes("SK baru"))
    )
    submission_services.innovation_transition(
        innovation=assigned, user=operator_a, to_state=InnovationState.DIAJUKAN
    )

    verdicts = dict(
        Verification.objects.filter(claim__innovation=assigned).values_list(
            "claim__indicator__code", "verdict"
        )
    )
    assert verdicts == {
        "SID-16": "sesuai",
        "SID-17": "pending",
        "SID-32": "sesuai",
        "SID-33": "sesuai",
        "SID-35": "sesuai",
    }


def test_a_rejected_row_without_a_note_reaches_the_opd_with_its_verdict_and_reason(assigned, verifikator):
    rejection = {"verdict": "tidak_dapat_diukur", "reason": "Foto buram"}
    judge_all(assigned, verifikator, **{"SID-32": rejection})

    verification.verification_finish(innovation=assigned, user=verifikator, action="return")

    noted = assigned.claims.get(indicator__code="SID-32")
    assert [comment.body for comment in noted.comments.all()] == ["Tidak dapat diukur: Foto buram"]


def test_return_needs_a_note_for_the_opd(assigned, verifikator):
    judge_all(assigned, verifikator)

    with pytest.raises(PortalError, match="Tuliskan catatan untuk OPD"):
        verification.verification_finish(innovation=assigned, user=verifikator, action="return")


def test_general_return_note_reaches_the_opd_whole_and_goes_on_resubmission(
    client, assigned, verifikator, operator_a, django_capture_on_commit_callbacks
):
    from submissions.selectors import innovation_history

    # Longer than the 100 characters of a default history reason, which PostgreSQL would refuse.
    note = "Lengkapi foto kegiatan. " + "Sertakan daftar hadir dan berita acara setiap kegiatan. " * 4
    judge_all(assigned, verifikator)
    with django_capture_on_commit_callbacks(execute=True):
        verification.verification_finish(innovation=assigned, user=verifikator, action="return", note=note)
    client.force_login(operator_a)

    detail = client.get(f"/inovasi/{assigned.pk}/").content.decode()
    edit = client.get(f"/inovasi/{assigned.pk}/ubah/").content.decode()
    notification = Notification.objects.get(user=operator_a)

    assert f"Catatan umum verifikator:</strong> {note.strip()}" in detail
    assert f"Catatan umum verifikator:</strong> {note.strip()}" in edit
    assert notification.body.startswith(
        "Verifikator mengembalikan inovasi ini untuk diperbaiki."
    )  # no row notes
    assert notification.body.endswith(f"Catatan umum verifikator: {note.strip()}")
    assert "Catatan verifikator tampil pada indikator" not in edit
    assert innovation_history(assigned)[0].what.endswith(note.strip())
    assigned.refresh_from_db()
    submission_services.innovation_transition(innovation=assigned, user=operator_a, to_state="diajukan")
    assigned.refresh_from_db()
    assert assigned.return_note == ""


def test_notifications_are_sent_after_commit_and_only_once(
    assigned, verifikator, operator_a, django_capture_on_commit_callbacks
):
    judge_all(assigned, verifikator)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        verification.verification_finish(innovation=assigned, user=verifikator, action="verify")

    assert callbacks  # the notification task waited for the commit
    event = assigned.history.latest().history_id
    notify_state_change(innovation_id=assigned.pk, event=event)  # a retried task
    notifications = Notification.objects.filter(user=operator_a)
    assert [n.title for n in notifications] == ["Inovasi «Posyandu Digital» sudah diverifikasi"]


def test_assignment_notifies_the_verifikator(
    submitted, verifikator, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        verification.assignment_set(innovation=submitted, verifikator=verifikator, by=admin_user)

    assert list(Notification.objects.filter(user=verifikator).values_list("title", flat=True)) == [
        "Tugas verifikasi baru: Posyandu Digital"
    ]


def pdf(name="data.pdf"):
    return SimpleUploadedFile(name, pdf_bytes("Data SPD"))


def test_spd_row_four_eyes(cycle, admin_user, admin2, verifikator):
    spd.spd_entries_ensure(cycle)
    entry = cycle.spd_entries.get(indicator__code="SPD-01")
    spd.spd_entry_save(entry=entry, user=admin_user, level=3, note="", version=None)
    spd.spd_evidence_add(entry=entry, user=admin_user, uploaded=pdf())

    with pytest.raises(PortalError, match="empat mata"):
        spd.spd_accept(entry=entry, user=admin_user)
    spd.spd_accept(entry=entry, user=admin2)
    entry.refresh_from_db()
    assert entry.accepted_by == admin2

    spd.spd_entry_save(entry=entry, user=admin_user, level=2, note="", version=None)
    entry.refresh_from_db()
    assert entry.accepted_by is None  # a changed row must be accepted again


def test_spd_row_without_evidence_cannot_be_accepted(cycle, admin_user, verifikator):
    spd.spd_entries_ensure(cycle)
    entry = cycle.spd_entries.get(indicator__code="SPD-01")
    spd.spd_entry_save(entry=entry, user=admin_user, level=3, note="", version=None)

    with pytest.raises(PortalError, match="tanpa tingkat atau bukti"):
        spd.spd_accept(entry=entry, user=verifikator)


def test_spd_only_admin_fills(cycle, verifikator):
    spd.spd_entries_ensure(cycle)
    entry = cycle.spd_entries.get(indicator__code="SPD-01")

    with pytest.raises(PortalError, match="Hanya admin Bappeda"):
        spd.spd_entry_save(entry=entry, user=verifikator, level=3, note="", version=None)


def test_draft_rows_filled_later_do_not_need_verdicts(assigned, verifikator, operator_a):
    fill_rows = {"SID-18": 2}
    assert assigned.state == InnovationState.DIAJUKAN
    with pytest.raises(submission_services.NotEditable):
        fill(assigned, operator_a, fill_rows)


def test_a_late_notification_says_what_its_event_was_not_what_the_innovation_is_now(
    ready, operator_a, verifikator, admin_user, django_capture_on_commit_callbacks
):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # one commit for all
        submission_services.innovation_transition(innovation=ready, user=operator_a, to_state="diajukan")
        verification.assignment_set(innovation=ready, verifikator=verifikator, by=admin_user)
        judge_all(ready, verifikator)
        verification.verification_finish(innovation=ready, user=verifikator, action="verify")

    titles = list(
        Notification.objects.filter(user__in=[operator_a, verifikator]).values_list("title", flat=True)
    )
    assert titles.count("Inovasi «Posyandu Digital» sudah diverifikasi") == 1  # not again for the submission
    assert not any("diajukan kembali" in title for title in titles)  # a first submission is no resubmission
