"""Loading the indicator catalogues and the urusan, and refusing broken catalogue files."""

from decimal import Decimal

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation

from innovasi.standards.models import Catalogue, Indicator, Option, Urusan
from innovasi.standards.scoring import row_score
from innovasi.standards.services.catalogues import (
    DATA_DIR,
    FAST_YAML_LOADER,
    GUIDANCE_LISTS,
    GUIDANCE_TEXTS,
    SHIPPED_CATALOGUES,
    CatalogueError,
    catalogue_load,
)

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


def is_text(value):
    return isinstance(value, str) and value.strip() == value and value != ""


@pytest.mark.parametrize("file_name", SHIPPED_CATALOGUES)
def test_shipped_catalogue_gives_every_indicator_its_guidance_in_both_languages(file_name):
    data = yaml.load((DATA_DIR / file_name).read_text(encoding="utf-8"), Loader=FAST_YAML_LOADER)
    problems = []

    for item in data["indicators"]:
        code = item["code"]
        problems += [f"{code}: old key {key}" for key in ("description", "evidence_required") if key in item]
        problems += [f"{code}: {key}" for key in GUIDANCE_TEXTS if not is_text(item.get(key))]
        for key in GUIDANCE_LISTS:
            lines, sizes = item.get(key), range(2, 5) if key.startswith("examples") else range(3, 6)
            if not (isinstance(lines, list) and len(lines) in sizes and all(map(is_text, lines))):
                problems.append(f"{code}: {key}")
        # The English says what the Indonesian says, line by line.
        for key in ("examples", "rejection_reasons"):
            if len(item.get(f"{key}_en", [])) != len(item.get(f"{key}_id", [])):
                problems.append(f"{code}: {key}_en has another number of lines than {key}_id")
        bases = sorted({option["basis"] for option in item["options"] if option.get("basis")})
        labelled = [entry["code"] for entry in item.get("bases", [])]
        if labelled != bases:
            problems.append(f"{code}: bases {labelled} for the options' {bases}")
        problems += [
            f"{code}: basis {entry['code']} {key}"
            for entry in item.get("bases", [])
            for key in ("label_id", "label_en")
            if not is_text(entry.get(key))
        ]

    assert problems == []
    assert any("juknis" in assumption for assumption in data["assumptions"])


def test_catalogue_indicator_33_names_its_bases_in_both_languages():
    indicator = Indicator.objects.get(catalogue__code="iid-2026", code="SID-33")

    assert indicator.basis_labels["a"] == {"id": "Jumlah penerima manfaat", "en": "Number of beneficiaries"}
    assert sorted(indicator.basis_labels) == list("abcdef")
    assert Indicator.objects.get(catalogue__code="iid-2023", code="SID-33").basis_labels == {
        "a": {"id": "Jumlah penerima manfaat", "en": "Number of beneficiaries"}
    }
    assert Indicator.objects.get(catalogue__code="iid-2026", code="SID-16").basis_labels == {}


def test_indicator_guidance_follows_the_page_language():
    indicator = Indicator.objects.get(catalogue__code="iid-2026", code="SID-33")

    with translation.override("id"):
        indonesian = (
            indicator.description,
            indicator.evidence,
            indicator.examples,
            indicator.rejection_reasons,
        )
        basis_id = indicator.basis_display("a")
    with translation.override("en"):
        english = (indicator.description, indicator.evidence, indicator.examples, indicator.rejection_reasons)
        basis_en = indicator.basis_display("a")

    assert indonesian == (
        indicator.description_id,
        indicator.evidence_id,
        indicator.examples_id,
        indicator.rejection_reasons_id,
    )
    assert english == (
        indicator.description_en,
        indicator.evidence_en,
        indicator.examples_en,
        indicator.rejection_reasons_en,
    )
    assert (basis_id, basis_en) == ("a · Jumlah penerima manfaat", "a · Number of beneficiaries")


def test_indicator_guidance_missing_in_one_language_shows_the_other():
    """A catalogue loaded before the Indonesian texts existed (the migration kept its English ones)."""
    indicator = Indicator(description_id="", description_en="Old English text", basis_labels={})

    with translation.override("id"):
        assert (indicator.description, indicator.basis_display("a")) == ("Old English text", "a")


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
    """Write a copy of the 2026 catalogue with one change applied; return its path (libyaml's loader and
    dumper, when PyYAML has them: the same text as safe_load and safe_dump, in a tenth of the time)."""
    data = yaml.load((DATA_DIR / "iid-2026.yaml").read_text(), Loader=FAST_YAML_LOADER)
    change(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True))
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


@pytest.mark.parametrize("key", GUIDANCE_TEXTS + GUIDANCE_LISTS)
@pytest.mark.parametrize("code", ["SPD-01", "SID-16"])
def test_load_catalog_rejects_an_indicator_without_its_guidance(tmp_path, code, key):
    path = broken_copy(tmp_path, lambda data: (data.update(code="iid-test"), indicator(data, code).pop(key)))

    with pytest.raises(CommandError) as error:
        call_command("load_catalog", str(path))

    assert str(error.value) == f"broken.yaml: indicator {code}: missing '{key}'"
    assert not Catalogue.objects.filter(code="iid-test").exists()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("description_id", "  ", "'description_id' must be a non-empty text, not '  '"),
        ("evidence_en", ["Bukti"], "'evidence_en' must be a non-empty text, not ['Bukti']"),
        ("examples_id", [], "'examples_id' must be a non-empty list of texts, not []"),
        (
            "rejection_reasons_en",
            "One reason",
            "'rejection_reasons_en' must be a non-empty list of texts, not 'One reason'",
        ),
        (
            "rejection_reasons_id",
            ["Alasan", ""],
            "'rejection_reasons_id' must be a non-empty list of texts, not ['Alasan', '']",
        ),
    ],
)
def test_load_catalog_rejects_empty_guidance(tmp_path, key, value, message):
    path = broken_copy(tmp_path, lambda data: indicator(data, "SID-17").update({key: value}))

    with pytest.raises(CatalogueError) as error:
        catalogue_load(path=path)

    assert str(error.value) == f"broken.yaml: indicator SID-17: {message}"


def drop_basis(data, basis):
    bases = indicator(data, "SID-33")["bases"]
    bases.remove(next(entry for entry in bases if entry["code"] == basis))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: indicator(d, "SID-33").pop("bases"), "indicator SID-33: missing 'bases'"),
        (lambda d: drop_basis(d, "c"), "indicator SID-33: basis c has no label in 'bases'"),
        (
            lambda d: indicator(d, "SID-33")["bases"][0].pop("label_id"),
            "indicator SID-33 basis a: missing 'label_id'",
        ),
        (
            lambda d: indicator(d, "SID-33")["bases"][5].pop("label_en"),
            "indicator SID-33 basis f: missing 'label_en'",
        ),
        (
            lambda d: indicator(d, "SID-33")["bases"].append({"code": "g", "label_id": "G", "label_en": "G"}),
            "indicator SID-33: bases: 'g' is not a basis of the options",
        ),
        (
            lambda d: indicator(d, "SID-16").update(bases=[{"code": "a", "label_id": "A", "label_en": "A"}]),
            "indicator SID-16: 'bases' is only for an indicator whose options have a basis",
        ),
    ],
)
def test_load_catalog_rejects_bases_without_their_labels(tmp_path, change, message):
    path = broken_copy(tmp_path, change)

    with pytest.raises(CatalogueError) as error:
        catalogue_load(path=path)

    assert str(error.value) == f"broken.yaml: {message}"


def test_load_catalog_updates_the_guidance_of_a_loaded_catalogue(tmp_path):
    path = broken_copy(tmp_path, lambda data: indicator(data, "SID-16").update(description_id="Teks baru"))

    result = catalogue_load(path=path)

    assert not result.created
    assert Indicator.objects.get(catalogue__code="iid-2026", code="SID-16").description_id == "Teks baru"


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
