"""The OPD head's endorsement: with the region's setting on, the operator's Ajukan waits for the head of the
OPD, who endorses it on to Bappeda or sends it back with a note; with it off, nothing changes. Who may,
what Bappeda sees meanwhile, the notifications and e-mails, the history, the deadlines and the pages."""

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from innovasi.accounts.enums import Role
from innovasi.accounts.models import Notification
from innovasi.accounts.permissions import allowed
from innovasi.accounts.services import people
from innovasi.errors import PortalError
from scoring.selectors import index as index_selectors
from scoring.selectors import verification as verification_selectors
from scoring.services import verification
from submissions import selectors, services
from submissions.enums import InnovationState
from submissions.models import Innovation

from ..factories import UserFactory, days_from_today, innovation_create
from ..scoring.conftest import judge_all
from .conftest import MANDATORY, complete_profile, fill

pytestmark = pytest.mark.django_db

AWAITING = InnovationState.MENUNGGU_PENGESAHAN


@pytest.fixture
def endorsing(region):
    """The region asks for the OPD head's endorsement."""
    region.opd_endorsement = True
    region.save(update_fields=["opd_endorsement"])
    return region


def submit(innovation, operator):
    """The operator's Ajukan, wherever the region's setting takes it."""
    innovation.refresh_from_db()
    return services.innovation_transition(
        innovation=innovation, user=operator, to_state=selectors.submission_target(innovation)
    )


@pytest.fixture
def waiting(endorsing, ready, operator_a, kepala_a, django_capture_on_commit_callbacks):
    """A draft of OPD A submitted by its operator, waiting for its head (kepala_a)."""
    with django_capture_on_commit_callbacks(execute=True):
        submit(ready, operator_a)
    ready.refresh_from_db()
    return ready


def test_without_the_setting_ajukan_goes_straight_to_bappeda(ready, operator_a, kepala_a):
    submitted = submit(ready, operator_a)

    assert submitted.state == InnovationState.DIAJUKAN
    assert submitted.submitted_at is not None
    assert selectors.endorsements_waiting(user=kepala_a) == []


def test_with_the_setting_ajukan_waits_for_the_head_and_not_for_bappeda(
    waiting, operator_a, kepala_a, verifikator, admin_user, pimpinan
):
    assert waiting.state == AWAITING
    assert waiting.submitted_at is None  # it has not reached Bappeda
    assert [item.innovation.pk for item in selectors.endorsements_waiting(user=kepala_a)] == [waiting.pk]
    assert selectors.endorsements_waiting(user=kepala_a)[0].submitted_by == operator_a
    for reader in (verifikator, admin_user, pimpinan):
        assert not selectors.visible(reader).filter(pk=waiting.pk).exists()
        assert not allowed(reader, "submissions.view_innovation", waiting)
    assert list(verification_selectors.queue(user=admin_user, cycle=waiting.cycle)) == []
    assert list(verification_selectors.unassigned(cycle=waiting.cycle)) == []
    assert not allowed(admin_user, "scoring.judge_innovation", waiting)
    with pytest.raises(PortalError, match="hanya inovasi yang diajukan atau direvisi yang ditugaskan"):
        verification.assignment_set(innovation=waiting, verifikator=verifikator, by=admin_user)
    assert selectors.visible(operator_a).filter(pk=waiting.pk).exists()


def test_the_head_is_told_by_notification_and_email(waiting, kepala_a):
    notification = Notification.objects.get(user=kepala_a)

    assert notification.title == "Inovasi «Posyandu Digital» menunggu pengesahan Anda"
    assert notification.url == f"/inovasi/{waiting.pk}/#pengesahan"
    assert [message.to for message in mail.outbox] == [[kepala_a.email]]
    assert mail.outbox[0].subject.endswith("Inovasi «Posyandu Digital» menunggu pengesahan Anda")


def test_endorsing_passes_it_on_to_bappeda_in_the_history_and_tells_the_operators(
    waiting, kepala_a, operator_a, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.innovation_endorse(innovation=waiting, user=kepala_a, action=services.ENDORSE)

    waiting.refresh_from_db()
    assert waiting.state == InnovationState.DIAJUKAN
    assert waiting.submitted_at is not None
    assert [item.pk for item in verification_selectors.queue(user=admin_user, cycle=waiting.cycle)] == [
        waiting.pk
    ]
    history = [entry.what for entry in selectors.innovation_history(waiting)]
    assert history[:2] == [
        "Status: Menunggu pengesahan kepala OPD → Diajukan",
        "Status: Draf → Menunggu pengesahan kepala OPD",
    ]
    assert selectors.innovation_history(waiting)[0].who == kepala_a
    assert Notification.objects.get(user=operator_a).title == "Inovasi «Posyandu Digital» disahkan kepala OPD"
    assert selectors.endorsements_waiting(user=kepala_a) == []


def test_sending_back_returns_the_draft_with_the_note_shown_and_told(
    client, waiting, kepala_a, operator_a, django_capture_on_commit_callbacks
):
    note = "Lengkapi foto kegiatan dan SK penugasan sebelum saya sahkan."

    with django_capture_on_commit_callbacks(execute=True):
        services.innovation_endorse(innovation=waiting, user=kepala_a, action=services.SEND_BACK, note=note)

    waiting.refresh_from_db()
    assert (waiting.state, waiting.endorsement_note, waiting.submitted_at) == (
        InnovationState.DRAFT,
        note,
        None,
    )
    assert (
        selectors.innovation_history(waiting)[0].what
        == f"Status: Menunggu pengesahan kepala OPD → Draf. {note}"
    )
    notification = Notification.objects.get(user=operator_a)
    assert notification.title == "Inovasi «Posyandu Digital» dikembalikan kepala OPD"
    assert note in notification.body
    assert notification.url == f"/inovasi/{waiting.pk}/ubah/"
    assert mail.outbox[-1].to == [operator_a.email]
    assert note in mail.outbox[-1].body
    client.force_login(operator_a)
    for page in (f"/inovasi/{waiting.pk}/", f"/inovasi/{waiting.pk}/ubah/"):
        assert f"Catatan kepala OPD:</strong> {note}" in client.get(page).content.decode()
    # Submitted again: the note goes, and it waits for the head again.
    submit(waiting, operator_a)
    waiting.refresh_from_db()
    assert (waiting.state, waiting.endorsement_note) == (AWAITING, "")


def test_sending_back_needs_a_note_and_changes_nothing_without_one(waiting, kepala_a):
    records = waiting.history.count()

    with pytest.raises(PortalError, match="Tuliskan catatan untuk operator"):
        services.innovation_endorse(innovation=waiting, user=kepala_a, action=services.SEND_BACK, note="  ")

    waiting.refresh_from_db()
    assert waiting.state == AWAITING
    assert waiting.history.count() == records


def test_an_unknown_decision_is_refused(waiting, kepala_a):
    with pytest.raises(PortalError, match="Tindakan tidak dikenal"):
        services.innovation_endorse(innovation=waiting, user=kepala_a, action="hapus")


@pytest.mark.parametrize("who", ["operator_a", "operator_b", "verifikator", "admin_user", "pimpinan", "juri"])
def test_nobody_but_the_head_of_its_opd_endorses(request, waiting, who):
    user = request.getfixturevalue(who)

    for action in (services.ENDORSE, services.SEND_BACK):
        with pytest.raises(PortalError, match="Hanya kepala OPD pemilik inovasi yang mengesahkannya"):
            services.innovation_endorse(innovation=waiting, user=user, action=action, note="Tidak")

    waiting.refresh_from_db()
    assert waiting.state == AWAITING


def test_the_head_of_another_opd_is_refused(waiting, opd_b):
    head_b = UserFactory(username="kepala.b", region=opd_b.region, role=Role.KEPALA_OPD, opd=opd_b)

    with pytest.raises(PortalError, match="Hanya kepala OPD pemilik inovasi"):
        services.innovation_endorse(innovation=waiting, user=head_b, action=services.ENDORSE)


def test_the_head_decides_only_what_waits_for_them(endorsing, ready, kepala_a):
    with pytest.raises(PortalError, match="berstatus Draf: tidak ada yang menunggu pengesahan Anda"):
        services.innovation_endorse(innovation=ready, user=kepala_a, action=services.ENDORSE)


def test_nothing_but_the_head_moves_a_waiting_innovation(waiting, operator_a, verifikator):
    with pytest.raises(PortalError, match="tidak dapat diubah menjadi Diajukan"):
        services.innovation_transition(innovation=waiting, user=operator_a, to_state=InnovationState.DIAJUKAN)
    with pytest.raises(PortalError, match="tidak dapat diubah menjadi Terverifikasi"):
        services.innovation_transition(
            innovation=waiting, user=verifikator, to_state=InnovationState.TERVERIFIKASI, actor="verifier"
        )
    # A draft sent back as if the verifier had returned it: the head sends it only to where it came from.
    with pytest.raises(PortalError, match="tidak dapat diubah menjadi Revisi"):
        services.innovation_transition(
            innovation=waiting, user=operator_a, to_state=InnovationState.REVISI, actor="head"
        )


def test_the_setting_changed_under_the_operator_is_refused_with_what_to_do(endorsing, ready, operator_a):
    with pytest.raises(PortalError, match="diajukan kepada kepala OPD untuk disahkan lebih dahulu"):
        services.innovation_transition(innovation=ready, user=operator_a, to_state=InnovationState.DIAJUKAN)

    ready.refresh_from_db()
    assert ready.state == InnovationState.DRAFT


def test_an_opd_without_a_head_is_told_before_submitting(endorsing, ready, operator_a):
    ready.refresh_from_db()

    problems = selectors.innovation_checklist(ready)["problems"]

    assert problems == [
        "Dinas Kesehatan belum mempunyai kepala OPD di portal, padahal setiap pengajuan menunggu pengesahannya. "
        "Minta admin Bappeda mendaftarkan kepala OPD Anda (peran Kepala OPD)."
    ]
    with pytest.raises(PortalError, match="belum dapat diajukan"):
        submit(ready, operator_a)


def test_a_return_by_the_verifier_resubmitted_waits_again_and_goes_back_as_a_return(
    endorsing,
    ready,
    operator_a,
    kepala_a,
    verifikator,
    admin_user,
    django_capture_on_commit_callbacks,
):
    submit(ready, operator_a)
    services.innovation_endorse(innovation=ready, user=kepala_a, action=services.ENDORSE)
    verification.assignment_set(innovation=ready, verifikator=verifikator, by=admin_user)
    judge_all(ready, verifikator, **{"SID-17": {"verdict": "tidak_sesuai", "reason": "SK lama"}})
    verification.verification_finish(innovation=ready, user=verifikator, action="return", note="Perbaiki SK.")
    first_arrival = Innovation.objects.get(pk=ready.pk).submitted_at

    resubmitted = submit(ready, operator_a)
    assert resubmitted.state == AWAITING
    assert resubmitted.return_note == "Perbaiki SK."  # still there for the head and, sent back, the OPD
    assert not selectors.visible(verifikator).filter(pk=ready.pk).exists()
    services.innovation_endorse(
        innovation=ready, user=kepala_a, action=services.SEND_BACK, note="SK-nya belum ditandatangani."
    )
    ready.refresh_from_db()
    assert (ready.state, ready.return_note, ready.submitted_at) == (
        InnovationState.REVISI,
        "Perbaiki SK.",
        first_arrival,
    )
    assert list(ready.claims.filter(needs_fix=True).values_list("indicator__code", flat=True)) == ["SID-17"]

    submit(ready, operator_a)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.innovation_endorse(innovation=ready, user=kepala_a, action=services.ENDORSE)
    ready.refresh_from_db()
    assert (ready.state, ready.return_note) == (InnovationState.DIAJUKAN, "")
    assert dict(Notification.objects.values_list("user__username", "title")) == {
        "operator.a": "Inovasi «Posyandu Digital» disahkan kepala OPD",
        "verifikator": "Inovasi «Posyandu Digital» diajukan kembali",
    }


def test_an_endorsement_pending_at_the_filing_deadline_is_still_decided(waiting, kepala_a, client):
    cycle = waiting.cycle
    cycle.opens_on, cycle.filing_closes_on = days_from_today(-60), days_from_today(-1)
    cycle.save(update_fields=["opens_on", "filing_closes_on"])
    client.force_login(kepala_a)

    page = client.get(f"/inovasi/{waiting.pk}/").content.decode()

    assert 'data-testid="endorse-late"' in page
    assert "operator tidak dapat mengajukannya lagi kecuali admin Bappeda memperpanjang" in page
    services.innovation_endorse(innovation=waiting, user=kepala_a, action=services.ENDORSE)
    waiting.refresh_from_db()
    assert waiting.state == InnovationState.DIAJUKAN


def test_no_endorsement_once_the_cycle_is_final(waiting, kepala_a):
    waiting.cycle.state = "final"
    waiting.cycle.save(update_fields=["state"])

    with pytest.raises(PortalError, match="berstatus Final: inovasinya tidak dapat diubah"):
        services.innovation_endorse(innovation=waiting, user=kepala_a, action=services.ENDORSE)


def test_waiting_for_the_head_is_not_verified_but_makes_the_index_provisional(waiting):
    assert index_selectors.verification_under_way(waiting.cycle)
    assert waiting.is_in_verification


def test_head_pages_endorse_and_send_back(client, waiting, kepala_a):
    client.force_login(kepala_a)

    home = client.get("/", follow=True)
    detail = client.get(f"/inovasi/{waiting.pk}/").content.decode()
    endorsed = client.post(f"/inovasi/{waiting.pk}/pengesahan/", {"action": "endorse"}, follow=True)

    assert home.redirect_chain[-1][0] == "/inovasi/pengesahan/"
    assert "Posyandu Digital" in home.content.decode()
    assert 'data-testid="endorse-box"' in detail
    assert "«Posyandu Digital» disahkan dan diteruskan ke Bappeda." in endorsed.content.decode()
    assert "Tidak ada inovasi yang menunggu pengesahan Anda." in endorsed.content.decode()


def test_head_page_send_back_without_note_says_why_and_changes_nothing(client, waiting, kepala_a):
    client.force_login(kepala_a)

    response = client.post(
        f"/inovasi/{waiting.pk}/pengesahan/", {"action": "return", "note": ""}, follow=True
    )

    assert "Tuliskan catatan untuk operator" in response.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == AWAITING


def test_the_operator_sees_it_waiting_and_cannot_decide(client, waiting, operator_a):
    client.force_login(operator_a)

    detail = client.get(f"/inovasi/{waiting.pk}/").content.decode()
    refused = client.post(f"/inovasi/{waiting.pk}/pengesahan/", {"action": "endorse"})

    assert 'data-testid="awaiting-endorsement"' in detail
    assert 'data-testid="endorse-box"' not in detail
    assert refused.status_code == 403


@pytest.mark.parametrize("who", ["operator_b", "verifikator", "outsider_admin"])
def test_outsiders_get_404_for_a_waiting_innovation(request, client, waiting, who):
    client.force_login(request.getfixturevalue(who))

    assert client.get(f"/inovasi/{waiting.pk}/").status_code == 404
    assert client.post(f"/inovasi/{waiting.pk}/pengesahan/", {"action": "endorse"}).status_code == 404
    waiting.refresh_from_db()
    assert waiting.state == AWAITING


def test_the_edit_page_says_where_ajukan_goes(client, endorsing, ready, operator_a, kepala_a):
    client.force_login(operator_a)

    page = client.get(f"/inovasi/{ready.pk}/ubah/").content.decode()
    submitted = client.post(f"/inovasi/{ready.pk}/ajukan/", follow=True).content.decode()

    assert "Ajukan ke kepala OPD" in page
    assert "Ajukan inovasi ini kepada kepala OPD untuk disahkan?" in page
    assert "Inovasi diajukan kepada kepala OPD untuk disahkan, lalu diteruskan ke Bappeda." in submitted


def _waiting_of(cycle, opd, operator, name):
    innovation = innovation_create(cycle, opd, operator, name=name, **complete_profile())
    fill(innovation, operator, dict.fromkeys(MANDATORY, 2))
    return submit(innovation, operator)


@pytest.mark.parametrize("count", [1, 3])
def test_head_list_queries_do_not_grow(client, endorsing, cycle, opd_a, operator_a, kepala_a, count):
    for number in range(count):
        _waiting_of(cycle, opd_a, operator_a, f"Inovasi {number}")
    client.force_login(kepala_a)
    client.get(reverse("submissions:endorsements"))  # the session, the cache

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("submissions:endorsements"))

    assert response.content.decode().count("#pengesahan") == count
    # The session, the user, the cycles, the waiting innovations, their operators, the stages' extensions
    # and the unread notifications.
    assert len(queries) == 7


def test_the_list_and_filters_show_the_waiting_state_only_where_it_occurs(
    client, waiting, operator_a, verifikator
):
    client.force_login(operator_a)
    own = client.get("/inovasi/").content.decode()
    client.force_login(verifikator)
    bappeda = client.get("/inovasi/").content.decode()

    assert "Menunggu pengesahan kepala OPD" in own
    assert "Menunggu pengesahan kepala OPD" not in bappeda
    assert "Posyandu Digital" not in bappeda


def test_a_head_needs_an_opd(region):
    problems = people.user_problems(
        name="Kepala",
        email="kepala@example.org",
        role=Role.KEPALA_OPD,
        opd=None,
        region_id=region.pk,
        accounts=[],
    )

    assert problems == ["Kepala OPD harus terdaftar pada satu OPD."]
    with pytest.raises(IntegrityError):
        UserFactory(username="tanpa.opd", region=region, role=Role.KEPALA_OPD, opd=None)


PERSONAS = ["operator_a", "operator_b", "kepala_a", "verifikator", "admin_user", "juri", "pimpinan"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_visible_is_the_view_rule_for_every_state(
    request, endorsing, cycle, opd_a, operator_a, kepala_a, persona
):
    user = request.getfixturevalue(persona)
    innovations = {
        state: innovation_create(cycle, opd_a, operator_a, name=state) for state in InnovationState
    }
    for state, innovation in innovations.items():
        Innovation.objects.filter(pk=innovation.pk).update(state=state)

    listed = set(selectors.visible(user).filter(cycle=cycle).values_list("pk", flat=True))
    ruled = {
        pk
        for pk, innovation in ((i.pk, Innovation.objects.get(pk=i.pk)) for i in innovations.values())
        if allowed(user, "submissions.view_innovation", innovation)
    }

    assert listed == ruled


def test_the_setting_is_kept_in_the_region_history(client, region, admin_user):
    from innovasi.accounts.selectors import region_settings_history
    from innovasi.accounts.services import region_settings_update

    region_settings_update(
        region=region, user=admin_user, version=region.settings_version, values={"opd_endorsement": True}
    )

    region.refresh_from_db()
    entry = region_settings_history(region)[0]
    assert region.opd_endorsement is True
    assert (entry.who, entry.changes) == (admin_user, (("pengesahan kepala OPD", "tidak", "ya"),))


def test_the_settings_page_names_the_opds_without_a_head(
    client, endorsing, admin_user, operator_a, operator_b, kepala_a
):
    client.force_login(admin_user)

    page = client.get("/akun/wilayah/pengaturan/").content.decode()

    assert 'name="opd_endorsement"' in page
    warning = page[page.index('data-testid="opds-without-head"') :]
    warning = warning[: warning.index("</div>")]
    assert "Dinas Pendidikan" in warning
    assert "Dinas Kesehatan" not in warning
