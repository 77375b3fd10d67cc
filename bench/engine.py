"""Benchmark of ``scoring.engine``: one regency, then the whole nation. Prints figures, asserts nothing.

Run from the project root, no Django needed::

    .venv/bin/python bench/engine.py

Goals: one regency (300 innovations × 20 SID rows + SPD, claimed and verified) in < 10 ms; the nation
(548 regions, 36,742 innovations × 20 rows) in < 2 s. Inputs are built before the clock starts: the
portal builds them from the database, which is not what is measured here.
"""

from __future__ import annotations

import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from common import print_table

# Run as a script, Python puts bench/ on sys.path, not the project root that holds scoring/ and tests/.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scoring.engine import ENGINE_VERSION, SID, SPD, InnovationInput, RegionInput, Row, Rules, compute
from tests.scoring.catalogues import load_rules, urusan_codes

SEED = 2026
REGENCY_INNOVATIONS = 300
REGENCY_OPDS = 50
REGENCY_REPEATS = 21
NATION_REGIONS = 548
NATION_SILENT_REGIONS = 17  # 531 of 548 regions reported in 2025 (IID.md §1)
NATION_INNOVATIONS = 36_742
NATION_REPEATS = 3
TAHAPAN = ("penerapan",) * 8 + ("uji_coba", "inisiatif")


def main() -> None:
    rules = load_rules("iid-2026")
    rng = random.Random(SEED)
    urusan = sorted(urusan_codes())
    print(f"scoring.engine {ENGINE_VERSION} on Python {sys.version.split()[0]}, catalogue {rules.catalogue}")

    claimed = _region(rules, rng, urusan, REGENCY_INNOVATIONS)
    verified = _verified(claimed, rng)
    regency_ms, regency_best_ms = _timings_ms(
        lambda: (compute(rules, claimed), compute(rules, verified)), REGENCY_REPEATS
    )

    sizes = _nation_sizes(rng)
    started = time.perf_counter()
    nation = [_region(rules, rng, urusan, size) for size in sizes]
    build_s = time.perf_counter() - started
    nation_ms, nation_best_ms = _timings_ms(
        lambda: [compute(rules, region) for region in nation], NATION_REPEATS
    )
    tracemalloc.start()
    results = [compute(rules, region) for region in nation]
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del results
    max_rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux

    rows = [
        ("regency: 300 innovations x 20 rows, claimed + verified", f"{regency_ms:.2f} ms", "< 10 ms"),
        ("  the same, best run", f"{regency_best_ms:.2f} ms", ""),
        ("nation: 548 regions, 36,742 innovations x 20 rows", f"{nation_ms / 1000:.3f} s", "< 2 s"),
        ("  the same, best run", f"{nation_best_ms / 1000:.3f} s", ""),
        ("nation: peak memory allocated while computing (tracemalloc)", f"{peak / 2**20:.1f} MiB", ""),
        ("process: max resident set incl. inputs (ru_maxrss)", f"{max_rss_mib:.0f} MiB", ""),
        ("nation: building the inputs (not part of the above)", f"{build_s:.2f} s", ""),
    ]
    print_table(
        "",
        rows,
        [
            f"regency: median of {REGENCY_REPEATS} runs; nation: median of {NATION_REPEATS} runs; "
            f"innovations per region min {min(sizes)}, median {statistics.median(sizes):.0f}, max {max(sizes)}"
        ],
    )


def _timings_ms(work: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(median, best) wall-clock milliseconds of ``repeats`` runs of ``work``."""
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        work()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), min(timings)


def _nation_sizes(rng: random.Random) -> list[int]:
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


def _region(rules: Rules, rng: random.Random, urusan: list[str], innovations: int) -> RegionInput:
    spd_codes = [indicator.code for indicator in rules.indicators if indicator.group == SPD]
    sid_codes = [indicator.code for indicator in rules.indicators if indicator.group == SID]
    window_days = (rules.window_end - rules.window_start).days
    return RegionInput(
        spd=tuple(Row(code=code, level=rng.randint(0, 3), counts=rng.random() < 0.9) for code in spd_codes),
        innovations=tuple(
            InnovationInput(
                ref=f"INV-{number}",
                tahapan=rng.choice(TAHAPAN),
                # Mostly inside the window, some a year before it.
                penerapan=rules.window_start + timedelta(days=rng.randint(-365, window_days)),
                pengembangan=None,
                urusan_utama=rng.choice(urusan),
                rancang_bangun_words=rng.randint(250, 900),
                rows=tuple(
                    Row(code=code, level=rng.randint(0, 3), counts=rng.random() < 0.9) for code in sid_codes
                ),
                group=str(rng.randrange(REGENCY_OPDS)),
            )
            for number in range(innovations)
        ),
    )


def _verified(claimed: RegionInput, rng: random.Random) -> RegionInput:
    """The claimed region after a verifier: some rows rejected, some accepted a level lower."""

    def verdict(row: Row) -> Row:
        draw = rng.random()
        if draw < 0.15:
            return Row(code=row.code, level=row.level, counts=False)
        if draw < 0.35 and row.level > 0:
            return Row(code=row.code, level=row.level - 1, counts=row.counts)
        return row

    return RegionInput(
        spd=tuple(verdict(row) for row in claimed.spd),
        innovations=tuple(
            InnovationInput(
                ref=innovation.ref,
                tahapan=innovation.tahapan,
                penerapan=innovation.penerapan,
                pengembangan=innovation.pengembangan,
                urusan_utama=innovation.urusan_utama,
                rancang_bangun_words=innovation.rancang_bangun_words,
                rows=tuple(verdict(row) for row in innovation.rows),
                group=innovation.group,
            )
            for innovation in claimed.innovations
        ),
    )


if __name__ == "__main__":
    main()
