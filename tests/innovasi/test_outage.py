"""A service away: the database gives a 503 in the portal's style that says whether the change was saved;
Redis down or hung is skipped at once after one failure; each outage is logged once a minute, not per
request."""

import logging

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse

from innovasi import outage as outage_module
from innovasi.cache import CACHE_OUTAGE
from innovasi.celery import BROKER_OUTAGE
from innovasi.middleware import DATABASE_OUTAGE
from innovasi.outage import Outage
from submissions.models import Claim

from ..conftest import DEAD_REDIS
from ..submissions.conftest import draft  # noqa: F401  (the draft innovation fixture)

pytestmark = pytest.mark.django_db


def database_gone(*_args, **_kwargs):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.fixture
def production_errors(settings):
    """Error pages as in production: handler500 answers, the test client does not re-raise."""
    settings.DEBUG = False
    DATABASE_OUTAGE.since, DATABASE_OUTAGE.failures = None, 0


@pytest.mark.django_db(transaction=True)  # the save really commits: its on_commit marks the request
def test_database_away_after_a_committed_row_save_says_the_change_is_saved(
    production_errors,
    draft,  # noqa: F811
    operator_a,
    monkeypatch,
):
    claim = draft.claims.get(indicator__code="SID-16")
    client = Client(raise_request_exception=False)
    client.force_login(operator_a)
    # The save commits; reading what still stops submission afterwards finds the database gone.
    monkeypatch.setattr("submissions.selectors.innovation_checklist", database_gone)

    response = client.post(
        reverse("submissions:claim_save", args=[draft.pk, claim.pk]),
        {f"c{claim.pk}-level": "2", f"c{claim.pk}-note": "", f"c{claim.pk}-version": str(claim.version)},
        HTTP_HX_REQUEST="true",
    )

    assert (response.status_code, response["Content-Type"]) == (503, "text/plain; charset=utf-8")
    assert response.content.decode().startswith("Perubahan Anda sudah tersimpan")
    assert Claim.objects.get(pk=claim.pk).level == 2


def test_database_away_is_a_503_page_logged_once(production_errors, draft, operator_a, monkeypatch, caplog):  # noqa: F811
    client = Client(raise_request_exception=False)
    client.force_login(operator_a)
    monkeypatch.setattr("submissions.selectors.innovation_rows", database_gone)

    with caplog.at_level(logging.INFO):
        pages = [client.get(reverse("submissions:detail", args=[draft.pk])) for _ in range(3)]

    assert [page.status_code for page in pages] == [503] * 3
    assert pages[0]["Retry-After"] == "30"
    assert "Portal sedang tidak dapat menghubungi basis data." in pages[0].content.decode()
    assert "Perubahan Anda sudah tersimpan" not in pages[0].content.decode()
    assert [record.getMessage()[:33] for record in caplog.records] == ["the database is unreachable (Oper"]
    assert not any(record.exc_info for record in caplog.records)


def test_database_answering_again_ends_the_outage(production_errors, draft, operator_a, monkeypatch, caplog):  # noqa: F811
    client = Client(raise_request_exception=False)
    client.force_login(operator_a)
    with monkeypatch.context() as patched:
        patched.setattr("submissions.selectors.innovation_rows", database_gone)
        client.get(reverse("submissions:detail", args=[draft.pk]))
    caplog.clear()

    with caplog.at_level(logging.INFO):
        page = client.get(reverse("submissions:detail", args=[draft.pk]))

    assert page.status_code == 200
    assert DATABASE_OUTAGE.since is None
    assert [record.getMessage()[:34] for record in caplog.records] == ["the database answers again after 0"]


def test_outage_is_logged_when_it_starts_then_once_a_minute(monkeypatch, caplog):
    now = [1000.0]
    monkeypatch.setattr(outage_module.time, "monotonic", lambda: now[0])
    outage = Outage("Redis (uji)", retry_after=5, log_every=60)

    with caplog.at_level(logging.INFO):
        for _second in range(150):  # a failure every second for two and a half minutes
            outage.failed(ConnectionError("refused"))
            now[0] += 1
        outage.answered()

    assert [record.getMessage().split(":")[0] for record in caplog.records] == [
        "Redis (uji) is unreachable (ConnectionError)",
        "Redis (uji) still unreachable after 60 s (61 failures)",
        "Redis (uji) still unreachable after 120 s (121 failures)",
        "Redis (uji) answers again after 150 s (150 failures)",
    ]


def test_outage_skips_the_service_for_a_while_after_a_failure(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(outage_module.time, "monotonic", lambda: now[0])
    outage = Outage("Redis (uji)", retry_after=5)

    outage.failed(TimeoutError("hung"))
    skipped = outage.is_down()
    now[0] += 5

    assert (skipped, outage.is_down()) == (True, False)


def test_cache_down_is_tried_once_then_skipped(cache_stopped, client, pimpinan, cycle, monkeypatch):
    import redis.connection

    attempts = []
    connect = redis.connection.AbstractConnection.connect
    monkeypatch.setattr(
        redis.connection.AbstractConnection, "connect", lambda self: attempts.append(1) or connect(self)
    )
    client.force_login(pimpinan)

    pages = [client.get(reverse("reports:dashboard")).status_code for _ in range(3)]  # cached bodies

    assert pages == [200] * 3
    assert CACHE_OUTAGE.is_down()
    assert len(attempts) == 1  # the first command: the others skip Redis while it is down


def test_broker_down_is_tried_once_then_skipped(celery_broker, monkeypatch):
    from innovasi.celery import PortalTask
    from scoring.tasks import recompute_cycle

    celery_broker(DEAD_REDIS)
    sends = []
    apply_async = PortalTask.apply_async
    monkeypatch.setattr(
        PortalTask,
        "apply_async",
        lambda self, *args, **kwargs: sends.append(1) or apply_async(self, *args, **kwargs),
    )

    results = [recompute_cycle.enqueue(cycle_id=0) for _ in range(3)]

    assert results == [False] * 3
    assert BROKER_OUTAGE.is_down()
    assert len(sends) == 1
