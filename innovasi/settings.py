"""Settings of the innovation portal, read only from environment variables.

Nothing set gives the embedded default a newcomer can run on a laptop: SQLite under ``var/``, Celery tasks
run eagerly in the web process, a local-memory cache and e-mail printed to the console. ``DATABASE_URL``
and ``REDIS_URL`` switch to PostgreSQL, a Redis broker/result backend and a Redis cache. A bad value stops
start-up with ``ImproperlyConfigured`` naming the variable; with ``DEBUG`` off a missing or default
``SECRET_KEY`` is refused, and so is a missing ``EMAIL_URL`` (console mail must be asked for). The
README's configuration table lists every variable.
"""

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

EMBEDDED_SECRET_KEY = "django-insecure-embedded-default-do-not-use-in-production"

env = environ.Env()


def _setting(name, parse, default):
    """Read one variable, turning any parse failure into a message that names the variable."""
    if name not in env.ENVIRON:
        return default
    raw = env.ENVIRON[name]
    try:
        return parse(name)
    except (ValueError, TypeError, KeyError, environ.ImproperlyConfigured) as error:
        raise ImproperlyConfigured(f"{name}={raw!r} is not valid: {error}") from error


def _strict_bool(name):
    value = env.ENVIRON[name].strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError("use 1/0, true/false, yes/no or on/off")


def _positive_int(name):
    value = env.int(name)
    if value < 0:
        raise ValueError("must be zero or more")
    return value


def _database_url(name):
    config = env.db_url(name)
    if config["ENGINE"] not in {"django.db.backends.postgresql", "django.db.backends.sqlite3"}:
        raise ValueError("use postgres://user:password@host:port/name (or sqlite:////path/to/file.sqlite3)")
    return config


def _day_list(name):
    days = [int(value) for value in env.list(name)]
    if any(day < 0 for day in days):
        raise ValueError("days must be zero or more")
    return days


def _url_with_scheme(*schemes):
    def parse(name):
        value = env.str(name)
        if not value.startswith(tuple(f"{scheme}://" for scheme in schemes)):
            raise ValueError(f"must start with {' or '.join(s + '://' for s in schemes)}")
        return value

    return parse


DEBUG = _setting("DEBUG", _strict_bool, True)

SECRET_KEY = _setting("SECRET_KEY", env.str, EMBEDDED_SECRET_KEY)
if not DEBUG and (SECRET_KEY == EMBEDDED_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off "
        '(for example: python -c "import secrets; print(secrets.token_urlsafe(64))").'
    )

ALLOWED_HOSTS = _setting("ALLOWED_HOSTS", env.list, ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = _setting("CSRF_TRUSTED_ORIGINS", env.list, [])
for origin in CSRF_TRUSTED_ORIGINS:
    if not origin.startswith(("http://", "https://")):
        raise ImproperlyConfigured(
            f"CSRF_TRUSTED_ORIGINS entry {origin!r} must start with http:// or https://"
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "rules",
    "simple_history",
    "axes",
    "csp",
    "innovasi.accounts",
    "innovasi.standards",
    "innovasi.operations",
    "submissions",
    "scoring",
    "reports",
    "api",
]

MIDDLEWARE = [
    # Before SecurityMiddleware: the container's health check comes over plain HTTP with any Host.
    "innovasi.middleware.HealthCheckMiddleware",
    "innovasi.middleware.DatabaseOutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "innovasi.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a lock-out answers after authentication has been attempted.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "innovasi.urls"
WSGI_APPLICATION = "innovasi.wsgi.application"
ASGI_APPLICATION = "innovasi.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "csp.context_processors.nonce",
                "innovasi.accounts.context_processors.portal",
            ],
        },
    },
]

# --- Data --------------------------------------------------------------------------------------------

VAR_DIR.mkdir(exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)  # WhiteNoise expects STATIC_ROOT to exist
DATABASES = {
    "default": _setting(
        "DATABASE_URL",
        _database_url,
        {"ENGINE": "django.db.backends.sqlite3", "NAME": VAR_DIR / "db.sqlite3"},
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the eager web process and a management command share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    # Tests use a file too: the browser tests' live server answers from several threads, and SQLite's
    # shared in-memory database refuses concurrent access instead of waiting.
    DATABASES["default"].setdefault("TEST", {"NAME": str(VAR_DIR / "test-db.sqlite3")})
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MEDIA_ROOT = Path(_setting("MEDIA_ROOT", env.str, str(VAR_DIR / "media")))
MEDIA_URL = "/media/"  # never served directly: files go through views that check permissions
UPLOAD_MAX_BYTES = _setting("UPLOAD_MAX_MB", _positive_int, 10) * 1024 * 1024
STATIC_ROOT = VAR_DIR / "static"
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Redis, cache and Celery -------------------------------------------------------------------------

REDIS_URL = _setting("REDIS_URL", _url_with_scheme("redis", "rediss", "unix"), None)

# A Redis that is down or hung must cost a page at most one short time-out every few seconds, not a wait
# per request: commands time out after this many seconds, and a process that saw one fail skips Redis for
# a while (innovasi.outage). A healthy Redis answers in well under a millisecond.
REDIS_SOCKET_TIMEOUT = 0.15

if REDIS_URL:
    # Redis away is a cache miss, not an error page: the portal computes what it would have read (GET
    # /healthz says the cache is down). Sessions stay in the database, so a logout never depends on
    # reaching Redis. The outage is logged by innovasi.cache, once a minute, not per request.
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "REDIS_CLIENT_CLASS": "innovasi.cache.OutageAwareRedis",
                "SOCKET_CONNECT_TIMEOUT": REDIS_SOCKET_TIMEOUT,
                "SOCKET_TIMEOUT": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = False
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# No task's result is ever read: nothing is stored, so a worker never waits on Redis to finish a task.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
# Tasks are acknowledged when they start. Work that must survive a killed worker or a lost message is
# recorded in the database and swept up by beat (the index's pending changes, reports left running,
# unsent e-mails), so no message has to stay unacknowledged: a worker holding unacknowledged messages when
# Redis goes away can die in kombu's restore_unacked (kombu 5.7.0), and a killed worker's unacknowledged
# message only comes back after the visibility timeout.
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT * 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A publish from a web request fails fast (innovasi.celery records the outage and skips the broker
    # for a while); the worker's BRPOP runs in its event loop, where no socket time-out applies.
    "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
    "socket_timeout": REDIS_SOCKET_TIMEOUT,
    # The worker drops a BRPOP connection whose reply is overdue by this many seconds (a hung Redis).
    "health_check_interval": 5,
}
# No retry: a publish that fails (a hung Redis, or a pooled connection older than a Redis restart) is
# left to the database's record of the work and its sweep, rather than hold the request up again.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}
CELERY_BEAT_SCHEDULE = {
    # The database records every change still to be counted in the index; this sweep enqueues the
    # recompute of any cycle whose change has waited a few seconds (its own task was lost or never sent).
    "recompute-pending-cycles": {
        "task": "innovasi.scoring.recompute_pending",
        "schedule": 5.0,
    },
    "recompute-open-cycles-nightly": {
        "task": "innovasi.scoring.recompute_open_cycles",
        "schedule": crontab(hour=1, minute=15),
    },
    "remind-opds-with-drafts": {
        "task": "innovasi.scoring.remind_drafts",
        "schedule": crontab(hour=7, minute=0),
    },
    "remind-jurors": {"task": "innovasi.scoring.remind_jurors", "schedule": crontab(hour=8, minute=0)},
    "expire-reports": {"task": "innovasi.reports.expire", "schedule": crontab(hour=2, minute=30)},
    "fail-stalled-reports": {"task": "innovasi.reports.fail_stalled", "schedule": 60.0},
    "deliver-pending-notifications": {
        "task": "innovasi.accounts.deliver_pending_notifications",
        "schedule": crontab(minute="*/15"),
    },
}

# Generated reports are kept this many days; a render taking longer than the limit is recorded as failed.
REPORT_RETENTION_DAYS = _setting("REPORT_RETENTION_DAYS", _positive_int, 7)
REPORT_TIME_LIMIT_SECONDS = _setting("REPORT_TIME_LIMIT_SECONDS", _positive_int, 120)
# The national upload package renders one PDF per innovation and copies every evidence file: a region's
# takes minutes where a document takes seconds, so it has a limit of its own.
PACKAGE_TIME_LIMIT_SECONDS = _setting("PACKAGE_TIME_LIMIT_SECONDS", _positive_int, 900)
# Reminders go to OPDs that still have drafts this many days before their cycle closes.
REMINDER_DAYS_BEFORE_CLOSE = _setting("REMINDER_DAYS_BEFORE_CLOSE", _day_list, [14, 7, 3, 1])

# --- People ------------------------------------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
# History reasons carry a verifier's return note or the urusan lain before and after: no length limit
# (the default is 100 characters, which PostgreSQL enforces).
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "innovasi.accounts.backends.PortalModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# An invitation's set-password link (innovasi.accounts.tokens) works this many days, and only once.
INVITATION_VALID_DAYS = _setting("INVITATION_VALID_DAYS", _positive_int, 7)
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed logins before a lock-out: of one user name from one address, and of one user name from all
# addresses together (innovasi/accounts/lockout.py explains how django-axes is made to keep both limits).
LOGIN_FAILURES_PER_USERNAME_AND_ADDRESS = _setting("AXES_FAILURE_LIMIT", _positive_int, 5)
LOGIN_FAILURES_PER_USERNAME = _setting("AXES_FAILURE_LIMIT_PER_USERNAME", _positive_int, 20)
AXES_FAILURE_LIMIT = "innovasi.accounts.lockout.failure_limit"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], ["username"]]  # in this order: see failure_limit
AXES_COOLOFF_TIME = 0.25  # hours: a locked account opens again after 15 minutes
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Password-reset mails asked for within an hour, per e-mail address and per client address (the throttle of
# innovasi.accounts.services.password_reset_request, kept in the database).
PASSWORD_RESET_LIMIT_PER_ADDRESS = _setting("PASSWORD_RESET_LIMIT_PER_ADDRESS", _positive_int, 3)
PASSWORD_RESET_LIMIT_PER_CLIENT = _setting("PASSWORD_RESET_LIMIT_PER_CLIENT", _positive_int, 10)

# Requests per minute to the API (/api/v1/): with a token, per token; without one (the open data, a refused
# token), per client address as django-axes reads it. 0: no limit. Kept in the cache (api.auth).
API_RATE_LIMIT_PER_TOKEN = _setting("API_RATE_LIMIT_PER_TOKEN", _positive_int, 120)
API_RATE_LIMIT_PER_CLIENT = _setting("API_RATE_LIMIT_PER_CLIENT", _positive_int, 60)


def _email_url(name):
    # ``console://`` is the portal's spelling of django-environ's ``consolemail://``.
    value = env.str(name)
    if value.startswith("console://"):
        value = "consolemail://" + value.removeprefix("console://")
    return env.email_url_config(value)


# EMAIL_URL (smtp://user:password@host:587/?tls=True, console://, …) sets EMAIL_BACKEND, EMAIL_HOST, ….
# Console mail prints every message, password-reset links included, to the server's log: with DEBUG off
# that must be asked for (EMAIL_URL=console://), never the silent default.
if not DEBUG and "EMAIL_URL" not in env.ENVIRON:
    raise ImproperlyConfigured(
        "EMAIL_URL must be set when DEBUG is off (for example smtp+tls://user:password@smtp.example.org:587); "
        "set EMAIL_URL=console:// to print e-mail, password-reset links included, to the log on purpose."
    )
vars().update(
    _setting("EMAIL_URL", _email_url, {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"})
)
# The portal's address as users reach it, for links in e-mails sent by workers (no request there).
PORTAL_BASE_URL = _setting(
    "PORTAL_BASE_URL", _url_with_scheme("http", "https"), "http://127.0.0.1:8000"
).rstrip("/")
DEFAULT_FROM_EMAIL = _setting("DEFAULT_FROM_EMAIL", env.str, "Portal Inovasi Daerah <noreply@localhost>")

# --- Language and time -------------------------------------------------------------------------------

LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LANGUAGE_CODE = _setting("LANGUAGE_CODE", env.str, "id")
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"LANGUAGE_CODE={LANGUAGE_CODE!r} is not valid: use one of {', '.join(dict(LANGUAGES))}"
    )
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = _setting("TIME_ZONE", env.str, "Asia/Jakarta")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError) as error:
    raise ImproperlyConfigured(f"TIME_ZONE={TIME_ZONE!r} is not valid: not a known time zone") from error
CELERY_TIMEZONE = TIME_ZONE
USE_I18N = True
USE_TZ = True

# --- Security ----------------------------------------------------------------------------------------

SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = _setting("SECURE_SSL_REDIRECT", _strict_bool, not DEBUG)
SECURE_HSTS_SECONDS = _setting("SECURE_HSTS_SECONDS", _positive_int, 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _setting("SECURE_HSTS_INCLUDE_SUBDOMAINS", _strict_bool, True)
SECURE_HSTS_PRELOAD = _setting("SECURE_HSTS_PRELOAD", _strict_bool, True)
if _setting("BEHIND_TLS_PROXY", _strict_bool, False):
    # The proxy terminates TLS and says so in this header; only trust it when told to.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Same-origin assets only, no inline script or style (templates carry none).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "axes": {"level": "WARNING"},
        "celery.app.trace": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
