"""The index heals itself: with real PostgreSQL, Redis, gunicorn, a Celery worker and beat, after each
fault — the worker killed in the middle of a recompute and just after a change, Redis refused and hung
for 20 s, PostgreSQL restarted — the snapshots equal a fresh recompute within 30 s of the service being
back, with no new change, no snapshot written twice and no acknowledged write lost.

One test walks the faults in order on one stack of its own (tests/faults/stack.py): building it costs
about half a minute, and each fault leaves the next to start from a caught-up portal. Runs with the other
``services`` tests (``.ci/run``); needs PostgreSQL's server programs and redis-server on this machine.
"""

import contextlib
import re
import shutil
import time

import pytest

from .stack import PG_BIN, Stack, wait_for

pytestmark = pytest.mark.services

RECOVERY_SECONDS = 30
OUTAGE_SECONDS = 20

CLAIMS = """
SELECT c.id, c.innovation_id FROM submissions_claim c
JOIN submissions_innovation i ON i.id = c.innovation_id
JOIN accounts_opd o ON o.id = i.opd_id
JOIN standards_indicator ind ON ind.id = c.indicator_id
WHERE i.state = 'revisi' AND o.short_name = 'Dinkes' AND c.level > 0 AND ind.code <> 'SID-33'
  AND EXISTS (SELECT 1 FROM submissions_evidence e WHERE e.claim_id = c.id)
ORDER BY c.id LIMIT 3
"""
DUPLICATES = """
SELECT count(*) FROM (
  SELECT inputs_hash, lag(inputs_hash) OVER (PARTITION BY cycle_id, kind ORDER BY computed_at, id) AS previous
  FROM scoring_indexsnapshot
) AS consecutive WHERE inputs_hash = previous
"""


class Operator:
    """operator.dinkes changing the levels of rows of a returned innovation (it counts in the claimed
    index), remembering what the portal acknowledged ("Tersimpan")."""

    def __init__(self, stack):
        self.stack = stack
        self.browser = stack.browser()
        self.browser.log_in("operator.dinkes", "inovasi-demo")
        self.claims = stack.postgres.rows(CLAIMS)
        assert len(self.claims) == 3, "the demo has a returned Dinkes innovation with rows to change"
        self.acknowledged, self.versions, self.writes = {}, {}, 0

    def change(self):
        """One row's level to the other of 1 and 2; True when acknowledged."""
        claim_id, innovation_id = self.claims[self.writes % len(self.claims)]
        self.writes += 1
        level = 1 if self.acknowledged.get(claim_id, 2) == 2 else 2
        with contextlib.suppress(Exception):  # the database may be away: the last version seen is sent
            ((self.versions[claim_id],),) = self.stack.postgres.rows(
                "SELECT version FROM submissions_claim WHERE id = %s", [claim_id]
            )
        status, text = self.browser.request(
            f"/inovasi/{innovation_id}/indikator/{claim_id}/",
            {
                f"c{claim_id}-level": level,
                f"c{claim_id}-note": "",
                f"c{claim_id}-version": self.versions[claim_id],
            },
            htmx=True,
        )
        if status == 200 and "Tersimpan" in text:
            self.acknowledged[claim_id] = level
        return status

    def keep_changing(self, seconds):
        """Change rows for ``seconds``; the answers' statuses and the slowest answer."""
        statuses, slowest, deadline = [], 0.0, time.monotonic() + seconds
        while time.monotonic() < deadline:
            started = time.monotonic()
            statuses.append(self.change())
            slowest = max(slowest, time.monotonic() - started)
            time.sleep(0.3)
        return statuses, slowest

    def lost(self):
        """The acknowledged levels the database does not hold."""
        stored = dict(
            self.stack.postgres.rows(
                "SELECT id, level FROM submissions_claim WHERE id = ANY(%s)", [list(self.acknowledged)]
            )
        )
        return {claim: level for claim, level in self.acknowledged.items() if stored.get(claim) != level}


def caught_up(stack):
    """No cycle pending, and every running cycle's stored snapshots equal a fresh recompute."""
    if stack.postgres.rows("SELECT count(*) FROM scoring_cyclescorestate WHERE changes > computed_changes")[
        0
    ][0]:
        return False
    running = stack.postgres.rows("SELECT id FROM standards_cycle WHERE state IN ('open', 'verification')")
    return all(
        stack.manage("iid_recompute", "--cycle", str(cycle_id), "--check", check=False).returncode == 0
        for (cycle_id,) in running
    )


def server_errors(stack):
    """The 5xx answers gunicorn logged other than the database outage's 503s."""
    return re.findall(r'" (5(?!03)\d\d) ', stack.processes["web"].text())


@contextlib.contextmanager
def snapshots_held(stack):
    """Hold the snapshot table, so that a recompute started now waits in its middle (after it has locked
    the cycle and read the data, before it writes)."""
    connection = stack.postgres.connect()
    connection.execute("LOCK TABLE scoring_indexsnapshot IN ACCESS EXCLUSIVE MODE")
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            connection.rollback()
            connection.close()


def started_recomputes(stack):
    return stack.postgres.rows("SELECT max(started_at) FROM scoring_cyclescorestate")[0][0]


def worker_ready(stack, times):
    return stack.processes["worker"].text().count("ready.") >= times


@pytest.fixture(scope="module")
def stack():
    from django.conf import settings

    if not settings.REDIS_URL or "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.skip("a services test: runs with PostgreSQL and Redis configured (as in CI: .ci/run)")
    if PG_BIN is None or shutil.which("redis-server") is None:
        pytest.skip("needs PostgreSQL's server programs and redis-server")
    portal = Stack()
    try:
        portal.up()
        yield portal
    finally:
        portal.down()


def test_the_index_heals_itself_after_every_fault(stack):
    operator = Operator(stack)
    recovered = []

    def assert_healed(fault, since):
        healed = wait_for(lambda: caught_up(stack), RECOVERY_SECONDS)
        recovered.append((fault, round(time.monotonic() - since, 1)))
        assert healed, f"{fault}: not caught up {RECOVERY_SECONDS} s after recovery\n{stack.logs()}"
        assert stack.postgres.rows(DUPLICATES)[0][0] == 0, f"{fault}: a snapshot written twice"
        assert operator.lost() == {}, f"{fault}: acknowledged writes lost"
        assert server_errors(stack) == [], f"{fault}: server errors\n{stack.logs('web')}"

    # Everything up: changes are counted at once.
    statuses, _slowest = operator.keep_changing(3)
    assert set(statuses) == {200}
    assert_healed("nothing wrong", time.monotonic())

    # The worker killed in the middle of a recompute.
    with snapshots_held(stack):
        before = started_recomputes(stack)
        assert operator.change() == 200
        assert wait_for(lambda: started_recomputes(stack) > before, 20), stack.logs("worker")
        stack.processes["worker"].kill()
    assert wait_for(lambda: worker_ready(stack, 2), 60), stack.logs("worker")
    assert_healed("worker killed mid-recompute", time.monotonic())

    # The worker killed just after a change: its task lost with it, or never taken.
    assert operator.change() == 200
    stack.processes["worker"].kill()
    assert wait_for(lambda: worker_ready(stack, 3), 60), stack.logs("worker")
    assert_healed("worker killed after a change", time.monotonic())

    # Redis refused for 20 s: saving goes on; the index catches up once Redis is back.
    web_log = len(stack.processes["web"].text())
    stack.redis.stop()
    statuses, slowest = operator.keep_changing(OUTAGE_SECONDS)
    stack.redis.start()
    assert set(statuses) == {200}, "saves must go on while Redis is away"
    assert "Traceback" not in stack.processes["web"].text()[web_log:]
    assert_healed("Redis refused", time.monotonic())

    # Redis hung for 20 s: the same, and no save waits on it for long.
    web_log = len(stack.processes["web"].text())
    stack.redis.hang()
    statuses, slowest_hung = operator.keep_changing(OUTAGE_SECONDS)
    stack.redis.resume()
    assert set(statuses) == {200}, "saves must go on while Redis hangs"
    assert "Traceback" not in stack.processes["web"].text()[web_log:]
    assert_healed("Redis hung", time.monotonic())

    # PostgreSQL restarted in the middle of a recompute: pages answer 503 meanwhile, then the index
    # catches up with the change made before.
    with snapshots_held(stack):
        before = started_recomputes(stack)
        assert operator.change() == 200
        assert wait_for(lambda: started_recomputes(stack) > before, 20), stack.logs("worker")
        stack.postgres.stop()
    statuses, _slowest = operator.keep_changing(5)
    stack.postgres.start()
    assert set(statuses) == {503}, "the database away answers 503"
    assert_healed("PostgreSQL restarted", time.monotonic())

    print("\nseconds from recovery to caught up:", recovered)
    print(f"slowest save with Redis refused {slowest:.2f} s, hung {slowest_hung:.2f} s")
    print("worker restarts by the supervisor:", stack.processes["worker"].restarts)
