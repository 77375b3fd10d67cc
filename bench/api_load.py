"""Benchmark of the API's snapshot endpoint under load: 20 clients with their tokens, on the gunicorn set-up
of bench/pages.py (PostgreSQL, Redis, production-like settings).

Run from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/innovasi_perf REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/api_load.py [--clients 20] [--seconds 60] [--workers 4] [--threads 1] \\
        [--client auto|wrk|python] [--no-collectstatic]

The database is prepared as bench/pages.py does (created, migrated and seeded with the demo when needed),
and gunicorn runs as there (4 sync workers by default, DEBUG=0, the Redis cache), with the API's rate
limits raised so far that the load never reaches them (each request is still counted in Redis, as in
production). Each client has a personal access token of its own, made for the run with the portal's
service (20 tokens over the demo's readers of the index: bupati, admin, verifikator1–3; the previous run's
are revoked first, and this run's at its end), and asks, without pausing, for

    GET /api/v1/siklus/<the demo's current cycle>/indeks/

the newest claimed and verified snapshots with their OPD contributions, each request with one of the
tokens in turn (``Authorization: Bearer``). After a warm-up, the endpoint is first asked alone, one request
at a time (its service time without queueing), then the load runs ``--seconds`` seconds from wrk (one
process, one connection per client) or, without wrk, from Python threads.

Printed: requests per second, p50, p95, p99 and the largest latency, errors (non-2xx answers, connection
errors, timeouts over 5 s), gunicorn's CPU per request and the CPU of the load generator and the machine.
Goal: p95 < 100 ms and no error. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

from common import print_table
from pages import (
    ALONE_REQUESTS,
    LOG_PROBLEM,
    ROOT,
    VENV_BIN,
    PageResult,
    check_environment,
    cpu_seconds,
    free_port,
    http_get,
    machine_busy_seconds,
    manage,
    percentile_ms,
    prepare_database,
    process_tree,
    run_python_client,
    run_wrk,
    server_environment,
    start_gunicorn,
    stop_gunicorn,
    workers_described,
)

GOAL_P95_MS = 100
TOKEN_NAME = "bench/api_load.py"
READERS = ("bupati", "admin", "verifikator1", "verifikator2", "verifikator3")

TOKENS_MADE = """
import json
from api.models import AccessToken
from api.services import token_create, token_revoke
from innovasi.accounts.models import User
from innovasi.standards.selectors import cycle_current

readers = list(User.objects.filter(username__in={readers!r}, is_active=True).order_by("username"))
for token in AccessToken.objects.filter(user__in=readers, name={name!r}, revoked_at__isnull=True):
    token_revoke(token=token, user=token.user)
tokens = [token_create(user=readers[n % len(readers)], name={name!r})[1] for n in range({count})]
cycle = cycle_current(region_id=readers[0].region_id)
print(json.dumps({{"cycle": cycle.pk, "tokens": tokens}}))
"""

TOKENS_REVOKED = """
from api.models import AccessToken
from api.services import token_revoke

for token in AccessToken.objects.filter(name={name!r}, revoked_at__isnull=True).select_related("user"):
    token_revoke(token=token, user=token.user)
"""


def shell(code: str, env: dict[str, str]) -> str:
    """What ``manage.py shell -c code`` prints (stops the run when it fails)."""
    result = subprocess.run(
        [str(VENV_BIN / "python"), "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"bench/api_load.py: manage.py shell failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="clients, each with a token, default 20")
    parser.add_argument("--seconds", type=float, default=60, help="duration of the load, default 60")
    parser.add_argument("--warm-up", type=float, default=5, help="seconds of untimed load first, default 5")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes, default 4")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (above 1: gthread)")
    parser.add_argument("--client", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--no-collectstatic", action="store_true", help="skip collectstatic")
    args = parser.parse_args()
    if not 1 <= args.clients <= 10 * len(READERS):
        sys.exit(f"bench/api_load.py: --clients from 1 to {10 * len(READERS)} (10 tokens per reader)")

    run_started = time.perf_counter()
    database_url, redis_url = check_environment()
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    if client == "wrk" and not shutil.which("wrk"):
        sys.exit("bench/api_load.py: wrk is not installed (apt-get install wrk), or use --client python")

    env = server_environment(database_url, redis_url)
    # Counted in Redis on every request, as in production, but never reached by the load.
    env.update(API_RATE_LIMIT_PER_TOKEN=str(10**9), API_RATE_LIMIT_PER_CLIENT=str(10**9))
    database_note = prepare_database(database_url, env)
    if not args.no_collectstatic:
        manage(["collectstatic", "--noinput", "-v", "0"], env)
    made = json.loads(
        shell(TOKENS_MADE.format(readers=READERS, name=TOKEN_NAME, count=args.clients), env)
        .strip()
        .splitlines()[-1]
    )
    path = f"/api/v1/siklus/{made['cycle']}/indeks/"
    headers = [{"Authorization": f"Bearer {token}"} for token in made["tokens"]]

    folder = Path(tempfile.mkdtemp(prefix="bench-api-"))
    log = folder / "gunicorn.log"
    port = free_port()
    workers = workers_described(args.workers, args.threads)
    print(
        f"API under load: gunicorn ({workers}) on 127.0.0.1:{port}, DEBUG=0, PostgreSQL "
        f"{urlsplit(database_url).path.lstrip('/')} ({database_note}), Redis cache {redis_url}; "
        f"{os.cpu_count()} cores; load generator: "
        + (f"wrk ({shutil.which('wrk')})" if client == "wrk" else "Python threads")
    )
    print(flush=True)

    server = start_gunicorn(env, port, args.workers, args.threads, log)
    try:
        status, _, body = http_get(port, path, {}, extra=headers[0])
        if status != 200:
            sys.exit(f"bench/api_load.py: {path} answered {status}: {body[:300]!r}")
        answer = json.loads(body)
        check = (
            f"{path} answers {len(body) / 1024:.1f} KiB: verified IID "
            f"{(answer['verified'] or {}).get('iid')}, claimed IID {(answer['claimed'] or {}).get('iid')}, "
            f"{len((answer['verified'] or {}).get('contributions', []))} OPD contributions"
        )

        def plan():
            return [PageResult("snapshot endpoint", path, args.clients)]

        def load(pages, seconds):
            if client == "wrk":
                return run_wrk(port, pages, [], seconds, folder, headers=headers)
            return run_python_client(port, pages, [], seconds, 0, headers=headers)

        if args.warm_up:
            load(plan(), args.warm_up)
        timings = []
        for number in range(ALONE_REQUESTS):
            begun = time.perf_counter()
            http_get(port, path, {}, extra=headers[number % len(headers)])
            timings.append((time.perf_counter() - begun) * 1000)
        alone = statistics.median(timings)
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
        shell(TOKENS_REVOKED.format(name=TOKEN_NAME), env)

    result = pages[0]
    cores = os.cpu_count() or 1
    machine = (busy_after - busy_before) / ((total_after - total_before) / cores)
    errors = (
        f"{result.errors} ({result.non_2xx} non-2xx, {result.connection_errors} connection, "
        f"{result.timeouts} timeouts)"
        if result.errors
        else "0"
    )
    p95 = percentile_ms(result.histogram, 950)
    print_table(
        f"{args.clients} clients for {args.seconds:.0f} s after a {args.warm_up:.0f} s warm-up, no pause "
        "between requests",
        [
            (f"GET {path}: requests per second", f"{result.requests / result.seconds:.1f}", ""),
            ("    p50 latency", f"{percentile_ms(result.histogram, 500):.0f} ms", ""),
            ("    p95 latency", f"{p95:.0f} ms", f"< {GOAL_P95_MS} ms"),
            (
                "    p99 / max latency",
                f"{percentile_ms(result.histogram, 990):.0f} / {max(result.histogram) / 1000:.0f} ms"
                if result.histogram
                else "—",
                "",
            ),
            ("    errors", errors, "0"),
            (f"    alone, one request at a time: median of {ALONE_REQUESTS}", f"{alone:.1f} ms", ""),
        ],
        [
            check,
            f"CPU during the load, in cores busy on average out of {cores}: gunicorn "
            f"{server_cpu / result.seconds:.2f}, load generator {client_cpu / result.seconds:.2f}, whole "
            f"machine {machine:.2f} (the rest: PostgreSQL, Redis and whatever else runs on the machine)",
            f"gunicorn CPU per request: {server_cpu / max(result.requests, 1) * 1000:.1f} ms on average; "
            f"load average (1 min) before / after: {load_before[0]:.2f} / {load_after[0]:.2f}",
            f"goal {'met' if p95 < GOAL_P95_MS and not result.errors else 'NOT met'}: p95 < {GOAL_P95_MS} ms "
            "and no error",
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
