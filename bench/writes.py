"""Benchmark of the write path: what an indicator row's save and the fragments htmx fetches after it cost
gunicorn in CPU, beside the read-only pages of bench/pages.py.

Run from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/innovasi_perf REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/writes.py [--rounds 200] [--no-collectstatic]

The database is prepared as bench/pages.py does (created, migrated and seeded with the demo when needed).
gunicorn runs with one sync worker and the production-like settings of bench/pages.py, and a Celery
worker takes the recomputes the saves ask for, as in production. Logged in through the form as
``operator.dinkes`` (the writes) and ``bupati`` (the read-only pages), each request is sent alone, one at a
time, ``--rounds`` times after a warm-up, and gunicorn's CPU (user + system, from /proc) is read around
each batch:

* the read-only pages: the dashboard, the innovation list and the gallery;
* the write path of one row: the save (``POST /inovasi/<id>/indikator/<row>/`` as htmx sends it, the level
  changed each time, so that every save is a real change that resets its verdict and is counted for the
  recompute) and the fragment htmx then fetches (the live score panel: the checklist comes with the save).

Goal: a request of the write path costs at most twice the CPU of a read-only page on average. Prints
figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from common import postgres_connection, print_table
from pages import (
    PAGES,
    ROOT,
    VENV_BIN,
    check_environment,
    cookie_header,
    cpu_seconds,
    free_port,
    http_get,
    keep_cookies,
    log_in,
    manage,
    prepare_database,
    process_tree,
    server_environment,
    start_gunicorn,
    stop_gunicorn,
)

OPERATOR = "operator.dinkes"
WARM_UP = 10
# A row of operator.dinkes's draft that the save may change: a level of 1 or 2 with evidence, no basis.
ROW = """
SELECT c.id, c.innovation_id FROM submissions_claim c
JOIN submissions_innovation i ON i.id = c.innovation_id
JOIN accounts_opd o ON o.id = i.opd_id
JOIN standards_indicator ind ON ind.id = c.indicator_id
WHERE i.state = 'draft' AND o.short_name = 'Dinkes' AND ind.code <> 'SID-33'
  AND EXISTS (SELECT 1 FROM submissions_evidence e WHERE e.claim_id = c.id)
ORDER BY c.id LIMIT 1
"""


def post(port, path, data, cookies, *, htmx=True):
    """(status, body) of one POST as the browser (htmx) sends it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(cookies),
            "X-CSRFToken": cookies["csrftoken"],
            "Referer": f"http://127.0.0.1:{port}/",
        }
        if htmx:
            headers["HX-Request"] = "true"
        connection.request("POST", path, body=urlencode(data), headers=headers)
        response = connection.getresponse()
        body = response.read()
        keep_cookies(cookies, response.getheaders())
        return response.status, body
    finally:
        connection.close()


def cpu_per_request(server_pids, requests):
    """gunicorn's CPU milliseconds per call of ``requests`` (a list of callables, each one request)."""
    before = cpu_seconds(server_pids)
    for request in requests:
        request()
    return (cpu_seconds(server_pids) - before) * 1000 / len(requests)


def start_worker(env, log):
    with log.open("w") as output:
        return subprocess.Popen(
            [str(VENV_BIN / "celery"), "-A", "innovasi.celery", "worker", "--pool", "solo", "-l", "WARNING"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200, help="requests of each kind, default 200")
    parser.add_argument("--no-collectstatic", action="store_true", help="var/static is already collected")
    args = parser.parse_args()

    database_url, redis_url = check_environment()
    env = server_environment(database_url, redis_url)
    database_note = prepare_database(database_url, env)
    if not args.no_collectstatic:
        manage(["collectstatic", "--noinput", "-v", "0"], env)
    with postgres_connection(database_url) as database:
        found = database.execute(ROW).fetchone()
    if found is None:
        sys.exit("bench/writes.py: the demo has no draft row of Dinkes with evidence to change")
    claim_id, innovation_id = found

    folder = Path(tempfile.mkdtemp(prefix="bench-writes-"))
    port = free_port()
    server = start_gunicorn(env, port, 1, 1, folder / "gunicorn.log")
    worker = start_worker(env, folder / "worker.log")
    try:
        reader = log_in(port)
        writer = log_in(port, OPERATOR)
        server_pids = process_tree(server.pid)
        save_path = f"/inovasi/{innovation_id}/indikator/{claim_id}/"
        panel_path = f"/verifikasi/inovasi/{innovation_id}/panel/"
        level = [1]

        def save():
            with postgres_connection(database_url) as database:
                (version,) = database.execute(
                    "SELECT version FROM submissions_claim WHERE id = %s", [claim_id]
                ).fetchone()
            level[0] = 3 - level[0]
            status, body = post(
                port,
                save_path,
                {f"c{claim_id}-level": level[0], f"c{claim_id}-note": "", f"c{claim_id}-version": version},
                writer,
            )
            if status != 200 or b"Tersimpan" not in body:
                sys.exit(f"bench/writes.py: the save answered {status}:\n{body[:400]!r}")

        def panel():
            status, _headers, _body = http_get(port, panel_path, writer)
            if status != 200:
                sys.exit(f"bench/writes.py: {panel_path} answered {status}")

        def read(path):
            return lambda: http_get(port, path, reader)

        for request in [save, panel, *(read(path) for _name, path in PAGES)]:
            for _ in range(WARM_UP):
                request()
        reads = {name: cpu_per_request(server_pids, [read(path)] * args.rounds) for name, path in PAGES}
        save_ms = cpu_per_request(server_pids, [save] * args.rounds)
        panel_ms = cpu_per_request(server_pids, [panel] * args.rounds)
    finally:
        stop_gunicorn(server)
        worker.terminate()
        worker.wait(timeout=30)

    read_ms = sum(reads.values()) / len(reads)
    write_ms = (save_ms + panel_ms) / 2
    rows = [(f"read-only page: {name}", f"{ms:.1f} ms", "") for name, ms in reads.items()]
    rows += [
        ("read-only pages, on average", f"{read_ms:.1f} ms", ""),
        ("row save (htmx POST, with the checklist)", f"{save_ms:.1f} ms", ""),
        ("live score panel fetched after it", f"{panel_ms:.1f} ms", ""),
        ("write path, per request", f"{write_ms:.1f} ms", f"≤ {2 * read_ms:.1f} ms (2 × a read-only page)"),
        ("write path / read-only page", f"{write_ms / read_ms:.2f}", "≤ 2"),
    ]
    print_table(
        f"gunicorn CPU per request, each request alone, {args.rounds} of each after {WARM_UP} to warm up "
        f"(1 sync worker, DEBUG=0, PostgreSQL {database_note}, Redis, a Celery worker; {os.cpu_count()} cores)",
        rows,
        [f"save and panel as {OPERATOR} on row {claim_id} of innovation {innovation_id}; pages as bupati"],
    )


if __name__ == "__main__":
    main()
