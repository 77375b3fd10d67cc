"""Snapshots: recomputed after commit and coalesced, idempotent, reproducible with iid_simulate, and
explained change by change."""

import json
from decimal import Decimal

import pytest
from django.core.management import ManagementUtility, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from scoring.enums import SnapshotKind
from scoring.models import CycleScoreState, IndexSnapshot
from scoring.selectors import index as index_selectors
from scoring.selectors.inputs import cycle_inputs
from scoring.services import index, verification
from submissions import services as submission_services
from submissions.enums import InnovationState

from ..factories import innovation_create
from ..submissions.conftest import MANDATORY, complete_profile, fill
from .conftest import judge_all

pytestmark = pytest.mark.django_db


def recompute(cycle):
    return index.cycle_recompute(cycle_id=cycle.pk)


def test_recompute_writes_claimed_and_verified_snapshots(assigned, verifikator, cycle):
    judge_all(assigned, verifikator, **{"SID-16": {"level": 1}})

    recompute(cycle)

    claimed = index_selectors.snapshots_newest(cycle=cycle)[SnapshotKind.CLAIMED]
    verified = index_selectors.snapshots_newest(cycle=cycle)[SnapshotKind.VERIFIED]
    # One eligible innovation, kematangan 28 claimed and 25 verified; divisor 12; no SPD, no count score.
    assert (claimed.result["sid_average"], claimed.iid) == (2.33, Decimal("0.93"))
    assert (verified.result["sid_average"], verified.iid) == (2.08, Decimal("0.83"))
    assigned.refresh_from_db()
    assert (assigned.kematangan_claimed, assigned.kematangan_verified) == (Decimal(28), Decimal(25))


def test_recompute_twice_with_the_same_inputs_writes_once(assigned, cycle):
    first = recompute(cycle)
    second = recompute(cycle)

    assert [written for _c, _s, written in first.values()] == [True, True]
    assert [written for _c, _s, written in second.values()] == [False, False]
    assert IndexSnapshot.objects.filter(cycle=cycle).count() == 2


def test_a_verdict_changes_the_verified_hash_only(assigned, verifikator, cycle):
    recompute(cycle)
    judge_all(assigned, verifikator)

    outcome = recompute(cycle)

    assert {kind: written for kind, (_c, _s, written) in outcome.items()} == {
        "claimed": False,
        "verified": True,
    }


def test_burst_of_changes_in_one_transaction_counts_each_and_sends_one_recompute(
    assigned, verifikator, cycle, django_capture_on_commit_callbacks, monkeypatch
):
    from scoring.tasks import recompute_cycle

    sent = []
    monkeypatch.setattr(recompute_cycle, "enqueue", lambda **kwargs: sent.append(kwargs) or True)
    before = CycleScoreState.objects.get(cycle=cycle).changes

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(3):
            judge_all(assigned, verifikator)  # 15 verdicts, each announcing a change

    assert sent == [{"cycle_id": cycle.pk}]
    assert CycleScoreState.objects.get(cycle=cycle).changes - before == 15


def test_a_change_rolled_back_is_not_counted(assigned, verifikator, cycle):
    before = CycleScoreState.objects.get(cycle=cycle).changes

    @transaction.atomic
    def judge_then_fail():
        judge_all(assigned, verifikator)
        raise RuntimeError("the request failed after the verdicts")

    with pytest.raises(RuntimeError):
        judge_then_fail()

    assert CycleScoreState.objects.get(cycle=cycle).changes == before


def test_redis_stopped_a_return_still_notifies_the_opd_and_its_email_goes_later(
    assigned, verifikator, operator_a, redis_stopped, django_capture_on_commit_callbacks, settings, mailoutbox
):
    from django.utils import timezone

    from innovasi.accounts.models import Notification
    from innovasi.accounts.tasks import deliver_pending_notifications

    operator_a.email = "operator@example.org"
    operator_a.save()
    judge_all(assigned, verifikator)
    with django_capture_on_commit_callbacks(execute=True):
        verification.verification_finish(innovation=assigned, user=verifikator, action="return", note="Foto.")

    notification = Notification.objects.get(user=operator_a)  # made here: the broker was away
    assert notification.emailed_at is None
    assert mailoutbox == []
    deliver_pending_notifications()  # too soon: its own delivery task may still come
    assert mailoutbox == []

    Notification.objects.filter(pk=notification.pk).update(
        created_at=timezone.now() - timezone.timedelta(minutes=20)
    )
    deliver_pending_notifications()  # the quarter-hourly sweep, once Redis is back
    deliver_pending_notifications()

    assert [message.to for message in mailoutbox] == [["operator@example.org"]]
    assert mailoutbox[0].subject == notification.title


def test_catalogue_change_recomputes_the_running_cycles_on_it(
    cycle, other_region, client, django_capture_on_commit_callbacks, monkeypatch
):
    from innovasi.standards.models import Catalogue, Indicator, Urusan
    from innovasi.standards.services import DATA_DIR

    from ..factories import CycleFactory, UserFactory

    elsewhere = CycleFactory(region=other_region)
    CycleFactory(region=cycle.region, catalogue=Catalogue.objects.get(code="iid-2023"), state="final")
    requested = []
    monkeypatch.setattr(index, "change_record", requested.append)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_catalog", str(DATA_DIR / "iid-2026.yaml"), verbosity=0)
    loaded, requested[:] = sorted(requested), []
    indicator = Indicator.objects.get(catalogue__code="iid-2026", code="SID-16")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(f"/admin/standards/indicator/{indicator.pk}/change/")
        form = page.context["adminform"].form
        data = {  # the JSON fields (evidence kinds, guidance lists, basis labels) post as JSON
            name: json.dumps(value) if isinstance(value, list | dict) else value
            for name, value in form.initial.items()
            if value is not None
        }
        data.update(
            {
                "weight": "4",
                "evidence_kinds": '["pdf"]',
                "options-TOTAL_FORMS": "0",
                "options-INITIAL_FORMS": "0",
                "_portal_fingerprint": page.context["portal_fingerprint"],
            }
        )
        client.post(f"/admin/standards/indicator/{indicator.pk}/change/", data)

    edited, requested[:] = sorted(requested), []
    urusan = Urusan.objects.get(code="sosial")
    urusan_page = client.get(f"/admin/standards/urusan/{urusan.pk}/change/")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/admin/standards/urusan/{urusan.pk}/change/",
            {
                "code": urusan.code,
                "name": urusan.name,
                "group": "wajib_non_yandas",
                "position": urusan.position,
                "_portal_fingerprint": urusan_page.context["portal_fingerprint"],
            },
        )

    assert loaded == edited == sorted([cycle.pk, elsewhere.pk])
    assert Indicator.objects.get(pk=indicator.pk).weight == 4
    assert Urusan.objects.get(pk=urusan.pk).group == "wajib_non_yandas"
    assert sorted(requested) == sorted([cycle.pk, elsewhere.pk])


def test_changes_share_the_task_that_waits_and_the_next_after_it_starts(
    cycle, celery_broker, django_capture_on_commit_callbacks
):
    celery_broker("memory://")  # keeps the task, and no worker of another test takes it

    def change():
        with django_capture_on_commit_callbacks(execute=True):
            index.change_record(cycle.pk)
        return CycleScoreState.objects.get(cycle=cycle)

    first = change().enqueued_at
    waiting = change()
    CycleScoreState.objects.filter(cycle=cycle).update(started_at=timezone.now())  # the task starts
    after_start = change()

    assert waiting.enqueued_at == first  # the waiting task will read the second change too
    assert (waiting.changes, waiting.is_pending) == (2, True)
    assert after_start.enqueued_at > first  # it may have read the data already: one more task


def test_recompute_counts_the_changes_it_read(assigned, cycle):
    state = CycleScoreState.objects.get(cycle=cycle)
    assert state.is_pending

    recompute(cycle)

    state.refresh_from_db()
    assert (state.is_pending, state.computed_changes) == (False, state.changes)


def test_sweep_sends_only_pending_cycles_whose_change_has_waited(assigned, cycle, other_region):
    from ..factories import CycleFactory

    quiet = CycleFactory(region=other_region)
    recompute(quiet)
    now = timezone.now()
    CycleScoreState.objects.filter(cycle=cycle).update(changed_at=now, enqueued_at=None)
    just_changed = index.cycles_pending()
    CycleScoreState.objects.filter(cycle=cycle).update(changed_at=now - index.SWEEP_GRACE * 2)
    waited = index.cycles_pending()
    again_at_once = index.cycles_pending()  # the task just sent is left to start
    CycleScoreState.objects.filter(cycle=cycle).update(enqueued_at=now - index.SWEEP_WAIT * 2)
    lost = index.cycles_pending()

    assert (just_changed, waited, again_at_once, lost) == ([], [cycle.pk], [], [cycle.pk])


def test_redis_stopped_verdicts_save_and_the_index_catches_up_later(
    client, assigned, verifikator, admin_user, cycle, redis_stopped, django_capture_on_commit_callbacks
):
    client.force_login(verifikator)
    with django_capture_on_commit_callbacks(execute=True):
        for claim in assigned.claims.filter(level__gt=0):
            saved = client.post(
                reverse("scoring:verdict_save", args=[assigned.pk, claim.pk]),
                {
                    f"v{claim.pk}-verdict": "sesuai",
                    f"v{claim.pk}-level": str(claim.level),
                    f"v{claim.pk}-version": "1",
                },
                HTTP_HX_REQUEST="true",
            )
            assert "Putusan tersimpan" in saved.content.decode()
        finished = client.post(reverse("scoring:verify_finish", args=[assigned.pk]), {"action": "verify"})
    index_page = client.get(reverse("scoring:index"))
    client.force_login(admin_user)
    dashboard = client.get(reverse("reports:dashboard"))

    assert finished.status_code == 302
    assigned.refresh_from_db()
    assert assigned.state == InnovationState.TERVERIFIKASI
    state = CycleScoreState.objects.get(cycle=cycle)
    assert state.is_pending  # recorded with each verdict: the sweep sends it once Redis answers
    assert state.enqueued_at is None
    assert index_page.status_code == dashboard.status_code == 200
    assert "Pembaruan indeks sedang diproses" in index_page.content.decode()

    assert assigned.kematangan_verified is None  # not computed yet

    index.cycle_recompute(cycle_id=cycle.pk)  # what the swept task does once Redis is back

    assigned.refresh_from_db()
    assert not CycleScoreState.objects.get(cycle=cycle).is_pending
    assert assigned.kematangan_verified > 0
    assert assigned.kematangan_verified == assigned.kematangan_claimed  # every row accepted as claimed


def simulated_and_stored(path, snapshot, capsys):
    """iid_simulate's output on ``path``, and the same figures as ``snapshot`` stores them."""
    call_command("iid_simulate", str(path))
    simulated = json.loads(capsys.readouterr().out)
    stored = snapshot.result
    innovations = [{key: item[key] for key in item if key != "row_scores"} for item in stored["innovations"]]
    return simulated, {**{key: stored[key] for key in simulated}, "innovations": innovations}


def test_export_scenario_and_simulate_reproduce_the_snapshot(assigned, verifikator, cycle, tmp_path, capsys):
    judge_all(assigned, verifikator, **{"SID-16": {"level": 1}})
    recompute(cycle)

    for kind in SnapshotKind.values:
        path = tmp_path / f"{kind}.json"
        call_command("iid_export_scenario", cycle=cycle.pk, kind=kind, output=str(path))
        simulated, stored = simulated_and_stored(
            path, index_selectors.snapshots_newest(cycle=cycle)[kind], capsys
        )
        assert simulated == stored


def test_export_of_a_snapshot_computed_with_other_rules_is_refused(assigned, verifikator, cycle, capsys):
    from innovasi.standards.models import Indicator
    from innovasi.standards.services import catalogue_changed

    judge_all(assigned, verifikator)
    recompute(cycle)
    snapshot = index_selectors.snapshots_newest(cycle=cycle)[SnapshotKind.VERIFIED]
    Indicator.objects.filter(catalogue=cycle.catalogue, code="SID-16").update(weight=4)
    catalogue_changed(cycle.catalogue_id)  # as every change of a catalogue does
    capsys.readouterr()

    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "iid_export_scenario", "--snapshot", str(snapshot.pk)]).execute()

    output = capsys.readouterr()
    assert exit_.value.code == 1
    assert output.out == ""
    assert f"snapshot {snapshot.pk} was computed with other catalogue rules" in output.err


def test_recompute_check_reports_a_stale_snapshot(assigned, verifikator, cycle, capsys):
    recompute(cycle)
    judge_all(assigned, verifikator)

    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", "iid_recompute", "--cycle", str(cycle.pk), "--check"]).execute()

    output = capsys.readouterr()
    assert exit_.value.code == 1
    assert "verified: iid stored 0.0, now 0.93" in output.out
    assert output.err == "CommandError: the stored snapshots do not match the data\n"


def test_contributions_add_up_to_the_iid(cycle, opd_a, opd_b, operator_a, operator_b):
    for opd, user, count in ((opd_a, operator_a, 2), (opd_b, operator_b, 1)):
        for number in range(count):
            innovation = innovation_create(
                cycle, opd, user, name=f"{opd.short_name} {number}", **complete_profile()
            )
            fill(innovation, user, dict.fromkeys(MANDATORY, 3))
            submission_services.innovation_transition(innovation=innovation, user=user, to_state="diajukan")

    recompute(cycle)

    claimed = index_selectors.snapshots_newest(cycle=cycle)[SnapshotKind.CLAIMED]
    parts = [Decimal(item["iid_points"]) for item in claimed.result["contributions"]]
    assert sum(parts) + Decimal(claimed.result["spd_points"]) == claimed.iid
    assert [item["opd_id"] for item in claimed.result["contributions"]] == [str(opd_a.pk), str(opd_b.pk)]


def test_snapshot_changes_name_the_rows_that_moved(assigned, verifikator, cycle):
    judge_all(assigned, verifikator)
    recompute(cycle)
    claim = assigned.claims.get(indicator__code="SID-16")
    verification.verdict_save(
        claim=claim,
        user=verifikator,
        verdict="tidak_sesuai",
        level=0,
        reason="SK kedaluwarsa",
        opd_note="",
        version=None,
    )
    recompute(cycle)

    changes = index_selectors.snapshot_changes(
        index_selectors.snapshots_newest(cycle=cycle)[SnapshotKind.VERIFIED]
    )

    assert changes["iid_delta"] == Decimal("-0.20")  # 6 points of kematangan / divisor 12 / 2.5
    assert [(c["name"], c["rows"]) for c in changes["innovations"]] == [
        ("Posyandu Digital", [("SID-16", "6.00", "0.00")])
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_cycle_inputs_query_count_does_not_grow(cycle, opd_a, operator_a, count, django_assert_num_queries):
    for number in range(count):
        innovation = innovation_create(
            cycle, opd_a, operator_a, name=f"Inovasi {number}", **complete_profile()
        )
        fill(innovation, operator_a, {"SID-16": 2})

    cycle_inputs(cycle)  # the catalogue's rules are read once per revision, then kept

    with django_assert_num_queries(3):
        cycle_inputs(cycle)
