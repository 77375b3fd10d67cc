"""Table tests of scoring.engine: one test per rule of IID.md §3, the worked tables of docs/scoring.md,
the contributions and the what-if helpers. Pure functions: no Django, no database."""

import math
import re
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from scoring.engine import (
    COVER_YANDAS,
    ENGINE_VERSION,
    FILL_SEAT,
    FIX_MANDATORY,
    MAKE_ELIGIBLE,
    RAISE_ROW,
    SID,
    SPD,
    Action,
    Band,
    IndicatorRule,
    InnovationInput,
    RegionInput,
    Row,
    Rules,
    compute,
    gain_add_innovation,
    gain_cover_yandas,
    gain_raise_row,
    next_actions,
)

from .catalogues import eligible, eligible_at, load_rules, outside_window, sid_rows

RULES_2026 = load_rules("iid-2026")
RULES_2023 = load_rules("iid-2023")


def spd_at(rules: Rules, level: int) -> tuple[Row, ...]:
    """Every SPD row at ``level``, counting: 21, 42 or 63 points at 1, 2, 3."""
    return tuple(Row(code=i.code, level=level, counts=True) for i in rules.indicators if i.group == SPD)


def region_of(rules: Rules, kematangan: list[int], *, spd_level: int = 0) -> RegionInput:
    """Eligible innovations of those kematangan (no urusan), SPD rows all at ``spd_level``."""
    return RegionInput(
        spd=spd_at(rules, spd_level) if spd_level else (),
        innovations=tuple(eligible_at(rules, f"INV-{i}", k) for i, k in enumerate(kematangan)),
    )


def innovation(
    ref: str = "INV-1",
    *,
    tahapan: str = "penerapan",
    penerapan: date | None = date(2025, 3, 10),
    pengembangan: date | None = None,
    urusan_utama: str | None = None,
    words: int = 300,
    rows: tuple[Row, ...] = (),
    group: str | None = None,
) -> InnovationInput:
    """An innovation that is eligible under the 2026 rules unless an argument says otherwise."""
    return InnovationInput(
        ref=ref,
        tahapan=tahapan,
        penerapan=penerapan,
        pengembangan=pengembangan,
        urusan_utama=urusan_utama,
        rancang_bangun_words=words,
        rows=rows,
        group=group,
    )


def d(value: str) -> Decimal:
    return Decimal(value)


# --- Rules.from_catalogue ----------------------------------------------------------------------


def test_from_catalogue_reads_the_2026_file():
    # Act: the helper feeds the project's (or the shared) iid-2026.yaml to Rules.from_catalogue.
    rules = load_rules("iid-2026")

    # Assert
    assert rules.catalogue == "iid-2026"
    assert rules.sid_divisor_floor == 12
    assert rules.count_per_innovation == d("0.38")
    assert rules.count_cap == 200
    assert rules.yandas_required == 5
    assert rules.total_max == d("250")
    assert rules.bands == (
        Band("Sangat Inovatif", d("65.01")),
        Band("Inovatif", d("40.01")),
        Band("Kurang Inovatif", d("0.01")),
        Band("Tidak Dapat Dinilai", d("0")),
    )
    assert rules.eligible_tahapan == frozenset({"penerapan"})
    assert (rules.window_start, rules.window_end) == (date(2024, 1, 1), date(2025, 12, 31))
    assert rules.min_words == 300
    assert rules.yandas == frozenset({"pendidikan", "kesehatan", "pupr", "perkim", "trantibum", "sosial"})
    assert [i.group for i in rules.indicators].count(SPD) == 20
    assert [i.group for i in rules.indicators].count(SID) == 20
    assert rules.indicators[5] == IndicatorRule(code="SPD-05a", group=SPD, weight=d("0.75"), mandatory=True)


def test_from_catalogue_reads_the_2023_file():
    rules = load_rules("iid-2023")

    assert rules.sid_divisor_floor == 10
    assert [band.min for band in rules.bands] == [d("60.01"), d("35.0"), d("0.01"), d("0")]
    assert (rules.window_start, rules.window_end) == (date(2021, 1, 1), date(2022, 12, 31))


def test_from_catalogue_accepts_the_stored_json_shape():
    # Arrange: what the portal keeps in Catalogue.rules (floats, ISO strings) and its indicator rows
    # (engine group names, Decimal weights), bands deliberately out of order.
    rules_json = {
        "sid_divisor_floor": 12,
        "count_score": {"per_innovation": 0.38, "cap_innovations": 200, "yandas_required": 5},
        "total_max": 250.0,
        "bands": [{"name": "Low", "min": 0.0}, {"name": "High", "min": 65.01}],
        "eligibility": {
            "tahapan": ["penerapan"],
            "penerapan_or_development_between": [date(2024, 1, 1), "2025-12-31"],
            "rancang_bangun_min_words": 300,
        },
    }
    indicators = [{"code": "SID-16", "group": "sid", "weight": Decimal("3.00"), "mandatory": True}]

    # Act
    rules = Rules.from_catalogue(code="x", rules=rules_json, indicators=indicators, yandas=["sosial"])

    # Assert
    assert rules.count_per_innovation == d("0.38")
    assert rules.bands == (Band("High", d("65.01")), Band("Low", d("0.0")))
    assert rules.window_end == date(2025, 12, 31)
    assert rules.indicators == (IndicatorRule("SID-16", SID, d("3.00"), True),)


def test_from_catalogue_rejects_an_unknown_group():
    catalogue = {"code": "SID-16", "group": "opd", "weight": 3, "mandatory": True}

    with pytest.raises(ValueError, match="indicator group must be one of"):
        Rules.from_catalogue(code="x", rules=_rules_block(), indicators=[catalogue], yandas=[])


def _rules_block() -> dict:
    return {
        "sid_divisor_floor": 12,
        "count_score": {"per_innovation": 0.38, "cap_innovations": 200, "yandas_required": 5},
        "total_max": 250,
        "bands": [{"name": "Tidak Dapat Dinilai", "min": 0}],
        "eligibility": {
            "tahapan": ["penerapan"],
            "penerapan_or_development_between": ["2024-01-01", "2025-12-31"],
            "rancang_bangun_min_words": 300,
        },
    }


def test_engine_version_is_recorded():
    assert ENGINE_VERSION == "2"


# --- Row scores ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (Row("SPD-06", 2, True), d("3.00")),  # weight 1.5 × level 2
        (Row("SPD-05a", 3, True), d("2.25")),  # weight 0.75 × level 3
        (Row("SPD-06", 2, False), d("0.00")),  # evidence missing or rejected
        (Row("SPD-06", 0, True), d("0.00")),  # level 0
    ],
)
def test_row_score_is_weight_times_level_when_counting(row, expected):
    region = RegionInput(spd=(row,), innovations=())

    result = compute(RULES_2026, region)

    assert dict(result.spd_row_scores)[row.code] == expected
    assert result.spd_score == expected


def test_row_scores_cover_every_indicator_in_catalogue_order():
    # Arrange: rows given out of catalogue order, most indicators absent.
    inv = innovation(rows=(Row("SID-35", 1, True), Row("SID-16", 2, True)))
    region = RegionInput(spd=(Row("SPD-15", 1, True),), innovations=(inv,))

    # Act
    result = compute(RULES_2026, region)

    # Assert
    sid_codes = [i.code for i in RULES_2026.indicators if i.group == SID]
    scores = result.innovations[0].row_scores
    assert [code for code, _score in scores] == sid_codes
    assert scores[0] == ("SID-16", d("6.00"))
    assert scores[-1] == ("SID-35", d("4.00"))
    assert sum(score for _code, score in scores) == d("10.00")
    assert [code for code, _score in result.spd_row_scores][-1] == "SPD-15"
    assert len(result.spd_row_scores) == 20


@pytest.mark.parametrize(
    ("level", "message"),
    [
        (4, "level 4 of SPD-01 is outside 0-3"),
        (-1, "level -1 of SPD-01 is outside 0-3"),
        (True, "level of SPD-01 must be a whole number 0-3, got True"),
        (2.0, "level of SPD-01 must be a whole number 0-3, got 2.0"),
    ],
)
def test_row_level_outside_0_to_3_is_rejected(level, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        Row("SPD-01", level, True)


@pytest.mark.parametrize(
    ("region", "message"),
    [
        (
            RegionInput(spd=(), innovations=(innovation("INV-3", rows=(Row("SID-99", 1, True),)),)),
            "unknown indicator code 'SID-99' in innovation 'INV-3'",
        ),
        (
            RegionInput(spd=(Row("SPD-99", 1, True),), innovations=()),
            "unknown indicator code 'SPD-99' in spd",
        ),
        (
            RegionInput(spd=(), innovations=(innovation("INV-3", rows=(Row("SPD-01", 1, True),)),)),
            "indicator 'SPD-01' in innovation 'INV-3' is an SPD indicator, not SID",
        ),
        (
            RegionInput(spd=(Row("SID-16", 1, True),), innovations=()),
            "indicator 'SID-16' in spd is an SID indicator, not SPD",
        ),
        (
            RegionInput(
                spd=(),
                innovations=(innovation("INV-3", rows=(Row("SID-16", 1, True), Row("SID-16", 2, True))),),
            ),
            "indicator 'SID-16' appears twice in innovation 'INV-3'",
        ),
    ],
)
def test_compute_rejects_unknown_misplaced_or_repeated_rows(region, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        compute(RULES_2026, region)


# --- Eligibility ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "reasons"),
    [
        ({}, ()),
        ({"tahapan": "uji_coba"}, ("tahapan",)),
        ({"tahapan": "inisiatif"}, ("tahapan",)),
        ({"penerapan": date(2023, 12, 31)}, ("window",)),
        ({"penerapan": date(2026, 1, 1)}, ("window",)),
        ({"penerapan": date(2024, 1, 1)}, ()),  # the window includes its first day
        ({"penerapan": date(2025, 12, 31)}, ()),  # and its last
        ({"penerapan": date(2023, 6, 1), "pengembangan": date(2025, 6, 15)}, ()),  # developed inside
        ({"penerapan": date(2023, 6, 1), "pengembangan": date(2026, 6, 15)}, ("window",)),
        ({"penerapan": None}, ("window",)),  # a missing date never falls in the window
        ({"penerapan": None, "pengembangan": date(2024, 2, 1)}, ()),
        ({"words": 299}, ("rancang_bangun",)),
        ({"words": 300}, ()),
        ({"tahapan": "uji_coba", "words": 10}, ("tahapan", "rancang_bangun")),
        ({"words": 10, "penerapan": None, "tahapan": "inisiatif"}, ("tahapan", "window", "rancang_bangun")),
    ],
)
def test_eligibility_reasons_in_their_order(changes, reasons):
    region = RegionInput(spd=(), innovations=(innovation(**changes),))

    result = compute(RULES_2026, region)

    assert result.innovations[0].ineligible_reasons == reasons
    assert result.innovations[0].eligible is (reasons == ())
    assert result.n_eligible == (1 if reasons == () else 0)


def test_kematangan_is_reported_for_ineligible_innovations_but_not_summed():
    region = RegionInput(
        spd=(),
        innovations=(
            innovation("A", rows=sid_rows(RULES_2026, 30)),
            innovation("B", tahapan="uji_coba", rows=sid_rows(RULES_2026, 50)),
        ),
    )

    result = compute(RULES_2026, region)

    assert [i.kematangan for i in result.innovations] == [d("30.00"), d("50.00")]
    assert result.sid_average == d("2.50")  # 30 / 12


# --- Mandatory indicators (Portal rule 4) --------------------------------------------------------


def test_missing_mandatory_lists_zero_rows_in_catalogue_order():
    # Arrange: SID-35 rejected, SID-17 at level 0, SID-16 and SID-33 absent; rows in reverse order.
    rows = (
        Row("SID-35", 3, False),
        Row("SID-32", 1, True),
        Row("SID-19", 3, True),
        Row("SID-17", 0, True),
    )
    region = RegionInput(spd=(), innovations=(innovation(rows=rows),))

    # Act
    result = compute(RULES_2026, region)

    # Assert
    assert result.innovations[0].missing_mandatory == ("SID-16", "SID-17", "SID-33", "SID-35")


def test_missing_mandatory_does_not_remove_the_innovation_from_n():
    region = RegionInput(spd=(), innovations=(innovation(rows=(Row("SID-19", 3, True),)),))

    result = compute(RULES_2026, region)

    assert result.innovations[0].eligible is True
    assert result.n_eligible == 1
    assert result.sid_average == d("0.50")  # 6 / 12


# --- Divisor floor --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "n", "divisor", "empty_seats", "sid_average"),
    [
        (RULES_2026, 0, 12, 12, d("0.00")),
        (RULES_2026, 5, 12, 7, d("25.00")),  # 5 × 60 / 12
        (RULES_2026, 12, 12, 0, d("60.00")),
        (RULES_2026, 15, 15, 0, d("60.00")),
        (RULES_2023, 5, 10, 5, d("30.00")),  # 5 × 60 / 10
        (RULES_2023, 11, 11, 0, d("60.00")),
    ],
)
def test_divisor_is_the_floor_until_n_passes_it(rules, n, divisor, empty_seats, sid_average):
    region = region_of(rules, [60] * n)

    result = compute(rules, region)

    assert result.n_eligible == n
    assert result.sid_divisor == divisor
    assert result.empty_seats == empty_seats
    assert result.sid_average == sid_average


# --- Count score and yandas (Portal rule 2) --------------------------------------------------------


YANDAS = ("pendidikan", "kesehatan", "pupr", "perkim", "trantibum", "sosial")


@pytest.mark.parametrize(
    ("n", "covered_affairs", "count_score"),
    [
        (6, YANDAS[:4], d("0.00")),  # 4 of 6: off
        (6, YANDAS[:5], d("2.28")),  # 5 of 6: 0.38 × 6
        (6, YANDAS, d("2.28")),
        (200, YANDAS[:5], d("76.00")),  # 0.38 × 200
        (250, YANDAS[:5], d("76.00")),  # capped at 200 innovations
    ],
)
def test_count_score_needs_the_yandas_and_stops_at_the_cap(n, covered_affairs, count_score):
    affairs = list(covered_affairs) + [None] * (n - len(covered_affairs))
    region = RegionInput(
        spd=(),
        innovations=tuple(eligible(RULES_2026, f"INV-{i}", urusan_utama=u) for i, u in enumerate(affairs)),
    )

    result = compute(RULES_2026, region)

    assert result.yandas_covered == len(covered_affairs)
    assert result.count_score == count_score


def test_yandas_coverage_counts_distinct_affairs_of_eligible_innovations_only():
    # Arrange: 4 distinct yandas among eligible innovations (kesehatan twice), a fifth only on an
    # ineligible innovation, and two non-yandas affairs.
    filed = [("kesehatan", "penerapan"), ("kesehatan", "penerapan"), ("pendidikan", "penerapan")]
    filed += [("pupr", "penerapan"), ("perkim", "penerapan"), ("sosial", "uji_coba")]
    filed += [("kebudayaan", "penerapan"), ("esdm", "penerapan")]
    region = RegionInput(
        spd=(),
        innovations=tuple(
            innovation(f"INV-{i}", urusan_utama=u, tahapan=t) for i, (u, t) in enumerate(filed)
        ),
    )

    # Act
    result = compute(RULES_2026, region)

    # Assert
    assert result.yandas_covered == 4
    assert result.count_score == d("0.00")


# --- Bands on the rounded IID (Portal rule 3) -------------------------------------------------------


def _boundary(n: int, total: int, base: int) -> list[int]:
    """n kematangan values adding up to ``total``: n − 1 of ``base`` and one of the rest."""
    return [base] * (n - 1) + [total - base * (n - 1)]


@pytest.mark.parametrize(
    ("rules", "spd_level", "kematangan", "iid", "category"),
    [
        # 2026: total = 63 + Σ / max(12, n); IID = total / 2.5
        (RULES_2026, 3, _boundary(12, 1194, 100), d("65.00"), "Inovatif"),  # total 162.5
        (RULES_2026, 3, _boundary(80, 7961, 100), d("65.01"), "Sangat Inovatif"),  # 65.005 rounds up
        (RULES_2026, 3, _boundary(40, 3981, 100), d("65.01"), "Sangat Inovatif"),  # total 162.525
        (RULES_2026, 3, [37] * 12, d("40.00"), "Kurang Inovatif"),  # total 100
        (RULES_2026, 3, _boundary(40, 1481, 37), d("40.01"), "Inovatif"),  # total 100.025
        (RULES_2026, 0, _boundary(40, 1, 0), d("0.01"), "Kurang Inovatif"),  # total 0.025
        (RULES_2026, 0, _boundary(100, 1, 0), d("0.00"), "Tidak Dapat Dinilai"),  # 0.004 rounds to 0
        (RULES_2026, 0, [], d("0.00"), "Tidak Dapat Dinilai"),
        # 2023: total = 63 + Σ / max(10, n)
        (RULES_2023, 3, [87] * 10, d("60.00"), "Inovatif"),  # total 150
        (RULES_2023, 3, _boundary(40, 3481, 87), d("60.01"), "Sangat Inovatif"),  # total 150.025
        (RULES_2023, 3, _boundary(10, 245, 24), d("35.00"), "Inovatif"),  # total 87.5
        (RULES_2023, 3, _boundary(40, 979, 24), d("34.99"), "Kurang Inovatif"),  # total 87.475
    ],
)
def test_category_is_chosen_from_the_rounded_iid(rules, spd_level, kematangan, iid, category):
    region = region_of(rules, kematangan, spd_level=spd_level)

    result = compute(rules, region)

    assert result.iid == iid
    assert result.category == category


def test_iid_is_rounded_from_the_exact_total_not_from_the_rounded_one():
    # Arrange: 80 eligible innovations, one of kematangan 1: SID average 1/80 = 0.0125.
    region = region_of(RULES_2026, _boundary(80, 1, 0))

    # Act
    result = compute(RULES_2026, region)

    # Assert: the total rounds to 0.01, but the IID is 0.0125 / 2.5 = 0.005 → 0.01, not 0.01 / 2.5 → 0.00.
    assert (result.sid_average, result.total, result.iid) == (d("0.01"), d("0.01"), d("0.01"))
    assert result.category == "Kurang Inovatif"


# --- Contributions ----------------------------------------------------------------------------------


def test_contributions_split_the_iid_by_group():
    # Arrange: worked table (a) of docs/scoring.md.
    region = _worked_region_a()

    # Act
    result = compute(RULES_2026, region)

    # Assert
    assert result.spd_points == d("2.40")
    assert [
        (c.group, c.n_eligible, c.kematangan_sum, c.average_kematangan, c.iid_points)
        for c in result.contributions
    ] == [
        ("Dinkes", 1, d("24.00"), d("24.00"), d("0.80")),
        ("Dispendik", 1, d("12.00"), d("12.00"), d("0.40")),
    ]
    assert result.spd_points + sum(c.iid_points for c in result.contributions) == result.iid


def test_contributions_apportion_thirds_by_largest_remainder():
    # Arrange: three groups of one innovation of kematangan 1: each brings 1/12/2.5 = 0.0333… points,
    # the IID is 0.10; rounding each down gives 0.09, so one group gets the missing cent (the first
    # label, as all remainders are equal).
    region = RegionInput(
        spd=(),
        innovations=tuple(eligible_at(RULES_2026, f"INV-{g}", 1, group=g) for g in ("C", "A", "B")),
    )

    # Act
    result = compute(RULES_2026, region)

    # Assert
    assert result.iid == d("0.10")
    assert result.spd_points == d("0.00")
    assert [(c.group, c.iid_points) for c in result.contributions] == [
        ("A", d("0.04")),
        ("B", d("0.03")),
        ("C", d("0.03")),
    ]


def test_contributions_share_the_count_score_by_eligible_innovations():
    # Arrange: 5 yandas covered by 5 innovations, 3 in group X and 2 in Y (one more, ineligible, in Z).
    innovations = [eligible_at(RULES_2026, f"X-{i}", 12, urusan_utama=YANDAS[i], group="X") for i in range(3)]
    innovations += [
        eligible_at(RULES_2026, f"Y-{i}", 12, urusan_utama=YANDAS[3 + i], group="Y") for i in range(2)
    ]
    innovations.append(innovation("Z-0", tahapan="inisiatif", rows=sid_rows(RULES_2026, 90), group="Z"))
    region = RegionInput(spd=spd_at(RULES_2026, 1), innovations=tuple(innovations))

    # Act
    result = compute(RULES_2026, region)

    # Assert: SID = 60/12 + 0.38 × 5 = 6.9; X: (36/12 + 1.14) / 2.5 = 1.656, Y: (24/12 + 0.76) / 2.5 = 1.104
    assert result.count_score == d("1.90")
    assert result.iid == d("11.16")  # (21 + 6.9) / 2.5
    assert result.spd_points == d("8.40")
    assert [(c.group, c.n_eligible, c.iid_points) for c in result.contributions] == [
        ("X", 3, d("1.66")),
        ("Y", 2, d("1.10")),
        ("Z", 0, d("0.00")),
    ]


def test_contributions_are_zero_without_eligible_innovations():
    region = RegionInput(
        spd=spd_at(RULES_2026, 2), innovations=(innovation("A", tahapan="uji_coba", group="OPD-1"),)
    )

    result = compute(RULES_2026, region)

    assert result.spd_points == result.iid == d("16.80")
    assert [(c.group, c.n_eligible, c.average_kematangan, c.iid_points) for c in result.contributions] == [
        ("OPD-1", 0, d("0.00"), d("0.00"))
    ]


# --- What-if helpers ----------------------------------------------------------------------------------


def _raised(region: RegionInput, ref: str, code: str) -> RegionInput:
    """The region with that row's effective level raised by one (at most to 3), counting: the helpers'
    definition."""

    def raise_rows(rows: tuple[Row, ...]) -> tuple[Row, ...]:
        current = next((row for row in rows if row.code == code), None)
        if current is None:
            return (*rows, Row(code, 1, True))
        effective = current.level if current.counts else 0
        return tuple(Row(code, min(effective + 1, 3), True) if row is current else row for row in rows)

    return replace(
        region,
        innovations=tuple(
            replace(inv, rows=raise_rows(inv.rows)) if inv.ref == ref else inv for inv in region.innovations
        ),
    )


def _exact_iid(rules: Rules, region: RegionInput) -> Fraction:
    """The unrounded IID of a full compute(), rebuilt from its reported parts.

    Exact for these catalogues: every row score, kematangan, SPD score and count score has at most two
    decimals, so its rounded report is its exact value; only the divisions are redone here.
    """
    result = compute(rules, region)
    eligible_sum = sum(Fraction(i.kematangan) for i in result.innovations if i.eligible)
    total = Fraction(result.spd_score) + eligible_sum / result.sid_divisor + Fraction(result.count_score)
    return total * 100 / Fraction(rules.total_max)


def _recomputed_gain(rules: Rules, before: RegionInput, after: RegionInput) -> Decimal:
    """The IID shown after minus the IID shown before, by two full computes (each rounded half up to 0.01
    from the exact value)."""

    def shown(region: RegionInput) -> Decimal:
        cents = math.floor(_exact_iid(rules, region) * 100 + Fraction(1, 2))
        return Decimal(cents).scaleb(-2)

    return shown(after) - shown(before)


def _planning_region() -> RegionInput:
    """Three eligible innovations (kematangan 18, 40, 60) in three yandas affairs, one held back only
    by its rancang bangun (perkim, 30), one at uji coba (sosial, 90); SPD all at level 2."""
    rules = RULES_2026
    first = eligible(
        rules,
        "INV-1",
        (Row("SID-16", 1, True), Row("SID-19", 2, False), Row("SID-20", 3, True), Row("SID-35", 3, True)),
        urusan_utama="kesehatan",
        group="Dinkes",
    )
    return RegionInput(
        spd=spd_at(rules, 2),
        innovations=(
            first,
            eligible_at(rules, "INV-2", 40, urusan_utama="pendidikan", group="Dispendik"),
            eligible_at(rules, "INV-3", 60, urusan_utama="pupr", group="PUPR"),
            replace(
                eligible_at(rules, "INV-4", 30, urusan_utama="perkim", group="Perkim"),
                rancang_bangun_words=120,
            ),
            replace(
                eligible_at(rules, "INV-5", 90, urusan_utama="sosial", group="Dinsos"), tahapan="uji_coba"
            ),
        ),
    )


@pytest.mark.parametrize(
    ("ref", "code", "expected"),
    [
        ("INV-1", "SID-16", d("0.10")),  # level 1 → 2: +3 / 12 / 2.5
        ("INV-1", "SID-19", d("0.07")),  # rejected at 2 → counts at 1: +2 / 12 / 2.5 = 0.0666…
        ("INV-1", "SID-17", d("0.07")),  # absent → level 1
        ("INV-1", "SID-20", d("0.00")),  # already at 3
        ("INV-4", "SID-16", d("0.00")),  # ineligible innovation
    ],
)
def test_gain_raise_row_is_one_more_level(ref, code, expected):
    region = _planning_region()

    gain = gain_raise_row(RULES_2026, region, ref, code)

    assert gain == expected
    assert gain == _recomputed_gain(RULES_2026, region, _raised(region, ref, code))


def test_gain_raise_row_rejects_an_unknown_ref_or_code():
    region = _planning_region()

    with pytest.raises(ValueError, match="no innovation 'INV-9'"):
        gain_raise_row(RULES_2026, region, "INV-9", "SID-16")
    with pytest.raises(ValueError, match="'SPD-01' is not an SID indicator"):
        gain_raise_row(RULES_2026, region, "INV-1", "SPD-01")


@pytest.mark.parametrize(
    ("kematangan", "urusan", "expected"),
    [
        (60, None, d("2.00")),  # +60 / 12 / 2.5
        (60, "kebudayaan", d("2.00")),
        (0, None, d("0.00")),
        (25, "perkim", d("0.84")),  # 4 yandas: still off; 20.73 → 21.57 (25 / 12 / 2.5 = 0.8333… exact)
    ],
)
def test_gain_add_innovation_below_the_floor(kematangan, urusan, expected):
    region = _planning_region()
    added = replace(
        region,
        innovations=(*region.innovations, eligible_at(RULES_2026, "NEW", kematangan, urusan_utama=urusan)),
    )

    gain = gain_add_innovation(RULES_2026, region, Decimal(kematangan), urusan)

    assert gain == expected
    assert gain == _recomputed_gain(RULES_2026, region, added)


def test_gain_add_innovation_can_switch_the_count_score_on():
    # Arrange: 4 yandas covered by 4 eligible innovations; a fifth affair switches 0.38 × 5 = 1.90 on.
    base = _planning_region()
    region = replace(
        base, innovations=(*base.innovations, eligible_at(RULES_2026, "INV-6", 60, urusan_utama="perkim"))
    )
    added = replace(
        region,
        innovations=(*region.innovations, eligible_at(RULES_2026, "NEW", 60, urusan_utama="trantibum")),
    )

    # Act
    gain = gain_add_innovation(RULES_2026, region, d("60"), "trantibum")

    # Assert: (60 / 12 + 1.90) / 2.5
    assert gain == d("2.76")
    assert gain == _recomputed_gain(RULES_2026, region, added)


def test_gain_add_innovation_is_negative_above_the_floor_with_a_weak_innovation():
    # Arrange: 12 eligible innovations of 60: the divisor grows with one more of 0.
    region = region_of(RULES_2026, [60] * 12)
    added = region_of(RULES_2026, [60] * 12 + [0])

    # Act
    gain = gain_add_innovation(RULES_2026, region, d("0"))

    # Assert: (720 / 13 − 60) / 2.5 = −1.846…
    assert gain == d("-1.85")
    assert gain == _recomputed_gain(RULES_2026, region, added)


@pytest.mark.parametrize(
    ("affairs", "expected"),
    [
        (YANDAS[:3], d("0.00")),  # 4 of 6 after covering one more: still off
        (YANDAS[:4], d("0.61")),  # 5 of 6: 0.38 × 4 = 1.52 → 1.52 / 2.5 = 0.608
        (YANDAS, d("0.00")),  # nothing left to cover
    ],
)
def test_gain_cover_yandas_only_switches_the_count_score(affairs, expected):
    region = RegionInput(
        spd=(), innovations=tuple(eligible_at(RULES_2026, f"INV-{u}", 10, urusan_utama=u) for u in affairs)
    )

    gain = gain_cover_yandas(RULES_2026, region)

    assert gain == expected


# --- next_actions --------------------------------------------------------------------------------


def _median_innovation_rows(rules: Rules, region: RegionInput) -> tuple[Row, ...]:
    """Rows of the median eligible kematangan (mean of the middle two); the tests keep it whole."""
    values = sorted(i.kematangan for i in compute(rules, region).innovations if i.eligible)
    if not values:
        return ()
    middle = len(values) // 2
    median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2
    return sid_rows(rules, int(median))


def _apply(rules: Rules, region: RegionInput, action: Action) -> RegionInput:
    """The region after ``action``, built the long way for a full recompute."""
    if action.kind in (COVER_YANDAS, FILL_SEAT):
        new = eligible(rules, "NEW", _median_innovation_rows(rules, region), urusan_utama=action.urusan)
        return replace(region, innovations=(*region.innovations, new))
    if action.kind == MAKE_ELIGIBLE:
        fixed = {"penerapan": rules.window_start, "rancang_bangun_words": rules.min_words}
        return replace(
            region,
            innovations=tuple(
                replace(inv, **fixed) if inv.ref == action.ref else inv for inv in region.innovations
            ),
        )
    return _raised(region, action.ref, action.code)


def test_next_actions_gains_equal_full_recomputes():
    # Arrange
    region = _planning_region()

    # Act
    actions = next_actions(RULES_2026, region, limit=1000)

    # Assert: covering a fourth yandas affair of five required moves nothing a seat does not: no cover_yandas.
    assert {a.kind for a in actions} == {FILL_SEAT, MAKE_ELIGIBLE, FIX_MANDATORY, RAISE_ROW}
    for action in actions:
        assert action.gain == _recomputed_gain(RULES_2026, region, _apply(RULES_2026, region, action)), action


def test_next_actions_name_a_yandas_affair_only_when_covering_it_switches_the_count_score_on():
    # Arrange: 4 yandas affairs covered; a fifth switches the count score on.
    base = _planning_region()
    region = replace(
        base, innovations=(*base.innovations, eligible_at(RULES_2026, "INV-6", 60, urusan_utama="perkim"))
    )

    # Act
    actions = next_actions(RULES_2026, region, limit=1000)

    # Assert
    seat = next(a for a in actions if a.kind == FILL_SEAT)
    affairs = [a for a in actions if a.kind == COVER_YANDAS]
    assert [a.urusan for a in affairs] == ["sosial", "trantibum"]
    for action in [*affairs, seat]:
        assert action.gain == _recomputed_gain(RULES_2026, region, _apply(RULES_2026, region, action)), action
    assert all(a.gain > seat.gain for a in affairs)


def test_next_actions_ranks_by_gain_then_kind_ref_and_code():
    region = _planning_region()

    actions = next_actions(RULES_2026, region, limit=9)

    # The IID shown is 20.73; each gain is the difference of the two figures shown.
    assert [(a.kind, a.gain, a.ref, a.code, a.urusan) for a in actions] == [
        (FILL_SEAT, d("1.34"), None, None, None),  # median 40: 40 / 12 / 2.5 = 1.333…, 20.73 → 22.07
        (MAKE_ELIGIBLE, d("1.00"), "INV-4", None, None),  # 30 / 12 / 2.5
        (FIX_MANDATORY, d("0.10"), "INV-1", "SID-33", None),  # weight 3
        (RAISE_ROW, d("0.10"), "INV-1", "SID-16", None),
        (RAISE_ROW, d("0.10"), "INV-1", "SID-31", None),
        (FIX_MANDATORY, d("0.07"), "INV-1", "SID-17", None),  # weight 2
        (FIX_MANDATORY, d("0.07"), "INV-1", "SID-32", None),
        (FIX_MANDATORY, d("0.07"), "INV-2", "SID-17", None),
        (FIX_MANDATORY, d("0.07"), "INV-2", "SID-32", None),
    ]


def test_next_actions_lists_each_row_once_and_only_positive_gains():
    region = _planning_region()

    actions = next_actions(RULES_2026, region, limit=1000)

    keys = [(a.kind, a.ref, a.code, a.urusan) for a in actions]
    assert len(keys) == len(set(keys))
    rows = [(a.ref, a.code) for a in actions if a.kind in (FIX_MANDATORY, RAISE_ROW)]
    assert len(rows) == len(set(rows))
    assert min(a.gain for a in actions) > 0
    assert {a.ref for a in actions if a.ref} == {"INV-1", "INV-2", "INV-3", "INV-4"}  # never INV-5 (tahapan)


def test_next_actions_do_not_depend_on_the_order_of_innovations():
    region = _planning_region()
    reversed_region = replace(region, innovations=region.innovations[::-1])

    assert next_actions(RULES_2026, region) == next_actions(RULES_2026, reversed_region)


def test_next_actions_fill_seat_only_below_the_floor():
    region = region_of(RULES_2026, [10, 20, 30, 40] + [60] * 8)

    actions = next_actions(RULES_2026, region, limit=1000)

    assert FILL_SEAT not in {a.kind for a in actions}


def test_next_actions_use_the_mean_of_the_middle_two_for_an_even_count():
    # Arrange: kematangan 10, 20, 30, 40: median 25.
    region = region_of(RULES_2026, [10, 20, 30, 40])

    # Act
    actions = [a for a in next_actions(RULES_2026, region, limit=1000) if a.kind in (FILL_SEAT, COVER_YANDAS)]

    # Assert: one seat, +25 / 12 / 2.5 = 0.8333… exact, 3.33 → 4.17 shown; no yandas affair (one of the
    # six would not switch the count score on).
    assert [a.gain for a in actions] == [d("0.84")]
    for action in actions:
        assert action.gain == _recomputed_gain(RULES_2026, region, _apply(RULES_2026, region, action))


# --- Worked tables of docs/scoring.md -----------------------------------------------------------------


def _worked_region_a() -> RegionInput:
    rules = RULES_2026
    return RegionInput(
        spd=(Row("SPD-01", 3, True), Row("SPD-06", 2, True), Row("SPD-12", 1, False)),
        innovations=(
            innovation(
                "A",
                penerapan=date(2025, 3, 10),
                urusan_utama="kesehatan",
                words=320,
                rows=(
                    Row("SID-16", 2, True),
                    Row("SID-17", 1, True),
                    Row("SID-32", 3, True),
                    Row("SID-33", 2, True, basis="a"),
                    Row("SID-35", 1, True),
                ),
                group="Dinkes",
            ),
            innovation(
                "B",
                penerapan=date(2023, 11, 20),
                pengembangan=date(2024, 5, 1),
                urusan_utama="pendidikan",
                words=300,
                rows=(
                    Row("SID-16", 1, True),
                    Row("SID-19", 3, True),
                    Row("SID-31", 1, True),
                    Row("SID-35", 2, False),
                ),
                group="Dispendik",
            ),
            innovation(
                "C",
                tahapan="uji_coba",
                penerapan=outside_window(rules),
                urusan_utama="sosial",
                words=250,
                rows=(Row("SID-16", 3, True),),
                group="Dinkes",
            ),
        ),
    )


def test_worked_table_a_small_region_by_hand():
    region = _worked_region_a()

    result = compute(RULES_2026, region)

    assert [
        (i.ref, i.kematangan, i.eligible, i.ineligible_reasons, i.missing_mandatory)
        for i in result.innovations
    ] == [
        ("A", d("24.00"), True, (), ()),
        ("B", d("12.00"), True, (), ("SID-17", "SID-32", "SID-33", "SID-35")),
        (
            "C",
            d("9.00"),
            False,
            ("tahapan", "window", "rancang_bangun"),
            ("SID-17", "SID-32", "SID-33", "SID-35"),
        ),
    ]
    assert (result.spd_score, result.n_eligible, result.sid_divisor, result.sid_average) == (
        d("6.00"),
        2,
        12,
        d("3.00"),
    )
    assert (result.yandas_covered, result.count_score, result.total, result.iid) == (
        2,
        d("0.00"),
        d("9.00"),
        d("3.60"),
    )
    assert (result.category, result.empty_seats) == ("Kurang Inovatif", 10)


@pytest.mark.parametrize(
    ("rules", "n", "divisor", "sid_average", "iid", "category"),
    [
        (RULES_2026, 5, 12, d("25.00"), d("26.80"), "Kurang Inovatif"),
        (RULES_2023, 5, 10, d("30.00"), d("28.80"), "Kurang Inovatif"),
        (RULES_2026, 6, 12, d("30.00"), d("28.80"), "Kurang Inovatif"),
        (RULES_2026, 12, 12, d("60.00"), d("40.80"), "Inovatif"),
        (RULES_2026, 15, 15, d("60.00"), d("40.80"), "Inovatif"),
    ],
)
def test_worked_table_b_divisor_floor(rules, n, divisor, sid_average, iid, category):
    region = region_of(rules, [60] * n, spd_level=2)

    result = compute(rules, region)

    assert (result.spd_score, result.sid_divisor, result.sid_average) == (d("42.00"), divisor, sid_average)
    assert (result.iid, result.category) == (iid, category)


@pytest.mark.parametrize(
    ("sixth_affair", "yandas_covered", "count_score", "total", "iid"),
    [
        ("esdm", 4, d("0.00"), d("67.00"), d("26.80")),
        ("trantibum", 5, d("2.28"), d("69.28"), d("27.71")),
    ],
)
def test_worked_table_c_yandas(sixth_affair, yandas_covered, count_score, total, iid):
    # Arrange: six eligible innovations of 50; a seventh, in sosial, is only at uji coba.
    affairs = ["pendidikan", "kesehatan", "pupr", "perkim", "kebudayaan", sixth_affair]
    innovations = [eligible_at(RULES_2026, f"INV-{i}", 50, urusan_utama=u) for i, u in enumerate(affairs)]
    innovations.append(
        replace(eligible_at(RULES_2026, "INV-6", 50, urusan_utama="sosial"), tahapan="uji_coba")
    )
    region = RegionInput(spd=spd_at(RULES_2026, 2), innovations=tuple(innovations))

    # Act
    result = compute(RULES_2026, region)

    # Assert
    assert (result.n_eligible, result.sid_average) == (6, d("25.00"))
    assert (result.yandas_covered, result.count_score, result.total, result.iid) == (
        yandas_covered,
        count_score,
        total,
        iid,
    )


@pytest.mark.parametrize(
    ("kematangan", "total", "iid", "category"),
    [
        (_boundary(12, 1194, 100), d("162.50"), d("65.00"), "Inovatif"),
        (_boundary(12, 1195, 100), d("162.58"), d("65.03"), "Sangat Inovatif"),
        (_boundary(80, 7961, 100), d("162.51"), d("65.01"), "Sangat Inovatif"),
    ],
)
def test_worked_table_d_band_boundary(kematangan, total, iid, category):
    region = region_of(RULES_2026, kematangan, spd_level=3)

    result = compute(RULES_2026, region)

    assert (result.total, result.iid, result.category) == (total, iid, category)
