"""GET /healthz reports the database, the cache and the Celery broker; 503 when one does not answer."""

import json

import pytest

from innovasi.celery import app as celery_app

from ..conftest import DEAD_REDIS

pytestmark = pytest.mark.django_db


def test_healthz_all_well_is_200(client):
    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert [body[part]["ok"] for part in ("database", "cache", "celery")] == [True, True, True]


def test_healthz_cache_down_is_503_without_a_stack_trace(client, cache_stopped):
    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "error"
    assert body["cache"] == {"ok": False, "error": "ConnectionError"}
    assert body["database"]["ok"] is True
    assert "Traceback" not in json.dumps(body)


def test_healthz_broker_down_is_503(client, celery_broker):
    celery_broker(DEAD_REDIS)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["celery"] == {"ok": False, "error": "OperationalError"}


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
