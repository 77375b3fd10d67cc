"""Benchmark of the cycle workbook (``reports.workbook``). Prints figures, asserts nothing.

Run from the project root::

    .venv/bin/python bench/workbook.py                  # the embedded default: SQLite at var/db.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/innovasi_perf_workbook .venv/bin/python bench/workbook.py

The database is DATABASE_URL's, or the embedded SQLite default; it is migrated (a missing PostgreSQL
database is created first) and seeded with ``manage.py seed_demo`` when it has no demo region yet.

(a) Import: a workbook of 300 innovations × 20 indicator rows (every SID row with a level, a tenth of them
with a note) and a ZIP of 1,000 small evidence files (PDFs and PNGs of about 1 KB; SID-35's rows carry a
link), imported by an admin into the empty cycle of a region of its own with 30 OPDs: read (the workbook
and the ZIP's directory), check (the preview: every cell, every file sniffed), import (what the
confirmation runs: the check again under the cycle's lock, then every write, files stored), and the one
recompute of the cycle after it. Goal: check + import < 20 s; its queries do not grow with the rows (the
import of 1 and of 3 innovations is counted too).

(b) Export: the demo's open cycle with its evidence (the workbook and the ZIP of every evidence file,
document and SPD file). Goal < 10 s.

(c) The round trip: (b) imported by an admin into an empty cycle of another region; its claimed IID
against the demo cycle's, computed afresh.

Everything (a) and (c) write happens in one transaction rolled back at the end, and their files go to a
temporary MEDIA_ROOT removed afterwards: the database and the demo's files are left as they were. REDIS_URL
is ignored (tasks eager, local-memory cache); ``DEBUG`` is off unless set. Figures are the median of
``--repeats`` runs (default 3) after one warm-up run of (b).
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from common import django_with_demo, embedded_environment, print_table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

INNOVATIONS, OPDS, FILES = 300, 30, 1000
GOAL_IMPORT_S = 20
GOAL_EXPORT_S = 10


class Rollback(Exception):
    """Raised at the end of a measured block to roll its transaction back."""


def region_with_cycle(code, catalogue, opds):
    """A region of the benchmark's own (rolled back at the end): its OPDs ((name, short name) pairs), an
    admin and an empty cycle."""
    from innovasi.accounts.enums import OpdKind, RegionKind, Role
    from innovasi.accounts.models import Opd, Region, User
    from innovasi.standards.enums import CycleState
    from innovasi.standards.models import Cycle

    region = Region.objects.create(name=f"Kabupaten Bench {code}", kind=RegionKind.KABUPATEN, code=code)
    for name, short in opds:
        Opd.objects.create(region=region, name=name, short_name=short, kind=OpdKind.DINAS)
    admin = User.objects.create(username=f"bench.admin.{code}", region=region, role=Role.ADMIN)
    cycle = Cycle.objects.create(
        region=region,
        catalogue=catalogue,
        name=f"IID bench {code}",
        opens_on="2026-01-01",
        filing_closes_on="2026-08-31",
        verification_closes_on="2026-09-30",
        revision_closes_on="2026-10-31",
        final_on="2026-11-30",
        state=CycleState.OPEN,
    )
    return cycle, admin


def generated_workbook(cycle, count, files):
    """(xlsx bytes, zip bytes) of ``count`` innovations × every SID row, ``files`` evidence files."""
    import datetime

    from innovasi.standards.enums import EvidenceKind, IndicatorGroup
    from reports.workbook.export import template_data
    from reports.workbook.writer import workbook_bytes
    from submissions.samples import image_bytes, pdf_bytes

    data = template_data(cycle=cycle)
    sid = [item for item in data.indicators if item.group == IndicatorGroup.SID]
    opds = [opd.short_name for opd in data.opds]
    words = " ".join(f"kata{number}" for number in range(320))
    pdf, png = pdf_bytes("Bukti bench"), image_bytes("Bukti bench", size=(64, 32))
    archive, out = {}, io.BytesIO()
    slots = [
        (number, indicator)
        for number in range(count)
        for indicator in sid
        if "link" not in indicator.evidence_kinds
    ]
    with_file = {
        slot: position for position, slot in enumerate(slots[:: max(1, len(slots) // files)][:files])
    }
    for number in range(count):
        key = f"B-{number:04d}"
        data.innovations.append(
            {
                "key": key,
                "name": f"Inovasi bench {number}",
                "opd": opds[number % len(opds)],
                "state": "Diajukan" if number % 3 else "Draf",
                "tahapan": "Penerapan",
                "inisiator": "OPD",
                "jenis": "Digital",
                "bentuk": "Inovasi pelayanan publik",
                "urusan_utama": data.urusan[number % len(data.urusan)].name,
                "urusan_lain": data.urusan[(number + 1) % len(data.urusan)].name,
                "rancang_bangun": words,
                "tujuan": "Tujuan",
                "manfaat": "Manfaat",
                "hasil": "Hasil",
                "waktu_uji_coba": datetime.date(2024, 1, 10),
                "waktu_penerapan": datetime.date(2024, 6, 1),
            }
        )
        for indicator in sid:
            row = {"key": key, "indicator": indicator.code, "level": 1 + (number + indicator.position) % 3}
            if indicator.has_basis:
                row["basis"] = sorted(indicator.basis_labels)[0]
            if number % 10 == 0:
                row["note"] = "Catatan bench"
            if "link" in indicator.evidence_kinds:
                row["evidence"] = "https://youtu.be/bench"
            elif (number, indicator) in with_file:
                pdf_ok = EvidenceKind.PDF in indicator.evidence_kinds
                path = f"bukti/{with_file[(number, indicator)]:04d}.{'pdf' if pdf_ok else 'png'}"
                archive[path] = pdf if pdf_ok else png
                row["evidence"] = path
            data.claims.append(row)
    with zipfile.ZipFile(out, "w") as target:
        for path, content in archive.items():
            target.writestr(path, content)
    return workbook_bytes(data), out.getvalue(), len(archive)


def measure_import(catalogue, repeats):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from reports.workbook.archive import EvidenceArchive
    from reports.workbook.plan import plan_build
    from reports.workbook.reader import workbook_read
    from reports.workbook.services import actor_of, workbook_import
    from scoring.services.index import cycle_recompute

    opds = [(f"Dinas Bench {number:02d}", f"OPD{number:02d}") for number in range(OPDS)]
    runs: dict[str, list[float]] = {"read": [], "check": [], "import": [], "recompute": []}
    facts = {}
    for repeat in range(repeats):
        try:
            with transaction.atomic():
                cycle, admin = region_with_cycle(f"99.{90 + repeat}", catalogue, opds)
                generated = time.perf_counter()
                xlsx, archive_bytes, files = generated_workbook(cycle, INNOVATIONS, FILES)
                facts["generate"] = time.perf_counter() - generated
                facts["sizes"] = (len(xlsx), len(archive_bytes), files)
                big = 1 << 40
                started = time.perf_counter()
                rows = workbook_read(SimpleUploadedFile("bench.xlsx", xlsx), limit=big)
                archive = EvidenceArchive(SimpleUploadedFile("bench.zip", archive_bytes), limit=big)
                runs["read"].append(time.perf_counter() - started)
                actor = actor_of(admin)
                started = time.perf_counter()
                plan = plan_build(cycle=cycle, actor=actor, rows=rows, archive=archive)
                runs["check"].append(time.perf_counter() - started)
                assert plan.ok, [problem.line() for problem in plan.problems[:5]]
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    plan = workbook_import(cycle=cycle, actor=actor, rows=rows, archive=archive)
                    runs["import"].append(time.perf_counter() - started)
                facts["queries"] = len(queries)
                facts["counts"] = plan.counts
                started = time.perf_counter()
                cycle_recompute(cycle_id=cycle.pk)
                runs["recompute"].append(time.perf_counter() - started)
                facts["small"] = [_small_import_queries(catalogue, opds, count) for count in (1, 3)]
                raise Rollback
        except Rollback:
            pass
    return runs, facts


def _small_import_queries(catalogue, opds, count):
    """The queries of importing ``count`` innovations (after a first import made the cycle's score state)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports.workbook.archive import EvidenceArchive
    from reports.workbook.reader import workbook_read
    from reports.workbook.services import actor_of, workbook_import

    cycle, admin = region_with_cycle(f"98.{count}", catalogue, opds)
    for attempt in range(2):
        xlsx, archive_bytes, _files = generated_workbook(cycle, count, 2 * count)
        rows = workbook_read(SimpleUploadedFile("s.xlsx", xlsx))
        archive = EvidenceArchive(SimpleUploadedFile("s.zip", archive_bytes))
        if attempt == 0:
            workbook_import(cycle=cycle, actor=actor_of(admin), rows=rows, archive=archive)
            cycle.innovations.all().delete()
            continue
        with CaptureQueriesContext(connection) as queries:
            workbook_import(cycle=cycle, actor=actor_of(admin), rows=rows, archive=archive)
    return len(queries)


def measure_export(cycle, repeats, folder):
    from reports.workbook.export import export_data
    from reports.workbook.writer import archive_write, workbook_bytes
    from submissions.models import Innovation

    def export():
        data = export_data(cycle=cycle, innovations=Innovation.objects.filter(cycle=cycle))
        content = workbook_bytes(data)
        with (folder / "demo.zip").open("wb") as target:
            count = archive_write(target, data.files)
        (folder / "demo.xlsx").write_bytes(content)
        return data, count

    export()  # warm-up: templates, the engine's rules, the file system's cache
    seconds = []
    for _repeat in range(repeats):
        started = time.perf_counter()
        data, count = export()
        seconds.append(time.perf_counter() - started)
    return seconds, data, count


def round_trip(demo_cycle, folder):
    """The demo's export imported into another region's empty cycle: (claimed IID there, the demo's)."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import transaction

    from innovasi.accounts.models import Opd
    from reports.workbook.archive import EvidenceArchive
    from reports.workbook.reader import workbook_read
    from reports.workbook.services import actor_of, workbook_import
    from scoring.services.index import cycle_recompute

    opds = list(Opd.objects.filter(region=demo_cycle.region).values_list("name", "short_name"))
    source = cycle_recompute(cycle_id=demo_cycle.pk, write=False)["claimed"][0].result.iid
    try:
        with transaction.atomic():
            cycle, admin = region_with_cycle("97.01", demo_cycle.catalogue, opds)
            big = 1 << 40
            rows = workbook_read(
                SimpleUploadedFile("demo.xlsx", (folder / "demo.xlsx").read_bytes()), limit=big
            )
            with (folder / "demo.zip").open("rb") as stored:
                archive = EvidenceArchive(SimpleUploadedFile("demo.zip", stored.read()), limit=big)
            workbook_import(cycle=cycle, actor=actor_of(admin), rows=rows, archive=archive)
            target = cycle_recompute(cycle_id=cycle.pk)["claimed"][0].result.iid
            raise Rollback
    except Rollback:
        pass
    return target, source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    database = embedded_environment("bench/workbook.py")
    seeded = django_with_demo()
    import yaml
    from django.test.utils import override_settings

    from innovasi.accounts.demo import DEMO_FILE
    from innovasi.standards.enums import CycleState
    from innovasi.standards.models import Cycle

    logging.disable(logging.INFO)
    code = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["region"]["code"]
    demo_cycle = (
        Cycle.objects.select_related("catalogue", "region")
        .filter(region__code=code, state=CycleState.OPEN)
        .first()
    )
    folder = Path(tempfile.mkdtemp(prefix="bench-workbook-"))
    media = folder / "media"
    try:
        export_seconds, data, files = measure_export(demo_cycle, options.repeats, folder)
        with override_settings(MEDIA_ROOT=str(media)):
            import_runs, facts = measure_import(demo_cycle.catalogue, options.repeats)
            # The demo's files are read from the real MEDIA_ROOT (the export above), the copies go here.
            there, here = round_trip(demo_cycle, folder)
        zip_size = (folder / "demo.zip").stat().st_size
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    median = {name: statistics.median(values) for name, values in import_runs.items()}
    counts = facts["counts"]
    xlsx_size, archive_size, archive_files = facts["sizes"]
    load = os.getloadavg()
    print(
        f"bench/workbook.py on {platform.node()} ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}, {database}; {seeded}; load average {load[0]:.2f} {load[1]:.2f}; "
        f"median of {options.repeats} runs"
    )
    print()
    print_table(
        f"(a) Import: {INNOVATIONS} innovations × 20 rows, {archive_files} evidence files "
        f"(workbook {xlsx_size / 1024:.0f} KB, ZIP {archive_size / 1024:.0f} KB; generating them took "
        f"{facts['generate']:.1f} s, not counted)",
        [
            ("read the workbook and the ZIP's directory", f"{median['read']:.2f} s", ""),
            ("check (the preview)", f"{median['check']:.2f} s", ""),
            ("import (check again under the lock, write)", f"{median['import']:.2f} s", ""),
            ("check + import", f"{median['check'] + median['import']:.2f} s", f"< {GOAL_IMPORT_S} s"),
            ("recompute of the cycle after it", f"{median['recompute']:.2f} s", ""),
            ("queries of the import", str(facts["queries"]), "constant per row"),
            ("queries importing 1 / 3 innovations", f"{facts['small'][0]} / {facts['small'][1]}", "equal"),
        ],
        [
            f"imported: {counts['new']} innovations, {counts['claims']} rows, {counts['files']} files, "
            f"{counts['links']} links",
            f"runs (s): check {', '.join(f'{v:.2f}' for v in import_runs['check'])}; "
            f"import {', '.join(f'{v:.2f}' for v in import_runs['import'])}",
        ],
    )
    print_table(
        f"(b) Export of the demo cycle «{demo_cycle.name}» with its evidence",
        [
            ("export: workbook + ZIP", f"{statistics.median(export_seconds):.2f} s", f"< {GOAL_EXPORT_S} s"),
        ],
        [
            f"{len(data.innovations)} innovations, {len(data.claims)} rows, {len(data.spd)} SPD rows; "
            f"{files} files, ZIP {zip_size / 1024:.0f} KB",
            f"runs (s): {', '.join(f'{v:.2f}' for v in export_seconds)}",
        ],
    )
    print_table(
        "(c) Round trip: the demo's export imported into another region's empty cycle",
        [("claimed IID there / in the demo", f"{there} / {here}", "equal")],
        ["equal" if there == here else "DIFFERENT"],
    )


if __name__ == "__main__":
    main()
