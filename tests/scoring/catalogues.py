"""Rules built from the catalogue files, and small builders of engine input shaped by them.

The project's copies under ``innovasi/standards/data`` are preferred; until they exist the shared
originals (``../shared/domain`` beside the project) are read. Both hold the same ``rules:`` blocks.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import yaml

from scoring.engine import SID, InnovationInput, Row, Rules

PROJECT_ROOT = Path(__file__).resolve().parents[2]
_PROJECT_DATA = PROJECT_ROOT / "innovasi" / "standards" / "data"
_SHARED_DOMAIN = PROJECT_ROOT.parent / "shared" / "domain"
SCENARIOS = PROJECT_ROOT / "tests" / "data" / "scenarios"


def _data_file(name: str, shared_subdir: str = "") -> Path:
    project_copy = _PROJECT_DATA / name
    return project_copy if project_copy.exists() else _SHARED_DOMAIN / shared_subdir / name


@cache
def urusan() -> tuple[dict, ...]:
    """The 38 urusan of ``urusan.yaml``, in file order."""
    return tuple(yaml.safe_load(_data_file("urusan.yaml").read_text(encoding="utf-8")))


def urusan_codes() -> frozenset[str]:
    return frozenset(item["code"] for item in urusan())


def yandas_codes() -> tuple[str, ...]:
    """The six basic-service affairs, in file order."""
    return tuple(item["code"] for item in urusan() if item["group"] == "wajib_yandas")


@cache
def load_rules(code: str) -> Rules:
    """Rules of a shipped catalogue, ``iid-2026`` or ``iid-2023``."""
    catalogue = yaml.safe_load(_data_file(f"{code}.yaml", "catalogs").read_text(encoding="utf-8"))
    return Rules.from_catalogue(
        code=catalogue["code"],
        rules=catalogue["rules"],
        indicators=catalogue["indicators"],
        yandas=yandas_codes(),
    )


def sid_rows(rules: Rules, kematangan: int) -> tuple[Row, ...]:
    """Counting SID rows whose scores add up to ``kematangan`` (0 to the catalogue maximum).

    Greedy from the heaviest weight down; the weight-1 indicators at the end absorb any rest.
    """
    remaining = kematangan
    rows = []
    sid = sorted((i for i in rules.indicators if i.group == SID), key=lambda i: i.weight, reverse=True)
    for indicator in sid:
        level = min(3, int(remaining // indicator.weight))
        if level:
            rows.append(Row(code=indicator.code, level=level, counts=True))
            remaining -= indicator.weight * level
    if remaining:
        raise ValueError(f"kematangan {kematangan} cannot be built from {rules.catalogue}")
    return tuple(rows)


def eligible(
    rules: Rules,
    ref: str,
    rows: tuple[Row, ...] = (),
    *,
    urusan_utama: str | None = None,
    group: str | None = None,
) -> InnovationInput:
    """An innovation that meets every eligibility rule of ``rules``."""
    return InnovationInput(
        ref=ref,
        tahapan="penerapan",
        penerapan=rules.window_start,
        pengembangan=None,
        urusan_utama=urusan_utama,
        rancang_bangun_words=rules.min_words,
        rows=rows,
        group=group,
    )


def eligible_at(
    rules: Rules, ref: str, kematangan: int, *, urusan_utama: str | None = None, group: str | None = None
) -> InnovationInput:
    """An eligible innovation of exactly that kematangan."""
    return eligible(rules, ref, sid_rows(rules, kematangan), urusan_utama=urusan_utama, group=group)


def outside_window(rules: Rules) -> date:
    """A day just before the eligibility window."""
    return date.fromordinal(rules.window_start.toordinal() - 1)
