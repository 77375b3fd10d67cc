"""Who is asking and how often: the bearer token of a request, and the rate limits kept in the cache.

Every request counts against one budget per minute: a request with a valid token against its token's
(``API_RATE_LIMIT_PER_TOKEN``), any other against its client address's (``API_RATE_LIMIT_PER_CLIENT``,
the address as django-axes and the password-reset limit read it). A request refused for its token (none,
unknown, revoked) counts against its address too, so that guessing tokens is as limited as reading the
open data. Past the budget the answer is 429 with ``Retry-After``, the seconds until the minute ends.

The count is a fixed window of one minute, one cache key per budget and minute, raised with the cache's
atomic ``incr`` (Redis ``INCR``): exact across every web process. Across a window's end a client may make up
to twice its budget within a few seconds; no more. With the cache away nothing is limited: the API goes on
answering, as the pages do.
"""

import math
import threading
import time

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import Throttled
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from . import selectors
from .models import AccessToken

WINDOW_SECONDS = 60


def rate_spend(budget: str, limit: int, *, now: float | None = None) -> float | None:
    """Count one request against ``budget`` (a cache key's middle part) in the current minute; None when
    it is within ``limit`` (0: no limit), otherwise the seconds until the minute ends."""
    if limit <= 0:
        return None
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    key = f"api-rate:{budget}:{window}"
    # incr() is atomic and refuses a missing key (ValueError): the window's first request creates it with
    # add(), which only one of two requests at once can do; the other counts on. One round trip to Redis
    # for all but a window's first request. The key outlives its minute a little, for a slow request.
    count: int | None
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1 if cache.add(key, 1, timeout=WINDOW_SECONDS + 5) else _incr_or_first(key)
    if count is None or count <= limit:  # None: django-redis with the cache away
        return None
    return (window + 1) * WINDOW_SECONDS - now


def _incr_or_first(key: str) -> int | None:
    try:
        return cache.incr(key)
    except ValueError:  # expired in between: this request starts the count
        return 1


def client_budget(request: HttpRequest) -> str:
    return f"client:{get_client_ip_address(request) or '-'}"


def client_spend(request: HttpRequest) -> None:
    """Count a request without a valid token against its client address; Throttled past the budget."""
    wait = rate_spend(client_budget(request), settings.API_RATE_LIMIT_PER_CLIENT)
    if wait is not None:
        raise Throttled(wait=math.ceil(wait))


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``: the request reads as the token's owner (``request.auth`` is the
    token). Without a valid token: 401, counted against the client address (429 past its budget)."""

    openapi_description = "Token akses pribadi dari halaman Token API akun Anda."

    def __call__(self, request: HttpRequest) -> AccessToken | None:
        token = super().__call__(request)
        if token is None:
            client_spend(request)
        return token

    def authenticate(self, request: HttpRequest, token: str) -> AccessToken | None:
        if not token or len(token) > 200 or "\x00" in token:
            return None
        return selectors.token_active(raw=token)


class RateLimit(BaseThrottle):
    """The per-token or per-client budget of a request that passed authentication (or needs none).

    One instance serves every request of the process: django-ninja asks ``wait()`` right after
    ``allow_request()``, so the answer is kept per thread (gunicorn's threads share the instance)."""

    def __init__(self) -> None:
        self._local = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "auth", None)
        if isinstance(token, AccessToken):
            wait = rate_spend(f"token:{token.pk}", settings.API_RATE_LIMIT_PER_TOKEN)
        else:
            wait = rate_spend(client_budget(request), settings.API_RATE_LIMIT_PER_CLIENT)
        self._local.wait = wait
        return wait is None

    def wait(self) -> float | None:
        return getattr(self._local, "wait", None)
