"""The jury arithmetic as pure functions, with the worked tables of docs/awards.md."""

from datetime import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from scoring import awards

D = Decimal


def nominee(ref, kematangan="60", day=1):
    return awards.Nominee(ref=ref, kematangan_verified=D(kematangan), submitted_at=datetime(2026, 5, day))


def test_weighted_total_uses_the_weights():
    weights = {"kebaharuan": 30, "kemanfaatan": 25, "kewenangan": 15, "replikasi": 20, "penguasaan": 10}
    scores = {"kebaharuan": 80, "kemanfaatan": 70, "kewenangan": 90, "replikasi": 60, "penguasaan": 100}

    # 24 + 17.5 + 13.5 + 12 + 10
    assert awards.weighted_total(scores, weights) == Fraction(77)


def test_weighted_total_refuses_weights_not_summing_to_100():
    with pytest.raises(ValueError, match="add up to 90, not 100"):
        awards.weighted_total({"a": 50, "b": 50}, {"a": 50, "b": 40})


@pytest.mark.parametrize(
    ("method", "expected"),
    [("mean", D("70.00")), ("median", D("70.00")), ("trimmed_mean", D("70.00"))],
)
def test_aggregate_of_three_equal_spacings(method, expected):
    assert awards._round(awards.aggregate([Fraction(60), Fraction(70), Fraction(80)], method)) == expected


@pytest.mark.parametrize(
    ("method", "expected"),
    [("mean", D("62.50")), ("median", D("70.00")), ("trimmed_mean", D("70.00"))],
)
def test_aggregate_with_an_outlier(method, expected):
    values = [Fraction(20), Fraction(65), Fraction(75), Fraction(90)]

    assert awards._round(awards.aggregate(values, method)) == expected


# Worked table (a) of docs/awards.md: juror C marks everyone low and, for a conflict with X and Y's OPDs,
# scores only Z. Raw means put Z last although both other jurors prefer Z to Y.
TOTALS = {
    "A": {"X": Fraction(80), "Y": Fraction(70), "Z": Fraction(75)},
    "B": {"X": Fraction(78), "Y": Fraction(72), "Z": Fraction(76)},
    "C": {"Z": Fraction(40)},
}
NOMINEES = [nominee("X", day=1), nominee("Y", day=2), nominee("Z", day=3)]


def rank(**options):
    arguments = {
        "nominees": NOMINEES,
        "totals": TOTALS,
        "method": "mean",
        "normalise_scores": False,
        "scale": (1, 100),
        "winners": 1,
        "honourable": 1,
        "disagreement_threshold": D(15),
    }
    arguments.update(options)
    return awards.rank_category(**arguments)


def test_raw_mean_puts_the_low_scored_nominee_last_and_flags_disagreement():
    ranked = rank()

    assert [(r.ref, r.aggregate, r.place, r.disagreement) for r in ranked] == [
        ("X", D("79.00"), "winner", False),
        ("Y", D("71.00"), "honourable", False),
        ("Z", D("63.67"), "none", True),
    ]
    assert ranked[2].spread == D("16.74")


def test_normalisation_corrects_the_juror_who_scores_everyone_low():
    ranked = rank(normalise_scores=True)

    assert [(r.ref, r.aggregate, r.place, r.disagreement) for r in ranked] == [
        ("X", D("84.71"), "winner", False),
        ("Z", D("71.27"), "honourable", False),
        ("Y", D("53.88"), "none", False),
    ]
    z = ranked[1]
    assert dict(z.raw) == {"A": D("75.00"), "B": D("76.00"), "C": D("40.00")}  # raw kept beside
    assert dict(z.normalised) == {"A": D("70.14"), "B": D("73.54"), "C": D("70.14")}


def test_normalised_values_stay_within_the_scale():
    totals = {"A": {"X": Fraction(100), "Y": Fraction(1), "Z": Fraction(1)}}

    normalised = awards.normalise(totals, (1, 100))

    assert all(1 <= value <= 100 for value in normalised["A"].values())


def test_tie_on_the_rounded_value_goes_to_kematangan_then_submission():
    totals = {"A": {"X": Fraction(7000, 100), "Y": Fraction(7001, 1000) * 10, "Z": Fraction(70)}}
    nominees = [nominee("X", "60", 1), nominee("Y", "65", 3), nominee("Z", "65", 2)]

    ranked = rank(nominees=nominees, totals=totals, winners=3)

    # 70.00, 70.01 and 70.00: Y first on value; X and Z tie at 70.00, Z has the higher kematangan.
    assert [r.ref for r in ranked] == ["Y", "Z", "X"]


def test_tie_on_value_and_kematangan_goes_to_the_earlier_submission():
    totals = {"A": {"X": Fraction(70), "Y": Fraction(70)}}
    nominees = [nominee("X", "60", 5), nominee("Y", "60", 2)]

    assert [r.ref for r in rank(nominees=nominees, totals=totals)] == ["Y", "X"]


def test_tie_break_on_submission_first_puts_the_earlier_ahead_of_the_more_mature():
    totals = {"A": {"X": Fraction(70), "Z": Fraction(70)}}
    nominees = [nominee("X", "60", 1), nominee("Z", "65", 2)]

    assert [r.ref for r in rank(nominees=nominees, totals=totals, tie_break="pengajuan")] == ["X", "Z"]
    assert [r.ref for r in rank(nominees=nominees, totals=totals)] == ["Z", "X"]


def test_tie_break_on_agreement_puts_the_value_the_jurors_agree_on_first():
    # Worked table (c) of docs/awards.md, second part: both 70.00; P from 69 and 71, Q from 50 and 90.
    totals = {"A": {"P": Fraction(69), "Q": Fraction(50)}, "B": {"P": Fraction(71), "Q": Fraction(90)}}
    nominees = [nominee("P", "60", 2), nominee("Q", "65", 1)]

    assert [r.ref for r in rank(nominees=nominees, totals=totals, tie_break="kesepakatan")] == ["P", "Q"]
    assert [r.ref for r in rank(nominees=nominees, totals=totals)] == ["Q", "P"]


def test_nominee_no_juror_scored_comes_last_unplaced():
    ranked = rank(nominees=[*NOMINEES, nominee("W")], winners=4)

    assert (ranked[-1].ref, ranked[-1].place, ranked[-1].jurors) == ("W", "none", 0)
