"""Loading the indicator catalogues and the urusan, and refusing broken catalogue files."""

from decimal import Decimal

import pytest
import yaml
from django.core.management import CommandError, call_command

from innovasi.standards.models import Catalogue, Indicator, Option, Urusan
from innovasi.standards.scoring import row_score
from innovasi.standards.services import DATA_DIR, CatalogueError, catalogue_load

pytestmark = pytest.mark.django_db


def group_maximum(catalogue, group):
    return sum((indicator.max_score for indicator in catalogue.indicators.filter(group=group)), Decimal(0))


@pytest.mark.parametrize("code", ["iid-2023", "iid-2026"])
def test_catalogue_fresh_database_has_shipped_catalogue(code):
    catalogue = Catalogue.objects.get(code=code)

    assert catalogue.indicators.filter(group="spd").count() == 20
    assert catalogue.indicators.filter(group="sid").count() == 20
    assert group_maximum(catalogue, "spd") == Decimal(63)
    assert group_maximum(catalogue, "sid") == Decimal(111)


def test_catalogue_rules_are_data_of_the_year():
    rules_2023 = Catalogue.objects.get(code="iid-2023").rules
    rules_2026 = Catalogue.objects.get(code="iid-2026").rules

    assert (rules_2023["sid_divisor_floor"], rules_2026["sid_divisor_floor"]) == (10, 12)
    assert [band["min"] for band in rules_2026["bands"]] == [65.01, 40.01, 0.01, 0.0]
    assert rules_2026["eligibility"]["penerapan_or_development_between"] == ["2024-01-01", "2025-12-31"]


def test_catalogue_indicator_33_has_a_basis_per_option():
    indicator = Indicator.objects.get(catalogue__code="iid-2026", code="SID-33")

    assert indicator.has_basis
    assert sorted(set(indicator.options.values_list("basis", flat=True))) == list("abcdef")
    assert indicator.options.count() == 18


def test_catalogue_video_indicator_accepts_a_link():
    indicator = Indicator.objects.get(catalogue__code="iid-2026", code="SID-35")

    assert indicator.evidence_kinds == ["link", "mp4", "jpg", "png"]


def test_urusan_fresh_database_has_38_with_6_yandas():
    assert Urusan.objects.count() == 38
    assert sorted(u.code for u in Urusan.objects.all() if u.is_yandas) == [
        "kesehatan",
        "pendidikan",
        "perkim",
        "pupr",
        "sosial",
        "trantibum",
    ]


def test_load_catalog_twice_changes_nothing():
    before = list(Option.objects.order_by("pk").values_list("pk", "score", "label_id"))

    call_command("load_catalog", str(DATA_DIR / "iid-2026.yaml"))
    call_command("load_catalog", str(DATA_DIR / "iid-2026.yaml"))

    assert list(Option.objects.order_by("pk").values_list("pk", "score", "label_id")) == before
    assert Catalogue.objects.count() == 2


def test_row_score_is_weight_times_level_and_zero_without_evidence():
    assert row_score(Decimal("0.75"), 3, True) == Decimal("2.25")
    assert row_score(Decimal(4), 2, False) == Decimal(0)
    assert row_score(Decimal(4), 0, True) == Decimal(0)


def broken_copy(tmp_path, change):
    """Write a copy of the 2026 catalogue with one change applied; return its path."""
    data = yaml.safe_load((DATA_DIR / "iid-2026.yaml").read_text())
    change(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    return path


def indicator(data, code):
    return next(item for item in data["indicators"] if item["code"] == code)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("rules"), "broken.yaml: missing 'rules'"),
        (lambda d: d["rules"].pop("sid_divisor_floor"), "broken.yaml: rules: missing 'sid_divisor_floor'"),
        (
            lambda d: indicator(d, "SID-16")["options"][1].update(score=5),
            "broken.yaml: indicator SID-16: level 2 scores 5, but weight × level = 3 × 2 = 6",
        ),
        (
            lambda d: indicator(d, "SID-17").update(code="SID-16"),
            "broken.yaml: indicator SID-16: the code appears more than once",
        ),
        (
            lambda d: indicator(d, "SID-18")["options"][2].update(level=4),
            "broken.yaml: indicator SID-18: level 4 is not one of 1, 2, 3",
        ),
        (
            lambda d: indicator(d, "SID-19")["options"].pop(),
            "broken.yaml: indicator SID-19: the options must have levels 1, 2 and 3",
        ),
        (
            lambda d: d["rules"].update(spd_max=60),
            "broken.yaml: rules.spd_max is 60.0, but the indicators add up to 63.00",
        ),
        (
            lambda d: d["rules"]["bands"].reverse(),
            "broken.yaml: rules.bands must be ordered from the highest minimum to the lowest",
        ),
        (
            lambda d: indicator(d, "SID-20").update(group="daerah"),
            "broken.yaml: indicator SID-20: group must be 'pemda' or 'inovasi', not 'daerah'",
        ),
    ],
)
def test_load_catalog_rejects_malformed_file_and_changes_nothing(tmp_path, change, message):
    path = broken_copy(tmp_path, lambda data: (data.update(code="iid-test"), change(data)))

    with pytest.raises(CommandError) as error:
        call_command("load_catalog", str(path))

    assert str(error.value) == message
    assert not Catalogue.objects.filter(code="iid-test").exists()


def test_load_catalog_rejects_missing_file(tmp_path):
    with pytest.raises(CatalogueError, match=r"^missing\.yaml: cannot be read"):
        catalogue_load(path=tmp_path / "missing.yaml")


def test_cycle_current_prefers_open_then_verification_then_newest(region, other_region):
    from innovasi.standards.enums import CycleState
    from innovasi.standards.selectors import cycle_current

    from ..factories import CycleFactory

    older, newer = Catalogue.objects.get(code="iid-2023"), Catalogue.objects.get(code="iid-2026")
    final_2023 = CycleFactory(region=region, catalogue=older, state=CycleState.FINAL)
    final_2026 = CycleFactory(region=region, catalogue=newer, state=CycleState.FINAL)
    assert cycle_current(region_id=region.pk) == final_2026

    final_2023.state = CycleState.VERIFICATION
    final_2023.save()
    assert cycle_current(region_id=region.pk) == final_2023

    final_2026.state = CycleState.OPEN
    final_2026.save()
    assert cycle_current(region_id=region.pk) == final_2026
    assert cycle_current(region_id=other_region.pk) is None
    assert cycle_current(region_id=None) is None
