"""Reliability with the real services: a worker process on Redis recomputes after a verdict, and a
worker killed in the middle of a recompute leaves the old snapshot until another worker redoes it."""

import os
import signal
import time

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from scoring.enums import SnapshotKind
from scoring.models import CycleScoreState, IndexSnapshot
from scoring.services import index, verification

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


def test_killed_worker_leaves_the_old_snapshot_and_a_retry_writes_the_new(
    celery_workers, assigned, verifikator, cycle
):
    first = celery_workers.start(CELERY_VISIBILITY_TIMEOUT="3")
    # Let the worker finish what the fixtures' changes asked for, so the next task is ours.
    assert wait_for(lambda: not CycleScoreState.objects.get(cycle=cycle).is_pending), celery_workers.logs()
    before = newest_verified(cycle)
    settings_dict = connection.settings_dict
    # Hold the snapshot table so the worker's recompute blocks half-way, after reading the data.
    with psycopg.connect(
        host=settings_dict["HOST"],
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        dbname=settings_dict["NAME"],
        autocommit=False,
    ) as blocker:
        blocker.execute("LOCK TABLE scoring_indexsnapshot IN ACCESS EXCLUSIVE MODE")
        started = timezone.now()
        claim = assigned.claims.get(indicator__code="SID-16")
        verification.verdict_save(
            claim=claim, user=verifikator, verdict="sesuai", level=2, reason="", opd_note="", version=None
        )
        assert wait_for(lambda: (CycleScoreState.objects.get(cycle=cycle).started_at or started) > started), (
            celery_workers.logs()
        )
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
        blocker.rollback()

    assert newest_verified(cycle).pk == before.pk  # nothing half-written

    celery_workers.start(CELERY_VISIBILITY_TIMEOUT="3")

    assert wait_for(lambda: newest_verified(cycle).pk != before.pk), celery_workers.logs()
    assert newest_verified(cycle).result["innovations"][0]["row_scores"]["SID-16"] == "6.00"
