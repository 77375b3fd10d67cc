"""A whole portal of its own for the fault tests: PostgreSQL and Redis servers that the tests may stop,
hang and restart, gunicorn, a Celery worker and beat, each a real process, and a browser-like client.

Nothing here touches the suite's own database or Redis: the PostgreSQL cluster and the Redis server are
made afresh in a temporary folder, on free ports. The worker and beat run under a supervisor (as
``restart: unless-stopped`` does in docker-compose.yml): one that exits is started again.
"""

import contextlib
import html
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds, interval=0.5):
    """Poll ``condition`` until it is true (returns True) or ``seconds`` pass (returns False)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(Exception):
            if condition():
                return True
        time.sleep(interval)
    return False


class Postgres:
    """A PostgreSQL cluster in a temporary folder (as the ``postgres`` user when run as root)."""

    def __init__(self, folder):
        self.folder, self.port = folder, free_port()
        self.data = folder / "pgdata"
        self.data.mkdir()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(folder, "postgres")
            shutil.chown(self.data, "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")

    def _run(self, program, *args):
        command = [str(PG_BIN / program), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.folder)

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.folder / "postgres.log"),
            "-w",
            "start",
        )

    def stop(self):
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, name="portal"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def connect(self, **options):
        return psycopg.connect(self.url(), connect_timeout=3, **options)

    def rows(self, query, params=()):
        with self.connect(autocommit=True) as connection:
            return connection.execute(query, params).fetchall()


class Redis:
    """A redis-server of its own: ``stop`` refuses connections, ``hang`` leaves them unanswered."""

    def __init__(self, folder):
        self.folder, self.port, self.process = folder, free_port(), None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=self.folder,
            stdout=(self.folder / "redis.log").open("a"),
            stderr=subprocess.STDOUT,
        )
        assert wait_for(self._answers, 10), "redis-server did not start"

    def _answers(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")

    def stop(self):
        self.process.kill()
        self.process.wait()

    def hang(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"


class Supervised:
    """A long-running portal process, started again whenever it exits (as docker compose's restart
    policy does), until ``stop``. ``restarts`` counts the times it had to."""

    def __init__(self, name, command, env, folder):
        self.name, self.command, self.env, self.folder = name, command, env, folder
        self.log = folder / f"{name}.log"
        self.process, self.restarts, self.stopping = None, 0, False
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def start(self):
        self._spawn()
        self.thread.start()

    def _spawn(self):
        with self.log.open("a") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _watch(self):
        while not self.stopping:
            if self.process.poll() is not None and not self.stopping:
                with self.log.open("a") as log:
                    log.write(
                        f"\n[supervisor] {self.name} exited with {self.process.returncode}; restarting\n"
                    )
                self.restarts += 1
                time.sleep(1)
                self._spawn()
            time.sleep(0.2)

    def kill(self):
        """SIGKILL the process and all its children (a worker's pool), as a machine crash would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def stop(self):
        self.stopping = True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def text(self):
        return self.log.read_text(errors="replace") if self.log.exists() else ""


class Browser:
    """A user in a browser: cookies, CSRF token, htmx requests; answers as (status, text).

    The cookies are kept by hand: with DEBUG off they carry Secure, which a cookie jar keeps off plain
    HTTP, and the stack serves plain HTTP (as gunicorn does behind the TLS proxy)."""

    def __init__(self, base_url):
        self.base_url, self.cookies = base_url, {}
        self.opener = urllib.request.build_opener(_NoRedirect())

    def request(self, path, data=None, *, htmx=False, timeout=15):
        headers = {"Referer": self.base_url + "/"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if "csrftoken" in self.cookies:
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        if htmx:
            headers["HX-Request"] = "true"
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=timeout) as response:
                self._keep(response.headers)
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            self._keep(error.headers)
            return error.code, error.read().decode(errors="replace")

    def _keep(self, headers):
        for header in headers.get_all("Set-Cookie") or []:
            name, _equals, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def log_in(self, username, password):
        _status, page = self.request("/akun/masuk/")
        token = html.unescape(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1))
        status, _page = self.request(
            "/akun/masuk/", {"csrfmiddlewaretoken": token, "username": username, "password": password}
        )
        assert status == 302, f"log-in of {username} answered {status}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Stack:
    """The portal on its own PostgreSQL and Redis, with the demo data, gunicorn, a worker and beat."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="portal-faults-"))
        os.chmod(self.folder, 0o755)
        self.postgres = Postgres(self.folder)
        self.redis = Redis(self.folder)
        self.web_port = free_port()
        self.secret_key = secrets.token_urlsafe(64)
        self.processes = {}

    def env(self, **extra):
        """The processes' environment; ``extra`` overrides, a None removes the variable."""
        environment = {
            **os.environ,
            "DATABASE_URL": self.postgres.url(),
            "REDIS_URL": self.redis.url(),
            "DEBUG": "0",
            "SECRET_KEY": self.secret_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "EMAIL_URL": "console://",
            "MEDIA_ROOT": str(self.folder / "media"),
            **extra,
        }
        return {key: value for key, value in environment.items() if value is not None}

    def manage(self, *args, check=True, **extra_env):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env(**extra_env),
            capture_output=True,
            text=True,
            check=check,
            timeout=600,
        )

    def up(self):
        self.postgres.start()
        with psycopg.connect(self.postgres.url("postgres"), autocommit=True) as connection:
            connection.execute("CREATE DATABASE portal")
        self.redis.start()
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        # Seeded with eager tasks: the demo's snapshots are computed before the services start.
        self.manage("seed_demo", "-v", "0", REDIS_URL=None)
        env = self.env()
        celery = [sys.executable, "-m", "celery", "-A", "innovasi.celery"]
        self.processes = {
            "web": Supervised(
                "web",
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "innovasi.wsgi",
                    "-b",
                    f"127.0.0.1:{self.web_port}",
                    "--workers",
                    "2",
                    "--worker-class",
                    "gthread",
                    "--threads",
                    "2",
                    "--timeout",
                    "60",
                    "--access-logfile",
                    "-",
                    "--error-logfile",
                    "-",
                ],
                env,
                self.folder,
            ),
            "worker": Supervised(
                "worker",
                [*celery, "worker", "--pool", "prefork", "--concurrency", "2", "-l", "INFO"],
                env,
                self.folder,
            ),
            "beat": Supervised(
                "beat",
                [*celery, "beat", "-l", "INFO", "--schedule", str(self.folder / "beat-schedule")],
                env,
                self.folder,
            ),
        }
        for process in self.processes.values():
            process.start()
        assert wait_for(lambda: self.browser().request("/healthz")[0] == 200, 60), self.logs()
        assert wait_for(lambda: "ready." in self.processes["worker"].text(), 60), self.logs()

    def browser(self):
        return Browser(f"http://127.0.0.1:{self.web_port}")

    def down(self):
        for process in self.processes.values():
            process.stop()
        with contextlib.suppress(Exception):
            self.redis.resume()
        with contextlib.suppress(Exception):
            self.redis.stop()
        with contextlib.suppress(Exception):
            self.postgres.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def logs(self, *names):
        return "\n".join(
            f"--- {name} ---\n{self.processes[name].text()[-6000:]}" for name in (names or self.processes)
        )
