"""Benchmark of the index snapshots (``scoring.services.index``) on PostgreSQL, with a real Celery worker.

Run from the project root::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/innovasi_bench REDIS_URL=redis://127.0.0.1:6379/2 \\
        .venv/bin/python bench/index.py [--rebuild] [--drop]

Part 1, a demo regency (40 OPDs, 300 innovations × 20 SID claims with evidence and verdicts, 20 SPD
rows): the time from saving one verdict through ``verdict_save`` to the verified snapshot a real worker
writes, and ``cycle_recompute`` alone in this process. Goal: the regency's recompute in < 300 ms.

Part 2, the nation (548 regions, 36,742 innovations × 20 claims, each claim with a verdict, most with
evidence): recomputing every cycle one after the other in this process, its peak memory and the SQL
queries per cycle. Goal: < 60 s.

The database (created when missing, then migrated) belongs to the benchmark: its data is wiped and
rebuilt from seed 2026. The national data is kept between runs and built again only when it is missing
or incomplete (``--rebuild`` forces it); ``--drop`` drops the database at the end. ``DEBUG`` is off
unless set, as in production (with it on, Django would keep the SQL of every query). Prints figures,
asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from common import POSTGRES_SCHEMES, database_name, ensure_postgres_database, postgres_connection, print_table

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, Python puts bench/ on sys.path, not the project root that holds the apps.
sys.path.insert(0, str(ROOT))

SEED = 2026
CATALOGUE = "iid-2026"

DEMO_REGION_CODE = "BENCH.DEMO"
DEMO_OPDS = 40
DEMO_INNOVATIONS = 300
DEMO_VERDICTS = 10  # verdicts saved, each timed until the worker's verified snapshot appears
RECOMPUTE_REPEATS = 7  # in-process cycle_recompute runs per measure (median), after one warm-up
TRACED_CYCLES = 20  # the largest cycles recomputed again under tracemalloc (it slows Python about 4×)
HISTORY_SNAPSHOTS = 200  # older snapshots added to the demo cycle's history for the last measure
HISTORY_REPEATS = 3
POLL_SECONDS = 0.02
SNAPSHOT_TIMEOUT_SECONDS = 60
WORKER_START_TIMEOUT_SECONDS = 60

NATION_REGION_PREFIX = "BN."
NATION_REGIONS = 548
NATION_SILENT_REGIONS = 17  # 531 of 548 regions reported in 2025 (IID.md §1), as in bench/engine.py
NATION_INNOVATIONS = 36_742
NATION_OPDS_PER_REGION = 30
BATCH = 5000  # bulk_create batch size, and innovations per COPY round of claims/verdicts/evidence

GOAL_REGENCY_MS = 300
GOAL_NATION_S = 60

# Data shapes: shares are per claimed row (level above 0) unless said otherwise.
STATES = (("diajukan", 80), ("terverifikasi", 10), ("revisi", 5), ("draft", 5))
TAHAPAN = (("penerapan", 80), ("uji_coba", 10), ("inisiatif", 10))
LEVELS = ((0, 10), (1, 20), (2, 40), (3, 30))  # a claim's level
EVIDENCE_SHARE = 0.95
JUDGED_SHARE_DEMO = 0.9  # the demo's claimed rows with a Verification row (the rest await one)
SESUAI_SHARE, TIDAK_SESUAI_SHARE = 0.85, 0.10  # the rest: tidak dapat diukur
LOWER_LEVEL_SHARE = 0.15  # sesuai rows accepted one level lower
SHARED_FILE = "bukti/bench-shared.pdf"  # every Evidence row names this one stored file (never read)
SHARED_SPD_FILE = "spd/bench-shared.pdf"
REASON = "Bukti tidak menyebut nama inovasi."


# --- Environment and database -----------------------------------------------------------------------


def check_environment() -> None:
    """Refuse anything but PostgreSQL and a Redis broker; set the recompute delay to 0 and DEBUG off."""
    database_url = os.environ.get("DATABASE_URL", "")
    if urlsplit(database_url).scheme not in POSTGRES_SCHEMES:
        sys.exit(
            "bench/index.py needs DATABASE_URL pointing at PostgreSQL, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/innovasi_bench "
            f"(got {database_url or 'nothing'!r}): the worker and this process share the database."
        )
    if not os.environ.get("REDIS_URL"):
        sys.exit(
            "bench/index.py needs REDIS_URL, e.g. REDIS_URL=redis://127.0.0.1:6379/2: "
            "the recompute goes through a real Celery worker."
        )
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(64))
    os.environ.setdefault("EMAIL_URL", "console://")  # with DEBUG off it must be said
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "innovasi.settings")


def drop_database() -> None:
    from django.db import connections
    from psycopg import sql

    connections.close_all()
    with postgres_connection(os.environ["DATABASE_URL"], "postgres") as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(database_name(os.environ["DATABASE_URL"]))
            )
        )


def setup_django() -> float:
    """django.setup() and migrate; returns the seconds migrate took."""
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    return time.perf_counter() - started


def sql(statement: str, params: Iterable | None = None) -> list[tuple]:
    """Run one statement on Django's connection; its rows, if any."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def vacuum_analyze(*models) -> None:
    """Fresh planner statistics and hint bits after a bulk load (what autovacuum would do, now)."""
    for model in models:
        sql(f"VACUUM ANALYZE {model._meta.db_table}")


# --- Data shared by both parts ------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What every builder needs: the catalogue, its SID and SPD indicators, the urusan, the window."""

    catalogue: object
    sid: list
    spd: list
    urusan_ids: list[int]
    window_start: date
    window_end: date


@dataclass(frozen=True)
class ClaimPlan:
    indicator_id: int
    level: int
    basis: str
    evidence: bool
    verdict: str | None  # None: no Verification row
    verified_level: int
    reason: str


def load_context():
    from innovasi.standards.enums import IndicatorGroup
    from innovasi.standards.models import Catalogue, Urusan

    catalogue = Catalogue.objects.get(code=CATALOGUE)
    indicators = list(catalogue.indicators.order_by("position"))
    start, end = catalogue.rules["eligibility"]["penerapan_or_development_between"]
    return Context(
        catalogue=catalogue,
        sid=[indicator for indicator in indicators if indicator.group == IndicatorGroup.SID],
        spd=[indicator for indicator in indicators if indicator.group == IndicatorGroup.SPD],
        urusan_ids=list(Urusan.objects.order_by("position").values_list("pk", flat=True)),
        window_start=date.fromisoformat(str(start)),
        window_end=date.fromisoformat(str(end)),
    )


def _pick(rng: random.Random, weighted: tuple[tuple, ...]):
    return rng.choices([value for value, _ in weighted], [weight for _, weight in weighted])[0]


def innovation_fields(rng: random.Random, context: Context, number: int) -> dict:
    """A submitted-looking profile: mostly penerapan, mostly inside the eligibility window."""
    state = _pick(rng, STATES)
    window_days = (context.window_end - context.window_start).days
    penerapan = context.window_start + timedelta(days=rng.randint(-365, window_days))
    return {
        "state": state,
        "name": f"Inovasi Bench {number:05d}",
        "tahapan": _pick(rng, TAHAPAN),
        "urusan_utama_id": rng.choice(context.urusan_ids),
        "rancang_bangun_words": rng.randint(250, 900),
        "waktu_penerapan": penerapan,
        "waktu_pengembangan": penerapan + timedelta(days=200) if rng.random() < 0.1 else None,
        "submitted_at": None if state == "draft" else datetime(2026, 3, 1, 9, 0).astimezone(),
    }


def claim_plans(rng: random.Random, context: Context, *, judged_share: float) -> list[ClaimPlan]:
    """One innovation's 20 SID claims, with evidence and, for ``judged_share`` of the claimed rows, a verdict.

    A claimed row without evidence is rejected; the others are mostly ``sesuai``, some a level lower.
    """
    from scoring.enums import Verdict
    from scoring.scenario import BASES, BASIS_INDICATOR

    plans = []
    for indicator in context.sid:
        level = _pick(rng, LEVELS)
        basis = rng.choice(BASES) if level and indicator.code == BASIS_INDICATOR else ""
        evidence = bool(level) and rng.random() < EVIDENCE_SHARE
        verdict, verified_level, reason = None, 0, ""
        if level and rng.random() < judged_share:
            draw = rng.random()
            if not evidence or SESUAI_SHARE <= draw < SESUAI_SHARE + TIDAK_SESUAI_SHARE:
                verdict, reason = Verdict.TIDAK_SESUAI, REASON
            elif draw >= SESUAI_SHARE + TIDAK_SESUAI_SHARE:
                verdict, reason = Verdict.TIDAK_DAPAT_DIUKUR, REASON
            else:
                lower = level > 1 and rng.random() < LOWER_LEVEL_SHARE
                verdict, verified_level = Verdict.SESUAI, level - 1 if lower else level
        plans.append(ClaimPlan(indicator.pk, level, basis, evidence, verdict, verified_level, reason))
    return plans


def spd_rows(rng: random.Random, context: Context, cycle, admin, verifikator):
    """The cycle's SPD entries (90 % filled, 80 % of those accepted) and one evidence file each."""
    from django.utils import timezone

    from scoring.models import SpdEntry, SpdEvidence

    entries, filled = [], []
    for indicator in context.spd:
        level = rng.randint(1, 3) if rng.random() < 0.9 else 0
        accepted = level and rng.random() < 0.8
        entry = SpdEntry(
            cycle=cycle,
            indicator=indicator,
            level=level,
            entered_by=admin,
            accepted_by=verifikator if accepted else None,
            accepted_at=timezone.now() if accepted else None,
        )
        entries.append(entry)
        if level:
            filled.append(entry)
    return entries, lambda: [
        SpdEvidence(
            entry=entry,
            kind="pdf",
            file=SHARED_SPD_FILE,
            original_name="spd.pdf",
            size=2048,
            uploaded_by=admin,
        )
        for entry in filled
    ]


def opd_kind(number: int) -> str:
    """The first OPD of a region is its Bappeda (where the admin and verifikator sit), the rest dinas."""
    from innovasi.accounts.enums import OpdKind

    return OpdKind.BADAN if number == 0 else OpdKind.DINAS


def users_of(region, opd, prefix: str):
    """An admin and a verifikator of the region (both of Bappeda), without a usable password."""
    from innovasi.accounts.enums import Role
    from innovasi.accounts.models import User

    common = {"region": region, "opd": opd, "password": "!bench"}
    return (
        User(username=f"{prefix}.admin", role=Role.ADMIN, is_staff=True, **common),
        User(username=f"{prefix}.verifikator", role=Role.VERIFIKATOR, **common),
    )


# --- Wiping -------------------------------------------------------------------------------------------

# The tables the benchmark fills (the catalogues, urusan and Django's own tables stay).
OWNED_TABLE_PREFIXES = ("accounts_", "submissions_", "scoring_")


def wipe_all() -> None:
    """Empty every table the benchmark fills, histories included."""
    from django.db import connection

    tables = [
        table
        for table in connection.introspection.table_names()
        if table.startswith(OWNED_TABLE_PREFIXES) or table == "standards_cycle"
    ]
    sql(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def wipe_demo() -> None:
    """Delete the demo regency and everything under it, in raw SQL (the ORM would write a history row
    for each deleted claim, verdict and piece of evidence)."""
    region = "SELECT id FROM accounts_region WHERE code = %s"
    cycles = f"SELECT id FROM standards_cycle WHERE region_id IN ({region})"
    innovations = f"SELECT id FROM submissions_innovation WHERE cycle_id IN ({cycles})"
    claims = f"SELECT id FROM submissions_claim WHERE innovation_id IN ({innovations})"
    entries = f"SELECT id FROM scoring_spdentry WHERE cycle_id IN ({cycles})"
    users = f"SELECT id FROM accounts_user WHERE region_id IN ({region})"
    statements = [
        f"DELETE FROM scoring_historicalverification WHERE claim_id IN ({claims})",
        f"DELETE FROM scoring_verification WHERE claim_id IN ({claims})",
        f"DELETE FROM submissions_evidence WHERE claim_id IN ({claims})",
        f"DELETE FROM submissions_claim WHERE innovation_id IN ({innovations})",
        f"DELETE FROM scoring_assignment WHERE innovation_id IN ({innovations})",
        f"DELETE FROM submissions_innovation WHERE cycle_id IN ({cycles})",
        f"DELETE FROM scoring_spdevidence WHERE entry_id IN ({entries})",
        f"DELETE FROM scoring_spdentry WHERE cycle_id IN ({cycles})",
        f"DELETE FROM scoring_indexsnapshot WHERE cycle_id IN ({cycles})",
        f"DELETE FROM scoring_cyclescorestate WHERE cycle_id IN ({cycles})",
        f"DELETE FROM standards_cycle WHERE region_id IN ({region})",
        f"DELETE FROM accounts_notification WHERE user_id IN ({users})",
        f"DELETE FROM accounts_user WHERE region_id IN ({region})",
        f"DELETE FROM accounts_opd WHERE region_id IN ({region})",
        "DELETE FROM accounts_region WHERE code = %s",
    ]
    for statement in statements:
        sql(statement, [DEMO_REGION_CODE])


def reset_scores(cycle_ids: list[int]) -> None:
    """Forget the cycles' snapshots and recompute bookkeeping, and the kematangan copied onto innovations."""
    from scoring.models import CycleScoreState, IndexSnapshot
    from submissions.models import Innovation

    IndexSnapshot.objects.filter(cycle_id__in=cycle_ids).delete()
    CycleScoreState.objects.filter(cycle_id__in=cycle_ids).delete()
    Innovation.objects.filter(cycle_id__in=cycle_ids).exclude(
        kematangan_claimed=None, kematangan_verified=None, scored_at=None
    ).update(kematangan_claimed=None, kematangan_verified=None, scored_at=None)


# --- Part 1: the demo regency with a worker ------------------------------------------------------------


@dataclass(frozen=True)
class Demo:
    cycle_id: int
    admin: object
    targets: list[int]  # claims whose verdict the timed loop flips, one per verdict saved
    innovations: int
    claims: int


def build_demo(context: Context) -> Demo:
    """The demo regency with bulk_create: 40 OPDs, 300 innovations, their claims, evidence and verdicts."""
    from django.db import transaction

    from innovasi.accounts.enums import RegionKind, Role
    from innovasi.accounts.models import Opd, Region, User
    from innovasi.standards.enums import CycleState
    from innovasi.standards.models import Cycle
    from scoring.enums import Verdict
    from scoring.models import Assignment, SpdEntry, SpdEvidence, Verification
    from submissions.models import Claim, Evidence, Innovation

    rng = random.Random(SEED)
    with transaction.atomic():
        region = Region.objects.create(
            name="Kabupaten Bench Demo", kind=RegionKind.KABUPATEN, code=DEMO_REGION_CODE
        )
        cycle = Cycle.objects.create(
            region=region,
            catalogue=context.catalogue,
            name="IID 2026 — Kabupaten Bench Demo",
            opens_on=date(2026, 1, 2),
            filing_closes_on=date(2026, 8, 31),
            verification_closes_on=date(2026, 9, 30),
            revision_closes_on=date(2026, 10, 31),
            final_on=date(2026, 11, 30),
            state=CycleState.VERIFICATION,
        )
        opds = Opd.objects.bulk_create(
            Opd(region=region, name=f"OPD Bench {number:02d}", kind=opd_kind(number))
            for number in range(DEMO_OPDS)
        )
        admin, verifikator = User.objects.bulk_create(users_of(region, opds[0], "demo"))
        operators = User.objects.bulk_create(
            User(
                username=f"demo.operator.{opd.pk}",
                region=region,
                role=Role.OPERATOR,
                opd=opd,
                password="!bench",
            )
            for opd in opds
        )
        weights = [rng.lognormvariate(0, 0.8) for _ in opds]
        owners = rng.choices(range(DEMO_OPDS), weights, k=DEMO_INNOVATIONS)
        innovations = Innovation.objects.bulk_create(
            Innovation(
                cycle=cycle,
                opd=opds[owner],
                created_by=operators[owner],
                **innovation_fields(rng, context, n),
            )
            for n, owner in enumerate(owners)
        )
        plans = {
            innovation.pk: claim_plans(
                rng, context, judged_share=0 if innovation.state == "draft" else JUDGED_SHARE_DEMO
            )
            for innovation in innovations
        }
        Assignment.objects.bulk_create(
            Assignment(innovation=innovation, verifikator=verifikator, assigned_by=admin)
            for innovation in innovations
            if innovation.state != "draft"
        )
        claims = Claim.objects.bulk_create(
            Claim(innovation_id=pk, indicator_id=plan.indicator_id, level=plan.level, basis=plan.basis)
            for pk, rows in plans.items()
            for plan in rows
        )
        flat = [plan for rows in plans.values() for plan in rows]
        uploader = {innovation.pk: innovation.created_by for innovation in innovations}
        Evidence.objects.bulk_create(
            Evidence(
                claim=claim,
                kind="pdf",
                file=SHARED_FILE,
                original_name="bukti.pdf",
                size=1024,
                uploaded_by=uploader[claim.innovation_id],
            )
            for claim, plan in zip(claims, flat, strict=True)
            if plan.evidence
        )
        Verification.objects.bulk_create(
            Verification(
                claim=claim,
                verdict=plan.verdict,
                level=plan.verified_level,
                reason=plan.reason,
                judged_by=verifikator,
            )
            for claim, plan in zip(claims, flat, strict=True)
            if plan.verdict
        )
        entries, evidence = spd_rows(rng, context, cycle, admin, verifikator)
        # A new cycle comes with its empty SPD rows (scoring.receivers.cycle_saved): the filled ones
        # replace them.
        SpdEntry.objects.filter(cycle=cycle).delete()
        SpdEntry.objects.bulk_create(entries)
        SpdEvidence.objects.bulk_create(evidence())
    # Claims the timed loop judges: accepted at the claimed level, of submitted innovations, ten apart.
    candidates = [
        claim.pk
        for claim, plan in zip(claims, flat, strict=True)
        if plan.verdict == Verdict.SESUAI and plan.verified_level == plan.level and plan.level >= 2
    ]
    submitted = set(
        Claim.objects.filter(pk__in=candidates, innovation__state="diajukan").values_list("pk", flat=True)
    )
    targets = rng.sample(sorted(submitted), DEMO_VERDICTS)
    return Demo(cycle.pk, admin, targets, len(innovations), len(claims))


def _flip_verdict_in_place(claim_id: int) -> None:
    """Change a verdict behind the services' back (no recompute requested): sesuai ↔ tidak sesuai."""
    from scoring.enums import Verdict
    from scoring.models import Verification
    from submissions.models import Claim

    sesuai = Verification.objects.filter(claim_id=claim_id, verdict=Verdict.SESUAI)
    if sesuai.exists():
        sesuai.update(verdict=Verdict.TIDAK_SESUAI, level=0, reason=REASON)
    else:
        level = Claim.objects.get(pk=claim_id).level
        Verification.objects.filter(claim_id=claim_id).update(verdict=Verdict.SESUAI, level=level, reason="")


def _median_ms(work: Callable[[], object], repeats: int, before: Callable[[int], object] | None = None):
    """(median, best) milliseconds of ``repeats`` runs of ``work`` after one warm-up; ``before(i)`` runs
    untimed before each."""
    timings = []
    for i in range(repeats + 1):
        if before:
            before(i)
        started = time.perf_counter()
        work()
        if i:
            timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), min(timings)


def _stored_snapshots(cycle_id: int) -> int:
    from scoring.models import IndexSnapshot

    return IndexSnapshot.objects.filter(cycle_id=cycle_id).count()


def measure_in_process(demo: Demo) -> list[tuple[str, str, str]]:
    """cycle_recompute alone for the regency: compare only, writing a changed verdict, and unchanged."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from innovasi.standards.models import Cycle
    from scoring.selectors.inputs import cycle_inputs
    from scoring.services.index import cycle_compute, cycle_recompute

    cycle = Cycle.objects.select_related("catalogue").get(pk=demo.cycle_id)
    flip = demo.targets[0]

    def recompute():
        return cycle_recompute(cycle_id=demo.cycle_id)

    stored = _stored_snapshots(demo.cycle_id)
    compare_ms, compare_best = _median_ms(
        lambda: cycle_recompute(cycle_id=demo.cycle_id, write=False), RECOMPUTE_REPEATS
    )
    compute_ms, _ = _median_ms(lambda: cycle_compute(cycle), RECOMPUTE_REPEATS)
    inputs_ms, _ = _median_ms(lambda: cycle_inputs(cycle), RECOMPUTE_REPEATS)
    written_ms, written_best = _median_ms(
        recompute, RECOMPUTE_REPEATS, before=lambda _i: _flip_verdict_in_place(flip)
    )
    unchanged_ms, _ = _median_ms(recompute, RECOMPUTE_REPEATS)
    _flip_verdict_in_place(flip)
    with CaptureQueriesContext(connection) as written_queries:
        recompute()
    with CaptureQueriesContext(connection) as unchanged_queries:
        recompute()
    goal = f"< {GOAL_REGENCY_MS} ms"
    return [
        (f"cycle_recompute(write=False), {stored} snapshots stored", f"{compare_ms:.0f} ms", goal),
        ("  the same, best run", f"{compare_best:.0f} ms", ""),
        ("  of which cycle_compute (read + engine + hash + payload)", f"{compute_ms:.0f} ms", ""),
        ("  of which cycle_inputs (read the cycle, build the rows)", f"{inputs_ms:.0f} ms", ""),
        (
            f"cycle_recompute, a verdict changed, {stored + 1}-{stored + RECOMPUTE_REPEATS + 1} stored",
            f"{written_ms:.0f} ms",
            goal,
        ),
        ("  the same, best run", f"{written_best:.0f} ms", ""),
        (
            f"cycle_recompute, nothing changed, {stored + RECOMPUTE_REPEATS + 1} stored",
            f"{unchanged_ms:.0f} ms",
            goal,
        ),
        (
            "SQL queries per cycle_recompute (written / unchanged)",
            f"{len(written_queries)} / {len(unchanged_queries)}",
            "",
        ),
    ]


def measure_history(demo: Demo) -> list[tuple[str, str, str]]:
    """cycle_recompute(write=False) once the cycle's history holds HISTORY_SNAPSHOTS more (older) snapshots,
    as a verification season leaves it (about one snapshot per verdict saved)."""
    from scoring.enums import SnapshotKind
    from scoring.models import IndexSnapshot
    from scoring.selectors.index import snapshots_newest
    from scoring.services.index import cycle_recompute

    newest = IndexSnapshot.objects.filter(cycle_id=demo.cycle_id, kind=SnapshotKind.VERIFIED).latest("pk")
    sql(
        "INSERT INTO scoring_indexsnapshot (cycle_id, kind, computed_at, catalogue_code, engine_version, "
        "inputs_hash, inputs, result, iid, category) SELECT cycle_id, kind, computed_at - make_interval(mins => g), "
        "catalogue_code, engine_version, md5(g::text), inputs, result, iid, category "
        "FROM scoring_indexsnapshot, generate_series(1, %s) AS g WHERE id = %s",
        [HISTORY_SNAPSHOTS, newest.pk],
    )
    stored = _stored_snapshots(demo.cycle_id)
    timings = []
    for _ in range(HISTORY_REPEATS):
        started = time.perf_counter()
        cycle_recompute(cycle_id=demo.cycle_id, write=False)
        timings.append((time.perf_counter() - started) * 1000)
    started = time.perf_counter()
    snapshots_newest(cycle=newest.cycle)
    newest_ms = (time.perf_counter() - started) * 1000
    return [
        (
            f"cycle_recompute(write=False), {stored} snapshots stored",
            f"{statistics.median(timings):.0f} ms",
            "",
        ),
        ("  of which snapshots_newest (the newest of each kind)", f"{newest_ms:.0f} ms", ""),
    ]


@contextmanager
def celery_worker(log_dir: Path) -> Iterator[Path]:
    """A real worker subprocess, as tests/conftest.py starts it, on this process's database and broker."""
    from innovasi.celery import app

    app.control.purge()  # leftovers of an interrupted run would be recomputed first
    log_path = log_dir / "worker.log"
    env = dict(os.environ)
    command = [sys.executable, "-m", "celery", "-A", "innovasi.celery", "worker", "--pool=solo", "-l", "INFO"]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + WORKER_START_TIMEOUT_SECONDS
        while "ready." not in log_path.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Celery worker did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield log_path
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def measure_with_worker(demo: Demo) -> tuple[list[tuple[str, str, str]], str]:
    """Save one verdict through verdict_save (on-commit enqueue), then poll for the new verified snapshot."""
    from django.db import transaction

    from scoring.enums import SnapshotKind, Verdict
    from scoring.models import IndexSnapshot, Verification
    from scoring.services.verification import verdict_save
    from submissions.models import Claim

    snapshots = IndexSnapshot.objects.filter(cycle_id=demo.cycle_id, kind=SnapshotKind.VERIFIED)
    totals, commits = [], []
    stored_before = _stored_snapshots(demo.cycle_id)
    with tempfile.TemporaryDirectory(prefix="bench-index-") as log_dir, celery_worker(Path(log_dir)) as log:
        for claim_id in demo.targets:
            claim = Claim.objects.get(pk=claim_id)
            accepted = Verification.objects.filter(claim=claim, verdict=Verdict.SESUAI).exists()
            newest = snapshots.order_by("-pk").values_list("pk", flat=True).first() or 0
            started = time.perf_counter()
            with transaction.atomic():
                verdict_save(
                    claim=claim,
                    user=demo.admin,
                    verdict=Verdict.TIDAK_SESUAI if accepted else Verdict.SESUAI,
                    level=0 if accepted else claim.level,
                    reason=REASON if accepted else "",
                    opd_note="",
                    version=None,
                )
            commits.append(time.perf_counter() - started)
            deadline = time.monotonic() + SNAPSHOT_TIMEOUT_SECONDS
            while not snapshots.filter(pk__gt=newest).exists():
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"no verified snapshot after {SNAPSHOT_TIMEOUT_SECONDS} s:\n{log.read_text()}"
                    )
                time.sleep(POLL_SECONDS)
            totals.append(time.perf_counter() - started)
            time.sleep(0.2)  # let the worker finish its task (acknowledge, log) before the next verdict
    ms = [value * 1000 for value in totals]
    rows = [
        ("verdict_save → verified snapshot in the database (median)", f"{statistics.median(ms):.0f} ms", ""),
        ("  fastest / slowest", f"{min(ms):.0f} / {max(ms):.0f} ms", ""),
        ("  first verdict (worker's first task)", f"{ms[0]:.0f} ms", ""),
        (
            "  of which verdict_save + commit + enqueue (median)",
            f"{statistics.median(commits) * 1000:.0f} ms",
            "",
        ),
    ]
    note = (
        f"{len(ms)} verdicts, each a different claim, {stored_before}-{_stored_snapshots(demo.cycle_id)} snapshots "
        f"stored; polled every {POLL_SECONDS * 1000:.0f} ms"
    )
    return rows, note


# --- Part 2: the nation -----------------------------------------------------------------------------


def nation_sizes(rng: random.Random) -> list[int]:
    """Innovations per region: a few silent regions, the rest log-normally uneven, summing exactly."""
    weights = [0.0] * NATION_SILENT_REGIONS + [
        rng.lognormvariate(0, 0.8) for _ in range(NATION_REGIONS - NATION_SILENT_REGIONS)
    ]
    shares = [weight * NATION_INNOVATIONS / sum(weights) for weight in weights]
    sizes = [int(share) for share in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: shares[i] - sizes[i], reverse=True)
    for i in by_remainder[: NATION_INNOVATIONS - sum(sizes)]:
        sizes[i] += 1
    rng.shuffle(sizes)
    return sizes


def nation_cycle_ids() -> list[int]:
    from innovasi.standards.models import Cycle

    return list(
        Cycle.objects.filter(region__code__startswith=NATION_REGION_PREFIX)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def nation_is_built() -> bool:
    """The marker: every region, innovation, claim and verdict of a complete build is there."""
    from innovasi.accounts.models import Region
    from scoring.models import Verification
    from submissions.models import Claim, Innovation

    claims = NATION_INNOVATIONS * 20
    nation = NATION_REGION_PREFIX
    return (
        Region.objects.filter(code__startswith=nation).count() == NATION_REGIONS
        and Innovation.objects.filter(cycle__region__code__startswith=nation).count() == NATION_INNOVATIONS
        and Claim.objects.filter(innovation__cycle__region__code__startswith=nation).count() == claims
        and Verification.objects.filter(claim__innovation__cycle__region__code__startswith=nation).count()
        == claims
    )


# The columns COPY fills, in the order of the rows built below (checked against the models).
CLAIM_COLUMNS = "id, innovation_id, indicator_id, level, basis, note, needs_fix, fixed, version, updated_at"
VERIFICATION_COLUMNS = "id, claim_id, verdict, level, reason, opd_note, judged_by_id, version, updated_at"
EVIDENCE_COLUMNS = "id, claim_id, kind, file, link, original_name, size, uploaded_by_id, uploaded_at"


def _copy(cursor, model, columns: str, rows: Iterable[tuple]) -> None:
    """COPY rows into a model's table; refuses a column list that no longer matches the model."""
    expected = {field.column for field in model._meta.concrete_fields}
    if set(columns.split(", ")) != expected:
        raise RuntimeError(f"{model.__name__}'s columns changed: {sorted(expected)}; update the bench")
    with cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _next_id(model) -> int:
    return sql(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")[0][0]


def _copy_claims(context: Context, rng: random.Random, innovations: list, judges: dict[int, object]) -> None:
    """Claims, one Verification per claim (pending where not judged) and evidence, COPYed with ids."""
    from django.db import connection
    from django.utils import timezone

    from scoring.enums import Verdict
    from scoring.models import Verification
    from submissions.models import Claim, Evidence

    now = timezone.now()
    claims, verifications, evidence = [], [], []
    claim_id, evidence_id, verification_id = _next_id(Claim), _next_id(Evidence), _next_id(Verification)
    for innovation in innovations:
        judged = 0 if innovation.state == "draft" else 1
        for plan in claim_plans(rng, context, judged_share=judged):
            claims.append(
                (claim_id, innovation.pk, plan.indicator_id, plan.level, plan.basis, "", False, False, 1, now)
            )
            judge = judges[innovation.cycle_id] if plan.verdict else None
            verifications.append(
                (
                    verification_id,
                    claim_id,
                    plan.verdict or Verdict.PENDING,
                    plan.verified_level,
                    plan.reason,
                    "",
                    judge,
                    2 if plan.verdict else 1,
                    now,
                )
            )
            verification_id += 1
            if plan.evidence:
                evidence.append(
                    (
                        evidence_id,
                        claim_id,
                        "pdf",
                        SHARED_FILE,
                        "",
                        "bukti.pdf",
                        1024,
                        innovation.created_by_id,
                        now,
                    )
                )
                evidence_id += 1
            claim_id += 1
    with connection.cursor() as cursor:
        _copy(cursor, Claim, CLAIM_COLUMNS, claims)
        _copy(cursor, Verification, VERIFICATION_COLUMNS, verifications)
        _copy(cursor, Evidence, EVIDENCE_COLUMNS, evidence)


def build_nation(context: Context) -> float:
    """548 regions with a cycle each, 30 OPDs, an admin and a verifikator, SPD rows, and 36,742
    innovations with 20 claims each (COPY for claims, verdicts and evidence); returns the seconds."""
    from django.db import transaction

    from innovasi.accounts.enums import RegionKind
    from innovasi.accounts.models import Opd, Region, User
    from innovasi.standards.enums import CycleState
    from innovasi.standards.models import Cycle
    from scoring.models import SpdEntry, SpdEvidence, Verification
    from submissions.models import Claim, Evidence, Innovation

    started = time.perf_counter()
    rng = random.Random(SEED)
    sizes = nation_sizes(rng)
    with transaction.atomic():
        regions = Region.objects.bulk_create(
            Region(
                name=f"{'Kota' if number % 5 == 0 else 'Kabupaten'} Bench {number:03d}",
                kind=RegionKind.KOTA if number % 5 == 0 else RegionKind.KABUPATEN,
                code=f"{NATION_REGION_PREFIX}{number:03d}",
            )
            for number in range(NATION_REGIONS)
        )
        cycles = Cycle.objects.bulk_create(
            Cycle(
                region=region,
                catalogue=context.catalogue,
                name=f"IID 2026 — {region.name}",
                opens_on=date(2026, 1, 2),
                filing_closes_on=date(2026, 8, 31),
                verification_closes_on=date(2026, 9, 30),
                revision_closes_on=date(2026, 10, 31),
                final_on=date(2026, 11, 30),
                state=CycleState.VERIFICATION,
            )
            for region in regions
        )
        opds = Opd.objects.bulk_create(
            (
                Opd(region=region, name=f"OPD Bench {number:02d}", kind=opd_kind(number))
                for region in regions
                for number in range(NATION_OPDS_PER_REGION)
            ),
            batch_size=BATCH,
        )
        opds_of = {
            region.pk: opds[i * NATION_OPDS_PER_REGION : (i + 1) * NATION_OPDS_PER_REGION]
            for i, region in enumerate(regions)
        }
        users = User.objects.bulk_create(
            (user for region in regions for user in users_of(region, opds_of[region.pk][0], region.code)),
            batch_size=BATCH,
        )
        staff = {region.pk: (users[2 * i], users[2 * i + 1]) for i, region in enumerate(regions)}
        entries, evidence_makers = [], []
        for cycle in cycles:
            admin, verifikator = staff[cycle.region_id]
            region_entries, make_evidence = spd_rows(rng, context, cycle, admin, verifikator)
            entries += region_entries
            evidence_makers.append(make_evidence)
        SpdEntry.objects.bulk_create(entries, batch_size=BATCH)
        SpdEvidence.objects.bulk_create((e for make in evidence_makers for e in make()), batch_size=BATCH)

    judges = {cycle.pk: staff[cycle.region_id][1].pk for cycle in cycles}
    pending, number = [], 0
    for cycle, size in zip(cycles, sizes, strict=True):
        region_opds = opds_of[cycle.region_id]
        weights = [rng.lognormvariate(0, 0.8) for _ in region_opds]
        for owner in rng.choices(region_opds, weights, k=size):
            fields = innovation_fields(rng, context, number)
            pending.append(Innovation(cycle=cycle, opd=owner, created_by=staff[cycle.region_id][0], **fields))
            number += 1
        if len(pending) >= BATCH or cycle is cycles[-1]:
            with transaction.atomic():
                innovations = Innovation.objects.bulk_create(pending, batch_size=BATCH)
                _copy_claims(context, rng, innovations, judges)
            pending = []
    for model in (Claim, Verification, Evidence):
        table = model._meta.db_table
        sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
    vacuum_analyze(Region, Cycle, Opd, User, Innovation, Claim, Verification, Evidence, SpdEntry, SpdEvidence)
    return time.perf_counter() - started


@dataclass(frozen=True)
class Pass:
    """One sequential recompute of a list of cycles: each cycle's wall seconds, and this process's CPU."""

    seconds: list[float]
    cpu_seconds: float

    @property
    def total(self) -> float:
        return sum(self.seconds)


def recompute_all(cycle_ids: list[int]) -> Pass:
    """cycle_recompute on every cycle, one after the other."""
    from scoring.services.index import cycle_recompute

    timings = []
    cpu_started = time.process_time()
    for cycle_id in cycle_ids:
        started = time.perf_counter()
        cycle_recompute(cycle_id=cycle_id)
        timings.append(time.perf_counter() - started)
    return Pass(timings, time.process_time() - cpu_started)


def _prepare_pass(cycle_ids: list[int]) -> None:
    """Back to no snapshot at all, with fresh statistics, so that every pass starts alike."""
    from scoring.models import CycleScoreState, IndexSnapshot
    from submissions.models import Innovation

    reset_scores(cycle_ids)
    vacuum_analyze(IndexSnapshot, CycleScoreState, Innovation)


def _reset_peak_rss() -> bool:
    """Start ru_maxrss afresh from the current resident set (Linux ≥ 4.0); False when not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _rss_mib() -> float:
    """The current resident set (VmRSS)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _max_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def measure_nation() -> tuple[list[tuple[str, str, str]], list[str]]:
    """Recompute the nation twice (every snapshot written, then nothing changed), its memory, its queries."""
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext

    from innovasi.standards.models import Cycle
    from scoring.services.index import cycle_recompute

    cycle_ids = nation_cycle_ids()
    sizes = dict(
        Cycle.objects.filter(pk__in=cycle_ids).annotate(n=Count("innovations")).values_list("pk", "n")
    )
    _prepare_pass(cycle_ids)
    rss_before = _rss_mib()
    peak_reset = _reset_peak_rss()
    written = recompute_all(cycle_ids)
    unchanged = recompute_all(cycle_ids)
    rss_peak = _max_rss_mib()

    largest = sorted(cycle_ids, key=lambda pk: sizes[pk])[-TRACED_CYCLES:]
    _prepare_pass(largest)
    tracemalloc.start()
    recompute_all(largest)
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    by_size = sorted((n, pk) for pk, n in sizes.items() if n)
    probes = {"smallest": by_size[0], "median": by_size[len(by_size) // 2], "largest": by_size[-1]}
    counts = {}
    for name, (n, pk) in probes.items():
        reset_scores([pk])
        with CaptureQueriesContext(connection) as first:
            cycle_recompute(cycle_id=pk)
        with CaptureQueriesContext(connection) as again:
            cycle_recompute(cycle_id=pk)
        counts[name] = (n, len(first), len(again))

    slowest = max(zip(written.seconds, cycle_ids, strict=True))
    goal = f"< {GOAL_NATION_S} s"
    rss = (
        "ru_maxrss, reset before the passes"
        if peak_reset
        else "ru_maxrss (could not be reset: build included)"
    )
    rows = [
        (f"nation, every snapshot written ({len(cycle_ids)} cycles in turn)", f"{written.total:.1f} s", goal),
        ("  this process's CPU time in that pass", f"{written.cpu_seconds:.1f} s", ""),
        (
            "  per cycle, median / slowest",
            f"{statistics.median(written.seconds) * 1000:.0f} / {slowest[0] * 1000:.0f} ms",
            "",
        ),
        ("nation, again with nothing changed (nothing written)", f"{unchanged.total:.1f} s", goal),
        ("  this process's CPU time in that pass", f"{unchanged.cpu_seconds:.1f} s", ""),
        (f"peak resident set over both passes ({rss})", f"{rss_peak:.0f} MiB", ""),
        ("  resident set before the passes (VmRSS)", f"{rss_before:.0f} MiB", ""),
        (
            f"peak allocated while recomputing the {TRACED_CYCLES} largest cycles (tracemalloc)",
            f"{traced_peak / 2**20:.1f} MiB",
            "",
        ),
    ]
    for name, (n, first, again) in counts.items():
        rows.append(
            (f"SQL queries, {name} cycle ({n} innovations): written / unchanged", f"{first} / {again}", "")
        )
    notes = [
        f"slowest cycle: {sizes[slowest[1]]} innovations; {sum(1 for n in sizes.values() if not n)} cycles "
        f"have no innovation; innovations per cycle: median {statistics.median(sizes.values()):.0f}, "
        f"largest {max(sizes.values())}",
    ]
    return rows, notes


# --- Output and main ----------------------------------------------------------------------------------


def _load_note(before: float) -> str:
    """The machine's 1-minute load average around a part: above the core count, others shared the CPU."""
    return f"load average (1 min): {before:.1f} when the part began, {os.getloadavg()[0]:.1f} at its end"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--rebuild", action="store_true", help="build the national data again even if present"
    )
    parser.add_argument("--drop", action="store_true", help="drop the benchmark database at the end")
    args = parser.parse_args()

    check_environment()
    run_started = time.perf_counter()
    created = ensure_postgres_database(os.environ["DATABASE_URL"], "bench/index.py")
    migrate_s = setup_django()

    import django
    from django.conf import settings
    from django.db import connection

    from scoring.models import Verification
    from submissions.models import Claim, Evidence, Innovation

    server = connection.cursor().connection.info.server_version
    print(
        f"index snapshots on PostgreSQL {server // 10000}.{server % 10000}, Django {django.get_version()}, "
        f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; database {database_name(os.environ['DATABASE_URL'])} "
        f"({'created' if created else 'present'}, migrate {migrate_s:.1f} s); "
        f"DEBUG {'on' if settings.DEBUG else 'off'}"
    )
    print(flush=True)

    context = load_context()
    load_before = os.getloadavg()[0]
    nation_ready = not args.rebuild and nation_is_built()
    if nation_ready:
        wipe_demo()
    else:
        wipe_all()

    started = time.perf_counter()
    demo = build_demo(context)
    vacuum_analyze(Innovation, Claim, Verification, Evidence)
    demo_build_s = time.perf_counter() - started
    from scoring.services.index import cycle_recompute

    cycle_recompute(cycle_id=demo.cycle_id)  # the initial snapshots
    rows = measure_in_process(demo)
    worker_rows, worker_note = measure_with_worker(demo)
    history_rows = measure_history(demo)
    print_table(
        f"Part 1: demo regency, {DEMO_OPDS} OPDs, {demo.innovations} innovations, {demo.claims} claims",
        worker_rows + rows + history_rows,
        [
            worker_note,
            f"in-process figures: median of {RECOMPUTE_REPEATS} runs after a warm-up; "
            f"building the regency took {demo_build_s:.1f} s (not measured)",
            _load_note(load_before),
        ],
    )

    if nation_ready:
        build_note = (
            "national data already present (marker: regions, innovations, claims, verdicts): not rebuilt"
        )
    else:
        build_note = f"building the national data took {build_nation(context):.0f} s (not measured)"
    print(build_note, flush=True)
    load_before = os.getloadavg()[0]
    nation_rows, notes = measure_nation()
    claims = Claim.objects.filter(innovation__cycle__region__code__startswith=NATION_REGION_PREFIX).count()
    evidence = Evidence.objects.filter(
        claim__innovation__cycle__region__code__startswith=NATION_REGION_PREFIX
    ).count()
    print_table(
        f"Part 2: nation, {NATION_REGIONS} regions, {NATION_INNOVATIONS:,} innovations, {claims:,} claims "
        f"(each with a verdict), {evidence:,} evidence rows",
        nation_rows,
        [*notes, build_note, _load_note(load_before)],
    )

    if args.drop:
        drop_database()
        print(f"dropped database {database_name(os.environ['DATABASE_URL'])}")
    print(f"whole run: {time.perf_counter() - run_started:.0f} s")


if __name__ == "__main__":
    main()
