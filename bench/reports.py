"""Benchmark of the PDF documents (``reports.services``) on the demo data. Prints figures, asserts nothing.

Run from the project root::

    .venv/bin/python bench/reports.py                  # the embedded default: SQLite at var/db.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/innovasi_perf .venv/bin/python bench/reports.py

The database is DATABASE_URL's, or the embedded SQLite default when DATABASE_URL is unset. It is migrated
(a no-op when up to date; a missing PostgreSQL database is created first) and, when it has no demo region
yet, seeded with ``manage.py seed_demo``. The documents are the demo's: (a) the Laporan Inovasi Daerah of
a verified innovation of the open cycle, (b) the Laporan Indeks Inovasi Daerah of that cycle, (c) one PDF
of the 100 certificates of verified innovations of the cycle that has such certificates (the demo issues
21 for its closed 2023 cycle; the benchmark adds copies with new codes, marked ``[bench …]`` in their award
name, and deletes them and any certificate it issued at the end), and (d) for (b), our whole pipeline
against WeasyPrint alone writing the same HTML (rendered once), the two timed in turns so that a busy
machine slows both alike.

Each measure is the whole pipeline a user's click sets off: ``report_request`` (the row; its enqueueing is
stubbed out) then ``report_render``, the body of the worker's task, run here in this process as a worker
would run it. REDIS_URL is ignored (tasks eager, local-memory cache) so that no other worker picks the
report up. ``DEBUG`` is off unless set. Every report row and file made here is deleted at the end.

Goals: (a) < 1 s, (b) < 15 s, (c) < 30 s, (d) pipeline / WeasyPrint alone < 1.2. Figures are medians of
``--repeats`` runs after one warm-up run (the first render of a process also loads fonts and templates;
it is printed apart); (c), close to a minute a run, is timed ``--certificate-repeats`` times without a
warm-up. A second table splits each document into its steps (context, template, WeasyPrint layout, PDF
writing) and times two alternatives for comparison: WeasyPrint keeping one ``FontConfiguration`` between
documents, and the certificates laid out as one document. The load average is printed: on a shared
machine the figures move with it. The whole run takes about 5 minutes.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import itertools
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

from common import django_with_demo, embedded_environment, print_table

ROOT = Path(__file__).resolve().parents[1]
# Run as a script, Python puts bench/ on sys.path, not the project root that holds the apps.
sys.path.insert(0, str(ROOT))

CERTIFICATES = 100
BENCH_MARK = "[bench "  # in the award name of the certificates copied here (deleted at the end)
VERIFIED_SOURCE = "verified"  # Certificate.source of the certificates of verified innovations
GOAL_INNOVATION_S = 1
GOAL_CYCLE_S = 15
GOAL_CERTIFICATES_S = 30
GOAL_RATIO = 1.2


# --- Measuring ----------------------------------------------------------------------------------------


class Run:
    """The reports made by the benchmark, deleted at the end (rows and files)."""

    def __init__(self, user):
        self.user = user
        self.report_ids: list[str] = []

    def pipeline(self, kind: str, title: str, **params) -> bytes:
        """report_request (enqueueing stubbed out) then report_render, as a worker runs it; the PDF."""
        from reports import services, tasks
        from reports.enums import ReportState

        with mock.patch.object(tasks.render_report, "enqueue"):
            report = services.report_request(kind=kind, user=self.user, title=title, **params)
        self.report_ids.append(str(report.pk))
        report = services.report_render(report_id=str(report.pk))
        if report.state != ReportState.DONE:
            sys.exit(f"bench/reports.py: the {kind} report failed: {report.error}")
        with report.file.open("rb") as stored:
            return stored.read()

    def cleanup(self) -> None:
        from reports.models import GeneratedReport

        for report in GeneratedReport.objects.filter(pk__in=self.report_ids):
            if report.file:
                folder = Path(report.file.path).parent
                report.file.delete(save=False)
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only when empty
            report.delete()


def paired(work: Callable[[], object], other: Callable[[], object], repeats: int):
    """``work`` and ``other`` in turns, ``repeats`` times each after one warm-up run of each: (the first run
    of ``work``, its timings, the timings of ``other``, the last result of ``work``)."""
    first, result = None, None
    timings: tuple[list[float], list[float]] = ([], [])
    for turn in range(repeats + 1):
        for index, job in enumerate((work, other)):
            started = time.perf_counter()
            outcome = job()
            elapsed = time.perf_counter() - started
            if index == 0:
                result = outcome
                first = elapsed if first is None else first
            if turn:
                timings[index].append(elapsed)
    return first, timings[0], timings[1], result


def timed(work: Callable[[], object], repeats: int, warm_up: bool = True):
    """(first run, median, best) seconds of ``repeats`` runs of ``work``, after one warm-up run unless told
    otherwise (then the first run is the first timed one); and the last run's result."""
    timings = []
    for _ in range(repeats + warm_up):
        started = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - started)
    first, timed_runs = timings[0], timings[1:] if warm_up else timings
    return first, statistics.median(timed_runs), min(timed_runs), result


def pdf_pages(content: bytes) -> str:
    """The page count of a PDF, read with pypdf (a test requirement) when it is installed."""
    try:
        from pypdf import PdfReader
    except ImportError:
        return "?"
    return str(len(PdfReader(io.BytesIO(content)).pages))


def describe(content: bytes) -> str:
    return f"{pdf_pages(content)} pages, {len(content) / 1024:.0f} KiB"


def certificates_ready(cycle, count: int) -> list[int]:
    """At least ``count`` certificates of ``cycle`` for verified innovations: its own (issued when
    missing, as the portal's "print certificates" does) topped up with copies under a marked award name.

    Returns the primary keys of the certificates made here, to delete at the end.
    """
    from innovasi.accounts.models import User
    from reports.models import Certificate, certificate_code
    from reports.services import certificates_issue

    Certificate.objects.filter(award__contains=BENCH_MARK).delete()  # left by an interrupted run
    admin = User.objects.get(username="admin")  # the demo's admin issues them, as in the portal
    made = [certificate.pk for certificate in certificates_issue(cycle=cycle, by=admin)]
    existing = list(Certificate.objects.filter(cycle=cycle, source=VERIFIED_SOURCE).order_by("pk"))
    if not existing:
        sys.exit("bench/reports.py: the demo cycle has no verified innovation to certify")
    copies = [
        Certificate(
            code=certificate_code(),
            region=model.region,
            cycle=cycle,
            innovation=model.innovation,
            # (innovation, award, source) is unique; the copies have no number (numbers are unique too)
            award=f"{model.award} {BENCH_MARK}{number:03d}]",
            holder_opd=model.holder_opd,
            holder_innovation=model.holder_innovation,
            year=model.year,
            signatory_name=model.signatory_name,
            signatory_title=model.signatory_title,
            signatory_nip=model.signatory_nip,
            region_name=model.region_name,
            heading=model.heading,
            place_date=model.place_date,
            logo=model.logo.name,
            source=VERIFIED_SOURCE,
        )
        for number, model in zip(
            range(max(0, count - len(existing))), itertools.cycle(existing), strict=False
        )
    ]
    return made + [certificate.pk for certificate in Certificate.objects.bulk_create(copies)]


def breakdown_document(label: str, template: str, make_context, repeats: int):
    """WeasyPrint alone on a document's HTML (its median), and where the pipeline's time goes: context
    (SQL, engine, charts, QR code), template, WeasyPrint layout, PDF writing; and WeasyPrint again with a
    FontConfiguration kept between documents (the fonts' WOFF2 decoded once per process, not per PDF)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from reports.rendering import BASE_URL, PortalURLFetcher, html_render

    context = make_context()
    html = html_render(template, context)

    def weasy(**options):
        return HTML(string=html, base_url=BASE_URL, url_fetcher=PortalURLFetcher()).write_pdf(**options)

    _, weasy_s, _, _ = timed(weasy, repeats)
    _, context_s, _, _ = timed(make_context, repeats)
    _, template_s, _, _ = timed(lambda: html_render(template, context), repeats)
    _, layout_s, _, document = timed(
        lambda: HTML(string=html, base_url=BASE_URL, url_fetcher=PortalURLFetcher()).render(), repeats
    )
    _, write_s, _, _ = timed(document.write_pdf, repeats)
    fonts = FontConfiguration()
    _, shared_s, _, _ = timed(lambda: weasy(font_config=fonts), repeats)
    return weasy_s, [
        (f"{label}: context (SQL, engine, charts, QR code)", f"{context_s:.3f} s", ""),
        (f"{label}: template to HTML ({len(html) / 1024:.0f} KiB)", f"{template_s:.3f} s", ""),
        (f"{label}: WeasyPrint layout, HTML(…).render()", f"{layout_s:.3f} s", ""),
        (f"{label}: WeasyPrint PDF writing, document.write_pdf()", f"{write_s:.3f} s", ""),
        (f"{label}: WeasyPrint alone, write_pdf()", f"{weasy_s:.3f} s", ""),
        (f"{label}, for comparison: WeasyPrint alone, fonts kept", f"{shared_s:.3f} s", ""),
    ]


def breakdown_certificates(cycle) -> list[tuple[str, str, str]]:
    """The certificates' pipeline step by step (QR codes, templates, one WeasyPrint layout per page, the
    combining), then two alternatives: the same one-page layouts sharing one FontConfiguration, and all
    certificates laid out as one document in one WeasyPrint call (the template takes a list)."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from reports.rendering import BASE_URL, PortalURLFetcher, html_render, pdf_combine, pdf_document
    from reports.selectors import documents

    def clock(work):
        started = time.perf_counter()
        result = work()
        return time.perf_counter() - started, result

    certificates = documents.certificates_of(cycle=cycle, source=VERIFIED_SOURCE)
    qr_s, items = clock(lambda: documents.certificates_context(certificates))
    template_s, pages_html = clock(
        lambda: [html_render("reports/pdf/certificate.html", {"items": [item]}) for item in items]
    )
    layout_s, pages = clock(lambda: [pdf_document(html) for html in pages_html])
    combine_s, _ = clock(lambda: pdf_combine(pages))
    fonts = FontConfiguration()
    shared_s, shared_pages = clock(
        lambda: [
            HTML(string=html, base_url=BASE_URL, url_fetcher=PortalURLFetcher()).render(font_config=fonts)
            for html in pages_html
        ]
    )
    shared_combine_s, _ = clock(lambda: pdf_combine(shared_pages))
    single_s, _ = clock(
        lambda: pdf_document(html_render("reports/pdf/certificate.html", {"items": items})).write_pdf()
    )
    n = len(certificates)
    return [
        (f"certificates: {n} QR codes (certificates_context)", f"{qr_s:.3f} s", ""),
        (f"certificates: {n} one-page templates to HTML", f"{template_s:.3f} s", ""),
        (f"certificates: {n} one-page WeasyPrint layouts", f"{layout_s:.3f} s", ""),
        ("certificates: combining the pages, writing the PDF", f"{combine_s:.3f} s", ""),
        (
            f"certificates, for comparison: {n} layouts + combining, fonts kept",
            f"{shared_s + shared_combine_s:.3f} s",
            "",
        ),
        (f"certificates, for comparison: one document of {n}, one layout", f"{single_s:.3f} s", ""),
    ]


# --- Output and main ----------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per measure (median), default 5")
    parser.add_argument(
        "--certificate-repeats", type=int, default=3, help="timed runs of the 100 certificates, default 3"
    )
    args = parser.parse_args()

    run_started = time.perf_counter()
    database = embedded_environment("bench/reports.py")
    seeded = django_with_demo()

    import django
    import weasyprint
    from django.conf import settings
    from weasyprint import HTML

    from innovasi.accounts.demo import DEMO_FILE
    from innovasi.accounts.models import User
    from innovasi.standards.selectors import cycle_current
    from reports.enums import ReportKind
    from reports.models import Certificate
    from reports.rendering import BASE_URL, PortalURLFetcher, html_render
    from reports.selectors import documents
    from submissions.enums import InnovationState
    from submissions.models import Innovation

    print(
        f"PDF documents on {database} ({seeded}); Django {django.get_version()}, WeasyPrint "
        f"{weasyprint.__version__}, Python {sys.version.split()[0]}; {os.cpu_count()} cores ({cpu_model()}); "
        f"DEBUG {'on' if settings.DEBUG else 'off'}"
    )
    print(flush=True)

    import yaml

    region_code = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))["region"]["code"]
    admin = User.objects.get(username="admin", region__code=region_code)
    cycle = cycle_current(region_id=admin.region_id)
    innovation = (
        Innovation.objects.filter(cycle=cycle, state=InnovationState.TERVERIFIKASI).order_by("pk").first()
    )
    if innovation is None:
        sys.exit("bench/reports.py: the demo's open cycle has no verified innovation")
    newest_certificate = (
        Certificate.objects.filter(cycle__region=admin.region, source=VERIFIED_SOURCE)
        .select_related("cycle")
        .order_by("-issued_at")
    ).first()
    certificate_cycle = newest_certificate.cycle if newest_certificate else cycle

    run = Run(admin)
    made: list[int] = []
    load_before = os.getloadavg()
    try:
        a_first, a_median, a_best, a_pdf = timed(
            lambda: run.pipeline(
                ReportKind.INNOVATION_PDF, f"bench: {innovation.name}", innovation_id=innovation.pk
            ),
            args.repeats,
        )
        # (b) and (d): the pipeline and WeasyPrint alone in turns, so that both meet the same load.
        cycle_html = html_render("reports/pdf/cycle.html", documents.cycle_report_context(cycle))
        b_first, b_times, weasy_times, b_pdf = paired(
            lambda: run.pipeline(ReportKind.CYCLE_PDF, f"bench: {cycle.name}", cycle_id=cycle.pk),
            lambda: HTML(string=cycle_html, base_url=BASE_URL, url_fetcher=PortalURLFetcher()).write_pdf(),
            args.repeats,
        )
        b_median, b_best = statistics.median(b_times), min(b_times)
        weasy_s = statistics.median(weasy_times)
        pairwise = statistics.median(b / w for b, w in zip(b_times, weasy_times, strict=True))
        made = certificates_ready(certificate_cycle, CERTIFICATES)
        # The process is warm by now: the certificates' runs are all timed (each takes close to a minute).
        _, c_median, c_best, c_pdf = timed(
            lambda: run.pipeline(
                ReportKind.CERTIFICATES_PDF,
                f"bench: {CERTIFICATES} piagam",
                cycle_id=certificate_cycle.pk,
            ),
            args.certificate_repeats,
            warm_up=False,
        )
        load_during = os.getloadavg()
        _, innovation_rows = breakdown_document(
            "innovation",
            "reports/pdf/innovation.html",
            lambda: documents.innovation_report_context(innovation),
            args.repeats,
        )
        _, cycle_rows = breakdown_document(
            "cycle report",
            "reports/pdf/cycle.html",
            lambda: documents.cycle_report_context(cycle),
            args.repeats,
        )
        certificate_rows = breakdown_certificates(certificate_cycle)
    finally:
        run.cleanup()
        Certificate.objects.filter(pk__in=made).delete()

    ratio = b_median / weasy_s
    print_table(
        "PDF documents, whole pipeline (report_request + report_render, as the worker runs it)",
        [
            (
                f"(a) Laporan Inovasi Daerah, {describe(a_pdf)}",
                f"{a_median:.2f} s",
                f"< {GOAL_INNOVATION_S} s",
            ),
            ("    the same, best run", f"{a_best:.2f} s", ""),
            ("    the same, first run of the process", f"{a_first:.2f} s", ""),
            (
                f"(b) Laporan Indeks Inovasi Daerah, {describe(b_pdf)}",
                f"{b_median:.2f} s",
                f"< {GOAL_CYCLE_S} s",
            ),
            ("    the same, best run", f"{b_best:.2f} s", ""),
            ("    the same, first run of the process", f"{b_first:.2f} s", ""),
            (
                f"(c) {CERTIFICATES} certificates in one PDF, {describe(c_pdf)}",
                f"{c_median:.2f} s",
                f"< {GOAL_CERTIFICATES_S} s",
            ),
            ("    the same, best run", f"{c_best:.2f} s", ""),
            ("(d) cycle report: pipeline (b) / WeasyPrint alone", f"{ratio:.2f}", f"< {GOAL_RATIO}"),
            ("    the same, median of the run-by-run ratios", f"{pairwise:.2f}", ""),
            ("    WeasyPrint alone on the same HTML, write_pdf()", f"{weasy_s:.2f} s", ""),
        ],
        [
            f"(a), (b) and WeasyPrint alone: median of {args.repeats} runs after a warm-up, (b) and WeasyPrint "
            f"alone taking turns; (c): median of "
            f"{args.certificate_repeats} runs; innovation #{innovation.pk} «{innovation.name}»; cycle "
            f"«{cycle.name}»; certificates of «{certificate_cycle.name}»",
            "load average (1 min) before / after the timed runs: "
            f"{load_before[0]:.2f} / {load_during[0]:.2f} on {os.cpu_count()} cores",
        ],
    )
    print_table(
        "Where the time goes (the same steps called one by one)",
        innovation_rows + cycle_rows + certificate_rows,
        [f"medians of {args.repeats} runs, except the certificates' steps: one run each"],
    )
    print(f"whole run: {time.perf_counter() - run_started:.0f} s")


if __name__ == "__main__":
    main()
