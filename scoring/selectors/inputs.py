"""Database rows into the engine's inputs: the one place where a claim becomes an engine Row.

Everything that computes a figure reads its inputs here: the recompute of a cycle's snapshots
(``cycle_inputs``), the live panel of one innovation (``innovation_as_claimed``), and the catalogue's rule
parameters that the dashboard and the documents show (``catalogue_rules``: the bands, the minimum words).

A claimed row counts when it has a level and evidence; a verified row counts, at the level the verifier
accepted, only when its verdict is ``sesuai``. An SPD row counts in the claimed index with a level and
evidence, and in the verified index once someone other than its author has accepted it.
"""

import uuid
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from innovasi.standards.enums import IndicatorGroup, UrusanGroup
from innovasi.standards.models import Catalogue, Urusan
from innovasi.standards.services import catalogue_parse, shipped_catalogue_files, urusan_parse
from submissions.enums import InnovationState
from submissions.models import Claim, Evidence, Innovation

from .. import engine
from ..enums import Verdict
from ..models import SpdEntry, SpdEvidence

# Rules already read, by catalogue revision: a catalogue gets a new one with every change of it
# (innovasi.standards.services.catalogue_changed), so a revision once read stays true. A few per process.
_RULES: dict[uuid.UUID, engine.Rules] = {}


def catalogue_rules(catalogue: Catalogue) -> engine.Rules:
    """The engine's Rules for a catalogue: its indicators in order, its rules, the yandas affairs (2 queries
    the first time a process meets this revision of the catalogue, none afterwards)."""
    key = catalogue.revision
    if key not in _RULES:
        indicators = catalogue.indicators.order_by("position").values("code", "group", "weight", "mandatory")
        yandas = Urusan.objects.filter(group=UrusanGroup.WAJIB_YANDAS).values_list("code", flat=True)
        _RULES[key] = engine.Rules.from_catalogue(
            code=catalogue.code, rules=catalogue.rules, indicators=indicators, yandas=yandas
        )
    return _RULES[key]


def shipped_catalogue_rules(code):
    """The engine's Rules for catalogue ``code`` and the known urusan codes, read from the shipped files
    (``innovasi/standards/data``) without the database; None when no shipped file holds that catalogue."""
    path = shipped_catalogue_files().get(code)
    if path is None:
        return None
    code, fields, indicators = catalogue_parse(path)
    urusan = urusan_parse()
    rules = engine.Rules.from_catalogue(
        code=code,
        rules=fields["rules"],
        indicators=[{"code": indicator_code, **values} for indicator_code, values, _options in indicators],
        yandas=[entry["code"] for entry in urusan if entry["group"] == UrusanGroup.WAJIB_YANDAS],
    )
    return rules, frozenset(entry["code"] for entry in urusan)


def claimed_row(code: str, level: int, basis: str, has_evidence: bool) -> engine.Row:
    return engine.Row(code, level, bool(level and has_evidence), basis or None)


def verified_row(code: str, basis: str, verdict: str | None, accepted_level: int | None) -> engine.Row:
    accepted = verdict == Verdict.SESUAI
    return engine.Row(code, accepted_level if accepted and accepted_level else 0, accepted, basis or None)


def spd_entry_rows(
    code: str, level: int, has_evidence: bool, accepted: bool
) -> tuple[engine.Row, engine.Row]:
    """The (claimed, verified) engine rows of one SPD entry."""
    counts = bool(level and has_evidence)
    verified = counts and accepted
    return engine.Row(code, level, counts), engine.Row(code, level if verified else 0, verified)


def _innovation(values: dict, rows) -> engine.InnovationInput:
    return engine.InnovationInput(
        ref=str(values["pk"]),
        tahapan=values["tahapan"],
        penerapan=values["waktu_penerapan"],
        pengembangan=values["waktu_pengembangan"],
        urusan_utama=values["urusan_utama__code"],
        rancang_bangun_words=values["rancang_bangun_words"],
        rows=tuple(rows),
        group=str(values["opd_id"]),
    )


def innovation_inputs(innovation: Innovation) -> tuple[engine.InnovationInput, engine.InnovationInput]:
    """One innovation as its OPD claims it and as verified so far (1 query: its rows with their verdicts):
    the live panel, the verifier's running figures."""
    values = {
        "pk": innovation.pk,
        "tahapan": innovation.tahapan,
        "waktu_penerapan": innovation.waktu_penerapan,
        "waktu_pengembangan": innovation.waktu_pengembangan,
        "urusan_utama__code": innovation.urusan_utama.code if innovation.urusan_utama is not None else None,
        "rancang_bangun_words": innovation.rancang_bangun_words,
        "opd_id": innovation.opd_id,
    }
    rows = list(
        Claim.objects.filter(innovation=innovation)
        .annotate(has_evidence=Exists(Evidence.objects.filter(claim=OuterRef("pk"))))
        .order_by("indicator__position")
        .values_list(
            "indicator__code",
            "level",
            "basis",
            "has_evidence",
            "verification__verdict",
            "verification__level",
        )
    )
    claimed = (claimed_row(code, level, basis, evidence) for code, level, basis, evidence, _v, _l in rows)
    verified = (
        verified_row(code, basis, verdict, accepted) for code, _l, basis, _e, verdict, accepted in rows
    )
    return _innovation(values, claimed), _innovation(values, verified)


def innovation_as_claimed(innovation: Innovation) -> engine.InnovationInput:
    """One innovation as its OPD claims it, for the live panel (1 query: its rows)."""
    return innovation_inputs(innovation)[0]


def indicator_names(catalogue: Catalogue, codes) -> dict[str, str]:
    """{code: name in the page's language} of some indicators of a catalogue (no query for none)."""
    if not codes:
        return {}
    return {indicator.code: indicator.name for indicator in catalogue.indicators.filter(code__in=codes)}


@dataclass(frozen=True)
class CycleInputs:
    """Everything the engine needs for a cycle: the claimed and verified regions, and the drafts (scored
    apart, for their own kematangan only)."""

    rules: engine.Rules
    claimed: engine.RegionInput
    verified: engine.RegionInput
    drafts: engine.RegionInput


INNOVATION_VALUES = (
    "pk",
    "opd_id",
    "state",
    "tahapan",
    "waktu_penerapan",
    "waktu_pengembangan",
    "urusan_utama__code",
    "rancang_bangun_words",
)


def cycle_inputs(cycle) -> CycleInputs:
    """Read a cycle's data in a fixed number of queries whatever its size (the rules, the innovations, the
    claims, the SPD rows).

    Claimed: every innovation past draft. Verified: the innovations past draft with at least one accepted
    row.
    """
    rules = catalogue_rules(cycle.catalogue)
    innovations = list(Innovation.objects.filter(cycle=cycle).order_by("pk").values(*INNOVATION_VALUES))
    claimed_rows: dict[int, list[engine.Row]] = {}
    verified_rows: dict[int, list[engine.Row]] = {}
    claims = (
        Claim.objects.filter(innovation__cycle=cycle)
        .annotate(has_evidence=Exists(Evidence.objects.filter(claim=OuterRef("pk"))))
        .order_by("innovation_id", "indicator__position")
        .values_list(
            "innovation_id",
            "indicator__code",
            "level",
            "basis",
            "has_evidence",
            "verification__verdict",
            "verification__level",
        )
    )
    for innovation_id, code, level, basis, has_evidence, verdict, accepted_level in claims.iterator(
        chunk_size=5000
    ):
        claimed_rows.setdefault(innovation_id, []).append(claimed_row(code, level, basis, has_evidence))
        verified_rows.setdefault(innovation_id, []).append(verified_row(code, basis, verdict, accepted_level))
    claimed, verified, drafts = [], [], []
    for values in innovations:
        pk = values["pk"]
        if values["state"] == InnovationState.DRAFT:
            drafts.append(_innovation(values, claimed_rows.get(pk, ())))
            continue
        claimed.append(_innovation(values, claimed_rows.get(pk, ())))
        if any(row.counts for row in verified_rows.get(pk, ())):
            verified.append(_innovation(values, verified_rows[pk]))
    spd_claimed, spd_verified = [], []
    entries = (
        SpdEntry.objects.filter(cycle=cycle, indicator__group=IndicatorGroup.SPD)
        .annotate(has_evidence=Exists(SpdEvidence.objects.filter(entry=OuterRef("pk"))))
        .order_by("indicator__position")
        .values_list("indicator__code", "level", "has_evidence", "accepted_by")
    )
    for code, level, has_evidence, accepted_by in entries:
        claimed_spd, verified_spd = spd_entry_rows(code, level, has_evidence, accepted_by is not None)
        spd_claimed.append(claimed_spd)
        spd_verified.append(verified_spd)
    return CycleInputs(
        rules=rules,
        claimed=engine.RegionInput(spd=tuple(spd_claimed), innovations=tuple(claimed)),
        verified=engine.RegionInput(spd=tuple(spd_verified), innovations=tuple(verified)),
        drafts=engine.RegionInput(spd=(), innovations=tuple(drafts)),
    )
