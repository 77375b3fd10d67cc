"""Project-wide views: the home page per role, the health check and the error pages."""

from django.core.exceptions import BadRequest
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from innovasi.accounts.permissions import allowed, permission_required, public

from .health import health_response

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
    # Rendered without the request: whatever broke (the database, the session) must not break this page too.
    return HttpResponseServerError(loader.get_template("errors/500.html").render({"LANGUAGE_CODE": "id"}))
