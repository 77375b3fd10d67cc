"""Project-wide views: the home page per role, the health check and the error pages."""

import sys

from django import db
from django.core.exceptions import BadRequest
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from innovasi.accounts.permissions import allowed, public

from .health import health_response
from .middleware import DATABASE_OUTAGE

# Working pages, the first one the user may open is their home (by URL name: this module imports no app
# above it). The dashboard comes first: Bappeda's admin and the pimpinan start there; the head of an OPD
# starts at what waits for their endorsement.
HOMES = [
    ("reports.view_dashboard", "reports:dashboard"),
    ("scoring.view_queue", "scoring:queue"),
    ("scoring.judge_awards", "scoring:jury_home"),
    ("submissions.list_endorsements", "submissions:endorsements"),
    ("submissions.list_innovations", "submissions:list"),
]


@require_safe
@public
def home(request):
    """A visitor finds what the public may see (the gallery, the certificate check) and the way in; each
    user lands on their working page; the superuser of a fresh installation sets up the region; any other
    account without a role is told to ask the admin."""
    if not request.user.is_authenticated:
        return render(request, "home/landing.html")
    for perm, url_name in HOMES:
        if allowed(request.user, perm):
            return redirect(url_name)
    if allowed(request.user, "accounts.set_up_region"):
        return redirect("accounts:region_setup")
    return render(request, "home/no_role.html")


@public
@require_safe
@never_cache
def healthz(request):
    """The health check for a browser with a session (the others are answered by HealthCheckMiddleware):
    details only for staff."""
    return health_response(details=request.user.is_staff)


def bad_request(request, exception=None):
    # BadRequest's message is the portal's own (innovasi.http.int_param): shown. A SuspiciousOperation's
    # (a Host outside ALLOWED_HOSTS, too many fields) names what was refused: kept out, as Django does.
    message = str(exception) if isinstance(exception, BadRequest) else ""
    return render(request, "errors/400.html", {"message": message}, status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", {"message": str(exception or "")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    """The page of an error nothing else handled. When it is the database that cannot be reached, a 503
    in the portal's style that says whether the user's change was saved before the connection broke
    (``request.committed_changes``, set by ``innovasi.accounts.receivers``), logged once a minute per
    process instead of a traceback per request."""
    error = sys.exc_info()[1]
    if isinstance(error, db.OperationalError | db.InterfaceError):
        DATABASE_OUTAGE.failed(error)
        return _database_unreachable(request)
    return _server_error_page()


def _database_unreachable(request):
    saved = getattr(request, "committed_changes", False)
    message = (
        _(
            "Perubahan Anda sudah tersimpan, tetapi halaman ini tidak dapat dimuat: portal sedang tidak dapat "
            "menghubungi basis data. Muat ulang halaman sebentar lagi."
        )
        if saved
        else _("Portal sedang tidak dapat menghubungi basis data. Coba lagi sebentar lagi.")
    )
    if request.headers.get("HX-Request"):
        # An htmx row shows the message where its request came from (static/js/app.js).
        response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    else:
        page = loader.get_template("errors/503.html").render(
            {"message": message, "LANGUAGE_CODE": translation.get_language()}
        )
        response = HttpResponse(page, status=503)
    response["Retry-After"] = "30"
    response._has_been_logged = True  # logged by DATABASE_OUTAGE, once a minute: not a traceback per request
    return response


def _server_error_page():
    # Rendered without the request: whatever broke (the database, the session) must not break this page too.
    return HttpResponseServerError(loader.get_template("errors/500.html").render({"LANGUAGE_CODE": "id"}))
