"""Reliability with the real services: a worker process on Redis recomputes after a verdict, and two
recomputes of one cycle at once never write the same snapshot twice. What happens when a worker is
killed or a service goes away is tested in tests/faults."""

import time

import pytest
from django.db import connection

from scoring.enums import SnapshotKind
from scoring.models import CycleScoreState, IndexSnapshot
from scoring.services import index

from .conftest import judge_all

pytestmark = pytest.mark.services


def wait_for(condition, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.25)
    return False


def newest_verified(cycle):
    return (
        IndexSnapshot.objects.filter(cycle=cycle, kind=SnapshotKind.VERIFIED).order_by("-computed_at").first()
    )


def test_worker_recomputes_after_a_verdict(celery_workers, assigned, verifikator, cycle):
    index.cycle_recompute(cycle_id=cycle.pk)
    before = newest_verified(cycle)
    celery_workers.start()

    judge_all(assigned, verifikator)  # autocommit: each verdict commits and asks for a recompute

    assert wait_for(lambda: newest_verified(cycle).pk != before.pk), celery_workers.logs()
    assert newest_verified(cycle).iid > before.iid
    assert wait_for(lambda: not CycleScoreState.objects.get(cycle=cycle).is_pending)


@pytest.mark.django_db(transaction=True)
def test_two_recomputes_at_once_write_each_snapshot_once(
    assigned, verifikator, cycle, monkeypatch, celery_broker
):
    import threading

    from django.db import connection as default_connection

    if default_connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (as in CI: .ci/run)")
    celery_broker("memory://")  # the recomputes the verdicts ask for wait there: only the two below run
    index.cycle_recompute(cycle_id=cycle.pk)
    judge_all(assigned, verifikator)  # a change both runs will see
    before = IndexSnapshot.objects.filter(cycle=cycle, kind=SnapshotKind.VERIFIED).count()
    first_reading, let_first_go = threading.Event(), threading.Event()
    compute = index.cycle_compute

    def slow_first(locked_cycle):
        if not first_reading.is_set():
            first_reading.set()
            let_first_go.wait(10)
        return compute(locked_cycle)

    monkeypatch.setattr(index, "cycle_compute", slow_first)

    def run():
        try:
            index.cycle_recompute(cycle_id=cycle.pk)
        finally:
            connection.close()

    first = threading.Thread(target=run)
    first.start()
    assert first_reading.wait(10)
    second = threading.Thread(target=run)
    second.start()
    time.sleep(0.5)  # the second run waits on the cycle's lock, before reading anything
    let_first_go.set()
    first.join(20)
    second.join(20)

    hashes = list(
        IndexSnapshot.objects.filter(cycle=cycle, kind=SnapshotKind.VERIFIED)
        .order_by("computed_at", "pk")
        .values_list("inputs_hash", flat=True)
    )
    assert len(hashes) == before + 1  # the second run found the first's snapshot: nothing to write
    assert len(set(hashes)) == len(hashes)
