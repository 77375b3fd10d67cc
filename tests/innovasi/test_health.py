"""GET /healthz reports the database, the cache and the Celery broker; 503 when one does not answer."""

import pytest
from django.conf import settings
from django.db import connection

from innovasi.celery import app as celery_app

from ..conftest import DEAD_REDIS

pytestmark = pytest.mark.django_db


def test_healthz_all_well_is_200_with_ok_per_component_only(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "celery": "ok"}
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_healthz_cache_down_is_503_without_a_stack_trace(client, cache_stopped):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "fail", "celery": "ok"}
    assert "Traceback" not in response.content.decode()


def test_healthz_broker_down_is_503(client, celery_broker):
    celery_broker(DEAD_REDIS)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["celery"] == "fail"


def test_healthz_details_are_for_staff(client, admin_user, cache_stopped):
    client.force_login(admin_user)

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    celery_detail = body["details"].pop("celery")
    assert body == {
        "status": "error",
        "database": "ok",
        "cache": "fail",
        "celery": "ok",
        "details": {"database": {"vendor": connection.vendor}, "cache": {"error": "ConnectionError"}},
    }
    # Eager on the embedded default; with a real broker (CI), the queue's length too.
    if settings.CELERY_TASK_ALWAYS_EAGER:
        assert celery_detail == {"mode": "eager"}
    else:
        assert celery_detail.keys() == {"mode", "waiting"}
        assert celery_detail["mode"] == "broker"


@pytest.mark.parametrize("persona", ["operator_a", "pimpinan", "anonymous"])
def test_healthz_gives_no_details_to_others(persona_client, persona):
    response = persona_client(persona).get("/healthz")

    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "celery": "ok"}


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "web", "evil.example", "not a host!"])
def test_healthz_answers_any_host_over_plain_http_as_in_production(client, settings, host):
    settings.ALLOWED_HOSTS = ["inovasi.example.go.id"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz", HTTP_HOST=host)
    refused = client.get("/galeri/", HTTP_HOST=host)

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "celery": "ok"}
    assert host.encode() not in response.serialize()
    assert refused.status_code == 400  # everything else still refuses a Host outside ALLOWED_HOSTS


def test_healthz_down_is_503_whatever_the_host(client, settings, cache_stopped):
    settings.ALLOWED_HOSTS = ["inovasi.example.go.id"]
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/healthz", HTTP_HOST="localhost")

    assert response.status_code == 503
    assert response.json()["cache"] == "fail"


def test_beat_schedules_only_registered_tasks(settings):
    celery_app.loader.import_default_modules()

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert scheduled == {
        "innovasi.scoring.recompute_pending",
        "innovasi.scoring.recompute_open_cycles",
        "innovasi.scoring.remind_drafts",
        "innovasi.scoring.remind_jurors",
        "innovasi.reports.expire",
        "innovasi.reports.fail_stalled",
        "innovasi.accounts.deliver_pending_notifications",
    }
    assert scheduled <= set(celery_app.tasks)
