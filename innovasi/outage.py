"""What a process knows of an outage of a service it depends on (Redis as cache, Redis as broker).

A request must not wait on a service that is down or hung: after one failure the service is taken as
down for ``retry_after`` seconds, during which callers skip it at once (a cache miss, a task left to the
database's record of pending work) instead of each waiting for a time-out. The outage is logged in one
line when it starts and then at most once a minute while it lasts, and once when the service answers
again: not a traceback per request.

Pure Python and per process (each gunicorn worker and Celery worker learns on its own); the races
between threads are harmless: at worst two threads both try the service once.
"""

import logging
import time

logger = logging.getLogger(__name__)


class Outage:
    def __init__(self, service: str, *, retry_after: float = 5.0, log_every: float = 60.0):
        self.service = service
        self.retry_after = retry_after
        self.log_every = log_every
        self.down_until = 0.0
        self.since: float | None = None
        self.failures = 0
        self.logged_at = 0.0

    def is_down(self) -> bool:
        """True while the service is taken as down: skip it rather than wait for it."""
        return time.monotonic() < self.down_until

    def failed(self, error: BaseException) -> None:
        """The service did not answer (refused, timed out): take it as down for ``retry_after`` seconds."""
        now = time.monotonic()
        self.down_until = now + self.retry_after
        self.failures += 1
        if self.since is None:
            self.since, self.logged_at = now, now
            logger.warning("%s is unreachable (%s): %s", self.service, type(error).__name__, error)
        elif now - self.logged_at >= self.log_every:
            self.logged_at = now
            logger.warning(
                "%s still unreachable after %.0f s (%d failures): %s",
                self.service,
                now - self.since,
                self.failures,
                error,
            )

    def answered(self) -> None:
        """The service answered: the outage, if there was one, is over."""
        if self.since is not None:
            logger.warning(
                "%s answers again after %.0f s (%d failures)",
                self.service,
                time.monotonic() - self.since,
                self.failures,
            )
            self.since, self.failures, self.down_until = None, 0, 0.0
