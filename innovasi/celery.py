"""The Celery application: ``celery -A innovasi.celery worker`` and ``celery -A innovasi.celery beat``.

Tasks are declared with ``@app.task`` on this app (imported explicitly, as pretix does) so that the
engine and other pure modules under ``innovasi`` can be imported without pulling Celery or Django in.
Settings come from Django's settings under the ``CELERY_`` prefix; without ``REDIS_URL`` tasks run
eagerly in the calling process.
"""

import logging
import os

from celery import Celery
from celery.contrib.django.task import DjangoTask
from django.db import transaction
from kombu.exceptions import OperationalError

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovasi.settings")

logger = logging.getLogger(__name__)


class PortalTask(DjangoTask):
    """Celery's Django task, whose enqueueing never turns a saved change into an error page."""

    #: A short task whose work would otherwise be lost (a notification, a password-reset mail) runs in the
    #: calling process when the broker cannot be reached; the others are logged and caught up by their
    #: own schedule (the nightly recompute, the sweep of unsent e-mails).
    inline_when_broker_down = False

    def enqueue(self, **kwargs) -> bool:
        """Enqueue now; False (and the cause logged) when the broker cannot be reached and the task does
        not run here instead."""
        try:
            self.apply_async(kwargs=kwargs)
        except OperationalError:
            if not self.inline_when_broker_down:
                logger.exception("task %s could not be enqueued: the broker cannot be reached", self.name)
                return False
            logger.warning("task %s runs here: the broker cannot be reached", self.name)
            if self.apply(kwargs=kwargs, throw=False).failed():
                logger.error("task %s failed when run here", self.name)
                return False
        return True

    def delay_on_commit(self, *, if_unreachable=None, **kwargs):
        """Enqueue once the transaction commits. The user's change is saved by then: a broker that cannot
        be reached is logged (``GET /healthz`` shows it) and ``if_unreachable`` called, not raised at the
        user."""

        def enqueue():
            if not self.enqueue(**kwargs) and if_unreachable is not None:
                if_unreachable()

        transaction.on_commit(enqueue)


app = Celery("innovasi", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
