"""Project-wide views: the home page per role, the health check and the error pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader

from innovasi.accounts.enums import Role

from .health import health_response

# Roles whose home is a working page of an app (by URL name: this module imports no app above it).
ROLE_HOMES = {
    Role.OPERATOR: "submissions:list",
    Role.VERIFIKATOR: "scoring:queue",
    Role.PIMPINAN: "reports:dashboard",
    Role.ADMIN: "reports:dashboard",
    Role.JURI: "scoring:jury_home",
}


@login_required
def home(request):
    """Each role lands on its working page; an account without a role is told to ask the admin."""
    if request.user.role in ROLE_HOMES:
        return redirect(ROLE_HOMES[request.user.role])
    return render(request, "home/no_role.html")


def healthz(request):
    """The health check for a browser with a session (the others are answered by HealthCheckMiddleware):
    details only for staff."""
    return health_response(details=request.user.is_staff)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", {"message": str(exception or "")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # Rendered without the request: whatever broke (the database, the session) must not break this page too.
    return HttpResponseServerError(loader.get_template("errors/500.html").render({"LANGUAGE_CODE": "id"}))
