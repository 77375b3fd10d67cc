"""Benchmark of three pages under load: gunicorn with production-like settings on PostgreSQL and Redis.

Run from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/innovasi_perf REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/pages.py [--users 20] [--seconds 60] [--workers 4] [--threads 1] \\
        [--think-ms 0] [--client auto|wrk|python] [--no-collectstatic]

The database must be PostgreSQL (anything else is refused). It is created when missing, migrated, and
seeded with ``manage.py seed_demo`` when it has no demo region (seeding runs with tasks eager, so that the
index snapshots are computed without a worker). ``manage.py collectstatic`` runs first: with DEBUG off the
portal serves static files through WhiteNoise's manifest storage from var/static.

gunicorn (``innovasi.wsgi``) then starts on a free local port with DEBUG=0, a random 64-character
SECRET_KEY, ALLOWED_HOSTS=127.0.0.1,localhost, EMAIL_URL=console://, SECURE_SSL_REDIRECT=0,
SECURE_HSTS_SECONDS=0 and REDIS_URL (the cache; reads enqueue no task). Workers: 4 sync processes by default
on 2 cores. A request is CPU in
Python plus short waits on PostgreSQL and Redis: two processes per core keep both cores busy through those
waits, and more cannot add throughput to a CPU-bound server, only memory. ``--threads N`` switches to
gthread workers (keep-alive: the fast gallery then takes most of the turns; README, Performance).

Each simulated user logs in once as ``bupati`` through /akun/masuk/ (the login form with its CSRF token;
the cookies carry Secure with DEBUG off and are kept by hand over plain HTTP) and keeps its session. Users
are spread over the three pages (7 / 7 / 6 of 20): the Bupati's dashboard /dasbor/, the innovation list
/inovasi/ and the public gallery /galeri/, each user asking for its page again as soon as the previous
answer has arrived (a closed loop without pauses; every request carries one of the users' sessions in
turn). After a 5 s warm-up, each page is first asked for alone, one request at a time (its service time
without queueing), then the load runs ``--seconds`` seconds. The load generator is wrk (``apt-get
install wrk``), one process per page with a generated Lua script, which takes a few hundredths of a core;
without wrk, or with ``--think-ms`` (users pausing, uniformly, between half and one and a half times
that), a Python client with one thread per user runs instead (wrk reconnects before it pauses, which
would tie up a sync worker): the output says which one ran.

Printed per page and overall: requests per second, p50 and p95 latency (wrk's overall percentiles merge
each page's 0.1 % quantiles), errors (non-2xx answers, connection errors, timeouts over 5 s). Goal: p95
< 200 ms and no error. Also printed: the CPU used by gunicorn, by the load generator and by the whole
machine during the load, gunicorn's CPU per request, the load average, and the errors in gunicorn's log.
gunicorn is stopped at the end. Prints figures, asserts nothing. A run takes about 100 s.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from common import POSTGRES_SCHEMES, ensure_postgres_database, postgres_connection, print_table

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"

USERNAME = "bupati"
PASSWORD = "inovasi-demo"
LOGIN_PATH = "/akun/masuk/"
PAGES = (("dashboard", "/dasbor/"), ("innovation list", "/inovasi/"), ("public gallery", "/galeri/"))
GOAL_P95_MS = 200
START_TIMEOUT_SECONDS = 60
SEED = 2026  # of the users' pauses (--think-ms)
ALONE_REQUESTS = 20  # per page, one at a time, for the service time without queueing
WRK_TIMEOUT_SECONDS = 5  # a request slower than this counts as a timeout (an error)
LOG_PROBLEM = re.compile(r"\b(ERROR|CRITICAL|Traceback|WORKER TIMEOUT)\b")


# --- Environment, database, static files -------------------------------------------------------------


def check_environment() -> tuple[str, str]:
    database_url = os.environ.get("DATABASE_URL", "")
    if urlsplit(database_url).scheme not in POSTGRES_SCHEMES:
        sys.exit(
            "bench/pages.py measures the portal as deployed, on PostgreSQL: set DATABASE_URL, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/innovasi_perf "
            f"(got {database_url or 'nothing'!r}). The database is created and seeded when needed."
        )
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        sys.exit(
            "bench/pages.py needs REDIS_URL (the portal's cache in production), e.g. "
            "REDIS_URL=redis://127.0.0.1:6379/3"
        )
    return database_url, redis_url


def prepare_database(database_url: str, env: dict[str, str]) -> str:
    """Create, migrate and seed the database as needed; says what was done."""
    import yaml

    done = ["created"] if ensure_postgres_database(database_url, "bench/pages.py") else []
    # Tasks eager while migrating and seeding: the demo's index snapshots are computed here, not by a worker.
    quiet = {key: value for key, value in env.items() if key != "REDIS_URL"}
    manage(["migrate", "--noinput", "-v", "0"], quiet)
    demo = yaml.safe_load((ROOT / "innovasi/accounts/data/demo-mojokerto.yaml").read_text(encoding="utf-8"))
    with postgres_connection(database_url) as database:
        seeded = database.execute(
            "SELECT 1 FROM accounts_region WHERE code = %s", [demo["region"]["code"]]
        ).fetchone()
    if not seeded:
        started = time.perf_counter()
        manage(["seed_demo"], quiet)
        done.append(f"seeded ({time.perf_counter() - started:.0f} s)")
    return ", ".join(done) or "demo present"


def manage(arguments: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")


def server_environment(database_url: str, redis_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        EMAIL_URL="console://",  # the load sends no e-mail; with DEBUG off it must be said
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        PYTHONUNBUFFERED="1",
    )
    return env


# --- gunicorn -----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def workers_described(workers: int, threads: int) -> str:
    """gunicorn's workers as the figures name them: sync ones, or gthread ones with their threads."""
    return f"{workers} gthread workers x {threads} threads" if threads > 1 else f"{workers} sync workers"


def start_gunicorn(env: dict[str, str], port: int, workers: int, threads: int, log: Path):
    command = [
        str(VENV_BIN / "gunicorn"),
        "innovasi.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--error-logfile",
        "-",
        "--log-level",
        "info",
    ]
    if threads > 1:
        command += ["--worker-class", "gthread", "--threads", str(threads)]
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn stopped at start-up:\n{log.read_text()}")
        try:
            status, _, _ = http_get(port, LOGIN_PATH, {})
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    stop_gunicorn(process)
    sys.exit(f"gunicorn did not answer {LOGIN_PATH} within {START_TIMEOUT_SECONDS} s:\n{log.read_text()}")


def stop_gunicorn(process) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # graceful: the workers finish their request
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def process_tree(pid: int) -> list[int]:
    """The pid and its descendants (gunicorn's master and workers)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        queue.extend(int(child) for child in children)
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of the processes (those still alive)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    values = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    ticks = os.sysconf("SC_CLK_TCK")
    return (sum(values) - idle) / ticks, sum(values) / ticks


# --- HTTP, logging in ---------------------------------------------------------------------------------


def http_get(port: int, path: str, cookies: dict[str, str], connection=None, extra=None):
    """(status, headers, body) of one GET (with the ``extra`` headers); the connection is closed unless one
    is given."""
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=WRK_TIMEOUT_SECONDS)
    try:
        headers = {"Cookie": cookie_header(cookies)} if cookies else {}
        headers.update(extra or {})
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, response.getheaders(), body
    finally:
        if own:
            connection.close()


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def keep_cookies(cookies: dict[str, str], headers) -> None:
    """Take the Set-Cookie headers (they carry Secure with DEBUG off: a browser would drop them over plain
    HTTP, so they are kept by hand, as a TLS-terminating proxy in front would make possible)."""
    for name, value in headers:
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, content = pair.partition("=")
            cookies[key.strip()] = content.strip()


def log_in(port: int, username: str = USERNAME) -> dict[str, str]:
    """One user's cookies after logging in through the login form, exactly as a browser does."""
    cookies: dict[str, str] = {}
    status, headers, body = http_get(port, LOGIN_PATH, cookies)
    keep_cookies(cookies, headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or token is None or "csrftoken" not in cookies:
        sys.exit(f"bench/pages.py: the login page answered {status} without a CSRF token")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        form = urlencode(
            {"csrfmiddlewaretoken": token.group(1).decode(), "username": username, "password": PASSWORD}
        )
        connection.request(
            "POST",
            LOGIN_PATH,
            body=form,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie_header(cookies),
                "Referer": f"http://127.0.0.1:{port}{LOGIN_PATH}",
            },
        )
        response = connection.getresponse()
        response.read()
        keep_cookies(cookies, response.getheaders())
    finally:
        connection.close()
    if response.status != 302 or "sessionid" not in cookies:
        sys.exit(
            f"bench/pages.py: logging in as {username} answered {response.status} (expected a redirect); "
            "after 5 failures django-axes locks the account for 15 minutes"
        )
    return cookies


# --- Results ------------------------------------------------------------------------------------------


@dataclass
class PageResult:
    """One page's counts and latency histogram (microseconds → how many requests)."""

    name: str
    path: str
    users: int
    seconds: float = 0.0
    requests: int = 0
    non_2xx: int = 0
    connection_errors: int = 0
    timeouts: int = 0
    histogram: Counter = field(default_factory=Counter)  # latency in µs → weight
    weight: int = 1  # the histogram's weight of one request (1000 for wrk's 0.1 % quantiles)

    @property
    def errors(self) -> int:
        return self.non_2xx + self.connection_errors + self.timeouts


def percentile_ms(histogram: Counter, permille: int) -> float:
    """The smallest latency at or under which ``permille`` ‰ of the weighted requests answered, in ms."""
    total = sum(histogram.values())
    if not total:
        return float("nan")
    seen = 0
    for micros in sorted(histogram):
        seen += histogram[micros]
        if seen * 1000 >= permille * total:  # integers: no rounding at the boundaries
            return micros / 1000
    return max(histogram) / 1000


def combined(results: list[PageResult]) -> PageResult:
    """All pages together; their histograms are brought to a common weight per request first."""
    overall = PageResult("all three pages", "", sum(result.users for result in results))
    overall.seconds = max(result.seconds for result in results)
    overall.weight = max(result.weight for result in results)
    for result in results:
        overall.requests += result.requests
        overall.non_2xx += result.non_2xx
        overall.connection_errors += result.connection_errors
        overall.timeouts += result.timeouts
        scale = overall.weight // result.weight
        for micros, weight in result.histogram.items():
            overall.histogram[micros] += weight * scale
    return overall


# --- Load generators -----------------------------------------------------------------------------------

WRK_SCRIPT = """\
-- Generated by bench/pages.py: GET {path} with the users' session cookies (or tokens) in turn.
local values = {{ {values} }}
local counter = 0
non_2xx = 0
local threads = {{}}

function setup(thread)
  table.insert(threads, thread)
end

function request()
  counter = counter + 1
  return wrk.format("GET", "{path}", {{ ["{header}"] = values[(counter % #values) + 1] }})
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
  end
end

function done(summary, latency, requests)
  local non = 0
  for _, thread in ipairs(threads) do
    non = non + (thread:get("non_2xx") or 0)
  end
  local out = assert(io.open("{output}", "w"))
  local e = summary.errors
  out:write(string.format("requests %d\\nduration_us %d\\nnon_2xx %d\\nconnect %d\\nread %d\\nwrite %d\\n",
    summary.requests, summary.duration, non, e.connect, e.read, e.write))
  out:write(string.format("timeout %d\\n", e.timeout))
  if summary.requests > 0 then
    -- This wrk cannot hand out its histogram: its latency quantiles every 0.1 %, to merge the pages.
    for permille = 1, 1000 do
      out:write(string.format("q %d %d\\n", permille, latency:percentile(permille / 10)))
    end
  end
  out:close()
end
"""


def run_wrk(
    port: int,
    plan: list[PageResult],
    sessions: list[dict[str, str]] | dict[str, list[dict[str, str]]],
    seconds: float,
    folder: Path,
    headers: list[dict[str, str]] | None = None,
):
    """One wrk process per page, all at once; fills the results; returns the CPU seconds wrk used. Each
    request carries one of the sessions' cookies in turn (``sessions``: the users' sessions, or {page path:
    its users' sessions}, bench/ranking.py), or with ``headers`` (one header, the same name in each) one of
    those (bench/api_load.py)."""
    processes = []
    for number, page in enumerate(plan):
        own = sessions[page.path] if isinstance(sessions, dict) else sessions
        name, values = "Cookie", [cookie_header(session) for session in own]
        if headers:
            name, values = next(iter(headers[0])), [next(iter(header.values())) for header in headers]
        quoted = ", ".join(f'"{value}"' for value in values)
        output = folder / f"wrk-{number}.txt"
        script = folder / f"wrk-{number}.lua"
        script.write_text(WRK_SCRIPT.format(path=page.path, header=name, values=quoted, output=output))
        command = [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(page.users),
            "--duration",
            f"{seconds:.0f}s",
            "--timeout",
            f"{WRK_TIMEOUT_SECONDS}s",
            "--script",
            str(script),
            f"http://127.0.0.1:{port}{page.path}",
        ]
        processes.append(
            (page, output, subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT))
        )
    before = os.times()
    for page, output, process in processes:
        log = process.communicate()[0].decode(errors="replace")
        if process.returncode != 0 or not output.exists():
            sys.exit(f"wrk failed on {page.path}:\n{log}")
        quantiles = []
        for line in output.read_text().splitlines():
            key, *values = line.split()
            if key == "q":  # each 0.1 % quantile stands for a thousandth of the page's requests
                quantiles.append(int(float(values[1])))
            elif key == "requests":
                page.requests = int(values[0])
            elif key == "duration_us":
                page.seconds = int(values[0]) / 1e6
            elif key == "non_2xx":
                page.non_2xx = int(values[0])
            elif key in ("connect", "read", "write"):
                page.connection_errors += int(values[0])
            elif key == "timeout":
                page.timeouts = int(values[0])
        for micros in quantiles:
            page.histogram[micros] += page.requests  # weights: a thousandth each, times 1000
        page.weight = 1000
    after = os.times()
    return (after.children_user - before.children_user) + (after.children_system - before.children_system)


def run_python_client(
    port: int,
    plan: list[PageResult],
    sessions: list[dict[str, str]],
    seconds: float,
    think_ms: int,
    headers: list[dict[str, str]] | None = None,
) -> float:
    """One thread per user, its connection kept while the server keeps it (a browser's way: a request the
    server closed an idle kept-alive connection under is sent again on a new one, not counted as an
    error); returns the client's CPU seconds. Each request carries one of the sessions in turn, or one of
    ``headers``."""
    lock = threading.Lock()
    pauses = random.Random(SEED)
    stop_at = time.monotonic() + seconds
    started = time.monotonic()
    turn = iter(range(10**9))
    stale = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)

    def user(page: PageResult) -> None:
        connection, reused = None, False
        while time.monotonic() < stop_at:
            with lock:
                number = next(turn)
            session = sessions[number % len(sessions)] if sessions else {}
            extra = headers[number % len(headers)] if headers else None
            for attempt in (1, 2):
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WRK_TIMEOUT_SECONDS)
                    reused = False
                begun = time.perf_counter()
                try:
                    status, answer, _ = http_get(port, page.path, session, connection, extra)
                    break
                except stale:
                    connection.close()
                    connection = None
                    if reused and attempt == 1:
                        continue  # the server closed the idle connection: once more, on a new one
                    with lock:
                        page.connection_errors += 1
                except TimeoutError:
                    connection.close()
                    connection = None
                    with lock:
                        page.timeouts += 1
                except (OSError, http.client.HTTPException):
                    connection.close()
                    connection = None
                    with lock:
                        page.connection_errors += 1
                status = None
                break
            if status is None:
                continue
            micros = int((time.perf_counter() - begun) * 1e6)
            with lock:
                page.requests += 1
                page.histogram[micros] += 1
                if not 200 <= status <= 299:
                    page.non_2xx += 1
            if any(name.lower() == "connection" and value.lower() == "close" for name, value in answer):
                connection.close()
                connection = None
            else:
                reused = True
            if think_ms:
                time.sleep(think_ms / 1000 * pauses.uniform(0.5, 1.5))

    cpu_before = time.process_time()
    workers = [
        threading.Thread(target=user, args=(page,), daemon=True) for page in plan for _ in range(page.users)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    for page in plan:
        page.seconds = time.monotonic() - started
    return time.process_time() - cpu_before


# --- Output and main ----------------------------------------------------------------------------------


def page_rows(result: PageResult, alone_ms: float | None = None) -> list[tuple[str, str, str]]:
    label = f"{result.name} {result.path}".strip()
    errors = (
        f"{result.errors} ({result.non_2xx} non-2xx, {result.connection_errors} connection, "
        f"{result.timeouts} timeouts)"
        if result.errors
        else "0"
    )
    rows = [
        (
            f"{label}, {result.users} users: requests per second",
            f"{result.requests / result.seconds:.1f}",
            "",
        ),
        ("    p50 latency", f"{percentile_ms(result.histogram, 500):.0f} ms", ""),
        ("    p95 latency", f"{percentile_ms(result.histogram, 950):.0f} ms", f"< {GOAL_P95_MS} ms"),
        ("    p99 / max latency", _p99_max(result.histogram), ""),
        ("    errors", errors, "0"),
    ]
    if alone_ms is not None:
        rows.append(
            (f"    alone, one request at a time: median of {ALONE_REQUESTS}", f"{alone_ms:.0f} ms", "")
        )
    return rows


def _p99_max(histogram: Counter) -> str:
    if not histogram:
        return "—"
    return f"{percentile_ms(histogram, 990):.0f} / {max(histogram) / 1000:.0f} ms"


def split_users(users: int) -> list[int]:
    """Users per page, as even as possible, the first pages taking the remainder (20 → 7, 7, 6)."""
    return [users // len(PAGES) + (1 if number < users % len(PAGES) else 0) for number in range(len(PAGES))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20, help="simulated users, default 20")
    parser.add_argument("--seconds", type=float, default=60, help="duration of the load, default 60")
    parser.add_argument("--warm-up", type=float, default=5, help="seconds of untimed load first, default 5")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes, default 4")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads per worker; above 1, gthread workers (default 1: sync)",
    )
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator (auto: wrk if found)",
    )
    parser.add_argument(
        "--think-ms",
        type=int,
        default=0,
        help="mean pause of a user between two requests (uniform, ±50 %%), default 0: none",
    )
    parser.add_argument(
        "--no-collectstatic", action="store_true", help="skip collectstatic (var/static already collected)"
    )
    args = parser.parse_args()

    run_started = time.perf_counter()
    database_url, redis_url = check_environment()
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") and not args.think_ms else "python"
    if client == "wrk" and not shutil.which("wrk"):
        sys.exit("bench/pages.py: wrk is not installed (apt-get install wrk), or use --client python")
    if client == "wrk" and args.think_ms:
        # wrk reconnects as soon as an answer closes the connection and only then pauses: the idle
        # connection ties up a sync worker; and a server closing an idle kept-alive one makes it send twice.
        sys.exit("bench/pages.py: --think-ms needs the Python client (--client python or auto)")

    env = server_environment(database_url, redis_url)
    database_note = prepare_database(database_url, env)
    started = time.perf_counter()
    if not args.no_collectstatic:
        manage(["collectstatic", "--noinput", "-v", "0"], env)
    collectstatic = "skipped" if args.no_collectstatic else f"{time.perf_counter() - started:.1f} s"
    folder = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    log = folder / "gunicorn.log"
    port = free_port()
    workers = workers_described(args.workers, args.threads)
    print(
        f"pages under load: gunicorn ({workers}) on 127.0.0.1:{port}, DEBUG=0, PostgreSQL "
        f"{urlsplit(database_url).path.lstrip('/')} ({database_note}), Redis cache {redis_url}; "
        f"collectstatic {collectstatic}; {os.cpu_count()} cores; load generator: "
        + (f"wrk ({shutil.which('wrk')})" if client == "wrk" else "Python threads (wrk not used)")
    )
    print(flush=True)

    server = start_gunicorn(env, port, args.workers, args.threads, log)
    try:
        started = time.perf_counter()
        sessions = [log_in(port) for _ in range(args.users)]
        login_s = time.perf_counter() - started
        checks = []
        for name, path in PAGES:
            status, _, body = http_get(port, path, sessions[0])
            if status != 200:
                sys.exit(f"bench/pages.py: {path} answered {status} for a logged-in {USERNAME}")
            checks.append(f"{name} {len(body) / 1024:.0f} KiB")

        def plan():
            return [
                PageResult(name, path, users)
                for (name, path), users in zip(PAGES, split_users(args.users), strict=True)
                if users
            ]

        def load(pages, seconds):
            if client == "wrk":
                return run_wrk(port, pages, sessions, seconds, folder)
            return run_python_client(port, pages, sessions, seconds, args.think_ms)

        if args.warm_up:
            load(plan(), args.warm_up)
        # Service times: each page asked for alone, one request at a time, on the warm server.
        alone = {}
        for _name, path in PAGES:
            timings = []
            for number in range(ALONE_REQUESTS):
                begun = time.perf_counter()
                http_get(port, path, sessions[number % len(sessions)])
                timings.append((time.perf_counter() - begun) * 1000)
            alone[path] = statistics.median(timings)
        pages = plan()
        server_pids = process_tree(server.pid)
        server_cpu_before = cpu_seconds(server_pids)
        busy_before, total_before = machine_busy_seconds()
        load_before = os.getloadavg()
        client_cpu = load(pages, args.seconds)
        busy_after, total_after = machine_busy_seconds()
        server_cpu = cpu_seconds(server_pids) - server_cpu_before
        load_after = os.getloadavg()
    finally:
        stop_gunicorn(server)

    elapsed = max(page.seconds for page in pages)
    overall = combined(pages)
    rows = [row for page in pages for row in page_rows(page, alone.get(page.path))] + page_rows(overall)
    cores = os.cpu_count() or 1
    machine = (busy_after - busy_before) / ((total_after - total_before) / cores)
    print_table(
        f"{args.users} users for {args.seconds:.0f} s after a {args.warm_up:.0f} s warm-up, "
        + (
            f"each user pausing {args.think_ms // 2}–{args.think_ms * 3 // 2} ms between requests"
            if args.think_ms
            else "no pause between requests"
        ),
        rows,
        [
            f"users logged in through {LOGIN_PATH} in {login_s:.1f} s; pages as {USERNAME}: "
            + ", ".join(checks),
            f"CPU during the load, in cores busy on average out of {cores}: gunicorn {server_cpu / elapsed:.2f}, "
            f"load generator {client_cpu / elapsed:.2f}, whole machine {machine:.2f} "
            "(the rest: PostgreSQL, Redis and whatever else runs on the machine)",
            f"gunicorn CPU per request: {server_cpu / overall.requests * 1000:.1f} ms on average; "
            f"load average (1 min) before / after: {load_before[0]:.2f} / {load_after[0]:.2f}",
        ],
    )
    problems = [line for line in log.read_text(errors="replace").splitlines() if LOG_PROBLEM.search(line)]
    if problems:
        print(f"gunicorn log {log}: {len(problems)} error lines, the first ones:")
        for line in problems[:10]:
            print(f"  {line}")
    else:
        print("gunicorn log: no error")
        shutil.rmtree(folder, ignore_errors=True)
    print(f"whole run: {time.perf_counter() - run_started:.0f} s")


if __name__ == "__main__":
    main()
