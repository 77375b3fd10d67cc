"""Project-wide views: the home page per role, the health check and the error pages."""

import logging

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_redis.cache import RedisCache

from innovasi.accounts.permissions import allowed, permission_required, public

logger = logging.getLogger(__name__)

# Working pages, the first one the user may open is their home (by URL name: this module imports no app
# above it). The dashboard comes first: Bappeda's admin and the pimpinan start there.
HOMES = [
    ("reports.view_dashboard", "reports:dashboard"),
    ("scoring.view_queue", "scoring:queue"),
    ("scoring.judge_awards", "scoring:jury_home"),
    ("submissions.list_innovations", "submissions:list"),
]


@require_safe
@permission_required("accounts.use_portal")
def home(request):
    """Each user lands on their working page; an account without a role is told to ask the admin."""
    for perm, url_name in HOMES:
        if allowed(request.user, perm):
            return redirect(url_name)
    return render(request, "home/no_role.html")


def _check(name, probe):
    try:
        return name, {"ok": True, **(probe() or {})}
    except Exception as error:  # a health check reports any failure; it never raises
        logger.warning("health check %s failed: %s", name, error)
        return name, {"ok": False, "error": type(error).__name__}


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
        conn.ensure_connection(max_retries=1, timeout=2)
        waiting = conn.default_channel.client.llen(app.conf.task_default_queue)
    return {"mode": "broker", "waiting": waiting}


@public
@require_safe
@never_cache
def healthz(request):
    """The state of the database, the cache and the Celery broker/queue: 200 when all answer, else 503."""
    checks = dict(
        _check(name, probe)
        for name, probe in (("database", _database), ("cache", _cache), ("celery", _celery))
    )
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", {"message": str(exception or "")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # Rendered without the request: whatever broke (the database, the session) must not break this page too.
    return HttpResponseServerError(loader.get_template("errors/500.html").render({"LANGUAGE_CODE": "id"}))
