"""The arithmetic of jury awards, pure (no Django): weighted totals, per-juror normalisation, aggregation,
disagreement and ranking with the tie-break. ``docs/awards.md`` explains it with worked tables that
``tests/scoring/test_awards.py`` checks.

Invariants: inputs are never mutated; figures are exact ``Decimal``/``Fraction`` until the end and
rounded once, half up, to two decimals; the same input always gives the same ranking.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TypeVar

MEAN = "mean"
MEDIAN = "median"
TRIMMED_MEAN = "trimmed_mean"

WINNER = "winner"
HONOURABLE = "honourable"
NONE = "none"

# Tie-breaks on the rounded value, each a sort key on (nominee, the jurors' spread); the first is the default.
TIE_BREAKS = {
    "kematangan": lambda nominee, spread: (-nominee.kematangan_verified, nominee.submitted_at),
    "pengajuan": lambda nominee, spread: (nominee.submitted_at, -nominee.kematangan_verified),
    "kesepakatan": lambda nominee, spread: (spread, -nominee.kematangan_verified, nominee.submitted_at),
}

CENT = Decimal("0.01")

# A criterion as the caller names it: by name (docs/awards.md, the tests) or by id (the portal).
CriterionKey = TypeVar("CriterionKey", str, int)


def _round(value: Fraction | Decimal) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def weighted_total(scores: Mapping[CriterionKey, int], weights: Mapping[CriterionKey, int]) -> Fraction:
    """A juror's total for one nominee: Σ score × weight / 100 over the criteria (weights sum to 100)."""
    if sum(weights.values()) != 100:
        raise ValueError(f"criterion weights add up to {sum(weights.values())}, not 100")
    missing = set(weights) - set(scores)
    if missing:
        raise ValueError(f"no score for criterion {sorted(missing)[0]!r}")
    return sum((Fraction(scores[name]) * weight for name, weight in weights.items()), Fraction(0)) / 100


def normalise(
    totals: Mapping[str, Mapping[str, Fraction]], scale: tuple[int, int]
) -> dict[str, dict[str, Fraction]]:
    """Per-juror z-scores, rescaled onto the pooled mean and spread of all totals and clipped to the scale.

    ``totals`` maps juror → nominee → raw total. A juror who scores everyone low (or high) keeps their
    order of preference but loses their offset: their z-scores are what counts. A juror with one nominee
    or with every total equal has no spread: their nominees get the pooled mean.
    """
    pooled = [value for by_nominee in totals.values() for value in by_nominee.values()]
    if not pooled:
        return {}
    centre = sum(pooled, Fraction(0)) / len(pooled)
    spread = _pstdev(pooled, centre)
    low, high = Fraction(scale[0]), Fraction(scale[1])
    result = {}
    for juror, by_nominee in totals.items():
        values = list(by_nominee.values())
        mean = sum(values, Fraction(0)) / len(values)
        deviation = _pstdev(values, mean)
        result[juror] = {
            nominee: min(high, max(low, centre + ((value - mean) / deviation * spread if deviation else 0)))
            for nominee, value in by_nominee.items()
        }
    return result


def _pstdev(values: Sequence[Fraction], mean: Fraction) -> Fraction:
    """The population standard deviation, exact up to the square root (taken as a Decimal)."""
    variance = sum(((value - mean) ** 2 for value in values), Fraction(0)) / len(values)
    root = (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()
    return Fraction(root)


def aggregate(values: Sequence[Fraction], method: str) -> Fraction:
    """The jury's value for a nominee from its jurors' values: mean, median, or the mean without the one
    highest and one lowest value (plain mean when fewer than three values)."""
    if not values:
        raise ValueError("no values to aggregate")
    ordered = sorted(values)
    if method == MEAN:
        return sum(ordered, Fraction(0)) / len(ordered)
    if method == MEDIAN:
        middle = len(ordered) // 2
        return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    if method == TRIMMED_MEAN:
        kept = ordered[1:-1] if len(ordered) >= 3 else ordered
        return sum(kept, Fraction(0)) / len(kept)
    raise ValueError(f"unknown aggregation {method!r}")


@dataclass(frozen=True, slots=True)
class Nominee:
    """A nominee as the ranking needs it: the tie-break keys come with it."""

    ref: str
    kematangan_verified: Decimal
    submitted_at: datetime


@dataclass(frozen=True, slots=True)
class Ranked:
    ref: str
    aggregate: Decimal
    rank: int
    place: str
    jurors: int
    spread: Decimal
    disagreement: bool
    raw: Mapping[str, Decimal]
    normalised: Mapping[str, Decimal] | None

    @property
    def is_winner(self) -> bool:
        return self.place == WINNER

    @property
    def is_honourable(self) -> bool:
        return self.place == HONOURABLE


def rank_category(
    *,
    nominees: Sequence[Nominee],
    totals: Mapping[str, Mapping[str, Fraction]],
    method: str,
    normalise_scores: bool,
    scale: tuple[int, int],
    winners: int,
    honourable: int,
    disagreement_threshold: Decimal,
    tie_break: str = "kematangan",
) -> list[Ranked]:
    """Rank one category's nominees from each juror's totals (juror → nominee → raw total).

    A nominee's value is the aggregate of its jurors' (normalised, if asked) totals, rounded to 0.01.
    Ties on that rounded value follow ``tie_break`` (``TIE_BREAKS``): by default the higher verified
    kematangan, then the earlier submission; or the earlier submission first; or the smaller spread
    between the jurors (the more agreed value) first. Places: the first ``winners`` are winners, the next ``honourable`` honourable mentions. Nominees no
    juror scored come last, unplaced.
    """
    used = normalise(totals, scale) if normalise_scores else totals
    rows = []
    for nominee in nominees:
        raw = {
            juror: by_nominee[nominee.ref]
            for juror, by_nominee in totals.items()
            if nominee.ref in by_nominee
        }
        values = [used[juror][nominee.ref] for juror in raw]
        value = _round(aggregate(values, method)) if values else None
        spread = _round(_pstdev(values, sum(values, Fraction(0)) / len(values))) if values else Decimal(0)
        rows.append((nominee, value, raw, {juror: used[juror][nominee.ref] for juror in raw}, spread))
    ordered = sorted(
        rows,
        key=lambda row: (row[1] is None, -(row[1] or 0), *TIE_BREAKS[tie_break](row[0], row[4]), row[0].ref),
    )
    ranked = []
    for position, (nominee, value, raw, used_values, spread) in enumerate(ordered, start=1):
        place = NONE
        if value is not None and position <= winners:
            place = WINNER
        elif value is not None and position <= winners + honourable:
            place = HONOURABLE
        ranked.append(
            Ranked(
                ref=nominee.ref,
                aggregate=value if value is not None else Decimal(0),
                rank=position,
                place=place,
                jurors=len(raw),
                spread=spread,
                disagreement=spread > disagreement_threshold,
                raw={juror: _round(total) for juror, total in raw.items()},
                normalised={juror: _round(total) for juror, total in used_values.items()}
                if normalise_scores
                else None,
            )
        )
    return ranked
