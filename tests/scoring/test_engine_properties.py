"""Properties of scoring.engine over random regions (hypothesis), for both shipped catalogues."""

from dataclasses import replace
from datetime import timedelta
from functools import partial

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scoring.engine import SID, SPD, InnovationInput, RegionInput, Row, Rules, compute

from .catalogues import eligible_at, load_rules, urusan_codes

CATALOGUES = (load_rules("iid-2026"), load_rules("iid-2023"))
URUSAN = sorted(urusan_codes())
# Each property runs a modest number of examples so that the whole file takes a few seconds.
PROPERTY = settings(max_examples=60, deadline=None)


def _decode_rows(codes: list[str], encoded: int) -> tuple[Row, ...]:
    """One base-9 digit per indicator: 0 absent, 1-4 level 0-3 counting, 5-8 level 0-3 not counting."""
    decoded = []
    for code in codes:
        encoded, digit = divmod(encoded, 9)
        if digit:
            decoded.append(Row(code, (digit - 1) % 4, digit <= 4))
    return tuple(decoded)


def _rows(rules: Rules, group: str) -> st.SearchStrategy[tuple[Row, ...]]:
    """Rows for some of the group's indicators, drawn as one integer so that a region costs few draws;
    shrinking towards 0 drops rows."""
    codes = [i.code for i in rules.indicators if i.group == group]
    return st.integers(0, 9 ** len(codes) - 1).map(partial(_decode_rows, codes))


def _numbered(spd: tuple[Row, ...], innovations: list[InnovationInput]) -> RegionInput:
    return RegionInput(
        spd=spd, innovations=tuple(replace(inv, ref=f"INV-{n}") for n, inv in enumerate(innovations))
    )


def _regions(rules: Rules) -> st.SearchStrategy[RegionInput]:
    """Regions of up to 16 innovations (across both floors), mostly but not all eligible, in a few groups."""
    days = st.none() | st.dates(
        rules.window_start - timedelta(days=400), rules.window_end + timedelta(days=100)
    )
    innovation = st.builds(
        InnovationInput,
        ref=st.just(""),
        tahapan=st.sampled_from(["penerapan"] * 4 + ["uji_coba", "inisiatif"]),
        penerapan=days,
        pengembangan=days,
        urusan_utama=st.none() | st.sampled_from(sorted(rules.yandas)) | st.sampled_from(URUSAN),
        rancang_bangun_words=st.integers(280, 400),
        rows=_rows(rules, SID),
        group=st.sampled_from(["A", "B", "C", None]),
    )
    return st.builds(_numbered, _rows(rules, SPD), st.lists(innovation, max_size=16))


# (rules, region) for both catalogues; built once, as building strategies per draw is slow.
CASES = st.one_of(*(st.tuples(st.just(rules), _regions(rules)) for rules in CATALOGUES))


@PROPERTY
@given(CASES)
def test_iid_stays_within_0_and_100(case):
    rules, region = case

    result = compute(rules, region)

    assert 0 <= result.iid <= 100


@PROPERTY
@given(CASES, st.data())
def test_raising_any_single_level_never_lowers_the_iid(case, data):
    # Arrange: pick one indicator of the SPD or of one innovation and raise its effective level by one.
    rules, region = case
    owners = [None, *range(len(region.innovations))]
    owner = data.draw(st.sampled_from(owners))
    group = SPD if owner is None else SID
    code = data.draw(st.sampled_from([i.code for i in rules.indicators if i.group == group]))
    current = region.spd if owner is None else region.innovations[owner].rows
    row = next((r for r in current if r.code == code), Row(code, 0, False))
    effective = row.level if row.counts else 0
    raised = (*(r for r in current if r.code != code), Row(code, min(effective + 1, 3), True))
    if owner is None:
        after = replace(region, spd=raised)
    else:
        innovations = list(region.innovations)
        innovations[owner] = replace(innovations[owner], rows=raised)
        after = replace(region, innovations=tuple(innovations))

    # Act
    before_iid, after_iid = compute(rules, region).iid, compute(rules, after).iid

    # Assert
    assert after_iid >= before_iid


@PROPERTY
@given(CASES, st.randoms(use_true_random=False))
def test_order_of_innovations_does_not_change_the_result(case, random):
    # Arrange
    rules, region = case
    shuffled = list(region.innovations)
    random.shuffle(shuffled)

    # Act
    original = compute(rules, region)
    reordered = compute(rules, replace(region, innovations=tuple(shuffled)))

    # Assert: the same figures; the per-innovation list follows the input order.
    assert replace(reordered, innovations=()) == replace(original, innovations=())
    assert sorted(reordered.innovations, key=lambda i: i.ref) == sorted(
        original.innovations, key=lambda i: i.ref
    )


@PROPERTY
@given(CASES, st.integers(0, 111), st.none() | st.sampled_from(URUSAN))
def test_adding_an_eligible_innovation_below_the_floor_never_lowers_the_iid(case, kematangan, urusan):
    # Arrange
    rules, region = case
    before = compute(rules, region)
    assume(before.n_eligible < rules.sid_divisor_floor)
    added = replace(
        region, innovations=(*region.innovations, eligible_at(rules, "NEW", kematangan, urusan_utama=urusan))
    )

    # Act
    after = compute(rules, added)

    # Assert
    assert after.iid >= before.iid


@PROPERTY
@given(CASES)
def test_contributions_add_up_to_the_rounded_iid(case):
    rules, region = case

    result = compute(rules, region)

    assert result.spd_points + sum(c.iid_points for c in result.contributions) == result.iid
    assert {c.group for c in result.contributions} == {i.group for i in region.innovations}
