"""Loading the standards: indicator catalogues and the list of urusan, from the YAML files shipped in
``innovasi/standards/data`` (copies of ``shared/domain``) or any file an admin provides.
"""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.db import transaction

from .. import signals
from ..enums import EvidenceKind, IndicatorGroup, UrusanGroup
from ..models import Catalogue, Indicator, Option, Urusan
from ..scoring import LEVELS, row_score

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SHIPPED_CATALOGUES = ("iid-2023.yaml", "iid-2026.yaml")
URUSAN_FILE = DATA_DIR / "urusan.yaml"

# libyaml's parser, which PyYAML's wheels include: the same documents as the pure-Python SafeLoader (the
# same constructor builds them) in a tenth of the time, 0.3 s less for each catalogue file read.
FAST_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

GROUP_BY_FILE_NAME = {"pemda": IndicatorGroup.SPD, "inovasi": IndicatorGroup.SID}
DEFAULT_EVIDENCE_KINDS = [EvidenceKind.PDF.value, EvidenceKind.JPG.value, EvidenceKind.PNG.value]
BASES = tuple("abcdef")
# The guidance every indicator carries, in both languages: texts, and lists of short lines.
GUIDANCE_TEXTS = ("description_id", "description_en", "evidence_id", "evidence_en")
GUIDANCE_LISTS = ("examples_id", "examples_en", "rejection_reasons_id", "rejection_reasons_en")


class CatalogueError(ValueError):
    """A catalogue file that cannot be loaded; the message names the file, the indicator and the problem."""


@dataclass(frozen=True)
class LoadResult:
    catalogue: Catalogue
    created: bool
    indicators: int
    options: int


def _decimal(value, what):
    if isinstance(value, bool):
        raise CatalogueError(f"{what} must be a number, not {value!r}")
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise CatalogueError(f"{what} must be a number, not {value!r}") from None
    if not number.is_finite():
        raise CatalogueError(f"{what} must be a finite number, not {value!r}")
    return number


def _int(value, what, *, minimum=0):
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise CatalogueError(f"{what} must be a whole number of at least {minimum}, not {value!r}")
    return value


def _date(value, what):
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise CatalogueError(f"{what} must be a date YYYY-MM-DD, not {value!r}") from None


def _require(mapping, key, where):
    if not isinstance(mapping, dict) or key not in mapping:
        raise CatalogueError(f"{where}: missing '{key}'")
    return mapping[key]


def _text(mapping, key, where):
    value = _require(mapping, key, where)
    if not isinstance(value, str) or not value.strip():
        raise CatalogueError(f"{where}: '{key}' must be a non-empty text, not {value!r}")
    return value.strip()


def _lines(mapping, key, where):
    value = _require(mapping, key, where)
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(line, str) and line.strip() for line in value)
    ):
        raise CatalogueError(f"{where}: '{key}' must be a non-empty list of texts, not {value!r}")
    return [line.strip() for line in value]


def _basis_labels(raw, bases, where):
    """The ``bases:`` list as {"a": {"id": …, "en": …}}: every basis the options use is named in both languages,
    and nothing else is; an indicator without bases has none."""
    if not bases:
        if "bases" in raw:
            raise CatalogueError(f"{where}: 'bases' is only for an indicator whose options have a basis")
        return {}
    entries = _require(raw, "bases", where)
    if not isinstance(entries, list):
        raise CatalogueError(f"{where}: 'bases' must be a list of {{code, label_id, label_en}}")
    labels = {}
    for entry in entries:
        code = entry.get("code") if isinstance(entry, dict) else None
        if code not in bases:
            raise CatalogueError(f"{where}: bases: {code!r} is not a basis of the options")
        if code in labels:
            raise CatalogueError(f"{where}: bases: basis {code} appears twice")
        labels[code] = {
            "id": _text(entry, "label_id", f"{where} basis {code}"),
            "en": _text(entry, "label_en", f"{where} basis {code}"),
        }
    missing = sorted(bases - set(labels))
    if missing:
        raise CatalogueError(f"{where}: basis {missing[0]} has no label in 'bases'")
    return dict(sorted(labels.items()))


def _validate_rules(rules):
    """Check the ``rules:`` block and return it as JSON-ready data (dates as ISO strings)."""
    if not isinstance(rules, dict):
        raise CatalogueError("missing 'rules'")
    floor = _int(_require(rules, "sid_divisor_floor", "rules"), "rules.sid_divisor_floor", minimum=1)
    count = _require(rules, "count_score", "rules")
    per_innovation = _decimal(
        _require(count, "per_innovation", "rules.count_score"), "rules.count_score.per_innovation"
    )
    cap = _int(_require(count, "cap_innovations", "rules.count_score"), "rules.count_score.cap_innovations")
    yandas_required = _int(
        _require(count, "yandas_required", "rules.count_score"), "rules.count_score.yandas_required"
    )
    total_max = _decimal(_require(rules, "total_max", "rules"), "rules.total_max")
    if total_max <= 0:
        raise CatalogueError("rules.total_max must be positive")
    spd_max = _decimal(_require(rules, "spd_max", "rules"), "rules.spd_max")
    sid_max = _decimal(
        _require(rules, "sid_indicator_max_per_innovation", "rules"), "rules.sid_indicator_max_per_innovation"
    )
    bands = _require(rules, "bands", "rules")
    if not isinstance(bands, list) or not bands:
        raise CatalogueError("rules.bands must be a non-empty list")
    minimums = []
    for index, band in enumerate(bands):
        name = _require(band, "name", f"rules.bands[{index}]")
        minimums.append(
            _decimal(_require(band, "min", f"rules.bands[{index}]"), f"rules.bands[{index}].min ({name})")
        )
    if minimums != sorted(minimums, reverse=True) or len(set(minimums)) != len(minimums):
        raise CatalogueError("rules.bands must be ordered from the highest minimum to the lowest")
    if minimums[-1] != 0:
        raise CatalogueError("rules.bands: the last band must start at 0 (Tidak Dapat Dinilai)")
    eligibility = _require(rules, "eligibility", "rules")
    tahapan = _require(eligibility, "tahapan", "rules.eligibility")
    if not isinstance(tahapan, list) or not tahapan:
        raise CatalogueError("rules.eligibility.tahapan must be a non-empty list")
    window = _require(eligibility, "penerapan_or_development_between", "rules.eligibility")
    if not isinstance(window, list) or len(window) != 2:
        raise CatalogueError("rules.eligibility.penerapan_or_development_between must be [start, end]")
    start, end = (_date(day, "rules.eligibility window") for day in window)
    if end < start:
        raise CatalogueError("rules.eligibility window ends before it starts")
    min_words = _int(
        _require(eligibility, "rancang_bangun_min_words", "rules.eligibility"),
        "rules.eligibility.rancang_bangun_min_words",
    )
    return {
        **rules,
        "spd_max": float(spd_max),
        "sid_indicator_max_per_innovation": float(sid_max),
        "sid_divisor_floor": floor,
        "count_score": {
            **count,
            "per_innovation": float(per_innovation),
            "cap_innovations": cap,
            "yandas_required": yandas_required,
        },
        "total_max": float(total_max),
        "bands": [
            {"name": band["name"], "min": float(minimum)}
            for band, minimum in zip(bands, minimums, strict=True)
        ],
        "eligibility": {
            **eligibility,
            "penerapan_or_development_between": [start.isoformat(), end.isoformat()],
            "rancang_bangun_min_words": min_words,
        },
    }


def _validate_indicator(raw, position):
    """Check one indicator and its options; return (indicator fields, option field list)."""
    code = raw.get("code") if isinstance(raw, dict) else None
    if not code:
        raise CatalogueError(f"indicator #{position + 1}: missing 'code'")
    where = f"indicator {code}"
    group = GROUP_BY_FILE_NAME.get(_require(raw, "group", where))
    if group is None:
        raise CatalogueError(f"{where}: group must be 'pemda' or 'inovasi', not {raw['group']!r}")
    weight = _decimal(_require(raw, "weight", where), f"{where}: weight")
    if weight <= 0:
        raise CatalogueError(f"{where}: weight must be positive")
    kinds = raw.get("evidence_kinds", DEFAULT_EVIDENCE_KINDS)
    unknown_kinds = set(kinds) - set(EvidenceKind.values)
    if unknown_kinds:
        raise CatalogueError(f"{where}: unknown evidence kind(s) {', '.join(sorted(unknown_kinds))}")
    options = _require(raw, "options", where)
    if not isinstance(options, list) or not options:
        raise CatalogueError(f"{where}: options must be a non-empty list")
    seen = set()
    parsed_options = []
    for option in options:
        level = option.get("level") if isinstance(option, dict) else None
        if level not in LEVELS or isinstance(level, bool):
            raise CatalogueError(f"{where}: level {level!r} is not one of 1, 2, 3")
        basis = option.get("basis") or ""
        if basis and basis not in BASES:
            raise CatalogueError(f"{where}: basis {basis!r} is not one of a–f")
        if (basis, level) in seen:
            raise CatalogueError(f"{where}: level {level}{' basis ' + basis if basis else ''} appears twice")
        seen.add((basis, level))
        score = _decimal(_require(option, "score", f"{where} level {level}"), f"{where} level {level}: score")
        expected = row_score(weight, level, True)
        if score != expected:
            raise CatalogueError(
                f"{where}: level {level}{' basis ' + basis if basis else ''} scores {score}, "
                f"but weight × level = {weight} × {level} = {expected}"
            )
        parsed_options.append(
            {
                "level": level,
                "basis": basis,
                "label_id": _require(option, "label_id", f"{where} level {level}"),
                "label_en": option.get("label_en", ""),
                "score": score,
            }
        )
    bases = {basis for basis, _level in seen}
    for basis in bases:
        if {level for b, level in seen if b == basis} != set(LEVELS):
            raise CatalogueError(
                f"{where}: {'basis ' + basis if basis else 'the options'} must have levels 1, 2 and 3"
            )
    if "" in bases and len(bases) > 1:
        raise CatalogueError(f"{where}: either every option has a basis or none has")
    basis_labels = _basis_labels(raw, bases - {""}, where)
    fields = {
        "group": group,
        "position": position,
        "variable": raw.get("variable", ""),
        "weight": weight,
        "mandatory": bool(raw.get("mandatory", False)),
        "name_id": _require(raw, "name_id", where),
        "name_en": raw.get("name_en", ""),
        **{key: _text(raw, key, where) for key in GUIDANCE_TEXTS},
        **{key: _lines(raw, key, where) for key in GUIDANCE_LISTS},
        "basis_labels": basis_labels,
        "evidence_kinds": list(kinds),
    }
    return code, fields, parsed_options


def _yaml_load(text):
    """The document in ``text``, read as ``yaml.safe_load`` reads it; a malformed one is read again by the
    pure-Python parser, whose error (raised) shows the offending line, which libyaml's does not."""
    try:
        return yaml.load(text, Loader=FAST_YAML_LOADER)
    except yaml.YAMLError:
        return yaml.safe_load(text)


def catalogue_parse(path):
    """Read and validate a catalogue file; return (catalogue fields, indicators) or raise CatalogueError."""
    path = Path(path)
    try:
        data = _yaml_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CatalogueError(f"{path.name}: cannot be read ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise CatalogueError(f"{path.name}: not valid YAML ({error})") from None
    try:
        if not isinstance(data, dict):
            raise CatalogueError("the file must hold a mapping with code, year, name, rules and indicators")
        code = _require(data, "code", "catalogue")
        fields = {
            "year": _int(_require(data, "year", "catalogue"), "year", minimum=2000),
            "name": _require(data, "name", "catalogue"),
            "source": data.get("source", ""),
            "confidence": data.get("confidence", ""),
            "assumptions": data.get("assumptions", []),
            "rules": _validate_rules(data.get("rules")),
        }
        raw_indicators = _require(data, "indicators", "catalogue")
        if not isinstance(raw_indicators, list) or not raw_indicators:
            raise CatalogueError("indicators must be a non-empty list")
        indicators = [_validate_indicator(raw, position) for position, raw in enumerate(raw_indicators)]
        codes = [indicator_code for indicator_code, _fields, _options in indicators]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise CatalogueError(f"indicator {duplicates[0]}: the code appears more than once")
        for group, key in (
            (IndicatorGroup.SPD, "spd_max"),
            (IndicatorGroup.SID, "sid_indicator_max_per_innovation"),
        ):
            maximum = sum(
                (
                    row_score(f["weight"], max(LEVELS), True)
                    for _c, f, _o in indicators
                    if f["group"] == group
                ),
                Decimal(0),
            )
            if maximum != Decimal(str(fields["rules"][key])):
                raise CatalogueError(
                    f"rules.{key} is {fields['rules'][key]}, but the indicators add up to {maximum}"
                )
    except CatalogueError as error:
        raise CatalogueError(f"{path.name}: {error}") from None
    return code, fields, indicators


def catalogue_changed(catalogue_id):
    """A catalogue (or an urusan, which every catalogue's yandas rule reads) changed: give it a new revision
    and announce it (``signals.catalogue_changed``), in the transaction that made the change. Every change
    of a catalogue's data goes through here: what is computed from it is cached under its revision."""
    Catalogue.objects.filter(pk=catalogue_id).update(revision=uuid.uuid4())
    signals.catalogue_changed.send(sender=Catalogue, catalogue_id=catalogue_id)


@transaction.atomic
def catalogue_load(*, path) -> LoadResult:
    """Load a catalogue file, creating or updating it in place (idempotent: loading twice changes nothing).

    Indicators and options are matched by code and by (basis, level); ones no longer in the file are
    removed. Raises CatalogueError, leaving the database untouched, when the file is malformed.
    """
    code, fields, indicators = catalogue_parse(path)
    catalogue, created = Catalogue.objects.update_or_create(code=code, defaults=fields)
    catalogue.indicators.exclude(code__in=[indicator_code for indicator_code, _f, _o in indicators]).delete()
    # A dozen queries for the whole file, not a few per row (2,300 for the two shipped catalogues): a fresh
    # database loads them after migrating, and so does every test that empties it (the browser tests).
    saved = {indicator.code: indicator for indicator in catalogue.indicators.all()}
    new_indicators: list[Indicator] = []
    kept_indicators: list[Indicator] = []
    for indicator_code, indicator_fields, _options in indicators:
        indicator = saved.get(indicator_code) or Indicator(catalogue=catalogue, code=indicator_code)
        for name, value in indicator_fields.items():
            setattr(indicator, name, value)
        (kept_indicators if indicator.pk else new_indicators).append(indicator)
    Indicator.objects.bulk_create(new_indicators)
    Indicator.objects.bulk_update(kept_indicators, fields=list(indicators[0][1]))
    by_code = {indicator.code: indicator for indicator in [*new_indicators, *kept_indicators]}

    saved_options = {
        (option.indicator_id, option.basis, option.level): option
        for option in Option.objects.filter(indicator__catalogue=catalogue)
    }
    new_options: list[Option] = []
    kept_options: list[Option] = []
    for indicator_code, _fields, options in indicators:
        indicator = by_code[indicator_code]
        for option_fields in options:
            key = (indicator.pk, option_fields["basis"], option_fields["level"])
            option = saved_options.get(key) or Option(indicator=indicator)
            for name, value in option_fields.items():
                setattr(option, name, value)
            (kept_options if option.pk else new_options).append(option)
    Option.objects.filter(indicator__catalogue=catalogue).exclude(
        pk__in=[option.pk for option in kept_options]
    ).delete()
    Option.objects.bulk_create(new_options)
    Option.objects.bulk_update(kept_options, fields=["label_id", "label_en", "score"])
    catalogue_changed(catalogue.pk)
    return LoadResult(
        catalogue=catalogue,
        created=created,
        indicators=len(indicators),
        options=len(new_options) + len(kept_options),
    )


def urusan_parse(path=URUSAN_FILE):
    """Read the government affairs file: its entries in order (``code``, ``name_id``, ``group``), or raise
    CatalogueError naming the entry whose group is unknown."""
    entries = _yaml_load(Path(path).read_text(encoding="utf-8"))
    for entry in entries:
        if entry.get("group") not in UrusanGroup.values:
            raise CatalogueError(
                f"{Path(path).name}: urusan {entry.get('code')!r} has unknown group {entry.get('group')!r}"
            )
    return entries


def shipped_catalogue_files():
    """The shipped catalogue files by catalogue code (``iid-2026.yaml`` holds ``iid-2026``)."""
    return {Path(file_name).stem: DATA_DIR / file_name for file_name in SHIPPED_CATALOGUES}


@transaction.atomic
def urusan_load(*, path=URUSAN_FILE) -> int:
    """Load the government affairs (idempotent); returns how many the file lists."""
    entries = urusan_parse(path)
    for position, entry in enumerate(entries):
        Urusan.objects.update_or_create(
            code=entry["code"],
            defaults={"name": entry["name_id"], "group": entry["group"], "position": position},
        )
    for catalogue_id in Catalogue.objects.values_list("pk", flat=True):  # the yandas set is in every index
        catalogue_changed(catalogue_id)
    return len(entries)


def shipped_standards_load(**_signal_kwargs):
    """Give a fresh database the urusan and the shipped catalogues (connected to ``post_migrate``).

    Catalogues already present are left as they are: updating one is an explicit ``load_catalog`` (the demo's
    ``seed_demo`` reloads the shipped ones).
    """
    if not Urusan.objects.exists():
        urusan_load()
    present = set(Catalogue.objects.values_list("code", flat=True))
    for code, path in shipped_catalogue_files().items():
        if code not in present:
            catalogue_load(path=path)
