"""The arithmetic of the Indeks Inovasi Daerah (IID): frozen dataclasses in, frozen dataclasses out.

This module imports nothing but the standard library, so the portal, the ``iid_simulate`` command, the
tests and the benchmarks all run the very same code. ``docs/scoring.md`` explains the formula and the
Portal rules with worked tables that ``tests/scoring/test_engine.py`` checks.

Invariants of every function here:

* Nothing is rounded before the end. Row scores are exact (weight × level), sums are kept as integers
  in units of the catalogue's finest weight step, and every division is an exact ``Fraction``.
* Every reported figure is a ``Decimal`` rounded once, to 0.01, half up (:func:`_round`).
* The category is chosen from the rounded IID.
* Inputs are never mutated; the same input always gives the same output.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from operator import getitem, mul
from typing import Any

from innovasi.standards.scoring import row_score

ENGINE_VERSION = "2"

MAX_LEVEL = 3

SPD = "spd"
SID = "sid"
_GROUP_NAMES = {"pemda": SPD, "inovasi": SID, SPD: SPD, SID: SID}

REASON_TAHAPAN = "tahapan"
REASON_WINDOW = "window"
REASON_RANCANG_BANGUN = "rancang_bangun"

COVER_YANDAS = "cover_yandas"
FILL_SEAT = "fill_seat"
MAKE_ELIGIBLE = "make_eligible"
FIX_MANDATORY = "fix_mandatory"
RAISE_ROW = "raise_row"
ACTION_KINDS = (COVER_YANDAS, FILL_SEAT, MAKE_ELIGIBLE, FIX_MANDATORY, RAISE_ROW)
_KIND_RANK = {kind: rank for rank, kind in enumerate(ACTION_KINDS)}
# An innovation held back only by these can be fixed by its OPD; a wrong tahapan cannot.
_FIXABLE_REASONS = frozenset({REASON_WINDOW, REASON_RANCANG_BANGUN})


@dataclass(frozen=True, slots=True)
class Band:
    """A category: an IID whose rounded value is at least ``min`` belongs here (first match wins)."""

    name: str
    min: Decimal


@dataclass(frozen=True, slots=True)
class IndicatorRule:
    """One indicator row of a catalogue; ``group`` is ``"spd"`` or ``"sid"``, ``weight`` > 0."""

    code: str
    group: str
    weight: Decimal
    mandatory: bool


@dataclass(frozen=True, slots=True)
class Rules:
    """The indicators and the rule parameters of one assessment year's catalogue.

    ``indicators`` are in catalogue order; ``bands`` go from the highest minimum to the lowest and the
    last one is the category of an IID that rounds to 0.00. The window is inclusive at both ends.
    """

    catalogue: str
    indicators: tuple[IndicatorRule, ...]
    sid_divisor_floor: int
    count_per_innovation: Decimal
    count_cap: int
    yandas_required: int
    total_max: Decimal
    bands: tuple[Band, ...]
    eligible_tahapan: frozenset[str]
    window_start: date
    window_end: date
    min_words: int
    yandas: frozenset[str]

    def __post_init__(self) -> None:
        codes = [indicator.code for indicator in self.indicators]
        if len(set(codes)) != len(codes):
            raise ValueError(f"catalogue {self.catalogue!r} lists an indicator code twice")
        for indicator in self.indicators:
            if indicator.group not in (SPD, SID):
                raise ValueError(f"indicator {indicator.code!r}: group must be 'spd' or 'sid'")
            if not indicator.weight > 0:
                raise ValueError(f"indicator {indicator.code!r}: weight must be positive")
        if self.sid_divisor_floor < 1:
            raise ValueError("sid_divisor_floor must be at least 1")
        if not self.total_max > 0:
            raise ValueError("total_max must be positive")
        minimums = [band.min for band in self.bands]
        if not minimums or minimums != sorted(minimums, reverse=True):
            raise ValueError("bands must be a non-empty list from the highest minimum to the lowest")
        if self.window_end < self.window_start:
            raise ValueError("the eligibility window ends before it starts")

    @property
    def sid_maximum(self) -> Decimal:
        """The most kematangan an innovation can reach: every SID row at the top level."""
        return sum(
            (row_score(i.weight, MAX_LEVEL, True) for i in self.indicators if i.group == SID), Decimal(0)
        )

    @classmethod
    def from_catalogue(
        cls,
        *,
        code: str,
        rules: Mapping[str, Any],
        indicators: Iterable[Mapping[str, Any]],
        yandas: Iterable[str],
    ) -> Rules:
        """Build Rules from a catalogue's ``rules:`` block and indicator list, as in the YAML files.

        The Django side stores the same ``rules`` dict as JSON, so numbers may be ints, floats (read
        through ``str`` so that 0.38 stays 0.38), strings or Decimals, and dates ISO strings or dates.
        Groups may be named as in the files (``pemda``, ``inovasi``) or as in the engine (``spd``,
        ``sid``). ``yandas`` are the codes of the basic-service affairs.
        """
        count = rules["count_score"]
        eligibility = rules["eligibility"]
        start, end = eligibility["penerapan_or_development_between"]
        bands = (Band(name=band["name"], min=_decimal(band["min"])) for band in rules["bands"])
        return cls(
            catalogue=code,
            indicators=tuple(
                IndicatorRule(
                    code=indicator["code"],
                    group=_group(indicator["group"]),
                    weight=_decimal(indicator["weight"]),
                    mandatory=bool(indicator["mandatory"]),
                )
                for indicator in indicators
            ),
            sid_divisor_floor=int(rules["sid_divisor_floor"]),
            count_per_innovation=_decimal(count["per_innovation"]),
            count_cap=int(count["cap_innovations"]),
            yandas_required=int(count["yandas_required"]),
            total_max=_decimal(rules["total_max"]),
            bands=tuple(sorted(bands, key=lambda band: band.min, reverse=True)),
            eligible_tahapan=frozenset(eligibility["tahapan"]),
            window_start=_date(start),
            window_end=_date(end),
            min_words=int(eligibility["rancang_bangun_min_words"]),
            yandas=frozenset(yandas),
        )


@dataclass(frozen=True, slots=True)
class Row:
    """One indicator row as filled: ``counts`` says its evidence is present (claimed) or accepted
    (verified). It scores weight × level when it counts and its level is above 0, else 0.

    ``level`` is always an int from 0 to 3: checked here, once, so that scoring need not.
    """

    code: str
    level: int
    counts: bool
    basis: str | None = None

    def __post_init__(self) -> None:
        # type() rather than isinstance(): True is an int, but a level of True is a mistake.
        if type(self.level) is not int:
            raise ValueError(f"level of {self.code} must be a whole number 0-{MAX_LEVEL}, got {self.level!r}")
        if not 0 <= self.level <= MAX_LEVEL:
            raise ValueError(f"level {self.level} of {self.code} is outside 0-{MAX_LEVEL}")


@dataclass(frozen=True, slots=True)
class InnovationInput:
    """One innovation; ``group`` is an opaque label (the portal puts the OPD id there)."""

    ref: str
    tahapan: str
    penerapan: date | None
    pengembangan: date | None
    urusan_utama: str | None
    rancang_bangun_words: int
    rows: tuple[Row, ...]
    group: str | None = None


@dataclass(frozen=True, slots=True)
class RegionInput:
    """One region's data for one assessment year: its SPD rows and its innovations."""

    spd: tuple[Row, ...]
    innovations: tuple[InnovationInput, ...]


@dataclass(frozen=True, slots=True)
class InnovationResult:
    """The score of one innovation. ``row_scores`` covers every SID indicator in catalogue order;
    ``missing_mandatory`` lists the mandatory ones scoring 0, which does not affect eligibility."""

    ref: str
    group: str | None
    kematangan: Decimal
    eligible: bool
    ineligible_reasons: tuple[str, ...]
    missing_mandatory: tuple[str, ...]
    row_scores: tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True, slots=True)
class Contribution:
    """The IID points one group's eligible innovations bring (see :func:`compute`).

    ``kematangan_sum`` and ``average_kematangan`` are over the group's eligible innovations only.
    """

    group: str | None
    n_eligible: int
    kematangan_sum: Decimal
    average_kematangan: Decimal
    iid_points: Decimal


@dataclass(frozen=True, slots=True)
class Result:
    """A region's index. All Decimals are rounded to 0.01 half up, once, from exact values.

    ``spd_row_scores`` covers every SPD indicator in catalogue order. ``spd_points`` plus the
    ``iid_points`` of all ``contributions`` equals ``iid`` exactly.
    """

    catalogue: str
    spd_score: Decimal
    innovations: tuple[InnovationResult, ...]
    n_eligible: int
    sid_divisor: int
    sid_average: Decimal
    yandas_covered: int
    count_score: Decimal
    total: Decimal
    iid: Decimal
    category: str
    empty_seats: int
    spd_row_scores: tuple[tuple[str, Decimal], ...]
    contributions: tuple[Contribution, ...]
    spd_points: Decimal


@dataclass(frozen=True, slots=True)
class Action:
    """One step that would raise the IID, with its gain in IID points (see :func:`next_actions`)."""

    kind: str
    gain: Decimal
    ref: str | None
    code: str | None
    urusan: str | None


def compute(rules: Rules, region: RegionInput) -> Result:
    """The region's index under ``rules`` (IID.md §3 and its Portal rules).

    Raises ``ValueError`` for a row whose code is not in the catalogue, sits in the wrong group (an SPD
    code among an innovation's rows or the reverse) or appears twice in the same rows.

    Contributions: every distinct innovation group with at least one innovation gets
    ``(Σ its eligible kematangan / divisor + count score × its eligible / n_eligible) / total_max × 100``
    (the second term is 0 when n_eligible is 0), so that these points and
    ``spd_points = SPD / total_max × 100`` add up to the IID exactly before rounding. After rounding they
    still add up to the rounded IID exactly, by the largest-remainder method on 0.01 units (see
    :func:`_apportion`). They are sorted by points descending, then by the group label as a string.
    """
    return _Evaluation(rules, region).result()


def gain_raise_row(rules: Rules, region: RegionInput, ref: str, code: str) -> Decimal:
    """The IID gain of raising one SID row of innovation ``ref`` by one level.

    The row's effective level (its level when it counts, else 0) goes up by one and the row counts; a
    row at 3 gains nothing, and neither does a row of an ineligible innovation. Raises ``ValueError``
    when ``ref`` is not an innovation of the region or ``code`` not an SID indicator of the catalogue.
    """
    evaluation = _Evaluation(rules, region)
    position = evaluation.tables.sid_position(code)
    index = evaluation.index_of(ref)
    if not evaluation.results[index].eligible or evaluation.levels[index][position] >= MAX_LEVEL:
        return evaluation.gain()
    return evaluation.gain(extra=evaluation.tables.sid_step(position))


def gain_add_innovation(
    rules: Rules, region: RegionInput, kematangan: Decimal, urusan_utama: str | None = None
) -> Decimal:
    """The IID gain of one more eligible innovation of that kematangan filed under ``urusan_utama``
    (which covers a new yandas affair when it is one not yet covered). May be negative once the
    region is above the divisor floor."""
    evaluation = _Evaluation(rules, region)
    return evaluation.gain(seats=1, extra=Fraction(kematangan), covered=evaluation.covered_with(urusan_utama))


def gain_cover_yandas(rules: Rules, region: RegionInput) -> Decimal:
    """The IID gain of covering one more distinct yandas affair and nothing else: only the count score
    may switch on. 0 when every yandas affair is already covered."""
    evaluation = _Evaluation(rules, region)
    covered = min(len(evaluation.covered) + 1, len(rules.yandas))
    return evaluation.gain(covered=covered)


def next_actions(rules: Rules, region: RegionInput, limit: int = 10) -> tuple[Action, ...]:
    """The ``limit`` steps with the largest positive IID gain, each judged alone against today's data.

    Kinds, in their tie-break order:

    * ``cover_yandas``: per uncovered yandas affair, one more eligible innovation in it at the median
      eligible kematangan (0 when none is eligible); ``urusan`` names the affair. Listed only when
      covering the affair gains more than the same innovation filed anywhere (it switches the count
      score on); otherwise the innovation's gain is the seat's.
    * ``fill_seat``: only while n_eligible < floor, one more eligible innovation at that median.
    * ``make_eligible``: an ineligible innovation held back only by ``window`` and/or
      ``rancang_bangun`` becomes eligible as it is.
    * ``fix_mandatory``: a mandatory row of an eligible innovation scoring 0 raised to level 1, counting.
    * ``raise_row``: any other row of an eligible innovation below level 3 raised by one level
      (as :func:`gain_raise_row`); a row listed as ``fix_mandatory`` is not listed again.

    Ranked by gain descending, then kind, ref, code and urusan. Each gain equals a full recompute of
    the modified region, but is derived from the aggregate sums, so the whole list costs
    O(innovations × rows) plus the sort.
    """
    evaluation = _Evaluation(rules, region)
    tables = evaluation.tables
    gains: dict[tuple[int, Fraction, int], Decimal] = {}

    def gain(seats: int, extra: Fraction, covered: int) -> Decimal:
        # Most candidates share a few (seats, extra, covered) triples: one per weight, say.
        key = (seats, extra, covered)
        if key not in gains:
            gains[key] = evaluation.gain(seats=seats, extra=extra, covered=covered)
        return gains[key]

    candidates: list[Action] = []

    def consider(kind: str, value: Decimal, ref: str | None, code: str | None, urusan: str | None) -> None:
        if value > 0:
            candidates.append(Action(kind=kind, gain=value, ref=ref, code=code, urusan=urusan))

    median = evaluation.median_eligible()
    covered = len(evaluation.covered)
    # One more innovation in an uncovered yandas affair is named after the affair only when covering it
    # is what moves the index (it switches the count score on); else its gain is the seat's, anywhere.
    seat_gain = gain(1, median, covered)
    for affair in sorted(rules.yandas - evaluation.covered):
        affair_gain = gain(1, median, covered + 1)
        if affair_gain > seat_gain:
            consider(COVER_YANDAS, affair_gain, None, None, affair)
    if evaluation.n < rules.sid_divisor_floor:
        consider(FILL_SEAT, seat_gain, None, None, None)
    mandatory = {position for position, _code in tables.mandatory_positions}
    for index, result in enumerate(evaluation.results):
        if result.eligible:
            for position, level in enumerate(evaluation.levels[index]):
                if level < MAX_LEVEL:
                    kind = FIX_MANDATORY if level == 0 and position in mandatory else RAISE_ROW
                    value = gain(0, tables.sid_step(position), covered)
                    consider(kind, value, result.ref, tables.sid_codes[position], None)
        elif _FIXABLE_REASONS.issuperset(result.ineligible_reasons):
            urusan = region.innovations[index].urusan_utama
            extra = Fraction(evaluation.units[index], tables.scale)
            consider(MAKE_ELIGIBLE, gain(1, extra, evaluation.covered_with(urusan)), result.ref, None, None)
    candidates.sort(key=_action_order)
    return tuple(candidates[:limit])


def _action_order(action: Action) -> tuple[Decimal, int, str, str, str]:
    return (-action.gain, _KIND_RANK[action.kind], action.ref or "", action.code or "", action.urusan or "")


class _Tables:
    """Lookup tables of one Rules, built once per Rules (see :func:`_tables`) so that the per-row work
    only indexes lists.

    Weights become integers in units of ``1 / scale`` (scale = 10 ** the most decimal places of any
    weight), so kematangan sums are exact integer arithmetic.
    """

    __slots__ = (
        "codes",
        "groups",
        "mandatory_positions",
        "scale",
        "scores",
        "sid_codes",
        "sid_index",
        "sid_units",
        "spd_codes",
        "spd_index",
        "spd_units",
    )

    def __init__(self, rules: Rules) -> None:
        places = max((_places(indicator.weight) for indicator in rules.indicators), default=0)
        self.scale = 10 ** max(places, 0)
        self.groups = {indicator.code: indicator.group for indicator in rules.indicators}
        spd = [indicator for indicator in rules.indicators if indicator.group == SPD]
        sid = [indicator for indicator in rules.indicators if indicator.group == SID]
        self.spd_codes = tuple(indicator.code for indicator in spd)
        self.sid_codes = tuple(indicator.code for indicator in sid)
        self.spd_index = {code: position for position, code in enumerate(self.spd_codes)}
        self.sid_index = {code: position for position, code in enumerate(self.sid_codes)}
        self.spd_units = [int(indicator.weight * self.scale) for indicator in spd]
        self.sid_units = [int(indicator.weight * self.scale) for indicator in sid]
        self.codes = {SPD: list(self.spd_codes), SID: list(self.sid_codes)}
        self.mandatory_positions = tuple(
            (position, indicator.code) for position, indicator in enumerate(sid) if indicator.mandatory
        )
        # (code, rounded score) per group, position and level: the row_scores are shared pairs.
        self.scores = {SPD: self._score_pairs(spd), SID: self._score_pairs(sid)}

    @staticmethod
    def _score_pairs(indicators: Sequence[IndicatorRule]) -> tuple[tuple[tuple[str, Decimal], ...], ...]:
        # The portal's one definition of a row's score (innovasi.standards.scoring), per level.
        return tuple(
            tuple(
                (indicator.code, _round(Fraction(row_score(indicator.weight, level, True))))
                for level in range(MAX_LEVEL + 1)
            )
            for indicator in indicators
        )

    def sid_position(self, code: str) -> int:
        if code not in self.sid_index:
            raise ValueError(f"{code!r} is not an SID indicator of the catalogue")
        return self.sid_index[code]

    def sid_step(self, position: int) -> Fraction:
        """What one more level of that SID row adds to the kematangan: its weight."""
        return Fraction(self.sid_units[position], self.scale)

    def levels(
        self,
        rows: Sequence[Row],
        group: str,
        ref: str | None,
        layouts: dict[tuple[str, ...], tuple[int, ...]],
    ) -> list[int]:
        """The effective level (level if it counts, else 0) of every indicator of ``group``, by position.

        ``ref`` names the innovation the rows belong to, None for the SPD rows. Rows listed exactly in
        catalogue order (as the portal lists them) cost one list comparison; any other order or subset is
        checked once per distinct sequence of codes and remembered in ``layouts``.
        """
        codes = [row.code for row in rows]
        levels = [row.level if row.counts else 0 for row in rows]
        catalogue_codes = self.codes[group]
        if codes == catalogue_codes:
            return levels
        key = tuple(codes)
        positions = layouts.get(key)
        if positions is None:
            positions = layouts[key] = self._positions(key, group, ref)
        scattered = [0] * len(catalogue_codes)
        for position, level in zip(positions, levels, strict=True):
            scattered[position] = level
        return scattered

    def _positions(self, codes: tuple[str, ...], group: str, ref: str | None) -> tuple[int, ...]:
        """The catalogue positions of ``codes``; raises ValueError for an unknown, misplaced or repeated
        code."""
        index = self.sid_index if group == SID else self.spd_index
        positions = []
        for code in codes:
            if code not in index:
                raise ValueError(self._misplaced(code, group, ref))
            positions.append(index[code])
        if len(set(positions)) != len(positions):
            repeated = next(code for code in codes if codes.count(code) > 1)
            raise ValueError(f"indicator {repeated!r} appears twice in {_owner(ref)}")
        return tuple(positions)

    def _misplaced(self, code: str, group: str, ref: str | None) -> str:
        actual = self.groups.get(code)
        if actual is None:
            return f"unknown indicator code {code!r} in {_owner(ref)}"
        return f"indicator {code!r} in {_owner(ref)} is an {actual.upper()} indicator, not {group.upper()}"


def _owner(ref: str | None) -> str:
    return "spd" if ref is None else f"innovation {ref!r}"


def _places(weight: Decimal) -> int:
    """The decimal places of a weight; NaN and the infinities have none (their exponent is a letter)."""
    exponent = weight.as_tuple().exponent
    if not isinstance(exponent, int):
        raise ValueError(f"indicator weight must be a finite number, not {weight}")
    return -exponent


@lru_cache(maxsize=8)
def _tables(rules: Rules) -> _Tables:
    # Rules are frozen and a portal process scores against one or two catalogues: build once.
    return _Tables(rules)


class _Evaluation:
    """A region scored once: per-innovation results plus the exact aggregates every output and
    every what-if gain is derived from."""

    __slots__ = (
        "covered",
        "eligible_units",
        "groups",
        "iid",
        "levels",
        "n",
        "results",
        "rules",
        "spd_levels",
        "spd_units",
        "tables",
        "units",
    )

    def __init__(self, rules: Rules, region: RegionInput) -> None:
        self.rules = rules
        tables = self.tables = _tables(rules)
        self.spd_levels = tables.levels(region.spd, SPD, None, {})
        self.spd_units = sum(map(mul, tables.spd_units, self.spd_levels))
        sid_units = tables.sid_units
        sid_scores = tables.scores[SID]
        mandatory = tables.mandatory_positions
        scale = tables.scale
        tahapan = rules.eligible_tahapan
        start, end = rules.window_start, rules.window_end
        min_words = rules.min_words
        yandas = rules.yandas
        kematangan_of: dict[int, Decimal] = {}
        layouts: dict[tuple[str, ...], tuple[int, ...]] = {}
        results: list[InnovationResult] = []
        all_levels: list[list[int]] = []
        all_units: list[int] = []
        n = eligible_units = 0
        covered: set[str] = set()
        # label -> [eligible innovations, their kematangan in units]
        groups: dict[str | None, list[int]] = {}
        # The hot loop: locals only, and no call that is not needed (bench/engine.py measures it).
        for innovation in region.innovations:
            levels = tables.levels(innovation.rows, SID, innovation.ref, layouts)
            units = sum(map(mul, sid_units, levels))
            reasons: tuple[str, ...] = ()
            if innovation.tahapan not in tahapan:
                reasons += (REASON_TAHAPAN,)
            applied, developed = innovation.penerapan, innovation.pengembangan
            if not (
                (applied is not None and start <= applied <= end)
                or (developed is not None and start <= developed <= end)
            ):
                reasons += (REASON_WINDOW,)
            if innovation.rancang_bangun_words < min_words:
                reasons += (REASON_RANCANG_BANGUN,)
            kematangan = kematangan_of.get(units)
            if kematangan is None:
                kematangan = kematangan_of[units] = _from_cents(_ratio_cents(units, scale))
            group = groups.get(innovation.group)
            if group is None:
                group = groups[innovation.group] = [0, 0]
            if not reasons:
                n += 1
                eligible_units += units
                group[0] += 1
                group[1] += units
                if innovation.urusan_utama in yandas:
                    covered.add(innovation.urusan_utama)
            all_levels.append(levels)
            all_units.append(units)
            # Positional arguments: keywords cost a measurable share of this loop.
            results.append(
                InnovationResult(
                    innovation.ref,
                    innovation.group,
                    kematangan,
                    not reasons,
                    reasons,
                    tuple(code for position, code in mandatory if not levels[position]),
                    tuple(map(getitem, sid_scores, levels)),
                )
            )
        self.results, self.levels, self.units = results, all_levels, all_units
        self.n, self.eligible_units, self.covered, self.groups = n, eligible_units, covered, groups
        self.iid = self._iid(self.n, self.eligible_sum, len(self.covered))

    @property
    def spd(self) -> Fraction:
        return Fraction(self.spd_units, self.tables.scale)

    @property
    def eligible_sum(self) -> Fraction:
        return Fraction(self.eligible_units, self.tables.scale)

    def _sid_parts(self, n: int, eligible_sum: Fraction, covered: int) -> tuple[int, Fraction, Fraction]:
        """(divisor, Σ eligible kematangan / divisor, count score), exact."""
        rules = self.rules
        divisor = max(rules.sid_divisor_floor, n)
        count = Fraction(0)
        if covered >= rules.yandas_required:
            count = Fraction(rules.count_per_innovation) * min(n, rules.count_cap)
        return divisor, eligible_sum / divisor, count

    def _iid(self, n: int, eligible_sum: Fraction, covered: int) -> Fraction:
        _divisor, average, count = self._sid_parts(n, eligible_sum, covered)
        return (self.spd + average + count) * 100 / Fraction(self.rules.total_max)

    def gain(self, *, seats: int = 0, extra: Fraction | int = 0, covered: int | None = None) -> Decimal:
        """The IID after minus the IID before, each rounded as it is shown (so that a gain is always the
        difference of the two figures beside it), for ``seats`` more eligible innovations adding
        ``extra`` kematangan and ``covered`` yandas affairs (unchanged when None)."""
        if covered is None:
            covered = len(self.covered)
        after = self._iid(self.n + seats, self.eligible_sum + extra, covered)
        return _round(after) - _round(self.iid)

    def covered_with(self, urusan: str | None) -> int:
        """How many yandas affairs would be covered if one more eligible innovation had this urusan."""
        newly = urusan in self.rules.yandas and urusan not in self.covered
        return len(self.covered) + newly

    def median_eligible(self) -> Fraction:
        """The median kematangan of the eligible innovations (mean of the middle two), 0 when none."""
        units = sorted(u for u, result in zip(self.units, self.results, strict=True) if result.eligible)
        if not units:
            return Fraction(0)
        middle = len(units) // 2
        if len(units) % 2:
            return Fraction(units[middle], self.tables.scale)
        return Fraction(units[middle - 1] + units[middle], 2 * self.tables.scale)

    def index_of(self, ref: str) -> int:
        for index, result in enumerate(self.results):
            if result.ref == ref:
                return index
        raise ValueError(f"no innovation {ref!r} in the region")

    def result(self) -> Result:
        rules = self.rules
        tables = self.tables
        spd = self.spd
        divisor, average, count = self._sid_parts(self.n, self.eligible_sum, len(self.covered))
        total = spd + average + count
        iid = _round(self.iid)
        spd_points, contributions = self._contributions(divisor, count, _cents(self.iid))
        return Result(
            catalogue=rules.catalogue,
            spd_score=_round(spd),
            innovations=tuple(self.results),
            n_eligible=self.n,
            sid_divisor=divisor,
            sid_average=_round(average),
            yandas_covered=len(self.covered),
            count_score=_round(count),
            total=_round(total),
            iid=iid,
            category=_category(rules.bands, iid),
            empty_seats=max(0, rules.sid_divisor_floor - self.n),
            spd_row_scores=tuple(map(getitem, tables.scores[SPD], self.spd_levels)),
            contributions=contributions,
            spd_points=spd_points,
        )

    def _contributions(
        self, divisor: int, count: Fraction, iid_cents: int
    ) -> tuple[Decimal, tuple[Contribution, ...]]:
        # Exact points in cents over one common denominator, so the apportioning is integer arithmetic:
        #   spd_points × 100 = spd × 10000 / T
        #   group × 100      = (U_g / (S × d) + count × n_g / n) × 10000 / T
        # with U_g in units of 1/S, d the divisor and T = tp / tq; n is taken as 1 when it is 0, where
        # every group's points are 0 anyway (no eligible units, and the count score of 0 innovations is 0).
        scale = self.tables.scale
        n = max(self.n, 1)
        total_max = Fraction(self.rules.total_max)
        common = 10_000 * total_max.denominator
        denominator = total_max.numerator * scale * divisor * n * count.denominator
        labels = sorted(self.groups, key=str)
        numerators = [common * self.spd_units * divisor * n * count.denominator]
        for label in labels:
            n_group, units = self.groups[label]
            numerators.append(
                common * (units * n * count.denominator + count.numerator * n_group * scale * divisor)
            )
        cents = _apportion(numerators, denominator, iid_cents)
        contributions = []
        for label, group_cents in zip(labels, cents[1:], strict=True):
            n_group, units = self.groups[label]
            contributions.append(
                Contribution(
                    group=label,
                    n_eligible=n_group,
                    kematangan_sum=_from_cents(_ratio_cents(units, scale)),
                    average_kematangan=_from_cents(_ratio_cents(units, scale * n_group) if n_group else 0),
                    iid_points=_from_cents(group_cents),
                )
            )
        contributions.sort(key=lambda contribution: (-contribution.iid_points, str(contribution.group)))
        return _from_cents(cents[0]), tuple(contributions)


def _category(bands: Sequence[Band], iid: Decimal) -> str:
    """The first band whose minimum ≤ the rounded IID; an IID of 0.00 is always the last band."""
    if iid == 0:
        return bands[-1].name
    for band in bands:
        if band.min <= iid:
            return band.name
    return bands[-1].name


def _apportion(numerators: Sequence[int], denominator: int, total_cents: int) -> list[int]:
    """Round the non-negative cent values ``numerator / denominator`` to whole cents adding up to
    ``total_cents`` exactly.

    Largest-remainder method: every value first gets its cents rounded down; the cents still missing
    go one each to the values with the largest remainders, ties to the earlier value. Requires
    ``total_cents`` to be the half-up rounding of the exact sum: then the shortfall is never negative
    and never more than the number of values with a remainder, so every value ends within one cent of
    its exact figure.
    """
    split = [divmod(numerator, denominator) for numerator in numerators]
    cents = [whole for whole, _remainder in split]
    shortfall = total_cents - sum(cents)
    # sorted() is stable even with reverse=True, so equal remainders keep the earlier value first.
    by_remainder = sorted(range(len(split)), key=lambda i: split[i][1], reverse=True)
    for i in by_remainder[:shortfall]:
        cents[i] += 1
    return cents


def _cents(value: Fraction) -> int:
    """``value`` in hundredths, rounded half away from zero (Decimal's ROUND_HALF_UP)."""
    cents = _ratio_cents(abs(value.numerator), value.denominator)
    return cents if value >= 0 else -cents


def _ratio_cents(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` ≥ 0 in hundredths, rounded half up."""
    return (200 * numerator + denominator) // (2 * denominator)


def _from_cents(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _round(value: Fraction) -> Decimal:
    """The one rounding step: an exact value to a Decimal with 2 places, half up."""
    return _from_cents(_cents(value))


def _decimal(value: object) -> Decimal:
    # str() first: Decimal(0.38) would carry the binary float's error, Decimal("0.38") does not.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _group(name: str) -> str:
    if name not in _GROUP_NAMES:
        raise ValueError(f"indicator group must be one of {', '.join(_GROUP_NAMES)}, not {name!r}")
    return _GROUP_NAMES[name]
