from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.cache import patch_vary_headers
from simple_history.models import HistoricalRecords

from .health import health_response
from .outage import Outage


class HealthCheckMiddleware:
    """``GET /healthz`` without a session: answered here, first of all middleware, so that the container's
    health check (``http://127.0.0.1:8000/healthz`` from inside, any Host header, plain HTTP) gets 200 or
    503, not SecurityMiddleware's HTTPS redirect nor a 400 for a Host outside ALLOWED_HOSTS. The request's
    host is never read, and the answer holds nothing of the request and no details.

    A request with a session cookie (a logged-in browser, over HTTPS) goes the usual way to the view,
    which gives staff the details.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path_info == "/healthz"
            and request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            return health_response()
        return self.get_response(request)


class LanguageMiddleware:
    """Indonesian first: the language is the one the user picked with the switch, else ``LANGUAGE_CODE``.

    Unlike Django's LocaleMiddleware this ignores the browser's Accept-Language: many officers' browsers
    are set to English, and the portal speaks Indonesian unless someone asks for English.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


# The database as the web processes see it: an outage answers 503 (``innovasi.views.server_error``) and is
# logged once a minute per process.
DATABASE_OUTAGE = Outage("the database")


class DatabaseOutageMiddleware:
    """Ends the database outage once a request is answered again without a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 500:
            DATABASE_OUTAGE.answered()
        return response


def change_committed(**_signal):
    """A change with history (every service's write) was recorded in the current request: once its
    transaction commits, the request knows a change is saved, so that a failure afterwards (the database
    going away while the answer is rendered) is not reported as if nothing were (``post_create_historical
    _record``, connected in AccountsConfig.ready)."""
    request = getattr(HistoricalRecords.context, "request", None)
    if request is not None:
        transaction.on_commit(lambda: setattr(request, "committed_changes", True))
