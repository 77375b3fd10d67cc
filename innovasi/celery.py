"""The Celery application: ``celery -A innovasi.celery worker`` and ``celery -A innovasi.celery beat``.

Tasks are declared with ``@app.task`` on this app (imported explicitly, as pretix does) so that the
engine and other pure modules under ``innovasi`` can be imported without pulling Celery or Django in.
Settings come from Django's settings under the ``CELERY_`` prefix; without ``REDIS_URL`` tasks run
eagerly in the calling process.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovasi.settings")

app = Celery("innovasi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
