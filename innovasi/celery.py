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
from django import db
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnreachable

from .outage import Outage

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovasi.settings")

logger = logging.getLogger(__name__)

BROKER_OUTAGE = Outage("Redis (Celery broker)")


class PortalTask(DjangoTask):
    """Celery's Django task, with the portal's one way to enqueue: ``delay_on_commit``.

    Enqueueing never turns a saved change into an error page. While the broker cannot be reached (refused
    or hung: see ``BROKER_OUTAGE``) a task is not sent; the work it stands for is recorded in the database
    and caught up by its sweep (pending recomputes, stalled reports, unsent e-mails), or, for the short
    tasks whose work has no other carrier (``inline_when_broker_down``), run in the calling process.
    """

    inline_when_broker_down = False

    def enqueue(self, **kwargs) -> bool:
        """Send the task now; False when the broker cannot be reached and the task did not run here."""
        if not BROKER_OUTAGE.is_down():
            try:
                self.apply_async(kwargs=kwargs)
            except BrokerUnreachable as error:
                BROKER_OUTAGE.failed(error)
            else:
                BROKER_OUTAGE.answered()
                return True
        if not self.inline_when_broker_down:
            return False
        if self.apply(kwargs=kwargs, throw=False).failed():
            logger.error("task %s failed when run here (the broker cannot be reached)", self.name)
            return False
        return True

    def delay_on_commit(self, *, only_if=None, if_unreachable=None, **kwargs):
        """Send the task once the current transaction commits (at once outside one).

        ``only_if``, called after the commit, may decide that nothing needs sending (a task is already
        waiting); ``if_unreachable`` is called when the broker cannot be reached. The user's change is
        saved by then: neither the broker nor the database failing here is raised into the request (the
        database's record of the work stays for its sweep). A task run eagerly (no broker configured)
        raises as usual, so that its bugs show in development and tests.
        """

        def enqueue():
            try:
                if only_if is not None and not only_if():
                    return
                if not self.enqueue(**kwargs) and if_unreachable is not None:
                    if_unreachable()
            except (db.OperationalError, db.InterfaceError) as error:
                logger.warning("task %s not sent after commit: the database failed (%s)", self.name, error)

        transaction.on_commit(enqueue)


app = Celery("innovasi", task_cls=PortalTask)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
