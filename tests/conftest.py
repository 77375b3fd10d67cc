"""Shared fixtures: the personas of STYLE.md, each in the same region unless its name says otherwise.

operator_a / operator_b belong to OPD A / OPD B, kepala_a heads OPD A (endorses its submissions where the
region asks for it); verifikator belongs to Bappeda; outsider_admin is an admin of another region. Personas have no password (use ``client.force_login``) unless a test sets one.
"""

import contextlib
import gc
import os
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.test import override_settings

from innovasi import settings as portal_settings
from innovasi.accounts.enums import OpdKind, Role
from innovasi.celery import app as celery_app

from .factories import CycleFactory, OpdFactory, RegionFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
# The portal's own hashers (innovasi/settings.py): a test of how passwords are stored asks for them.
PORTAL_PASSWORD_HASHERS = list(portal_settings.PASSWORD_HASHERS)


# Modules whose tests share a costly module-scoped fixture: under xdist they stay on one test process, so
# that it is built once. (pytest-xdist's xdist_group mark cannot do it here: --dist loadgroup groups tests
# by renaming their node ids, which pytest 9 no longer lets a plugin do.)
ONE_PROCESS_MODULES = {"tests/test_demo.py", "tests/test_demo_province.py", "tests/browser/test_login.py"}


class _Scheduling:
    """``-n 2`` (``--dist load``): tests are spread one at a time in the order pytest-django gives them
    (database tests, transactional ones, the rest), but those of ONE_PROCESS_MODULES go to one process
    together."""

    @staticmethod
    def pytest_xdist_make_scheduler(config, log):
        if config.getvalue("dist") != "load":
            return None
        from xdist.scheduler import LoadScopeScheduling

        # Not the biggest groups first, as xdist would: a transactional module must not run before the
        # database tests (it empties the database after each test).
        config.option.loadscopereorder = False

        class TestsOrModules(LoadScopeScheduling):
            def _split_scope(self, nodeid):
                module = nodeid.split("::", 1)[0]
                return module if module in ONE_PROCESS_MODULES else nodeid

        return TestsOrModules(config, log)


def pytest_configure(config):
    if config.pluginmanager.hasplugin("xdist"):  # the hook is xdist's: unknown to pytest without it
        config.pluginmanager.register(_Scheduling(), "innovasi-scheduling")
    # A test process holds hundreds of thousands of objects (Django, the migrations' model states, module
    # fixtures' worlds); at Python's default of a collection every 700 allocations, the collections that
    # walk them took a fifth of the CPU time of tests/innovasi and tests/scoring (15 s of 80), the
    # migration tests' most of all. A collection every 50,000 allocations took 5 s of it, for some 80 MB
    # more memory per test process.
    gc.set_threshold(50_000, 20, 20)


def pytest_collection_finish(session):
    """What is alive once the tests are collected (Django, the portal, the test modules) lives as long as
    the process: frozen, the collections to come no longer walk it."""
    gc.collect()
    gc.freeze()


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """Passwords are hashed with MD5 in tests: an Argon2 hash costs a few tenths of a second of CPU, and every
    demo seeding, log-in and password form pays it. ``portal_password_hashers`` puts Argon2 back."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture
def portal_password_hashers(settings):
    """The password hashers the portal runs with, for a test of how passwords are stored."""
    settings.PASSWORD_HASHERS = PORTAL_PASSWORD_HASHERS


@pytest.fixture(autouse=True, scope="session")
def _media_in_a_temporary_folder(tmp_path_factory):
    """Uploads, evidence and generated reports go to a folder of this test process's own, removed with
    pytest's temporary folders, never into ``var/media`` where the demo portal keeps its files."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


def _with_own_keys(caches):
    """``caches`` (the CACHES setting) with key prefixes of their own."""
    return {name: {**config, "KEY_PREFIX": uuid.uuid4().hex} for name, config in caches.items()}


@pytest.fixture(autouse=True)
def _own_cache_keys(settings):
    """Each test reads and writes its own cache keys: a shared Redis outlives tests and test runs."""
    settings.CACHES = _with_own_keys(settings.CACHES)


def _forget_outages():
    from innovasi.cache import CACHE_OUTAGE
    from innovasi.celery import BROKER_OUTAGE

    for outage in (CACHE_OUTAGE, BROKER_OUTAGE):
        outage.since, outage.failures, outage.down_until = None, 0, 0.0


@pytest.fixture(autouse=True)
def _no_outage_known():
    """Each test starts with Redis taken as up: an outage another test played must not carry over."""
    _forget_outages()


@pytest.fixture(autouse=True)
def _celery_eager(settings):
    """Tasks run in the test process unless a test starts a real worker (the ``services`` tests)."""
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER


@contextlib.contextmanager
def as_each_test_runs():
    """What the three fixtures above give each test, for a module-scoped fixture (set up before them):
    cache keys of its own, Redis taken as up, and tasks run in this process."""
    from django.conf import settings

    eager = celery_app.conf.task_always_eager
    _forget_outages()
    with override_settings(CACHES=_with_own_keys(settings.CACHES)):
        celery_app.conf.task_always_eager = True
        try:
            yield
        finally:
            celery_app.conf.task_always_eager = eager


@pytest.fixture
def region(db):
    return RegionFactory(name="Kabupaten Uji", code="35.99")


@pytest.fixture
def other_region(db):
    return RegionFactory(name="Kota Lain", code="35.98")


@pytest.fixture
def opd_a(region):
    return OpdFactory(region=region, name="Dinas Kesehatan", short_name="Dinkes")


@pytest.fixture
def opd_b(region):
    return OpdFactory(region=region, name="Dinas Pendidikan", short_name="Dispendik")


@pytest.fixture
def bappeda(region):
    return OpdFactory(region=region, name="Bappeda", short_name="Bappeda", kind=OpdKind.BADAN)


@pytest.fixture
def cycle(region):
    return CycleFactory(region=region)


@pytest.fixture
def operator_a(opd_a):
    return UserFactory(username="operator.a", region=opd_a.region, role=Role.OPERATOR, opd=opd_a)


@pytest.fixture
def operator_b(opd_b):
    return UserFactory(username="operator.b", region=opd_b.region, role=Role.OPERATOR, opd=opd_b)


@pytest.fixture
def kepala_a(opd_a):
    return UserFactory(username="kepala.a", region=opd_a.region, role=Role.KEPALA_OPD, opd=opd_a)


@pytest.fixture
def verifikator(bappeda):
    return UserFactory(username="verifikator", region=bappeda.region, role=Role.VERIFIKATOR, opd=bappeda)


@pytest.fixture
def admin_user(bappeda):
    return UserFactory(
        username="admin.bappeda", region=bappeda.region, role=Role.ADMIN, opd=bappeda, is_staff=True
    )


@pytest.fixture
def juri(region):
    return UserFactory(username="juri", region=region, role=Role.JURI, opd=None)


@pytest.fixture
def pimpinan(region):
    return UserFactory(username="bupati", region=region, role=Role.PIMPINAN, opd=None)


@pytest.fixture
def outsider_admin(other_region):
    return UserFactory(username="admin.lain", region=other_region, role=Role.ADMIN, opd=None, is_staff=True)


PERSONAS = [
    "operator_a",
    "operator_b",
    "kepala_a",
    "verifikator",
    "admin_user",
    "juri",
    "pimpinan",
    "anonymous",
]


@pytest.fixture
def persona_client(request, client):
    """A test client logged in as the persona named by ``request.param`` (``anonymous``: not logged in)."""

    def login(name):
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return login


def _database_url(settings_dict):
    """The URL of the database this test process uses (the test database), for a worker process."""
    return "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(
        **{key: settings_dict.get(key) or "" for key in ("USER", "PASSWORD", "HOST", "PORT", "NAME")}
    )


class WorkerProcesses:
    """Real ``celery worker`` processes on the suite's Redis and PostgreSQL, started on demand."""

    def __init__(self, env, tmp_path):
        self.env, self.tmp_path, self.processes = env, tmp_path, []
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()

    def start(self, **extra_env):
        import subprocess
        import sys
        import time

        log_path = self.tmp_path / f"worker-{len(self.processes)}.log"
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "innovasi.celery",
                    "worker",
                    "--pool=solo",
                    "-l",
                    "INFO",
                ],
                cwd=ROOT,
                env={**self.env, "EMAIL_URL": f"filemail:///{self.mail_dir}", **extra_env},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.processes.append(process)
        deadline = time.monotonic() + 60
        while "ready." not in log_path.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the Celery worker did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
        return process

    def logs(self):
        """Everything the workers wrote, for a failing assertion's message."""
        return "\n".join(path.read_text() for path in sorted(self.tmp_path.glob("worker-*.log")))

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)


@pytest.fixture
def celery_broker(settings):
    """Send this test's tasks to another broker: ``celery_broker("memory://")`` keeps them where no
    worker takes them; a refused port plays Redis stopped.

    Celery makes its connection and producer pools on first use and keeps them, whatever the broker URL
    says later: they are dropped when the broker changes and again after the test (as Celery drops them
    after a fork), or a later test would still send its tasks to this test's broker.
    """
    previous = celery_app.conf.broker_url

    def use(url):
        settings.CELERY_TASK_ALWAYS_EAGER = False
        celery_app.conf.task_always_eager = False
        celery_app.conf.broker_url = url
        celery_app._after_fork()

    yield use
    celery_app.conf.broker_url = previous
    celery_app._after_fork()


DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1: a refused connection, as Redis stopped


@pytest.fixture
def cache_stopped(settings):
    """The Redis cache, configured as in production (innovasi/settings.py), with its Redis stopped."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "REDIS_CLIENT_CLASS": "innovasi.cache.OutageAwareRedis",
                "SOCKET_CONNECT_TIMEOUT": settings.REDIS_SOCKET_TIMEOUT,
                "SOCKET_TIMEOUT": settings.REDIS_SOCKET_TIMEOUT,
            },
        }
    }


@pytest.fixture
def redis_stopped(cache_stopped, celery_broker):
    """Redis stopped: the cache misses and the broker refuses every task."""
    celery_broker(DEAD_REDIS)


def _own_redis_database(redis_url, worker_id):
    """REDIS_URL with a Redis database of this test process's own (gw0: 10, gw1: 11, …; one process: 10),
    so that the workers of tests running side by side never take each other's tasks."""
    parts = urlsplit(redis_url)
    number = 10 + (int(worker_id[2:]) if worker_id.startswith("gw") else 0)
    return urlunsplit(parts._replace(path=f"/{number}"))


@pytest.fixture
def celery_workers(settings, tmp_path, transactional_db, celery_broker, worker_id):
    """Start real worker processes (the ``services`` tests); tasks leave this process for Redis meanwhile.

    Skipped unless REDIS_URL and a PostgreSQL DATABASE_URL are set (CI sets both): a worker cannot share
    SQLite's test database with this process's transactions.
    """
    from django.db import connection

    if not settings.REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("needs REDIS_URL and a PostgreSQL DATABASE_URL (as in CI: .ci/run)")
    broker = _own_redis_database(settings.REDIS_URL, worker_id)
    celery_broker(broker)
    celery_app.control.purge()
    env = {**os.environ, "DATABASE_URL": _database_url(connection.settings_dict), "REDIS_URL": broker}
    workers = WorkerProcesses(env, tmp_path)
    try:
        yield workers
    finally:
        workers.stop_all()


@pytest.fixture
def celery_worker(celery_workers):
    """One running worker; yields the directory where its e-mails land."""
    celery_workers.start()
    return celery_workers.mail_dir
