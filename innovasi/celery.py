"""The Celery application: ``celery -A innovasi.celery worker`` and ``celery -A innovasi.celery beat``.

Tasks are declared with ``@app.task`` on this app (imported explicitly, as pretix does) so that the
engine and other pure modules under ``innovasi`` can be imported without pulling Celery or Django in.
Settings come from Django's settings under the ``CELERY_`` prefix; without ``REDIS_URL`` tasks run
eagerly in the calling process.
"""

import functools
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

    def enqueue(self, **kwargs) -> bool:
        """Enqueue now; False (and the cause logged) when the broker cannot be reached."""
        try:
            self.apply_async(kwargs=kwargs)
        except OperationalError:
            logger.exception("task %s could not be enqueued: the broker cannot be reached", self.name)
            return False
        return True

    def delay_on_commit(self, **kwargs):
        """Enqueue once the transaction commits. The user's change is saved by then: a broker that cannot
        be reached is logged (``GET /healthz`` shows it), not raised at the user."""
        transaction.on_commit(functools.partial(self.enqueue, **kwargs))


app = Celery("innovasi", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
