"""Benchmark of the ranking pages (``/peringkat/``) with the nation of bench/index.py under 38 provinces.

Run from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/innovasi_ranking REDIS_URL=redis://127.0.0.1:6379/4 \\
        .venv/bin/python bench/ranking.py [--users 20] [--seconds 60] [--workers 4] [--rebuild]

The database (created when missing, then migrated) belongs to the benchmark. The national data is
bench/index.py's (548 regions, 36,742 innovations × 20 claims with verdicts and evidence; built by its
``build_nation`` when missing or with ``--rebuild``, then every cycle recomputed, which takes a few
minutes); the Redis database is flushed between the measures (use one of its own). Here the 548 regions are
placed under 38 provinces (log-normally uneven, at least 3 each: 6 to 31 with seed 2038) under one national
region; each province gets a cycle of its own with its SPD rows filled (its own IID). Two accounts log in:
the nation's admin and the admin of the largest province.

Measured:

1. In this process, through Django's test client: the SQL queries of the national ranking (586 regions
   below), of the largest province's and of the smallest's (the count must not grow with the regions),
   and the time of each page with its cache empty (computed and rendered) and from the cache.
2. Under load, with the gunicorn set-up of bench/pages.py (``innovasi.wsgi``, DEBUG=0, 4 sync workers,
   the Redis cache, wrk): 20 users who never pause, half on the national ranking as the nation's admin,
   half on the province's as its admin, after a 5 s warm-up. Goal: p95 < 200 ms and no error.

Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import index  # noqa: E402  bench/index.py: the nation's data
import pages  # noqa: E402  bench/pages.py: gunicorn, log-ins, wrk
from common import ensure_postgres_database, print_table  # noqa: E402

PROVINCES = 38
NATION_CODE = "BX.NASIONAL"  # not "BN.": bench/index.py counts its regions by that prefix
PROVINCE_PREFIX = "BX.P"
NATION_ADMIN = "bench.nasional"
PROVINCE_ADMIN = "bench.provinsi"
SMALL_PROVINCE_ADMIN = "bench.provinsi.kecil"
SEED = 2038
REPEATS = 7
GOAL_P95_MS = 200


def province_sizes(rng: random.Random, total: int) -> list[int]:
    """Regions per province: log-normally uneven, at least 3, summing to ``total``."""
    weights = [rng.lognormvariate(0, 0.6) for _ in range(PROVINCES)]
    sizes = [3 + int(weight * (total - 3 * PROVINCES) / sum(weights)) for weight in weights]
    for i in range(total - sum(sizes)):
        sizes[i % PROVINCES] += 1
    return sizes


def place_nation() -> dict:
    """The national region and the 38 provinces over the benchmark's regions (made once), each province with
    its own cycle, SPD rows and snapshots, and the accounts that read them."""
    from django.db import transaction
    from django.utils import timezone

    from innovasi.accounts.enums import RegionKind, Role
    from innovasi.accounts.models import Region, User
    from innovasi.standards.enums import CycleState
    from innovasi.standards.models import Catalogue, Cycle
    from scoring.models import SpdEntry, SpdEvidence
    from scoring.services.index import cycle_recompute

    rng = random.Random(SEED)
    catalogue = Catalogue.objects.get(code=index.CATALOGUE)
    with transaction.atomic():
        nation, _ = Region.objects.get_or_create(
            code=NATION_CODE, defaults={"name": "Indonesia (bench)", "kind": RegionKind.NASIONAL}
        )
        provinces = []
        for number in range(1, PROVINCES + 1):
            province, _ = Region.objects.get_or_create(
                code=f"{PROVINCE_PREFIX}{number:02d}",
                defaults={
                    "name": f"Provinsi Bench {number:02d}",
                    "kind": RegionKind.PROVINSI,
                    "parent": nation,
                },
            )
            provinces.append(province)
        regencies = list(
            Region.objects.filter(code__startswith=index.NATION_REGION_PREFIX)
            .exclude(kind__in=[RegionKind.NASIONAL, RegionKind.PROVINSI])
            .order_by("code")
            .values_list("pk", flat=True)
        )
        start = 0
        for province, size in zip(provinces, province_sizes(rng, len(regencies)), strict=True):
            Region.objects.filter(pk__in=regencies[start : start + size]).update(parent=province)
            start += size
        fresh = []
        for province in provinces:
            cycle, created = Cycle.objects.get_or_create(
                region=province,
                catalogue=catalogue,
                defaults={
                    "name": f"IID 2026 — {province.name}",
                    "opens_on": date(2026, 1, 2),
                    "filing_closes_on": date(2026, 8, 31),
                    "verification_closes_on": date(2026, 9, 30),
                    "revision_closes_on": date(2026, 10, 31),
                    "final_on": date(2026, 11, 30),
                    "state": CycleState.VERIFICATION,
                },
            )
            if created:
                fresh.append(cycle)
        admins = {}
        for username, region in (
            (NATION_ADMIN, nation),
            (PROVINCE_ADMIN, max(provinces, key=lambda p: Region.objects.filter(parent=p).count())),
            (SMALL_PROVINCE_ADMIN, min(provinces, key=lambda p: Region.objects.filter(parent=p).count())),
        ):
            user, created = User.objects.get_or_create(
                username=username, defaults={"region": region, "role": Role.ADMIN, "is_staff": True}
            )
            if created:
                user.set_password(pages.PASSWORD)
                user.save(update_fields=["password"])
            admins[username] = user
        for cycle in fresh:  # the province's own SPD rows (its OPDs file nothing in the benchmark)
            entries = list(SpdEntry.objects.filter(cycle=cycle))
            for entry in entries:
                entry.level = rng.choice([1, 2, 3])
                entry.entered_by = admins[NATION_ADMIN]
                entry.accepted_by, entry.accepted_at = admins[PROVINCE_ADMIN], timezone.now()
            SpdEntry.objects.bulk_update(entries, ["level", "entered_by", "accepted_by", "accepted_at"])
            SpdEvidence.objects.bulk_create(
                SpdEvidence(
                    entry=entry,
                    kind="pdf",
                    file=index.SHARED_SPD_FILE,
                    original_name="spd.pdf",
                    size=2048,
                    uploaded_by=admins[NATION_ADMIN],
                )
                for entry in entries
            )
    for cycle in fresh:
        cycle_recompute(cycle_id=cycle.pk)
    return {"nation": nation, "provinces": provinces, "admins": admins}


def snapshots_missing() -> list[int]:
    from innovasi.standards.models import Cycle

    return list(
        Cycle.objects.filter(region__code__startswith=index.NATION_REGION_PREFIX, snapshots__isnull=True)
        .values_list("pk", flat=True)
        .distinct()
    )


def measure_in_process(world: dict) -> list[tuple[str, str, str]]:
    """Queries and times of the three ranking pages through Django's test client, cache empty and full."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from innovasi.accounts.models import Region

    rows = []
    for username, label in (
        (NATION_ADMIN, "national ranking"),
        (PROVINCE_ADMIN, "largest province's ranking"),
        (SMALL_PROVINCE_ADMIN, "smallest province's ranking"),
    ):
        user = world["admins"][username]
        below = (
            Region.objects.filter(parent=user.region).count()
            + Region.objects.filter(parent__parent=user.region).count()
        )
        client = Client()
        client.force_login(user)
        client.get("/peringkat/")  # the catalogue's rules, the templates: read once per process
        cold, warm = [], []
        for _ in range(REPEATS):
            cache.clear()
            started = time.perf_counter()
            response = client.get("/peringkat/")
            cold.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            client.get("/peringkat/")
            warm.append((time.perf_counter() - started) * 1000)
        cache.clear()
        with CaptureQueriesContext(connection) as computed:
            client.get("/peringkat/")
        with CaptureQueriesContext(connection) as cached:
            client.get("/peringkat/")
        rows += [
            (f"{label} ({below} regions below), {len(response.content) / 1024:.0f} KiB", "", ""),
            ("    SQL queries, cache empty / from the cache", f"{len(computed)} / {len(cached)}", "constant"),
            (
                f"    one request, cache empty: median of {REPEATS}",
                f"{statistics.median(cold):.0f} ms",
                "",
            ),
            (
                f"    one request, from the cache: median of {REPEATS}",
                f"{statistics.median(warm):.1f} ms",
                "",
            ),
        ]
    return rows


def postgres_pids() -> list[int]:
    """The PostgreSQL server's processes on this machine (every database's: the server may be shared)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() in ("postgres", "postmaster"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def postgres_cpu() -> dict[int, float]:
    """{pid: CPU seconds} of the PostgreSQL server's processes now."""
    return {pid: pages.cpu_seconds([pid]) for pid in postgres_pids()}


def measure_load(args, world: dict) -> tuple[list, list[str]]:
    """The two ranking pages under load with bench/pages.py's gunicorn set-up."""
    database_url, redis_url = os.environ["DATABASE_URL"], os.environ["REDIS_URL"]
    env = pages.server_environment(database_url, redis_url)
    folder = Path(tempfile.mkdtemp(prefix="bench-ranking-"))
    log = folder / "gunicorn.log"
    port = pages.free_port()
    plan_pages = (
        ("national ranking", "/peringkat/", NATION_ADMIN),
        ("province ranking", "/peringkat/?urut=nama", PROVINCE_ADMIN),
    )
    split = [args.users // 2 + args.users % 2, args.users // 2]
    server = pages.start_gunicorn(env, port, args.workers, 1, log)
    try:
        sessions = {
            path: [pages.log_in(port, username) for _ in range(users)]
            for (_name, path, username), users in zip(plan_pages, split, strict=True)
        }
        for _name, path, _username in plan_pages:
            status, _, _ = pages.http_get(port, path, sessions[path][0])
            if status != 200:
                sys.exit(f"bench/ranking.py: {path} answered {status}")

        def plan():
            return [
                pages.PageResult(name, path, users)
                for (name, path, _username), users in zip(plan_pages, split, strict=True)
            ]

        pages.run_wrk(port, plan(), sessions, args.warm_up, folder)
        alone = {}
        for _name, path, _username in plan_pages:
            timings = []
            for number in range(pages.ALONE_REQUESTS):
                started = time.perf_counter()
                pages.http_get(port, path, sessions[path][number % len(sessions[path])])
                timings.append((time.perf_counter() - started) * 1000)
            alone[path] = statistics.median(timings)
        measured = plan()
        pids = pages.process_tree(server.pid)
        cpu_before = pages.cpu_seconds(pids)
        database_before = postgres_cpu()
        busy_before, total_before = pages.machine_busy_seconds()
        load_before = os.getloadavg()[0]
        client_cpu = pages.run_wrk(port, measured, sessions, args.seconds, folder)
        server_cpu = pages.cpu_seconds(pids) - cpu_before
        # Of the processes alive at the end (a connection closed meanwhile takes its CPU with it: at least).
        database_cpu = sum(cpu - database_before.get(pid, 0.0) for pid, cpu in postgres_cpu().items())
        busy_after, total_after = pages.machine_busy_seconds()
        load_after = os.getloadavg()[0]
    finally:
        pages.stop_gunicorn(server)
    overall = pages.combined(measured)
    overall.name = "both pages"
    rows = [row for page in measured for row in pages.page_rows(page, alone[page.path])] + pages.page_rows(
        overall
    )
    elapsed = max(page.seconds for page in measured)
    cores = os.cpu_count() or 1
    machine = (busy_after - busy_before) / ((total_after - total_before) / cores)
    notes = [
        f"gunicorn: {args.workers} sync workers; CPU during the load, in cores busy on average out of {cores}: "
        f"gunicorn {server_cpu / elapsed:.2f}, wrk {client_cpu / elapsed:.2f}, PostgreSQL (all its processes, "
        f"every database, at least) {database_cpu / elapsed:.2f}, whole machine {machine:.2f} (the rest: Redis and "
        "whatever else runs on the machine)",
        f"gunicorn CPU per request {server_cpu / overall.requests * 1000:.1f} ms; "
        f"load average (1 min) before / after: {load_before:.2f} / {load_after:.2f}",
    ]
    problems = [
        line for line in log.read_text(errors="replace").splitlines() if pages.LOG_PROBLEM.search(line)
    ]
    notes.append(
        f"gunicorn log: {len(problems)} error lines" + (f", first: {problems[0]}" if problems else "")
    )
    if not problems:
        shutil.rmtree(folder, ignore_errors=True)
    return rows, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warm-up", type=float, default=5)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rebuild", action="store_true", help="build the national data again")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench/ranking.py needs wrk (apt-get install wrk)")
    index.check_environment()
    # The in-process measures go through Django's test client, whose host is "testserver".
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
    run_started = time.perf_counter()
    created = ensure_postgres_database(os.environ["DATABASE_URL"], "bench/ranking.py")
    migrate_s = index.setup_django()
    print(
        f"ranking pages on PostgreSQL ({'created' if created else 'present'}, migrate {migrate_s:.1f} s), "
        f"{os.cpu_count()} cores",
        flush=True,
    )
    if args.rebuild or not index.nation_is_built():
        index.wipe_all()
        print(f"national data built in {index.build_nation(index.load_context()):.0f} s", flush=True)
    missing = snapshots_missing()
    if missing:
        started = time.perf_counter()
        index.recompute_all(missing)
        print(f"{len(missing)} cycles recomputed in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    world = place_nation()
    print(f"regions placed under {PROVINCES} provinces in {time.perf_counter() - started:.1f} s", flush=True)
    # With DEBUG off the pages name their static files through WhiteNoise's manifest (var/static).
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)
    print()
    print_table("In this process (Django's test client), DEBUG off", measure_in_process(world))
    rows, notes = measure_load(args, world)
    print_table(
        f"{args.users} users for {args.seconds:.0f} s after a {args.warm_up:.0f} s warm-up, no pause between requests",
        rows,
        notes,
    )
    print(f"whole run: {time.perf_counter() - run_started:.0f} s")


if __name__ == "__main__":
    main()
