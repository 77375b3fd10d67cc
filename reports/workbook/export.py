"""Reading a cycle into the workbook format (reads only): the template's lists, and the export's rows.

The export holds each innovation's profile and state, every indicator row with its claimed level, basis,
note and evidence, its verdict and the level accepted, the claimed and verified scores, the eligibility
and its reasons, and the SPD rows. The figures are the engine's, run here on the very data the rows hold
(``scoring.selectors.inputs.cycle_inputs``), so that what the workbook says of an innovation is what its
rows give. The evidence files get paths of their own in the ZIP of evidence, which the rows name: imported
again with that ZIP, the workbook brings every file back. Queries: a fixed handful, whatever the size.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

from innovasi.accounts.models import Opd
from innovasi.standards.enums import IndicatorGroup
from innovasi.standards.models import Cycle, Indicator, Option, Urusan
from scoring import engine
from scoring.enums import Verdict
from scoring.models import SpdEntry, SpdEvidence
from scoring.selectors.inputs import cycle_inputs
from submissions.models import Claim, Evidence, Innovation

from . import format as fmt
from .plan import richtext_plain


@dataclass(frozen=True)
class ArchivedFile:
    """A stored file and the path it has in the ZIP of evidence."""

    path: str
    file: Any
    kind: str


@dataclass
class WorkbookData:
    """What a workbook holds: the cycle, whose it is (the whole region or one OPD), the drop-down lists and,
    for an export, the rows and the files of the ZIP."""

    cycle: Cycle
    opds: list[Opd]
    indicators: list[Indicator]
    urusan: list[Urusan]
    scope: str
    filled: bool = False
    innovations: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    spd: list[dict[str, Any]] = field(default_factory=list)
    files: list[ArchivedFile] = field(default_factory=list)
    generated_at: datetime.datetime = field(default_factory=timezone.now)


def template_data(*, cycle: Cycle, opd: Opd | None = None) -> WorkbookData:
    """The empty workbook of ``cycle``: its lists for the whole region, or for one OPD (an operator's)."""
    opds = [opd] if opd is not None else list(Opd.objects.filter(region_id=cycle.region_id, is_active=True))
    return WorkbookData(
        cycle=cycle,
        opds=opds,
        indicators=_indicators(cycle),
        urusan=list(Urusan.objects.order_by("position")),
        scope=opd.name if opd is not None else _("Seluruh OPD %(region)s") % {"region": cycle.region.name},
    )


def _indicators(cycle: Cycle) -> list[Indicator]:
    return list(
        cycle.catalogue.indicators.order_by("position").prefetch_related(
            Prefetch("options", queryset=Option.objects.order_by("basis", "level"))
        )
    )


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _reasons(result: engine.InnovationResult | None, innovation: Innovation, rules: engine.Rules) -> str:
    if result is None or result.eligible:
        return ""
    texts = {
        engine.REASON_TAHAPAN: _("tahapan bukan %(tahapan)s")
        % {"tahapan": ", ".join(sorted(rules.eligible_tahapan)).replace("_", " ")},
        engine.REASON_WINDOW: _("waktu penerapan atau pengembangan di luar %(start)s – %(end)s")
        % {"start": date_format(rules.window_start, "j F Y"), "end": date_format(rules.window_end, "j F Y")},
        engine.REASON_RANCANG_BANGUN: _("rancang bangun %(words)d kata, kurang dari %(minimum)d")
        % {"words": innovation.rancang_bangun_words, "minimum": rules.min_words},
    }
    return "; ".join(texts.get(reason, reason) for reason in result.ineligible_reasons)


def _results(
    cycle: Cycle,
) -> tuple[
    engine.Rules,
    dict[str, engine.InnovationResult],
    dict[str, engine.InnovationResult],
    engine.Result,
    engine.Result,
]:
    """The engine on the cycle's data: (rules, claimed results by ref — drafts' included —, verified
    results by ref, the claimed region's result, the verified region's)."""
    data = cycle_inputs(cycle)
    claimed = engine.compute(data.rules, data.claimed)
    verified = engine.compute(data.rules, data.verified)
    drafts = engine.compute(data.rules, data.drafts)
    by_ref = {item.ref: item for item in (*claimed.innovations, *drafts.innovations)}
    return data.rules, by_ref, {item.ref: item for item in verified.innovations}, claimed, verified


def _unique(path: str, taken: set[str]) -> str:
    """``path``, or the same name one folder deeper (``…/2/name``) when another file has it already."""
    if path not in taken:
        taken.add(path)
        return path
    folder, _slash, name = path.rpartition("/")
    number = 2
    while f"{folder}/{number}/{name}" in taken:
        number += 1
    taken.add(f"{folder}/{number}/{name}")
    return f"{folder}/{number}/{name}"


def export_data(*, cycle: Cycle, innovations: QuerySet[Innovation], spd: bool = True) -> WorkbookData:
    """The cycle's data in the format: the ``innovations`` given (those the requester may see) with their
    rows and files, and (``spd``) the region's SPD rows. Labels are Indonesian, as the format is."""
    with translation.override("id"):
        return _export(cycle, innovations, spd)


def _export(cycle: Cycle, queryset: QuerySet[Innovation], spd: bool) -> WorkbookData:
    data = template_data(cycle=cycle)
    data.filled = True
    data.opds = list(Opd.objects.filter(region_id=cycle.region_id))
    data.scope = _("Data siklus %(cycle)s") % {"cycle": cycle.name}
    rules, claimed, verified, claimed_region, verified_region = _results(cycle)
    innovations = list(
        queryset.filter(cycle=cycle)
        .select_related("opd", "urusan_utama")
        .prefetch_related("urusan_lain", "documents")
        .order_by("opd__short_name", "opd__name", "name", "pk")
    )
    states = dict(fmt.labels_id(fmt.CHOICES["state"]))
    choice_labels = {key: dict(fmt.labels_id(choices)) for key, choices in fmt.CHOICES.items()}
    taken: set[str] = set()
    folders: dict[int, str] = {}
    for number, innovation in enumerate(innovations, start=1):
        folder = f"bukti/{number:03d}-{slugify(innovation.key)[:40] or 'inovasi'}"
        folders[innovation.pk] = folder
        result, checked = claimed.get(str(innovation.pk)), verified.get(str(innovation.pk))
        row: dict[str, Any] = {
            "key": innovation.key,
            "name": innovation.name,
            "opd": innovation.opd.short_name or innovation.opd.name,
            "state": states.get(innovation.state, innovation.state),
            "inisiator_name": innovation.inisiator_name,
            "urusan_utama": innovation.urusan_utama.name if innovation.urusan_utama else "",
            "urusan_lain": fmt.join_entries(urusan.name for urusan in innovation.urusan_lain.all()),
            "waktu_uji_coba": innovation.waktu_uji_coba,
            "waktu_penerapan": innovation.waktu_penerapan,
            "waktu_pengembangan": innovation.waktu_pengembangan,
            "video_url": innovation.video_url,
            "opd_name": innovation.opd.name,
            "words": innovation.rancang_bangun_words,
            "kematangan_claimed": _number(result.kematangan if result else None),
            "kematangan_verified": _number(checked.kematangan) if checked else None,
            "eligible": (_("Ya") if result.eligible else _("Tidak")) if result else "",
            "ineligible_reasons": _reasons(result, innovation, rules),
            "submitted_at": timezone.localtime(innovation.submitted_at).date()
            if innovation.submitted_at
            else None,
        }
        for key in ("tahapan", "inisiator", "jenis", "bentuk", "tematik"):
            value = getattr(innovation, key)
            row[key] = choice_labels[key].get(value, value)
        for key in ("rancang_bangun", "tujuan", "manfaat", "hasil"):
            row[key] = richtext_plain(getattr(innovation, key))
        for document in innovation.documents.all():
            path = _unique(f"{folder}/dokumen-{document.kind}/{document.original_name}", taken)
            row[f"document_{document.kind}"] = path
            data.files.append(ArchivedFile(path, document.file, "pdf"))
        data.innovations.append(row)
    _claims(data, innovations, folders, claimed, verified, taken)
    if spd:
        _spd(data, cycle, claimed_region, verified_region, taken)
    return data


def _claims(data, innovations, folders, claimed, verified, taken) -> None:
    by_pk = {innovation.pk: innovation for innovation in innovations}
    evidence: dict[int, list[Evidence]] = defaultdict(list)
    for item in Evidence.objects.filter(claim__innovation__in=innovations).order_by("uploaded_at", "pk"):
        evidence[item.claim_id].append(item)
    claims = (
        Claim.objects.filter(innovation__in=innovations)
        .select_related("indicator", "verification")
        .order_by("innovation_id", "indicator__position")
    )
    verdicts = dict(fmt.labels_id(Verdict))
    order = {pk: position for position, pk in enumerate(by_pk)}
    rows = []
    for claim in claims:
        innovation = by_pk[claim.innovation_id]
        ref = str(innovation.pk)
        code = claim.indicator.code
        entries = []
        for item in evidence.get(claim.pk, []):
            if item.link:
                entries.append(item.link)
                continue
            path = _unique(f"{folders[innovation.pk]}/{code}/{item.original_name}", taken)
            entries.append(path)
            data.files.append(ArchivedFile(path, item.file, item.kind))
        verification = getattr(claim, "verification", None)
        verdict = verification.verdict if verification is not None else Verdict.PENDING
        judged, accepted = verdict != Verdict.PENDING, verdict == Verdict.SESUAI
        accepted_level = verification.level if verification is not None and accepted else 0
        result, checked = claimed.get(ref), verified.get(ref)
        rows.append(
            (
                order[innovation.pk],
                claim.indicator.position,
                {
                    "key": innovation.key,
                    "innovation_name": innovation.name,
                    "indicator": code,
                    "indicator_name": claim.indicator.name_id,
                    "level": claim.level,
                    "basis": claim.indicator.basis_display(claim.basis) if claim.basis else "",
                    "note": claim.note,
                    "evidence": fmt.join_entries(entries),
                    "score": _number(dict(result.row_scores).get(code)) if result else None,
                    "verdict": verdicts.get(verification.verdict, "") if verification else "",
                    "verified_level": accepted_level if judged else None,
                    "verdict_reason": verification.reason if verification else "",
                    "verified_score": _number(dict(checked.row_scores).get(code)) if checked else None,
                },
            )
        )
    data.claims = [row for _order, _position, row in sorted(rows, key=lambda item: item[:2])]


def _spd(data, cycle, claimed_region, verified_region, taken) -> None:
    claimed = dict(claimed_region.spd_row_scores)
    verified = dict(verified_region.spd_row_scores)
    entries = (
        SpdEntry.objects.filter(cycle=cycle, indicator__group=IndicatorGroup.SPD)
        .select_related("indicator")
        .prefetch_related(Prefetch("evidence", queryset=SpdEvidence.objects.order_by("uploaded_at", "pk")))
        .order_by("indicator__position")
    )
    for entry in entries:
        code = entry.indicator.code
        paths = []
        for item in entry.evidence.all():
            path = _unique(f"spd/{code}/{item.original_name}", taken)
            paths.append(path)
            data.files.append(ArchivedFile(path, item.file, item.kind))
        data.spd.append(
            {
                "indicator": code,
                "indicator_name": entry.indicator.name_id,
                "level": entry.level,
                "note": entry.note,
                "evidence": fmt.join_entries(paths),
                "score": _number(claimed.get(code)),
                "accepted": _("Ya") if entry.accepted_by_id else _("Tidak"),
                "verified_score": _number(verified.get(code)),
            }
        )
