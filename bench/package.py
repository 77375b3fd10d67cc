"""Benchmark of the national upload package (``reports.package``) of the demo regency. Prints figures, asserts
nothing.

Run from the project root::

    .venv/bin/python bench/package.py                  # the embedded default: SQLite at var/db.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/innovasi_perf .venv/bin/python bench/package.py

The database is DATABASE_URL's, or the embedded SQLite default when DATABASE_URL is unset. It is migrated
(a no-op when up to date; a missing PostgreSQL database is created first) and, when it has no demo region
yet, seeded with ``manage.py seed_demo``. The package is the region's of the demo's open cycle (every OPD's
submitted innovations and the SPD rows, with all their evidence), built as a click on "Buat paket wilayah"
sets off: ``national_package_request`` (the row; its enqueueing stubbed out) then ``report_render``, the
body of the worker's task ``innovasi.reports.build_package``, run here in this process as a worker would
run it. REDIS_URL is ignored (tasks eager, local-memory cache) so that no other worker picks the package
up. ``DEBUG`` is off unless set. Every report row and file made here is deleted at the end.

Goal: the region's package < 60 s. One OPD's package is built first as a warm-up (the first PDF of a process
also loads fonts and templates) and is printed apart; the region's is then timed ``--repeats`` times (the
median is the figure). A second table splits one run into its steps: reading the plan (SQL, names), the
profile PDFs, copying the evidence, the index sheet. The load average is printed: on a shared machine the
figures move with it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import time
import zipfile
from pathlib import Path
from unittest import mock

from common import django_with_demo, embedded_environment, print_table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script, Python puts bench/ on sys.path, not the project root

GOAL_REGION_S = 60


class Run:
    """The packages built by the benchmark, deleted at the end (rows and files)."""

    def __init__(self, user, cycle):
        self.user, self.cycle = user, cycle
        self.report_ids: list[str] = []

    def build(self, opd=None):
        """national_package_request (enqueueing stubbed out) then report_render, as a worker runs it: (seconds,
        the stored ZIP's path)."""
        from reports import services, tasks
        from reports.enums import ReportState

        started = time.perf_counter()
        with mock.patch.object(tasks.build_package, "enqueue"):
            report = services.national_package_request(cycle=self.cycle, opd=opd, user=self.user)
        self.report_ids.append(str(report.pk))
        report = services.report_render(report_id=str(report.pk))
        elapsed = time.perf_counter() - started
        if report.state != ReportState.DONE:
            sys.exit(f"bench/package.py: the package failed: {report.error}")
        return elapsed, report.file.path

    def cleanup(self) -> None:
        from reports.models import GeneratedReport

        for report in GeneratedReport.objects.filter(pk__in=self.report_ids):
            if report.file:
                folder = Path(report.file.path).parent
                report.file.delete(save=False)
                with contextlib.suppress(OSError):
                    folder.rmdir()
            report.delete()


def breakdown(cycle) -> list[tuple[str, str, str]]:
    """One region package step by step, as ``reports.package`` writes it."""
    from django.utils import timezone

    from reports import excel
    from reports import package as package_module
    from reports.rendering import pdf_render
    from reports.selectors import documents
    from reports.selectors import package as package_selectors

    def clock(work):
        started = time.perf_counter()
        result = work()
        return time.perf_counter() - started, result

    plan_s, plan = clock(lambda: package_selectors.package_plan(cycle=cycle))
    paper = documents.region_paper(cycle.region)

    def profiles():
        for packed in plan.innovations:
            pdf_render(
                "reports/pdf/national_profile.html",
                {
                    "innovation": packed.innovation,
                    "packed": packed,
                    "cycle": cycle,
                    "region": cycle.region,
                    "paper": paper,
                    "sections": package_selectors.profile_sections(
                        package_selectors.national_profile(packed)
                    ),
                    "rows": package_selectors.indicator_rows(packed),
                },
            )

    profiles_s, _ = clock(profiles)
    stored = [item for packed in plan.innovations for item in packed.files if item.stored is not None]
    if plan.spd is not None:
        stored += [item for item in plan.spd.files if item.stored is not None]

    def copy():
        moment = timezone.localtime()
        with zipfile.ZipFile(io.BytesIO(), "w") as archive:
            for number, item in enumerate(stored):
                package_module._copy(archive, f"f/{number}.{item.name.rsplit('.', 1)[-1]}", item, moment)

    copy_s, _ = clock(copy)
    index_s, _ = clock(lambda: excel.package_index_workbook(plan))
    n = len(plan.innovations)
    return [
        ("plan: innovations, claims, evidence, names (SQL)", f"{plan_s:.2f} s", ""),
        (f"{n} profile PDFs (WeasyPrint)", f"{profiles_s:.2f} s", f"{profiles_s / max(n, 1):.2f} s each"),
        (f"copying {len(stored)} stored files into a ZIP", f"{copy_s:.2f} s", ""),
        ("index sheet (openpyxl)", f"{index_s:.2f} s", ""),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repeats", type=int, default=3, help="timed runs of the region's package, default 3"
    )
    args = parser.parse_args()

    database = embedded_environment("bench/package.py")
    seeded = django_with_demo()

    import django
    import weasyprint
    import yaml

    from innovasi.accounts.demo import DEMO_FILE
    from innovasi.accounts.models import User
    from innovasi.standards.selectors import cycle_current
    from reports.selectors.package import package_opds

    print(
        f"National upload package on {database} ({seeded}); Django {django.get_version()}, WeasyPrint "
        f"{weasyprint.__version__}, Python {sys.version.split()[0]}; {os.cpu_count()} cores",
        flush=True,
    )
    region_code = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["region"]["code"]
    admin = User.objects.get(username="admin", region__code=region_code)
    cycle = cycle_current(region_id=admin.region_id)
    largest, largest_count = max(package_opds(cycle=cycle), key=lambda item: item[1])
    run = Run(admin, cycle)
    load_before = os.getloadavg()
    try:
        warm_s, opd_path = run.build(opd=largest)
        timings, path = [], ""
        for _ in range(args.repeats):
            elapsed, path = run.build()
            timings.append(elapsed)
        load_after = os.getloadavg()
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
        folders = {entry.filename.rsplit("/", 1)[0] for entry in entries if "/" in entry.filename}
        size = Path(path).stat().st_size
        steps = breakdown(cycle)
    finally:
        run.cleanup()

    median = statistics.median(timings)
    print_table(
        f"The region's package of {cycle.name}",
        [
            (
                f"region: {len(entries)} files in {len(folders)} folders, {size / 2**20:.1f} MiB "
                f"(median of {args.repeats})",
                f"{median:.1f} s",
                f"< {GOAL_REGION_S} s: {'met' if median < GOAL_REGION_S else 'NOT met'}",
            ),
            ("region: best run", f"{min(timings):.1f} s", ""),
            (
                f"one OPD ({largest.short_name or largest.name}, {largest_count} innovations), first of the "
                "process",
                f"{warm_s:.1f} s",
                Path(opd_path).name,
            ),
        ],
        [f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after"],
    )
    print_table("Where the time goes (one run, step by step)", steps)


if __name__ == "__main__":
    main()
