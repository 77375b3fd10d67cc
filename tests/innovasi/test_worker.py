"""The real services: a Celery worker process on Redis sends what the web process enqueued."""

import time

import pytest
from django.urls import reverse

pytestmark = pytest.mark.services


def test_worker_sends_the_password_reset_mail(client, celery_worker, operator_a):
    operator_a.email = "operator@example.org"
    operator_a.set_password("sandi-lama-yang-panjang")
    operator_a.save()

    client.post(reverse("accounts:password_reset"), {"email": "operator@example.org"})

    deadline = time.monotonic() + 30
    while not list(celery_worker.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.2)
    messages = [path.read_text() for path in celery_worker.iterdir()]
    assert len(messages) == 1
    assert "Subject: Atur ulang kata sandi Portal Inovasi Daerah" in messages[0]
    assert "To: operator@example.org" in messages[0]
