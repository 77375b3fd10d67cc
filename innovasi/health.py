"""The health check behind ``GET /healthz``: the database, the cache and the Celery broker/queue.

Anyone (a load balancer, the container's health check) learns ``ok``/``fail`` per component and overall;
staff also learn the details (database vendor, cache backend, queue length, the error's name). The
answer carries nothing taken from the request: it is served whatever the Host header says.
"""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django_redis.cache import RedisCache

logger = logging.getLogger(__name__)


def _check(probe):
    try:
        return True, probe() or {}
    except Exception as error:  # a health check reports any failure; it never raises
        logger.warning("health check %s failed: %s", probe.__name__.lstrip("_"), error)
        return False, {"error": type(error).__name__}


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _cache():
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        # The cache itself swallows Redis' errors (pages live without it); the check must not.
        cache.client.get_client().ping()
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("cache did not return the value it was given")
    return {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def _celery():
    from innovasi.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"mode": "eager"}
    with app.connection_for_write() as conn:
        # A hung Redis must not hold the check up: one try, bounded by the portal's Redis time-out.
        conn.ensure_connection(max_retries=1, interval_start=0, timeout=settings.REDIS_SOCKET_TIMEOUT * 2)
        waiting = conn.default_channel.client.llen(app.conf.task_default_queue)
    return {"mode": "broker", "waiting": waiting}


PROBES = {"database": _database, "cache": _cache, "celery": _celery}


def health_response(*, details=False):
    """200 when every component answers, else 503: ``{"status": "ok", "database": "ok", …}``, and with
    ``details`` a ``"details"`` object per component (staff only)."""
    results = {name: _check(probe) for name, probe in PROBES.items()}
    healthy = all(ok for ok, _detail in results.values())
    body = {"status": "ok" if healthy else "error"}
    body.update((name, "ok" if ok else "fail") for name, (ok, _detail) in results.items())
    if details:
        body["details"] = {name: detail for name, (_ok, detail) in results.items()}
    response = JsonResponse(body, status=200 if healthy else 503)
    add_never_cache_headers(response)
    return response
