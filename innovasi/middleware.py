from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .health import health_response


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
