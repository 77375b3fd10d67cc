"""The cycle's deadlines, enforced: a draft is submitted up to the filing deadline, a returned innovation
resubmitted up to the revision deadline, unless the admin extended that OPD's deadline (another OPD's
extension does not help); the operator's pages say why submitting is closed, and the disabled buttons say
it too."""

import datetime
import re

import pytest
import rules
from django.urls import reverse

from innovasi.standards.enums import CycleState, DeadlineKind
from innovasi.standards.models import Cycle
from innovasi.standards.selectors import day
from innovasi.standards.services import cycles
from scoring.services import verification
from submissions import services
from submissions.enums import InnovationState

from ..factories import days_from_today
from ..scoring.conftest import judge_all
from .conftest import MANDATORY, complete_profile, fill

pytestmark = pytest.mark.django_db

ASK = "Bila OPD Anda memerlukan waktu, minta perpanjangan kepada admin Bappeda."


def dates(cycle, **days):
    """Move the cycle's dates to ``days`` from today (the others as they are) and return it re-read."""
    Cycle.objects.filter(pk=cycle.pk).update(**{name: days_from_today(n) for name, n in days.items()})
    cycle.refresh_from_db()
    return cycle


def filing_passed(cycle):
    return dates(cycle, filing_closes_on=-1)


def revision_passed(cycle):
    return dates(cycle, filing_closes_on=-20, verification_closes_on=-10, revision_closes_on=-1)


def extend(cycle, opd, admin, kind, days):
    return cycles.extension_save(
        cycle=cycle,
        opd=opd,
        kind=kind,
        closes_on=days_from_today(days),
        reason="Menunggu SK Bupati",
        user=admin,
    )


def submit(innovation, user):
    return services.innovation_transition(innovation=innovation, user=user, to_state=InnovationState.DIAJUKAN)


def filing_refusal(cycle):
    return (
        f"Batas pengisian {cycle.name} adalah {day(cycle.filing_closes_on)} dan sudah lewat: "
        f"inovasi tidak dapat diajukan lagi. {ASK}"
    )


def revision_refusal(cycle):
    return (
        f"Batas perbaikan {cycle.name} adalah {day(cycle.revision_closes_on)} dan sudah lewat: "
        f"inovasi yang dikembalikan tidak dapat diajukan kembali. {ASK}"
    )


@pytest.fixture
def ready_b(cycle, opd_b, operator_b):
    """OPD B's draft that may be submitted."""
    from ..factories import innovation_create

    innovation = innovation_create(cycle, opd_b, operator_b, name="Sekolah Literasi", **complete_profile())
    fill(innovation, operator_b, dict.fromkeys(MANDATORY, 2))
    return innovation


@pytest.fixture
def returned(ready, operator_a, verifikator, admin_user):
    """OPD A's innovation, submitted and returned to it for revision."""
    submit(ready, operator_a)
    verification.assignment_set(innovation=ready, verifikator=verifikator, by=admin_user)
    judge_all(ready, verifikator, **{"SID-17": {"verdict": "tidak_sesuai", "reason": "SK lama"}})
    verification.verification_finish(innovation=ready, user=verifikator, action="return")
    ready.refresh_from_db()
    return ready


# Filing: a draft


def test_draft_is_submitted_on_the_filing_deadline_itself(ready, operator_a, cycle):
    dates(cycle, filing_closes_on=0)

    submit(ready, operator_a)

    ready.refresh_from_db()
    assert ready.state == InnovationState.DIAJUKAN


def test_draft_after_the_filing_deadline_is_refused_and_says_why(ready, operator_a, cycle):
    filing_passed(cycle)

    with pytest.raises(services.NotEditable) as refused:
        submit(ready, operator_a)

    assert refused.value.message == filing_refusal(cycle)
    ready.refresh_from_db()
    assert ready.state == InnovationState.DRAFT


def test_filing_extension_lets_its_opd_submit_after_the_deadline(ready, operator_a, opd_a, admin_user, cycle):
    filing_passed(cycle)
    extend(cycle, opd_a, admin_user, DeadlineKind.FILING, 3)

    submit(ready, operator_a)

    ready.refresh_from_db()
    assert ready.state == InnovationState.DIAJUKAN


def test_filing_extension_of_one_opd_does_not_help_another(
    ready, ready_b, operator_a, operator_b, opd_b, admin_user, cycle
):
    filing_passed(cycle)
    extend(cycle, opd_b, admin_user, DeadlineKind.FILING, 3)

    with pytest.raises(services.NotEditable) as refused:
        submit(ready, operator_a)
    submit(ready_b, operator_b)

    assert refused.value.message == filing_refusal(cycle)
    ready.refresh_from_db()
    ready_b.refresh_from_db()
    assert (ready.state, ready_b.state) == (InnovationState.DRAFT, InnovationState.DIAJUKAN)


def test_filing_closes_when_the_cycle_moves_to_verifikasi_except_for_an_extended_opd(
    ready, ready_b, operator_a, operator_b, opd_b, admin_user, cycle
):
    extend(cycle, opd_b, admin_user, DeadlineKind.FILING, 40)
    cycles.cycle_transition(cycle=cycle, user=admin_user, to_state=CycleState.VERIFICATION)
    ready.cycle.refresh_from_db()

    with pytest.raises(services.NotEditable) as refused:
        submit(ready, operator_a)
    submit(ready_b, operator_b)

    assert refused.value.message == (
        f"Tahap pengisian {cycle.name} sudah berakhir (kini tahap Verifikasi): inovasi tidak dapat diajukan lagi. {ASK}"
    )
    ready_b.refresh_from_db()
    assert ready_b.state == InnovationState.DIAJUKAN


def test_an_expired_extension_says_so(ready, operator_a, opd_a, admin_user, cycle):
    extend(cycle, opd_a, admin_user, DeadlineKind.FILING, 35)
    dates(cycle, filing_closes_on=-3)
    extension = cycle.extensions.get()
    extension.closes_on = days_from_today(-1)
    extension.save()

    with pytest.raises(services.NotEditable) as refused:
        submit(ready, operator_a)

    assert refused.value.message == (
        f"Perpanjangan batas pengisian untuk OPD Anda sampai {day(days_from_today(-1))} sudah lewat: "
        "inovasi tidak dapat diajukan lagi."
    )


def test_no_new_innovation_is_begun_after_the_filing_deadline(client, cycle, opd_a, operator_a):
    filing_passed(cycle)

    with pytest.raises(services.NotEditable, match=re.escape(filing_refusal(cycle))):
        services.innovation_create(cycle=cycle, opd=opd_a, user=operator_a, name="Terlambat")
    client.force_login(operator_a)
    response = client.post(reverse("submissions:create"), {"name": "Terlambat"}, follow=True)

    assert [str(message) for message in response.context["messages"]] == [filing_refusal(cycle)]
    assert not cycle.innovations.exists()


def test_a_cycle_in_persiapan_or_final_takes_nothing(ready, operator_a, cycle):
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.DRAFT)
    ready.cycle.refresh_from_db()

    with pytest.raises(services.NotEditable):
        submit(ready, operator_a)
    with pytest.raises(services.NotEditable, match=r"masih dalam tahap Persiapan: pengisian belum dibuka\.$"):
        services.innovation_create(cycle=ready.cycle, opd=ready.opd, user=operator_a, name="Terlalu dini")


# Revision: a returned innovation


def test_returned_innovation_is_resubmitted_after_the_filing_deadline(returned, operator_a, cycle):
    filing_passed(cycle)

    submit(returned, operator_a)

    returned.refresh_from_db()
    assert returned.state == InnovationState.DIAJUKAN


def test_returned_innovation_after_the_revision_deadline_is_refused_and_says_why(returned, operator_a, cycle):
    revision_passed(cycle)

    with pytest.raises(services.NotEditable) as refused:
        submit(returned, operator_a)

    assert refused.value.message == revision_refusal(cycle)
    returned.refresh_from_db()
    assert returned.state == InnovationState.REVISI


def test_revision_extension_lets_its_opd_resubmit_and_not_another(
    returned, operator_a, opd_a, opd_b, admin_user, cycle
):
    extend(cycle, opd_b, admin_user, DeadlineKind.REVISION, 95)
    revision_passed(cycle)
    with pytest.raises(services.NotEditable):
        submit(returned, operator_a)

    dates(cycle, revision_closes_on=30)
    extend(cycle, opd_a, admin_user, DeadlineKind.REVISION, 35)
    revision_passed(cycle)
    submit(returned, operator_a)

    returned.refresh_from_db()
    assert returned.state == InnovationState.DIAJUKAN


# What the operator's pages say


def test_edit_page_says_why_submitting_is_closed_and_the_button_says_why_it_is_disabled(
    client, ready, operator_a, cycle
):
    filing_passed(cycle)
    client.force_login(operator_a)

    response = client.get(reverse("submissions:edit", args=[ready.pk]))

    page = response.content.decode()
    assert response.context["submit_window"].refusal == filing_refusal(cycle)
    assert (
        re.search(r'id="submit-closed"[^>]*>.*?</div>', page, re.S)
        .group(0)
        .endswith(f"{filing_refusal(cycle)}</div>")
    )
    button = re.search(r"<button[^>]*data-testid=\"submit-disabled\"[^>]*>(.*?)</button>", page, re.S)
    assert " disabled " in button.group(0)
    assert 'aria-describedby="submit-closed"' in button.group(0)
    assert f'title="{filing_refusal(cycle)}"' in button.group(0)
    assert button.group(1).strip().endswith("Tidak dapat diajukan: batas pengisian sudah lewat")
    assert reverse("submissions:submit", args=[ready.pk]) not in page


def test_submit_posted_after_the_deadline_is_refused_with_the_reason(client, ready, operator_a, cycle):
    filing_passed(cycle)
    client.force_login(operator_a)

    response = client.post(reverse("submissions:submit", args=[ready.pk]))

    assert response.status_code == 403
    assert filing_refusal(cycle) in response.content.decode()
    assert not rules.has_perm("submissions.submit_innovation", operator_a, ready)
    ready.refresh_from_db()
    assert ready.state == InnovationState.DRAFT


def test_returned_edit_page_after_the_revision_deadline_disables_resubmitting(
    client, returned, operator_a, cycle
):
    revision_passed(cycle)
    client.force_login(operator_a)

    page = client.get(reverse("submissions:edit", args=[returned.pk])).content.decode()

    assert revision_refusal(cycle) in page
    assert "Tidak dapat diajukan kembali: batas perbaikan sudah lewat" in page


def test_edit_page_within_the_deadline_offers_the_submit_button(client, ready, operator_a):
    client.force_login(operator_a)

    page = client.get(reverse("submissions:edit", args=[ready.pk])).content.decode()

    assert f'action="{reverse("submissions:submit", args=[ready.pk])}"' in page
    assert 'data-testid="submit-disabled"' not in page
    assert rules.has_perm("submissions.submit_innovation", ready.created_by, ready)


def test_operator_home_after_the_deadline_disables_new_innovations_and_says_why(client, operator_a, cycle):
    filing_passed(cycle)
    client.force_login(operator_a)

    response = client.get(reverse("submissions:list"))

    page = response.content.decode()
    assert response.context["can_file"] is False
    assert (
        f'<li class="text-danger" id="filing-closed"><i class="bi bi-lock" aria-hidden="true"></i> {filing_refusal(cycle)}</li>'
        in page
    )
    button = re.search(r"<button[^>]*data-testid=\"create-disabled\"[^>]*>(.*?)</button>", page, re.S)
    assert 'aria-describedby="filing-closed"' in button.group(0)
    assert button.group(1).strip().endswith("Inovasi baru: batas pengisian sudah lewat")
    assert f'href="{reverse("submissions:create")}"' not in page


def test_operator_home_shows_the_opds_extension_and_its_reason(client, operator_a, opd_a, admin_user, cycle):
    extension = extend(cycle, opd_a, admin_user, DeadlineKind.FILING, 40)
    client.force_login(operator_a)

    response = client.get(reverse("submissions:list"))

    assert response.context["can_file"] is True
    assert (
        f"OPD Anda dapat membuat dan mengajukan inovasi sampai {day(extension.closes_on)}. "
        "Batas ini diperpanjang untuk OPD Anda: Menunggu SK Bupati"
    ) in response.content.decode()


def test_operator_without_extension_sees_the_cycles_own_deadline(
    client, operator_b, opd_a, admin_user, cycle
):
    extend(cycle, opd_a, admin_user, DeadlineKind.FILING, 40)
    client.force_login(operator_b)

    page = client.get(reverse("submissions:list")).content.decode()

    assert f"OPD Anda dapat membuat dan mengajukan inovasi sampai {day(cycle.filing_closes_on)}." in page
    assert "diperpanjang" not in page
    assert datetime.date.today() <= cycle.filing_closes_on
