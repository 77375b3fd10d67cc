"""scoring.scenario: the shared worked scenarios reproduce exactly, and every malformed input is
rejected with one line naming the problem."""

import copy
import json
from datetime import date

import pytest

from scoring.engine import InnovationInput, RegionInput, Row, compute
from scoring.scenario import ScenarioError, parse_scenario, read_scenario, result_to_dict

from .catalogues import SCENARIOS, load_rules, urusan_codes

RULES_2026 = load_rules("iid-2026")


def _scenario() -> dict:
    """A valid one-innovation scenario; each error test breaks one thing in a copy."""
    return {
        "catalog": "iid-2026",
        "spd": {"SPD-01": {"level": 3, "evidence": True}},
        "innovations": [
            {
                "ref": "INV-1",
                "tahapan": "penerapan",
                "penerapan": "2025-03-10",
                "pengembangan": "2025-06-15",
                "urusan_utama": "kesehatan",
                "urusan_lain": ["sosial"],
                "rancang_bangun_words": 320,
                "indicators": {
                    "SID-16": {"level": 2, "evidence": True},
                    "SID-33": {"basis": "a", "level": 3, "evidence": True},
                },
            }
        ],
    }


def _broken(change) -> dict:
    scenario = copy.deepcopy(_scenario())
    change(scenario)
    return scenario


def _innovation(scenario: dict) -> dict:
    return scenario["innovations"][0]


@pytest.mark.parametrize("name", ["example-small", "example-fourteen"])
def test_shared_example_reproduces_its_expected_output(name):
    # Arrange
    scenario = read_scenario((SCENARIOS / f"{name}.json").read_text(encoding="utf-8"))
    expected = json.loads((SCENARIOS / f"{name}.expected.json").read_text(encoding="utf-8"))

    # Act
    output = result_to_dict(compute(RULES_2026, parse_scenario(scenario, RULES_2026, urusan_codes())))

    # Assert: equal as JSON values, and with the keys in the format's order.
    assert output == expected
    assert list(output) == list(expected)
    assert json.loads(json.dumps(output)) == expected


def test_parse_scenario_builds_engine_input():
    region = parse_scenario(_scenario(), RULES_2026, urusan_codes())

    assert region == RegionInput(
        spd=(Row("SPD-01", 3, True),),
        innovations=(
            InnovationInput(
                ref="INV-1",
                tahapan="penerapan",
                penerapan=date(2025, 3, 10),
                pengembangan=date(2025, 6, 15),
                urusan_utama="kesehatan",
                rancang_bangun_words=320,
                rows=(Row("SID-16", 2, True), Row("SID-33", 3, True, basis="a")),
            ),
        ),
    )


def test_parse_scenario_accepts_absent_optional_fields():
    def strip(scenario):
        for key in ("penerapan", "pengembangan", "urusan_utama", "urusan_lain"):
            del _innovation(scenario)[key]

    region = parse_scenario(_broken(strip), RULES_2026)

    assert region.innovations[0].penerapan is None
    assert region.innovations[0].urusan_utama is None


def test_urusan_lain_does_not_cover_yandas():
    # Arrange: five innovations whose urusan utama is not yandas but whose urusan lain are.
    def five(scenario):
        first = _innovation(scenario)
        scenario["innovations"] = [
            {**first, "ref": f"INV-{i}", "urusan_utama": "kebudayaan", "urusan_lain": [affair]}
            for i, affair in enumerate(["pendidikan", "kesehatan", "pupr", "perkim", "sosial"])
        ]

    region = parse_scenario(_broken(five), RULES_2026, urusan_codes())

    # Act
    result = compute(RULES_2026, region)

    # Assert
    assert (result.n_eligible, result.yandas_covered, float(result.count_score)) == (5, 0, 0.0)


def test_result_to_dict_writes_two_decimal_floats_and_ints():
    result = compute(RULES_2026, parse_scenario(_scenario(), RULES_2026))

    output = result_to_dict(result)

    assert json.dumps(output) == (
        '{"catalog": "iid-2026", "spd_score": 3.0, "innovations": [{"ref": "INV-1", "eligible": true, '
        '"ineligible_reasons": [], "kematangan": 15.0, "missing_mandatory": ["SID-17", "SID-32", "SID-35"]}], '
        '"n_eligible": 1, "sid_divisor": 12, "sid_average": 1.25, "yandas_covered": 1, "count_score": 0.0, '
        '"total": 4.25, "iid": 1.7, "category": "Kurang Inovatif", "empty_seats": 11}'
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"catalog": ', "invalid JSON: Expecting value: line 1 column 13 (char 12)"),
        ("[1, 2]", "invalid scenario: the top level must be a JSON object"),
    ],
)
def test_read_scenario_rejects_what_is_not_a_json_object(text, message):
    with pytest.raises(ScenarioError) as error:
        read_scenario(text)

    assert str(error.value) == message


def _set(path, value):
    """A change putting ``value`` at ``path`` (keys and indexes) of the scenario."""

    def change(scenario):
        target = scenario
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _delete(path):
    def change(scenario):
        target = scenario
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


INV = ("innovations", 0)
SID_16 = (*INV, "indicators", "SID-16")
SID_33 = (*INV, "indicators", "SID-33")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_delete(("catalog",)), "scenario: missing key 'catalog'"),
        (_set(("extra",), 1), "scenario: unknown key 'extra'"),
        (_set(("catalog",), "iid-2023"), "scenario catalog 'iid-2023' does not match the rules 'iid-2026'"),
        (_set(("spd",), []), "spd must be an object"),
        (_set(("innovations",), {}), "innovations must be a list"),
        (_set(INV, "INV-1"), "innovation #1 must be an object"),
        (_set((*INV, "ref"), ""), "innovation #1: ref must be a non-empty string, got ''"),
        (_delete((*INV, "tahapan")), "innovation 'INV-1': missing key 'tahapan'"),
        (_set((*INV, "urusan"), "x"), "innovation 'INV-1': unknown key 'urusan'"),
        (
            _set((*INV, "tahapan"), "pilot"),
            "innovation 'INV-1': tahapan 'pilot' is not one of inisiatif, uji_coba, penerapan",
        ),
        (
            _set((*INV, "penerapan"), "2025-13-01"),
            "innovation 'INV-1': penerapan '2025-13-01' is not a date (YYYY-MM-DD)",
        ),
        (
            _set((*INV, "pengembangan"), "20250601"),
            "innovation 'INV-1': pengembangan '20250601' is not a date (YYYY-MM-DD)",
        ),
        (
            _set((*INV, "rancang_bangun_words"), "320"),
            "innovation 'INV-1': rancang_bangun_words must be a whole number of at least 0, got '320'",
        ),
        (
            _set((*INV, "urusan_utama"), "kesehatann"),
            "innovation 'INV-1': unknown urusan 'kesehatann' in urusan_utama",
        ),
        (_set((*INV, "urusan_lain"), ["dinas"]), "innovation 'INV-1': unknown urusan 'dinas' in urusan_lain"),
        (_set((*INV, "urusan_lain"), "sosial"), "innovation 'INV-1': urusan_lain must be a list"),
        (_set((*INV, "indicators"), []), "innovation 'INV-1': indicators must be an object"),
        (
            _set((*INV, "indicators", "SID-99"), {"level": 1, "evidence": True}),
            "unknown indicator code 'SID-99' in innovation 'INV-1'",
        ),
        (
            _set((*INV, "indicators", "SPD-01"), {"level": 1, "evidence": True}),
            "indicator 'SPD-01' in innovation 'INV-1' is an SPD indicator",
        ),
        (
            _set(("spd", "SID-16"), {"level": 1, "evidence": True}),
            "indicator 'SID-16' in spd is an SID indicator",
        ),
        (_set(("spd", "SPD-99"), {"level": 1, "evidence": True}), "unknown indicator code 'SPD-99' in spd"),
        (_set(("spd", "SPD-01", "level"), 4), "level 4 of SPD-01 is outside 0-3"),
        (_set((*SID_16, "level"), -1), "level -1 of SID-16 in innovation 'INV-1' is outside 0-3"),
        (_set(("spd", "SPD-01", "level"), 2.0), "level of SPD-01 must be a whole number 0-3, got 2.0"),
        (_set(("spd", "SPD-01", "level"), True), "level of SPD-01 must be a whole number 0-3, got True"),
        (_set(("spd", "SPD-01", "evidence"), "yes"), "evidence of SPD-01 must be true or false, got 'yes'"),
        (_set(("spd", "SPD-01", "evidence"), 1), "evidence of SPD-01 must be true or false, got 1"),
        (_delete(("spd", "SPD-01", "evidence")), "SPD-01: missing key 'evidence'"),
        (_set(("spd", "SPD-01"), 3), "SPD-01 must be an object with level and evidence"),
        (_set((*SID_16, "note"), "x"), "SID-16 in innovation 'INV-1': unknown key 'note'"),
        (_set((*SID_16, "basis"), "a"), "SID-16 in innovation 'INV-1': only SID-33 takes a basis"),
        (
            _delete((*SID_33, "basis")),
            "SID-33 in innovation 'INV-1': a level above 0 needs a basis (one of a-f)",
        ),
        (_set((*SID_33, "basis"), "g"), "SID-33 in innovation 'INV-1': basis 'g' is not one of a-f"),
    ],
)
def test_parse_scenario_names_the_problem(change, message):
    # Arrange
    scenario = _broken(change)

    # Act
    with pytest.raises(ScenarioError) as error:
        parse_scenario(scenario, RULES_2026, urusan_codes())

    # Assert
    assert str(error.value) == message


def test_parse_scenario_rejects_a_repeated_ref():
    scenario = _scenario()
    scenario["innovations"].append(copy.deepcopy(_innovation(scenario)))

    with pytest.raises(ScenarioError) as error:
        parse_scenario(scenario, RULES_2026)

    assert str(error.value) == "innovation 'INV-1' appears twice"


def test_parse_scenario_accepts_sid_33_at_level_0_without_basis():
    scenario = _broken(_set(SID_33, {"level": 0, "evidence": False}))

    region = parse_scenario(scenario, RULES_2026)

    assert region.innovations[0].rows[1] == Row("SID-33", 0, False)


def test_parse_scenario_checks_urusan_only_when_codes_are_given():
    scenario = _broken(_set((*INV, "urusan_utama"), "anything"))

    region = parse_scenario(scenario, RULES_2026)

    assert region.innovations[0].urusan_utama == "anything"
