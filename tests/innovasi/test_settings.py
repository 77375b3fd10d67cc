"""Settings are read from the environment; a bad value stops start-up with a message naming it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "x" * 20 + "-production-secret-for-tests-only-" + "y" * 20


def load_settings(**env):
    """Import the settings in a fresh interpreter with exactly these variables; return (status, output)."""
    clean = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    clean.update(env)
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DEBUG, s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], "
        "s.CELERY_TASK_ALWAYS_EAGER, s.TIME_ZONE, s.LANGUAGE_CODE, s.EMAIL_BACKEND)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "innovasi.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, (result.stdout + result.stderr).strip()


def test_settings_nothing_set_is_the_embedded_default():
    status, output = load_settings()

    assert status == 0
    assert output.splitlines()[-1] == (
        "True django.db.backends.sqlite3 django.core.cache.backends.locmem.LocMemCache True Asia/Jakarta id "
        "django.core.mail.backends.console.EmailBackend"
    )


def test_settings_redis_url_switches_broker_and_cache():
    status, output = load_settings(REDIS_URL="redis://127.0.0.1:6379/0")

    assert status == 0
    assert output.splitlines()[-1].split()[2:4] == ["django_redis.cache.RedisCache", "False"]


def test_settings_database_url_selects_postgresql():
    status, output = load_settings(DATABASE_URL="postgres://portal@127.0.0.1:5432/portal")

    assert status == 0
    assert output.splitlines()[-1].split()[1] == "django.db.backends.postgresql"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG='maybe' is not valid"),
        ({"DATABASE_URL": "nosuchdb://x"}, "DATABASE_URL='nosuchdb://x' is not valid"),
        ({"REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL='http://127.0.0.1:6379' is not valid"),
        ({"TIME_ZONE": "Asia/Atlantis"}, "TIME_ZONE='Asia/Atlantis' is not valid"),
        ({"LANGUAGE_CODE": "fr"}, "LANGUAGE_CODE='fr' is not valid"),
        ({"EMAIL_URL": "pigeon://coop"}, "EMAIL_URL='pigeon://coop' is not valid"),
        ({"CSRF_TRUSTED_ORIGINS": "portal.example.org"}, "CSRF_TRUSTED_ORIGINS entry 'portal.example.org'"),
        ({"SECURE_HSTS_SECONDS": "-5"}, "SECURE_HSTS_SECONDS='-5' is not valid"),
        ({"API_RATE_LIMIT_PER_TOKEN": "-1"}, "API_RATE_LIMIT_PER_TOKEN='-1' is not valid"),
        ({"API_RATE_LIMIT_PER_CLIENT": "many"}, "API_RATE_LIMIT_PER_CLIENT='many' is not valid"),
    ],
)
def test_settings_bad_value_stops_start_up_naming_it(env, message):
    status, output = load_settings(**env)

    assert status != 0
    assert "ImproperlyConfigured" in output
    assert message in output


@pytest.mark.parametrize(
    "secret", [None, "django-insecure-embedded-default-do-not-use-in-production", "short"]
)
def test_settings_production_refuses_missing_default_or_short_secret(secret):
    env = {"DEBUG": "0", "ALLOWED_HOSTS": "example.org"}
    if secret is not None:
        env["SECRET_KEY"] = secret

    status, output = load_settings(**env)

    assert status != 0
    assert "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off" in output


def test_settings_production_refuses_missing_email_url():
    status, output = load_settings(DEBUG="0", SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="example.org")

    assert status != 0
    assert "ImproperlyConfigured: EMAIL_URL must be set when DEBUG is off" in output


@pytest.mark.parametrize("debug", ["0", "1"])
def test_settings_console_email_url_is_console_mail_on_purpose(debug):
    status, output = load_settings(
        DEBUG=debug, SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="example.org", EMAIL_URL="console://"
    )

    assert status == 0, output
    assert output.splitlines()[-1].split()[-1] == "django.core.mail.backends.console.EmailBackend"


def check_deploy(**env):
    """``manage.py check --deploy`` in a fresh interpreter with DEBUG off and these variables."""
    clean = {key: value for key, value in os.environ.items() if key in {"PATH", "HOME", "LANG"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=clean | {"DEBUG": "0", "SECRET_KEY": GOOD_SECRET, "ALLOWED_HOSTS": "example.org"} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stdout, result.stderr


def test_settings_production_check_deploy_reports_no_issue():
    status, out, err = check_deploy(EMAIL_URL="smtp+tls://portal:secret@smtp.example.org:587")

    assert status == 0, out + err
    assert out.strip() == "System check identified no issues (0 silenced)."


def test_settings_production_check_deploy_warns_of_console_email():
    status, _out, err = check_deploy(EMAIL_URL="console://")

    assert status == 1
    assert (
        "?: (accounts.W001) E-mail goes to the console with DEBUG off: password-reset links are written "
        "to the server log."
    ) in err
    assert "System check identified 1 issue (0 silenced)." in err
