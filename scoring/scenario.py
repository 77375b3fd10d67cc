"""The scenario format of ``manage.py iid_simulate`` (``shared/domain/scenario-format.md``).

Pure functions, no Django: :func:`read_scenario` and :func:`parse_scenario` turn a scenario into engine
input, rejecting anything the engine would have to guess about with a :class:`ScenarioError` whose
message is one line naming the problem; :func:`result_to_dict` gives the engine's result the exact
output shape of the format.

Decisions where the format is silent: unknown keys are errors (a misspelt key would otherwise be
ignored silently); ``penerapan``, ``pengembangan`` and ``urusan_utama`` may be absent or null (no date
never falls in the window; no urusan covers no yandas affair); ``urusan_lain`` is checked but not
scored (Portal rule 2); ``basis`` belongs to SID-33 only and is required there when the level is above 0.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from .engine import MAX_LEVEL, SID, SPD, InnovationInput, RegionInput, Result, Row, Rules

TAHAPAN = ("inisiatif", "uji_coba", "penerapan")
BASIS_INDICATOR = "SID-33"
BASES = ("a", "b", "c", "d", "e", "f")

_SCENARIO_KEYS = {"catalog", "spd", "innovations"}
_INNOVATION_REQUIRED = {"ref", "tahapan", "rancang_bangun_words", "indicators"}
_INNOVATION_OPTIONAL = {"penerapan", "pengembangan", "urusan_utama", "urusan_lain"}
_ROW_REQUIRED = {"level", "evidence"}
_ROW_OPTIONAL = {"basis"}
# date.fromisoformat() also takes 20250301 and 2025-W10-1; the format allows only YYYY-MM-DD.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ScenarioError(ValueError):
    """Bad scenario input; ``str(error)`` is one line naming the problem, fit for standard error."""


def read_scenario(text: str) -> dict[str, Any]:
    """The scenario object of a JSON text; raises ScenarioError when it is not JSON or not an object."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ScenarioError(f"invalid JSON: {error}") from error
    if not isinstance(data, dict):
        raise ScenarioError("invalid scenario: the top level must be a JSON object")
    return data


def parse_scenario(
    data: Mapping[str, Any], rules: Rules, urusan_codes: frozenset[str] | None = None
) -> RegionInput:
    """The engine input of a scenario scored under ``rules`` (whose catalogue it must name).

    ``evidence: true`` makes a row count. Urusan codes are checked against ``urusan_codes`` when it is
    given. Raises ScenarioError for anything malformed; never returns partial input.
    """
    _check_keys(data, _SCENARIO_KEYS, set(), "scenario")
    if data["catalog"] != rules.catalogue:
        raise ScenarioError(
            f"scenario catalog {data['catalog']!r} does not match the rules {rules.catalogue!r}"
        )
    groups = {indicator.code: indicator.group for indicator in rules.indicators}
    spd = _rows(data["spd"], groups, SPD, owner="spd", field="spd")
    items = data["innovations"]
    if not isinstance(items, list):
        raise ScenarioError("innovations must be a list")
    innovations = []
    refs: set[str] = set()
    for number, item in enumerate(items, start=1):
        innovation = _innovation(item, number, groups, urusan_codes)
        if innovation.ref in refs:
            raise ScenarioError(f"innovation {innovation.ref!r} appears twice")
        refs.add(innovation.ref)
        innovations.append(innovation)
    return RegionInput(spd=spd, innovations=tuple(innovations))


def region_to_scenario(catalogue: str, region: RegionInput) -> dict[str, Any]:
    """The scenario object of a region (the inverse of :func:`parse_scenario`): rows that do not count
    are written with ``evidence: false``, a row's basis only when it has one; innovation groups are not
    part of the format."""

    def rows(items: tuple[Row, ...]) -> dict[str, Any]:
        return {
            row.code: {
                "level": row.level,
                "evidence": row.counts,
                **({"basis": row.basis} if row.basis else {}),
            }
            for row in items
        }

    return {
        "catalog": catalogue,
        "spd": rows(region.spd),
        "innovations": [
            {
                "ref": innovation.ref,
                "tahapan": innovation.tahapan,
                "penerapan": innovation.penerapan.isoformat() if innovation.penerapan else None,
                "pengembangan": innovation.pengembangan.isoformat() if innovation.pengembangan else None,
                "urusan_utama": innovation.urusan_utama,
                "rancang_bangun_words": innovation.rancang_bangun_words,
                "indicators": rows(innovation.rows),
            }
            for innovation in region.innovations
        ],
    }


def result_to_dict(result: Result) -> dict[str, Any]:
    """The output object of the scenario format, keys in its order; figures as 2-decimal floats."""
    return {
        "catalog": result.catalogue,
        "spd_score": float(result.spd_score),
        "innovations": [
            {
                "ref": innovation.ref,
                "eligible": innovation.eligible,
                "ineligible_reasons": list(innovation.ineligible_reasons),
                "kematangan": float(innovation.kematangan),
                "missing_mandatory": list(innovation.missing_mandatory),
            }
            for innovation in result.innovations
        ],
        "n_eligible": result.n_eligible,
        "sid_divisor": result.sid_divisor,
        "sid_average": float(result.sid_average),
        "yandas_covered": result.yandas_covered,
        "count_score": float(result.count_score),
        "total": float(result.total),
        "iid": float(result.iid),
        "category": result.category,
        "empty_seats": result.empty_seats,
    }


def _innovation(
    item: object, number: int, groups: Mapping[str, str], urusan_codes: frozenset[str] | None
) -> InnovationInput:
    if not isinstance(item, dict):
        raise ScenarioError(f"innovation #{number} must be an object")
    ref = item.get("ref")
    if not isinstance(ref, str) or not ref:
        raise ScenarioError(f"innovation #{number}: ref must be a non-empty string, got {ref!r}")
    owner = f"innovation {ref!r}"
    _check_keys(item, _INNOVATION_REQUIRED, _INNOVATION_OPTIONAL, owner)
    tahapan = item["tahapan"]
    if tahapan not in TAHAPAN:
        raise ScenarioError(f"{owner}: tahapan {tahapan!r} is not one of {', '.join(TAHAPAN)}")
    words = item["rancang_bangun_words"]
    if not _is_int(words) or words < 0:
        raise ScenarioError(
            f"{owner}: rancang_bangun_words must be a whole number of at least 0, got {words!r}"
        )
    urusan_utama = item.get("urusan_utama")
    if urusan_utama is not None:
        _check_urusan(urusan_utama, "urusan_utama", owner, urusan_codes)
    urusan_lain = item.get("urusan_lain", [])
    if not isinstance(urusan_lain, list):
        raise ScenarioError(f"{owner}: urusan_lain must be a list")
    for urusan in urusan_lain:
        _check_urusan(urusan, "urusan_lain", owner, urusan_codes)
    return InnovationInput(
        ref=ref,
        tahapan=tahapan,
        penerapan=_optional_date(item.get("penerapan"), "penerapan", owner),
        pengembangan=_optional_date(item.get("pengembangan"), "pengembangan", owner),
        urusan_utama=urusan_utama,
        rancang_bangun_words=words,
        rows=_rows(item["indicators"], groups, SID, owner=owner, field=f"{owner}: indicators"),
    )


def _rows(rows: object, groups: Mapping[str, str], group: str, *, owner: str, field: str) -> tuple[Row, ...]:
    """The rows of one indicator object (code → row) whose codes must all belong to ``group``."""
    if not isinstance(rows, dict):
        raise ScenarioError(f"{field} must be an object")
    parsed = []
    for code, row in rows.items():
        actual = groups.get(code)
        if actual is None:
            raise ScenarioError(f"unknown indicator code {code!r} in {owner}")
        if actual != group:
            raise ScenarioError(f"indicator {code!r} in {owner} is an {actual.upper()} indicator")
        parsed.append(_row(code, row, group, owner))
    return tuple(parsed)


def _row(code: str, row: object, group: str, owner: str) -> Row:
    # SPD codes are unique in a region, so their messages need not say where the row is.
    where = code if group == SPD else f"{code} in {owner}"
    if not isinstance(row, dict):
        raise ScenarioError(f"{where} must be an object with level and evidence")
    _check_keys(row, _ROW_REQUIRED, _ROW_OPTIONAL, where)
    level = row["level"]
    if not _is_int(level):
        raise ScenarioError(f"level of {where} must be a whole number 0-{MAX_LEVEL}, got {level!r}")
    if not 0 <= level <= MAX_LEVEL:
        raise ScenarioError(f"level {level} of {where} is outside 0-{MAX_LEVEL}")
    evidence = row["evidence"]
    if not isinstance(evidence, bool):
        raise ScenarioError(f"evidence of {where} must be true or false, got {evidence!r}")
    basis = row.get("basis")
    if code != BASIS_INDICATOR:
        if "basis" in row:
            raise ScenarioError(f"{where}: only {BASIS_INDICATOR} takes a basis")
    elif basis is None:
        if level > 0:
            raise ScenarioError(f"{where}: a level above 0 needs a basis (one of a-f)")
    elif basis not in BASES:
        raise ScenarioError(f"{where}: basis {basis!r} is not one of a-f")
    return Row(code=code, level=level, counts=evidence, basis=basis)


def _check_keys(data: object, required: set[str], optional: set[str], where: str) -> None:
    if not isinstance(data, Mapping):
        raise ScenarioError(f"{where} must be an object")
    missing = sorted(required - data.keys())
    if missing:
        raise ScenarioError(f"{where}: missing key {missing[0]!r}")
    unknown = sorted(data.keys() - required - optional)
    if unknown:
        raise ScenarioError(f"{where}: unknown key {unknown[0]!r}")


def _check_urusan(urusan: object, field: str, owner: str, urusan_codes: frozenset[str] | None) -> None:
    if not isinstance(urusan, str):
        raise ScenarioError(f"{owner}: {field} must be urusan codes (strings), got {urusan!r}")
    if urusan_codes is not None and urusan not in urusan_codes:
        raise ScenarioError(f"{owner}: unknown urusan {urusan!r} in {field}")


def _optional_date(value: object, field: str, owner: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ScenarioError(f"{owner}: {field} {value!r} is not a date (YYYY-MM-DD)")


def _is_int(value: object) -> bool:
    # JSON true/false arrive as bool, a subclass of int; a level of true is a mistake, not 1.
    return isinstance(value, int) and not isinstance(value, bool)
